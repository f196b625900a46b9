"""`python -m tests.mutation_report`: every mutant `make mutate` left alive, with the line
it changed and why it is acceptable, written to docs/mutation-survivors.md.

A survivor is explained by the first rule of REASONS its function and changed line match;
one that matches none is printed as UNEXPLAINED and the command exits 1, so a new survivor
is either killed by a test or given a reason here (reviewed like code).
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

# (function regex, changed-line regex, reason). The function is mutmut's name without the
# module prefix (`x_build`, `xǁDeclǁget`); the line is the mutated one.
REASONS: list[tuple[str, str, str]] = [
    # Equivalent: the mutant computes the same observable result.
    (r".", r"\.get\(\s*(None|\"[A-Z_]+\"|\"XX\w+XX\")\s*[,)]",
     "equivalent: a key no input has, read where the value is optional; the default it "
     "falls back to is the one the code would have used"),
    (r".", r"\.get\([^)]*, None\)|\.get\([^)]*, \)",
     "equivalent: dict.get(key, None) and dict.get(key) are the same call"),
    (r"x_build|x__subscription", r"\"[A-Z_]+\"\)\)|\"XX\w+XX\"\)\)|,\s*None\)\)|, \)\)$",
     "unobservable: Resource.kind and Resource.declaration only name a resource in MLC402 "
     "and pictures; this one can never collide (its name is the declaration's own)"),
    (r".", r"Origin\(\"(default|derived)\", None|Origin\(\"(default|derived)\", [^,]+, None|"
           r"^\s*None, f?\"",
     "unobservable: the file and position of a default or derived value are never shown "
     "(plan and explain print its note)"),
    (r"x__version_change|x__engine_version_change", r">=|<=",
     "equivalent: a change rule runs only when the two values differ, so `>` and `>=` agree"),
    (r"x__replicas_change|x__engine_change", r".",
     "equivalent: the branch it changes needs two equal values, and a change rule runs "
     "only when they differ"),
    (r"x_delivers", r"return True",
     "equivalent for stores: they have no dead_letter field, so policy cannot tell"),
    (r"x_check_autoname", r"len\(suffix\)|, \)",
     "equivalent in the shipped rules: only SQS passes a suffix and SQS names have no "
     "auto-naming length limit (the function's contract is tested directly)"),
    (r"x_parse_bytes", r"UTF-8|yaml\.parse\(text, \)",
     "equivalent: the same codec / PyYAML's default loader produces the same events"),
    (r"xǁ_Builderǁbuild", r"place\(.*None\)|root: Any = \"\"|anchor or type|type\(None\)",
     "equivalent: an anchor's path only locates positions inside a mapping or list; a "
     "scalar or alias has none"),
    (r"x_parse_bytes|x_read_file", r"\"XX.*XX\"|None,$|None\)\)$|, None,|\"\", None",
     "message detail of a file-level error never reached by a shipped YAML error: "
     "yamlerrors.explain rewrites these messages"),
    (r"x_subnet_group|x_clients", r".",
     "unobservable: see the line; network resources' kind only shapes pictures"),
]


def mutmut_results() -> dict[str, str]:
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                         cwd=REPO, capture_output=True, text=True, check=False).stdout
    results = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            results[name] = status
    return results


def changed_line(name: str) -> str:
    """The first line the mutant changed, from the trampolined copy in mutants/."""
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


def _function(src: str, name: str) -> list[str]:
    m = re.search(rf"^([ \t]*)def {re.escape(name)}\(.*?(?=^\S|^\1def |\Z)", src, re.M | re.S)
    body = m.group(0) if m else ""
    return [line for line in body.splitlines()[1:] if line.strip()]


def reason(func: str, line: str) -> str | None:
    for f_re, l_re, why in REASONS:
        if re.search(f_re, func) and re.search(l_re, line):
            return why
    return None


def main() -> int:
    results = mutmut_results()
    survived = sorted(n for n, s in results.items() if s == "survived")
    counted = Counter(s for s in results.values())
    rows, unexplained = [], 0
    for name in survived:
        _module, _, func = name.rpartition(".")
        line = changed_line(name)
        why = reason(func.split("__mutmut_")[0], line)
        if why is None:
            unexplained += 1
            why = "UNEXPLAINED"
            print(f"UNEXPLAINED {name}: {line}", file=sys.stderr)
        shown = line.replace("|", "\\|")[:110]
        rows.append(f"| `{name.removeprefix('mlinfra_compile.')}` | `{shown}` | {why} |")
    killed = counted["killed"] + counted["timeout"]
    scored = sum(counted.values()) - counted["no tests"] - counted["skipped"]
    head = [
        "# Mutants that survive `make mutate`",
        "",
        "Generated by `python -m tests.mutation_report` after `make mutate`; every row has a "
        "reason (the rules are in tests/mutation_report.py).",
        "",
        f"{killed} of {scored} mutants killed ({100 * killed / scored:.1f}%); "
        f"{counted['survived']} survive; {counted['no tests']} are in functions marked "
        "`no mutate` that mutmut lists without running.",
        "",
        "| mutant | changed line | why it is acceptable |",
        "|---|---|---|",
    ]
    OUT.write_text("\n".join(head + rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} survivors written to {OUT.relative_to(REPO)}; {unexplained} "
          "unexplained", file=sys.stderr)
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
