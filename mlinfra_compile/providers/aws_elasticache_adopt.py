"""Adopting: the reverse of aws_elasticache.build, for `mlinfra adopt` (each argument a running
resource holds, read back into the language with its units, or listed)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..units import DAYS
from .aws_elasticache_changes import PROVIDER, TYPE
from .aws_elasticache_nodes import KNOWN_NODE_TYPES
from .aws_elasticache_security import KEY_ARN
from .aws_elasticache_sizing import MAX_REPLICAS
from .aws_elasticache_values import ENGINE_VERSIONS, MAX_SNAPSHOT_RETENTION_DAYS, _hhmm

# Adopting running replication groups (`mlinfra adopt`): the reverse of `build`. Subnet
# and parameter groups of their own are not carried over (mlinfra makes `<name>-subnets`
# and `<name>-params` itself); what has no field here is listed by the caller.
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from .adopting import Adopted, Reading


def _adopt_tier(a: Reading, f: dict[str, Any]) -> None:
    n = a.integer("numCacheClusters", 1)
    failover, multi = a.boolean("automaticFailoverEnabled"), a.boolean("multiAzEnabled")
    if n == 1 and not failover and not multi:
        f["tier"] = "basic"
    elif isinstance(n, int) and 2 <= n <= MAX_REPLICAS + 1 and failover and multi:
        f["tier"], f["replicas"] = "standard_ha", n - 1
    elif n is not None:
        a.cannot("numCacheClusters", "mlinfra's tiers are basic (one node) and standard_ha "
                                     "(automatic failover and Multi-AZ, 1..5 replicas)")


def _adopt_window(a: Reading, keep: Any) -> dict[str, str] | None:
    """maintenance_window `ddd:hh:mm-ddd:hh:mm`, one hour, with the snapshot window the
    hour before it (as `_maintenance` writes them), as `maintenance`."""
    window = a.given("maintenanceWindow")
    if window is None:
        return None
    snapshot = a.given("snapshotWindow")
    m = re.fullmatch(r"([a-z]{3}):(\d\d):(\d\d)-([a-z]{3}):(\d\d):(\d\d)", str(window).lower())
    days = [d[:3] for d in DAYS]
    if m and m.group(1) in days and m.group(4) in days:
        start = days.index(m.group(1)) * 1440 + int(m.group(2)) * 60 + int(m.group(3))
        end = days.index(m.group(4)) * 1440 + int(m.group(5)) * 60 + int(m.group(6))
        wanted = f"{_hhmm(start - 60)}-{_hhmm(start)}" if keep else None
        if (start + 60) % (7 * 1440) == end and snapshot in (None, wanted):
            return {"day": DAYS[start // 1440], "start": _hhmm(start)}
    a.cannot("maintenanceWindow", "maintenance is one hour, with snapshots the hour before")
    if snapshot is not None:  # (read with the window: listed with it, never dropped)
        a.cannot("snapshotWindow", "snapshots are taken in the hour before maintenance")
    return None


def _adopt_group(r: StateResource) -> Adopted:
    from .adopting import Reading

    a = Reading(r, ("replicationGroupId", "project"))
    f: dict[str, Any] = {}
    engine = a.string("engine", tuple(ENGINE_VERSIONS), why="mlinfra runs redis or valkey")
    versions = ENGINE_VERSIONS.get(str(engine), {})
    back = {v: k for k, v in versions.items()}
    if versions:
        f["engine"] = engine
    version = a.get("engineVersion")
    if isinstance(version, str | int | float) and version in back:  # (a list or map: listed)
        f["version"] = back[version]
    elif version is not None or engine is not None:
        a.cannot("engineVersion", f"mlinfra runs redis {', '.join(ENGINE_VERSIONS['redis'])} "
                                  f"or valkey {', '.join(ENGINE_VERSIONS['valkey'])}")
    node = a.string("nodeType", KNOWN_NODE_TYPES, why="not a node type mlinfra knows")
    f["node_type"] = node
    _adopt_tier(a, f)
    tls = a.boolean("transitEncryptionEnabled")
    if tls:
        mode = a.string("transitEncryptionMode", ("preferred", "required"))
        f["tls"] = "preferred" if mode == "preferred" else True
    else:
        f["tls"] = tls
        if a.get("transitEncryptionMode") not in (None, ""):
            a.cannot("transitEncryptionMode", "mlinfra sets it with tls alone")
    if a.given("authToken") is not None:
        f["auth"] = True
        a.missing.append("authToken = (secret): mlinfra reads the token from the secret "
                         "config value `<declaration>-auth-token`: set it to this one")
    keep = a.integer("snapshotRetentionLimit", 0, MAX_SNAPSHOT_RETENTION_DAYS)
    f["snapshot_retention_days"] = keep
    f["description"] = a.string("description")
    apply = a.boolean("applyImmediately")
    f["apply"] = None if apply is None else "immediately" if apply else "maintenance_window"
    if a.boolean("atRestEncryptionEnabled") is False:
        a.cannot("atRestEncryptionEnabled", "mlinfra always encrypts at rest (a replacement)")
    kms = a.given("kmsKeyId")
    f["encryption"] = f"kms:{kms}" if isinstance(kms, str) and KEY_ARN.fullmatch(kms) else None
    if kms is not None and f["encryption"] is None:
        a.cannot("kmsKeyId", "ElastiCache keys are given by their ARN")
    groups = a.given("securityGroupIds")
    f["network"] = {"security_group_ids": groups} if groups else None
    if groups is not None and not (isinstance(groups, list)
                                   and all(isinstance(g, str) for g in groups)):
        f["network"] = None
        a.cannot("securityGroupIds", "not a list of security group ids")
    if a.given("subnetGroupName") is not None:
        a.cannot("subnetGroupName", "mlinfra makes its own subnet group from "
                                    "network.subnet_ids (a replacement)")
    group = a.given("parameterGroupName")
    if group is not None and not str(group).startswith("default."):
        a.cannot("parameterGroupName", "mlinfra makes its own parameter group for "
                                       "eviction_policy")
    if a.given("port") not in (None, 6379):
        a.cannot("port", "mlinfra keeps the Redis port, 6379")
    f["maintenance"] = _adopt_window(a, keep)
    f["region"] = a.string("region")
    f["labels"] = a.labels("tags")
    f["protect"] = r.protect
    return a.store(PROVIDER, f)


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Every replication group, one session store each."""
    return [_adopt_group(r) for r in resources if r.type == TYPE], {}
