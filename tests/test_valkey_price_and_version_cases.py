"""Memorystore for Valkey's pricer and version rule, one condition at a time, on graph
resources written here. Price: us-central1 standard-small $0.1425 a node-hour (Cloud
Billing Catalog as exported in doitintl/gcpinstances.info memorystore-pricing.json at
0133443a, entry valkey-standard-small; the same figure in infracost's
memorystore_instance_test golden at 876e46af). Replicas default to 0 when the argument
is absent (magic-modules Instance.yaml replicaCount, default 0)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mlinfra_compile.providers import gcp_memorystore_valkey_rules as rules
from mlinfra_compile.providers.changes import Step

ARGS = {"shard_count": 2.0, "node_type": "STANDARD_SMALL", "location": "us-central1"}


def price(**args):
    return rules._monthly({"name": "cache", "type": rules.TYPE, "args": args}, None)


def test_without_replica_count_each_shard_is_one_node():
    (line,) = price(**ARGS)
    # 2 shards x (1 + 0) = 2 nodes x 730 h = 1,460 h x $0.1425 = $208.05
    assert (line.quantity, line.unit_price, line.monthly) == (
        Decimal(1460), Decimal("0.1425"), Decimal("208.05"))
    (line,) = price(**ARGS, replica_count=1.0)  # every replica is a node too: $416.10
    assert line.monthly == Decimal("416.10")


@pytest.mark.parametrize("absent", ["shard_count", "node_type", "location"])
def test_a_graph_without_an_argument_the_price_needs_has_no_price(absent):
    (line,) = price(**{k: v for k, v in ARGS.items() if k != absent})
    assert (line.kind, line.monthly) == ("no-price", None)
    assert line.basis == f"no price: its {absent} is not in the graph"


@pytest.mark.parametrize(("shards", "replicas", "what"), [
    ("two", 0.0, "'two' shards of 0.0 replicas"),
    (2.0, "one", "2.0 shards of 'one' replicas"),
])
def test_counts_that_are_not_numbers_have_no_price(shards, replicas, what):
    (line,) = price(**{**ARGS, "shard_count": shards, "replica_count": replicas})
    assert line.monthly is None
    assert line.basis.startswith("no price in mlinfra's table (read 2026-")
    assert line.basis.endswith(f") for {what}; see the provider's pricing page")


def step(old, new):
    return Step("engine_version", old, new, {"engine_version": old}, {"engine_version": new})


@pytest.mark.parametrize(("old", "new", "verdict"), [
    ("VALKEY_8_0", "VALKEY_9_0", "update"),
    ("VALKEY_9_0", "VALKEY_8_0", "refused"),
    ("VALKEY_8_0", "VALKEY_7_2", "refused"),
    ("VALKEY_8_0", "SOMETHING_ELSE", "update"),  # (not a version mlinfra reads: the API's)
    (None, "VALKEY_8_0", "update"),
])
def test_a_downgrade_is_refused_and_anything_else_goes_through(old, new, verdict):
    assert rules._version_change(step(old, new)).verdict == verdict
