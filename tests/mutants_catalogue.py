"""The mutants mutmut makes of the package as it stands (its own generator, no test run):
what the survivors file may name, and what `make mutate` runs for a change."""

from __future__ import annotations

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
    """The package's modules changed since `base` (a git revision), or added."""
    out = subprocess.run(["git", "diff", "--name-only", base, "--", "mlinfra_compile"],
                         capture_output=True, text=True, cwd=REPO, check=True).stdout
    return sorted(REPO / p for p in out.splitlines()
                  if p.endswith(".py") and (REPO / p).exists())


def main(argv: list[str]) -> int:
    """`python -m tests.mutants_catalogue BASE`: the mutant patterns of the modules changed
    since BASE, one per line (what `make mutate` runs); nothing when none changed."""
    for path in changed_modules(argv[0] if argv else "HEAD~1"):
        print(f"{module_of(path)}.*")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
