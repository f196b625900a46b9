"""A Pub/Sub queue's subscriptions: which it has (its own `<queue>-sub`, or those it
declares), and each one's Subscription resource, with its dead-letter policy and the grant
that policy needs."""

from __future__ import annotations

from ..graph import Origin, Resource, ref
from ..units import parse_duration
from .base import Args, Decl, derived, protect, resource_labels, subscription_decls, traffic
from .gcp_pubsub_changes import SUBSCRIPTION, SUBSCRIPTION_IAM
from .gcp_pubsub_limits import (
    ACK_DEADLINE,
    BACKOFF,
    LARGEST,
    MAX_DELIVERY_ATTEMPTS,
    MIN_EXPIRY,
    NAME_RULE,
    RETENTION,
)

DEFAULT = "default"  # a queue's one subscription (docs/design.md, Stack outputs and exports)


def _subscriptions(decl: Decl) -> list[Decl]:
    """The queue's subscription declarations; without `subscriptions`, one named `sub`
    (`<queue>-sub`, key `default` in exports) that reads the queue's own fields. Writing
    that one out as `subscriptions: {default: ...}` keeps its resource `<queue>-sub`, so
    adding fields to it never replaces it."""
    declared = subscription_decls(decl)
    for sub in declared:
        if sub.name == DEFAULT:  # the implicit one written out: the same resource
            sub.resource = f"{decl.name}-sub"
    return declared or [
        Decl("subscription", "sub", decl.path, {}, decl.provider, decl.origin, decl.ctx,
             decl.defaults, parent=decl)]


def _secs(n: int) -> str:
    return f"{n}s"


def _delivery(sub: Decl, a: Args) -> tuple[int, Origin] | None:
    """visibility_timeout -> ack_deadline_seconds, retention -> message_retention_duration,
    ordering, exactly_once; the retention, which the expiry must exceed."""
    ack = sub.seconds("visibility_timeout", *ACK_DEADLINE, "Pub/Sub ack deadline")
    if ack:
        a.set("ack_deadline_seconds", ack[0], ack[1])
    ret = sub.seconds("retention", *RETENTION, "Pub/Sub subscription retention")
    if ret:
        a.set("message_retention_duration", _secs(ret[0]), ret[1])
    a.put("enable_message_ordering", sub.get("ordering"))
    a.put("enable_exactly_once_delivery", sub.get("exactly_once"))
    return ret


def _retry(sub: Decl, a: Args) -> None:
    """retry: {min_backoff, max_backoff} -> retry_policy, each 0s..600s."""
    ctx = sub.ctx
    retry = sub.given("retry")
    if retry is None:
        return
    policy: dict[str, str] = {}
    bounds: dict[str, int] = {}
    for key, arg in (("min_backoff", "minimum_backoff"), ("max_backoff", "maximum_backoff")):
        raw = retry.value.get(key)
        if raw is None:
            continue
        n = parse_duration(raw)
        if n is None:
            continue
        if not BACKOFF[0] <= n <= BACKOFF[1]:
            sub.ctx.error("MLC204", sub.where("retry") + (key,),
                          f"{raw} is outside the Pub/Sub backoff range 0s..600s",
                          ctx.origin_of(sub.where("retry") + (key,)) or retry.origin)
            continue
        policy[arg] = _secs(n)
        bounds[key] = n
    if "min_backoff" in bounds and "max_backoff" in bounds \
            and bounds["min_backoff"] > bounds["max_backoff"]:
        sub.err("MLC511", "retry", f"min_backoff {bounds['min_backoff']}s is longer than "
                                   f"max_backoff {bounds['max_backoff']}s", retry)
    if policy:
        a.set("retry_policy", policy, retry.origin)


def _expiry(sub: Decl, a: Args, ret: tuple[int, Origin] | None) -> None:
    """expiry -> expiration_policy: never, or at least 1d and longer than the retention."""
    expiry = sub.get("expiry")
    if expiry is None:
        return
    if expiry.value == "never":
        a.set("expiration_policy", {"ttl": ""}, expiry.origin)
    else:
        n = parse_duration(expiry.value)
        if n is not None and n < MIN_EXPIRY:
            sub.err("MLC204", "expiry", f"{expiry.value} is below the Pub/Sub minimum "
                                        "expiry of 1d", expiry)
        elif n is not None and ret and n <= ret[0]:
            sub.err("MLC311", "expiry", f"expiry {expiry.value} must be longer than the "
                                        f"retention ({ret[0]}s)", expiry)
        elif n is not None:
            a.set("expiration_policy", {"ttl": _secs(n)}, expiry.origin)


def _dead_letter_policy(sub: Decl, a: Args, logical: str, dead_letters: tuple[str, str] | None,
                        owner: str) -> None:
    """dead_letter -> dead_letter_policy on the topic `dead_letters` names, and the grant
    letting Pub/Sub's service agent (its member) take messages from this subscription."""
    ctx = sub.ctx
    dl = sub.get("dead_letter")
    if dl is None or dl.value in (False, None) or dead_letters is None:
        return
    dlq_topic, member = dead_letters
    attempts = 5 if dl.value is True else (dl.value.get("max_receives") or 5)
    lo, hi = MAX_DELIVERY_ATTEMPTS
    if not lo <= attempts <= hi:
        sub.err("MLC204", "dead_letter", f"max_receives {attempts} is outside the Pub/Sub "
                                         f"range {lo}..{hi}", dl)
    a.set("dead_letter_policy", {"dead_letter_topic": ref(dlq_topic, "id"),
                                 "max_delivery_attempts": attempts}, dl.origin)
    grant = Args()
    grant.set("subscription", ref(logical, "name"), derived(sub, f"the subscription {logical}"))
    grant.set("role", "roles/pubsub.subscriber", derived(sub, "Pub/Sub dead letters"))
    grant.set("member", member, derived(sub, "the Pub/Sub service agent"))
    grant.put("project", ctx.provider_setting("gcp", "project"))
    ctx.add(Resource(f"{logical}-subscriber", SUBSCRIPTION_IAM, grant.values, {},
                     sub.source, grant.origins, "iam_member", owner))


def _subscription(sub: Decl, logical: str, topic: str, dlq_topic: str | None,
                  member: str | None) -> None:
    """The Subscription `logical` on `topic`, its dead letters going to `dlq_topic` (when
    there is one, and Pub/Sub's service agent `member` to move them)."""
    ctx = sub.ctx
    # The declaration its resources belong to: the queue's own `<queue>-sub` is the queue's.
    owner = sub.name if sub.parent is None or sub.path != sub.parent.path else sub.parent.name
    a = Args()
    a.set("topic", ref(topic, "name"), derived(sub, f"the topic {topic}"))
    a.put("project", ctx.provider_setting("gcp", "project"))
    ret = _delivery(sub, a)
    _retry(sub, a)
    _expiry(sub, a, ret)
    _dead_letter_policy(sub, a, logical, (dlq_topic, member) if dlq_topic and member else None,
                        owner)
    labels, lorigin = resource_labels(sub)
    a.set("labels", labels, lorigin)
    a.put("name", ctx.physical_name(sub, logical, "subscription", NAME_RULE))
    prot = protect(sub)
    ctx.add(Resource(logical, SUBSCRIPTION, a.values, {"protect": prot.value},
                     sub.source, a.origins, "subscription", owner))
    traffic(sub, [logical], LARGEST)
