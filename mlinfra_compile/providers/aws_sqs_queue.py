"""SQS queues: their cloud and resource type, the ranges SQS takes (aws_sqs's docstring
gives the sources), and `queue`, the builder of one queue with its dead-letter queue, which
the SQS service (aws_sqs) and the SNS fan-out (aws_sns) both call, with `consumers`, the
grant that lets a queue's subscribers read it."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ..graph import Origin, Resource, as_json, ref
from ..naming import NamingRule
from ..units import KIB, MIB, format_duration, format_size, parse_duration
from . import aws_access
from .base import (
    Args,
    Decl,
    Value,
    check_region,
    derived,
    members,
    protect,
    resource_labels,
    traffic,
)

PROVIDER = "aws"  # the service's cloud (providers.Service), re-exported by aws_sqs
TYPE = "aws:sqs/queue:Queue"

DELAY = (0, 900)
MESSAGE_SIZE = (1 * KIB, 1 * MIB)
RETENTION = (60, 14 * 86400)
RECEIVE_WAIT = (0, 20)
VISIBILITY = (0, 12 * 3600)
MAX_RECEIVES = (1, 1000)
DLQ_RETENTION = 14 * 86400  # the maximum, so a dead letter outlives its source's copy

NAME_RULE = NamingRule("SQS queue", r"[0-9A-Za-z_-]{1,80}",
                       "1..80 letters, digits, hyphens and underscores")
FIFO_NAME_RULE = NamingRule("SQS FIFO queue", r"[0-9A-Za-z_-]{1,75}\.fifo",
                            "1..75 letters, digits, hyphens and underscores, then .fifo")


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
    a = Args()
    retention = _limits(decl, a)
    is_fifo = _fifo(decl, a)
    _encryption(decl, a)
    region = decl.given("region") or ctx.provider_setting("aws", "region")
    a.put("region", region)
    if kind == "queue":
        check_region(decl, "sqs", region)
    tags, torigin = resource_labels(decl)
    a.set("tags", tags, torigin)
    naming = (FIFO_NAME_RULE, ".fifo") if is_fifo else (NAME_RULE, "")
    prot = protect(decl)
    dlq_name = _dead_letter_queue(decl, a, logical, naming, retention, region)
    a.put("name", ctx.physical_name(decl, logical, kind, *naming))
    ctx.add(Resource(logical, TYPE, a.values, {"protect": prot.value}, decl.source,
                     a.origins, kind, decl.name))
    most = a.values.get("max_message_size", MESSAGE_SIZE[1])
    traffic(decl, [logical], (most, f"the queue's max_message_size, {format_size(most)}"))
    return Built(logical, region, dlq_name)


def _limits(decl: Decl, a: Args) -> int | None:
    """delay, max_message_size, retention, receive_wait and visibility_timeout, each in
    SQS's range; returns the retention (seconds), if set."""
    _put_seconds(a, decl, "delay", "delay_seconds", DELAY)
    size = decl.bytes_("max_message_size", *MESSAGE_SIZE, "SQS", format_size)
    if size is not None:
        a.set("max_message_size", size[0], size[1])
    _put_seconds(a, decl, "retention", "message_retention_seconds", RETENTION)
    _put_seconds(a, decl, "receive_wait", "receive_wait_time_seconds", RECEIVE_WAIT)
    _put_seconds(a, decl, "visibility_timeout", "visibility_timeout_seconds", VISIBILITY)
    return _check_retention(decl, a)


def _fifo(decl: Decl, a: Args) -> bool:
    """fifo -> fifo_queue, and content_based_deduplication (FIFO queues only); whether the
    queue is FIFO."""
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
    return is_fifo


def _dead_letter_queue(decl: Decl, a: Args, logical: str, naming: tuple[NamingRule, str],
                       retention: int | None, region: Value | None) -> str | None:
    """dead_letter -> the queue `<logical>-dlq` (FIFO, encrypted, sized and tagged as the
    queue `a`) and the queue's redrive_policy to it; its name, None without dead letters."""
    ctx = decl.ctx
    dl = decl.get("dead_letter")
    if dl is None or dl.value in (False, None):
        return None
    # (within SQS's range: the schema bounds max_receives by MAX_RECEIVES, queue_fields.py)
    max_receives = 5 if dl.value is True else (dl.value.get("max_receives") or 5)
    dlq_name = f"{logical}-dlq"
    d = Args()
    for key in ("fifo_queue", "sqs_managed_sse_enabled", "kms_master_key_id", "region",
                "max_message_size"):
        if key in a.values:
            d.set(key, a.values[key], a.origins[key])
    _dead_letter_retention(decl, dl, d, retention)
    d.set("tags", a.values["tags"], a.origins["tags"])
    d.put("name", ctx.physical_name(decl, dlq_name, "dead_letter_queue", *naming))
    ctx.add(Resource(dlq_name, TYPE, d.values, {"protect": protect(decl).value},
                     decl.source, d.origins, "dead_letter_queue", decl.name))
    # nothing is granted on a dead-letter queue: its policy is production's TLS deny
    aws_access.queue_policy(decl, dlq_name, [], region, decl)
    a.set("redrive_policy", as_json({"deadLetterTargetArn": ref(dlq_name, "arn"),
                                     "maxReceiveCount": max_receives}),
          Origin(dl.origin.kind, dl.origin.file, dl.origin.line, dl.origin.column,
                 dl.origin.note))
    return dlq_name


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


