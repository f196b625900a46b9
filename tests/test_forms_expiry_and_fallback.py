"""forms.form_of where no title says the form: an `expiry` (the last key of its path, at
any depth: the editor passes whole paths, lint the last two keys), and a pattern that no
table explains, named as the pattern itself."""

from __future__ import annotations

import pytest

from mlinfra_compile.forms import form_of

PATTERN = "^(never|(?=[0-9])(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?)$"
EXPIRY = ("`never` or a duration (an integer number of seconds, or parts Nd Nh Nm Ns in "
          "that order (90s, 1d, 1h30m))")


@pytest.mark.parametrize("keys", [("expiry",), ("subscriptions", "expiry"),
                                  ("queues", "subscriptions", "expiry")],
                         ids=["one", "two", "three"])
def test_an_expiry_is_never_or_a_duration_whatever_its_depth(keys):
    assert form_of(keys, {"pattern": PATTERN}) == EXPIRY


def test_a_pattern_no_table_explains_is_named_as_it_is():
    assert form_of(("colour",), {"pattern": "^[a-z]{3}$"}) == "of the expected form ^[a-z]{3}$"
