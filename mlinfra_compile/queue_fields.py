"""The fields of a queue and of its subscriptions (QUEUE_FIELDS, SUBSCRIPTION_FIELDS), with
the fragments they are made of: dead letters, access grants (QUEUE_ACCESS, which a session
store's `access` refuses), expected usage."""

from __future__ import annotations

from typing import Any

# Ranges come from the provider tables, so the schema and the checks cannot disagree.
from . import lengths as N
from .clouds import REGION_LENGTH
from .common_fields import COMMON_FIELDS, ENCRYPTION, PREVIOUS_NAMES
from .fieldkit import (
    MEMBER_PATTERN,
    SUBSCRIPTION_KEY_PATTERN,
    Field,
    boolean,
    duration,
    pulumi_args_field,
    service_field,
    size,
    string,
)
from .providers import aws_sqs


def _dead_letter(description: str) -> dict[str, Any]:
    return {
        "type": ["object", "boolean", "null"],
        "description": description,
        "additionalProperties": False,
        "properties": {
            "max_receives": {
                "type": ["integer", "null"],
                "minimum": aws_sqs.MAX_RECEIVES[0],
                "maximum": aws_sqs.MAX_RECEIVES[1],
                "description": "Deliveries before a message moves to the dead-letter queue. "
                               "SQS accepts 1..1000, Pub/Sub 5..100.",
                "default": 5,
                "examples": [5],
            },
            "retention": duration("How long the dead-letter queue keeps messages; at least "
                                  "the source's retention (SQS counts it from the original "
                                  "enqueue time). Default: the maximum, 14d on SQS, 31d on "
                                  "Pub/Sub.", "14d"),
        },
        "default": False,
        "examples": [{"max_receives": 5}],
    }


def _members(description: str, example: str) -> dict[str, Any]:
    return {"type": ["array", "null"], "description": description,
            "items": {"type": "string", "pattern": MEMBER_PATTERN, "maxLength": N.MEMBER_LENGTH},
            "uniqueItems": True,
            "default": None, "examples": [[example]]}


_PUBLISHERS = _members(
    "Who may publish: gcp members (serviceAccount:, user:, group:, domain:, principal:, "
    "principalSet:) get roles/pubsub.publisher on the topic; aws principals (IAM role or "
    "user ARNs, 12-digit account ids) get sqs:SendMessage (sns:Publish on a fan-out "
    "topic).", "serviceAccount:api@acme-ml-prod.iam.gserviceaccount.com")
_SUBSCRIBERS = _members(
    "Who may consume: gcp members get roles/pubsub.subscriber on each subscription; aws "
    "principals get sqs:ReceiveMessage, sqs:DeleteMessage, sqs:ChangeMessageVisibility on "
    "the queue (each subscription's queue on a fan-out).",
    "serviceAccount:trainer@acme-ml-prod.iam.gserviceaccount.com")
QUEUE_ACCESS = {
    "type": ["object", "null"],
    "description": "Least-privilege grants for applications: gcp Pub/Sub IAM members, aws "
                   "SQS (and SNS) resource policies. In production an aws policy also "
                   "denies requests without TLS.",
    "additionalProperties": False,
    "properties": {"publishers": _PUBLISHERS, "subscribers": _SUBSCRIBERS},
    "default": None,
    "examples": [{"publishers": ["arn:aws:iam::123456789012:role/api"],
                  "subscribers": ["arn:aws:iam::123456789012:role/trainer"]}],
}
SUBSCRIPTION_ACCESS = {
    "type": ["object", "null"],
    "description": "More subscribers for this subscription, besides the queue's.",
    "additionalProperties": False,
    "properties": {"subscribers": _SUBSCRIBERS},
    "default": None,
    "examples": [{"subscribers": ["group:ml-trainers@acme.com"]}],
}


_SUB_COMMON: dict[str, Field] = {
    "visibility_timeout": Field(duration(
        "Time a consumer has to acknowledge a message before it is redelivered. SQS "
        "0..12h (default 30s); Pub/Sub ack deadline 10s..600s (default 10s).", "30s")),
    "retention": Field(duration(
        "How long unacknowledged messages are kept. SQS 60s..14d (default 4d, 14d in "
        "production); Pub/Sub subscriptions 10m..31d (default 7d).", "1d")),
    "ordering": Field(boolean("Pub/Sub: deliver messages with the same ordering key in order."),
                      providers=("gcp",),
                      instead={"aws": "SQS orders messages in FIFO queues: use fifo: true"}),
    "exactly_once": Field(boolean("Pub/Sub exactly-once delivery.", False), providers=("gcp",),
                          instead={"aws": "SQS FIFO queues deduplicate: use fifo: true"}),
    "retry": Field({
        "type": ["object", "null"],
        "description": "Pub/Sub redelivery backoff (0..600s each).",
        "additionalProperties": False,
        "properties": {
            "min_backoff": duration("Shortest wait before redelivery (default 10s).", "10s",
                                    "10s"),
            "max_backoff": duration("Longest wait before redelivery (default 600s).", "600s",
                                    "600s"),
        },
        "default": None,
        "examples": [{"min_backoff": "10s", "max_backoff": "600s"}],
    }, providers=("gcp",), instead={"aws": "SQS redelivers after visibility_timeout"}),
    "dead_letter": Field(_dead_letter(
        "Move messages that fail max_receives times to a dead-letter queue (SQS: a queue "
        "`<name>-dlq`; Pub/Sub: a topic `<name>-dlq` with a subscription that keeps them). "
        "true uses max_receives 5; false turns it off. Default: off in development, "
        "max_receives 5 in production.")),
    "expiry": Field({
        "type": ["string", "integer", "null"],
        "pattern": r"^(never|(?=[0-9])(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?)$",
        "maxLength": N.UNITS_LENGTH,
        "description": "Pub/Sub: delete the subscription after this long without activity "
                       "(at least 1d), or `never`. Default: the provider's 31 days in "
                       "development, never in production.",
        "default": None,
        "examples": ["never"],
    }, providers=("gcp",), instead={"aws": "SQS queues do not expire"}),
    "labels": COMMON_FIELDS["labels"],
}

