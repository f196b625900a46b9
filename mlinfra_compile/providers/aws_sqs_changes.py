"""What a change of each argument does to a deployed SQS queue (CHANGES, with those of the
queue policies and SNS fan-out resources it makes)."""

from __future__ import annotations

from . import aws_access, aws_sns
from .aws_sqs_queue import TYPE
from .changes import AWS_REGION, ChangeTable, in_place, replaces

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
