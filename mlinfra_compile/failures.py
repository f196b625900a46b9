"""How a command's failure becomes an exit code and one line on stderr, never a
traceback: shared by the full command line (cli.py) and the commit hook's quick path
(entry.py), neither of which the other needs to load."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable

from .commands import INTERNAL, USAGE
from .escape import terminal_safe
from .output import ReaderGone
from .workspace import UsageError


def say(message: str) -> None:
    """One line on stderr, its control characters shown rather than sent."""
    print(terminal_safe(message), file=sys.stderr)


def one_command() -> None:
    """The process runs one command and exits (the console script): without the cyclic
    garbage collector, which examined every object a compile made, twice, as it grew
    (17% of a lint of 800 files, 19% of a plan of 10,000 declarations). Reference counts
    still free everything else: a command leaves a constant few objects in cycles (18
    after any of lint, plan, cost, diff, whatever the size: tests/test_no_cycles.py)."""
    gc.disable()


def guarded(command: Callable[[], int]) -> int:
    """Run a command: user errors become their message and exit code; anything else a
    "please report" line (exit 70)."""
    # A lint allocates many small objects and few cycles: collect less often (measured
    # about 5% of a 200-file lint; memory stays bounded because collections still run).
    gc.set_threshold(50_000, 20, 20)
    try:
        return command()
    except UsageError as exc:
        say(f"mlinfra: error: {exc}")
        return USAGE
    except (BrokenPipeError, ReaderGone):
        return quiet_broken_pipe()
    except OSError as exc:
        # A path the user named cannot be written or read (a missing folder, a directory,
        # no permission): say which and why.
        where = f"{exc.filename}: " if exc.filename else ""
        say(f"mlinfra: error: {where}{exc.strerror or exc}")
        return USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("MLINFRA_DEBUG"):
            import traceback

            print(traceback.format_exc(), file=sys.stderr)
        say(f"mlinfra: internal error: {type(exc).__name__}: {exc}")
        say("mlinfra: this is a bug in mlinfra, not in your files; please report it to "
            "the mlinfra maintainers with the command you ran (rerun with "
            "MLINFRA_DEBUG=1 for the details)")
        return INTERNAL


def quiet_broken_pipe() -> int:
    """The reader went away (`mlinfra plan prod | head -1`): stop quietly with the status
    of a program killed by SIGPIPE, and keep Python from complaining at exit."""
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 128 + 13


def finish(code: int) -> None:
    """Flush stdout and stderr and exit with `code` (a reader gone at the flush: SIGPIPE's
    status), without the interpreter's teardown: freeing one by one what the command
    made, which the process's exit frees at once, took 0.3 s after a plan of 10,000
    declarations. Every file the commands write is closed, and every temporary folder
    removed, before they return (`with` blocks); nothing registers an exit handler."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = quiet_broken_pipe()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)