SUBSCRIPTION_FIELDS: dict[str, Field] = {
    **_SUB_COMMON,
    "name": COMMON_FIELDS["name"],
    "previous_names": Field(PREVIOUS_NAMES),
    "import": Field({**COMMON_FIELDS["import"].schema, "type": ["string", "null"],
                     "description": "Adopt an existing subscription (Pub/Sub "
                                    "projects/P/subscriptions/S; on aws the SQS queue URL) "
                                    "instead of creating it. Needs a fixed physical name.",
                     "examples": ["projects/acme-ml-prod/subscriptions/ml-training-sub"]}),
    "access": Field(SUBSCRIPTION_ACCESS),
    "pulumi_args": pulumi_args_field(
        "the subscription's Pub/Sub subscription (pulumi_gcp.pubsub.Subscription) or, on "
        "aws, its SQS queue (pulumi_aws.sqs.Queue); never taken from the queue's",
        {"filter": 'attributes.kind = "train"'}),
}

USAGE = {
    "type": ["object", "null"],
    "description": "Expected traffic, for cost estimates only (`mlinfra cost`, plan, diff): "
                   "nothing is deployed from it. Without it the queue's cost is shown as "
                   "usage-based, with its unit price. SQS: 3 requests a message (send, "
                   "receive, delete), one per 64 KiB; Pub/Sub: the bytes published and "
                   "delivered to each subscription, at least 1000 a message.",
    "additionalProperties": False,
    "required": ["messages_per_month", "average_message_size"],
    "properties": {
        "messages_per_month": {"type": "integer", "minimum": 0, "maximum": 10**15,
                               "description": "Messages published a month.",
                               "default": None, "examples": [5000000]},
        "average_message_size": size("Average size of a message, body and attributes: "
                                     "bytes, or N with B, KiB or MiB.", "2KiB"),
    },
    "default": None,
    "examples": [{"messages_per_month": 5000000, "average_message_size": "2KiB"}],
}

QUEUE_FIELDS: dict[str, Field] = {
    **COMMON_FIELDS,
    "service": service_field("queue"),
    **_SUB_COMMON,
    "delay": Field(duration("SQS delivery delay, 0..900s (default 0).", "90s", 0),
                   providers=("aws",),
                   instead={"gcp": "Pub/Sub has no delivery delay; the nearest is "
                                   "retry.min_backoff, which delays redelivery only"}),
    "max_message_size": Field(size("SQS largest message, 1KiB..1MiB (default 256KiB).",
                                   "256KiB", "256KiB"),
                              providers=("aws",),
                              instead={"gcp": "Pub/Sub messages are always up to 10 MB"}),
    "receive_wait": Field(duration("SQS long-polling wait, 0..20s (mlinfra's default 20s; "
                                   "SQS's own is 0, short polling).", "10s",
                                   "20s"),
                          providers=("aws",),
                          instead={"gcp": "Pub/Sub streams messages: there is no "
                                          "receive wait"}),
    "fifo": Field(boolean("SQS FIFO queue (its name ends in .fifo).", False),
                  providers=("aws",),
                  instead={"gcp": "Pub/Sub orders by key: use ordering: true"}),
    "content_based_deduplication": Field(
        boolean("SQS FIFO: deduplicate by a hash of the body.", False), providers=("aws",),
        instead={"gcp": "use exactly_once: true"}),
    "encryption": Field(ENCRYPTION),
    "region": Field(string("SQS region. Default: providers.aws.region.", "us-east-1",
                           max_length=REGION_LENGTH),
                    providers=("aws",),
                    instead={"gcp": "Pub/Sub topics are global"}),
    "access": Field(QUEUE_ACCESS),
    "usage": Field(USAGE),
    "subscriptions": Field({
        "type": ["object", "null"],
        "description": "Consumers that each get every message, `<name>-<key>`: Pub/Sub "
                       "subscriptions; on aws an SNS topic fanning out to one SQS queue per "
                       "key. Without this map: one Pub/Sub subscription `<name>-sub`, key "
                       "`default` (in exports, stack outputs and `mlinfra outputs`), or the "
                       "SQS queue itself. Each may override the queue's fields.",
        "propertyNames": {"pattern": SUBSCRIPTION_KEY_PATTERN,
                          "maxLength": N.SUBSCRIPTION_KEY_LENGTH},
        "additionalProperties": {"$ref": "#/$defs/subscription"},
        "default": None,
        "examples": [{"trainers": {"visibility_timeout": "60s"}}],
    }),
    "pulumi_args": pulumi_args_field(
        "the queue's SQS queue (pulumi_aws.sqs.Queue), Pub/Sub topic "
        "(pulumi_gcp.pubsub.Topic) or, on aws with subscriptions, SNS topic "
        "(pulumi_aws.sns.Topic); subscriptions take their own (the one Pub/Sub "
        "subscription `<name>-sub` as subscriptions.default.pulumi_args)",
        {"message_retention_duration": "86400s"}),
}
