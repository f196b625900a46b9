"""ElastiCache node types: the memory each holds, and the ladder the compiler picks a
store's node type from when it gives `memory` only."""

from __future__ import annotations

from ..units import GIB

# Memory per node type in GiB: the `maxmemory` bytes of ElastiCache "Engine specific
# parameters" (node-type specific parameters of Valkey and Redis OSS), / 2**30, read
# 2026-11-28; the types listed in botocore 1.43.11 CreateReplicationGroup CacheNodeType
# plus the newer ones of that table. A type not here is MLC321 (a typo, or a type newer
# than this table: add it with its maxmemory).
KNOWN_NODE_TYPES: dict[str, float] = {
    "cache.t3.micro": 0.5, "cache.t3.small": 1.37, "cache.t3.medium": 3.09,
    "cache.t4g.micro": 0.5, "cache.t4g.small": 1.37, "cache.t4g.medium": 3.09,
    **{f"cache.{family}.{size}": gib for family in ("m6g", "m7g") for size, gib in (
        ("large", 6.38), ("xlarge", 12.94), ("2xlarge", 26.05), ("4xlarge", 52.26),
        ("8xlarge", 103.68), ("12xlarge", 157.13), ("16xlarge", 209.55))},
    **{f"cache.m8g.{size}": gib for size, gib in (
        ("large", 6.79), ("xlarge", 14.18), ("2xlarge", 29.68), ("4xlarge", 61.33),
        ("8xlarge", 124.65), ("12xlarge", 187.96), ("16xlarge", 251.27))},
    **{f"cache.{family}.{size}": gib for family in ("r6g", "r7g") for size, gib in (
        ("large", 13.07), ("xlarge", 26.32), ("2xlarge", 52.82), ("4xlarge", 105.81),
        ("8xlarge", 209.55), ("12xlarge", 317.77), ("16xlarge", 419.1))},
    **{f"cache.r6gd.{size}": gib for size, gib in (  # data tiering: RAM only, SSD besides
        ("xlarge", 26.32), ("2xlarge", 52.82), ("4xlarge", 105.81), ("8xlarge", 209.55),
        ("12xlarge", 317.77), ("16xlarge", 419.1))},
    **{f"cache.r8g.{size}": gib for size, gib in (
        ("large", 14.18), ("xlarge", 29.68), ("2xlarge", 61.33), ("4xlarge", 124.65),
        ("8xlarge", 251.27), ("12xlarge", 377.9), ("16xlarge", 504.52))},
    **{f"cache.c7gn.{size}": gib for size, gib in (
        ("large", 3.09), ("xlarge", 6.38), ("2xlarge", 12.94), ("4xlarge", 26.05),
        ("8xlarge", 52.26), ("12xlarge", 78.56), ("16xlarge", 105.81))},
    **{f"cache.c8gn.{size}": gib for size, gib in (
        ("large", 3.1), ("xlarge", 6.79), ("2xlarge", 14.18), ("4xlarge", 29.68),
        ("8xlarge", 61.33), ("12xlarge", 92.99), ("16xlarge", 124.65))},
    # Earlier generations botocore still lists as current (CacheNodeType, "Supported node
    # types"): the same node-type specific parameters tables; r4, m4 and t2 also in
    # awsdocs/amazon-elasticache-docs doc_source/ParameterGroups.Redis.md at 9cd0e539.
    **{f"cache.r5.{size}": gib for size, gib in (
        ("large", 13.07), ("xlarge", 26.32), ("2xlarge", 52.82), ("4xlarge", 105.81),
        ("12xlarge", 317.77), ("24xlarge", 635.61))},
    **{f"cache.m5.{size}": gib for size, gib in (
        ("large", 6.38), ("xlarge", 12.94), ("2xlarge", 26.05), ("4xlarge", 52.26),
        ("12xlarge", 157.13), ("24xlarge", 314.32))},
    **{f"cache.r4.{size}": gib for size, gib in (
        ("large", 12.3), ("xlarge", 25.05), ("2xlarge", 50.48), ("4xlarge", 101.38),
        ("8xlarge", 203.27), ("16xlarge", 407.01))},
    **{f"cache.m4.{size}": gib for size, gib in (
        ("large", 6.42), ("xlarge", 14.28), ("2xlarge", 29.7), ("4xlarge", 60.78),
        ("10xlarge", 154.64))},
    "cache.t2.micro": 0.54, "cache.t2.small": 1.55, "cache.t2.medium": 3.22,
}
# The ladder the compiler picks from, ordered by memory: the smallest that holds the
# request (burstable t4g for small stores, memory-optimised r7g above).
NODE_TYPES: tuple[tuple[str, float], ...] = tuple(
    (n, KNOWN_NODE_TYPES[n]) for n in (
        "cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium", "cache.r7g.large",
        "cache.r7g.xlarge", "cache.r7g.2xlarge", "cache.r7g.4xlarge", "cache.r7g.8xlarge",
        "cache.r7g.12xlarge", "cache.r7g.16xlarge"))


def pick_node_type(nbytes: int) -> str | None:
    """The smallest node type of the ladder holding `nbytes`, None above the largest."""
    for node, gib in NODE_TYPES:
        if gib * GIB >= nbytes:
            return node
    return None
