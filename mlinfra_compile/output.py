"""Where every text output of a command goes: `out` writes it with control characters
shown escaped and no line able to start a CI workflow command (escape.py), unless the
format escapes for itself. commands.py, stack.py, livestack.py and diffcmd.py all write
through it."""

from __future__ import annotations

import sys
from typing import TextIO

from .escape import terminal_safe


def out(text: str, stream: TextIO | None = None, *, raw: bool = False) -> None:
    """Every text output goes through here: control characters are shown escaped and no
    line can start a CI workflow command (escape.py), unless the format is one that
    escapes for itself (`raw`: github annotations, dotenv)."""
    try:
        (stream or sys.stdout).write(text if raw else terminal_safe(text))
    except BrokenPipeError:
        raise ReaderGone from None


class ReaderGone(Exception):
    """The reader of our output went away (`| head -1`). Not an OSError, which click
    would turn into a silent exit 1."""
