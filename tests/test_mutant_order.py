"""The order mutmut's child runs a mutant's tests in (tests/mutant_order.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest

import tests.forking
from tests import mutant_order
from tests.golden import REPO


def _items(*nodeids: str) -> list[SimpleNamespace]:
    return [SimpleNamespace(nodeid=n) for n in nodeids]


def test_files_by_their_fastest_test_and_each_file_fastest_first():
    items = _items("tests/a.py::slow", "tests/b.py::one", "tests/a.py::quick",
                   "tests/c.py::untimed", "tests/b.py::two")
    durations = {"tests/a.py::slow": 5.0, "tests/a.py::quick": 0.2,
                 "tests/b.py::one": 0.5, "tests/b.py::two": 0.1}
    mutant_order.fastest_first(items, durations)
    # c: 0 (no timing); b: fastest 0.1; a: fastest 0.2
    assert [i.nodeid for i in items] == ["tests/c.py::untimed", "tests/b.py::two",
                                         "tests/b.py::one", "tests/a.py::quick",
                                         "tests/a.py::slow"]


@pytest.mark.parametrize("name, running", [
    ("mlinfra_compile.units.x_whole__mutmut_3", True),
    ("stats", False), ("", False), ("list_all_tests", False), ("fail", False)])
def test_only_a_mutant_s_run_is_reordered(monkeypatch, name, running):
    monkeypatch.setenv("MUTANT_UNDER_TEST", name)
    assert mutant_order.running_a_mutant() is running


_CASE = """
def test_slow(): print("ran slow")
def test_fast(): print("ran fast")
"""


@pytest.mark.parametrize("phase, order", [
    ("mlinfra_compile.units.x_whole__mutmut_3", ["fast", "slow"]),
    ("", ["slow", "fast"])])
def test_the_suite_s_conftest_orders_by_mutmut_s_timings(tmp_path, phase, order):
    """In a folder with mutmut's stats file (as mutants/ is), conftest reads the timings
    at import and orders a mutant's tests by them; the written order otherwise."""
    if tests.forking.in_mutmuts_copy():
        pytest.skip("the package here is mutmut's; the child would run its trampolines")
    (tmp_path / "test_case.py").write_text(_CASE, encoding="utf-8")
    (tmp_path / "mutmut-stats.json").write_text(json.dumps({"duration_by_test": {
        "test_case.py::test_slow": 3.0, "test_case.py::test_fast": 0.01}}), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "MUTANT_UNDER_TEST": phase, "PYTHONPATH": str(REPO)}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                        "-p", "tests.conftest", "--rootdir", str(tmp_path), "test_case.py"],
                       capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    ran = re.findall(r"ran (\w+)", r.stdout)
    assert r.returncode == 0 and ran == order, r.stdout[-2000:]
