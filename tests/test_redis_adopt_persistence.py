"""`mlinfra adopt` of a Memorystore for Redis instance's persistence, each side of each
condition: a running instance's inputs (camelCase, as `pulumi stack export` records them)
and, worked out by hand, what mlinfra declares or lists.

Enums (Memorystore for Redis API, Instance.persistenceConfig, repeated by pulumi-gcp's
redis.Instance docstring): persistenceMode DISABLED | RDB; rdbSnapshotPeriod ONE_HOUR |
SIX_HOURS | TWELVE_HOURS | TWENTY_FOUR_HOURS; mlinfra writes them as persistence none and
rdb-1h, rdb-6h, rdb-12h, rdb-24h."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.test_redis_adopt_cases import adopt as adopt_inputs

WHY = "mlinfra's persistence is none or RDB every 1, 6, 12 or 24 hours"


def adopt(config: Any) -> tuple[dict[str, Any], list[str]]:
    return adopt_inputs(persistenceConfig=config)


@pytest.mark.parametrize(("config", "read"), [
    ({"persistenceMode": "DISABLED"}, "none"),
    ({"persistenceMode": "RDB", "rdbSnapshotPeriod": "ONE_HOUR"}, "rdb-1h"),
    ({"persistenceMode": "RDB", "rdbSnapshotPeriod": "SIX_HOURS"}, "rdb-6h"),
    ({"persistenceMode": "RDB", "rdbSnapshotPeriod": "TWELVE_HOURS"}, "rdb-12h"),
    ({"persistenceMode": "RDB", "rdbSnapshotPeriod": "TWENTY_FOUR_HOURS"}, "rdb-24h"),
])
def test_persistence_mlinfra_writes_is_read_back(config, read):
    assert adopt(config) == ({"persistence": read}, [])


@pytest.mark.parametrize("config", [
    {"persistenceMode": "rdb", "rdbSnapshotPeriod": "ONE_HOUR"},  # (the enum is upper case)
    {"persistenceMode": "RDB"},  # no period
    {"persistenceMode": "RDB", "rdbSnapshotPeriod": "TWO_HOURS"},
    {"persistenceMode": "RDB", "rdbSnapshotPeriod": 6},
    {"persistenceMode": "AOF", "rdbSnapshotPeriod": "ONE_HOUR"},  # (a mode it has not)
    {"rdbSnapshotPeriod": "ONE_HOUR"},  # (a period without the mode: and, not or)
])
def test_other_persistence_is_listed_with_why(config):
    shown = json.dumps(config, ensure_ascii=False)
    assert adopt(config) == ({}, [f"persistenceConfig = {shown}: {WHY}"])
