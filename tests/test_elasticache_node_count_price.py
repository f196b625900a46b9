"""An ElastiCache group's month when its node count is not a whole positive number (a
graph mlinfra did not write may hold one): no price, saying which count it read, and
never a guess; a whole count written as a float (2.0, as JSON may carry it) is priced.

The texts are written out literally: "read 2025-03-14" is the date
mlinfra_compile/prices/aws_elasticache.json says its table was read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mlinfra_compile.cost import estimate
from mlinfra_compile.providers import aws_elasticache
from mlinfra_compile.providers.lines import Line
from tests.golden import graph_doc, resource_doc, safe_id


def _lines(nodes: object) -> tuple[Line, ...]:
    r = resource_doc("g", aws_elasticache.TYPE, {"node_type": "cache.t4g.small",
                                                 "engine": "redis", "region": "us-east-1",
                                                 "num_cache_clusters": nodes})
    [item] = estimate(graph_doc(r)).items
    return item.lines


@pytest.mark.parametrize(("nodes", "shown"), [
    (0, "0"), (-1, "-1"), (1.5, "1.5"), (True, "True"), ("2", "'2'"),
], ids=safe_id)
def test_a_node_count_that_is_not_a_whole_positive_number_has_no_price(nodes, shown):
    assert _lines(nodes) == (Line(
        "no-price", None,
        f"no price in mlinfra's table (read 2025-03-14) for {shown} nodes; see the "
        "provider's pricing page"),)


def test_a_whole_count_written_as_a_float_is_priced_by_the_node_hour():
    # cache.t4g.small running Redis OSS in us-east-1: $0.032 an hour
    # (aws.amazon.com/elasticache/pricing, on-demand nodes); 2 nodes x 730 h = 1460
    # node-hours, x $0.032 = $46.72.
    [line] = _lines(2.0)
    assert (line.kind, line.monthly, line.basis, line.quantity, line.unit,
            line.unit_price) == (
        "fixed", Decimal("46.72"), "2 x cache.t4g.small (redis) x 730 h in us-east-1",
        Decimal("1460"), "node-hours", Decimal("0.032"))
