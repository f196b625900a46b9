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


# --- units.suggest_duration and suggest_size: the edges of "an obvious reading" ---------

def test_a_suggestion_is_made_up_to_twice_the_longest_value_and_no_further():
    from mlinfra_compile.units import MAX_LENGTH, suggest_duration, suggest_size

    limit = 2 * MAX_LENGTH  # 64: longer text is no value written by hand
    at = "90 seconds".ljust(limit)
    assert len(at) == limit and suggest_duration(at) == "90s"
    assert suggest_duration(at + " ") is None
    size = "512 mb".ljust(limit)
    assert suggest_size(size) == "512MiB" and suggest_size(size + " ") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("90 Seconds", "90s"),               # a unit in capitals reads as one
    ("1 Day 2 HOURS", "1d2h"),
    ("90 seconds please", None),         # words left over: no obvious reading
    ("   ", None),                       # nothing at all
    ("", None),
    ("30 minutes 1 day", "1d30m"),       # largest unit first
])
def test_a_duration_suggestion_reads_units_in_any_case_and_nothing_else(text, expected):
    from mlinfra_compile.units import suggest_duration

    assert suggest_duration(text) == expected


@pytest.mark.parametrize(("a", "b", "swapped"), [
    ("us-esat-1", "us-east-1", True),    # neighbours exchanged
    ("us-east-1", "us-east-1", False),   # the same
    ("us-tase-1", "us-east-1", False),   # exchanged, not neighbours
    ("us-eaxy-1", "us-east-1", False),   # two neighbours differ, not each other's
    ("us-eas-1", "us-east-1", False),    # lengths differ
    ("su-east-1", "us-east-1", True),    # at the start
    ("us-east1-", "us-east-1", True),    # at the end
])
def test_two_neighbouring_letters_exchanged(a, b, swapped):
    from mlinfra_compile.regions import _swapped

    assert _swapped(a, b) is swapped
