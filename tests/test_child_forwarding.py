"""`child.run_forwarding` in this process, on a small real child (a Python one-liner):
what the child is started with (its environment, a session of its own, the three
signals unblocked), what this process blocks while it runs, the Outcome, and an
interrupt passed on as one SIGINT. No real signal is sent to this process: where one
would arrive, `signal.sigtimedwait` is replaced by a stand-in that reports it.
(tests/test_deploy.py and tests/test_confirmation.py send real signals, in children.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mlinfra_compile import child

PROBE = """
import json, os, signal, sys
blocked = sorted(signal.pthread_sigmask(signal.SIG_BLOCK, []))
json.dump({"env": os.environ.get("MLINFRA_PROBE"), "pid": os.getpid(),
           "sid": os.getsid(0), "blocked": blocked}, open(sys.argv[1], "w"))
sys.exit(int(sys.argv[2]))
"""


def blocked() -> list[int]:
    """The signals this thread blocks."""
    return sorted(signal.pthread_sigmask(signal.SIG_BLOCK, []))


def probe(tmp_path: Path, status: int) -> tuple[child.Outcome, dict]:
    out = tmp_path / "probe.json"
    outcome = child.run_forwarding([sys.executable, "-c", PROBE, str(out), str(status)],
                                   {"MLINFRA_PROBE": "given"})
    return outcome, json.loads(out.read_text())


def test_the_child_runs_in_its_own_session_with_the_env_given_and_signals_unblocked(
        tmp_path):
    before = blocked()
    outcome, seen = probe(tmp_path, 5)
    assert outcome == child.Outcome(5, False)
    assert outcome.interrupted is False
    assert seen["env"] == "given"
    # start_new_session: the child leads a session of its own (setsid(2): sid = its pid)
    assert seen["sid"] == seen["pid"] != os.getsid(0)
    # this process blocks the three signals while the child runs (for sigtimedwait to
    # take them); the child starts with the mask as it was before, and so does this
    # process once run_forwarding returns
    assert seen["blocked"] == before
    assert blocked() == before


def test_a_child_ended_by_signal_n_exits_128_plus_n():
    code = "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"
    outcome = child.run_forwarding([sys.executable, "-c", code], {})
    assert outcome == child.Outcome(128 + 15, False)  # SIGTERM is 15 on Linux


def test_where_sigtimedwait_is_missing_the_child_still_gets_argv_and_env(tmp_path,
                                                                        monkeypatch):
    """macOS's signal module has no sigtimedwait (no siginfo): handlers stand in."""
    monkeypatch.delattr(signal, "sigtimedwait")
    before = blocked()
    outcome, seen = probe(tmp_path, 6)
    assert outcome == child.Outcome(6, False)
    assert seen["env"] == "given"
    assert seen["sid"] == seen["pid"]
    assert seen["blocked"] == before
    assert blocked() == before


WAITS_FOR_SIGINT = """
import os, signal, sys, time
signal.signal(signal.SIGINT, lambda *_: os._exit(7))
open(sys.argv[1], "w").close()
time.sleep(2)
sys.exit(3)
"""


def test_an_interrupt_reaches_the_child_as_one_sigint(tmp_path, monkeypatch):
    """A SIGTERM from a process (si_code SI_USER = 0, <asm-generic/siginfo.h>) while the
    child runs: the child gets SIGINT (its handler exits 7), and the Outcome says it was
    interrupted."""
    ready = tmp_path / "ready"
    reported: list[int] = []
    # si_signo, si_code, si_errno, si_pid, si_uid, si_status, si_band
    info = signal.struct_siginfo((signal.SIGTERM, 0, 0, 4242, 0, 0, 0))

    def sigtimedwait(sigset, timeout):
        assert set(sigset) == {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
        if ready.exists() and not reported:
            reported.append(info.si_signo)
            return info
        time.sleep(0.01)
        return None

    monkeypatch.setattr(signal, "sigtimedwait", sigtimedwait)
    outcome = child.run_forwarding([sys.executable, "-c", WAITS_FOR_SIGINT, str(ready)], {})
    assert outcome == child.Outcome(7, True)
    assert outcome.interrupted is True
    assert reported == [signal.SIGTERM]


def test_the_forwarder_sends_sigint_to_the_child_it_was_given(tmp_path):
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", WAITS_FOR_SIGINT, str(ready)])
    try:
        while not ready.exists() and proc.poll() is None:
            time.sleep(0.01)
        child._Forwarder(proc)(signal.SIGHUP, None)  # the kernel's: never an echo
        assert proc.wait() == 7
    finally:
        proc.kill()
        proc.wait()
