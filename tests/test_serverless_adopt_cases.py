"""`mlinfra adopt` of ElastiCache Serverless caches, one condition at a time: each case is
a running cache's inputs (as `pulumi stack export` records them, camelCase) and, worked
out by hand from the provider's shapes, what mlinfra declares for it and what it lists.

Shapes (terraform-provider-aws internal/service/elasticache/serverless_cache.go, the
pulumi-aws ServerlessCache docstring): cache_usage_limits {data_storage {maximum, minimum,
unit: GB}, ecpu_per_second [{maximum, minimum}]}; major_engine_version "7" or "8" (valkey
7 is 7.2, redis 7 is 7.1); kms_key_id an ARN; subnet_ids and security_group_ids lists."""

from __future__ import annotations

from typing import Any

import pytest

from mlinfra_compile.providers import aws_elasticache_serverless as serverless
from mlinfra_compile.state import StateResource

TYPE = "aws:elasticache/serverlessCache:ServerlessCache"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def adopt(**inputs: Any) -> tuple[dict[str, Any], list[str]]:
    r = StateResource(urn=f"urn:pulumi:dev::p::{TYPE}::edge", type=TYPE, outputs={},
                      id="edge", inputs={"name": "edge", **inputs})
    [adopted], left = serverless.adopt([r], True)
    assert left == {}
    fields = dict(adopted.fields)
    assert fields.pop("service") == "elasticache-serverless"
    fields.pop("protect", None)
    return fields, adopted.missing


# --- usage limits: every shape mlinfra writes is read back; any other is listed ------------

READ = [
    ({"dataStorage": {"maximum": 10, "unit": "GB"}}, {"max_data": 10}),
    ({"dataStorage": {"maximum": 10}}, {"max_data": 10}),  # no unit: the API's GB
    ({"dataStorage": {"maximum": 10.0, "unit": "GB"}}, {"max_data": 10}),  # JSON's 10.0
    ({"ecpuPerSeconds": [{"maximum": 5000}]}, {"max_ecpu": 5000}),
    ({"dataStorage": {"maximum": 1, "unit": "GB"}, "ecpuPerSeconds": [{"maximum": 1000}]},
     {"max_data": 1, "max_ecpu": 1000}),
    ({}, {}),  # an empty block: nothing capped
    ({"dataStorage": {"unit": "GB"}}, {}),  # a unit and no maximum: nothing capped
    ({"ecpuPerSeconds": [{}]}, {}),
]


@pytest.mark.parametrize(("limits", "fields"), READ, ids=[str(x[0]) for x in READ])
def test_usage_limits_mlinfra_writes_are_read_back(limits, fields):
    got, missing = adopt(engine="valkey", cacheUsageLimits=limits)
    assert got == {"engine": "valkey", **fields}
    assert missing == []


LISTED = [
    {"ecpuPerSeconds": "5000"},  # not a list
    {"ecpuPerSeconds": []},  # no limit in the list
    {"ecpuPerSeconds": ["5000"]},  # not a block
    {"ecpuPerSeconds": [{"maximum": 5000, "minimum": 1000}]},  # a minimum
    {"dataStorage": {"maximum": "10", "unit": "GB"}},  # a string
    {"dataStorage": {"maximum": 10, "unit": "MB"}},
    {"dataStorage": None, "ecpuPerSeconds": [{"maximum": 5000.5}]},
]


@pytest.mark.parametrize("limits", LISTED, ids=[str(x) for x in LISTED])
def test_other_usage_limits_are_listed_with_why(limits):
    got, missing = adopt(engine="valkey", cacheUsageLimits=limits)
    assert got == {"engine": "valkey"}
    (line,) = missing
    assert line.startswith("cacheUsageLimits = ")
    assert line.endswith(": mlinfra sets maximums in GB and ECPUs a second only")


# --- engine and version --------------------------------------------------------------


@pytest.mark.parametrize(("engine", "major", "fields"), [
    ("valkey", "7", {"version": "7.2"}), ("redis", "7", {"version": "7.1"}),
    ("valkey", "8", {"version": "8.0"}), ("valkey", 8, {"version": "8.0"}),
    ("valkey", None, {}),
])
def test_the_major_version_becomes_the_version_mlinfra_compiles(engine, major, fields):
    inputs = {"engine": engine} | ({"majorEngineVersion": major} if major is not None else {})
    got, missing = adopt(**inputs)
    assert got == {"engine": engine, **fields}
    assert missing == []


