"""Access grants on AWS: the resource policies of SQS queues and SNS topics.
Emitted by the SQS service (aws_sqs), for `access` and for SNS fan-out (aws_sns).

Facts, read 2026-11-28 (line numbers re-read for issue 27):
- `aws:sqs/queuePolicy:QueuePolicy` (queue_url, policy) and `aws:sns/topicPolicy:TopicPolicy`
  (arn, policy), both with a per-resource `region` in pulumi-aws 7: queue_url and arn are
  ForceNew, the policy is set in place (terraform-provider-aws
  internal/service/sqs/queue_policy.go:52 `ForceNew: true` on queue_url, its Update the
  queueAttributeHandler's Upsert, SetQueueAttributes in attribute_funcs.go;
  internal/service/sns/topic_policy.go:42 `ForceNew: true` on arn, line 35 Update =
  resourceTopicPolicyUpsert, SetTopicAttributes); region forces a new resource
  (changes.AWS_REGION). Deleting a topic policy restores SNS's default policy (its
  resourceTopicPolicyDelete puts defaultTopicPolicy back).
- Principals: IAM role or user ARNs, or an account id, which means the whole account and
  which AWS stores as `arn:aws:iam::ID:root` (IAM User Guide, "AWS JSON policy elements:
  Principal"); mlinfra writes that form, so the stored policy equals the compiled one.
- Denying requests without TLS: a Deny on `aws:SecureTransport` "false", "Enforce
  encryption of data in transit" in the Amazon SQS Developer Guide, "Amazon SQS security
  best practices" (sqs-security-best-practices.html), and in the Amazon SNS Developer
  Guide, "Amazon SNS security best practices"
  (sns-security-best-practices.html#enforce-encryption-data-in-transit), whose example
  denies sns:Publish; mlinfra denies every action (`sqs:*`, `sns:*`). In production every
  queue, dead-letter queue and topic gets it, so a policy exists even with no grant. A
  topic policy replaces SNS's default one (any principal acting for the owner's account,
  `AWS:SourceOwner`: topic_policy.go defaultTopicPolicy): the owner's roles and users keep
  what their IAM policies allow, but an AWS service that published through that default
  statement loses it, and `access` has no service principals.
- SNS delivering to SQS needs the queue policy to allow `sqs:SendMessage` to the service
  principal sns.amazonaws.com with `aws:SourceArn` equal to the topic ARN (Amazon SNS
  Developer Guide, "Fanout to Amazon SQS queues"; the pulumi-aws TopicSubscription example).
"""

from __future__ import annotations

from typing import Any

from ..graph import Resource, as_json, ref
from . import pricing
from .base import Args, Decl, Value, derived
from .changes import AWS_REGION, ChangeTable, in_place, replaces

QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"

# Exactly these actions and no wildcards: what publishing and consuming need.
PUBLISH = ("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage")
CONSUME = ("sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
           "sqs:GetQueueUrl", "sqs:ReceiveMessage")
SNS_PUBLISH = ("sns:Publish",)

_TPA = "terraform-provider-aws internal/service/{}"
CHANGES: ChangeTable = {
    QUEUE_POLICY: {
        "queue_url": replaces(_TPA.format("sqs/queue_policy.go") + ":52: ForceNew: true"),
        "policy": in_place(_TPA.format("sqs/attribute_funcs.go") + ": SetQueueAttributes"),
        "region": AWS_REGION,
    },
    TOPIC_POLICY: {
        "arn": replaces(_TPA.format("sns/topic_policy.go") + ":42: ForceNew: true"),
        "policy": in_place(_TPA.format("sns/topic_policy.go") + ": SetTopicAttributes"),
        "region": AWS_REGION,
    },
}


# Each partition's regions, by the `regionRegex` of the AWS SDKs' partitions.json (read in
# @aws-sdk/core 3.974.15, util-endpoints partitions, "version": "1.1"): an ARN in a region
# of one partition starts `arn:<partition>:` (AWS General Reference, "Amazon Resource
# Names"); its endpoints end in the partition's dnsSuffix (DNS_SUFFIXES).
PARTITIONS: tuple[tuple[str, str], ...] = (
    ("aws", r"(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+"),
    ("aws-cn", r"cn-\w+-\d+"),
    ("aws-us-gov", r"us-gov-\w+-\d+"),
    ("aws-iso", r"us-iso-\w+-\d+"),
    ("aws-iso-b", r"us-isob-\w+-\d+"),
    ("aws-iso-e", r"eu-isoe-\w+-\d+"),
    ("aws-iso-f", r"us-isof-\w+-\d+"),
    ("aws-eusc", r"eusc-(de)-\w+-\d+"),
)


