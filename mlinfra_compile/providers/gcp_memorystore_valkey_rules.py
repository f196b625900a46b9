"""Memorystore for Valkey, what a change does and what a month costs: the CHANGES and COSTS
tables of gcp_memorystore_valkey (apart from its build, to keep each module short)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import pricing
from .changes import (
    GCP_PROJECT,
    ChangeTable,
    Outcome,
    Step,
    depends,
    in_place,
    replaces,
    suppressed,
)
from .gcp_memorystore_valkey_facts import TYPE

if TYPE_CHECKING:
    from . import lines

__all__ = ["CHANGES", "COSTS", "TYPE"]

# What a change of each argument does to a running instance. Source: magic-modules
# mmv1/products/memorystore/Instance.yaml at d5778440 (2026-08-21), `immutable: true` (the
# Terraform provider's ForceNew, so a replacement in Pulumi); the resource has no custom
# diff besides labels and the project default (terraform-provider-google
# resource_memorystore_instance.go at 07fc8657). In-place changes are PATCHes with an
# update mask, each exercised by magic-modules
# mmv1/third_party/terraform/services/memorystore/resource_memorystore_instance_test.go
# (60030617) where named.
_MM = "magic-modules mmv1/products/memorystore/Instance.yaml (d5778440)"
_TEST = "resource_memorystore_instance_test.go"


def _immutable(line: str, field: str) -> str:
    return f"{_MM} l.{line}: {field} immutable: true"


def _mutable(line: str, field: str, test: str = "") -> str:
    tested = f"; {_TEST} {test}" if test else ""
    return f"{_MM} l.{line}: {field} not immutable (PATCH with update_mask){tested}"


def _valkey(version: Any) -> tuple[int, int] | None:
    m = re.fullmatch(r"VALKEY_(\d+)_(\d+)", str(version))
    return (int(m.group(1)), int(m.group(2))) if m else None


def _version_change(s: Step) -> Outcome:
    """Upgrades are in place and irreversible (DOC about-upgrading-version); the provider
    sends a downgrade as an update, which the API refuses."""
    old, new = _valkey(s.old), _valkey(s.new)
    if old is not None and new is not None and new < old:
        return Outcome("refused", f"Memorystore for Valkey cannot downgrade {s.old} to "
                                  f"{s.new} (an upgrade is irreversible); to run {s.new}, "
                                  "declare a new store and move clients to it")
    return Outcome("update")


def _shard_change(s: Step) -> Outcome:
    """Cluster Mode Disabled runs one shard: the API refuses another count (DOC
    cluster-mode-enabled-and-disabled, "Not supported (single shard only)")."""
    if s.old_args.get("mode") == s.new_args.get("mode") == "CLUSTER_DISABLED":
        return Outcome("refused", "an instance with cluster mode disabled has one shard and "
                                  "cannot scale out; declare a new store with cluster_mode: true")
    return Outcome("update")


def _same_zones(s: Step) -> bool:
    """MM zoneDistributionConfig: default_from_api, mode "Defaults to MULTI_ZONE": unset is
    {mode: MULTI_ZONE}."""
    multi = {"mode": "MULTI_ZONE"}
    return (s.old or multi) == (s.new or multi)


def _from_api(s: Step) -> bool:
    """An argument the API fills in (MM `default_from_api: true`): unset keeps what the
    instance runs, so a change to or from unset is none."""
    return s.old is None or s.new is None


CHANGES: ChangeTable = {TYPE: {
    "instance_id": replaces(_immutable("192", "instanceId")),
    "location": replaces(_immutable("186", "location")),
    "project": GCP_PROJECT,
    # DOC cluster-mode-enabled-and-disabled: "you can't change the instance to the other
    # mode"
    "mode": replaces(_immutable("692", "mode")),
    "authorization_mode": replaces(_immutable("287", "authorizationMode")),
    "transit_encryption_mode": replaces(_immutable("304", "transitEncryptionMode")),
    "kms_key": replaces(_immutable("803", "kmsKey")),
    "server_ca_mode": replaces(_immutable("824", "serverCaMode")),
    "server_ca_pool": replaces(_immutable("837", "serverCaPool")),
    "gcs_source": replaces(_immutable("765", "gcsSource")),
    "managed_backup_source": replaces(_immutable("783", "managedBackupSource")),
    # (its diff_suppress_func hides only equal values, MM templates/terraform/constants/
    # memorystore_instance.go.tmpl)
    "desired_auto_created_endpoints": replaces(_immutable("165", "desiredAutoCreatedEndpoints")),
    "desired_psc_auto_connections": replaces(_immutable("148", "desiredPscAutoConnections")),
    # The block and its zone are immutable (l.524, l.530); its mode alone is not, but mlinfra
    # changes mode only together with zone (SINGLE_ZONE in a zone, or MULTI_ZONE without).
    "zone_distribution_config": suppressed(replaces(_immutable("524", "zoneDistributionConfig")
                                                    + " (and l.530 zone)"), _same_zones),
    "shard_count": depends(_mutable("306", "shardCount", "updateShardCount 3 -> 5"),
                           _shard_change, "update", "refused"),
    "replica_count": in_place(_mutable("274", "replicaCount", "updateReplicaCount 0, 1, 2")),
    "node_type": suppressed(in_place(_mutable("330", "nodeType", "updateNodeType "
                                              "HIGHMEM_MEDIUM -> STANDARD_SMALL")),
                            _from_api),
    "engine_version": suppressed(depends(_mutable("505", "engineVersion", "updateEngineVersion "
                                                  "VALKEY_7_2 -> VALKEY_8_0"),
                                         _version_change, "update", "refused"),
                                 _from_api),
    "persistence_config": in_place(_mutable("334", "persistenceConfig",
                                            "updatePersistence AOF -> RDB")),
    "engine_configs": in_place(_mutable("509", "engineConfigs", "updateRedisConfigs")),
    "labels": in_place(_mutable("206", "labels")),
    "maintenance_policy": in_place(_mutable("369", "maintenancePolicy")),
    "automated_backup_config": in_place(_mutable("239", "automatedBackupConfig")),
    "cross_instance_replication_config": in_place(_mutable("595",
                                                           "crossInstanceReplicationConfig")),
    "acl_policy": in_place(_mutable("289", "aclPolicy")),
    # default_value: true (l.541): unset is true
    "deletion_protection_enabled": suppressed(
        in_place(_mutable("541", "deletionProtectionEnabled", "updateDeletionProtection")),
        lambda s: (True if s.old is None else s.old) == (True if s.new is None else s.new)),
}}


# What a month costs (prices/gcp_memorystore_valkey.json, each entry with its source and
# date): every node by the hour, replicas billed as nodes, so shard_count x (1 +
# replica_count) nodes x 730 h at the node type's rate in the instance's region (infracost
# internal/resources/google/memorystore_instance.go: nodeCount = shardCount *
# (1 + replicaCount); DOC quotas counts usage units the same way). AOF persistence storage
# and backups are billed apart and not estimated (mlinfra persists with RDB only).
def _monthly(r: dict[str, Any], _g: lines.Priced) -> list[lines.Line]:
    a = r["args"]
    gone = pricing.missing(r, "shard_count", "node_type", "location")
    if gone:
        return gone
    shards, node, region = pricing.count(a["shard_count"]), a["node_type"], str(a["location"])
    raw = a.get("replica_count", 0)  # (the API's default: 0 replicas, MM l.274)
    replicas = 0 if raw in (0, 0.0) and not isinstance(raw, bool) else pricing.count(raw)
    if shards is None or replicas is None:  # (only in a graph mlinfra did not write)
        return [pricing.no_price(f"{a['shard_count']!r} shards of {raw!r} replicas",
                                 "gcp_memorystore_valkey")]
    e = pricing.entry("gcp_memorystore_valkey", node_type=str(node), region=region)
    if e is None:
        return [pricing.no_price(f"Memorystore for Valkey {node} nodes in {region}",
                                 "gcp_memorystore_valkey")]
    nodes = shards * (1 + replicas)
    return [pricing.per(e, e["price"], pricing.hours(nodes), "node-hours", pricing.FIXED,
                        f"{pricing.plural(shards, 'shard')} x (1 primary + "
                        f"{pricing.plural(replicas, 'replica')}) = "
                        f"{pricing.plural(nodes, 'node')} of {node} x 730 h in {region}")]


COSTS: dict[str, pricing.Pricer] = {TYPE: _monthly}