def test_a_major_version_the_engine_lacks_is_listed():
    got, missing = adopt(engine="redis", majorEngineVersion="8")
    assert got == {"engine": "redis"}
    assert missing == ["majorEngineVersion = 8: mlinfra runs redis 7"]


def test_another_engine_is_listed_and_so_is_its_version():
    # (the version was read and neither expressed nor listed: dropped without a word)
    got, missing = adopt(engine="memcached", majorEngineVersion="1.6")
    assert got == {}
    assert missing == ["engine = memcached: mlinfra runs redis or valkey",
                       "majorEngineVersion = 1.6: the version of an engine mlinfra does "
                       "not run"]


# --- access, keys and the network ------------------------------------------------------


def test_a_user_group_turns_auth_on_and_none_leaves_it_unset():
    assert adopt(engine="valkey", userGroupId="ml-users")[0] == {
        "engine": "valkey", "user_group": "ml-users", "auth": True}
    assert adopt(engine="valkey", userGroupId="")[0] == {"engine": "valkey",
                                                          "user_group": ""}


def test_a_key_is_read_by_its_arn_and_anything_else_is_listed():
    assert adopt(engine="valkey", kmsKeyId=KEY) == ({"engine": "valkey",
                                                     "encryption": f"kms:{KEY}"}, [])
    got, missing = adopt(engine="valkey", kmsKeyId="alias/ml")
    assert got == {"engine": "valkey"}
    assert missing == ["kmsKeyId = alias/ml: ElastiCache keys are given by their ARN"]


@pytest.mark.parametrize(("inputs", "network"), [
    ({"subnetIds": ["subnet-0a1b2c3d"]}, {"subnet_ids": ["subnet-0a1b2c3d"]}),
    ({"securityGroupIds": ["sg-0a1b2c3d"]}, {"security_group_ids": ["sg-0a1b2c3d"]}),
    ({"subnetIds": ["subnet-0a1b2c3d"], "securityGroupIds": ["sg-0a1b2c3d"]},
     {"subnet_ids": ["subnet-0a1b2c3d"], "security_group_ids": ["sg-0a1b2c3d"]}),
    ({"subnetIds": [], "securityGroupIds": []}, None),  # empty lists: none
])
def test_the_network_is_the_lists_of_ids(inputs, network):
    got, missing = adopt(engine="valkey", **inputs)
    assert got.get("network") == network
    assert missing == []


@pytest.mark.parametrize(("key", "value", "shown"), [
    ("subnetIds", ["subnet-0a1b2c3d", 7], '["subnet-0a1b2c3d", 7]'),
    ("subnetIds", "subnet-0a1b2c3d", "subnet-0a1b2c3d"),
    ("securityGroupIds", {"id": "sg-0a1b2c3d"}, '{"id": "sg-0a1b2c3d"}'),
])
def test_ids_of_another_shape_are_listed_not_dropped(key, value, shown):
    # (they were read and neither expressed nor listed)
    other = "securityGroupIds" if key == "subnetIds" else "subnetIds"
    good = ["sg-00000001"] if other == "securityGroupIds" else ["subnet-00000001"]
    got, missing = adopt(engine="valkey", **{key: value, other: good})
    field = "security_group_ids" if other == "securityGroupIds" else "subnet_ids"
    assert got["network"] == {field: good}  # the other list is still read
    assert missing == [f"{key} = {shown}: not a list of ids"]


def test_snapshot_retention_is_read_within_the_apis_range():
    assert adopt(engine="valkey", snapshotRetentionLimit=35)[0]["snapshot_retention_days"] \
        == 35
    got, missing = adopt(engine="valkey", snapshotRetentionLimit=36)
    assert "snapshot_retention_days" not in got
    assert [m.split(":")[0] for m in missing] == ["snapshotRetentionLimit = 36"]


# --- ElastiCache (replication group): the snapshot window is read with the maintenance one

GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"


