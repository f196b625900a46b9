"""statediff._align: the state's value written as the compiled one where they mean the
same, else the state's value as it is (so the difference shows); and statediff.compare,
which judges a change by what the stack reports its resources run.

_align's rule, from which every expected value below is worked out by hand: a reference
{"$ref": R, "attr": A} is the compiled value when the state's value is R's A (or R's id,
for A = name only: a Pub/Sub subscription's topic compares by name or by id); lists of one
length are aligned element by element; two values of one type that are equal, or two equal
numbers (1 and 1.0), are the compiled value; anything else is the state's value."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mlinfra_compile.difftext import diff_text
from mlinfra_compile.state import checkpoint
from mlinfra_compile.statediff import _align, compare
from tests.test_takeover_running import _graph, _stack_holding

# One SQS queue as a state holds it: its id is its URL (pulumi-aws sqs.Queue docstring:
# "import using the queue url"), its arn an attribute of its own.
URL = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-dlq"
ARN = "arn:aws:sqs:us-east-1:123456789012:jobs-dlq"
STATE = {("jobs-dlq", "id"): URL, ("jobs-dlq", "arn"): ARN, ("jobs-dlq", "name"): "jobs-dlq"}


def resolve(name: str, attr: str) -> Any:
    return STATE.get((name, attr))


def ref(attr: str, name: str = "jobs-dlq") -> dict[str, str]:
    return {"$ref": name, "attr": attr}


@pytest.mark.parametrize("old, new, expected", [
    (ARN, ref("arn"), ref("arn")),                # the target's arn: the reference
    (URL, ref("arn"), URL),                       # its id, but the arn was referenced
    ("arn:aws:sqs:us-east-1:123456789012:other", ref("arn"),
     "arn:aws:sqs:us-east-1:123456789012:other"),  # another queue's
    (URL, ref("name"), ref("name")),              # a name compares by id too
    ("jobs-dlq", ref("name"), ref("name")),
    (ARN, ref("arn", "gone"), ARN),               # a target the state does not hold
], ids=["arn", "id-for-arn", "other", "id-for-name", "name", "unknown-target"])
def test_a_reference_is_the_compiled_value_only_where_the_state_holds_its_target(
        old, new, expected):
    assert _align(old, new, resolve) == expected


@pytest.mark.parametrize("old, new, expected", [
    ([ARN, "sg-1"], [ref("arn"), "sg-1"], [ref("arn"), "sg-1"]),  # element by element
    ([URL], [ref("arn")], [URL]),
    ([ARN], [ref("arn"), "sg-1"], [ARN]),          # other lengths: the state's list
    ([ARN, "sg-1"], [ref("arn")], [ARN, "sg-1"]),
    ("a", ["a"], "a"),                             # a list against a string
    ([ARN], ARN, [ARN]),                           # a string against a list
], ids=["same-length", "same-length-differs", "shorter", "longer", "str-list",
        "list-str"])
def test_lists_are_aligned_only_when_they_have_one_length(old, new, expected):
    assert _align(old, new, resolve) == expected


@pytest.mark.parametrize("old, new, expected", [
    (1, 1.0, 1.0),         # the same number: the compiled spelling
    (2.0, 2, 2),
    (1, 2, 1),             # another number: the state's
    (True, 1, True),       # a bool is not the number 1
    ("1", 1, "1"),         # nor is a string
    (None, None, None),
    ("x", None, "x"),
], ids=["int-float", "float-int", "other", "bool", "string", "both-none", "none"])
def test_a_scalar_is_the_compiled_value_when_it_is_the_same(old, new, expected):
    got = _align(old, new, resolve)
    assert (got, type(got)) == (expected, type(expected))


@pytest.mark.parametrize(("actual", "change"), [
    ("7.0.7", "  ~ cache  aws:elasticache/replicationGroup:ReplicationGroup  update\n"
              "      transit_encryption_enabled: false -> true  in place\n"),
    ("7.0.4", "-/+ cache  aws:elasticache/replicationGroup:ReplicationGroup  REPLACE\n"
              "      transit_encryption_enabled: false -> true  REPLACE: the group runs "
              "engine 7.0.4; below 7.0.5 ElastiCache cannot change transit encryption in "
              "place\n"),
])
def test_against_a_state_a_change_is_judged_by_the_engine_the_group_runs(tmp_path, actual,
                                                                         change):
    # a group declared 7.0 (tests/test_takeover_running.py) turns transit encryption on
    # in place from engine 7.0.5 (terraform-provider-aws replication_group.go): 7.0.7,
    # the engine_version_actual the state reports, yes; 7.0.4 no. The cost: one
    # cache.t4g.small node, $0.032 an hour in us-east-1, x 730 hours = $23.36.
    graph = _graph(tmp_path)
    cp = checkpoint(json.loads(json.dumps(_stack_holding(graph, actual))), "state.json")
    replaced = actual == "7.0.4"
    assert diff_text(compare(cp, graph, "state.json"), set()) == (
        "diff s: state.json -> working tree\n" + change +
        "      transit_encryption_mode: (unset) -> \"preferred\"  in place\n"
        f"0 to create, {0 if replaced else 1} to update in place, {1 if replaced else 0} "
        "to replace, 0 to delete\n"
        "monthly cost: unchanged, $23.36/month\n")
