"""Queues on AWS: SQS (`aws:sqs/queue:Queue`), with an optional dead-letter queue.

Facts, from the pulumi-aws 7.51.1 docstrings of `pulumi_aws.sqs.Queue` and the Amazon SQS
Developer Guide ("Quotas", "Configuring queue parameters", "Dead-letter queues"):
- delay_seconds 0..900 (default 0); max_message_size 1024..1048576 bytes (raised to
  1 MiB in 2025; the SDK docstring says so; the provider's default 262144, the API's own
  1 MiB, botocore sqs CreateQueue MaximumMessageSize); message_retention_seconds
  60..1209600 (default 345600); receive_wait_time_seconds 0..20 (default 0);
  visibility_timeout_seconds 0..43200 (default 30).
- redrive_policy maxReceiveCount 1..1000; a dead-letter queue must be FIFO iff its source
  is; content-based deduplication exists only on FIFO queues.
- SSE-SQS (sqs_managed_sse_enabled) and kms_master_key_id exclude each other.
- names: ^[0-9A-Za-z_-]{1,80}$; FIFO names are 1..75 such characters plus `.fifo`.
  Pulumi auto-naming appends `.fifo` itself for FIFO queues (pulumi-aws#1398).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from ..graph import Origin, Resource, as_json, ref
from ..naming import NamingRule
from ..units import KIB, MIB, format_duration, format_size, parse_duration
from . import aws_access, aws_sns, pricing
from .base import (
    Args,
    Decl,
    Defaults,
    ImportId,
    Value,
    attributes,
    check_region,
    derived,
    members,
    protect,
    resource_labels,
    traffic,
)
from .changes import AWS_REGION, ChangeTable, in_place, replaces

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from . import lines
    from .adopting import Adopted

TYPE = "aws:sqs/queue:Queue"
# The service contract (providers.Service): what resolve, diff and policy read.
KIND, PROVIDER = "queue", "aws"
SERVICE = "sqs"  # the `service:` that selects it; the default of its kind and cloud
IS_DEFAULT = True
ACCEPTS: frozenset[str] | None = None  # every field of its cloud
STATEFUL = frozenset({TYPE})
NAME_ARGS = {TYPE: "name", **aws_sns.NAME_ARGS}
# Import ids: a queue's URL, an SNS topic's ARN (pulumi-aws 7.51.1 `sqs.Queue` and
# `sns.Topic` docstrings, "Import").
IMPORT_IDS = {
    TYPE: ImportId("SQS queue", r"https://sqs\.(?P<region>[a-z0-9-]+)\."
                                r"(amazonaws\.com(\.cn)?|amazonaws\.eu|c2s\.ic\.gov"
                                r"|sc2s\.sgov\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)"
                                r"/(?P<account>[0-9]{12})/(?P<name>[A-Za-z0-9_.-]{1,80})",
                   "https://sqs.us-east-1.amazonaws.com/123456789012/ml-training-queue"),
    aws_sns.TOPIC: ImportId("SNS topic", r"arn:(?P<partition>aws(-cn|-us-gov|-iso|-iso-[bef]"
                                         r"|-eusc)?):sns:"
                                         r"(?P<region>[a-z0-9-]+)"
                                         r":(?P<account>[0-9]{12}):(?P<name>[A-Za-z0-9_.-]{1,256})",
                            "arn:aws:sns:us-east-1:123456789012:ml-training"),
}
RUNNING: dict[str, dict[str, str]] = {}
TLS_VALUES: tuple[object, ...] = ()
PRODUCTION_SETTINGS: tuple[str, ...] = ()
DELAY = (0, 900)
MESSAGE_SIZE = (1 * KIB, 1 * MIB)
RETENTION = (60, 14 * 86400)
RECEIVE_WAIT = (0, 20)
VISIBILITY = (0, 12 * 3600)
MAX_RECEIVES = (1, 1000)
DLQ_RETENTION = 14 * 86400  # the maximum, so a dead letter outlives its source's copy

# What a change of each argument does to a queue: ForceNew in terraform-provider-aws
# internal/service/sqs/queue.go (name, name_prefix, fifo_queue) and region (every AWS
# resource); every other attribute is set with SetQueueAttributes in place.
_QUEUE_GO = "terraform-provider-aws internal/service/sqs/queue.go"
_FORCE_NEW = f"{_QUEUE_GO}: ForceNew: true"
_SET_ATTRIBUTES = f"{_QUEUE_GO}: updated with SetQueueAttributes"
CHANGES: ChangeTable = {TYPE: {
    "name": replaces(_FORCE_NEW),
    "name_prefix": replaces(_FORCE_NEW),
    "fifo_queue": replaces(_FORCE_NEW),
    "region": AWS_REGION,
    **{key: in_place(_SET_ATTRIBUTES) for key in (
        "content_based_deduplication", "deduplication_scope", "fifo_throughput_limit",
        "delay_seconds", "max_message_size", "message_retention_seconds",
        "receive_wait_time_seconds", "visibility_timeout_seconds", "redrive_policy",
        "redrive_allow_policy", "policy", "sqs_managed_sse_enabled", "kms_master_key_id",
        "kms_data_key_reuse_period_seconds")},
    "tags": in_place(f"{_QUEUE_GO}: tags are updated with TagQueue / UntagQueue"),
}, **aws_access.CHANGES, **aws_sns.CHANGES}

NAME_RULE = NamingRule("SQS queue", r"[0-9A-Za-z_-]{1,80}",
                       "1..80 letters, digits, hyphens and underscores")
FIFO_NAME_RULE = NamingRule("SQS FIFO queue", r"[0-9A-Za-z_-]{1,75}\.fifo",
                            "1..75 letters, digits, hyphens and underscores, then .fifo")

_COMMON: Defaults = {
    "delay": (0, "SQS default"),
    "max_message_size": ("256KiB", "mlinfra default: what an SNS topic carries by default "
                                   "(SQS's own is 1MiB)"),
    "visibility_timeout": ("30s", "SQS default"),
    "receive_wait": ("20s", "mlinfra default: long polling saves empty receives"),
    "fifo": (False, "SQS default"),
    "encryption": ("managed", "mlinfra default: SSE-SQS, the key SQS manages"),
}
# Defaults per profile (docs/design.md, Defaults).
DEFAULTS: dict[str, Defaults] = {
    "development": {
        **_COMMON,
        "retention": ("4d", "development default (the SQS default)"),
        "dead_letter": (False, "development default: no dead letters"),
        "protect": (False, "development default: stateful resources are not protected"),
    },
    "production": {
        **_COMMON,
        "retention": ("14d", "production default: the SQS maximum"),
        "dead_letter": ({"max_receives": 5}, "production default"),
        "protect": (True, "production default: stateful resources are protected"),
    },
}


def _put_seconds(a: Args, decl: Decl, key: str, arg: str, bounds: tuple[int, int]) -> None:
    r = decl.seconds(key, bounds[0], bounds[1], "SQS")
    if r is not None:
        a.set(arg, r[0], r[1])


# The forms of KMS key SQS accepts in KmsMasterKeyId (Amazon SQS API reference,
# SetQueueAttributes: "the ID of an Amazon Web Services managed customer master key ... or
# a custom CMK": key id, key ARN, alias name or alias ARN).
KMS_KEY = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|mrk-[0-9a-f]{32}"
                     r"|alias/[A-Za-z0-9/_-]{1,250}"
                     r"|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key/[A-Za-z0-9-]+|alias/\S+)")


def encryption_key(decl: Decl) -> Value | None:
    """The KMS key of `encryption: kms:<key>`, checked (MLC320); None otherwise."""
    enc = decl.get("encryption")
    if enc is None or enc.value in ("managed", "sqs-managed"):
        return None
    key = str(enc.value).removeprefix("kms:")
    if not KMS_KEY.fullmatch(key):
        decl.err("MLC320", "encryption", f"{key!r} is not a KMS key: give its id, ARN, "
                                         "alias/NAME or alias ARN", enc)
        return None
    return Value(key, enc.origin)


def _encryption(decl: Decl, a: Args) -> None:
    """managed (or sqs-managed) -> SSE-SQS; kms:<key> -> kms_master_key_id."""
    enc = decl.get("encryption")
    if enc is not None and enc.value in ("managed", "sqs-managed"):
        a.set("sqs_managed_sse_enabled", True, enc.origin)
    a.put("kms_master_key_id", encryption_key(decl))


class Built(NamedTuple):
    """What `queue` made: the queue's logical name, its region, and its dead-letter
    queue's name (or None)."""

    name: str
    region: Value | None
    dead_letter: str | None


