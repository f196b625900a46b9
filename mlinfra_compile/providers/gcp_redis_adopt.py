"""Adopting: the reverse of gcp_redis.build, for `mlinfra adopt` (each argument a running
resource holds, read back into the language with its units, or listed)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .gcp_redis_changes import PROVIDER, TYPE
from .gcp_redis_sizing import MAX_MEMORY_GIB, MAX_REPLICAS, TIERS
from .gcp_redis_values import CONNECT_MODES, PERSISTENCE, VERSIONS

# Adopting a running instance (`mlinfra adopt`): the reverse of `build`, read from the
# instance's state (the program's input, else the output it runs with); what has no field
# here is listed by the caller, never dropped.
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from .adopting import Adopted, Reading


def _adopt_persistence(a: Reading) -> str | None:
    cfg = a.mapping("persistenceConfig")
    if cfg is None:
        return None
    mode, period = cfg.get("persistenceMode"), cfg.get("rdbSnapshotPeriod")
    if mode == "DISABLED":
        return "none"
    back = {v: k for k, v in PERSISTENCE.items()}
    if mode == "RDB" and isinstance(period, str) and period in back:
        return back[period]
    a.cannot("persistenceConfig", "mlinfra's persistence is none or RDB every 1, 6, 12 or "
                                  "24 hours")
    return None


def _adopt_network(a: Reading) -> dict[str, str]:
    from ..clouds import GCP_NETWORK_PATTERN

    net: dict[str, str] = {}
    name = a.given("authorizedNetwork")
    if isinstance(name, str) and re.fullmatch(GCP_NETWORK_PATTERN, name):
        net["name"] = name
    elif name is not None:
        a.cannot("authorizedNetwork", "network.name takes a network's name or "
                                      "projects/P/global/networks/N")
    back = {v: k for k, v in CONNECT_MODES.items()}
    mode = a.string("connectMode", back, given=True, why="not a connect mode mlinfra knows")
    if mode is not None:
        net["connect_mode"] = back[mode]
    rng = a.string("reservedIpRange", given=True)
    if rng is not None:
        net["reserved_ip_range"] = rng
    return net


def _clock(start: dict[str, Any]) -> str | None:
    """A window's startTime (hours 0..23, minutes 0..59, on the minute) as HH:MM."""
    from ..state import number

    h, m = (number(0 if start.get(k) is None else start[k]) for k in ("hours", "minutes"))
    if any(start.get(k) for k in ("seconds", "nanos")) or type(h) is not int \
            or type(m) is not int or not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return f"{h:02d}:{m:02d}"


def _adopt_maintenance(a: Reading) -> dict[str, str] | None:
    from ..units import DAYS

    policy = a.given("maintenancePolicy")
    if policy is None:
        return None
    windows = policy.get("weeklyMaintenanceWindows") if isinstance(policy, dict) else None
    w = windows[0] if isinstance(windows, list) and len(windows) == 1 else None
    start = w.get("startTime") if isinstance(w, dict) else None
    day = w.get("day") if isinstance(w, dict) else None
    clock = _clock(start) if isinstance(start, dict) else None
    if isinstance(day, str) and day.lower() in DAYS and clock is not None:
        return {"day": day.lower(), "start": clock}
    a.cannot("maintenancePolicy", "maintenance is one weekly window starting on the minute")
    return None


def _adopt_tls_replicas(a: Reading, f: dict[str, Any]) -> None:
    mode = a.string("transitEncryptionMode", ("SERVER_AUTHENTICATION", "DISABLED"))
    if mode is not None:
        f["tls"] = mode == "SERVER_AUTHENTICATION"
    replicas = a.string("readReplicasMode", ("READ_REPLICAS_ENABLED",
                                             "READ_REPLICAS_DISABLED"))
    if replicas == "READ_REPLICAS_ENABLED":
        f["replicas"] = a.integer("replicaCount", 1, MAX_REPLICAS)
        if f["replicas"] is None:
            a.cannot("readReplicasMode", f"replicas are 1..{MAX_REPLICAS} (replicaCount)")
        if a.given("secondaryIpRange") not in (None, "auto"):
            a.cannot("secondaryIpRange", "mlinfra lets Memorystore pick the range (auto)")
    elif replicas == "READ_REPLICAS_DISABLED" and a.r.inputs.get("readReplicasMode"):
        f["replicas"] = 0


def _adopt_instance(r: StateResource) -> Adopted:
    from ..state import shown
    from .adopting import Reading

    a = Reading(r)
    f: dict[str, Any] = {}
    mem = a.integer("memorySizeGb", 1, MAX_MEMORY_GIB)
    f["memory"] = None if mem is None else f"{mem}GiB"
    for key, field, table in (("tier", "tier", TIERS), ("redisVersion", "version", VERSIONS)):
        back = {v: k for k, v in table.items()}
        value = a.string(key, back, why=f"Memorystore's {field} in mlinfra is one of "
                                        f"{', '.join(table)}")
        f[field] = None if value is None else back[value]
    f["auth"] = a.boolean("authEnabled")
    _adopt_tls_replicas(a, f)
    f["persistence"] = _adopt_persistence(a)
    configs = a.mapping("redisConfigs") or {}
    policy = configs.get("maxmemory-policy")
    f["eviction_policy"] = policy if isinstance(policy, str) else None
    a.missing += [f"redisConfigs.{shown(k)} = {shown(v)}: mlinfra sets maxmemory-policy "
                  "only (a string)" for k, v in sorted(configs.items())
                  if k != "maxmemory-policy" or not isinstance(v, str)]
    f["region"] = a.string("region")
    f["network"] = _adopt_network(a) or None
    if a.given("customerManagedKey") is not None:
        a.cannot("customerManagedKey", "`encryption: kms:KEY` also grants Memorystore's "
                                       "agent the key (providers.gcp.project_number): set it "
                                       "by hand")
    f["maintenance"] = _adopt_maintenance(a)
    f["labels"] = a.labels()
    f["protect"] = a.protection("deletionProtection")
    return a.store(PROVIDER, f)


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Every Memorystore instance, one session store each."""
    return [_adopt_instance(r) for r in resources if r.type == TYPE], {}
