"""`child.run_forwarding` passing a run of interrupts on, in this process: which of
them reach a small real child (a Python script that counts the SIGINTs it gets and
exits with that count) and which are taken for the echo of one `kill` (child.py: the
same signal from the same sender within ECHO seconds). As in
tests/test_child_forwarding.py no real signal is sent to this process: a stand-in for
`signal.sigtimedwait` reports each one, and the forwarder's clock stands still, so every
repeat falls within the echo window whatever the machine's load.

Each report waits until the child has counted the SIGINTs it should have by then, so
no two are ever pending in the child at once (a second SIGINT pending beside the first
would be merged with it: standard signals do not queue, signal(7))."""

from __future__ import annotations

import signal
import sys
import time
import types
from pathlib import Path

import pytest

from mlinfra_compile import child

COUNTS = """
import os, signal, sys, time
base = sys.argv[1]
count = 0

def on_sigint(*_):
    global count
    count += 1
    with open(base + ".tmp", "w") as f:
        f.write(str(count))
    os.replace(base + ".tmp", base + ".count")

signal.signal(signal.SIGINT, on_sigint)
open(base + ".ready", "w").close()
deadline = time.monotonic() + 10
while not os.path.exists(base + ".done") and time.monotonic() < deadline:
    time.sleep(0.01)
signal.pthread_sigmask(signal.SIG_BLOCK, [])  # (runs the handler of any SIGINT pending)
sys.exit(count)
"""
TERMINAL = 0x80  # si_code SI_KERNEL: a terminal's Ctrl-C (<asm-generic/siginfo.h>)
KILL = 0  # si_code SI_USER: kill() from a process, whose pid is si_pid


def siginfo(signo: int, code: int, pid: int) -> signal.struct_siginfo:
    # si_signo, si_code, si_errno, si_pid, si_uid, si_status, si_band
    return signal.struct_siginfo((signo, code, 0, pid, 0, 0, 0))


class Reports:
    """Stands in for `signal.sigtimedwait`: reports each (siginfo, SIGINTs the child
    has by then) in turn once the child is ready and has counted the SIGINTs the one
    before should have brought, then lets the child end."""

    def __init__(self, base: Path, plan: list[tuple[signal.struct_siginfo, int]]) -> None:
        self.base, self.plan = str(base), list(plan)
        self.expect = 0  # SIGINTs the child should have counted before the next report
        self.timeouts: list[float] = []
        self.give_up = time.monotonic() + 5  # (only a broken forwarder gets that far)

    def counted(self) -> int:
        try:
            return int(Path(self.base + ".count").read_text())
        except FileNotFoundError:
            return 0

    def __call__(self, sigset, timeout):
        assert set(sigset) == {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
        self.timeouts.append(timeout)
        ready = Path(self.base + ".ready").exists() and self.counted() >= self.expect
        if ready or time.monotonic() > self.give_up:
            if self.plan:
                info, self.expect = self.plan.pop(0)
                return info
            Path(self.base + ".done").touch()
        time.sleep(0.01)
        return None


def run(tmp_path, monkeypatch, plan) -> tuple[child.Outcome, Reports]:
    monkeypatch.setattr(child, "time", types.SimpleNamespace(monotonic=lambda: 1000.0))
    reports = Reports(tmp_path / "child", plan)
    monkeypatch.setattr(signal, "sigtimedwait", reports)
    argv = [sys.executable, "-c", COUNTS, reports.base]
    return child.run_forwarding(argv, {}), reports


def test_one_kill_delivered_twice_reaches_the_child_once(tmp_path, monkeypatch):
    """`timeout` signals the command, then its whole group (coreutils timeout.c): the
    same SIGTERM from the same pid twice is one interrupt."""
    term = siginfo(signal.SIGTERM, KILL, 4242)
    outcome, _ = run(tmp_path, monkeypatch, [(term, 1), (term, 1)])
    assert outcome == child.Outcome(1, True)


def test_two_signals_from_one_sender_are_two_interrupts(tmp_path, monkeypatch):
    """A SIGTERM and then a SIGINT from the same pid are not an echo: Pulumi gets both
    (its second interrupt forces)."""
    plan = [(siginfo(signal.SIGTERM, KILL, 4242), 1),
            (siginfo(signal.SIGINT, KILL, 4242), 2)]
    outcome, _ = run(tmp_path, monkeypatch, plan)
    assert outcome == child.Outcome(2, True)


@pytest.mark.parametrize("second", [siginfo(signal.SIGTERM, KILL, 4343),
                                    siginfo(signal.SIGINT, TERMINAL, 0)])
def test_the_same_signal_from_another_sender_is_a_second_interrupt(
        tmp_path, monkeypatch, second):
    first = siginfo(second.si_signo, second.si_code, second.si_pid + 1)
    outcome, _ = run(tmp_path, monkeypatch, [(first, 1), (second, 2)])
    assert outcome == child.Outcome(2, True)


def test_two_ctrl_c_from_the_terminal_are_two_interrupts(tmp_path, monkeypatch):
    """The kernel sends a terminal's Ctrl-C: never an echo, however quick the second."""
    ctrl_c = siginfo(signal.SIGINT, TERMINAL, 0)
    outcome, _ = run(tmp_path, monkeypatch, [(ctrl_c, 1), (ctrl_c, 2)])
    assert outcome == child.Outcome(2, True)


def test_the_wait_for_a_signal_is_short_so_the_childs_end_is_seen_at_once(
        tmp_path, monkeypatch):
    """Between interrupts the parent polls its child: each wait is at most a tenth of a
    second, so `mlinfra deploy` ends (and says so) promptly once Pulumi has."""
    outcome, reports = run(tmp_path, monkeypatch, [])
    assert outcome == child.Outcome(0, False)
    assert reports.timeouts and max(reports.timeouts) <= 0.1