def adopt_group(**inputs: Any) -> tuple[dict[str, Any], list[str]]:
    from mlinfra_compile.providers import aws_elasticache

    r = StateResource(urn=f"urn:pulumi:dev::p::{GROUP}::sessions", type=GROUP, outputs={},
                      id="sessions", inputs={"replicationGroupId": "sessions",
                                             "engine": "redis", "engineVersion": "7.1",
                                             "snapshotRetentionLimit": 1, **inputs})
    [adopted], _ = aws_elasticache.adopt([r], True)
    windows = [m for m in adopted.missing if m.startswith(("maintenance", "snapshot"))]
    return adopted.fields, windows


MAINT = "maintenanceWindow = {}: maintenance is one hour, with snapshots the hour before"
SNAP = "snapshotWindow = {}: snapshots are taken in the hour before maintenance"


@pytest.mark.parametrize(("window", "snapshot", "listed"), [
    ("mon:03:00-mon:04:00", "02:00-03:00", []),  # as mlinfra writes them
    ("mon:03:00-mon:04:00", None, []),
    # two hours: the window is listed, and the snapshot window read with it too (it was
    # dropped without a word)
    ("mon:03:00-mon:05:00", "02:00-03:00", [MAINT.format("mon:03:00-mon:05:00"),
                                            SNAP.format("02:00-03:00")]),
    ("mon:03:00-mon:05:00", None, [MAINT.format("mon:03:00-mon:05:00")]),
    ("mon:03:00-mon:04:00", "10:00-11:00", [MAINT.format("mon:03:00-mon:04:00"),
                                            SNAP.format("10:00-11:00")]),
])
def test_a_snapshot_window_is_expressed_with_its_maintenance_or_listed(window, snapshot,
                                                                        listed):
    inputs = {"maintenanceWindow": window} | (
        {"snapshotWindow": snapshot} if snapshot else {})
    fields, windows = adopt_group(**inputs)
    assert windows == listed
    assert fields.get("maintenance") == (None if listed else {"day": "monday",
                                                              "start": "03:00"})


# --- ElastiCache tiers: basic is one node without failover or Multi-AZ; standard_ha is 2..6
# nodes with both (CreateReplicationGroup: NumCacheClusters 1..6, "AutomaticFailoverEnabled
# must be enabled" with Multi-AZ) -----------------------------------------------------------

TIER = ("numCacheClusters = {}: mlinfra's tiers are basic (one node) and standard_ha "
        "(automatic failover and Multi-AZ, 1..5 replicas)")


@pytest.mark.parametrize(("nodes", "failover", "multi", "fields", "listed"), [
    (1, False, False, {"tier": "basic"}, False),
    (1, None, None, {"tier": "basic"}, False),  # unset is off
    (2, True, True, {"tier": "standard_ha", "replicas": 1}, False),
    (6, True, True, {"tier": "standard_ha", "replicas": 5}, False),
    (1, True, False, {}, True),  # one node cannot fail over
    (1, False, True, {}, True),
    (2, True, False, {}, True),  # failover without Multi-AZ
    (2, False, True, {}, True),
    (2, False, False, {}, True),
])
def test_a_replication_group_is_read_as_a_tier_or_listed(nodes, failover, multi, fields,
                                                         listed):
    inputs: dict[str, Any] = {"numCacheClusters": nodes}
    if failover is not None:
        inputs["automaticFailoverEnabled"] = failover
    if multi is not None:
        inputs["multiAzEnabled"] = multi
    got, _ = adopt_group(**inputs)
    assert {k: got[k] for k in ("tier", "replicas") if k in got} == fields
    from mlinfra_compile.providers import aws_elasticache
    from mlinfra_compile.state import StateResource as S

    r = S(urn=f"urn:pulumi:dev::p::{GROUP}::sessions", type=GROUP, outputs={}, id="sessions",
          inputs={"replicationGroupId": "sessions", "engine": "redis", "engineVersion": "7.1",
                  **inputs})
    [adopted], _ = aws_elasticache.adopt([r], True)
    assert (TIER.format(nodes) in adopted.missing) is listed


def test_seven_nodes_are_more_than_standard_ha_takes():
    from mlinfra_compile.providers import aws_elasticache
    from mlinfra_compile.state import StateResource as S

    r = S(urn=f"urn:pulumi:dev::p::{GROUP}::sessions", type=GROUP, outputs={}, id="sessions",
          inputs={"replicationGroupId": "sessions", "engine": "redis", "engineVersion": "7.1",
                  "numCacheClusters": 7, "automaticFailoverEnabled": True,
                  "multiAzEnabled": True})
    [adopted], _ = aws_elasticache.adopt([r], True)
    assert "tier" not in adopted.fields and TIER.format(7) in adopted.missing


