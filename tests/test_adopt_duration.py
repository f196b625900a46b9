"""adopting.duration: a duration read back from the state (seconds) in its one largest
whole unit, as people write them; each expected text worked out by hand (1d = 86400 s,
1h = 3600 s, 1m = 60 s)."""

from __future__ import annotations

import pytest

from mlinfra_compile.providers.adopting import duration


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (59, "59s"), (90, "90s"), (60, "1m"), (5400, "90m"), (3540, "59m"),
    (3600, "1h"), (7200, "2h"), (82800, "23h"), (86400, "1d"), (1209600, "14d"),
    (90000, "25h"), (86460, "1441m"), (86401, "86401s"),
])
def test_a_duration_is_written_in_its_largest_whole_unit(seconds, text):
    assert duration(seconds) == text
