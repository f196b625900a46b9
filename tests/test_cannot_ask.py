"""child.cannot_ask: whether Pulumi would stop to ask for a confirmation no one can give.
Pulumi proceeds without asking when it runs interactively, when --yes is passed, or when
PULUMI_SKIP_CONFIRMATIONS is truthy: `1` or `true` in any case (pulumi CHANGELOG after
2.1.1, #4477; cmdutil.IsTruthy). Each row is worked out from that rule by hand."""

from __future__ import annotations

import pytest

from mlinfra_compile.child import cannot_ask

ROWS = [
    # interactive, yes, environment, Pulumi would stop and ask no one
    (False, False, {}, True),
    (False, False, {"PULUMI_SKIP_CONFIRMATIONS": "1"}, False),
    (False, False, {"PULUMI_SKIP_CONFIRMATIONS": "true"}, False),
    (False, False, {"PULUMI_SKIP_CONFIRMATIONS": "True"}, False),
    (False, False, {"PULUMI_SKIP_CONFIRMATIONS": ""}, True),
    (False, False, {"PULUMI_SKIP_CONFIRMATIONS": "0"}, True),
    (False, False, {"PULUMI_SKIP_CONFIRMATIONS": "yes"}, True),
    (False, False, {"PULUMI_SKIP_CONFIRMATIONS": "11"}, True),
    (False, True, {}, False),
    (True, False, {}, False),
    (True, True, {"PULUMI_SKIP_CONFIRMATIONS": "0"}, False),
]


@pytest.mark.parametrize(("interactive", "yes", "env", "stops"), ROWS)
def test_pulumi_stops_only_when_nothing_lets_it_proceed(interactive, yes, env, stops):
    assert cannot_ask(interactive, yes, env) is stops
