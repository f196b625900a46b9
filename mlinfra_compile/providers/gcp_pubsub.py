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

from typing import TYPE_CHECKING, Any, NamedTuple

from ..graph import Origin, Resource, ref
from ..units import format_duration, parse_duration
from . import gcp_kms
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
    traffic,
)
from .gcp_pubsub_changes import CHANGES as CHANGES
from .gcp_pubsub_changes import PROVIDER as PROVIDER
from .gcp_pubsub_changes import SUBSCRIPTION as SUBSCRIPTION
from .gcp_pubsub_changes import SUBSCRIPTION_IAM as SUBSCRIPTION_IAM
from .gcp_pubsub_changes import TOPIC as TOPIC
from .gcp_pubsub_changes import TOPIC_IAM as TOPIC_IAM
from .gcp_pubsub_cost import COSTS as COSTS
from .gcp_pubsub_cost import MIN_REQUEST_BYTES as MIN_REQUEST_BYTES
from .gcp_pubsub_limits import ACK_DEADLINE as ACK_DEADLINE
from .gcp_pubsub_limits import BACKOFF as BACKOFF
from .gcp_pubsub_limits import LARGEST as LARGEST
from .gcp_pubsub_limits import MAX_DELIVERY_ATTEMPTS as MAX_DELIVERY_ATTEMPTS
from .gcp_pubsub_limits import MIN_EXPIRY as MIN_EXPIRY
from .gcp_pubsub_limits import NAME_RULE as NAME_RULE
from .gcp_pubsub_limits import RETENTION as RETENTION
from .gcp_pubsub_subscriptions import DEFAULT as DEFAULT
from .gcp_pubsub_subscriptions import _secs, _subscription, _subscriptions

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from .adopting import Adopted

# The service contract (providers.Service): what resolve, diff and policy read.
KIND = "queue"  # PROVIDER, its cloud, is gcp_pubsub_changes' (beside its resource types)
SERVICE = "pubsub"  # the `service:` that selects it; the default of its kind and cloud
IS_DEFAULT = True
ACCEPTS: frozenset[str] | None = None  # every field of its cloud
INSTEAD: dict[str, str] = {}  # field it does not take -> what it offers
TITLE = "Pub/Sub"  # how people call it (the editor's hovers)
CLAIMS: frozenset[str] = frozenset()  # fields its cloud's default service leaves to it
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


class _Topics(NamedTuple):
    """What every topic of a queue takes: its project and labels, the KMS key (only once
    Pub/Sub's service agent is granted it) and the resource options."""

    project: Value | None
    labels: tuple[dict[str, str], Origin]
    key: Value | None
    options: dict[str, Any]


def _topics(decl: Decl) -> _Topics:
    """The queue's project, labels and protect; encryption: kms:<key> -> kms_key_name on
    the topics (a dead-letter topic holds the same messages), after the grant the Pub/Sub
    agent needs."""
    project = decl.ctx.provider_setting("gcp", "project")
    labels = resource_labels(decl)
    prot = protect(decl)
    key = gcp_kms.key_of(decl, "Pub/Sub")
    key_grant = gcp_kms.grant(decl, key, AGENT_DOMAIN, "Pub/Sub") if key is not None else None
    options: dict[str, Any] = {"protect": prot.value}
    if key_grant is not None:
        options["depends_on"] = [key_grant]
    return _Topics(project, labels, key if key_grant is not None else None, options)


def _add_topic(decl: Decl, logical: str, kind: str, t: _Topics) -> None:
    """One topic of the queue: its own, or its dead-letter topic."""
    ctx = decl.ctx
    a = Args()
    a.put("project", t.project)
    a.set("labels", *t.labels)
    a.put("kms_key_name", t.key)
    a.put("name", ctx.physical_name(decl, logical, kind, NAME_RULE))
    ctx.add(Resource(logical, TOPIC, a.values, dict(t.options), decl.source,
                     a.origins, kind, decl.name))


