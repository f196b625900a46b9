"""Values an ElastiCache replication group takes, read by the builder (aws_elasticache) and
by adopting (aws_elasticache_adopt): the engine versions of each engine, the longest
snapshot retention, and the `hh:mm` form of its maintenance and snapshot windows
(aws_elasticache's docstring gives the sources)."""

from __future__ import annotations

MAX_SNAPSHOT_RETENTION_DAYS = 35
# language version -> engine_version, per engine; None: the engine does not offer it.
# ElastiCache "Supported engines and versions" and "Engine specific parameters" (read
# 2026-11-28): Valkey 8.1 and 8.2 share the valkey8 family; Valkey 9.0 and 9.1 are the
# valkey9 family ("Valkey 9.1 and Valkey 9.0 parameter changes"; botocore 1.43.11's list of
# families still stops at valkey8). terraform-provider-aws accepts valkey <major>.<minor>
# for majors 7..9 (replication_group.go valkeyVersionRegexpPattern).
ENGINE_VERSIONS: dict[str, dict[str, str]] = {
    "redis": {"6.x": "6.2", "7.0": "7.0", "7.1": "7.1"},
    "valkey": {"7.2": "7.2", "8.0": "8.0", "8.1": "8.1", "8.2": "8.2", "9.0": "9.0",
               "9.1": "9.1"},
}


def _hhmm(minutes: int) -> str:
    """A minute of the week (or any count of minutes) as the time of day `hh:mm`."""
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
