"""Run Pulumi so that Ctrl-C cancels it cleanly instead of killing it mid-operation.

`subprocess.run` kills its child when the parent gets KeyboardInterrupt: with the real
CLI that leaves pending operations in the state and the stack locked. Here the parent
keeps waiting, and each SIGINT or SIGTERM it receives reaches Pulumi as one SIGINT:
Pulumi's first interrupt cancels gracefully (it finishes the operations in flight and
writes the state), a second forces. The parent exits with Pulumi's status.

A Ctrl-C typed at a terminal is delivered by the terminal to the whole foreground process
group, Pulumi included; forwarding it too would be Pulumi's second interrupt, so it is
not forwarded then. SIGTERM (CI cancelling a job, `kill`) reaches only this process and
is always passed on, as SIGINT, the signal Pulumi cancels on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from types import FrameType


def _group_got_it(signum: int) -> bool:
    """True when a SIGINT came from the terminal to our (and the child's) process group."""
    if signum != signal.SIGINT:
        return False
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (OSError, ValueError, AttributeError):
        return False  # no terminal: the signal was sent to this process alone


def run_forwarding(argv: list[str], env: dict[str, str]) -> tuple[int, bool]:
    """Run `argv`, forwarding interrupts as described above: (its exit status, 128 + N
    when a signal N ended it; whether it was interrupted). OSError when it cannot be
    started."""
    proc = subprocess.Popen(argv, env=env)
    interrupted: list[int] = []

    def forward(signum: int, _frame: FrameType | None) -> None:
        interrupted.append(signum)
        if proc.poll() is None and not _group_got_it(signum):
            with contextlib.suppress(ProcessLookupError):  # it just ended
                proc.send_signal(signal.SIGINT)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = proc.wait()  # retried after each handler (PEP 475): never orphaned
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return (code if code >= 0 else 128 - code), bool(interrupted)