# --- ElastiCache, worked whole: what mlinfra writes is read back field by field; what it
# cannot write is listed, each under its key, in the order read -------------------------


def _group(**inputs: Any):
    from mlinfra_compile.providers import aws_elasticache
    from mlinfra_compile.state import StateResource as S

    r = S(urn=f"urn:pulumi:dev::p::{GROUP}::sessions", type=GROUP, outputs={}, id="sessions",
          protect=True, inputs={"replicationGroupId": "sessions", **inputs})
    [adopted], left = aws_elasticache.adopt([r], True)
    assert left == {}
    return adopted


def test_a_replication_group_mlinfra_would_write_is_read_back_whole():
    adopted = _group(
        engine="valkey", engineVersion="8.0", nodeType="cache.t4g.small", numCacheClusters=3,
        automaticFailoverEnabled=True, multiAzEnabled=True, transitEncryptionEnabled=True,
        transitEncryptionMode="preferred", snapshotRetentionLimit=7,
        description="sessions for the ranking service", applyImmediately=False,
        atRestEncryptionEnabled=True, kmsKeyId=KEY, securityGroupIds=["sg-0a1b2c3d"],
        parameterGroupName="default.valkey8", port=6379,
        maintenanceWindow="sun:05:00-sun:06:00", snapshotWindow="04:00-05:00",
        region="eu-west-1", tags={"team": "ranking", "managed-by": "mlinfra"})
    assert adopted.fields == {
        "engine": "valkey", "version": "8.0", "node_type": "cache.t4g.small",
        "tier": "standard_ha", "replicas": 2, "tls": "preferred",
        "snapshot_retention_days": 7, "description": "sessions for the ranking service",
        "apply": "maintenance_window", "encryption": f"kms:{KEY}",
        "network": {"security_group_ids": ["sg-0a1b2c3d"]},
        "maintenance": {"day": "sunday", "start": "05:00"}, "region": "eu-west-1",
        "labels": {"team": "ranking"}, "protect": True}  # (mlinfra sets managed-by itself)
    assert adopted.missing == []
    assert _group(engine="redis", engineVersion="7.1", numCacheClusters=1,
                  transitEncryptionEnabled=False, applyImmediately=True).fields == {
        "engine": "redis", "version": "7.1", "tier": "basic", "tls": False,
        "apply": "immediately", "protect": True}


def test_what_a_replication_group_holds_and_mlinfra_cannot_write_is_listed():
    adopted = _group(
        engine="redis", engineVersion="5.0.6", transitEncryptionEnabled=False,
        transitEncryptionMode="required", authToken="s3cret-t0ken",
        atRestEncryptionEnabled=False, kmsKeyId="alias/cache", securityGroupIds="sg-0a1b2c3d",
        subnetGroupName="old-subnets", parameterGroupName="tuned-params", port=6380)
    assert "version" not in adopted.fields and "encryption" not in adopted.fields
    assert "network" not in adopted.fields
    assert adopted.fields["auth"] is True
    assert adopted.missing == [
        "engineVersion = 5.0.6: mlinfra runs redis 6.x, 7.0, 7.1 or valkey 7.2, 8.0, 8.1, "
        "8.2, 9.0, 9.1",
        "transitEncryptionMode = required: mlinfra sets it with tls alone",
        "authToken = (secret): mlinfra reads the token from the secret config value "
        "`<declaration>-auth-token`: set it to this one",
        "atRestEncryptionEnabled = false: mlinfra always encrypts at rest (a replacement)",
        "kmsKeyId = alias/cache: ElastiCache keys are given by their ARN",
        "securityGroupIds = sg-0a1b2c3d: not a list of security group ids",
        "subnetGroupName = old-subnets: mlinfra makes its own subnet group from "
        "network.subnet_ids (a replacement)",
        "parameterGroupName = tuned-params: mlinfra makes its own parameter group for "
        "eviction_policy",
        "port = 6380: mlinfra keeps the Redis port, 6379"]


