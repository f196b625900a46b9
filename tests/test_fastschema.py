"""The compiled validator reports exactly what jsonschema's reference validator reports."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from mlinfra_compile.fastschema import FastValidator
from tests.strategies import SCHEMA, WORDS, from_schema

REFERENCE = Draft202012Validator(SCHEMA)
FAST = FastValidator(SCHEMA)

def signature(errors: Any) -> list[tuple[Any, ...]]:
    return sorted((tuple(map(str, e.absolute_path)), e.validator,
                   "propertyNames" in list(e.schema_path)) for e in errors)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(from_schema(SCHEMA))
def test_same_errors_as_jsonschema(doc):
    assert signature(FAST.iter_errors(doc)) == signature(REFERENCE.iter_errors(doc))


def test_every_shipped_and_case_file_agrees():
    from mlinfra_compile.loader import LoadedFile, parse_bytes
    from tests.golden import CASES, REPO

    files = [*REPO.joinpath("environments").glob("*.yaml"), *CASES.glob("*/environments/*.yaml")]
    checked = 0
    for f in files:
        loaded = parse_bytes(f.read_bytes(), LoadedFile(f.name))
        if loaded.data is not None:
            assert signature(FAST.iter_errors(loaded.data)) == \
                signature(REFERENCE.iter_errors(loaded.data)), f
            checked += 1
    assert checked > 50


def test_unsupported_keywords_are_refused_not_ignored():
    with pytest.raises(ValueError, match="unsupported schema keywords"):
        FastValidator({"type": "object", "oneOf": [{"type": "string"}]})


def subschemas(node: Any) -> list[dict[str, Any]]:
    out = []
    if isinstance(node, dict):
        if any(k in node for k in ("minimum", "maximum", "minLength", "maxLength", "pattern",
                                   "enum", "type")):
            out.append(node)
        for v in node.values():
            out.extend(subschemas(v))
    elif isinstance(node, list):
        for v in node:
            out.extend(subschemas(v))
    return out


def boundary_values(s: dict[str, Any]) -> list[Any]:
    values: list[Any] = [None, True, False, "", "x", [], {}, 0, -1, 1.5, *WORDS]
    for kw in ("minimum", "maximum"):
        if kw in s:
            b = s[kw]
            values += [b - 1, b, b + 1, float(b), b - 0.5, b + 0.5]
    for kw in ("minLength", "maxLength"):
        if kw in s:
            b = s[kw]
            values += ["a" * max(b - 1, 0), "a" * b, "a" * (b + 1)]
    values += [v for v in s.get("enum", []) if v is not None]
    return values


def test_boundaries_of_every_constraint_agree():
    checked = 0
    for sub in subschemas(SCHEMA):
        schema = {**sub, "$defs": SCHEMA["$defs"]}
        fast, ref = FastValidator(schema), Draft202012Validator(schema)
        for value in boundary_values(sub):
            assert signature(fast.iter_errors(value)) == signature(ref.iter_errors(value)), \
                (sub.get("description", sub), value)
            checked += 1
    assert checked > 2000
