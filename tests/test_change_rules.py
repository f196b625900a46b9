"""The change-rule tables against an independent oracle: a literal list, copied by hand
from the provider sources (magic-modules mmv1/products/{redis/Instance,pubsub/Topic,
pubsub/Subscription}.yaml, terraform-provider-google tpgiamresource/resource_iam_member.go,
terraform-provider-aws internal/service/{sqs/queue.go,elasticache/replication_group.go,
elasticache/parameter_group.go,elasticache/subnet_group.go,ec2/vpc_security_group.go,
ec2/vpc_security_group_ingress_rule.go} and internal/provider/sdkv2/region.go), read
2026-11-28.
Deleting or changing a table entry fails here; so does an argument the compiler emits
without a rule."""

from __future__ import annotations

import json

import pytest

from mlinfra_compile.diff import CHANGES, diff_graphs
from tests.golden import all_cases, environments, graph_doc, resource_doc, run_cli

RG = "aws:elasticache/replicationGroup:ReplicationGroup"
PG = "aws:elasticache/parameterGroup:ParameterGroup"
SQS = "aws:sqs/queue:Queue"
REDIS = "gcp:redis/instance:Instance"
TOPIC = "gcp:pubsub/topic:Topic"
SUB = "gcp:pubsub/subscription:Subscription"
TOPIC_IAM = "gcp:pubsub/topicIAMMember:TopicIAMMember"
SUB_IAM = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember"
KEY_IAM = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
SUBNETS = "aws:elasticache/subnetGroup:SubnetGroup"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
# Issue 15 (read 2026-11-28): terraform-provider-aws internal/service/sqs/queue_policy.go,
# sns/topic.go, sns/topic_subscription.go, sns/topic_policy.go.
QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy"
SNS_TOPIC = "aws:sns/topic:Topic"
SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache"
SNS_SUB = "aws:sns/topicSubscription:TopicSubscription"
# Memorystore for Valkey (read 2026-12-06): magic-modules mmv1/products/memorystore/
# Instance.yaml at d5778440 (immutable: instanceId, location, mode, authorizationMode,
# transitEncryptionMode, kmsKey, serverCaMode, serverCaPool, gcsSource,
# managedBackupSource, desiredAutoCreatedEndpoints, desiredPscAutoConnections,
# zoneDistributionConfig); the API refuses an engine downgrade ("About upgrading") and a
# second shard with cluster mode disabled ("single shard only").
VALKEY = "gcp:memorystore/instance:Instance"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"