DNS_SUFFIXES = ("amazonaws.com", "amazonaws.com.cn", "amazonaws.eu", "c2s.ic.gov",
                "sc2s.sgov.gov", "cloud.adc-e.uk", "csp.hci.ic.gov")


def partition_of(region: str) -> str:
    """The ARN partition of a region ("aws" for one no partition claims)."""
    import re

    return next((name for name, pattern in PARTITIONS if re.fullmatch(pattern, region)),
                "aws")


def principals(decl: Decl, found: list[Value], region: Value | None) -> list[str]:
    """Sorted, without repeats; an account id as the ARN AWS stores it as. A principal of
    another partition than the region's is MLC322 (the policy would be malformed)."""
    part = partition_of(str(region.value)) if region is not None else "aws"
    out = set()
    for m in found:
        if m.value.isdigit():
            out.add(f"arn:{part}:iam::{m.value}:root")
        elif m.value.split(":")[1] != part:
            decl.ctx.error("MLC322", decl.where("access"), f"{m.value} is in partition "
                           f"{m.value.split(':')[1]}, but the queue's region is in {part}",
                           m.origin)
        else:
            out.add(m.value)
    return sorted(out)


def allow(sid: str, who: list[str], actions: tuple[str, ...], resource: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": who},
            "Action": list(actions), "Resource": resource}


def deny_without_tls(service: str, resource: Any) -> dict[str, Any]:
    return {"Sid": "DenyWithoutTLS", "Effect": "Deny", "Principal": "*",
            "Action": f"{service}:*", "Resource": resource,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def topic_delivers(topic: str, queue_arn: Any) -> dict[str, Any]:
    return {"Sid": "TopicDelivers", "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": ref(topic, "arn")}}}


def policy(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return as_json({"Version": "2012-10-17", "Statement": statements})


def queue_policy(decl: Decl, queue: str, statements: list[dict[str, Any]],
                 region: Value | None, owner: Decl) -> str | None:
    """A QueuePolicy `<queue>-policy` with the grants; in production it also denies
    requests without TLS, so every production queue has one (None: development and
    nothing to grant)."""
    grants = bool(statements)
    if decl.ctx.profile == "production":
        statements = [*statements, deny_without_tls("sqs", ref(queue, "arn"))]
    if not statements:
        return None
    name = f"{queue}-policy"
    a = Args()
    a.set("queue_url", ref(queue, "url"), derived(decl, f"the queue {queue}"))
    a.set("policy", policy(statements), derived(decl, _why(decl, grants)))
    a.put("region", region)
    decl.ctx.add(Resource(name, QUEUE_POLICY, a.values, {}, decl.source, a.origins,
                          "access_policy", owner.name))
    return name


def topic_policy(decl: Decl, topic: str, publishers: list[str],
                 region: Value | None) -> None:
    """A TopicPolicy `<topic>-policy` letting the publishers publish; in production it
    also denies requests without TLS, so every production topic has one."""
    statements = [allow("Publishers", publishers, SNS_PUBLISH, ref(topic, "arn"))] \
        if publishers else []
    if decl.ctx.profile == "production":
        statements.append(deny_without_tls("sns", ref(topic, "arn")))
    if not statements:
        return
    a = Args()
    a.set("arn", ref(topic, "arn"), derived(decl, f"the topic {topic}"))
    a.set("policy", policy(statements), derived(decl, _why(decl, bool(publishers))))
    a.put("region", region)
    decl.ctx.add(Resource(f"{topic}-policy", TOPIC_POLICY, a.values, {}, decl.source,
                          a.origins, "access_policy", decl.name))


def _why(decl: Decl, grants: bool) -> str:
    if not grants:  # (production only: development makes no policy without a grant)
        return "a deny of requests without TLS (production)"
    tls = ", and a deny of requests without TLS (production)" \
        if decl.ctx.profile == "production" else ""
    return f"access of {decl.name}{tls}"


# What a month costs: resource policies are configuration of the queue or the
# topic (infracost lists aws_sqs_queue_policy and aws_sns_topic_policy as free).
COSTS: dict[str, pricing.Pricer] = {
    QUEUE_POLICY: pricing.free("a queue policy is configuration"),
    TOPIC_POLICY: pricing.free("a topic policy is configuration"),
}
