"""Run Pulumi so that Ctrl-C cancels it cleanly instead of killing it mid-operation.

`subprocess.run` kills its child when the parent gets KeyboardInterrupt: with the real
CLI that leaves pending operations in the state and the stack locked. Here the parent
keeps waiting, and each SIGINT or SIGTERM it receives reaches Pulumi as one SIGINT:
Pulumi's first interrupt cancels gracefully (it finishes the operations in flight and
writes the state), a second forces. The parent exits with Pulumi's status.

A Ctrl-C typed at a terminal is delivered by the kernel to the whole foreground process
group, Pulumi included; forwarding it too would be Pulumi's second interrupt, so it is
not forwarded. Where the platform says who sent a signal (`sigtimedwait`: si_code
SI_KERNEL for the terminal, SI_USER for `kill`), that decides; elsewhere a SIGINT counts
as the terminal's while this process group owns the controlling terminal. SIGTERM (a
cancelled CI job, `kill`) reaches only this process and is always passed on, as SIGINT,
the signal Pulumi cancels on. The signals are blocked before Pulumi starts (and unblocked
in Pulumi), so none is lost or kills this process in between.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass

SIGNALS = (signal.SIGINT, signal.SIGTERM)
SI_KERNEL = 0x80  # <asm-generic/siginfo.h>: sent by the kernel (a terminal's Ctrl-C)


@dataclass
class Outcome:
    code: int  # the child's exit status; 128 + N when signal N ended it
    interrupted: bool  # a SIGINT or SIGTERM arrived while it ran


def _owns_terminal() -> bool:
    """This process group is the foreground group of the controlling terminal."""
    try:
        fd = os.open("/dev/tty", os.O_RDONLY | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return False  # no controlling terminal (CI): every signal was sent to us alone
    try:
        return os.tcgetpgrp(fd) == os.getpgrp()
    except OSError:
        return False
    finally:
        os.close(fd)


def _from_terminal(signum: int, si_code: int | None) -> bool:
    if signum != signal.SIGINT:
        return False
    if si_code is not None:
        return si_code == SI_KERNEL
    return _owns_terminal()


def _forward(proc: subprocess.Popen[bytes], signum: int, si_code: int | None) -> None:
    if proc.poll() is None and not _from_terminal(signum, si_code):
        with contextlib.suppress(ProcessLookupError):  # it just ended
            proc.send_signal(signal.SIGINT)


def run_forwarding(argv: list[str], env: dict[str, str]) -> Outcome:
    """Run `argv` with interrupts forwarded as described above. OSError when it cannot
    be started."""
    if not hasattr(signal, "sigtimedwait"):  # macOS: no siginfo, use handlers
        return _run_with_handlers(argv, env)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    interrupted = False
    try:
        proc = subprocess.Popen(
            argv, env=env,
            preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, previous))
        while proc.poll() is None:
            info = signal.sigtimedwait(SIGNALS, 0.1)
            if info is not None:
                interrupted = True
                _forward(proc, info.si_signo, info.si_code)
        code = proc.wait()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return Outcome(code if code >= 0 else 128 - code, interrupted)


def _run_with_handlers(argv: list[str], env: dict[str, str]) -> Outcome:
    interrupted: list[int] = []
    proc: subprocess.Popen[bytes] | None = None

    def on_signal(signum: int, _frame: object) -> None:
        interrupted.append(signum)
        if proc is not None:
            _forward(proc, signum, None)

    previous = {s: signal.signal(s, on_signal) for s in SIGNALS}
    try:
        proc = subprocess.Popen(argv, env=env)
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