@pytest.mark.parametrize(("window", "snapshot", "keep", "maintenance"), [
    # (the hour written as mlinfra writes it: ddd:hh:mm-ddd:hh:mm, snapshots the hour before)
    ("sun:23:30-mon:00:30", "22:30-23:30", 1, {"day": "sunday", "start": "23:30"}),
    ("sat:23:30-sun:00:30", "22:30-23:30", 1, {"day": "saturday", "start": "23:30"}),
    ("sun:23:30-sun:00:30", None, 1, None),  # ends before it starts: listed
    ("mon:00:30-mon:01:30", "23:30-00:30", 1, {"day": "monday", "start": "00:30"}),
    ("MON:03:00-MON:04:00", None, 1, {"day": "monday", "start": "03:00"}),
    ("wed:14:05-wed:15:05", "13:05-14:05", 35, {"day": "wednesday", "start": "14:05"}),
    ("mon:3:00-mon:4:00", None, 1, None),  # not hh:mm
    ("xyz:03:00-xyz:04:00", None, 1, None),  # not a day
    ("mon:03:00-tue:04:00", None, 1, None),  # a day and an hour
    ("mon:03:00-mon:04:00", None, 0, {"day": "monday", "start": "03:00"}),
    ("mon:03:00-mon:04:00", "02:00-03:00", 0, None),  # no snapshots kept, one window set
])
def test_a_maintenance_window_is_read_when_mlinfra_could_have_written_it(window, snapshot,
                                                                        keep, maintenance):
    inputs: dict[str, Any] = {"maintenanceWindow": window, "snapshotRetentionLimit": keep}
    if snapshot:
        inputs["snapshotWindow"] = snapshot
    adopted = _group(engine="redis", **inputs)
    assert adopted.fields.get("maintenance") == maintenance
    listed = [m for m in adopted.missing if m.startswith("maintenanceWindow = ")]
    assert listed == ([] if maintenance else [MAINT.format(window)])


# --- deletion protection is `protect` (Memorystore for Redis and for Valkey alike) -------


@pytest.mark.parametrize(("rtype", "key"), [
    ("gcp:redis/instance:Instance", "deletionProtection"),
    ("gcp:memorystore/instance:Instance", "deletionProtectionEnabled"),
])
@pytest.mark.parametrize(("protect", "value", "listed"), [
    (True, True, False), (False, False, False), (True, None, False),
    (False, True, True), (True, False, True),
])
def test_deletion_protection_is_read_as_protect_or_listed(rtype, key, protect, value,
                                                          listed):
    from mlinfra_compile.providers import ADOPT

    inputs: dict[str, Any] = {} if value is None else {key: value}
    r = StateResource(urn=f"urn:pulumi:dev::p::{rtype}::s", type=rtype, outputs={}, id="s",
                      protect=protect, inputs=inputs)
    [adopted] = [a for reverse in ADOPT for a in reverse([r], True)[0]]
    assert adopted.fields["protect"] is protect
    line = (f"{key} = {str(value).lower()}: mlinfra sets it with protect (protect: "
            f"{str(protect).lower()})")
    assert (line in adopted.missing) is listed


# --- the rest of a cache's fields, each side -------------------------------------------------


def test_a_major_version_valkey_lacks_names_the_ones_it_has():
    assert adopt(engine="valkey", majorEngineVersion="9") == (
        {"engine": "valkey"}, ["majorEngineVersion = 9: mlinfra runs valkey 7 or 8"])


@pytest.mark.parametrize(("days", "read"), [(0, 0), (35, 35), (-1, None), (36, None)])
def test_snapshot_retention_is_read_within_0_to_35_days(days, read):
    got, missing = adopt(engine="valkey", snapshotRetentionLimit=days)
    assert got.get("snapshot_retention_days") == read
    assert (missing == []) == (read is not None)


def test_description_tags_and_the_cloud_are_read_and_the_name_is_not_listed():
    r = StateResource(urn=f"urn:pulumi:dev::p::{TYPE}::edge", type=TYPE, outputs={},
                      id="edge", inputs={"name": "edge", "engine": "valkey",
                                         "description": "edge cache", "tags": {"team": "ml"}})
    [adopted], _ = serverless.adopt([r], True)
    assert adopted.provider == "aws" and adopted.missing == []
    assert (adopted.fields["description"], adopted.fields["labels"]) == (
        "edge cache", {"team": "ml"})
