"""`make mutate` deletes mutmut's stats when a function was added since their full trace
(tests/mutants_catalogue.py): mutmut ties each test to the functions it ran when it traced
it, and later traces only tests it has not seen, so a function split off an old one is
tied to none of the tests that reach it. Checked in a scratch git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests import mutants_catalogue as catalogue

MODULE = '''import functools

def first(x):
    def inner():
        return x
    return inner()

async def waits():
    return 1

class Box:
    def open(self):
        return 2

    @functools.cache
    def kept(self):
        return 3
'''


def test_functions_named_as_mutmut_names_them():
    # mutmut's names: x_ + function, xǁClassǁmethod (see mutmut-stats.json's
    # function_hashes); a nested function is not its own.
    assert catalogue.functions("pkg.mod", MODULE) == {
        "pkg.mod.x_first", "pkg.mod.x_waits", "pkg.mod.xǁBoxǁopen", "pkg.mod.xǁBoxǁkept"}


def test_a_text_that_does_not_parse_has_no_functions():
    assert catalogue.functions("pkg.mod", "def broken(:\n") == frozenset()
    assert catalogue.functions("pkg.mod", "") == frozenset()


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout.strip()


def _module(root: Path, text: str) -> None:
    (root / "mlinfra_compile" / "a.py").write_text(text)


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "mlinfra_compile").mkdir(parents=True)
    _module(root, "def f():\n    return 1\n\nclass C:\n    def m(self):\n        return 2\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "one")
    (root / "mutants").mkdir()
    stats = root / "mutants" / "mutmut-stats.json"
    stats.write_text(json.dumps({"git_commit": _git(root, "rev-parse", "HEAD")}))
    monkeypatch.setattr(catalogue, "REPO", root)
    monkeypatch.setattr(catalogue, "PACKAGE", root / "mlinfra_compile")
    return root, stats


def test_stats_kept_when_nothing_changed(scratch):
    _, stats = scratch
    assert catalogue.drop_stale_stats(stats) == [] and stats.exists()


def test_stats_kept_when_only_a_body_changed(scratch):
    # a changed body keeps its name: mutmut resets that function's mutants itself
    root, stats = scratch
    _module(root, "def f():\n    return 10\n\nclass C:\n    def m(self):\n        return 2\n")
    assert catalogue.drop_stale_stats(stats) == [] and stats.exists()


def test_stats_dropped_when_a_function_is_split_off(scratch):
    root, stats = scratch
    (root / "mlinfra_compile" / "a.py").write_text("def _g():\n    return 1\n\ndef f():\n"
                                                     "    return _g()\n\nclass C:\n"
                                                     "    def m(self):\n        return 2\n")
    assert catalogue.drop_stale_stats(stats) == ["mlinfra_compile.a.x__g"]
    assert not stats.exists()


def test_stats_dropped_when_a_method_is_renamed(scratch):
    root, stats = scratch
    _module(root, "def f():\n    return 1\n\nclass C:\n    def n(self):\n        return 2\n")
    assert catalogue.drop_stale_stats(stats) == ["mlinfra_compile.a.xǁCǁn"]
    assert not stats.exists()


def test_stats_dropped_for_a_new_module_not_yet_committed(scratch):
    root, stats = scratch
    (root / "mlinfra_compile" / "b.py").write_text("def h():\n    return 1\n")
    assert catalogue.drop_stale_stats(stats) == ["mlinfra_compile.b.x_h"]
    assert not stats.exists()


def test_stats_dropped_when_a_function_moved_in_a_later_commit(scratch):
    # the stats' commit, not HEAD, is the base: a commit since then moved f into b.py
    root, stats = scratch
    (root / "mlinfra_compile" / "a.py").write_text("class C:\n    def m(self):\n        return 2\n")
    (root / "mlinfra_compile" / "b.py").write_text("def f():\n    return 1\n")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "two")
    assert catalogue.drop_stale_stats(stats) == ["mlinfra_compile.b.x_f"]


def test_stats_without_a_commit_are_dropped(scratch):
    _, stats = scratch
    stats.write_text("{}")
    assert catalogue.drop_stale_stats(stats) == ["(no commit recorded)"]
    assert not stats.exists()


def test_no_stats_no_work(scratch):
    _, stats = scratch
    stats.unlink()
    assert catalogue.drop_stale_stats(stats) == []
