"""`mlinfra adopt` of one SQS queue, field by field: each running queue's inputs (as
`pulumi stack export` records them, camelCase) read back into the language, in the order
the environment file is written, and what cannot be read back listed with its reason.
Every expected value is written by hand.

Facts (pulumi-aws 7.51.1 `sqs.Queue` docstring; Amazon SQS API reference,
SetQueueAttributes): content_based_deduplication is for FIFO queues;
kms_master_key_id takes a key id, key ARN, alias name or alias ARN;
kms_data_key_reuse_period_seconds is 60..86400, default 300; sqs_managed_sse_enabled is
SSE with SQS-owned keys; the redrive policy is JSON {"deadLetterTargetArn",
"maxReceiveCount"}, and AWS takes an empty one as none.
"""

from __future__ import annotations

from typing import Any

import pytest

from mlinfra_compile.providers import adopting, aws_sqs_adopt
from mlinfra_compile.state import StateResource

TYPE = "aws:sqs/queue:Queue"
ARN = "arn:aws:sqs:us-east-1:123456789012:"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"  # (the key id form AWS's docs show)


@pytest.fixture(autouse=True)
def _no_pulumi_args(monkeypatch: pytest.MonkeyPatch) -> None:
    # (what adopt.py hands in for pulumi_args; none here, so every input is read or listed)
    monkeypatch.setattr(adopting, "PASSABLE", [None])


def queue(name: str, protect: bool = False, **inputs: Any) -> StateResource:
    return StateResource(urn=f"urn:pulumi:dev::p::{TYPE}::{name}", type=TYPE,
                         outputs={"arn": ARN + name}, id=f"https://sqs/{name}",
                         inputs={"name": name, **inputs}, protect=protect)


def adopt(*resources: StateResource) -> list[tuple[str, list[tuple[str, Any]], list[str]]]:
    """(name, fields in the order written, what is listed) of each queue adopted."""
    adopted, left = aws_sqs_adopt.adopt(list(resources), False)
    assert left == {}
    assert all((a.section, a.provider) == ("queues", "aws") for a in adopted)
    return [(a.own.value("name"), list(a.fields.items()), a.missing) for a in adopted]


def test_every_field_of_a_fifo_queue_with_its_own_key_is_read_back():
    got = adopt(queue("jobs.fifo", True, delaySeconds=90, maxMessageSize=262144,
                      messageRetentionSeconds=86400, receiveWaitTimeSeconds=10,
                      visibilityTimeoutSeconds=30, fifoQueue=True,
                      contentBasedDeduplication=True, kmsMasterKeyId=KEY_ID,
                      kmsDataKeyReusePeriodSeconds=300, region="us-west-2",
                      tags={"team": "ml", "managed-by": "mlinfra", "environment": "dev"}))
    assert got == [("jobs.fifo", [
        ("delay", "90s"), ("max_message_size", "256KiB"), ("retention", "1d"),
        ("receive_wait", "10s"), ("visibility_timeout", "30s"), ("fifo", True),
        ("content_based_deduplication", True), ("encryption", f"kms:{KEY_ID}"),
        ("region", "us-west-2"), ("labels", {"team": "ml"}), ("protect", True)], [])]


def test_sse_sqs_is_managed_encryption_and_no_deduplication_is_not_written():
    got = adopt(queue("jobs", sqsManagedSseEnabled=True, fifoQueue=False,
                      contentBasedDeduplication=False))
    assert got == [("jobs", [("fifo", False), ("encryption", "managed"),
                             ("protect", False)], [])]


def test_a_queue_left_unencrypted_is_listed():
    got = adopt(queue("jobs", sqsManagedSseEnabled=False))
    assert got == [("jobs", [("protect", False)], [
        "sqsManagedSseEnabled = false: mlinfra encrypts every queue (managed or kms:KEY)"])]


def test_sse_off_only_in_the_outputs_is_not_the_programs_choice():
    # (the provider's value, not an input: nothing the program set is dropped)
    q = queue("jobs")
    q.outputs["sqsManagedSseEnabled"] = False
    assert adopt(q) == [("jobs", [("protect", False)], [])]


def test_a_key_sqs_does_not_take_is_listed_and_not_written():
    got = adopt(queue("jobs", kmsMasterKeyId="my-key", sqsManagedSseEnabled=True))
    assert got == [("jobs", [("protect", False)], [
        "kmsMasterKeyId = my-key: not a KMS key id, ARN or alias"])]


@pytest.mark.parametrize(("period", "listed"), [
    (300, []),
    (600, ["kmsDataKeyReusePeriodSeconds = 600: mlinfra keeps the SQS default, 300s"]),
], ids=["default", "other"])
def test_a_data_key_reuse_period_other_than_300s_is_listed(period, listed):
    got = adopt(queue("jobs", kmsMasterKeyId="alias/jobs",
                      kmsDataKeyReusePeriodSeconds=period))
    assert got == [("jobs", [("encryption", "kms:alias/jobs"), ("protect", False)], listed)]


def test_an_empty_redrive_policy_is_no_policy():
    assert adopt(queue("jobs", redrivePolicy="")) == [("jobs", [("protect", False)], [])]


@pytest.mark.parametrize("policy", ['{"maxReceiveCount": 5}',
                                    '{"deadLetterTargetArn": 5, "maxReceiveCount": 5}'],
                         ids=["no-target", "target-not-a-string"])
def test_a_policy_without_a_target_arn_is_not_a_redrive_policy(policy):
    assert adopt(queue("jobs", redrivePolicy=policy)) == [("jobs", [("protect", False)], [
        f"redrivePolicy = {policy}: not a redrive policy (JSON with deadLetterTargetArn)"])]


def test_what_the_dlq_sets_is_listed_after_what_the_queue_sets():
    policy = '{"deadLetterTargetArn": "' + ARN + 'jobs-dlq", "maxReceiveCount": 3}'
    q = queue("jobs", redrivePolicy=policy, kmsDataKeyReusePeriodSeconds=600)
    dlq = queue("jobs-dlq", messageRetentionSeconds=1209600, delaySeconds=5)
    adopted, _ = aws_sqs_adopt.adopt([dlq, q], False)
    assert [(a.own.value("name"), a.fields, a.missing, a.generated) for a in adopted] == [
        ("jobs", {"dead_letter": {"max_receives": 3}, "protect": False}, [
            "kmsDataKeyReusePeriodSeconds = 600: mlinfra keeps the SQS default, 300s",
            "its dead-letter queue's delaySeconds = 5: mlinfra does not model it"],
         {"-dlq": dlq})]
