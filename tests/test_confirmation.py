"""Issue 26 (8g): `pulumi up` and `pulumi destroy` ask for confirmation. At a terminal
mlinfra lets Pulumi ask; away from one (stdin not a terminal, or CI set) Pulumi cannot, and
without --yes it fails with "--yes or --skip-preview must be passed in to proceed when
running in non-interactive mode" (pulumi/pulumi pkg/cmd/pulumi/operations/up.go and
destroy.go). So mlinfra passes --yes only when the user gave it, and otherwise stops
first with a message saying to pass it. A fake `pulumi` on PATH records argv; the terminal
is a real pseudo-terminal."""

from __future__ import annotations

import os
import sys

import pytest

from tests.conftest import fake_on_path
from tests.golden import REPO, run_cli
from tests.test_deploy import FAKE, _finish, copy_repo, logged_calls

NO_TERMINAL = "there is no terminal to ask at"


@pytest.fixture
def calls(tmp_path, monkeypatch):
    """test_deploy's fake `pulumi` first on PATH, outside CI; what it recorded."""
    fake_on_path(tmp_path, monkeypatch, FAKE.format())
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("FAKE_PULUMI_LOG", str(log))
    for name in ("PULUMI_BACKEND_URL", "CI", "PULUMI_SKIP_CONFIRMATIONS"):
        monkeypatch.delenv(name, raising=False)
    return lambda: logged_calls(log)


def _on_a_terminal(root, *args, ci=False):
    """`mlinfra ARGS` as a person runs it: stdin, stdout and stderr a pseudo-terminal.
    Returns its exit status and what it printed."""
    import pty

    env = {**os.environ, "PYTHONPATH": str(REPO)}  # (PATH, the log: the `calls` fixture's)
    if ci:
        env["CI"] = "true"
    pid, master = pty.fork()
    if pid == 0:  # the child, on the terminal
        os.execve(sys.executable, [sys.executable, "-m", "mlinfra_compile", "--root",
                                   str(root), *args], env)
    return _finish(pid, master)


def _run(calls, command):
    """The argv of the one call of `pulumi COMMAND`, or None when it was not run."""
    found = [c["argv"] for c in calls() if c["argv"][:1] == [command]]
    assert len(found) <= 1, found
    return found[0] if found else None


@pytest.mark.parametrize("command", ["deploy", "destroy"])
def test_at_a_terminal_pulumi_asks(calls, tmp_path, command):
    root = copy_repo(tmp_path)
    code, output = _on_a_terminal(root, command, "dev")
    assert code == 0, output
    argv = _run(calls, "up" if command == "deploy" else "destroy")
    assert argv is not None, output
    assert "--yes" not in argv and "--non-interactive" not in argv  # Pulumi asks


@pytest.mark.parametrize("command", ["deploy", "destroy"])
def test_at_a_terminal_yes_is_passed_on(calls, tmp_path, command):
    root = copy_repo(tmp_path)
    code, output = _on_a_terminal(root, command, "dev", "--yes")
    assert code == 0, output
    argv = _run(calls, "up" if command == "deploy" else "destroy")
    assert "--yes" in argv and "--non-interactive" not in argv


@pytest.mark.parametrize("command", ["deploy", "destroy"])
def test_without_a_terminal_and_without_yes_nothing_runs(calls, tmp_path, command):
    """(pytest's stdin is no terminal)"""
    assert not sys.stdin.isatty()
    root = copy_repo(tmp_path)
    rc, _, err = run_cli(root, command, "dev")
    assert rc == 2, err
    assert NO_TERMINAL in err and "rerun with --yes" in err, err
    assert _run(calls, "up" if command == "deploy" else "destroy") is None


@pytest.mark.parametrize("command", ["deploy", "destroy"])
def test_a_terminal_in_ci_is_no_terminal_either(calls, tmp_path, command):
    """Pulumi counts a CI run as non-interactive even at a terminal (cmdutil.Interactive:
    a terminal and not CI), and so does mlinfra."""
    root = copy_repo(tmp_path)
    code, output = _on_a_terminal(root, command, "dev", ci=True)
    assert code == 2, output
    assert NO_TERMINAL in output and "rerun with --yes" in output
    assert _run(calls, "up" if command == "deploy" else "destroy") is None


@pytest.mark.parametrize("command", ["deploy", "destroy"])
def test_without_a_terminal_yes_is_passed_on(calls, tmp_path, command):
    root = copy_repo(tmp_path)
    rc, _, err = run_cli(root, command, "dev", "--yes")
    assert rc == 0, err
    argv = _run(calls, "up" if command == "deploy" else "destroy")
    assert "--yes" in argv and "--non-interactive" in argv
    assert NO_TERMINAL not in err


@pytest.mark.parametrize("command", ["deploy", "destroy"])
def test_pulumi_skip_confirmations_is_a_yes_pulumi_reads_itself(calls, tmp_path, monkeypatch,
                                                                command):
    """PULUMI_SKIP_CONFIRMATIONS=true (or 1) lets Pulumi proceed without --yes (up.go:
    `yes = yes || skipPreview || env.SkipConfirmations.Value()`); mlinfra then neither
    stops nor adds --yes itself."""
    root = copy_repo(tmp_path)
    monkeypatch.setenv("PULUMI_SKIP_CONFIRMATIONS", "TRUE")
    rc, _, err = run_cli(root, command, "dev")
    assert rc == 0, err
    argv = _run(calls, "up" if command == "deploy" else "destroy")
    assert "--yes" not in argv and "--non-interactive" in argv
    monkeypatch.setenv("PULUMI_SKIP_CONFIRMATIONS", "no")  # (not a truthy value to Pulumi)
    rc, _, err = run_cli(root, command, "dev")
    assert rc == 2 and NO_TERMINAL in err


def test_a_preview_needs_no_yes(calls, tmp_path):
    root = copy_repo(tmp_path)
    rc, _, err = run_cli(root, "deploy", "dev", "--preview")
    assert rc == 0, err
    assert "--yes" not in _run(calls, "preview")
