"""Queues on GCP: a Pub/Sub topic with its subscriptions, and optional dead letters.

Facts, from the pulumi-gcp 10.2.0 docstrings of `pulumi_gcp.pubsub.Subscription` / `Topic`
and the Pub/Sub documentation (cloud.google.com/pubsub/docs):
- ack_deadline_seconds 10..600 (default 10); message_retention_duration 600s..31d
  (default 7d), as "Ns"; retry_policy minimum/maximum_backoff 0..600s (defaults 10s/600s).
- expiration_policy.ttl: "" never expires; otherwise at least 1 day and longer than the
  retention ("Subscription properties"); without it a subscription idle 31 days is deleted.
- dead_letter_policy.max_delivery_attempts 5..100; Pub/Sub's service agent
  service-<project_number>@gcp-sa-pubsub.iam.gserviceaccount.com needs
  roles/pubsub.publisher on the dead-letter topic and roles/pubsub.subscriber on the
  source subscription ("Handle message failures"); a topic with no subscription drops
  what is published to it.
- Resource names: ^[A-Za-z][A-Za-z0-9._~+%-]{2,254}$, not starting with "goog"
  ("Resource names").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..graph import Origin, Resource, ref
from ..naming import NamingRule
from ..units import format_duration, parse_duration
from . import gcp_kms, pricing
from .base import (
    Args,
    Decl,
    Defaults,
    ImportId,
    Value,
    attributes,
    derived,
    grant_name,
    members,
    protect,
    resource_labels,
    subscription_decls,
    traffic,
)
from .changes import GCP_PROJECT, ChangeTable, Rule, in_place, replaces

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from . import lines
    from .adopting import Adopted

TOPIC = "gcp:pubsub/topic:Topic"
SUBSCRIPTION = "gcp:pubsub/subscription:Subscription"
TOPIC_IAM = "gcp:pubsub/topicIAMMember:TopicIAMMember"
SUBSCRIPTION_IAM = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember"

# The service contract (providers.Service): what resolve, diff and policy read.
KIND, PROVIDER = "queue", "gcp"
SERVICE = "pubsub"  # the `service:` that selects it; the default of its kind and cloud
IS_DEFAULT = True
ACCEPTS: frozenset[str] | None = None  # every field of its cloud
STATEFUL = frozenset({TOPIC, SUBSCRIPTION})
NAME_ARGS = {TOPIC: "name", SUBSCRIPTION: "name"}
# Import ids: the resources' ids (pulumi-gcp 10.2.0 `pubsub.Topic` / `Subscription`
# docstrings, "Import"; terraform-provider-google resource_pubsub_topic.go).
IMPORT_IDS = {
    TOPIC: ImportId("Pub/Sub topic", r"projects/(?P<project>[^/]+)/topics/(?P<name>[^/]+)",
                    "projects/acme-ml-prod/topics/ml-training"),
    SUBSCRIPTION: ImportId("Pub/Sub subscription",
                           r"projects/(?P<project>[^/]+)/subscriptions/(?P<name>[^/]+)",
                           "projects/acme-ml-prod/subscriptions/ml-training-sub"),
}
RUNNING: dict[str, dict[str, str]] = {}
TLS_VALUES: tuple[object, ...] = ()
PRODUCTION_SETTINGS: tuple[str, ...] = ("project_number",)  # dead letters grant its service agent
AGENT_DOMAIN = "gcp-sa-pubsub.iam.gserviceaccount.com"  # service-<project number>@...

# What a change of each argument does: `immutable: true` in magic-modules
# mmv1/products/pubsub/Topic.yaml and Subscription.yaml (tags are immutable on both: they
# are bound when the resource is created); the IAM member resources take every field
# ForceNew (terraform-provider-google iam_pubsub_*.go via tpgiamresource.ResourceIamMember).
_MM = "magic-modules mmv1/products/pubsub/{}.yaml"
_IAM = ("terraform-provider-google tpgiamresource/resource_iam_member.go: every field of "
        "an IAM member is ForceNew")


def _immutable(what: str) -> Rule:  # pragma: no mutate block (a citation, for people)
    return replaces(_MM.format(what) + ": immutable: true")


def _mutable(what: str) -> Rule:  # pragma: no mutate block (a citation, for people)
    return in_place(_MM.format(what) + ": not immutable (updated with PATCH)")


CHANGES: ChangeTable = {
    TOPIC: {
        "name": _immutable("Topic"), "project": GCP_PROJECT, "tags": _immutable("Topic"),
        **{k: _mutable("Topic") for k in ("labels", "kms_key_name",
                                          "message_retention_duration",
                                          "message_storage_policy", "schema_settings")},
    },
    SUBSCRIPTION: {
        **{k: _immutable("Subscription") for k in ("name", "topic", "filter",
                                                   "enable_message_ordering", "tags")},
        "project": GCP_PROJECT,
        **{k: _mutable("Subscription") for k in (
            "labels", "ack_deadline_seconds", "message_retention_duration",
            "retain_acked_messages", "dead_letter_policy", "retry_policy",
            "expiration_policy", "enable_exactly_once_delivery", "push_config")},
    },
    TOPIC_IAM: {k: replaces(_IAM) for k in ("topic", "role", "member", "condition")}
    | {"project": GCP_PROJECT},
    SUBSCRIPTION_IAM: {k: replaces(_IAM) for k in ("subscription", "role", "member",
                                                   "condition")}
    | {"project": GCP_PROJECT},
}

ACK_DEADLINE = (10, 600)
# The largest message: 10 MB (Pub/Sub "Quotas and limits": message size, 10 MB).
LARGEST = (10_000_000, "the largest Pub/Sub message, 10 MB")
RETENTION = (600, 31 * 86400)
BACKOFF = (0, 600)
MAX_DELIVERY_ATTEMPTS = (5, 100)
MIN_EXPIRY = 86400
NAME_RULE = NamingRule("Pub/Sub", r"[A-Za-z][A-Za-z0-9._~+%-]{2,254}",
                       "3..255 characters: letters, digits and . _ ~ + % -, starting with a "
                       "letter", forbidden_prefix="goog")

_COMMON: Defaults = {
    "encryption": ("managed", "Pub/Sub default: a Google-managed key"),
    "visibility_timeout": ("10s", "Pub/Sub default ack deadline"),
    "retention": ("7d", "Pub/Sub default"),
    "ordering": (False, "Pub/Sub default"),
    "exactly_once": (False, "Pub/Sub default"),
}
# Defaults per profile (docs/design.md, Defaults).
DEFAULTS: dict[str, Defaults] = {
    "development": {
        **_COMMON,
        "dead_letter": (False, "development default: no dead letters"),
        "protect": (False, "development default: stateful resources are not protected"),
    },
    "production": {
        **_COMMON,
        "expiry": ("never", "production default: subscriptions never expire"),
        "dead_letter": ({"max_receives": 5}, "production default"),
        "protect": (True, "production default: stateful resources are protected"),
    },
}


def _secs(n: int) -> str:
    return f"{n}s"


def _subscription(sub: Decl, logical: str, topic: str, dlq_topic: str | None,
                  member: str | None) -> None:
    ctx = sub.ctx
    # The declaration its resources belong to: the queue's own `<queue>-sub` is the queue's.
    owner = sub.name if sub.parent is None or sub.path != sub.parent.path else sub.parent.name
    a = Args()
    a.set("topic", ref(topic, "name"), derived(sub, f"the topic {topic}"))
    a.put("project", ctx.provider_setting("gcp", "project"))
    ack = sub.seconds("visibility_timeout", *ACK_DEADLINE, "Pub/Sub ack deadline")
    if ack:
        a.set("ack_deadline_seconds", ack[0], ack[1])
    ret = sub.seconds("retention", *RETENTION, "Pub/Sub subscription retention")
    if ret:
        a.set("message_retention_duration", _secs(ret[0]), ret[1])
    a.put("enable_message_ordering", sub.get("ordering"))
    a.put("enable_exactly_once_delivery", sub.get("exactly_once"))
    retry = sub.given("retry")
    if retry is not None:
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
    expiry = sub.get("expiry")
    if expiry is not None:
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
    dl = sub.get("dead_letter")
    if dl is not None and dl.value not in (False, None) and dlq_topic and member:
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
                         sub.origin.where, grant.origins, "iam_member", owner))
    labels, lorigin = resource_labels(sub)
    a.set("labels", labels, lorigin)
    a.put("name", ctx.physical_name(sub, logical, "subscription", NAME_RULE))
    prot = protect(sub)
    ctx.add(Resource(logical, SUBSCRIPTION, a.values, {"protect": prot.value},
                     sub.origin.where, a.origins, "subscription", owner))
    traffic(sub, [logical], LARGEST)


def _dead_letter_retention(decl: Decl) -> tuple[int, Origin] | None:
    """dead_letter.retention of the queue (10m..31d), else the Pub/Sub maximum."""
    dl = decl.get("dead_letter")
    raw = dl.value.get("retention") if dl is not None and isinstance(dl.value, dict) else None
    if raw is None:
        return RETENTION[1], derived(decl, "dead letters are kept for the Pub/Sub maximum, 31d")
    n = parse_duration(raw)
    at = decl.ctx.origin_of((*decl.where("dead_letter"), "retention")) or decl.origin
    if n is None:
        return None
    if not RETENTION[0] <= n <= RETENTION[1]:
        decl.ctx.error("MLC204", (*decl.where("dead_letter"), "retention"),
                       f"{raw} is outside the Pub/Sub retention range 10m..31d", at)
        return None
    return n, at


def _wants_dead_letter(d: Decl) -> Origin | None:
    v = d.get("dead_letter")
    return v.origin if v is not None and v.value not in (False, None) else None


def delivers(decl: Decl) -> bool:
    """Consumers read subscriptions: a declared one, or the queue's own `<queue>-sub` when
    it declares no `subscriptions` map (that one takes the queue's fields)."""
    return decl.kind == "subscription" or not decl.data.get("subscriptions")


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


def build(decl: Decl) -> list[Decl]:
    ctx = decl.ctx
    subscriptions = _subscriptions(decl)
    topic = decl.name
    project = ctx.provider_setting("gcp", "project")
    labels, lorigin = resource_labels(decl)
    prot = protect(decl)
    # encryption: kms:<key> -> kms_key_name on the topics (a dead-letter topic holds the
    # same messages), after the grant the Pub/Sub agent needs.
    key = gcp_kms.key_of(decl, "Pub/Sub")
    key_grant = gcp_kms.grant(decl, key, AGENT_DOMAIN, "Pub/Sub") if key is not None else None
    options: dict[str, Any] = {"protect": prot.value}
    if key_grant is not None:
        options["depends_on"] = [key_grant]

    def add_topic(logical: str, kind: str) -> None:
        t = Args()
        t.put("project", project)
        t.set("labels", labels, lorigin)
        if key_grant is not None:
            t.put("kms_key_name", key)
        t.put("name", ctx.physical_name(decl, logical, kind, NAME_RULE))
        ctx.add(Resource(logical, TOPIC, t.values, dict(options), decl.origin.where,
                         t.origins, kind, decl.name))

    add_topic(topic, "topic")
    traffic(decl, [topic], LARGEST)
    dl_origins = [o for o in (_wants_dead_letter(s) for s in subscriptions) if o]
    dlq_topic = member = None
    if dl_origins:
        number = ctx.provider_setting("gcp", "project_number")
        if number is None:
            dl = decl.get("dead_letter") if _wants_dead_letter(decl) else None
            at = dl.origin if dl else dl_origins[0]
            why = f" (the {at.note})" if at.kind == "default" else ""
            ctx.error("MLC312", decl.path + ("dead_letter",),
                      "Pub/Sub dead letters need providers.gcp.project_number, to grant "
                      f"Pub/Sub's service agent access to the dead-letter topic{why}", at)
        else:
            member = f"serviceAccount:service-{number.value}@{AGENT_DOMAIN}"
            dlq_topic = f"{topic}-dlq"
            add_topic(dlq_topic, "dead_letter_topic")
            keep = Args()
            keep.set("topic", ref(dlq_topic, "name"), derived(decl, f"the topic {dlq_topic}"))
            keep.put("project", project)
            keep_for = _dead_letter_retention(decl)
            if keep_for is not None:
                keep.set("message_retention_duration", _secs(keep_for[0]), keep_for[1])
                for sub in subscriptions:
                    ret = sub.get("retention")
                    n = parse_duration(ret.value) if ret else None
                    if _wants_dead_letter(sub) and n is not None \
                            and keep_for[0] < n <= RETENTION[1]:
                        sub.err("MLC510", "retention",
                                f"the dead-letter subscription keeps messages "
                                f"{format_duration(keep_for[0])}, less than this "
                                f"subscription's {format_duration(n)}: raise "
                                "dead_letter.retention", ret)
            keep.set("expiration_policy", {"ttl": ""},
                     derived(decl, "a dead-letter subscription is idle by design: never "
                                   "expire it"))
            keep.set("labels", labels, lorigin)
            keep.put("name", ctx.physical_name(decl, f"{dlq_topic}-sub",
                                               "dead_letter_subscription", NAME_RULE))
            ctx.add(Resource(f"{dlq_topic}-sub", SUBSCRIPTION, keep.values,
                             {"protect": prot.value}, decl.origin.where, keep.origins,
                             "dead_letter_subscription", decl.name))
            grant = Args()
            grant.set("topic", ref(dlq_topic, "name"), derived(decl, f"the topic {dlq_topic}"))
            grant.set("role", "roles/pubsub.publisher", derived(decl, "Pub/Sub dead letters"))
            grant.set("member", member, derived(decl, "the Pub/Sub service agent"))
            grant.put("project", project)
            ctx.add(Resource(f"{dlq_topic}-publisher", TOPIC_IAM, grant.values, {},
                             decl.origin.where, grant.origins, "iam_member", decl.name))
    if decl.data.get("access") or any(s.data.get("access") for s in subscriptions):
        _access(decl, subscriptions)
    outputs: dict[str, Any] = {"topic": ref(topic, "name"), "subscriptions": {}}
    named = {"id": (topic, "id"), "name": (topic, "name"), "topic_name": (topic, "name"),
             "topic_id": (topic, "id")}
    for sub in subscriptions:
        logical = sub.logical
        _subscription(sub, logical, topic, dlq_topic, member)
        # Its key in the stack output and in `exports` alike (the resource of `default`
        # keeps its name `<queue>-sub`; the stack output said `sub` until issue 26).
        shown = DEFAULT if sub.path == decl.path else sub.name
        outputs["subscriptions"][shown] = ref(logical, "name")
        named[f"subscriptions.{shown}.name"] = (logical, "name")
        named[f"subscriptions.{shown}.id"] = (logical, "id")
    if dlq_topic:
        outputs["dead_letter_subscription"] = ref(f"{dlq_topic}-sub", "name")
        named["dead_letter_topic_name"] = (dlq_topic, "name")
    ctx.outputs[decl.name] = outputs
    attributes(decl, named)
    return [s for s in subscriptions if s.path != decl.path]


def _access(decl: Decl, subscriptions: list[Decl]) -> None:
    """Access grants: roles/pubsub.publisher on the topic for each publisher,
    roles/pubsub.subscriber on each subscription for the queue's subscribers and the
    subscription's own."""
    ctx = decl.ctx
    project = ctx.provider_setting("gcp", "project")
    for m in members(decl, "publishers"):
        g = Args()
        g.set("topic", ref(decl.name, "name"), derived(decl, f"the topic {decl.name}"))
        g.set("role", "roles/pubsub.publisher", derived(decl, "access.publishers"))
        g.set("member", m.value, m.origin)
        g.put("project", project)
        ctx.add(Resource(grant_name(f"{decl.name}-publisher", m.value), TOPIC_IAM, g.values,
                         {}, decl.origin.where, g.origins, "access_grant", decl.name))
    shared = members(decl, "subscribers")
    for sub in subscriptions:
        logical = sub.logical
        own = members(sub, "subscribers")  # (none for the implicit one: no data of its own)
        chosen = {m.value: m for m in [*shared, *own]}
        for value, m in sorted(chosen.items()):
            g = Args()
            g.set("subscription", ref(logical, "name"), derived(sub, f"the subscription "
                                                                     f"{logical}"))
            g.set("role", "roles/pubsub.subscriber", derived(sub, "access.subscribers"))
            g.set("member", value, m.origin)
            g.put("project", project)
            ctx.add(Resource(grant_name(f"{logical}-subscriber", value), SUBSCRIPTION_IAM,
                             g.values, {}, sub.origin.where, g.origins, "access_grant",
                             decl.name if sub.path == decl.path else sub.name))


def network_of(decl: Decl) -> Value | None:
    return None  # Pub/Sub is a global API, not in a network


# What a month costs (prices/gcp_pubsub.json, with its source): throughput.
# Publishing and each subscription's delivery are billed by the TiB, at least 1000 bytes a
# request ("Pub/Sub pricing"); mlinfra counts one message a request (batching lowers it).
# Topics and subscriptions cost nothing to exist; the first 10 GiB a month of a billing
# account are free (not deducted). TiB = 2**40 bytes.
MIN_REQUEST_BYTES = 1000


def _throughput(r: dict[str, Any], g: lines.Priced, what: str) -> list[lines.Line]:
    from decimal import Decimal

    e = pricing.entry("gcp_pubsub", charge="throughput")
    assert e is not None  # (one global price)
    free = "the first 10 GiB a month per billing account are free, not deducted"
    u = g.usage(r["name"])
    if u is None:
        return [pricing.usage_based(e, f"bytes {what}, at least 1000 a request; {free}",
                                    _dead_letters(r, g))]
    billed = max(u.size, MIN_REQUEST_BYTES)
    tib = Decimal(u.messages * billed) / Decimal(2**40)
    return [pricing.per(e, e["price"], tib, "TiB", pricing.USAGE,
                        f"{pricing.plural(u.messages, 'message')} x {billed:,} bytes "
                        f"{what}, one message a request (at least 1000 bytes each); {free}")]


def _published(r: dict[str, Any], g: lines.Priced) -> list[lines.Line]:
    return _throughput(r, g, "published")


def _delivered(r: dict[str, Any], g: lines.Priced) -> list[lines.Line]:
    return _throughput(r, g, "delivered")


def _dead_letters(r: dict[str, Any], g: lines.Priced) -> bool:
    """A dead-letter topic (some subscription's dead_letter_policy names it), or the
    subscription that keeps what one receives (an index of the graph, built once per
    estimate)."""
    topic = pricing.dig(r["args"], "topic", "$ref") if r["type"] == SUBSCRIPTION \
        else r["name"]
    return isinstance(topic, str) and topic in g.referred(SUBSCRIPTION, "dead_letter_policy",
                                                          "dead_letter_topic", "$ref")


COSTS: dict[str, pricing.Pricer] = {
    TOPIC: _published,
    SUBSCRIPTION: _delivered,
    **{t: pricing.free("an IAM binding (Pub/Sub bills throughput; \"other operations are "
                       "free\")") for t in (TOPIC_IAM, SUBSCRIPTION_IAM)},
}


# What each field becomes (the editor's hover and docs/language.md): the
# arguments of pubsub.Topic / Subscription it sets, with the ranges the facts above give.
ARGUMENTS: dict[str, str] = {
    "visibility_timeout": f"`ack_deadline_seconds`: {ACK_DEADLINE[0]}s..{ACK_DEADLINE[1]}s",
    "retention": "`message_retention_duration`: 10m..31d",
    "ordering": "`enable_message_ordering`",
    "exactly_once": "`enable_exactly_once_delivery`",
    "retry": "`retry_policy`: `minimum_backoff`, `maximum_backoff`, 0s..600s each",
    "dead_letter": f"`dead_letter_policy` (`max_delivery_attempts` "
                   f"{MAX_DELIVERY_ATTEMPTS[0]}..{MAX_DELIVERY_ATTEMPTS[1]}), a topic "
                   "`<name>-dlq` and a subscription that keeps its messages",
    "expiry": "`expiration_policy`: at least 1d, or never",
    "encryption": "`kms_key_name` on the topics, and a grant on the key",
    "labels": "`labels`",
    "protect": "Pulumi's `protect`",
    "name": "`name`: 3..255 characters, starting with a letter",
    "access": "a TopicIAMMember per publisher, a SubscriptionIAMMember per subscriber",
    "subscriptions": "one Subscription `<name>-<key>` per key",
}


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Read running resources of this service back into a declaration (`mlinfra adopt`;
    the reverse of `build`, in its own module)."""
    from .gcp_pubsub_adopt import adopt as read_back

    return read_back(resources, same_stack)
