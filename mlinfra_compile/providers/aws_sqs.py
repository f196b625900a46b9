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

from typing import TYPE_CHECKING

from ..graph import ref
from . import aws_access, aws_sns
from .aws_sqs_changes import CHANGES as CHANGES
from .aws_sqs_cost import CHUNK as CHUNK
from .aws_sqs_cost import COSTS as COSTS
from .aws_sqs_cost import FREE_REQUESTS as FREE_REQUESTS
from .aws_sqs_cost import REQUESTS_PER_MESSAGE as REQUESTS_PER_MESSAGE
from .aws_sqs_queue import DELAY as DELAY
from .aws_sqs_queue import DLQ_RETENTION as DLQ_RETENTION
from .aws_sqs_queue import FIFO_NAME_RULE as FIFO_NAME_RULE
from .aws_sqs_queue import KMS_KEY as KMS_KEY
from .aws_sqs_queue import MAX_RECEIVES as MAX_RECEIVES
from .aws_sqs_queue import MESSAGE_SIZE as MESSAGE_SIZE
from .aws_sqs_queue import NAME_RULE as NAME_RULE
from .aws_sqs_queue import PROVIDER as PROVIDER
from .aws_sqs_queue import RECEIVE_WAIT as RECEIVE_WAIT
from .aws_sqs_queue import RETENTION as RETENTION
from .aws_sqs_queue import TYPE as TYPE
from .aws_sqs_queue import VISIBILITY as VISIBILITY
from .aws_sqs_queue import Built as Built
from .aws_sqs_queue import consumers as consumers
from .aws_sqs_queue import encryption_key as encryption_key
from .aws_sqs_queue import queue as queue
from .base import Decl, Defaults, ImportId, Value, attributes, members

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from .adopting import Adopted

# The service contract (providers.Service): what resolve, diff and policy read.
KIND = "queue"  # PROVIDER, its cloud, is aws_sqs_queue's (beside its TYPE)
SERVICE = "sqs"  # the `service:` that selects it; the default of its kind and cloud
IS_DEFAULT = True
ACCEPTS: frozenset[str] | None = None  # every field of its cloud
INSTEAD: dict[str, str] = {}  # field it does not take -> what it offers
TITLE = "SQS"  # how people call it (the editor's hovers)
CLAIMS: frozenset[str] = frozenset()  # fields its cloud's default service leaves to it
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


def delivers(decl: Decl) -> bool:
    """Consumers read the SQS queue itself, or on a fan-out each subscription's queue."""
    return decl.kind == "subscription" or not decl.data.get("subscriptions")


def network_of(decl: Decl) -> Value | None:
    return None  # SQS is reached over its public endpoint (or a VPC endpoint of the VPC)


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
