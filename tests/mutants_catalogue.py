"""The mutants mutmut makes of the package as it stands (its own generator, no test run):
what the survivors file may name, and what `make mutate` runs for a change."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "mlinfra_compile"


def module_of(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def mutants(path: Path) -> frozenset[str]:
    """Every mutant id mutmut generates for one module (`module.x_func__mutmut_N`)."""
    from mutmut.mutation.file_mutation import mutate_file_contents

    made = mutate_file_contents(str(path.relative_to(REPO)), path.read_text(encoding="utf-8"))
    return frozenset(f"{module_of(path)}.{name}" for name in made.mutant_names)


def changed_modules(base: str) -> list[Path]:
    """The package's modules changed since `base` (a git revision, to the working tree), or
    added (untracked ones too)."""
    out = ""
    for asked in (["diff", "--name-only", base], ["ls-files", "--others", "--exclude-standard"]):
        out += subprocess.run(["git", *asked, "--", "mlinfra_compile"], capture_output=True,
                              text=True, cwd=REPO, check=True).stdout
    return sorted({REPO / p for p in out.splitlines() if p.endswith(".py") and (REPO / p).exists()})


def functions(module: str, text: str) -> frozenset[str]:
    """The functions and methods defined at the top of one module's text, by the names
    mutmut gives them (`module.x_func`, `module.xǁClassǁmethod`)."""
    import ast

    try:
        body = ast.parse(text).body
    except SyntaxError:
        return frozenset()
    defs = (ast.FunctionDef, ast.AsyncFunctionDef)
    names = {f"x_{node.name}" for node in body if isinstance(node, defs)}
    names |= {f"xǁ{node.name}ǁ{item.name}" for node in body if isinstance(node, ast.ClassDef)
              for item in node.body if isinstance(item, defs)}
    return frozenset(f"{module}.{name}" for name in names)


def _text_at(commit: str, path: Path) -> str:
    shown = subprocess.run(["git", "show", f"{commit}:{path.relative_to(REPO).as_posix()}"],
                           capture_output=True, text=True, cwd=REPO)
    return shown.stdout if shown.returncode == 0 else ""


def added_since(commit: str) -> list[str]:
    """The functions defined now that were not at `commit`: split off, renamed, moved or
    new (read in the modules changed since, the working tree's changes included)."""
    added: set[str] = set()
    for path in changed_modules(commit):
        module = module_of(path)
        now = functions(module, path.read_text(encoding="utf-8"))
        added |= now - functions(module, _text_at(commit, path))
    return sorted(added)


def drop_stale_stats(stats: Path) -> list[str]:
    """Delete mutmut's stats when a function was added since they were traced in full.

    mutmut ties each test to the functions it ran when it traced that test, and on later
    runs traces only tests it has not seen: a function split off or renamed since then is
    tied to no test that already existed, and its mutants "survive" untested. The stats
    file records the commit of its last full trace (`git_commit`); returns the functions
    added since, after deleting the file if there are any."""
    if not stats.exists():
        return []
    commit = json.loads(stats.read_text(encoding="utf-8")).get("git_commit")
    added = added_since(commit) if commit else ["(no commit recorded)"]
    if added:
        stats.unlink()
    return added


def _stale_stats_main() -> int:
    added = drop_stale_stats(REPO / "mutants" / "mutmut-stats.json")
    if added:
        print(f"make mutate: {len(added)} function(s) added since mutmut last traced every "
              f"test (first: {added[0]}); its stats are deleted, so this run traces again")
    return 0


def main(argv: list[str]) -> int:
    """`python -m tests.mutants_catalogue BASE`: the mutant patterns of the modules changed
    since BASE, one per line (what `make mutate` runs); nothing when none changed.
    `--stale-stats`: delete mutmut's stats if a function was added since their full trace."""
    if argv == ["--stale-stats"]:
        return _stale_stats_main()
    for path in changed_modules(argv[0] if argv else "HEAD~1"):
        print(f"{module_of(path)}.*")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
