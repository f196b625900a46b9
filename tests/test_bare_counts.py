"""A bare number given for a duration (seconds) or a size (bytes): a non-negative whole
number, which YAML may load as a float (`0.0`, `30.0`). Zero is non-negative, so `0.0` is
zero seconds or bytes, as `0` is; a fraction, a negative number or a boolean is not a
count. Values worked out by hand."""

from __future__ import annotations

import pytest

from mlinfra_compile.units import parse_duration, parse_size

ROWS = [
    (0.0, 0), (-0.0, 0), (0, 0), (1.0, 1), (0.5, None), (-1.0, None), (-1, None),
    (True, None), (False, None), (None, None),
]


@pytest.mark.parametrize(("value", "count"), ROWS)
def test_a_bare_number_is_a_whole_non_negative_count(value, count):
    assert parse_duration(value) == count
    assert parse_size(value) == count
