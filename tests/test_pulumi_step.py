"""`stack._pulumi_step`, the one place deploy and destroy run a Pulumi command: what it
returns and the whole of what it writes, for each Outcome `child.run_forwarding` can
give and for a CLI that cannot be started. `run_forwarding` is replaced by a stand-in
(as in tests/test_deploy_in_process.py); Pulumi is never started.

Exit statuses (commands.py, README "Exit codes"): 0 OK, 4 TOOL when the Pulumi CLI is
missing or fails; an interrupted Pulumi's own status is passed on (child.py)."""

from __future__ import annotations

import pytest

from mlinfra_compile import child, stack

PULUMI = "/opt/pulumi/bin/pulumi"
SELECT = ["stack", "select", "--create", "dev", "--cwd", "/repo"]


def step(monkeypatch, capsys, args, outcome):
    """Run one step whose command ends with `outcome` (a child.Outcome, or an exception
    to raise): its status, stdout, stderr, and the argv the stand-in was given."""
    given: list[list[str]] = []

    def forwarding(argv: list[str], env: dict[str, str]) -> child.Outcome:
        given.append(argv)
        assert env == {"PULUMI_BACKEND_URL": "file:///state"}
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(child, "run_forwarding", forwarding)
    rc = stack._pulumi_step(PULUMI, list(args), {"PULUMI_BACKEND_URL": "file:///state"})
    text, err = capsys.readouterr()
    assert given == [[PULUMI, *args]]
    return rc, text, err


@pytest.mark.parametrize("interrupted", [False, True])
def test_a_command_that_succeeds_is_ok_and_silent(monkeypatch, capsys, interrupted):
    """Interrupted but exiting 0: Pulumi finished anyway (the interrupt came as it
    ended), so the step succeeded."""
    assert step(monkeypatch, capsys, SELECT, child.Outcome(0, interrupted)) == (0, "", "")


@pytest.mark.parametrize("code", [1, 255])
def test_a_command_that_fails_is_a_tool_error_naming_its_first_two_words(
        monkeypatch, capsys, code):
    rc, text, err = step(monkeypatch, capsys, SELECT, child.Outcome(code, False))
    assert (rc, text) == (4, "")
    assert err == f"mlinfra: error: `pulumi stack select` failed with exit code {code}\n"


@pytest.mark.parametrize("code", [1, 130, 255])
def test_an_interrupted_command_exits_with_pulumis_own_status(monkeypatch, capsys, code):
    """1: a Pulumi that cancelled gracefully exits 1 (passed on, not TOOL's 4);
    130 = 128 + SIGINT (2): a Pulumi a second interrupt ended."""
    rc, text, err = step(monkeypatch, capsys, ["up", "--stack", "dev"],
                         child.Outcome(code, True))
    assert (rc, text) == (code, "")
    assert err == (f"mlinfra: `pulumi up --stack` was interrupted; it cancelled and "
                   f"exited with {code}\n")


def test_a_cli_that_cannot_be_started_is_a_tool_error(monkeypatch, capsys):
    # (Popen raises what execve(2) failed with: ENOENT, errno 2 on Linux)
    missing = FileNotFoundError(2, "No such file or directory", PULUMI)
    rc, text, err = step(monkeypatch, capsys, SELECT, missing)
    assert (rc, text) == (4, "")
    assert err == ("mlinfra: error: cannot run /opt/pulumi/bin/pulumi: [Errno 2] No such "
                   "file or directory: '/opt/pulumi/bin/pulumi'\n")
