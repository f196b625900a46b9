"""reading.run in this process (tests/test_reading.py, which the mutation run leaves out,
runs it too): a pipe that cannot be read has nothing more to say, and a command whose
output passes the cap is killed then, not waited for."""

from __future__ import annotations

import signal
import sys

from mlinfra_compile import reading


def test_a_pipe_that_cannot_be_read_gives_empty_output_and_no_overflow(monkeypatch):
    def unreadable(read, cap):
        raise OSError("pipe gone")

    monkeypatch.setattr(reading, "read_capped", unreadable)
    got = reading.run([sys.executable, "-c", "print('x')"], 100)
    assert (got.stdout, got.stderr, got.overflow) == (b"", b"", "")


def test_a_command_past_the_cap_is_killed_at_once():
    """It writes past the cap, then would sleep a minute: killed (SIGKILL), its output
    dropped, overflow named."""
    script = "import sys, time; sys.stdout.write('z' * 200); sys.stdout.flush(); time.sleep(60)"
    got = reading.run([sys.executable, "-c", script], 100)
    assert (got.returncode, got.stdout, got.overflow) == (-signal.SIGKILL, b"", "stdout")
