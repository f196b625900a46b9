"""What a month of a Memorystore for Redis session store costs (COSTS): its provisioned
GiB-hours at the rate of its tier and capacity band (prices/gcp_redis.json)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import pricing
from .gcp_redis_changes import TYPE
from .gcp_redis_sizing import MAX_MEMORY_GIB

if TYPE_CHECKING:
    from . import lines


# What a month costs (prices/gcp_redis.json, each entry with its source): the
# provisioned GiB-hours at the rate of the tier and of the capacity band the whole size
# falls in (Memorystore for Redis pricing: "a 3 GB instance falls in the 1-4 GB tier"):
# M1 1-4 GB, M2 5-10, M3 11-35, M4 36-100, M5 above 100. The Standard rate covers the
# replica. With read replicas Google bills per node ("Replicas: determines how many nodes
# exist in a Standard tier instance"), on the catalogue's "Redis Standard Node Capacity
# M2..M5" SKUs, which the public export the table is read from leaves out. The only
# figure found (a test fixture in mooncitizen/togen 8e771a5b: europe-west2 M2 0.0444, half
# that fixture's Standard M2 0.0888) is not confirmed by the catalogue export (its London
# Standard M2 is 0.064, and the fixture's other rows miss the catalogue too): mlinfra takes
# a node at half the Standard rate and says on the line that this is an estimate. Read
# replicas exist only on the Standard tier (the API: "Not valid for basic tier").
# The rates: the Cloud Billing catalogue's "Redis Capacity <Basic|Standard> Mx" SKUs as
# exported by doitintl/gcpinstances.info (0133443a, updatedAt 2026-04-27; unchanged at
# cef63076, 2026-06-02). Two sources disagree outside the US: the togen fixture above gives
# London Standard M2 0.0888 per GB-hour where the export has 0.064; the fixture's other
# rows miss the catalogue too (a Redis Cluster node 0.0688/h against 0.2192, Belgium basic
# M1 at Iowa's 0.049 against 0.051), so the export is kept. Google's page itself renders
# its table in the browser and no stored copy of it has the figures.
BANDS = ((4, "M1", "1-4 GB"), (10, "M2", "5-10 GB"), (35, "M3", "11-35 GB"),
         (100, "M4", "36-100 GB"), (MAX_MEMORY_GIB, "M5", "above 100 GB"))
PRICE_TIERS = {"BASIC": "basic", "STANDARD_HA": "standard"}


def _monthly(r: dict[str, Any], _g: lines.Priced) -> list[lines.Line]:
    a = r["args"]
    gone = pricing.missing(r, "memory_size_gb", "tier", "region")
    if gone:
        return gone
    gib, region = pricing.count(a["memory_size_gb"]), str(a["region"])
    tier = PRICE_TIERS.get(a["tier"])
    band, span = next(((b, s) for top, b, s in BANDS if gib <= top), (None, None)) \
        if gib is not None else (None, None)
    if gib is None or band is None or tier is None:  # (a graph mlinfra did not write)
        return [pricing.no_price(f"a Memorystore instance of {a['memory_size_gb']!r} GiB in "
                                 f"tier {a['tier']!r}", "gcp_redis")]
    e = pricing.entry("gcp_redis", tier=tier, region=region)
    if e is None:
        return [pricing.no_price(f"Memorystore's {tier} tier in {region}", "gcp_redis")]
    rate = e["prices"][band]
    if a.get("read_replicas_mode") == "READ_REPLICAS_ENABLED":
        replicas = pricing.count(a.get("replica_count"))
        if tier != "standard" or replicas is None:
            return [pricing.no_price(f"{a.get('replica_count')!r} read replicas on a {tier} "
                                     "tier instance (read replicas need standard_ha)",
                                     "gcp_redis")]
        nodes = replicas + 1
        return [pricing.per(e, rate, pricing.hours(gib * nodes), "GiB-hours", pricing.FIXED,
                            f"{gib} GiB x {nodes} nodes (the primary and "
                            f"{pricing.plural(nodes - 1, 'read replica')}) x 730 h; estimate: "
                            f"a node taken at half the {tier} {band} ({span}) rate in "
                            f"{region}", factor="0.5")]
    return [pricing.per(e, rate, pricing.hours(gib), "GiB-hours", pricing.FIXED,
                        f"{gib} GiB x 730 h at the {tier} {band} ({span}) rate in {region}")]


COSTS: dict[str, pricing.Pricer] = {TYPE: _monthly}
