"""providers.adopting.kebab: a Pulumi logical name as a declaration name is read from
(mlTrainingQueue -> ml-training-queue): camelCase words split, lowercase, every run of
characters other than a-z and 0-9 one `-`, and none first or last (adopt._unique then
makes it a declaration name: tests/test_adopt_names.py)."""

from __future__ import annotations

import pytest

from mlinfra_compile.providers.adopting import kebab


@pytest.mark.parametrize("name, expected", [
    ("mlTrainingQueue", "ml-training-queue"),
    ("ml_sessions", "ml-sessions"),
    ("_ml_sessions_", "ml-sessions"),          # `_` first and last: no `-` left there
    ("--Queue--", "queue"),
    (" jobs ", "jobs"),                        # spaces are runs like any other
    ("ml.sessions v2", "ml-sessions-v2"),
    ("__", ""),                                # nothing but separators: nothing
])
def test_a_logical_name_in_kebab_case(name, expected):
    assert kebab(name) == expected