def build(decl: Decl) -> list[Decl]:
    """An SQS queue (and its dead-letter queue); with `subscriptions`, the SNS fan-out."""
    if decl.data.get("subscriptions"):
        from . import aws_sns

        return aws_sns.build(decl)
    q = queue(decl, decl.name, "queue")
    grants = consumers(decl, [decl], q)
    publishers = aws_access.principals(decl, members(decl, "publishers"), q.region)
    if publishers:
        grants.insert(0, aws_access.allow("Publishers", publishers, aws_access.PUBLISH,
                                          ref(q.name, "arn")))
    aws_access.queue_policy(decl, q.name, grants, q.region, decl)
    outputs = {"url": ref(q.name, "url"), "arn": ref(q.name, "arn")}
    named = {"id": (q.name, "id"), "name": (q.name, "name"), "url": (q.name, "url"),
             "arn": (q.name, "arn")}
    if q.dead_letter:
        outputs["dead_letter_url"] = ref(q.dead_letter, "url")
        named["dead_letter_url"] = (q.dead_letter, "url")
        named["dead_letter_arn"] = (q.dead_letter, "arn")
    for attr in ("name", "id", "url", "arn"):  # the queue is its only consumer
        named[f"subscriptions.default.{attr}"] = named[attr]
    decl.ctx.outputs[decl.name] = outputs
    attributes(decl, named)
    return []


