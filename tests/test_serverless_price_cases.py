"""ElastiCache Serverless's pricer on its edges, on graph resources written here: an
argument the price needs absent, a region the table lacks, a table with one of the two
charges (data stored, ECPUs) and not the other: each is said to have no price, never
priced at $0."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mlinfra_compile.providers import aws_elasticache_serverless_facts as facts
from mlinfra_compile.providers import pricing

ARGS = {"engine": "valkey", "region": "us-east-1"}


def price(**args):
    return facts._monthly({"name": "edge", "type": facts.TYPE, "args": args}, None)


@pytest.mark.parametrize("absent", ["engine", "region"])
def test_an_argument_the_price_needs_absent_is_no_price(absent):
    (line,) = price(**{k: v for k, v in ARGS.items() if k != absent})
    assert (line.kind, line.basis) == ("no-price",
                                       f"no price: its {absent} is not in the graph")


def test_a_region_the_table_lacks_is_no_price():
    (line,) = price(engine="valkey", region="xx-nowhere-1")
    assert line.monthly is None
    assert line.basis.endswith(") for ElastiCache Serverless (valkey) in xx-nowhere-1; see "
                               "the provider's pricing page")


@pytest.mark.parametrize("lacking", ["storage", "ecpu"])
def test_a_table_with_one_charge_and_not_the_other_is_no_price(monkeypatch, lacking):
    real = pricing.entry
    monkeypatch.setattr(pricing, "entry", lambda name, **k: None if k.get("charge") == lacking
                        else real(name, **k))
    (line,) = price(**ARGS)
    assert line.kind == "no-price" and line.monthly is None


def test_with_both_charges_the_least_storage_is_billed():
    # us-east-1 valkey: at least 0.1 GB x 730 h x $0.084 = $6.132 (the pricing page's
    # metered unit map, hawkFilePublicationDate 2026-09-14; tests/test_prices_by_hand.py)
    floor = price(**ARGS)[0]
    assert (floor.kind, floor.monthly) == ("fixed", Decimal("6.13"))
