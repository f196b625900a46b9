"""The indexes an estimate builds once (providers/lines.Priced) and pricing.missing, on
hand-built graphs: what a `$ref` at a path names, among the resources of one type only,
skipping what a graph mlinfra did not write may hold instead of a resource."""

from __future__ import annotations

from mlinfra_compile.providers import pricing
from mlinfra_compile.providers.lines import Priced


def _ref(name: str) -> dict:
    return {"$ref": name, "attr": "id"}


RESOURCES = {
    "s1": {"type": "t:sub", "args": {"dlp": {"topic": _ref("dead-a")}}},
    "s2": {"type": "t:sub", "args": {"dlp": {"topic": _ref("dead-b")}}},
    "s3": {"type": "t:sub", "args": {"dlp": {"topic": "not-a-ref"}}},
    "s4": {"type": "t:sub", "args": {"dlp": ["a", "list"]}},
    "s5": {"type": "t:sub"},  # (no args at all)
    "o1": {"type": "t:other", "args": {"dlp": {"topic": _ref("elsewhere")}}},
    "junk": ["not", "a", "resource"],
    "none": None,
}


def test_referred_names_what_the_path_refers_to_in_resources_of_one_type_only():
    g = Priced(RESOURCES, {})  # type: ignore[arg-type]
    assert g.referred("t:sub", "dlp", "topic", "$ref") == frozenset({"dead-a", "dead-b"})
    assert g.referred("t:other", "dlp", "topic", "$ref") == frozenset({"elsewhere"})
    assert g.referred("t:none", "dlp", "topic", "$ref") == frozenset()
    # asked again, the same answer, kept
    first = g.referred("t:sub", "dlp", "topic", "$ref")
    assert g.referred("t:sub", "dlp", "topic", "$ref") is first


def test_of_type_lists_the_resources_of_a_type_in_the_graphs_order():
    g = Priced(RESOURCES, {})  # type: ignore[arg-type]
    assert g.of_type("t:sub") == [RESOURCES[n] for n in ("s1", "s2", "s3", "s4", "s5")]
    assert g.of_type("t:other") == [RESOURCES["o1"]]
    assert g.of_type("t:missing") == []


def test_missing_names_each_absent_argument_in_the_order_asked():
    r = {"name": "x", "args": {"tier": "BASIC"}}
    (line,) = pricing.missing(r, "memory_size_gb", "tier", "region")
    assert line.kind == pricing.NO_PRICE and line.monthly is None
    assert line.basis == "no price: its memory_size_gb, region is not in the graph"
    assert pricing.missing(r, "tier") == []
    assert pricing.missing({"args": {}}) == []
