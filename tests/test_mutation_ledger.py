"""The mutation ledger (tests/mutation_ledger.py): mutmut's verdicts carried from one
working session's mutants/ to the next, kept only where the function did not change."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import mutation_ledger
from tests.golden import REPO

M = "mlinfra_compile.units"


def _meta(codes: dict[str, int | None], hashes: dict[str, str]) -> dict:
    return {"exit_code_by_key": {f"{M}.{k}": v for k, v in codes.items()},
            "hash_by_function_name": hashes, "type_check_error_by_key": {},
            "durations_by_key": {f"{M}.x_whole__mutmut_1": 0.5},
            "estimated_durations_by_key": {}}


def _write(root: Path, name: str, data: object) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_module_s_decided_verdicts_by_function_and_number():
    meta = _meta({"x_whole__mutmut_1": 1, "x_whole__mutmut_2": None,
                  "x_whole__mutmut_3": 0, "x_whole__mutmut_4": 33,
                  "x__count__mutmut_1": None, "x__count__mutmut_2": 33,
                  "xǁCloudǁsettings__mutmut_2": 37},
                 {"x_whole": "aaa", "x__count": "bbb", "xǁCloudǁsettings": "ccc"})
    # (a function none of whose mutants is decided has no line; numbers past the last
    # decided one are left off; mutmut's "no tests", 33, is no verdict)
    assert mutation_ledger._from_meta(meta) == {"x_whole": ["aaa", [1, None, 0]],
                                                "xǁCloudǁsettings": ["ccc", [None, 37]]}


def test_what_is_saved_reads_back_as_mutmut_s_record(tmp_path):
    meta = _meta({"x_whole__mutmut_1": 1, "x_whole__mutmut_2": None, "x_whole__mutmut_3": 0},
                 {"x_whole": "aaa", "x__count": "bbb"})
    _write(tmp_path / "before", "mlinfra_compile/units.py.meta", meta)
    _write(tmp_path / "before", "fresh.json", {"k": {"hash": "h", "status": "killed"}})
    ledger = mutation_ledger.collect(tmp_path / "before")
    text = mutation_ledger.dumps(ledger)
    assert json.loads(text) == ledger
    assert text == ('{"mutmut": {\n'
                    ' "mlinfra_compile/units.py": {\n'
                    '  "x_whole": ["aaa",[1,null,0]]\n'
                    ' }\n'
                    '},\n'
                    '"fresh.json": {"k": {"hash": "h", "status": "killed"}}}\n')
    after = tmp_path / "after"
    assert mutation_ledger.restore(json.loads(text), after) == 2
    restored = json.loads((after / "mlinfra_compile/units.py.meta").read_text("utf-8"))
    assert restored["exit_code_by_key"] == {f"{M}.x_whole__mutmut_1": 1,
                                            f"{M}.x_whole__mutmut_3": 0}
    assert restored["hash_by_function_name"] == {"x_whole": "aaa"}
    assert json.loads((after / "fresh.json").read_text("utf-8")) == {
        "k": {"hash": "h", "status": "killed"}}


def test_restoring_into_a_run_fills_only_undecided_mutants_of_unchanged_functions(tmp_path):
    ledger = {"mutmut": {"mlinfra_compile/units.py": {
        "x_whole": ["aaa", [1, 0, 1]], "x__count": ["old", [1]]}},
        "templates.json": {"t": 1}}
    here = _meta({"x_whole__mutmut_1": None, "x_whole__mutmut_2": 1,
                  "x_whole__mutmut_3": None, "x__count__mutmut_1": None},
                 {"x_whole": "aaa", "x__count": "new"})
    _write(tmp_path, "mlinfra_compile/units.py.meta", here)
    _write(tmp_path, "templates.json", {"t": 2})
    assert mutation_ledger.restore(ledger, tmp_path) == 2
    meta = json.loads((tmp_path / "mlinfra_compile/units.py.meta").read_text("utf-8"))
    assert meta["exit_code_by_key"] == {
        f"{M}.x_whole__mutmut_1": 1,     # restored
        f"{M}.x_whole__mutmut_2": 1,     # decided here: kept over the ledger's 0
        f"{M}.x_whole__mutmut_3": 1,     # restored
        f"{M}.x__count__mutmut_1": None}  # the function changed: run again
    assert meta["durations_by_key"] == {f"{M}.x_whole__mutmut_1": 0.5}
    assert json.loads((tmp_path / "templates.json").read_text("utf-8")) == {"t": 2}


_SOURCE = "def f(a):\n    return a + 1\n\n\ndef g(b):\n    return b * {}\n"
_GENERATE = """
from pathlib import Path
from mutmut.__main__ import create_mutants_for_file
create_mutants_for_file(Path("pkg/m.py"), Path("mutants/pkg/m.py"))
"""


def _generate(root: Path, factor: int) -> dict:
    """mutmut's own generation step over pkg/m.py; the .meta it leaves."""
    import shutil

    (root / "pkg" / "m.py").write_text(_SOURCE.format(factor), encoding="utf-8")
    (root / "mutants" / "pkg").mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / "pkg" / "m.py", root / "mutants" / "pkg" / "m.py")
    subprocess.run([sys.executable, "-c", _GENERATE], cwd=root, check=True, timeout=120,
                   capture_output=True)
    return json.loads((root / "mutants/pkg/m.py.meta").read_text("utf-8"))


@pytest.mark.parametrize("factor, g_kept", [(2, True), (3, False)])
def test_mutmut_keeps_a_restored_verdict_only_while_its_function_is_unchanged(
        tmp_path, factor, g_kept):
    """On a new machine: mutants/ made anew from the ledger, then mutmut generates its
    mutants as `mutmut run` does first; g's body changed in the second case. (mutmut is
    `make mutate`'s, not `make test`'s: where it is not installed, nothing runs here.)"""
    pytest.importorskip("mutmut")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.mutmut]\nsource_paths = ["pkg/"]\n',
                                             encoding="utf-8")
    first = _generate(tmp_path, 2)
    decided = {key: 1 for key in first["exit_code_by_key"]}
    _write(tmp_path, "mutants/pkg/m.py.meta", {**first, "exit_code_by_key": decided})
    ledger = mutation_ledger.collect(tmp_path / "mutants")
    import shutil

    shutil.rmtree(tmp_path / "mutants")
    mutation_ledger.restore(ledger, tmp_path / "mutants")
    codes = _generate(tmp_path, factor)["exit_code_by_key"]
    assert {k: v for k, v in codes.items() if ".x_f_" in k} == {
        "pkg.m.x_f__mutmut_1": 1, "pkg.m.x_f__mutmut_2": 1}
    g = {k: v for k, v in codes.items() if ".x_g_" in k}
    assert len(g) == 2 and set(g.values()) == ({1} if g_kept else {None})


def test_the_command_names_its_two_verbs(capsys):
    assert mutation_ledger.main(["load"]) == 2
    assert "save|restore" in capsys.readouterr().err


def test_the_committed_ledger_reads_back_as_written():
    """tests/mutation_ledger.json is what `save` writes of what it holds (no hand edit
    that the next restore would misread)."""
    if not mutation_ledger.LEDGER.exists():
        pytest.skip("no ledger committed yet")
    text = mutation_ledger.LEDGER.read_text(encoding="utf-8")
    assert mutation_ledger.dumps(json.loads(text)) == text
    assert REPO in mutation_ledger.LEDGER.parents
