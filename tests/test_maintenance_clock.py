"""A Memorystore maintenance window's start time read back (gcp_redis_adopt._clock), on
each side of each bound: the API's TimeOfDay (google.type.TimeOfDay: hours 0..23,
minutes 0..59, seconds, nanos; an unset field is 0) becomes HH:MM only when it is on the
minute."""

from __future__ import annotations

import pytest

from mlinfra_compile.providers.gcp_redis_adopt import _clock


@pytest.mark.parametrize(("start", "clock"), [
    ({}, "00:00"),  # every field unset: midnight
    ({"hours": 3}, "03:00"),
    ({"hours": 0, "minutes": 0}, "00:00"),
    ({"hours": 23, "minutes": 59}, "23:59"),
    ({"hours": 3.0, "minutes": 30.0}, "03:30"),  # (JSON numbers)
    ({"hours": 24}, None),
    ({"hours": -1}, None),
    ({"hours": 3, "minutes": 60}, None),
    ({"hours": 3, "minutes": -1}, None),
    ({"hours": 3, "seconds": 1}, None),  # not on the minute
    ({"hours": 3, "nanos": 5}, None),
    ({"hours": 3, "seconds": 0, "nanos": 0}, "03:00"),
    ({"hours": "3"}, None),
])
def test_a_start_time_on_the_minute_is_hh_mm(start, clock):
    assert _clock(start) == clock
