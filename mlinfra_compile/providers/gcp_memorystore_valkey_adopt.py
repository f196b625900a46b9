"""Adopting: the reverse of gcp_memorystore_valkey.build, for `mlinfra adopt` (each
argument a running Memorystore for Valkey instance holds, read back into the language, or
listed)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .gcp_memorystore_valkey_facts import (
    MAX_REPLICAS,
    MAX_SHARDS,
    NODE_TYPES,
    PERSISTENCE,
    PROVIDER,
    SERVICE,
    TYPE,
    VERSIONS,
)
from .gcp_redis_adopt import _adopt_maintenance

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from .adopting import Adopted, Reading


def _adopt_persistence(a: Reading) -> str | None:
    cfg = a.mapping("persistenceConfig")
    if cfg is None:
        return None
    mode, rdb = cfg.get("mode"), cfg.get("rdbConfig")
    period = rdb.get("rdbSnapshotPeriod") if isinstance(rdb, dict) else None
    back = {v: k for k, v in PERSISTENCE.items()}
    if mode == "DISABLED":
        return "none"
    if mode == "RDB" and isinstance(period, str) and period in back:
        return back[period]
    a.cannot("persistenceConfig", "mlinfra's persistence is none or RDB every 1, 6, 12 or "
                                  "24 hours (no AOF)")
    return None


def _adopt_network(a: Reading) -> dict[str, str] | None:
    """One endpoint, in a network mlinfra can name, created in the instance's project."""
    from ..clouds import GCP_NETWORK_PATTERN

    endpoints = a.given("desiredAutoCreatedEndpoints")
    if endpoints is None:
        return None
    one = endpoints[0] if isinstance(endpoints, list) and len(endpoints) == 1 else None
    net = one.get("network") if isinstance(one, dict) else None
    project = a.r.value("project")
    if isinstance(net, str) and re.fullmatch(GCP_NETWORK_PATTERN, net) \
            and one.get("projectId") == project:  # type: ignore[union-attr]
        return {"name": net}
    a.cannot("desiredAutoCreatedEndpoints", "network.name is one network, whose endpoints "
                                            "mlinfra creates in the instance's project")
    return None


def _adopt_zone(a: Reading) -> str | None:
    cfg = a.mapping("zoneDistributionConfig", given=True)
    if cfg is None or (cfg.get("mode") in (None, "MULTI_ZONE") and not cfg.get("zone")
                       and not set(cfg) - {"mode", "zone"}):
        return None
    if cfg.get("mode") == "SINGLE_ZONE" and isinstance(cfg.get("zone"), str):
        return str(cfg["zone"])
    a.cannot("zoneDistributionConfig", "zone is SINGLE_ZONE in one zone, else MULTI_ZONE")
    return None


def _adopt_engine(a: Reading, f: dict[str, Any]) -> None:
    """version, auth, tls, eviction_policy (engine_configs' maxmemory-policy)."""
    from ..state import shown

    back = {v: k for k, v in VERSIONS.items()}
    version = a.string("engineVersion", back, why="Memorystore for Valkey's version in "
                                                  f"mlinfra is one of {', '.join(VERSIONS)}")
    f["version"] = None if version is None else back[version]
    auth = a.string("authorizationMode", ("IAM_AUTH", "AUTH_DISABLED"))
    f["auth"] = None if auth is None else auth == "IAM_AUTH"
    tls = a.string("transitEncryptionMode", ("SERVER_AUTHENTICATION",
                                             "TRANSIT_ENCRYPTION_DISABLED"))
    f["tls"] = None if tls is None else tls == "SERVER_AUTHENTICATION"
    configs = a.mapping("engineConfigs") or {}
    policy = configs.get("maxmemory-policy")
    f["eviction_policy"] = policy if isinstance(policy, str) else None
    a.missing += [f"engineConfigs.{shown(k)} = {shown(v)}: mlinfra sets maxmemory-policy "
                  "only (a string)" for k, v in sorted(configs.items())
                  if k != "maxmemory-policy" or not isinstance(v, str)]


def _adopt_sizing(a: Reading, f: dict[str, Any]) -> None:
    """cluster_mode (mode), shards, replicas, node_type."""
    mode = a.string("mode", ("CLUSTER", "CLUSTER_DISABLED"))
    f["cluster_mode"] = None if mode is None else mode == "CLUSTER"
    f["shards"] = a.integer("shardCount", 1, MAX_SHARDS)
    f["replicas"] = a.integer("replicaCount", 0, MAX_REPLICAS)
    back = {v[0]: k for k, v in NODE_TYPES.items()}
    node = a.string("nodeType", back, why="not a node type mlinfra knows")
    f["node_type"] = None if node is None else back[node]


def _adopt_instance(r: StateResource) -> Adopted:
    from .adopting import Reading

    a = Reading(r, handled=("instanceId", "project"))
    f: dict[str, Any] = {"service": SERVICE}
    _adopt_sizing(a, f)
    _adopt_engine(a, f)
    f["persistence"] = _adopt_persistence(a)
    f["region"] = a.string("location")
    f["zone"] = _adopt_zone(a)
    f["network"] = _adopt_network(a)
    if a.given("kmsKey") is not None:
        a.cannot("kmsKey", "`encryption: kms:KEY` also grants the Memorystore service agent "
                           "the key (providers.gcp.project_number): set it by hand")
    f["maintenance"] = _adopt_maintenance(a)
    f["labels"] = a.labels()
    f["protect"] = a.protection("deletionProtectionEnabled")
    return a.store(PROVIDER, f)


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Every Memorystore for Valkey instance, one session store each."""
    return [_adopt_instance(r) for r in resources if r.type == TYPE], {}