def consumers(decl: Decl, chain: list[Decl], q: Built) -> list[dict[str, Any]]:
    """The statement letting the subscribers of `chain` (a queue, then a subscription of
    it) consume from queue `q`; [] when there are none."""
    found = [m for d in chain for m in members(d, "subscribers")]
    who = aws_access.principals(decl, found, q.region)
    if not who:
        return []
    return [aws_access.allow("Subscribers", who, aws_access.CONSUME, ref(q.name, "arn"))]


def queue(decl: Decl, logical: str, kind: str) -> Built:
    """One SQS queue from a declaration's fields (a queue's, or a fan-out subscription's,
    which defaults to its queue's), with its dead-letter queue `<logical>-dlq`."""
    ctx = decl.ctx
    owner = decl.name
    a = Args()
    _put_seconds(a, decl, "delay", "delay_seconds", DELAY)
    size = decl.bytes_("max_message_size", *MESSAGE_SIZE, "SQS", format_size)
    if size is not None:
        a.set("max_message_size", size[0], size[1])
    _put_seconds(a, decl, "retention", "message_retention_seconds", RETENTION)
    _put_seconds(a, decl, "receive_wait", "receive_wait_time_seconds", RECEIVE_WAIT)
    _put_seconds(a, decl, "visibility_timeout", "visibility_timeout_seconds", VISIBILITY)
    retention = _check_retention(decl, a)
    fifo = decl.get("fifo")
    is_fifo = bool(fifo and fifo.value)
    a.put("fifo_queue", fifo)
    cbd = decl.given("content_based_deduplication")
    if cbd is not None:
        if cbd.value and not is_fifo:
            decl.err("MLC311", "content_based_deduplication",
                     "content-based deduplication exists only on FIFO queues: set fifo: true",
                     cbd)
        else:
            a.put("content_based_deduplication", cbd)
    _encryption(decl, a)
    region = decl.given("region") or ctx.provider_setting("aws", "region")
    a.put("region", region)
    if kind == "queue":
        check_region(decl, "sqs", region)
    tags, torigin = resource_labels(decl)
    a.set("tags", tags, torigin)
    suffix = ".fifo" if is_fifo else ""
    rule = FIFO_NAME_RULE if is_fifo else NAME_RULE
    prot = protect(decl)
    dlq_name = None
    dl = decl.get("dead_letter")
    if dl is not None and dl.value not in (False, None):
        max_receives = 5 if dl.value is True else (dl.value.get("max_receives") or 5)
        lo, hi = MAX_RECEIVES
        if not lo <= max_receives <= hi:
            decl.err("MLC204", "dead_letter", f"max_receives {max_receives} is outside the SQS "
                                              f"range {lo}..{hi}", dl)
        dlq_name = f"{logical}-dlq"
        d = Args()
        for key in ("fifo_queue", "sqs_managed_sse_enabled", "kms_master_key_id", "region",
                    "max_message_size"):
            if key in a.values:
                d.set(key, a.values[key], a.origins[key])
        _dead_letter_retention(decl, dl, d, retention)
        d.set("tags", tags, torigin)
        d.put("name", ctx.physical_name(decl, dlq_name, "dead_letter_queue", rule, suffix))
        ctx.add(Resource(dlq_name, TYPE, d.values, {"protect": prot.value},
                         decl.origin.where, d.origins, "dead_letter_queue", owner))
        # nothing is granted on a dead-letter queue: its policy is production's TLS deny
        aws_access.queue_policy(decl, dlq_name, [], region, decl)
        a.set("redrive_policy", as_json({"deadLetterTargetArn": ref(dlq_name, "arn"),
                                         "maxReceiveCount": max_receives}),
              Origin(dl.origin.kind, dl.origin.file, dl.origin.line, dl.origin.column,
                     dl.origin.note))
    a.put("name", ctx.physical_name(decl, logical, kind, rule, suffix))
    ctx.add(Resource(logical, TYPE, a.values, {"protect": prot.value}, decl.origin.where,
                     a.origins, kind, owner))
    most = a.values.get("max_message_size", MESSAGE_SIZE[1])
    traffic(decl, [logical], (most, f"the queue's max_message_size, {format_size(most)}"))
    return Built(logical, region, dlq_name)


