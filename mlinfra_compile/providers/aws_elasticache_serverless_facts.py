"""ElastiCache Serverless: what a change does to a running cache, its import id and what a
month of it costs (the tables `service: elasticache-serverless` reads; the builder is
aws_elasticache_serverless.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import pricing
from .base import ImportId
from .changes import AWS_REGION, ChangeTable, Outcome, Step, depends, in_place, replaces

if TYPE_CHECKING:
    from . import lines

TYPE = "aws:elasticache/serverlessCache:ServerlessCache"
STATEFUL = frozenset({TYPE})
NAME_ARGS = {TYPE: "name"}
# The import id is the cache's name (pulumi-aws 7.51.1 `elasticache.ServerlessCache`
# docstring, "Import": `pulumi import ... my_cluster my_cluster`).
IMPORT_IDS = {TYPE: ImportId("ElastiCache serverless cache",
                             r"(?P<name>[a-z][a-z0-9-]{0,39})", "ml-sessions")}
# Major versions per engine (the AWS CDK's CacheEngine: REDIS_7, VALKEY_7, VALKEY_8), the
# newest last: mlinfra's default.
ENGINE_MAJORS: dict[str, tuple[str, ...]] = {"redis": ("7",), "valkey": ("7", "8")}

# What a change of each argument does. Source: terraform-provider-aws
# internal/service/elasticache/serverless_cache.go after PR #45087 ("stop recreating
# serverless cache if upgrading from valkey 7 to 8", merged 2025-11), read in the copy at
# sukumaar/terraform-provider-aws 4a11ce24 (RequiresReplace plan modifiers; the Update
# function sends ModifyServerlessCache, which takes Description, CacheUsageLimits,
# UserGroupId / RemoveUserGroup, SecurityGroupIds, SnapshotRetentionLimit,
# DailySnapshotTime, Engine and MajorEngineVersion).
_TF = "terraform-provider-aws internal/service/elasticache/serverless_cache.go"
_MODIFY = f"{_TF}: updated with ModifyServerlessCache"


def _engine_change(s: Step) -> Outcome:
    """RequiresReplaceIf: "Engine modifications other than redis to valkey or valkey to
    redis require a replacement"."""
    if {s.old, s.new} == {"redis", "valkey"}:
        return Outcome("update")
    return Outcome("replace", f"moving from {s.old} to {s.new} forces replacement (only "
                              "redis <-> valkey is in place)")


def _major(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _version_change(s: Step) -> Outcome:
    """RequiresReplaceIf: in place only for an upgrade of a valkey cache
    (`stateFloatVal < planFloatVal && engineVal == valkey`)."""
    if s.new_args.get("engine") == "valkey" and _major(s.old) < _major(s.new):
        return Outcome("update")
    return Outcome("replace", "only a Valkey cache upgrades its major version in place; a "
                              "downgrade, or a Redis OSS cache's change, forces replacement")


CHANGES: ChangeTable = {TYPE: {
    **{k: replaces(f"{_TF}: RequiresReplace") for k in (
        "name", "kms_key_id", "subnet_ids", "snapshot_arns_to_restores", "network_type")},
    "region": AWS_REGION,
    "engine": depends(f"{_TF}: RequiresReplaceIf (redis <-> valkey in place)",
                      _engine_change, "update", "replace"),
    "major_engine_version": depends(f"{_TF}: RequiresReplaceIf (a Valkey upgrade in place)",
                                    _version_change, "update", "replace"),
    **{k: in_place(_MODIFY) for k in (
        "description", "cache_usage_limits", "user_group_id", "security_group_ids",
        "snapshot_retention_limit", "daily_snapshot_time")},
    "tags": in_place(f"{_TF}: tags are updated with AddTagsToResource"),
}}

# What a month costs (prices/aws_elasticache_serverless.json, each entry with its source):
# data stored by the GB-hour and ECPUs by the million, both by use; the least each cache is
# billed for is a floor by the hour ("metered for a minimum of 1 GB of data stored for ...
# Redis, and 100 MB for Valkey", aws.amazon.com/elasticache/pricing).
MINIMUM_GB = {"redis": "1", "valkey": "0.1"}
NOT_ESTIMATED = "it depends on the data the cache holds and the commands it runs"


def _monthly(r: dict[str, Any], _g: lines.Priced) -> list[lines.Line]:
    from decimal import Decimal

    gone = pricing.missing(r, "engine", "region")
    if gone:
        return gone
    engine, region = str(r["args"]["engine"]), str(r["args"]["region"])
    storage = pricing.entry("aws_elasticache_serverless", charge="storage", engine=engine,
                            region=region)
    ecpu = pricing.entry("aws_elasticache_serverless", charge="ecpu", engine=engine,
                         region=region)
    if storage is None or ecpu is None or engine not in MINIMUM_GB:
        return [pricing.no_price(f"ElastiCache Serverless ({engine}) in {region}",
                                 "aws_elasticache_serverless")]
    least = Decimal(MINIMUM_GB[engine])
    cap = pricing.dig(r["args"], "cache_usage_limits", "data_storage", "maximum")
    capped = f"; at most {cap} GB (max_data)" if isinstance(cap, int) else ""
    return [pricing.per(storage, storage["price"], pricing.hours(1) * least, "GB-hours",
                        pricing.FIXED, f"the least billed, {least} GB of data x 730 h "
                                       f"({engine}) in {region}"),
            pricing.usage_based(storage, f"data stored above {least} GB{capped}",
                                then=NOT_ESTIMATED),
            pricing.usage_based(ecpu, "one ECPU per KB a command reads or writes",
                                then=NOT_ESTIMATED)]


COSTS: dict[str, pricing.Pricer] = {TYPE: _monthly}
