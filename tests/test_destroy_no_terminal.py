"""`mlinfra destroy` away from a terminal and at one, in process (a fake `pulumi` on PATH
records argv). Away from a terminal (CI set) and without --yes, `pulumi destroy` would
stop with "--yes or --skip-preview must be passed in to proceed when running in
non-interactive mode" (pulumi/pulumi pkg/cmd/pulumi/operations/destroy.go), so mlinfra
stops first with the whole message below. At a terminal Pulumi asks the person itself."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import fake_on_path
from tests.golden import run_cli
from tests.test_deploy import copy_repo, logged_calls
from tests.test_live_stack import FAKE, compiled, output_argv, recorded


@pytest.fixture
def pulumi_calls(tmp_path, monkeypatch):
    """The fake `pulumi` first on PATH; the argv of each call it got."""
    fake_on_path(tmp_path, monkeypatch, FAKE.format())
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("FAKE_PULUMI_LOG", str(log))
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "test")
    for name in ("PULUMI_BACKEND_URL", "CI", "PULUMI_SKIP_CONFIRMATIONS",
                 "FAKE_PULUMI_OUTPUTS", "FAKE_PULUMI_EXPORT", "FAKE_PULUMI_FAIL"):
        monkeypatch.delenv(name, raising=False)
    return lambda: [c["argv"] for c in logged_calls(log)]


class _Terminal:
    """A stdin that is a terminal (pytest's is not)."""

    def isatty(self) -> bool:
        return True


def test_destroy_in_ci_without_yes_stops_with_the_whole_message(pulumi_calls, tmp_path,
                                                               monkeypatch):
    root = copy_repo(tmp_path)
    recorded(tmp_path, monkeypatch, compiled(root, "dev"))
    monkeypatch.setenv("CI", "true")
    assert run_cli(root, "destroy", "dev") == (
        2, "",
        "mlinfra: error: `pulumi destroy` asks for confirmation, and there is no terminal "
        "to ask at (stdin is not a terminal, or CI is set); rerun with --yes to destroy "
        "stack dev\n")
    assert pulumi_calls() == [output_argv("dev", root)]  # no destroy


def test_destroy_at_a_terminal_lets_pulumi_ask(pulumi_calls, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    recorded(tmp_path, monkeypatch, compiled(root, "dev"))
    monkeypatch.setattr(sys, "stdin", _Terminal())
    rc, _, err = run_cli(root, "destroy", "dev")
    assert (rc, err) == (0, "")
    cwd = str(root.resolve())
    # at a terminal: neither --non-interactive nor --yes, so Pulumi asks the person
    assert pulumi_calls() == [
        ["stack", "output", "--json", "--stack", "dev", "--cwd", cwd],
        ["destroy", "--stack", "dev", "--cwd", cwd]]


def test_destroy_without_a_pulumi_project_names_the_stack(pulumi_calls, tmp_path):
    root = copy_repo(tmp_path)
    (root / "Pulumi.yaml").unlink()
    assert run_cli(root, "destroy", "dev", "--yes") == (
        1, "",
        f"mlinfra: error: {root.resolve()} has no Pulumi.yaml, so there is no Pulumi "
        "project for stack dev: add one whose program calls "
        "mlinfra_compile.backends.pulumi_program.run() (README, \"Deploying\"), or write a "
        "repository with `mlinfra init`\n")
    assert pulumi_calls() == []
