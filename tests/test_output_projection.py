"""statediff._project: an output the old program left to the provider, cut down to the
parts the new graph sets, so that what the provider computed besides (the rest of a
nested object, the other keys of each element of a list) is not shown as a change.
Every expected value is worked out by hand from the rule: a dict keeps the keys the new
value names (recursively), a list of the same length is projected element by element,
and anything else (a reference, a scalar, lists of other lengths) is the old value."""

from __future__ import annotations

import pytest

from mlinfra_compile.statediff import _project

RUNS = {"host": "10.0.0.3", "port": 6379}  # (a Memorystore endpoint as the state holds it)


@pytest.mark.parametrize("old, new, expected", [
    # nested objects: only the keys the graph sets, at every depth
    ({"persistence": {"mode": "RDB", "rdb_period": "ONE_HOUR"}, "tier": "BASIC"},
     {"persistence": {"mode": "AOF"}},
     {"persistence": {"mode": "RDB"}}),
    # a key the state does not hold is left out, not invented
    ({"a": 1}, {"a": 2, "b": 3}, {"a": 1}),
    # a reference ($ref) stands for a whole output: compared whole, never by its keys
    (RUNS, {"$ref": "cache", "attr": "endpoint"}, RUNS),
    # lists of one length: element by element
    ([{"name": "a", "id": "x1"}, {"name": "b", "id": "x2"}],
     [{"name": "c"}, {"name": "d"}],
     [{"name": "a"}, {"name": "b"}]),
    ([[{"k": 1, "v": 2}]], [[{"k": 0}]], [[{"k": 1}]]),
    # lists of other lengths: the old list as it is
    ([{"name": "a", "id": "x1"}, {"name": "b", "id": "x2"}], [{"name": "c"}],
     [{"name": "a", "id": "x1"}, {"name": "b", "id": "x2"}]),
    ([{"name": "a", "id": "x1"}], [], [{"name": "a", "id": "x1"}]),
    # shapes that differ: the old value as it is
    ({"a": 1}, [{"a": 1}], {"a": 1}),
    ("ab", ["a", "b"], "ab"),
    ([{"a": 1}], {"a": 2}, [{"a": 1}]),
    ({"a": 1}, "a", {"a": 1}),
    ("RDB", "AOF", "RDB"),
])
def test_an_output_keeps_only_what_the_new_graph_sets(old, new, expected):
    assert _project(old, new) == expected
