"""state.checkpoint reading a parsed `pulumi stack export`: what it keeps of each resource
(a whole StateResource), which group a resource falls in, and every refusal read whole.

The shapes, from Pulumi's source (pulumi/pulumi sdk/go/common/apitype/core.go): an export is
{version, deployment}, version 3 the current one; a ResourceV3 carries urn, type, id,
inputs, outputs, parent, provider and the flags custom, protect, delete, external and
pendingReplacement. A URN is urn:pulumi:STACK::PROJECT::TYPE::NAME (resource/urn.go).
Special values are {"4dabf18193072939515e22adb298388d": SIG, ...} with SIG
1b47061264138c4ac30d75fd1eb44270 for a secret, c44067f5952c0a294b673a41bacd8c17 for an
asset and 0def7320c3a5731c473e5ecbe6d01bc7 for an archive (sdk/go/common/resource/sig)."""

from __future__ import annotations

from typing import Any

import pytest

from mlinfra_compile.state import Checkpoint, StateError, StateResource, checkpoint

WHERE = "s.json"
STACK = "urn:pulumi:dev::acme::pulumi:pulumi:Stack::acme-dev"
QUEUE_TYPE = "aws:sqs/queue:Queue"
QUEUE = f"urn:pulumi:dev::acme::{QUEUE_TYPE}::jobs"
URL = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"
SIG = "4dabf18193072939515e22adb298388d"


def export(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"version": 3, "deployment": {"resources": list(resources)}}


def queue(**fields: Any) -> dict[str, Any]:
    return {"urn": QUEUE, "type": QUEUE_TYPE, "id": URL, "custom": True, **fields}


def refusal(doc: Any) -> str:
    with pytest.raises(StateError) as e:
        checkpoint(doc, WHERE)
    return str(e.value)


def nested(lists: int) -> Any:
    """0 inside `lists` lists: the lists take depths 1..lists, the 0 lists + 1."""
    value: Any = 0
    for _ in range(lists):
        value = [value]
    return value


def test_nothing_deployed_is_an_empty_checkpoint_of_no_stack():
    # No resources (ResourceV3 omits an empty list; a deployment may be null or absent):
    # no stack or project can be read from a URN, and the stack has no outputs.
    empty = Checkpoint(WHERE, (), (), (), {}, "", "")
    assert checkpoint({"version": 3}, WHERE) == empty
    assert checkpoint({"version": 3, "deployment": None}, WHERE) == empty
    assert checkpoint({"version": 3, "deployment": {"resources": None}}, WHERE) == empty


def test_a_checkpoint_without_a_stack_resource_has_no_outputs():
    cp = checkpoint(export(queue()), WHERE)
    assert (cp.outputs, cp.stack, cp.project) == ({}, "dev", "acme")
    stack = {"urn": STACK, "type": "pulumi:pulumi:Stack", "outputs": {"url": URL}}
    cp = checkpoint(export(stack, queue()), WHERE)
    assert (cp.outputs, len(cp.resources), cp.others) == ({"url": URL}, 1, ())


def test_values_nested_100_deep_are_read_and_101_refused():
    # The document is depth 1, "pad" depth 2, so 98 lists put the 0 at depth 100.
    at_limit = {"version": 3, "pad": nested(98)}
    assert checkpoint(at_limit, WHERE) == Checkpoint(WHERE, (), (), (), {}, "", "")
    assert refusal({"version": 3, "pad": nested(99)}) == (
        "s.json: values nested more than 100 deep; a checkpoint nests far less")


def test_a_version_other_than_3_is_refused_naming_it():
    assert refusal({"version": 2}) == (
        "s.json: checkpoint version 2; mlinfra reads version 3, what `pulumi stack export` "
        "of Pulumi 3 prints")


def test_a_deployment_that_is_not_an_object_is_refused():
    assert refusal({"version": 3, "deployment": []}) == "s.json: deployment is not an object"


def test_a_resource_is_kept_whole_with_its_parent_and_provider():
    parent = "urn:pulumi:dev::acme::mlinfra:index:Queue::jobs"
    provider = "urn:pulumi:dev::acme::pulumi:providers:aws::default::0b6a9c2e"
    cp = checkpoint(export(queue(parent=parent, provider=provider, protect=True,
                                 inputs={"__defaults": ["name", 7], "name": "jobs"},
                                 outputs={"arn": "arn:aws:sqs:us-east-1:123456789012:jobs"})),
                    WHERE)
    assert cp.resources == (StateResource(
        QUEUE, QUEUE_TYPE, URL, {"__defaults": ["name", 7], "name": "jobs"},
        {"arn": "arn:aws:sqs:us-east-1:123456789012:jobs"}, True, parent, provider,
        frozenset({"name"})),)
    assert not cp.resources[0].top_level  # parented to a component, not the stack


def test_special_values_read_as_words_never_their_contents():
    secret = {SIG: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "AAAbbb"}
    asset = {SIG: "c44067f5952c0a294b673a41bacd8c17", "text": "alpha"}
    archive = {SIG: "0def7320c3a5731c473e5ecbe6d01bc7", "path": "/tmp/a.zip"}
    cp = checkpoint(export(queue(outputs={"policy": secret, "code": asset,
                                          "bundle": [archive]})), WHERE)
    assert cp.resources[0].outputs == {"policy": "(secret)", "code": "(a Pulumi special value)",
                                       "bundle": ["(a Pulumi special value)"]}


@pytest.mark.parametrize("flags, group", [
    ({}, "live"),
    ({"custom": True, "delete": False, "external": False, "pendingReplacement": False},
     "live"),
    ({"custom": False}, "others"),              # a component
    ({"delete": True}, "others"),               # a pending deletion
    ({"external": True}, "others"),             # read, not managed
    ({"pendingReplacement": True}, "others"),   # deleted, awaiting its replacement
    ({"delete": True, "external": True}, "others"),
], ids=["none", "all-false", "component", "delete", "external", "pending", "two"])
def test_only_a_managed_live_custom_resource_is_one_of_the_resources(flags, group):
    entry = {"urn": QUEUE, "type": QUEUE_TYPE, "id": URL, **flags}
    cp = checkpoint(export(entry), WHERE)
    assert (len(cp.resources), len(cp.others)) == ((1, 0) if group == "live" else (0, 1))


def test_a_urn_held_twice_by_live_resources_is_refused():
    assert refusal(export(queue(), queue())) == (
        f"s.json: two resources have the URN {QUEUE}")


def test_a_pending_deletion_may_share_the_urn_of_its_replacement():
    # create-before-delete: the old resource stays, marked delete, under the same URN.
    cp = checkpoint(export(queue(), queue(delete=True), queue(delete=True)), WHERE)
    assert (len(cp.resources), len(cp.others)) == (1, 2)