def _dead_letter_topic(decl: Decl, subscriptions: list[Decl],
                       t: _Topics) -> tuple[str | None, str | None]:
    """With dead letters on any subscription: the topic `<queue>-dlq`, the subscription
    that keeps what it receives, and the grant letting Pub/Sub's service agent publish to
    it. Returns (that topic, the agent), or (None, None)."""
    ctx = decl.ctx
    dl_origins = [o for o in (_wants_dead_letter(s) for s in subscriptions) if o]
    if not dl_origins:
        return None, None
    number = ctx.provider_setting("gcp", "project_number")
    if number is None:
        dl = decl.get("dead_letter") if _wants_dead_letter(decl) else None
        at = dl.origin if dl else dl_origins[0]
        why = f" (the {at.note})" if at.kind == "default" else ""
        ctx.error("MLC312", decl.path + ("dead_letter",),
                  "Pub/Sub dead letters need providers.gcp.project_number, to grant "
                  f"Pub/Sub's service agent access to the dead-letter topic{why}", at)
        return None, None
    member = f"serviceAccount:service-{number.value}@{AGENT_DOMAIN}"
    dlq_topic = f"{decl.name}-dlq"
    _add_topic(decl, dlq_topic, "dead_letter_topic", t)
    _keep_dead_letters(decl, subscriptions, dlq_topic, t)
    grant = Args()
    grant.set("topic", ref(dlq_topic, "name"), derived(decl, f"the topic {dlq_topic}"))
    grant.set("role", "roles/pubsub.publisher", derived(decl, "Pub/Sub dead letters"))
    grant.set("member", member, derived(decl, "the Pub/Sub service agent"))
    grant.put("project", t.project)
    ctx.add(Resource(f"{dlq_topic}-publisher", TOPIC_IAM, grant.values, {},
                     decl.source, grant.origins, "iam_member", decl.name))
    return dlq_topic, member


def _keep_dead_letters(decl: Decl, subscriptions: list[Decl], dlq_topic: str,
                       t: _Topics) -> None:
    """The subscription `<queue>-dlq-sub` that keeps the dead letters (for
    dead_letter.retention, never expiring); MLC510 for a subscription whose own retention
    is longer."""
    ctx = decl.ctx
    keep = Args()
    keep.set("topic", ref(dlq_topic, "name"), derived(decl, f"the topic {dlq_topic}"))
    keep.put("project", t.project)
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
    keep.set("labels", *t.labels)
    keep.put("name", ctx.physical_name(decl, f"{dlq_topic}-sub",
                                       "dead_letter_subscription", NAME_RULE))
    ctx.add(Resource(f"{dlq_topic}-sub", SUBSCRIPTION, keep.values,
                     {"protect": t.options["protect"]}, decl.source, keep.origins,
                     "dead_letter_subscription", decl.name))


def _outputs(decl: Decl, subscriptions: list[Decl], dlq_topic: str | None) -> None:
    """The stack outputs of a queue (its topic, subscriptions and dead letters), and what
    `exports` may name on it."""
    topic = decl.name
    outputs: dict[str, Any] = {"topic": ref(topic, "name"), "subscriptions": {}}
    named = {"id": (topic, "id"), "name": (topic, "name"), "topic_name": (topic, "name"),
             "topic_id": (topic, "id")}
    for sub in subscriptions:
        logical = sub.logical
        # Its key in the stack output and in `exports` alike (the resource of `default`
        # keeps its name `<queue>-sub`; the stack output said `sub` until issue 26).
        shown = DEFAULT if sub.path == decl.path else sub.name
        outputs["subscriptions"][shown] = ref(logical, "name")
        named[f"subscriptions.{shown}.name"] = (logical, "name")
        named[f"subscriptions.{shown}.id"] = (logical, "id")
    if dlq_topic:
        outputs["dead_letter_subscription"] = ref(f"{dlq_topic}-sub", "name")
        named["dead_letter_topic_name"] = (dlq_topic, "name")
    decl.ctx.outputs[decl.name] = outputs
    attributes(decl, named)


def build(decl: Decl) -> list[Decl]:
    subscriptions = _subscriptions(decl)
    topic = decl.name
    t = _topics(decl)
    _add_topic(decl, topic, "topic", t)
    traffic(decl, [topic], LARGEST)
    dlq_topic, member = _dead_letter_topic(decl, subscriptions, t)
    if decl.data.get("access") or any(s.data.get("access") for s in subscriptions):
        _access(decl, subscriptions)
    for sub in subscriptions:
        _subscription(sub, sub.logical, topic, dlq_topic, member)
    _outputs(decl, subscriptions, dlq_topic)
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
                         {}, decl.source, g.origins, "access_grant", decl.name))
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
                             g.values, {}, sub.source, g.origins, "access_grant",
                             decl.name if sub.path == decl.path else sub.name))


def network_of(decl: Decl) -> Value | None:
    return None  # Pub/Sub is a global API, not in a network


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
