"""reading.run in this process (tests/test_reading.py runs it through git and children):
which output passed the cap is named, and both pipes are closed when it returns. The
children are small Python programs whose output sizes are written here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mlinfra_compile import reading

CAP = 1000


def _child(out: int, err: int) -> list[str]:
    """A Python child writing `out` bytes to stdout and `err` to stderr."""
    code = (f"import sys; sys.stdout.write('o' * {out}); sys.stdout.flush(); "
            f"sys.stderr.write('e' * {err}); sys.stderr.flush()")
    return [sys.executable, "-c", code]


@pytest.mark.parametrize(("out", "err", "over"), [
    (CAP + 1, 0, "stdout"),
    (0, CAP + 1, "stderr"),
    (CAP, CAP, ""),
])
def test_the_output_that_passed_the_cap_is_named_and_left_empty(out, err, over):
    ran = reading.run(_child(out, err), CAP)
    assert ran.overflow == over
    assert ran.stdout == (b"" if over == "stdout" else b"o" * out)
    assert ran.stderr == (b"" if over == "stderr" else b"e" * err)
    if not over:  # (one that passed it is killed, unless it had already ended)
        assert ran.returncode == 0


def test_both_pipes_are_closed_when_it_returns(monkeypatch):
    made: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def spy(*args, **kwargs):
        p = real(*args, **kwargs)
        made.append(p)
        return p

    monkeypatch.setattr(subprocess, "Popen", spy)
    ran = reading.run(_child(10, 20), CAP)
    assert (ran.returncode, ran.stdout, ran.stderr, ran.overflow) == (0, b"o" * 10,
                                                                     b"e" * 20, "")
    (p,) = made
    assert p.stdout is not None and p.stderr is not None
    assert p.stdout.closed and p.stderr.closed
