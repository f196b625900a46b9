"""Adopting: the reverse of aws_elasticache_serverless.build, for `mlinfra adopt` (each
argument a running serverless cache holds, read back into the language, or listed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .aws_elasticache import KEY_ARN
from .aws_elasticache_serverless_facts import ENGINE_MAJORS
from .aws_elasticache_values import MAX_SNAPSHOT_RETENTION_DAYS

if TYPE_CHECKING:
    from ..state import StateResource
    from .adopting import Adopted, Reading


def _limits(a: Reading, f: dict[str, Any]) -> None:
    """cache_usage_limits {dataStorage {maximum, unit GB}, ecpuPerSeconds [{maximum}]} ->
    max_data, max_ecpu; anything else (minimums, another unit or shape) is listed."""
    limits = a.given("cacheUsageLimits")
    if limits is None:
        return
    got = _maximums(limits)
    if got is None:
        a.cannot("cacheUsageLimits", "mlinfra sets maximums in GB and ECPUs a second only")
        return
    f["max_data"], f["max_ecpu"] = got


def _maximums(limits: Any) -> tuple[int | None, int | None] | None:
    """(GB, ECPUs a second), None for a shape mlinfra does not write."""
    if not isinstance(limits, dict) or set(limits) - {"dataStorage", "ecpuPerSeconds"}:
        return None
    data, ecpu = limits.get("dataStorage"), limits.get("ecpuPerSeconds")
    if data is not None and not (isinstance(data, dict) and set(data) <= {"maximum", "unit"}
                                 and data.get("unit") in (None, "GB")):
        return None
    if ecpu is not None and not (isinstance(ecpu, list) and len(ecpu) == 1
                                 and isinstance(ecpu[0], dict) and set(ecpu[0]) <= {"maximum"}):
        return None
    most = data.get("maximum") if data else None
    fast = ecpu[0].get("maximum") if ecpu else None
    if any(v is not None and not (type(v) in (int, float) and float(v).is_integer())
           for v in (most, fast)):
        return None
    return (None if most is None else int(most)), (None if fast is None else int(fast))


def _network(a: Reading) -> dict[str, list[str]] | None:
    """subnet_ids and security_group_ids (empty lists: none); another shape is listed."""
    net = {}
    for field, key in (("subnet_ids", "subnetIds"), ("security_group_ids", "securityGroupIds")):
        ids = a.given(key)
        if isinstance(ids, list) and all(isinstance(x, str) for x in ids):
            if ids:
                net[field] = ids
        elif ids is not None:
            a.cannot(key, "not a list of ids")
    return net or None


def adopt_cache(r: StateResource) -> Adopted:
    from .adopting import Reading

    a = Reading(r, ("name",))
    f: dict[str, Any] = {"service": "elasticache-serverless"}
    engine = a.string("engine", tuple(ENGINE_MAJORS), why="mlinfra runs redis or valkey")
    f["engine"] = engine
    major = a.given("majorEngineVersion")
    if engine is not None and major is not None and str(major) in ENGINE_MAJORS[engine]:
        f["version"] = {"7": "7.2" if engine == "valkey" else "7.1", "8": "8.0"}[str(major)]
    elif major is not None:
        a.cannot("majorEngineVersion", f"mlinfra runs {engine} "
                                       f"{' or '.join(ENGINE_MAJORS[engine])}" if engine else
                 "the version of an engine mlinfra does not run")
    _limits(a, f)
    group = a.string("userGroupId")
    f["user_group"], f["auth"] = group, (True if group else None)
    kms = a.given("kmsKeyId")
    f["encryption"] = f"kms:{kms}" if isinstance(kms, str) and KEY_ARN.fullmatch(kms) else None
    if kms is not None and f["encryption"] is None:
        a.cannot("kmsKeyId", "ElastiCache keys are given by their ARN")
    f["network"] = _network(a)
    f["snapshot_retention_days"] = a.integer("snapshotRetentionLimit", 0,
                                             MAX_SNAPSHOT_RETENTION_DAYS)
    f["description"] = a.string("description")
    f["region"] = a.string("region")
    f["labels"] = a.labels("tags")
    f["protect"] = r.protect
    return a.store("aws", f)
