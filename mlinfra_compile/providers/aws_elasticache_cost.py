"""What a month of an ElastiCache session store costs (COSTS): its nodes by the hour at the
rates of prices/aws_elasticache.json; its parameter group is free, and aws_network prices
its network resources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import aws_network, pricing
from .aws_elasticache_changes import PARAMETER_GROUP, TYPE

if TYPE_CHECKING:
    from . import lines


# What a month costs (prices/aws_elasticache.json, each entry with its source):
# every node of the group (num_cache_clusters: the primary and its replicas) by the hour
# ("you are charged hourly per node", aws.amazon.com/elasticache/pricing). Valkey nodes
# cost 20% less than Redis OSS ones (ElastiCache FAQ; the price list agrees type by type);
# c8gn, m8g and r8g run Valkey only, so they have no Redis OSS price. Parameter groups are
# free; backup storage beyond one snapshot a cache is billed by the GB-month and not
# estimated.
def _monthly(r: dict[str, Any], _g: lines.Priced) -> list[lines.Line]:
    a = r["args"]
    gone = pricing.missing(r, "node_type", "engine", "num_cache_clusters", "region")
    if gone:
        return gone
    node, engine, region = a["node_type"], a["engine"], str(a["region"])
    nodes = pricing.count(a["num_cache_clusters"])
    if nodes is None:  # (only in a graph mlinfra did not write)
        return [pricing.no_price(f"{a['num_cache_clusters']!r} nodes", "aws_elasticache")]
    e = pricing.entry("aws_elasticache", engine=engine, region=region, node_type=node)
    if e is None:
        valkey_only = engine == "redis" and pricing.entry(
            "aws_elasticache", engine="valkey", region=region, node_type=node)
        return [pricing.no_price(f"{node} running {engine} in {region}"
                                 + (" (AWS offers it with Valkey only)" if valkey_only
                                    else ""), "aws_elasticache")]
    backups = "; backup storage beyond one snapshot is billed by the GB-month, not " \
              "included" if a.get("snapshot_retention_limit") else ""
    return [pricing.per(e, e["price"], pricing.hours(nodes), "node-hours", pricing.FIXED,
                        f"{nodes} x {node} ({engine}) x 730 h in {region}{backups}")]


COSTS: dict[str, pricing.Pricer] = {
    TYPE: _monthly,
    PARAMETER_GROUP: pricing.free("ElastiCache parameter groups are configuration "
                                  "(infracost lists them as free)"),
    **aws_network.COSTS,
}
