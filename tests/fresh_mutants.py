"""`python -m tests.fresh_mutants`: mutmut's survivors run again, each in a fresh interpreter.

mutmut runs every mutant in a child forked from one process that has already imported the
package. Code that runs when a module is imported (the language table: each field's
JSON Schema fragment is built once, at import, by fieldkit, clouds and queue_fields; the
schema and its compiled validator, cached once built) is therefore never run mutated in
those children, and its mutants "survive" whatever the suite checks. Run fresh, the
mutated module is imported with the mutant in force, and the suite's checks of what
import builds (the committed schema, the language reference, the golden outputs) fail
as they would in `make test`.

The functions that run at import are found by importing every module of the mutated
package in a fresh interpreter, and building the schema, its compiled validator and the
language reference (each cached once built), with a profiler that notes each original
function called. Each survivor in one of them runs here on those checks and on the tests
mutmut chose for its function and the other functions of its module (tests_for), in
`mutants/` with MUTANT_UNDER_TEST naming it, until the first failure. The verdict is kept
in mutants/fresh.json with the hash of the function it mutated, so a changed function is
run again; `tests.mutation_report` counts a survivor killed here as
killed.

    python -m tests.fresh_mutants [-j N] [NAMES...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MUTANTS = REPO / "mutants"
RESULTS = MUTANTS / "fresh.json"

# The suite's checks of what importing the package builds, first (a mutant of import-time
# code fails one of these at once).
IMPORT_CHECKS = [
    "tests/test_schema.py::test_schema_file_is_current_and_cli_prints_the_same_bytes",
    "tests/test_team_repo.py::test_the_language_reference_is_current",
    "tests/test_golden.py::test_golden",
]


# Run in mutants/: the original functions (`x_f__mutmut_orig`) called while importing
# every module and building the two cached language tables.
_PROFILE = """
import importlib, pkgutil, sys
seen = set()

def note(frame, event, arg):
    name = frame.f_code.co_name
    if event == "call" and name.endswith("__mutmut_orig"):
        seen.add(frame.f_globals["__name__"] + "." + name[:-len("__mutmut_orig")])

sys.setprofile(note)
import mlinfra_compile
for m in pkgutil.walk_packages(mlinfra_compile.__path__, "mlinfra_compile."):
    if not m.name.endswith("__main__"):
        importlib.import_module(m.name)
from mlinfra_compile.reference import render
from mlinfra_compile.schema import _validator, schema_text
schema_text()
render()
_validator()
sys.setprofile(None)
print("\\n".join(sorted(seen)))
"""


def import_time_functions() -> set[str]:
    """The mangled names of the package's functions that run at import (see above)."""
    env = {**os.environ, "MUTANT_UNDER_TEST": "none"}  # (the originals run)
    proc = subprocess.run([sys.executable, "-c", _PROFILE], cwd=MUTANTS, env=env,
                          capture_output=True, text=True, check=True, timeout=600)
    return set(proc.stdout.split())


class NoRun(Exception):
    """mutmut has not run here yet (no mutants/mutmut-stats.json)."""


def _stats() -> dict:
    path = MUTANTS / "mutmut-stats.json"
    if not path.exists():
        raise NoRun(f"{path} is missing: run mutmut first (make mutate)")
    return json.loads(path.read_text(encoding="utf-8"))


def function_of(name: str) -> str:
    """`pkg.mod.x_f__mutmut_3` -> `pkg.mod.x_f`: the key of mutmut's per-function stats."""
    return name.rsplit("__mutmut_", 1)[0]


