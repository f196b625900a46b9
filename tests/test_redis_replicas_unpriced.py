"""A Memorystore instance with read replicas that mlinfra cannot price says exactly why:
replicas on the basic tier (Memorystore gives read replicas to standard_ha only), or
replicas enabled with no count. Such graphs are ones a stack reports, not ones mlinfra
writes (its schema refuses both)."""

from __future__ import annotations

import pytest

from mlinfra_compile.cost import estimate
from mlinfra_compile.providers import gcp_redis, pricing
from tests.golden import graph_doc, resource_doc

READ = pricing.table("gcp_redis")["read"]


def _basis(args: dict) -> str:
    base = {"memory_size_gb": 5.0, "region": "us-central1",
            "read_replicas_mode": "READ_REPLICAS_ENABLED"}
    e = estimate(graph_doc(resource_doc("st", gcp_redis.TYPE, {**base, **args})))
    (item,) = e.items
    (line,) = item.lines
    assert line.monthly is None and line.kind == pricing.NO_PRICE
    return line.basis


@pytest.mark.parametrize(("args", "shown"), [
    ({"tier": "BASIC", "replica_count": 2.0}, "2.0 read replicas on a basic tier"),
    ({"tier": "STANDARD_HA"}, "None read replicas on a standard tier"),
])
def test_replicas_it_cannot_price_are_named_with_the_count_and_tier(args, shown):
    assert _basis(args) == (f"no price in mlinfra's table (read {READ}) for {shown} "
                            "instance (read replicas need standard_ha); see the provider's "
                            "pricing page")
