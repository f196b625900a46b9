"""Adopting: the reverse of gcp_pubsub.build, for `mlinfra adopt` (each argument a running
resource holds, read back into the language with its units, or listed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..units import parse_duration
from .gcp_pubsub_changes import PROVIDER, SUBSCRIPTION, TOPIC

# Adopting running topics and subscriptions (`mlinfra adopt`): the reverse of `build`. A
# topic and the subscriptions whose `topic` names it are one queue (one subscription:
# key `default`, the compiler's `<queue>-sub`); what has no field here is listed by the
# caller, never dropped.
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from .adopting import Adopted, Part, Reading


def _adopt_seconds(a: Reading, key: str) -> int | None:
    """A duration as Pub/Sub writes it ("604800s") in whole seconds."""
    raw = a.get(key)
    n = parse_duration(raw) if isinstance(raw, str) and raw else None
    if raw not in (None, "") and n is None:
        a.cannot(key, "not a whole number of seconds")
    return n


def _adopt_subscription(s: StateResource, topic: Reading, topic_labels: dict[str, Any]) \
        -> Part:
    from .adopting import Part, Reading, duration

    a = Reading(s, ("name", "project", "topic"))
    f: dict[str, Any] = {}
    ack = a.integer("ackDeadlineSeconds", 0)
    # "If this parameter is 0, a default value of 10 seconds is used" (the Pub/Sub API's
    # Subscription.ackDeadlineSeconds, as pulumi-gcp's docstring repeats it): 0 is 10s,
    # which mlinfra can write (its Pub/Sub minimum is 10s) where 0s it would refuse
    f["visibility_timeout"] = duration(ack or 10) if ack is not None else None
    keep = _adopt_seconds(a, "messageRetentionDuration")
    f["retention"] = duration(keep) if keep is not None else None
    for key, name in (("enableMessageOrdering", "ordering"),
                      ("enableExactlyOnceDelivery", "exactly_once")):
        f[name] = a.boolean(key)
    retry = a.mapping("retryPolicy")
    if retry is not None:
        backoff = {k: retry.get(v) for k, v in (("min_backoff", "minimumBackoff"),
                                                ("max_backoff", "maximumBackoff"))}
        f["retry"] = {k: v for k, v in backoff.items() if v}
        if not all(v is None or (isinstance(v, str) and parse_duration(v) is not None)
                   for v in backoff.values()):
            f["retry"] = None
            a.cannot("retryPolicy", "backoffs are durations (\"10s\")")
    expiry = a.mapping("expirationPolicy")
    ttl = expiry.get("ttl") if expiry is not None else None
    n = parse_duration(ttl) if isinstance(ttl, str) and ttl else None
    f["expiry"] = "never" if ttl == "" else duration(n) if n is not None else None
    if ttl is not None and f["expiry"] is None:
        a.cannot("expirationPolicy", "expiry is never (\"\") or a whole number of seconds")
    if a.boolean("retainAckedMessages"):
        a.cannot("retainAckedMessages", "mlinfra does not keep acknowledged messages")
    if a.given("deadLetterPolicy") is not None:
        a.cannot("deadLetterPolicy", "mlinfra's dead letters are its own topic "
                                     "`<queue>-dlq` (dead_letter): set them up anew")
    mine = a.labels() or {}
    labels = {**{k: None for k in topic_labels if k not in mine},
              **{k: v for k, v in mine.items() if topic_labels.get(k) != v}}
    f["labels"] = labels or None
    f["protect"] = s.protect if s.protect != topic.r.protect else None
    return Part(s, {**{k: v for k, v in f.items() if v not in (None, {})},
                    **a.pulumi_args()}, a.rest())


def _names(s: StateResource, topic: StateResource) -> bool:
    """The subscription's `topic` input names this topic (by name or by id)."""
    given = s.value("topic")
    return isinstance(given, str) and given in (topic.value("name"), topic.id)


def _adopt_topic(t: StateResource, subs: list[StateResource]) -> Adopted:
    from .adopting import Adopted, Reading, kebab, subscription_keys

    a = Reading(t)
    if a.given("kmsKeyName") is not None:
        a.cannot("kmsKeyName", "`encryption: kms:KEY` also grants Pub/Sub's agent the key "
                               "(providers.gcp.project_number): set it by hand")
    labels = a.labels()
    f: dict[str, Any] = {"labels": labels, "protect": t.protect}
    if not subs:
        a.missing.append("no subscription: mlinfra gives every Pub/Sub queue one, which "
                         "adopting would create")
    parts = {key: _adopt_subscription(s, a, labels or {})
             for key, s in subscription_keys(kebab(t.name), subs).items()}
    return Adopted("queues", PROVIDER, t, {**{k: v for k, v in f.items() if v is not None},
                                           **a.pulumi_args()}, a.rest(), parts)


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Every topic, with the subscriptions of the state that read it, one queue each."""
    topics = [r for r in resources if r.type == TOPIC]
    subs = [r for r in resources if r.type == SUBSCRIPTION]
    found = [_adopt_topic(t, [s for s in subs if _names(s, t)]) for t in topics]
    claimed = {s.urn for q in found for s in q.resources()}
    left = {s.urn: f"its topic {s.value('topic')} is not in the state: mlinfra declares a "
                   "subscription with its topic" for s in subs if s.urn not in claimed}
    return found, left
