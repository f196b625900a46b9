"""`mlinfra adopt` of ElastiCache replication groups, the conditions the other adopt tests
leave on one side: each case a running group's inputs (camelCase, as `pulumi stack
export` records them) and, worked out by hand from the provider's shapes, what mlinfra
declares and what it lists.

Shapes (pulumi-aws elasticache.ReplicationGroup docstring; AWS CreateReplicationGroup):
engine redis | valkey; transitEncryptionMode preferred | required; snapshotRetentionLimit
0..35 days; numCacheClusters at least 1; maintenanceWindow ddd:hh24:mi-ddd:hh24:mi (UTC)."""

from __future__ import annotations

from typing import Any

import pytest

from mlinfra_compile.providers import aws_elasticache
from mlinfra_compile.state import StateResource

GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"


def adopt(**inputs: Any) -> tuple[dict[str, Any], list[str]]:
    r = StateResource(urn=f"urn:pulumi:dev::p::{GROUP}::sessions", type=GROUP, outputs={},
                      id="sessions", inputs={"replicationGroupId": "sessions", **inputs})
    [adopted], _ = aws_elasticache.adopt([r], True)
    fields = {k: v for k, v in adopted.fields.items() if k not in ("service", "protect")}
    return fields, adopted.missing


VERSIONS = "mlinfra runs redis 6.x, 7.0, 7.1 or valkey 7.2, 8.0, 8.1, 8.2, 9.0, 9.1"


def test_the_group_id_and_project_are_read_not_listed():
    assert adopt(project="p") == ({}, [])


@pytest.mark.parametrize(("inputs", "fields", "missing"), [
    ({}, {}, []),  # neither engine nor version: nothing to say
    ({"engine": "redis"}, {"engine": "redis"}, [f"engineVersion = null: {VERSIONS}"]),
    ({"engine": "redis", "engineVersion": "7.1"}, {"engine": "redis", "version": "7.1"}, []),
    ({"engine": "memcached"}, {}, ["engine = memcached: mlinfra runs redis or valkey"]),
])
def test_engine_and_version(inputs, fields, missing):
    assert adopt(**inputs) == (fields, missing)


def test_a_node_type_mlinfra_does_not_know_is_listed():
    assert adopt(nodeType="cache.x9.huge") == (
        {}, ["nodeType = cache.x9.huge: not a node type mlinfra knows"])


@pytest.mark.parametrize(("inputs", "fields", "missing"), [
    ({"transitEncryptionEnabled": True, "transitEncryptionMode": "preferred"},
     {"tls": "preferred"}, []),
    ({"transitEncryptionEnabled": True, "transitEncryptionMode": "required"},
     {"tls": True}, []),
    ({"transitEncryptionEnabled": True, "transitEncryptionMode": "bogus"}, {"tls": True},
     ["transitEncryptionMode = bogus: mlinfra compiles preferred, required"]),
    ({"transitEncryptionEnabled": False, "transitEncryptionMode": ""}, {"tls": False}, []),
    ({"transitEncryptionEnabled": False, "transitEncryptionMode": "required"},
     {"tls": False}, ["transitEncryptionMode = required: mlinfra sets it with tls alone"]),
])
def test_transit_encryption(inputs, fields, missing):
    assert adopt(**inputs) == (fields, missing)


@pytest.mark.parametrize(("days", "read"), [(0, 0), (35, 35), (-1, None), (36, None)])
def test_snapshot_retention_is_read_within_0_to_35_days(days, read):
    fields, missing = adopt(snapshotRetentionLimit=days)
    assert fields.get("snapshot_retention_days") == read
    assert (missing == []) == (read is not None)


@pytest.mark.parametrize(("apply", "field"), [
    (None, None), (True, "immediately"), (False, "maintenance_window")])
def test_apply_immediately_is_read_only_when_given(apply, field):
    fields, _ = adopt(**({} if apply is None else {"applyImmediately": apply}))
    assert fields.get("apply") == field


def test_no_node_at_all_is_out_of_range_not_a_tier():
    assert adopt(numCacheClusters=0) == (
        {}, ["numCacheClusters = 0: out of range: mlinfra reads a whole number of at least 1"])


@pytest.mark.parametrize(("window", "day", "start"), [
    ("tue:00:00-tue:01:00", "tuesday", "00:00"),  # (a day's first minute: 1440 a day)
    ("sun:23:00-mon:00:00", "sunday", "23:00"),
    ("sat:23:59-sun:00:59", "saturday", "23:59"),
])
def test_a_maintenance_window_is_read_on_its_day(window, day, start):
    fields, missing = adopt(maintenanceWindow=window)
    assert (fields, missing) == ({"maintenance": {"day": day, "start": start}}, [])
