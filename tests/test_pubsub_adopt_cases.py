"""`mlinfra adopt` of a Pub/Sub subscription, one input at a time: each case is a running
topic and one subscription of it (inputs as `pulumi stack export` records them,
camelCase), and the fields the subscription becomes, or what is listed and why, worked
out by hand (the mutation run found 111 mutants of this reading that no test noticed).

A value listed is shown as the state spells it (JSON; a string as it is). Shapes (pulumi-gcp
pubsub.Subscription docstring; the Pub/Sub API's Subscription
resource): ackDeadlineSeconds is an integer of seconds; messageRetentionDuration and the
retry policy's backoffs are durations written as seconds with an `s` ("600s"); an
expiration policy's ttl is such a duration, or "" for never; labels are a map. mlinfra
writes a duration in its largest whole unit (86400 s is 1d) and a subscription's labels
as what differs from its queue's (null: a queue label the subscription lacks)."""

from __future__ import annotations

from typing import Any

import pytest

from mlinfra_compile.providers import gcp_pubsub_adopt
from mlinfra_compile.state import StateResource

TOPIC = "gcp:pubsub/topic:Topic"
SUBSCRIPTION = "gcp:pubsub/subscription:Subscription"


def _resource(rtype: str, name: str, protect: bool = False, **inputs: Any) -> StateResource:
    return StateResource(urn=f"urn:pulumi:dev::p::{rtype}::{name}", type=rtype, outputs={},
                         id=f"projects/acme/x/{name}", inputs={"name": name, **inputs},
                         protect=protect)


def adopt(sub_inputs: dict[str, Any], *, topic_labels: dict[str, str] | None = None,
          topic_protect: bool = False, sub_protect: bool = False) \
        -> tuple[dict[str, Any], list[str]]:
    """The one subscription's fields (without name, project and topic) and what it lists."""
    topic = _resource(TOPIC, "jobs", topic_protect, project="acme",
                      **({"labels": topic_labels} if topic_labels else {}))
    sub = _resource(SUBSCRIPTION, "jobs-sub", sub_protect, project="acme", topic="jobs",
                    **sub_inputs)
    adopted, left = gcp_pubsub_adopt.adopt([topic, sub], False)
    assert left == {}
    [queue] = adopted
    [part] = queue.subscriptions.values()
    return part.fields, part.missing


@pytest.mark.parametrize(("inputs", "fields"), [
    ({}, {}),
    ({"ackDeadlineSeconds": 60}, {"visibility_timeout": "1m"}),
    ({"ackDeadlineSeconds": 90}, {"visibility_timeout": "90s"}),
    # 0 is the service's 10 seconds (the API's Subscription.ackDeadlineSeconds)
    ({"ackDeadlineSeconds": 0}, {"visibility_timeout": "10s"}),
    ({"messageRetentionDuration": "86400s"}, {"retention": "1d"}),
    ({"messageRetentionDuration": "5400s"}, {"retention": "90m"}),
    ({"enableMessageOrdering": True}, {"ordering": True}),
    ({"enableExactlyOnceDelivery": True}, {"exactly_once": True}),
    ({"enableMessageOrdering": False, "enableExactlyOnceDelivery": False},
     {"ordering": False, "exactly_once": False}),
    ({"retryPolicy": {"minimumBackoff": "10s", "maximumBackoff": "600s"}},
     {"retry": {"min_backoff": "10s", "max_backoff": "600s"}}),
    ({"retryPolicy": {"minimumBackoff": "10s"}}, {"retry": {"min_backoff": "10s"}}),
    ({"retryPolicy": {}}, {}),  # an empty policy is the service's default: nothing to say
    ({"expirationPolicy": {"ttl": ""}}, {"expiry": "never"}),
    ({"expirationPolicy": {"ttl": "2678400s"}}, {"expiry": "31d"}),
    ({"expirationPolicy": {}}, {}),
    ({"messageRetentionDuration": ""}, {}),  # (empty: not set, the service's default)
], ids=lambda v: str(v)[:40])
def test_each_input_becomes_its_field(inputs, fields):
    assert adopt(inputs) == (fields, [])


