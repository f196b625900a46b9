"""The attributes of the compiled validator's errors that schema.py reads (message,
instance, schema_path, absolute_path), each compared with jsonschema's
Draft202012Validator on the same schema and document; and its one deliberate difference,
a long value cut short in the message as escape.cut documents (`'aaaa…' (N characters)`)
where jsonschema prints it whole."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from mlinfra_compile.fastschema import FastValidator


def attributes(errors: Any) -> list[tuple[Any, ...]]:
    """What schema.py reads of an error (of schema_path: only its keyword, and whether it
    lies under propertyNames; jsonschema's holds the whole way to it)."""
    return [(e.validator, e.message, e.instance, list(e.schema_path)[-1],
             "propertyNames" in e.schema_path, list(e.absolute_path)) for e in errors]


CASES = [
    ({"type": "object", "required": ["name", "kind"]}, {"kind": 1}),
    ({"type": "object", "required": ["name", "kind"]}, {}),
    ({"type": "object", "properties": {"k": {"required": ["x"]}}}, {"k": {"y": None}}),
    ({"enum": ["a", "b"]}, 5),
    ({"enum": ["a", "b"]}, "c"),
    ({"enum": ["a", "b"]}, None),
    ({"enum": [1, 2]}, {"x": [1]}),
    ({"type": "object", "properties": {"p": {"enum": ["on", "off"]}}}, {"p": True}),
    ({"type": "object", "propertyNames": {"enum": ["a"]}}, {"b": 1}),
]


@pytest.mark.parametrize(("schema", "doc"), CASES)
def test_errors_carry_what_jsonschema_reports(schema, doc):
    ours = attributes(FastValidator(schema).iter_errors(doc))
    assert ours == attributes(Draft202012Validator(schema).iter_errors(doc))
    assert ours  # (each case is invalid)


def test_a_missing_property_is_named_in_the_message():
    [err] = FastValidator({"type": "object", "required": ["name"]}).iter_errors({"kind": 1})
    assert (err.validator, err.message, err.instance, err.schema_path) == \
        ("required", "'name' is a required property", {"kind": 1}, ["required"])


def test_a_value_not_in_an_enum_is_the_instance_of_the_error():
    [err] = FastValidator({"enum": ["a", "b"]}).iter_errors(5)
    assert (err.validator, err.message, err.instance, err.schema_path) == \
        ("enum", "5 is not one of ['a', 'b']", 5, ["enum"])


def test_a_long_value_is_cut_short_in_the_message():
    [err] = FastValidator({"enum": ["a", "b"]}).iter_errors("a" * 100)
    assert err.message == "'" + "a" * 32 + "…' (100 characters) is not one of ['a', 'b']"
    assert err.instance == "a" * 100
    # a list as reprlib abbreviates it (maxlist 4)
    [err] = FastValidator({"enum": ["a", "b"]}).iter_errors(list(range(6)))
    assert err.message == "[0, 1, 2, 3, ...] is not one of ['a', 'b']"