U, R, X = "update", "replace", "refused"
ORACLE: dict[str, dict[str, tuple[str, ...]]] = {
    REDIS: {
        "name": (R,), "region": (R,), "project": (R,), "tier": (R,), "location_id": (R,),
        "alternative_location_id": (R,), "authorized_network": (R,), "connect_mode": (R,),
        "reserved_ip_range": (R,), "transit_encryption_mode": (R,),
        "customer_managed_key": (R,),
        "memory_size_gb": (U,), "auth_enabled": (U,), "labels": (U,), "redis_configs": (U,),
        "persistence_config": (U,), "maintenance_policy": (U,), "display_name": (U,),
        "replica_count": (U,), "secondary_ip_range": (U,), "deletion_protection": (U,),
        "read_replicas_mode": (U, X), "redis_version": (U, R, X),
    },
    TOPIC: {
        "name": (R,), "project": (R,), "tags": (R,), "labels": (U,), "kms_key_name": (U,),
        "message_retention_duration": (U,), "message_storage_policy": (U,),
        "schema_settings": (U,),
    },
    SUB: {
        "name": (R,), "topic": (R,), "filter": (R,), "enable_message_ordering": (R,),
        "tags": (R,), "project": (R,), "labels": (U,), "ack_deadline_seconds": (U,),
        "message_retention_duration": (U,), "retain_acked_messages": (U,),
        "dead_letter_policy": (U,), "retry_policy": (U,), "expiration_policy": (U,),
        "enable_exactly_once_delivery": (U,), "push_config": (U,),
    },
    TOPIC_IAM: {"topic": (R,), "role": (R,), "member": (R,), "condition": (R,),
                "project": (R,)},
    SUB_IAM: {"subscription": (R,), "role": (R,), "member": (R,), "condition": (R,),
              "project": (R,)},
    SQS: {
        "name": (R,), "name_prefix": (R,), "fifo_queue": (R,), "region": (R,),
        "content_based_deduplication": (U,), "deduplication_scope": (U,),
        "fifo_throughput_limit": (U,), "delay_seconds": (U,), "max_message_size": (U,),
        "message_retention_seconds": (U,), "receive_wait_time_seconds": (U,),
        "visibility_timeout_seconds": (U,), "redrive_policy": (U,),
        "redrive_allow_policy": (U,), "policy": (U,), "sqs_managed_sse_enabled": (U,),
        "kms_master_key_id": (U,), "kms_data_key_reuse_period_seconds": (U,), "tags": (U,),
    },
    RG: {
        "replication_group_id": (R,), "at_rest_encryption_enabled": (R,), "kms_key_id": (R,),
        "port": (R,), "subnet_group_name": (R,), "security_group_names": (R,),
        "global_replication_group_id": (R,), "data_tiering_enabled": (R,),
        "snapshot_name": (R,), "snapshot_arns": (R,), "network_type": (R,), "region": (R,),
        "preferred_cache_cluster_azs": (U,),
        "engine": (U, R, X), "engine_version": (U, R), "transit_encryption_enabled": (U, R, X),
        "transit_encryption_mode": (U, X), "node_type": (U,), "parameter_group_name": (U,),
        "description": (U,), "automatic_failover_enabled": (U,), "multi_az_enabled": (U,),
        "num_cache_clusters": (U,), "auth_token": (U, X), "snapshot_retention_limit": (U,),
        "snapshot_window": (U,), "maintenance_window": (U,), "security_group_ids": (U, X),
        "user_group_ids": (U,), "apply_immediately": (U,), "auto_minor_version_upgrade": (U,),
        "notification_topic_arn": (U,), "ip_discovery": (U,), "tags": (U,),
    },
    # terraform-provider-aws serverless_cache.go (after PR #45087): RequiresReplace on
    # name, kms_key_id, subnet_ids, snapshot_arns_to_restore, network_type; engine and
    # major_engine_version RequiresReplaceIf; the rest ModifyServerlessCache or tags
    SERVERLESS: {"name": (R,), "kms_key_id": (R,), "subnet_ids": (R,),
                 "snapshot_arns_to_restores": (R,), "network_type": (R,), "region": (R,),
                 "engine": (U, R), "major_engine_version": (U, R), "description": (U,),
                 "cache_usage_limits": (U,), "user_group_id": (U,),
                 "security_group_ids": (U,), "snapshot_retention_limit": (U,),
                 "daily_snapshot_time": (U,), "tags": (U,)},
    PG: {"name": (R,), "family": (R, X), "description": (R,), "region": (R,),
         "parameters": (U,), "tags": (U,)},
    KEY_IAM: {"crypto_key_id": (R,), "role": (R,), "member": (R,), "condition": (R,)},
    VALKEY: {
        "instance_id": (R,), "location": (R,), "project": (R,), "mode": (R,),
        "authorization_mode": (R,), "transit_encryption_mode": (R,), "kms_key": (R,),
        "server_ca_mode": (R,), "server_ca_pool": (R,), "gcs_source": (R,),
        "managed_backup_source": (R,), "desired_auto_created_endpoints": (R,),
        "desired_psc_auto_connections": (R,), "zone_distribution_config": (R,),
        "replica_count": (U,), "node_type": (U,), "persistence_config": (U,),
        "engine_configs": (U,), "labels": (U,), "maintenance_policy": (U,),
        "automated_backup_config": (U,), "cross_instance_replication_config": (U,),
        "acl_policy": (U,), "deletion_protection_enabled": (U,),
        "shard_count": (U, X), "engine_version": (U, X),
    },
    SUBNETS: {"name": (R,), "region": (R,), "description": (U,), "subnet_ids": (U,),
              "tags": (U,)},
    SG: {"name": (R,), "name_prefix": (R,), "description": (R,), "vpc_id": (R,),
         "region": (R,), "tags": (U,), "revoke_rules_on_delete": (U,)},
    QUEUE_POLICY: {"queue_url": (R,), "region": (R,), "policy": (U,)},
    TOPIC_POLICY: {"arn": (R,), "region": (R,), "policy": (U,)},
    SNS_TOPIC: {"name": (R,), "name_prefix": (R,), "fifo_topic": (R,), "region": (R,),
                "content_based_deduplication": (U,), "kms_master_key_id": (U,),
                "display_name": (U,), "policy": (U,), "delivery_policy": (U,),
                "archive_policy": (U,), "maximum_message_size": (U,), "tags": (U,)},
    SNS_SUB: {"topic": (R,), "protocol": (R,), "endpoint": (R,), "region": (R,),
              "raw_message_delivery": (U,), "filter_policy": (U,),
              "filter_policy_scope": (U,), "redrive_policy": (U,)},
    INGRESS: {"security_group_id": (R,), "region": (R,), "cidr_ipv4": (U, R),
              "referenced_security_group_id": (U, R), "from_port": (U,), "to_port": (U,),
              "ip_protocol": (U,), "description": (U,), "tags": (U,)},
}
# In-place changes of these wait for the maintenance window when apply_immediately is false
# (ModifyReplicationGroup: "changes to the nodes ... are applied on the next maintenance
# reboot"); the provider applies replica counts and auth tokens at once.
DEFERRED = {"engine", "engine_version", "node_type", "parameter_group_name",
            "transit_encryption_enabled", "transit_encryption_mode"}


