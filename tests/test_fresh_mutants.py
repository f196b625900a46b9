"""tests/fresh_mutants.py: a mutant of code that runs at import is run in a fresh
interpreter, where the import happens with the mutant in force (a child forked after the
import, as mutmut's are, keeps the value the parent computed); verdicts are kept per
function hash; survivors are read from mutmut's .meta files."""

from __future__ import annotations

import json
from pathlib import Path

from tests import fresh_mutants

PROBE = """import os
# what a trampolined module computes at import: the mutant is in force only if it is
# named when the module is imported
VALUE = 2 if os.environ.get("MUTANT_UNDER_TEST") == "probe.x_f__mutmut_1" else 1
"""

TEST = """from probe import VALUE


def test_value():
    assert VALUE == 1
"""


def _mutants_dir(tmp_path, monkeypatch):
    (tmp_path / "probe.py").write_text(PROBE)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_probe.py").write_text(TEST)
    monkeypatch.setattr(fresh_mutants, "MUTANTS", tmp_path)
    monkeypatch.setattr(fresh_mutants, "IMPORT_CHECKS", ["tests/test_probe.py"])


def test_an_import_time_mutant_is_killed_in_a_fresh_interpreter(tmp_path, monkeypatch):
    _mutants_dir(tmp_path, monkeypatch)
    assert fresh_mutants.run_one("probe.x_f__mutmut_1", []) is True
    assert fresh_mutants.run_one("probe.x_f__mutmut_2", []) is False  # (not this one)


def test_a_verdict_holds_only_for_the_function_it_was_reached_with():
    found = {"m.x_f__mutmut_1": {"hash": "aaa", "killed": True}}
    assert fresh_mutants.current("m.x_f__mutmut_1", found, {"m.x_f": "aaa"}) == \
        {"hash": "aaa", "killed": True}
    assert fresh_mutants.current("m.x_f__mutmut_1", found, {"m.x_f": "bbb"}) is None
    assert fresh_mutants.current("m.x_g__mutmut_1", found, {"m.x_g": "aaa"}) is None
    assert fresh_mutants.function_of("m.xǁCǁf__mutmut_12") == "m.xǁCǁf"


def test_survivors_are_the_mutants_mutmut_left_alive(tmp_path, monkeypatch):
    monkeypatch.setattr(fresh_mutants, "MUTANTS", tmp_path)
    meta = tmp_path / "mlinfra_compile" / "sub" / "a.py.meta"
    meta.parent.mkdir(parents=True)
    # exit codes as mutmut records them: 0 survived, 1 killed, 33 no tests, None not run
    meta.write_text(json.dumps({"exit_code_by_key": {"p.x_f__mutmut_2": 0,
                                                     "p.x_f__mutmut_1": 0,
                                                     "p.x_f__mutmut_3": 1,
                                                     "p.x_f__mutmut_4": 33,
                                                     "p.x_f__mutmut_5": None}}))
    assert fresh_mutants.survivors() == ["p.x_f__mutmut_1", "p.x_f__mutmut_2"]


def test_the_functions_run_at_import_are_found_by_their_originals(tmp_path, monkeypatch):
    # a package as mutmut leaves it: each function's original is `x_<name>__mutmut_orig`;
    # `built` runs at import, `later` only when called
    pkg = tmp_path / "mlinfra_compile"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "table.py").write_text(
        "def x_built__mutmut_orig():\n    return 1\n\n"
        "def x_later__mutmut_orig():\n    return 2\n\n"
        "VALUE = x_built__mutmut_orig()\n")
    # the validator is compiled once, cached: what it calls is import-time code too
    (pkg / "schema.py").write_text("def schema_text():\n    return ''\n\n"
                                   "def x_compiler__mutmut_orig():\n    return 3\n\n"
                                   "def _validator():\n    return x_compiler__mutmut_orig()\n")
    (pkg / "reference.py").write_text("def render():\n    return ''\n")
    (pkg / "__main__.py").write_text("raise SystemExit('never imported')\n")
    monkeypatch.setattr(fresh_mutants, "MUTANTS", tmp_path)
    assert fresh_mutants.import_time_functions() == {"mlinfra_compile.table.x_built",
                                                     "mlinfra_compile.schema.x_compiler"}


def test_before_mutmut_has_run_it_says_so_and_nothing_counts_killed(tmp_path, monkeypatch,
                                                                    capsys):
    monkeypatch.setattr(fresh_mutants, "MUTANTS", tmp_path)
    assert fresh_mutants.main([]) == 2
    assert capsys.readouterr().err == (f"fresh_mutants: {tmp_path / 'mutmut-stats.json'} is "
                                       "missing: run mutmut first (make mutate)\n")
    assert fresh_mutants.killed_now() == set()


def test_killed_now_keeps_only_kills_of_the_function_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setattr(fresh_mutants, "MUTANTS", tmp_path)
    monkeypatch.setattr(fresh_mutants, "RESULTS", tmp_path / "fresh.json")
    (tmp_path / "mutmut-stats.json").write_text(json.dumps(
        {"function_hashes": {"m.x_f": "new", "m.x_g": "same"}}))
    (tmp_path / "fresh.json").write_text(json.dumps({
        "m.x_f__mutmut_1": {"hash": "old", "killed": True},    # the function changed since
        "m.x_g__mutmut_1": {"hash": "same", "killed": True},
        "m.x_g__mutmut_2": {"hash": "same", "killed": False}}))
    assert fresh_mutants.killed_now() == {"m.x_g__mutmut_1"}


def test_an_import_time_survivor_runs_the_tests_of_its_whole_module():
    by_function = {
        "pkg.changes.x_suppressed": [],                      # run at import: none seen
        "pkg.changes.xǁRuleǁoutcome": ["tests/test_diff.py::a"],
        "pkg.changes.x_in_place": ["tests/test_rules.py::b", fresh_mutants.IMPORT_CHECKS[0]],
        "pkg.changes_extra.x_other": ["tests/test_other.py::c"],  # another module
        "pkg.x_changes": ["tests/test_top.py::d"],                 # its parent package
    }
    assert fresh_mutants.tests_for("pkg.changes.x_suppressed__mutmut_3", by_function) == [
        "tests/test_diff.py::a", "tests/test_rules.py::b"]
    assert fresh_mutants.tests_for("pkg.changes_extra.x_other__mutmut_1", by_function) == [
        "tests/test_other.py::c"]


def test_the_mutated_package_and_tests_are_compiled_once_for_every_run(tmp_path):
    import importlib.util

    sources = [tmp_path / "mlinfra_compile" / "m.py", tmp_path / "tests" / "test_m.py",
               tmp_path / "mlinfra_compile" / "sub" / "n.py"]
    for source in sources:
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text("X = 1\n", encoding="utf-8")
    left = [tmp_path / "other.py", tmp_path / "tests" / "golden" / "scaffold" / "main.py"]
    for source in left:  # (golden files below tests/ are read as files: no __pycache__)
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text("X = 1\n", encoding="utf-8")
    fresh_mutants.compile_once(tmp_path)
    for source in sources:
        assert Path(importlib.util.cache_from_source(str(source))).exists()
    for source in left:
        assert not (source.parent / "__pycache__").exists()
