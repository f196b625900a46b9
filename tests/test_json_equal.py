"""fastschema.json_equal, the equality `enum`, `const` and `uniqueItems` use: JSON Schema's
("Instance equality", JSON Schema Core 2020-12, section 4.2.2): both null, both booleans
and equal, both strings and equal, both numbers and mathematically equal (1 and 1.0),
both arrays of equal items in order, both objects with the same keys and equal values.
A boolean is not a number. Each case's expectation is that rule, applied by hand."""

from __future__ import annotations

import pytest

from mlinfra_compile.fastschema import json_equal


@pytest.mark.parametrize(("a", "b", "equal"), [
    (True, True, True), (False, False, True), (True, False, False), (False, True, False),
    (True, 1, False), (1, True, False), (False, 0, False), (0, False, False),
    (1, 1.0, True), (1, 2, False), ("a", "a", True), ("a", "b", False), (None, None, True),
    (None, False, False),
    # arrays: the same items in the same order, items compared by the same rule
    ([1, [2, "x"]], [1.0, [2.0, "x"]], True), ([], [], True), ([1, 2], [2, 1], False),
    ([1], [1, 1], False), ([1, 1], [1], False), ([True], [1], False), ([[1]], [[2]], False),
    ([None], [False], False), ([1, 2], [1, 3], False),
    # objects: the same keys, each value equal
    ({"a": [1], "b": True}, {"b": True, "a": [1.0]}, True), ({}, {}, True),
    ({"a": 1}, {"b": 1}, False), ({"a": 1}, {"a": 1, "b": 1}, False),
    ({"a": 1, "b": 1}, {"a": 1}, False), ({"a": True}, {"a": 1}, False),
    ({"a": 1}, {"a": 2}, False),
    # different kinds
    ([1], {"0": 1}, False), ("1", 1, False), ([], None, False),
])
def test_json_equality(a, b, equal):
    assert json_equal(a, b) is equal
    assert json_equal(b, a) is equal