def test_the_tables_match_the_oracle():
    assert sorted(CHANGES) == sorted(ORACLE)
    for rtype, rules in CHANGES.items():
        assert sorted(rules) == sorted(ORACLE[rtype]), rtype
        for key, rule in rules.items():
            assert rule.possible() == ORACLE[rtype][key], (rtype, key)
            assert len(rule.source) > 20, (rtype, key)  # every rule cites where it is from


STATIC = sorted((t, k, v[0]) for t, rules in ORACLE.items() for k, v in rules.items()
                if len(v) == 1)


graph, res = graph_doc, resource_doc


def one(rtype, old, new):
    d = diff_graphs(graph(res("thing", rtype, old)), graph(res("thing", rtype, new)), "test")
    assert len(d.changes) == 1
    return d.changes[0]


@pytest.mark.parametrize(("rtype", "key", "verdict"), STATIC)
def test_every_static_row_through_diff(rtype, key, verdict):
    c = one(rtype, {key: "old", "other": 1}, {key: "new", "other": 1})
    assert [(a.key, a.verdict) for a in c.args] == [(key, verdict)]
    assert c.action == ("replace" if verdict == R else "update")


@pytest.mark.parametrize("key", sorted(ORACLE[RG]))
def test_only_node_changes_wait_for_the_maintenance_window(key):
    base = {"apply_immediately": False, "engine": "redis", "engine_version": "7.1",
            "transit_encryption_enabled": False}
    old, new = {**base, key: "a"}, {**base, key: "b"}
    if key == "apply_immediately":
        old, new = {**base, key: True}, {**base, key: False}
    c = one(RG, old, new)
    (a,) = c.args
    expected = key in DEFERRED and a.verdict == U
    assert a.deferred is expected, a
    if key != "apply_immediately":
        now = one(RG, {**old, "apply_immediately": True}, {**new, "apply_immediately": True})
        assert not any(x.deferred for x in now.args)


def test_an_unclassified_argument_is_assumed_to_replace():
    c = one(SQS, {"brand_new_argument": 1}, {"brand_new_argument": 2})
    assert c.action == "replace" and "not in mlinfra's table" in c.args[0].why
    c = one("aws:unknown/thing:Thing", {"x": 1}, {"x": 2})
    assert c.action == "replace"


def _emitted() -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    for _, root, _, _ in all_cases():
        for env in environments(root):
            code, out, _ = run_cli(root, "compile", env)
            if code == 0:
                for r in json.loads(out)["resources"]:
                    seen.update((r["type"], k) for k in r["args"])
    return seen


def test_every_argument_the_compiler_emits_is_classified():
    emitted = _emitted()
    missing = sorted(p for p in emitted if p[1] not in CHANGES.get(p[0], {}))
    assert missing == []
    # the corpus exercises the new arguments of this change, so the check has teeth
    for pair in ((REDIS, "secondary_ip_range"), (RG, "apply_immediately"),
                 (RG, "transit_encryption_mode"), (SQS, "region"), (RG, "region"),
                 (PG, "region"), (REDIS, "project"), (TOPIC, "project"), (SUB, "project"),
                 # issue 27: production's TLS-deny policies on every queue and topic
                 (QUEUE_POLICY, "queue_url"), (QUEUE_POLICY, "policy"),
                 (TOPIC_POLICY, "arn"), (TOPIC_POLICY, "policy")):
        assert pair in emitted, pair
