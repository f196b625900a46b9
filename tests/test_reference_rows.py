"""The language reference's table rows (reference.py, what `make docs` writes), from
schema fragments written here: cells on one line with `|` escaped, each kind of value in
words, and a field, key or setting without an example or a description shown with those
cells empty, never with a placeholder."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mlinfra_compile import reference


def test_a_cell_is_one_line_with_its_pipes_escaped():
    assert reference.cell("a | b\n  c") == "a \\| b c"


@pytest.mark.parametrize(("schema", "words"), [
    ({"type": ["object", "string", "null"]}, "string or mapping"),
    ({"type": ["object", "null"]}, "mapping"),
    ({"type": ["integer", "string"]}, "integer or string"),
    ({"type": ["boolean"]}, "true/false"),
    ({"type": ["number"]}, "number"),  # (a type without words of its own: its name)
    ({"type": ["array", "null"]}, "list"),
    ({}, ""),
    ({"enum": ["a", None, 2]}, "one of `a`, `2`"),
    ({"title": "A Duration", "type": ["string"]}, "a duration"),
])
def test_each_kind_of_value_in_words(schema, words):
    assert reference.kind_of(schema) == words


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip("|").split(" | ")]


def test_a_field_without_example_or_description_has_those_cells_empty():
    row = reference.field_rows("queue", {"zz": SimpleNamespace(schema={"type": ["string"]})})
    cells = _cells(row[-1])
    assert cells[0:2] == ["`zz`", "string"] and cells[5:] == ["", "", ""]
    row = reference.field_rows("queue", {"zz": SimpleNamespace(schema={
        "type": ["string"], "examples": ["e"], "description": "d"})})
    assert _cells(row[-1])[5] == "`e`" and _cells(row[-1])[-1] == "d"


def test_a_top_key_without_example_or_description_has_those_cells_empty(monkeypatch):
    monkeypatch.setattr("mlinfra_compile.schema.build_schema",
                        lambda: {"properties": {"x": {"type": ["string"]},
                                                "y": {"type": ["integer"], "examples": [3],
                                                      "description": "why"}}})
    assert reference.top_rows()[2:] == ["| `x` | string |  |  |", "| `y` | integer | `3` | why |"]


def test_a_setting_without_example_or_description_has_those_cells_empty(monkeypatch):
    cloud = SimpleNamespace(name="c", settings={"k": {"type": ["string"]},
                                                "m": {"type": ["string"], "examples": ["v"],
                                                      "description": "a | b"}})
    monkeypatch.setattr(reference, "CLOUDS", {"c": cloud})
    assert reference.cloud_rows()[2:] == ["| `providers.c.k` | string |  |  |",
                                          "| `providers.c.m` | string | `v` | a \\| b |"]
