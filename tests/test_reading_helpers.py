"""adopting.kind and Reading.cannot: what a value that is not what mlinfra reads is called
in the message, and that a key listed as something mlinfra cannot express is not listed a
second time as an argument it does not model."""

from __future__ import annotations

import pytest

from mlinfra_compile.providers.adopting import Reading, kind
from mlinfra_compile.state import StateResource


@pytest.mark.parametrize(("value", "words"), [
    (True, "true or false"), (1.5, "a fraction"), (float("inf"), "not a finite number"),
    (3, "out of range"), ("x", "a string"), ([1], "a list"), ({"a": 1}, "an object"),
])
def test_each_json_value_is_named(value, words):
    assert kind(value) == words


def test_a_key_that_cannot_be_expressed_is_listed_once():
    r = StateResource(urn="urn:pulumi:dev::p::t:m:T::x", type="t:m:T", outputs={}, id="x",
                      inputs={"odd": 5, "other": 1})
    a = Reading(r)
    a.cannot("odd", "mlinfra writes no odd")
    assert a.rest() == ["odd = 5: mlinfra writes no odd",
                        "other = 1: mlinfra does not model it"]
