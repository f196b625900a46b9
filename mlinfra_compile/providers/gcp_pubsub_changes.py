"""Pub/Sub queues' cloud and resource types, and what a change of each argument does to a
deployed topic, subscription or IAM member (CHANGES)."""

from __future__ import annotations

from .changes import GCP_PROJECT, ChangeTable, Rule, in_place, replaces

PROVIDER = "gcp"  # the service's cloud (providers.Service), re-exported by gcp_pubsub
TOPIC = "gcp:pubsub/topic:Topic"
SUBSCRIPTION = "gcp:pubsub/subscription:Subscription"
TOPIC_IAM = "gcp:pubsub/topicIAMMember:TopicIAMMember"
SUBSCRIPTION_IAM = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember"

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
