"""Where every text output of a command goes: `out` writes it with control characters
shown escaped and no line able to start a CI workflow command (escape.py), unless the
format escapes for itself. commands.py, stack.py, livestack.py and diffcmd.py all write
through it."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from .escape import terminal_safe


def out(text: str | Iterable[str], stream: TextIO | None = None, *, raw: bool = False) -> None:
    """Every text output goes through here: control characters are shown escaped and no
    line can start a CI workflow command (escape.py), unless the format is one that
    escapes for itself (`raw`: github annotations, dotenv).

    `text` may come in pieces (a plan of 10,000 declarations is 27 MB, written as it is
    made rather than held whole): pieces are gathered to about BATCH characters, each
    batch escaped up to its last line end and the rest carried to the next, so a line
    split between pieces or batches is escaped as one."""
    target = stream or sys.stdout
    try:
        if isinstance(text, str):
            target.write(text if raw else terminal_safe(text))
            return
        carry = ""
        for batch in _batches(text):
            whole = carry + batch
            end = whole.rfind("\n") + 1
            carry = whole[end:]
            target.write(whole[:end] if raw else terminal_safe(whole[:end]))
        if carry:
            target.write(carry if raw else terminal_safe(carry))
    except BrokenPipeError:
        raise ReaderGone from None


# Characters gathered before a write: a plan's pieces are one resource each (30,000 at
# 10,000 declarations), and escaping and writing each alone cost 60 ms more than in
# batches of this size, which keep memory to a few hundred kilobytes.
BATCH = 1 << 16


def _batches(pieces: Iterable[str]) -> Iterator[str]:
    held: list[str] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= BATCH:
            yield "".join(held)
            held.clear()
            size = 0
    if held:
        yield "".join(held)


class ReaderGone(Exception):
    """The reader of our output went away (`| head -1`). Not an OSError, which click
    would turn into a silent exit 1."""
