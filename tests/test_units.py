from __future__ import annotations

import pytest

from mlinfra_compile.units import format_duration, format_size, parse_duration, parse_size


@pytest.mark.parametrize(("text", "seconds"), [
    (90, 90), ("90s", 90), ("1d", 86400), ("1h30m", 5400), ("2d12h", 216000),
    ("0s", 0), ("1d1h1m1s", 90061), (0, 0), (30.0, 30),
])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "90 s", "1h1d", "1.5h", "-5", -5, True, "s", "1w", None])
def test_bad_durations(text):
    assert parse_duration(text) is None


@pytest.mark.parametrize(("text", "n"), [
    (1024, 1024), ("256KiB", 262144), ("1MiB", 1048576), ("1GiB", 1 << 30), ("12B", 12),
])
def test_sizes(text, n):
    assert parse_size(text) == n


@pytest.mark.parametrize("text", ["256KB", "1 GiB", "1gib", "", -1, False, "1.5GiB"])
def test_bad_sizes(text):
    assert parse_size(text) is None


def test_formats_round_trip():
    for n in (0, 59, 90, 3600, 5400, 86400, 1209600):
        assert parse_duration(format_duration(n)) == n
    for n in (1, 1024, 262144, 1 << 30, 1500):
        assert parse_size(format_size(n)) == n
