"""Small rules on both sides of each condition, on values written here: how a read cap is
said, which regions the environment adds, which diagnostics belong to a part a salvaged
compile left out, and what counts as the same .gitignore entry."""

from __future__ import annotations

import pytest

from mlinfra_compile.diagnostics import Diagnostic
from mlinfra_compile.init import _ignore_key
from mlinfra_compile.reading import megabytes
from mlinfra_compile.regions import _extra
from mlinfra_compile.salvage import left_out


@pytest.mark.parametrize(("cap", "said"), [
    (1000, "1000 bytes"), (2**20 - 1, "1048575 bytes"), (2**20, "1 MiB"),
    (3 * 2**19, "1.5 MiB")])
def test_a_cap_is_said_in_mib_from_one_mib(cap, said):
    assert megabytes(cap) == said


def test_no_extra_region_unless_the_environment_names_some(monkeypatch):
    monkeypatch.delenv("MLINFRA_EXTRA_REGIONS", raising=False)
    assert _extra() == set()
    monkeypatch.setenv("MLINFRA_EXTRA_REGIONS", " eu-new-1, ,us-new-2 ")
    assert _extra() == {"eu-new-1", "us-new-2"}


def _diag(path: str) -> Diagnostic:
    return Diagnostic("f.yaml", 1, 1, "error", path, "m", "MLC000")


@pytest.mark.parametrize(("path", "out"), [
    ("queues.a", True), ("queues.a.delay", True), ("queues.a[0]", True),
    ("queues.ab", False), ("queues.b", False), ("queues", False)])
def test_a_diagnostic_is_left_out_with_its_part_and_what_is_under_it(path, out):
    assert left_out(_diag(path), {("queues", "a"), ()}) is out


@pytest.mark.parametrize(("line", "key"), [
    (".mlinfra/", ".mlinfra"), ("/.mlinfra", ".mlinfra"), (" .mlinfra ", ".mlinfra"),
    ("build-X/", "build-X"), ("X", "X")])
def test_a_gitignore_entry_is_the_same_with_or_without_its_slashes(line, key):
    assert _ignore_key(line) == key
