"""`python -m tests.mutation_report`: every mutant `make mutate` left alive, with the line
it changed and why it is acceptable, written to docs/mutation-survivors.md.

A survivor is explained by its own line in tests/mutation_survivors.txt (`MUTANT ID |
reason`), one by one, never by a pattern; one without a line is printed as UNEXPLAINED
and the command exits 1, so a new survivor is either killed by a test or given a reason
there (reviewed like code). A line naming a mutant mutmut no longer makes (the code moved
or changed) is STALE, and exits 1 too; so does a line naming a mutant a test now kills
(KILLED: the reason no longer holds, or the id now names another mutant).
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "mutation-survivors.md"

SURVIVORS = REPO / "tests" / "mutation_survivors.txt"


def explained() -> dict[str, str]:
    """Mutant id -> why it may survive, from tests/mutation_survivors.txt."""
    out = {}
    for line in SURVIVORS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, why = line.partition(" | ")
            out[name.strip()] = why.strip()
    return out



def mutmut_results() -> dict[str, str]:
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                         cwd=REPO, capture_output=True, text=True, check=False).stdout
    results = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            results[name] = status
    return results


def template_results() -> dict[str, str]:
    """The template mutants' last results (`python -m tests.template_mutants`)."""
    from tests.template_mutants import results

    return {name: r["status"] for name, r in results().items()}


def changed_line(name: str) -> str:
    """The first line the mutant changed, from the trampolined copy in mutants/ (or, for
    a template's mutant, the line as it mutated it)."""
    if name.startswith("template:"):
        from tests.template_mutants import catalogue

        return catalogue()[name].changed or "(a deleted line)"
    module, _, func = name.rpartition(".")
    path = REPO / "mutants" / (module.replace(".", "/") + ".py")
    src = path.read_text(encoding="utf-8")
    base = func.split("__mutmut_")[0]
    orig = _function(src, base + "__mutmut_orig")
    mutant = _function(src, func)
    for line in difflib.unified_diff(orig, mutant, lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            return line[1:].strip()
    return "(a deleted line)"


def row(name: str, result: str, line: str, why: str) -> str:
    """One table row: the mutant id and its changed line as code spans, the result and the
    reason as text (the package's markdown filters: no cell, markup or escape of theirs
    survives; one line each)."""
    from mlinfra_compile.markdown import code, text

    short = name.removeprefix("mlinfra_compile.")
    return f"| {code(short)} | {text(result)} | {code(line[:110])} | {text(why)} |"


def _function(src: str, name: str) -> list[str]:
    m = re.search(rf"^([ \t]*)def {re.escape(name)}\(.*?(?=^\S|^\1def |\Z)", src, re.M | re.S)
    body = m.group(0) if m else ""
    return [line for line in body.splitlines()
            if line.strip() and not line.lstrip().startswith("def ")]




def main() -> int:
    results = {**mutmut_results(), **template_results()}
    from tests.fresh_mutants import killed_now

    fresh = {n for n in killed_now() if results.get(n) == "survived"}
    results.update(dict.fromkeys(fresh, "killed"))
    # (a mutant no test ran is explained as a survivor is: why nothing checks that code)
    survived = sorted(n for n, s in results.items() if s in ("survived", "no tests"))
    counted = Counter(s for s in results.values())
    rows, unexplained = [], 0
    reasons = explained()
    stale = _stale(reasons)
    for name in stale:
        print(f"STALE {name}: mutmut makes no such mutant now", file=sys.stderr)
    killed_yet_explained = [n for n in sorted(reasons) if results.get(n) in ("killed", "timeout")]
    for name in killed_yet_explained:
        print(f"KILLED {name}: a test kills it now; drop its line", file=sys.stderr)
    for name in survived:
        line = changed_line(name)
        why = reasons.get(name)
        if why is None:
            unexplained += 1
            why = "UNEXPLAINED"
            print(f"UNEXPLAINED {results[name]} {name}: {line}", file=sys.stderr)
        rows.append(row(name, results[name], line, why))
    killed = counted["killed"] + counted["timeout"]
    unrun = counted["not checked"]  # (a run stopped before them: no verdict yet)
    scored = sum(counted.values()) - counted["no tests"] - counted["skipped"] - unrun
    head = [
        "# Mutants that survive `make mutate`",
        "",
        "Generated by `python -m tests.mutation_report` after `make mutate`; each row's "
        "reason is given mutant by mutant in tests/mutation_survivors.txt"
        + (f" ({unexplained} {'row has' if unexplained == 1 else 'rows have'} none yet: "
           "UNEXPLAINED)." if unexplained else "."),
        "",
        f"{killed} of {scored} mutants killed ({100 * killed / scored:.1f}%; {len(fresh)} of "
        "them only in a fresh interpreter: code run at import, tests/fresh_mutants.py); "
        f"{counted['survived']} survive; {counted['no tests']} are in functions marked "
        "`no mutate` or reached only by child processes, which mutmut lists without running"
        + (f"; {unrun} are not run yet (a run stopped before them)." if unrun else "."),
        "",
        "| mutant | result | changed line | why it is acceptable |",
        "|---|---|---|---|",
    ]
    OUT.write_text("\n".join(head + rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} survivors and mutants no test ran written to "
          f"{OUT.relative_to(REPO)}; {unexplained} unexplained", file=sys.stderr)
    return 1 if unexplained or stale or killed_yet_explained else 0


def _stale(reasons: dict[str, str]) -> list[str]:
    """Survivors-file lines naming a mutant mutmut no longer generates."""
    from tests.mutants_catalogue import REPO as ROOT
    from tests.mutants_catalogue import mutants
    from tests.template_mutants import catalogue

    out = []
    templates = catalogue()
    for name in sorted(reasons):
        if name.startswith("template:"):
            if name not in templates:
                out.append(name)
            continue
        module = name.split(".x")[0]
        path = ROOT / (module.replace(".", "/") + ".py")
        if not path.exists() or name not in mutants(path):
            out.append(name)
    return out


if __name__ == "__main__":
    sys.exit(main())