def survivors() -> list[str]:
    """Every mutant mutmut's last results call survived (exit code 0)."""
    out = []
    for meta in sorted((MUTANTS / "mlinfra_compile").rglob("*.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        out += [name for name, code in codes.items() if code == 0]
    return sorted(out)


def results() -> dict[str, dict]:
    """Mutant id -> {"hash": its function's hash when run, "killed": bool}."""
    if not RESULTS.exists():
        return {}
    return json.loads(RESULTS.read_text(encoding="utf-8"))


def current(name: str, found: dict[str, dict], hashes: dict[str, str]) -> dict | None:
    """The fresh verdict of `name`, if it was reached with the function as it is now."""
    r = found.get(name)
    return r if r is not None and r["hash"] == hashes.get(function_of(name)) else None


def killed_now() -> set[str]:
    """The mutants a fresh run killed, whose function is still the one it ran (none before
    mutmut has run)."""
    try:
        hashes = _stats()["function_hashes"]
    except NoRun:
        return set()
    found = results()
    return {n for n in found if (r := current(n, found, hashes)) is not None and r["killed"]}


def tests_for(name: str, by_function: dict[str, list[str]]) -> list[str]:
    """The tests mutmut chose for the mutant's function and for every other function of
    its module: what a module builds at import is read at run time by its other
    functions (a change table built by `suppressed` is read by Rule.outcome, whose tests
    diff), and mutmut saw none of them reach the import-time function itself."""
    own = function_of(name)
    module = own.rsplit(".", 1)[0]
    found = set(by_function.get(own, []))
    for function, tests in by_function.items():
        if function.rsplit(".", 1)[0] == module:
            found.update(tests)
    return sorted(t for t in found if t not in IMPORT_CHECKS)


def run_one(name: str, tests: list[str]) -> bool:
    """Whether a fresh run of the checks and `tests` fails with mutant `name` in force."""
    env = {**os.environ, "MUTANT_UNDER_TEST": name, "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
            "-p", "no:randomly", *IMPORT_CHECKS, *tests]
    proc = subprocess.run(argv, cwd=MUTANTS, env=env, capture_output=True, check=False,
                          timeout=1800)
    return proc.returncode != 0


def compile_once(root: Path) -> None:
    """The mutated package and the tests, byte-compiled once for every run to read. A run
    does not write its own (PYTHONDONTWRITEBYTECODE), and where none is written (this
    machine sets it for every process) each run compiled the mutated modules from source,
    every mutant inlined: 13 s a run instead of 4 under load."""
    import compileall

    compileall.compile_dir(str(root / "mlinfra_compile"), quiet=1)
    # (the test modules only: the folders below hold golden files, some of them Python,
    # which a test reads file by file)
    compileall.compile_dir(str(root / "tests"), quiet=1, maxlevels=0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fresh_mutants")
    parser.add_argument("-j", type=int, default=2, help="runs at once (default 2)")
    parser.add_argument("names", nargs="*", help="mutant ids (default: every survivor of "
                                                 "a function run at import)")
    args = parser.parse_args(argv)
    try:
        stats = _stats()
    except NoRun as exc:
        print(f"fresh_mutants: {exc}", file=sys.stderr)
        return 2
    hashes = stats["function_hashes"]
    found = results()
    at_import = import_time_functions()
    todo = [n for n in (args.names or survivors())
            if function_of(n) in at_import and current(n, found, hashes) is None]
    print(f"fresh_mutants: {len(todo)} to run", file=sys.stderr)
    if todo:
        compile_once(MUTANTS)

    def one(name: str) -> tuple[str, bool]:
        return name, run_one(name, tests_for(name, stats["tests_by_mangled_function_name"]))

    with ThreadPoolExecutor(max_workers=max(1, args.j)) as pool:
        for done, (name, killed) in enumerate(pool.map(one, todo), 1):
            found[name] = {"hash": hashes.get(function_of(name)), "killed": killed}
            print(f"{done}/{len(todo)} {'killed' if killed else 'survived'} {name}",
                  file=sys.stderr)
            if done % 10 == 0 or done == len(todo):  # (an interrupted run keeps its work)
                RESULTS.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n",
                                   encoding="utf-8")
    killed = sum(1 for n in todo if found[n]["killed"])
    print(f"fresh_mutants: {killed} of {len(todo)} killed in a fresh interpreter",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
