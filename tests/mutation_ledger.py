"""`python -m tests.mutation_ledger save|restore`: mutation verdicts kept in the repository,
so a whole-package run can span working sessions.

The whole package is about 28,000 mutants: hours on two cores, longer than one session on
a new machine, and mutants/ is build output, never committed. tests/mutation_ledger.json
keeps what a run decided:

- mutmut's verdict of each mutant (its exit code), under the hash mutmut gave the mutated
  function (mutmut's own `.meta` record of each module, without timings);
- the fresh-interpreter verdicts (mutants/fresh.json) and the template verdicts
  (mutants/templates.json), each already stored with the hash of what it mutated.

`restore` (make mutate, before mutmut runs) writes these back where mutants/ lacks them.
mutmut then does with them what it does with its own cache: it keeps a verdict only where
the function's hash is unchanged and runs again every mutant of a changed function, and
fresh_mutants and template_mutants compare their hashes the same way. A verdict decided
in mutants/ wins over the ledger's. `save` (make mutate, after the run) writes the
ledger from mutants/. Like mutmut's own cache, a kept verdict is not re-decided when
only the tests change: a survivor a new test should kill is run again by name
(`mutmut run NAME`), as docs/testing.md says.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MUTANTS = REPO / "mutants"
LEDGER = REPO / "tests" / "mutation_ledger.json"
SIDE_FILES = ("fresh.json", "templates.json")  # (kept whole: they carry their hashes)
_SEP = "__mutmut_"
# mutmut's "no tests" (exit code 33) says what its last trace found, not what a test
# decided: mutmut keeps it even after a new trace finds tests, so it is not carried over
# (a function added after the trace has none until the next one).
NO_TESTS = 33


def _from_meta(meta: dict[str, Any]) -> dict[str, list[Any]]:
    """function -> [hash, exit codes by mutant number (1-based; null: not decided)]."""
    codes: dict[str, dict[int, int]] = {}
    for key, code in meta["exit_code_by_key"].items():
        function, _, number = key.rpartition(_SEP)
        if code is not None and code != NO_TESTS:
            codes.setdefault(function.rpartition(".")[2], {})[int(number)] = code
    out = {}
    for function, digest in sorted(meta["hash_by_function_name"].items()):
        decided = codes.get(function, {})
        if decided:
            out[function] = [digest, [decided.get(n) for n in range(1, max(decided) + 1)]]
    return out


def _to_meta(module: str, functions: dict[str, list[Any]]) -> dict[str, Any]:
    """The `.meta` mutmut reads, of one module's ledger entries."""
    codes = {f"{module}.{function}{_SEP}{n}": code
             for function, (_digest, by_number) in functions.items()
             for n, code in enumerate(by_number, start=1) if code is not None}
    return {"exit_code_by_key": codes,
            "hash_by_function_name": {f: digest for f, (digest, _) in functions.items()},
            "type_check_error_by_key": {}, "durations_by_key": {},
            "estimated_durations_by_key": {}}


def collect(mutants: Path) -> dict[str, Any]:
    """The ledger of what mutants/ holds."""
    modules = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        entries = _from_meta(json.loads(meta.read_text(encoding="utf-8")))
        if entries:
            modules[meta.relative_to(mutants).as_posix().removesuffix(".meta")] = entries
    side = {name: json.loads((mutants / name).read_text(encoding="utf-8"))
            for name in SIDE_FILES if (mutants / name).exists()}
    return {"mutmut": modules, **side}


def dumps(ledger: dict[str, Any]) -> str:
    """One function a line (a run that changes a few functions changes a few lines)."""
    modules = []
    for path, functions in ledger["mutmut"].items():
        rows = ",\n".join(f"  {json.dumps(f)}: {json.dumps(entry, separators=(',', ':'))}"
                          for f, entry in functions.items())
        modules.append(f" {json.dumps(path)}: {{\n{rows}\n }}")
    sections = ['"mutmut": {\n' + ",\n".join(modules) + "\n}"]
    sections += [f"{json.dumps(name)}: {json.dumps(ledger[name], sort_keys=True)}"
                 for name in SIDE_FILES if name in ledger]
    return "{" + ",\n".join(sections) + "}\n"


def restore(ledger: dict[str, Any], mutants: Path) -> int:
    """The ledger's verdicts written into mutants/ where it has none; how many."""
    restored = 0
    for path, functions in ledger["mutmut"].items():
        meta_path = mutants / f"{path}.meta"
        wanted = _to_meta(path.removesuffix(".py").replace("/", "."), functions)
        if meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            hashes = meta.setdefault("hash_by_function_name", {})
            for key, code in wanted["exit_code_by_key"].items():
                function = key.rpartition(_SEP)[0].rpartition(".")[2]
                same = hashes.get(function) == wanted["hash_by_function_name"][function]
                if same and meta["exit_code_by_key"].get(key, 0) is None:
                    meta["exit_code_by_key"][key] = code
                    restored += 1
        else:
            meta = wanted
            restored += len(wanted["exit_code_by_key"])
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        meta_path.write_text(json.dumps(meta, indent=4), encoding="utf-8")
    for name in SIDE_FILES:
        if name in ledger and not (mutants / name).exists():
            (mutants / name).write_text(json.dumps(ledger[name], indent=1), encoding="utf-8")
    return restored


# mutmut's exit codes that count as killed (mutmut/stats.py, status_by_exit_code: killed
# and timeout; the report counts a timeout as killed)
KILLS = frozenset({1, 3, 24, -24, 36, 152, 255})


def killed(ledger: dict[str, Any]) -> set[str]:
    """Every mutant id the ledger records as killed: by mutmut, in a fresh interpreter
    (while its function's hash is the one mutmut ran), or among the templates."""
    out, hashes = set(), {}
    for path, functions in ledger["mutmut"].items():
        module = path.removesuffix(".py").replace("/", ".")
        for function, (digest, by_number) in functions.items():
            hashes[f"{module}.{function}"] = digest
            out |= {f"{module}.{function}{_SEP}{n}"
                    for n, code in enumerate(by_number, start=1) if code in KILLS}
    for name, r in ledger.get("fresh.json", {}).items():
        if r.get("killed") and r.get("hash") == hashes.get(name.rpartition(_SEP)[0]):
            out.add(name)
    out |= {n for n, r in ledger.get("templates.json", {}).items() if r["status"] == "killed"}
    return out


def main(argv: list[str]) -> int:
    if argv == ["save"]:
        LEDGER.write_text(dumps(collect(MUTANTS)), encoding="utf-8")
        print(f"mutation_ledger: {LEDGER.relative_to(REPO)} written")
        return 0
    if argv == ["restore"]:
        if not LEDGER.exists():
            print("mutation_ledger: no ledger yet")
            return 0
        n = restore(json.loads(LEDGER.read_text(encoding="utf-8")), MUTANTS)
        print(f"mutation_ledger: {n} verdicts restored into mutants/")
        return 0
    print("usage: python -m tests.mutation_ledger save|restore", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
