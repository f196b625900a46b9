from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import tests.forking  # (a forked child's own event loop; caches while mutmut traces)
import tests.mutant_order
from tests.golden import run_cli


class Repo:
    """A throwaway repository with an environments/ folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "environments").mkdir()

    def write(self, name: str, text: str) -> Path:
        path = self.root / "environments" / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def run(self, *args: str) -> tuple[int, str, str]:
        return run_cli(self.root, *args)


@pytest.fixture(autouse=True)
def _caches_per_test_while_mutmut_traces() -> None:
    """While mutmut traces which tests reach each function (its stats phase, every test in
    one process), the package's functools caches are emptied before each test: else only
    the first test to fill a cache is tied to what the cached function calls (the
    validator's compiler), and a mutant there runs no test that would kill it."""
    tests.forking.fresh_caches_while_tracing()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if tests.mutant_order.running_a_mutant():
        tests.mutant_order.fastest_first(items, tests.mutant_order.DURATIONS)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path)


def fake_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str,
                 name: str = "pulumi") -> Path:
    """An executable `name` (a Python script of `body`) first on PATH: the tests' stand-in
    for the Pulumi CLI. Returns its folder."""
    import os
    import stat
    import sys

    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    exe = bindir / name
    exe.write_text(f"#!{sys.executable}\n{body}")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return bindir


@pytest.fixture
def repo_git(tmp_path: Path) -> Path:
    """A git repository holding a copy of the shipped environments, committed."""
    import shutil

    from tests.golden import REPO, git

    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root
