"""Fan-out queues on AWS: a queue with `subscriptions` on aws becomes an SNS
topic `<name>` delivering every message to one SQS queue `<name>-<key>` per subscription,
so the same declaration compiles on both clouds. Part of the SQS service (aws_sqs).

Facts, read 2026-11-28 (pulumi-aws 7.51.1 docstrings; terraform-provider-aws
internal/service/sns/topic.go and topic_subscription.go; Amazon SNS Developer Guide):
- `aws:sns/topic:Topic`: name, name_prefix and fifo_topic are ForceNew; tags,
  kms_master_key_id, content_based_deduplication (FIFO topics only), display_name and the
  policy change in place (SetTopicAttributes). Names: 1..256 letters, digits, `-` and `_`;
  a FIFO topic's ends in `.fifo`, which counts (`^[0-9A-Za-z_-]{1,251}\\.fifo$`).
- `aws:sns/topicSubscription:TopicSubscription`: the topic input is `topic` (its ARN);
  topic, protocol and endpoint are ForceNew; raw_message_delivery, filter_policy and
  redrive_policy change in place. For protocol `sqs` the endpoint is the queue's ARN.
  Raw delivery hands SQS the message body as published, not wrapped in SNS's JSON.
- A FIFO SQS queue can subscribe only to a FIFO topic (a FIFO topic also delivers to
  standard queues since 2023, "FIFO message delivery"): a fifo queue makes both FIFO.
- Every regional resource: region ForceNew (changes.AWS_REGION).
- `maximum_message_size` 1024..1048576, default 262144; above 262144 a topic takes at most
  100 subscriptions, each to SQS, Firehose or Lambda (pulumi-aws 7.51.1 `sns.Topic`
  docstring; SetTopicAttributes, MaximumMessageSize); set with SetTopicAttributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..graph import Resource, ref
from ..naming import NamingRule
from ..units import GIB, KIB, MIB, format_size, parse_size
from . import aws_access, pricing
from .aws_sqs_queue import MESSAGE_SIZE, consumers, encryption_key, queue
from .base import (
    Args,
    Decl,
    Value,
    attributes,
    check_region,
    derived,
    members,
    protect,
    resource_labels,
    subscription_decls,
    traffic,
)
from .changes import AWS_REGION, ChangeTable, in_place, replaces

if TYPE_CHECKING:
    from decimal import Decimal

    from . import lines

TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
NAME_ARGS = {TOPIC: "name"}

_TOPIC_GO = "terraform-provider-aws internal/service/sns/topic.go"
_SUB_GO = "terraform-provider-aws internal/service/sns/topic_subscription.go"
CHANGES: ChangeTable = {
    TOPIC: {
        **{k: replaces(f"{_TOPIC_GO}: ForceNew: true") for k in ("name", "name_prefix",
                                                                 "fifo_topic")},
        **{k: in_place(f"{_TOPIC_GO}: SetTopicAttributes") for k in (
            "content_based_deduplication", "kms_master_key_id", "display_name", "policy",
            "delivery_policy", "archive_policy", "maximum_message_size")},
        "tags": in_place(f"{_TOPIC_GO}: tags are updated with TagResource"),
        "region": AWS_REGION,
    },
    SUBSCRIPTION: {
        **{k: replaces(f"{_SUB_GO}: ForceNew: true") for k in ("topic", "protocol",
                                                               "endpoint")},
        **{k: in_place(f"{_SUB_GO}: SetSubscriptionAttributes") for k in (
            "raw_message_delivery", "filter_policy", "filter_policy_scope",
            "redrive_policy")},
        "region": AWS_REGION,
    },
}

NAME_RULE = NamingRule("SNS topic", r"[0-9A-Za-z_-]{1,256}",
                       "1..256 letters, digits, hyphens and underscores")
FIFO_NAME_RULE = NamingRule("SNS FIFO topic", r"[0-9A-Za-z_-]{1,251}\.fifo",
                            "1..251 letters, digits, hyphens and underscores, then .fifo")


# What a topic carries (Amazon SNS Developer Guide, "Publishing large messages with Amazon
# SNS"; SetTopicAttributes, MaximumMessageSize): 262,144 bytes (256 KiB) unless its
# MaximumMessageSize says more, up to 1,048,576 (1 MiB); above 256 KiB a topic takes at
# most 100 subscriptions, each to SQS, Firehose or Lambda. A fan-out's topic carries what
# its queues take (their max_message_size), so a larger queue raises the topic's limit.
TOPIC_DEFAULT_SIZE = 256 * KIB
TOPIC_LARGEST_SIZE = MIB
LARGE_TOPIC_SUBSCRIPTIONS = 100


def build(decl: Decl) -> list[Decl]:
    """The topic, then per subscription its queue (with dead letters), the queue policy
    that lets the topic (and the subscribers) in, and the subscription itself."""
    ctx = decl.ctx
    topic = decl.name
    region = decl.given("region") or ctx.provider_setting("aws", "region")
    check_region(decl, "sqs", region)
    subs = subscription_decls(decl)
    carried = _topic(decl, region, len(subs))
    outputs: dict[str, object] = {"topic_arn": ref(topic, "arn"), "subscriptions": {}}
    named = {"id": (topic, "id"), "name": (topic, "name"), "arn": (topic, "arn"),
             "topic_name": (topic, "name"), "topic_arn": (topic, "arn")}
    for sub in subs:
        q = queue(sub, f"{topic}-{sub.name}", "subscription")
        grants = [aws_access.topic_delivers(topic, ref(q.name, "arn")),
                  *consumers(decl, [decl, sub], q)]
        policy = aws_access.queue_policy(sub, q.name, grants, region, sub)
        assert policy is not None  # (the topic's own grant is always there)
        s = Args()
        s.set("topic", ref(topic, "arn"), derived(sub, f"the topic {topic}"))
        s.set("protocol", "sqs", derived(sub, "SNS delivers to an SQS queue"))
        s.set("endpoint", ref(q.name, "arn"), derived(sub, f"the queue {q.name}"))
        s.set("raw_message_delivery", True,
              derived(sub, "raw delivery: consumers read the message as published"))
        s.put("region", region)
        ctx.add(Resource(f"{q.name}-subscription", SUBSCRIPTION, s.values,
                         {"depends_on": [policy]}, sub.source,
                         s.origins, "topic_subscription", sub.name))
        traffic(sub, [f"{q.name}-subscription"], carried)
        outputs["subscriptions"][sub.name] = ref(q.name, "url")  # type: ignore[index]
        for attr in ("name", "id", "url", "arn"):
            named[f"subscriptions.{sub.name}.{attr}"] = (q.name, attr)
    publishers = aws_access.principals(decl, members(decl, "publishers"), region)
    aws_access.topic_policy(decl, topic, publishers, region)
    ctx.outputs[decl.name] = outputs
    attributes(decl, named)
    return subs


def _carried(decl: Decl, t: Args, subscriptions: int) -> tuple[int, str]:
    """The largest message the fan-out carries end to end: its queues' max_message_size
    (the topic's maximum_message_size is raised to it when above SNS's default)."""
    v = decl.get("max_message_size")
    n = parse_size(v.value) if v is not None else None
    if v is None or n is None or not MESSAGE_SIZE[0] <= n <= MESSAGE_SIZE[1]:
        return TOPIC_DEFAULT_SIZE, "what an SNS topic carries by default, 256KiB"
    if n > TOPIC_DEFAULT_SIZE:
        if subscriptions > LARGE_TOPIC_SUBSCRIPTIONS:
            decl.err("MLC311", "max_message_size", "an SNS topic carries messages above "
                     f"256KiB to at most {LARGE_TOPIC_SUBSCRIPTIONS} subscriptions; this queue "
                     f"has {subscriptions}: lower max_message_size or split the subscriptions",
                     v)
        t.set("maximum_message_size", n, v.origin)
    return n, f"the queue's max_message_size, {format_size(n)}"


def _topic(decl: Decl, region: Value | None, subscriptions: int) -> tuple[int, str]:
    ctx = decl.ctx
    t = Args()
    fifo = decl.get("fifo")
    is_fifo = bool(fifo and fifo.value)
    if is_fifo:
        t.put("fifo_topic", fifo)
        t.put("content_based_deduplication", decl.given("content_based_deduplication"))
    key = encryption_key(decl)
    if key is not None:
        t.put("kms_master_key_id", key)
    carried = _carried(decl, t, subscriptions)
    t.put("region", region)
    tags, torigin = resource_labels(decl)
    t.set("tags", tags, torigin)
    t.put("name", ctx.physical_name(decl, decl.name, "topic",
                                    FIFO_NAME_RULE if is_fifo else NAME_RULE,
                                    ".fifo" if is_fifo else ""))
    ctx.add(Resource(decl.name, TOPIC, t.values, {"protect": protect(decl).value},
                     decl.source, t.origins, "topic", decl.name))
    traffic(decl, [decl.name], carried)
    return carried


# What a month costs (prices/aws_sns.json, each entry with its source). A
# standard topic: publish requests, one per 64 KiB chunk, the first million a month per
# account free (not deducted); deliveries to SQS are free ("No charge for deliveries to SQS
# Queues"). A FIFO topic: publish requests and payload, and per subscription its messages
# and payload (no chunking, no free tier: as infracost prices it). GB = 2**30 bytes.
CHUNK = 64 * KIB


def _gb(n: int) -> Decimal:
    from decimal import Decimal

    return Decimal(n) / Decimal(GIB)


def _fifo(r: dict[str, Any], g: lines.Priced, charge: str, what: str) -> list[lines.Line]:
    gone = pricing.missing(r, "region")
    if gone:
        return gone
    region = str(r["args"]["region"])
    count = pricing.entry("aws_sns", topic="fifo", charge=charge, region=region)
    payload = pricing.entry("aws_sns", topic="fifo", charge=f"{charge} payload", region=region)
    if count is None or payload is None:
        return [pricing.no_price(f"SNS FIFO topics in {region}", "aws_sns")]
    u = g.usage(r["name"])
    if u is None:
        return [pricing.usage_based(count, f"FIFO {what}"),
                pricing.usage_based(payload, f"FIFO {what} payload")]
    size = u.messages * u.size
    messages = pricing.plural(u.messages, "message")
    return [pricing.per(count, count["price"], pricing.millions(u.messages),
                        "million requests", pricing.USAGE, f"{messages}: FIFO {what}"),
            pricing.per(payload, payload["price"], _gb(size), "GB", pricing.USAGE,
                        f"{messages} x {pricing.plural(u.size, 'byte')}: FIFO {what} "
                        "payload (GB = 2**30 bytes)")]


def _topic_monthly(r: dict[str, Any], g: lines.Priced) -> list[lines.Line]:
    if r["args"].get("fifo_topic"):
        return _fifo(r, g, "publish", "publish requests")
    gone = pricing.missing(r, "region")
    if gone:
        return gone
    region = str(r["args"]["region"])
    e = pricing.entry("aws_sns", topic="standard", charge="publish", region=region)
    if e is None:
        return [pricing.no_price(f"SNS standard topics in {region}", "aws_sns")]
    free = "the first million a month per account are free (not deducted); deliveries " \
           "to SQS are free"
    u = g.usage(r["name"])
    if u is None:
        return [pricing.usage_based(e, f"one publish request per 64 KiB; {free}")]
    chunks = pricing.chunks(u.size, CHUNK)
    n = u.messages * chunks
    per_64 = f" x {chunks} chunks of 64 KiB" if chunks > 1 else ""
    return [pricing.per(e, e["price"], pricing.millions(n), "million requests", pricing.USAGE,
                        f"{pricing.plural(u.messages, 'message')}{per_64} = "
                        f"{pricing.plural(n, 'publish request')}; {free}")]


def _subscription_monthly(r: dict[str, Any], g: lines.Priced) -> list[lines.Line]:
    topic = g.resources.get(str(pricing.dig(r["args"], "topic", "$ref")))
    if pricing.dig(topic, "args", "fifo_topic"):
        return _fifo(r, g, "delivery", "deliveries")
    return pricing.free("SNS does not charge for deliveries to SQS queues (the queue's "
                        "requests are priced on the queue)")(r, g)


COSTS: dict[str, pricing.Pricer] = {TOPIC: _topic_monthly, SUBSCRIPTION: _subscription_monthly}
