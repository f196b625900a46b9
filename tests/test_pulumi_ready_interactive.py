"""stack.pulumi_ready, in this process: Pulumi runs with `--non-interactive` unless a
person is at the terminal, and a terminal under CI (the variable `CI`, which GitHub
Actions, GitLab CI and most CI services set to `true`) is no person. Environment variable
names are case-sensitive here (POSIX), so only `CI` itself counts."""

from __future__ import annotations

import os
import sys

import pytest

from mlinfra_compile import stack
from tests.conftest import fake_on_path
from tests.test_drift_cases import NEVER_RUN


class _Terminal:
    """A stdin that is a terminal (pytest's is not)."""

    def isatty(self) -> bool:
        return True


class _Pipe:
    """A stdin that is no terminal (a pipe, a file)."""

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize(("ci", "extra"), [
    (None, []),  # a person at the terminal: Pulumi may ask
    ("true", ["--non-interactive"]),
], ids=["terminal", "terminal-under-ci"])
def test_only_a_terminal_outside_ci_lets_pulumi_ask(tmp_path, monkeypatch, ci, extra):
    bindir = fake_on_path(tmp_path, monkeypatch, NEVER_RUN)
    (tmp_path / "Pulumi.yaml").write_text("name: mlinfra\nruntime: python\n")
    for name in ("CI", "ci", "XXCIXX"):
        monkeypatch.delenv(name, raising=False)
    if ci is not None:
        monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("PULUMI_BACKEND_URL", "s3://acme-pulumi-state")
    monkeypatch.setattr(sys, "stdin", _Terminal())
    assert stack.pulumi_ready(str(tmp_path), "dev") == (
        str(bindir / "pulumi"), dict(os.environ), extra)


def test_no_terminal_is_non_interactive_without_ci(tmp_path, monkeypatch):
    bindir = fake_on_path(tmp_path, monkeypatch, NEVER_RUN)
    (tmp_path / "Pulumi.yaml").write_text("name: mlinfra\nruntime: python\n")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("PULUMI_BACKEND_URL", "s3://acme-pulumi-state")
    monkeypatch.setattr(sys, "stdin", _Pipe())
    assert stack.pulumi_ready(str(tmp_path), "dev") == (
        str(bindir / "pulumi"), dict(os.environ), ["--non-interactive"])
