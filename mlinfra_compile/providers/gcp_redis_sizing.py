"""How big a Memorystore instance is: `memory` in whole GiB, its `tier`, and its read
`replicas` (Standard tier only, from READ_REPLICA_MIN_GIB)."""

from __future__ import annotations

from ..units import GIB, format_size
from .base import Args, Decl, Value, derived

MAX_MEMORY_GIB = 300
MAX_REPLICAS = 5  # read replicas 1..5 ("Read replicas"); 0 turns them off
READ_REPLICA_MIN_GIB = 5
TIERS = {"basic": "BASIC", "standard_ha": "STANDARD_HA"}


def _memory_and_tier(decl: Decl, a: Args) -> tuple[Value | None, int | None]:
    """memory -> memory_size_gb (whole GiB, 1..MAX_MEMORY_GIB), tier -> tier: the tier, and
    the size in GiB when it is valid."""
    mem = decl.bytes_("memory", GIB, MAX_MEMORY_GIB * GIB, "Memorystore",
                      lambda n: format_size(n))
    gib = None
    if mem is not None:
        n, origin = mem
        if n % GIB:  # (n is at least 1GiB here: nearest is too)
            v = decl.get("memory")
            assert v is not None
            decl.err("MLC313", "memory", f"{v.value} is not a whole number of GiB; "
                                         "Memorystore sizes instances in whole GiB "
                                         f"(nearest: {round(n / GIB)}GiB)", v)
        else:
            gib = n // GIB
            a.set("memory_size_gb", gib, origin)
    tier = decl.get("tier")
    a.put("tier", tier, TIERS.__getitem__)
    return tier, gib


def _replicas(decl: Decl, a: Args, tier: Value | None, gib: int | None) -> None:
    """replicas -> read_replicas_mode and replica_count (and a range for the read
    endpoint); they need tier standard_ha and READ_REPLICA_MIN_GIB."""
    replicas = decl.given("replicas")
    if replicas is not None:
        if tier is not None and tier.value != "standard_ha":
            decl.err("MLC311", "replicas", "read replicas need tier standard_ha (this store is "
                                           f"{tier.value})", replicas)
        elif replicas.value >= 1:
            if gib is not None and gib < READ_REPLICA_MIN_GIB:
                decl.err("MLC513", "replicas", f"Memorystore read replicas need memory >= "
                                               f"{READ_REPLICA_MIN_GIB}GiB (this store has "
                                               f"{gib}GiB)", replicas)
            a.set("read_replicas_mode", "READ_REPLICAS_ENABLED", replicas.origin)
            a.set("replica_count", replicas.value, replicas.origin)
            # Enabling replicas on a running instance needs a range for the read
            # endpoint; "auto" lets Memorystore pick a free /28 (SDK docstring of
            # secondary_ip_range).
            a.set("secondary_ip_range", "auto",
                  derived(decl, "read replicas need a range for the read endpoint; "
                                "Memorystore picks a free one"))
        else:
            a.set("read_replicas_mode", "READ_REPLICAS_DISABLED", replicas.origin)