def _check_retention(decl: Decl, a: Args) -> int | None:
    """MLC512 when messages expire before a consumer's visibility timeout ends; returns
    the retention (seconds), if set."""
    retention = a.values.get("message_retention_seconds")
    visibility = a.values.get("visibility_timeout_seconds")
    if retention is not None and visibility is not None and retention < visibility:
        decl.err("MLC512", "retention", f"retention {format_duration(retention)} is shorter "
                                        "than the visibility timeout "
                                        f"{format_duration(visibility)}: a message could "
                                        "expire while a consumer holds it",
                 decl.get("retention"))
    return retention


def _dead_letter_retention(decl: Decl, dl: Value, d: Args, retention: int | None) -> None:
    """dead_letter.retention on the dead-letter queue `d`, else the SQS maximum."""
    ctx = decl.ctx
    raw = dl.value.get("retention") if isinstance(dl.value, dict) else None
    if raw is None:
        d.set("message_retention_seconds", DLQ_RETENTION,
              derived(decl, "dead-letter queues keep messages for the SQS maximum, 14d"))
        return
    keep_path = (*decl.where("dead_letter"), "retention")
    at = ctx.origin_of(keep_path) or dl.origin
    n = parse_duration(raw)
    if n is not None and not RETENTION[0] <= n <= RETENTION[1]:
        ctx.error("MLC204", keep_path, f"{raw} is outside the SQS retention range "
                                       "60s..14d", at)
    elif n is not None:
        d.set("message_retention_seconds", n, at)
        # SQS keeps a message's original enqueue time when it moves it to the
        # dead-letter queue (SQS Developer Guide, "Dead-letter queues").
        if retention is not None and n < retention:
            ctx.error("MLC510", keep_path,
                      f"the dead-letter queue keeps messages {format_duration(n)}, "
                      f"less than the source's {format_duration(retention)}; SQS "
                      "counts retention from the original enqueue time, so dead "
                      "letters would expire early", at)


def delivers(decl: Decl) -> bool:
    """Consumers read the SQS queue itself, or on a fan-out each subscription's queue."""
    return decl.kind == "subscription" or not decl.data.get("subscriptions")


def network_of(decl: Decl) -> Value | None:
    return None  # SQS is reached over its public endpoint (or a VPC endpoint of the VPC)


