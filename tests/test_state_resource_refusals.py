"""state.checkpoint refusing one resource of an export, each message read whole: a urn or
type that is missing, empty or not a string; a urn not of the form
urn:pulumi:STACK::PROJECT::TYPE::NAME (pulumi/pulumi sdk/go/common/resource/urn.go); an id,
parent or provider that is not a string or holds control characters or backticks; inputs
or outputs that are not objects; a flag that is not a boolean (ResourceV3,
sdk/go/common/apitype/core.go). A value in a message is shown on one line, cut after 80
characters."""

from __future__ import annotations

from typing import Any

import pytest

from mlinfra_compile.state import StateError, checkpoint

AT = "s.json: deployment.resources[0]"
QUEUE_TYPE = "aws:sqs/queue:Queue"
QUEUE = f"urn:pulumi:dev::acme::{QUEUE_TYPE}::jobs"
TAIL = ("holds control characters or backticks; mlinfra writes names and ids into files "
        "and messages, so it refuses them")
URN_FORM = "is not urn:pulumi:STACK::PROJECT::TYPE::NAME"


def refusal(entry: dict[str, Any]) -> str:
    with pytest.raises(StateError) as e:
        checkpoint({"version": 3, "deployment": {"resources": [entry]}}, "s.json")
    return str(e.value)


@pytest.mark.parametrize("urn", [None, "", 7], ids=["missing", "empty", "number"])
def test_a_urn_that_is_not_a_string_is_refused(urn):
    entry = {"type": QUEUE_TYPE} if urn is None else {"urn": urn, "type": QUEUE_TYPE}
    assert refusal(entry) == f"{AT}: urn is not a string"


@pytest.mark.parametrize("kind", [None, "", ["x"]], ids=["missing", "empty", "list"])
def test_a_type_that_is_not_a_string_is_refused(kind):
    entry = {"urn": QUEUE} if kind is None else {"urn": QUEUE, "type": kind}
    assert refusal(entry) == f"{AT}: type is not a string"


@pytest.mark.parametrize("urn", [
    "urn:pulumi:dev::acme",                      # the prefix, but two parts short
    "arn:pulumi:dev::acme::aws:sqs/queue:Queue::jobs",  # four parts, another prefix
], ids=["too-few-parts", "wrong-prefix"])
def test_a_urn_not_of_pulumi_s_form_is_refused(urn):
    assert refusal({"urn": urn, "type": QUEUE_TYPE}) == f"{AT}: urn {urn} {URN_FORM}"


def test_a_long_urn_is_shown_cut_after_80_characters():
    eighty = "x" * 80
    assert refusal({"urn": eighty, "type": QUEUE_TYPE}) == f"{AT}: urn {eighty} {URN_FORM}"
    assert refusal({"urn": eighty + "yz", "type": QUEUE_TYPE}) == (
        f"{AT}: urn {eighty}... {URN_FORM}")


@pytest.mark.parametrize("key", ["id", "parent", "provider"])
def test_an_id_parent_or_provider_that_is_not_a_string_is_refused(key):
    assert refusal({"urn": QUEUE, "type": QUEUE_TYPE, key: 5}) == f"{AT}: {key} is not a string"


@pytest.mark.parametrize("key, value, shown", [
    ("id", "jobs\x1b[2J", "jobs\\e[2J"),        # ESC: would clear the terminal
    ("parent", "urn:pulumi:dev::acme::x::`y`", "urn:pulumi:dev::acme::x::`y`"),
    ("provider", "p\u202e", "p\\u202e"),        # a right-to-left override
], ids=["escape", "backtick", "bidi"])
def test_hostile_text_in_an_id_parent_or_provider_is_refused(key, value, shown):
    entry = {"urn": QUEUE, "type": QUEUE_TYPE, key: value}
    assert refusal(entry) == f"{AT}: {key} {shown} {TAIL}"


@pytest.mark.parametrize("key", ["inputs", "outputs"])
def test_inputs_or_outputs_that_are_not_objects_are_refused(key):
    assert refusal({"urn": QUEUE, "type": QUEUE_TYPE, key: ["a"]}) == (
        f"{AT}: {key} is not an object")


@pytest.mark.parametrize("flag", ["custom", "protect", "delete", "external",
                                  "pendingReplacement"])
def test_a_flag_that_is_not_a_boolean_is_refused(flag):
    assert refusal({"urn": QUEUE, "type": QUEUE_TYPE, flag: "yes"}) == (
        f"{AT}: {flag} is not true or false")
