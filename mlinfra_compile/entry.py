"""The `mlinfra` console script. `mlinfra lint [--format F] FILE...`, what every commit
hook runs, goes straight to the lint command without loading the command-line library
(click and its `inspect` cost more than checking a file), and so does `mlinfra --version`;
every other command line, and any lint line with another option, goes to cli.py, whose
parsing is the reference: for each line it takes, the quick path reads the same paths
and format, or prints the same version line, or leaves it to cli.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

# click's shell completion is asked for through this variable (cli.py's prog_name)
COMPLETION = "_MLINFRA_COMPLETE"


def lint_request(argv: list[str], environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    """(paths, format) when `argv` is a plain lint line; None for anything else (another
    command, --root, --help, `--`, an unknown option or format, shell completion)."""
    from .formats import DIAGNOSTICS

    if COMPLETION in environ or not argv or argv[0] != "lint":
        return None
    fmt, paths, rest = "text", [], iter(argv[1:])
    for arg in rest:
        if arg.startswith("--format="):
            fmt = arg.removeprefix("--format=")
        elif arg == "--format":
            fmt = next(rest, "")
        elif not arg or arg.startswith("-"):
            return None
        else:
            paths.append(arg)
    return (paths, fmt) if fmt in DIAGNOSTICS else None


def version() -> int:
    """`mlinfra --version`, the line click's version_option prints (cli.py)."""
    from importlib.metadata import version as installed

    from .pin import DISTRIBUTION

    print(f"mlinfra, version {installed(DISTRIBUTION)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"] and COMPLETION not in os.environ:
        return version()
    request = lint_request(args, os.environ)
    if request is None:
        from .cli import main as full

        return full(args)
    from .commands import lint
    from .failures import guarded
    from .workspace import find_root

    return guarded(lambda: lint(find_root(os.getcwd()), *request))


def run() -> None:  # pragma: no cover - console script entry
    from .failures import finish, one_command

    one_command()
    finish(main())
