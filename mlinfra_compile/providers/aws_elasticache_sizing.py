"""How big an ElastiCache session store is: its node type (`node_type`, or the smallest
type holding `memory`) and how many nodes it has (`tier`, `replicas`)."""

from __future__ import annotations

import difflib

from ..units import GIB, parse_size
from .aws_elasticache_nodes import KNOWN_NODE_TYPES, NODE_TYPES, pick_node_type
from .base import Args, Decl

MAX_REPLICAS = 5  # replicas per replication group ("Replication: Redis OSS")


def _node_type(decl: Decl, a: Args) -> None:
    """node_type, checked against mlinfra's table and memory; else the smallest node type
    holding memory."""
    node = decl.given("node_type")
    memory = decl.get("memory")
    if node is not None and node.value not in KNOWN_NODE_TYPES:
        close = difflib.get_close_matches(node.value, sorted(KNOWN_NODE_TYPES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        decl.err("MLC321", "node_type", f"{node.value} is not an ElastiCache node type"
                                        f"{hint}; a type newer than mlinfra's table: set "
                                        "memory instead and report it", node)
    elif node is not None:
        a.set("node_type", node.value, node.origin)
        table = KNOWN_NODE_TYPES
        given_mem = decl.given("memory")
        n = parse_size(given_mem.value) if given_mem else None
        if given_mem and n is not None and node.value in table and table[node.value] * GIB < n:
            decl.err("MLC311", "node_type", f"{node.value} has {table[node.value]} GiB, less "
                                            f"than memory {given_mem.value}", node)
    elif memory is not None:
        n = parse_size(memory.value)
        if n is not None:
            picked = pick_node_type(n)
            if picked is None:
                big, gib = NODE_TYPES[-1]
                decl.err("MLC313", "memory", f"{memory.value} is more than the largest "
                                             f"ElastiCache node, {big} with {gib} GiB; set "
                                             "node_type for a cluster-mode design", memory)
            else:
                a.set("node_type", picked, memory.origin)


def _tier(decl: Decl, a: Args) -> None:
    """tier and replicas -> num_cache_clusters, automatic failover and Multi-AZ."""
    tier = decl.get("tier")
    replicas = decl.given("replicas")
    if tier is None:
        return
    if tier.value == "basic":
        if replicas is not None and replicas.value:
            decl.err("MLC311", "replicas", "replicas need tier standard_ha (tier basic is "
                                           "one node without failover)", replicas)
        a.set("num_cache_clusters", 1, tier.origin)
        a.set("automatic_failover_enabled", False, tier.origin)
        a.set("multi_az_enabled", False, tier.origin)
    else:
        count = 1 + (replicas.value if replicas is not None else 1)
        if count < 2:
            decl.err("MLC311", "replicas", "standard_ha needs at least one replica: "
                                           "Multi-AZ needs automatic failover, and "
                                           "automatic failover needs at least 2 cache "
                                           "clusters", replicas)
        a.set("num_cache_clusters", count, replicas.origin if replicas else tier.origin)
        a.set("automatic_failover_enabled", True, tier.origin)
        a.set("multi_az_enabled", True, tier.origin)