# What a month costs (prices/aws_sqs.json, each entry with its source): requests.
# Each 64 KiB chunk of a message is a request ("Amazon SQS pricing"); mlinfra counts three
# a message, sending, receiving and deleting it (on a fan-out SNS's delivery is the send:
# "No charge for deliveries to SQS Queues. Standard SQS pricing applies"). Empty receives
# are not counted. The first million requests a month are free once per account: said,
# not deducted from any one queue.
REQUESTS_PER_MESSAGE = 3
CHUNK = 64 * KIB
FREE_REQUESTS = ("the first million requests a month per account are free (not deducted); "
                 "the first-tier price, up to 100 billion requests a month")


def _monthly(r: dict[str, Any], g: lines.Priced) -> list[lines.Line]:
    a = r["args"]
    gone = pricing.missing(r, "region")
    if gone:
        return gone
    kind, region = "fifo" if a.get("fifo_queue") else "standard", str(a["region"])
    e = pricing.entry("aws_sqs", queue=kind, region=region)
    if e is None:
        return [pricing.no_price(f"SQS {kind} queues in {region}", "aws_sqs")]
    u = g.usage(r["name"])
    if u is None:
        return [pricing.usage_based(e, f"{REQUESTS_PER_MESSAGE} requests a message (send, "
                                       f"receive, delete), one per 64 KiB; {FREE_REQUESTS}",
                                    _dead_letters(r["name"], g))]
    chunks = pricing.chunks(u.size, CHUNK)
    n = u.messages * chunks * REQUESTS_PER_MESSAGE
    per_64 = f" x {chunks} chunks of 64 KiB" if chunks > 1 else ""
    return [pricing.per(e, e["price"], pricing.millions(n), "million requests", pricing.USAGE,
                        f"{pricing.plural(u.messages, 'message')}{per_64} x "
                        f"{REQUESTS_PER_MESSAGE} (send, "
                        f"receive, delete) = {n:,} requests; {FREE_REQUESTS}")]


def _dead_letters(name: str, g: lines.Priced) -> bool:
    """Some queue's redrive policy sends its failed messages to `name` (an index of the
    graph, built once per estimate)."""
    return name in g.referred(TYPE, "redrive_policy", "$json", "deadLetterTargetArn", "$ref")


COSTS: dict[str, pricing.Pricer] = {TYPE: _monthly, **aws_access.COSTS, **aws_sns.COSTS}


# What each field becomes (the editor's hover and docs/language.md): the
# arguments of sqs.Queue it sets, with the ranges the facts above give.
ARGUMENTS: dict[str, str] = {
    "delay": f"`delay_seconds`: {DELAY[0]}..{DELAY[1]}s",
    "max_message_size": "`max_message_size`: 1KiB..1MiB (a fan-out's SNS topic takes it as "
                        "`maximum_message_size` when above 256KiB)",
    "retention": "`message_retention_seconds`: 60s..14d",
    "receive_wait": f"`receive_wait_time_seconds`: {RECEIVE_WAIT[0]}..{RECEIVE_WAIT[1]}s",
    "visibility_timeout": "`visibility_timeout_seconds`: 0s..12h",
    "fifo": "`fifo_queue` (the name ends in .fifo)",
    "content_based_deduplication": "`content_based_deduplication`",
    "dead_letter": f"`redrive_policy` (maxReceiveCount {MAX_RECEIVES[0]}..{MAX_RECEIVES[1]}) "
                   "and a queue `<name>-dlq`",
    "encryption": "`sqs_managed_sse_enabled` or `kms_master_key_id`",
    "region": "`region`",
    "labels": "`tags`",
    "protect": "Pulumi's `protect`",
    "name": "`name`: 1..80 letters, digits, hyphens and underscores (.fifo last)",
    "access": "a QueuePolicy (and on a fan-out a TopicPolicy)",
    "subscriptions": "an SNS topic, and per key an SQS queue `<name>-<key>` subscribed to it",
}


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Read running resources of this service back into a declaration (`mlinfra adopt`;
    the reverse of `build`, in its own module)."""
    from .aws_sqs_adopt import adopt as read_back

    return read_back(resources, same_stack)
