"""editor.py's rules per cloud, on their own: _by_cloud proposes the fields only one cloud's
default service takes under `provider: <cloud>` (making the rule where the schema has
none yet), _proposed is the copy such a rule proposes, and unavailable refuses a field a
named cloud does not offer, for each cloud (one that refuses nothing adds no rule).

The fields of one cloud are listed by hand from the providers' arguments:
Memorystore's persistence_config (pulumi_gcp redis.Instance); ElastiCache's
apply_immediately, engine, node_type, snapshot_retention_limit and description
(pulumi_aws elasticache.ReplicationGroup); Pub/Sub's enable_message_ordering,
enable_exactly_once_delivery, retry_policy and expiration_policy (pulumi_gcp
pubsub.Subscription, so a queue's subscriptions take them too); SQS's delay_seconds,
max_message_size, receive_wait_time_seconds, fifo_queue, content_based_deduplication and
a per-resource region (pulumi_aws sqs.Queue)."""

from __future__ import annotations

from typing import Any

from mlinfra_compile import language as L
from mlinfra_compile.editor import _by_cloud, _proposed, unavailable
from mlinfra_compile.schema import build_schema

# `provider: <cloud>` with `service:` absent or naming a default service of that cloud
IF = {cloud: {"required": ["provider"], "properties": {"provider": {"const": cloud}},
              "anyOf": [{"not": {"required": ["service"]}},
                        *({"properties": {"service": {"const": s}}} for s in services)]}
      for cloud, services in (("gcp", ("memorystore-redis", "pubsub")),
                              ("aws", ("elasticache", "sqs")))}
ONLY = {("session_store", "gcp"): ["persistence"],
        ("session_store", "aws"): ["apply", "engine", "node_type",
                                   "snapshot_retention_days", "description"],
        ("queue", "gcp"): ["ordering", "exactly_once", "retry", "expiry"],
        ("queue", "aws"): ["delay", "max_message_size", "receive_wait", "fifo",
                           "content_based_deduplication", "region"],
        ("subscription", "gcp"): ["ordering", "exactly_once", "retry", "expiry"],
        ("subscription", "aws"): []}


def _bare(schema: dict[str, Any], kind: str, cloud: str) -> dict[str, Any]:
    """The fields only `cloud` offers, as the schema has them, without their examples."""
    props = schema["$defs"][kind]["properties"]
    return {k: {w: v for w, v in props[k].items() if w != "examples"}
            for k in ONLY[(kind, cloud)]}


def test_by_cloud_makes_each_cloud_s_rule_where_the_schema_has_none():
    schema, plain = build_schema(), build_schema()
    assert all("allOf" not in schema["$defs"][k] for k in ("session_store", "queue"))
    _by_cloud(schema)
    assert schema["$defs"]["session_store"]["allOf"] == [
        {"if": IF[c], "then": {"properties": _bare(plain, "session_store", c)}}
        for c in ("gcp", "aws")]
    assert schema["$defs"]["queue"]["allOf"] == [
        {"if": IF[c], "then": {"properties": {
            **_bare(plain, "queue", c), "subscriptions": {
                "doNotSuggest": True,
                "additionalProperties": {"properties": _bare(plain, "subscription", c)}}}}}
        for c in ("gcp", "aws")]
    for kind in ("session_store", "queue", "subscription"):  # (proposed by the rules only)
        props = schema["$defs"][kind]["properties"]
        assert sorted(k for k in props if props[k].get("doNotSuggest")) == sorted(
            ONLY[(kind, "gcp")] + ONLY[(kind, "aws")])


def test_the_copy_a_rule_proposes_has_no_examples_and_is_not_hidden():
    node = {"type": ["boolean", "null"], "description": "Keep order.",
            "examples": [True], "doNotSuggest": True}
    assert _proposed(node) == {"type": ["boolean", "null"], "description": "Keep order."}
    assert node["doNotSuggest"] is True  # (the declaration's own node is unchanged)


def test_a_cloud_that_refuses_nothing_is_skipped_and_the_next_gets_its_rule():
    # `ordering` is gcp's only: gcp refuses nothing, aws refuses it
    fields = {k: L.QUEUE_FIELDS[k] for k in ("provider", "ordering")}
    assert unavailable("queue", fields) == [{"if": IF["aws"], "then": {"properties": {
        "ordering": {"type": "null", "doNotSuggest": True, "errorMessage":
                     "ordering: not offered on aws: SQS orders messages in FIFO queues: "
                     "use fifo: true"}}}}]


def test_the_first_cloud_refuses_a_field_of_the_other():
    fields = {k: L.QUEUE_FIELDS[k] for k in ("provider", "delay")}
    assert unavailable("queue", fields) == [{"if": IF["gcp"], "then": {"properties": {
        "delay": {"type": "null", "doNotSuggest": True, "errorMessage":
                  "delay: not offered on gcp: Pub/Sub has no delivery delay; the nearest is "
                  "retry.min_backoff, which delays redelivery only"}}}}]