@pytest.mark.parametrize(("inputs", "line"), [
    ({"retryPolicy": {"minimumBackoff": "ten", "maximumBackoff": "600s"}},
     'retryPolicy = {"maximumBackoff": "600s", "minimumBackoff": "ten"}: backoffs are '
     'durations ("10s")'),
    ({"retryPolicy": {"maximumBackoff": 600}},
     'retryPolicy = {"maximumBackoff": 600}: backoffs are durations ("10s")'),
    ({"expirationPolicy": {"ttl": "soon"}},
     'expirationPolicy = {"ttl": "soon"}: expiry is never ("") or a whole number of '
     'seconds'),
    ({"retainAckedMessages": True},
     "retainAckedMessages = true: mlinfra does not keep acknowledged messages"),
    ({"deadLetterPolicy": {"deadLetterTopic": "projects/acme/topics/other"}},
     'deadLetterPolicy = {"deadLetterTopic": "projects/acme/topics/other"}: mlinfra\'s dead '
     "letters are its own topic `<queue>-dlq` (dead_letter): set them up anew"),
])
def test_what_mlinfra_cannot_say_is_listed_and_not_guessed(inputs, line):
    fields, missing = adopt(inputs)
    assert missing == [line]
    assert "retry" not in fields and "expiry" not in fields


def test_acknowledged_messages_not_kept_say_nothing():
    assert adopt({"retainAckedMessages": False}) == ({}, [])


@pytest.mark.parametrize(("topic_labels", "sub_labels", "fields"), [
    # the same as the queue's: nothing of its own
    ({"team": "ml"}, {"team": "ml"}, {}),
    # its own value, and one the queue does not have
    ({"team": "ml"}, {"team": "data", "tier": "gold"},
     {"labels": {"team": "data", "tier": "gold"}}),
    # a queue label it lacks: removed on the subscription (null)
    ({"team": "ml", "cost": "a"}, {"team": "ml"}, {"labels": {"cost": None}}),
    # no labels of its own under a labelled queue: every queue label removed
    ({"team": "ml"}, None, {"labels": {"team": None}}),
])
def test_labels_are_what_differs_from_the_queue(topic_labels, sub_labels, fields):
    inputs = {"labels": sub_labels} if sub_labels is not None else {}
    assert adopt(inputs, topic_labels=topic_labels) == (fields, [])


@pytest.mark.parametrize(("topic", "sub", "fields"), [
    (False, False, {}), (True, True, {}),
    (False, True, {"protect": True}), (True, False, {"protect": False}),
])
def test_protect_is_written_where_it_differs_from_the_queue(topic, sub, fields):
    assert adopt({}, topic_protect=topic, sub_protect=sub) == (fields, [])


@pytest.mark.parametrize(("inputs", "line"), [
    ({"messageRetentionDuration": "7 days"},
     "messageRetentionDuration = 7 days: not a whole number of seconds"),
    ({"ackDeadlineSeconds": -5},
     "ackDeadlineSeconds = -5: out of range: mlinfra reads a whole number of at least 0"),
    # Pub/Sub writes durations as text ("600s"): a number is not one, read or guessed
    ({"messageRetentionDuration": 600},
     "messageRetentionDuration = 600: not a whole number of seconds"),
    ({"expirationPolicy": {"ttl": 600}},
     'expirationPolicy = {"ttl": 600}: expiry is never ("") or a whole number of seconds'),
])
def test_a_malformed_duration_is_listed(inputs, line):
    fields, missing = adopt(inputs)
    assert missing == [line] and fields == {}


def test_a_topic_with_a_kms_key_and_no_subscription_lists_both():
    topic = _resource(TOPIC, "jobs", project="acme",
                      kmsKeyName="projects/acme/locations/us/keyRings/r/cryptoKeys/k")
    [queue], left = gcp_pubsub_adopt.adopt([topic], False)
    assert left == {} and queue.subscriptions == {}
    assert queue.missing == [
        "kmsKeyName = projects/acme/locations/us/keyRings/r/cryptoKeys/k: `encryption: "
        "kms:KEY` also grants Pub/Sub's agent the key (providers.gcp.project_number): set it "
        "by hand",
        "no subscription: mlinfra gives every Pub/Sub queue one, which adopting would create"]


def test_a_subscription_belongs_to_the_topic_it_names_only():
    jobs = _resource(TOPIC, "jobs", project="acme")
    events = _resource(TOPIC, "events", project="acme")
    sub = _resource(SUBSCRIPTION, "events-sub", project="acme",
                    topic="projects/acme/x/events")  # (by the topic's id)
    adopted, left = gcp_pubsub_adopt.adopt([jobs, events, sub], False)
    assert left == {}
    assert {q.own.name: len(q.subscriptions) for q in adopted} == {"jobs": 0, "events": 1}
