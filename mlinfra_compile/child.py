"""Run Pulumi so that Ctrl-C cancels it cleanly instead of killing it mid-operation.

`subprocess.run` kills its child when the parent gets KeyboardInterrupt: with the real
CLI that leaves pending operations in the state and the stack locked. Here the parent
keeps waiting, and each interrupt it receives reaches Pulumi as one SIGINT: Pulumi's
first interrupt cancels gracefully (it finishes the operations in flight and writes the
state), a second forces. The parent exits with Pulumi's status.

Pulumi runs in a session of its own, so no signal sent to a process group reaches it
directly: not a Ctrl-C (the terminal signals its foreground group, this process's), not
`kill -- -PGID`, not `timeout` or a CI runner cancelling a job (they signal the whole
group). This process receives each of them and passes it on, so Pulumi gets one
interrupt however it was sent, and the user's second Ctrl-C is still Pulumi's second. A
session, not only a process group: a background process group that reads the terminal
(Pulumi's confirmation prompt) is stopped by SIGTTIN, while a process of another session
may read and write it, since it is not that process's controlling terminal.

SIGINT, SIGTERM and SIGHUP (the terminal went away) all reach Pulumi as SIGINT: Pulumi
cancels on SIGTERM only since 3.136.0 (pulumi/pulumi#17467), and earlier versions stop at
once without writing the state. One `kill` can arrive twice: `timeout` sends its signal
to the command and then to its whole group (coreutils src/timeout.c, `cleanup`). A
signal from the same sender (si_pid) within ECHO seconds of the last one forwarded is
that echo, not a second interrupt; a terminal's Ctrl-C (sent by the kernel) is never one.
The signals are blocked before Pulumi starts (and unblocked in Pulumi), so none is lost
or kills this process in between.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from dataclasses import dataclass

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
ECHO = 0.5  # seconds: one kill() delivered twice arrives within microseconds


@dataclass
class Outcome:
    code: int  # the child's exit status; 128 + N when signal N ended it
    interrupted: bool  # a SIGINT, SIGTERM or SIGHUP arrived while it ran


class _Forwarder:
    """Passes each interrupt on to the child once (see the module's docstring)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.last: tuple[int, int | None, float] | None = None  # signal, sender, when

    def __call__(self, signum: int, sender: int | None) -> None:
        """`sender`: the process that sent it (kill()), None for the kernel (a
        terminal's Ctrl-C), -1 where the platform does not say (then any repeat of the
        same signal within ECHO seconds counts as its echo)."""
        now = time.monotonic()
        last, self.last = self.last, (signum, sender, now)
        if sender is not None and last is not None and last[:2] == (signum, sender) \
                and now - last[2] < ECHO:
            self.last = last  # (the echo does not extend the window)
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it just ended
                self.proc.send_signal(signal.SIGINT)


def _sender(info: signal.struct_siginfo) -> int | None:
    """Who sent a signal: si_code <= 0 is a process (SI_USER from kill(), SI_QUEUE,
    SI_TKILL: <asm-generic/siginfo.h>) with its pid in si_pid; > 0 is the kernel."""
    return info.si_pid if info.si_code <= 0 else None


def run_forwarding(argv: list[str], env: dict[str, str]) -> Outcome:
    """Run `argv` with interrupts forwarded as described above. OSError when it cannot
    be started."""
    if not hasattr(signal, "sigtimedwait"):  # macOS: no siginfo, use handlers
        return _run_with_handlers(argv, env)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    interrupted = False
    try:
        proc = subprocess.Popen(
            argv, env=env, start_new_session=True,
            preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, previous))
        forward = _Forwarder(proc)
        while proc.poll() is None:
            info = signal.sigtimedwait(SIGNALS, 0.1)
            if info is not None:
                interrupted = True
                forward(info.si_signo, _sender(info))
        code = proc.wait()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return Outcome(code if code >= 0 else 128 - code, interrupted)


def _run_with_handlers(argv: list[str], env: dict[str, str]) -> Outcome:
    interrupted: list[int] = []
    forward: _Forwarder | None = None

    def on_signal(signum: int, _frame: object) -> None:
        interrupted.append(signum)
        if forward is not None:
            forward(signum, -1)

    previous = {s: signal.signal(s, on_signal) for s in SIGNALS}
    try:
        proc = subprocess.Popen(argv, env=env, start_new_session=True)
        forward = _Forwarder(proc)
        code = proc.wait()  # retried after each handler (PEP 475): never orphaned
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return Outcome(code if code >= 0 else 128 - code, bool(interrupted))


# `pulumi up` and `pulumi destroy` ask before they act when Pulumi runs interactively:
# stdin a terminal, not in CI, no --non-interactive (pulumi/pulumi
# sdk/go/common/util/cmdutil/console.go, Interactive). Otherwise they stop with "--yes or
# --skip-preview must be passed in to proceed when running in non-interactive mode", unless
# `yes = yes || skipPreview || env.SkipConfirmations.Value()` holds
# (pkg/cmd/pulumi/operations/up.go and destroy.go); PULUMI_SKIP_CONFIRMATIONS counts when
# it is `1` or `true` (pulumi CHANGELOG, after 2.1.1: #4477; cmdutil.IsTruthy: any case).
NO_TERMINAL = ("mlinfra: error: `pulumi {command}` asks for confirmation, and there is no "
               "terminal to ask at (stdin is not a terminal, or CI is set); rerun with --yes "
               "to {what}{preview}\n")


def cannot_ask(interactive: bool, yes: bool, env: dict[str, str]) -> bool:
    """Pulumi would stop to ask for a confirmation no one can give."""
    skip = env.get("PULUMI_SKIP_CONFIRMATIONS", "")
    return not (interactive or yes or skip == "1" or skip.lower() == "true")
