"""Issue 17: `mlinfra cost`, offline, from price tables the package ships; the total in
plan, the change in diff. The expected figures are worked by hand from the list prices
(730 hours a month) so that a wrong rate, band, unit or rounding fails here."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from mlinfra_compile.cost import Item, compare, estimate
from mlinfra_compile.providers import CHANGES, COSTS, aws_elasticache, gcp_redis, pricing
from mlinfra_compile.providers.lines import Line, Priced
from mlinfra_compile.regions import MEMORYSTORE_REGIONS
from tests.golden import REPO, graph_doc, resource_doc, run_cli, safe_id

GCP = "providers:\n  gcp: {project: acme-ml-dev, region: us-central1}\n"
AWS = "providers:\n  aws: {region: us-east-1}\n"
# every table the package ships (each is checked below; every priced type reads one)
TABLES = tuple(sorted(p.stem for p in (REPO / "mlinfra_compile" / "prices").glob("*.json")))


def _cost(repo, text: str) -> dict:
    repo.write("main.yaml", text)
    rc, out, err = repo.run("cost", "main", "--format", "json")
    assert rc == 0, err
    return json.loads(out)


def _monthly(doc: dict, name: str) -> float | None:
    return next(r["monthly"] for r in doc["resources"] if r["name"] == name)


def _basis(doc: dict, name: str) -> str:
    return next(r["basis"] for r in doc["resources"] if r["name"] == name)


# --- 1. price tables: every entry with its unit, source and date ----------------------

@pytest.mark.parametrize("name", TABLES)
def test_every_price_entry_has_its_unit_source_and_date(name):
    table = pricing.table(name)
    assert table["currency"] == "USD"
    assert table["entries"]
    # each figure is dated by its source (the day it was read there, which the source text
    # names), never by the day mlinfra copied it; the table's date is its oldest
    assert table["read"] == min(e["date"] for e in table["entries"])
    for e in table["entries"]:
        assert e["unit"] and e["source"].startswith("https://")
        assert re.fullmatch(r"20[0-9]{2}-[01][0-9]-[0-3][0-9]", e["date"]), e["date"]
        assert e["date"] in e["source"] and e["date"] <= "2026-12-06", e
        assert ("price" in e) != ("prices" in e)
        for p in ([e["price"]] if "price" in e else e["prices"].values()):
            assert isinstance(p, int | float) and 0 < p < 100
    matches = [json.dumps(e["match"], sort_keys=True) for e in table["entries"]]
    assert len(matches) == len(set(matches))  # one price per key


def test_the_tables_are_package_data():
    import tomllib

    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "prices/*.json" in data["tool"]["setuptools"]["package-data"]["mlinfra_compile"]
    # each table is read by a service module of the same name (prices/<module>.json)
    modules = {p.stem for p in (REPO / "mlinfra_compile" / "providers").glob("*.py")}
    assert set(TABLES) <= modules and len(TABLES) >= 5


def test_every_resource_type_the_compiler_emits_is_priced_or_free():
    assert set(COSTS) == set(CHANGES)


@pytest.mark.parametrize("tier", sorted(gcp_redis.PRICE_TIERS.values()))
def test_every_memorystore_region_has_every_band_of_both_tiers(tier):
    for region in MEMORYSTORE_REGIONS:
        e = pricing.entry("gcp_redis", tier=tier, region=region)
        assert e is not None, region
        assert sorted(e["prices"]) == ["M1", "M2", "M3", "M4", "M5"]
        # a larger band never costs more per GiB-hour
        bands = [e["prices"][b] for b in ("M1", "M2", "M3", "M4", "M5")]
        assert bands == sorted(bands, reverse=True), region


def test_every_elasticache_node_type_has_a_price_or_says_why_not():
    for node in aws_elasticache.KNOWN_NODE_TYPES:
        valkey = pricing.entry("aws_elasticache", engine="valkey", region="us-east-1",
                               node_type=node)
        redis = pricing.entry("aws_elasticache", engine="redis", region="us-east-1",
                              node_type=node)
        assert valkey is not None, node
        if redis is None:  # c8gn, m8g, r8g: Valkey only, never priced at a Redis rate
            assert node.split(".")[1] in ("c8gn", "m8g", "r8g"), node
            lines = _group(node, "redis")
            assert lines[0].monthly is None
            assert "AWS offers it with Valkey only" in lines[0].basis
        # (each engine's price is checked against the page's own literal, Valkey's 20%
        # below Redis OSS worked from the two: tests/test_prices_by_hand.py)


def _group(node: str, engine: str, region: str = "us-east-1", nodes: int = 1) -> list[Line]:
    r = resource_doc("g", aws_elasticache.TYPE, {"node_type": node, "engine": engine,
                                                 "region": region,
                                                 "num_cache_clusters": nodes})
    return COSTS[aws_elasticache.TYPE](r, Priced({"g": r}, {}))


# --- 2. the arithmetic: 730 hours a month, bands, nodes, requests, bytes ---------------

def test_hours_per_month_is_stated_and_used():
    assert pricing.HOURS_PER_MONTH == 730
    line = _group("cache.t4g.micro", "redis")[0]
    assert line.quantity == 730 and line.unit == "node-hours"
    assert line.monthly == Decimal("11.68")  # 730 x $0.016


@pytest.mark.parametrize("memory,tier,monthly,band", [
    # us-central1 list prices per GiB-hour; x GiB x 730 h
    ("1GiB", "basic", 35.77, "M1"),             # 0.049 (infracost's golden: 35.77)
    ("1GiB", "standard_ha", 46.72, "M1"),       # 0.064 (infracost: 46.72)
    ("4GiB", "basic", 143.08, "M1"),            # the top of M1
    ("5GiB", "basic", 98.55, "M2"),             # 0.027 (infracost: 98.55)
    ("10GiB", "standard_ha", 394.2, "M2"),      # 0.054
    ("11GiB", "basic", 184.69, "M3"),           # 0.023
    ("35GiB", "standard_ha", 1175.3, "M3"),     # 0.046
    ("36GiB", "basic", 499.32, "M4"),           # 0.019
    ("100GiB", "standard_ha", 2555.0, "M4"),    # 0.035
    ("101GiB", "basic", 1179.68, "M5"),         # 0.016
    ("300GiB", "standard_ha", 6570.0, "M5"),    # 0.030
])
def test_memorystore_is_priced_by_the_band_of_its_whole_size(repo, memory, tier, monthly,
                                                             band):
    doc = _cost(repo, GCP + f"session_stores:\n  st: {{memory: {memory}, tier: {tier}}}\n")
    assert _monthly(doc, "st") == monthly and doc["total_monthly"] == monthly
    assert f" {band} " in _basis(doc, "st") and "730 h" in _basis(doc, "st")


def test_read_replicas_are_priced_per_node_and_said_to_be_an_estimate(repo):
    doc = _cost(repo, GCP + "session_stores:\n  st: {memory: 5GiB, tier: standard_ha, "
                            "replicas: 2}\n")
    # 5 GiB x 3 nodes x 730 h x ($0.054 / 2)
    assert _monthly(doc, "st") == 295.65
    assert "estimate" in _basis(doc, "st") and "3 nodes" in _basis(doc, "st")


def test_another_region_has_its_own_price(repo):
    doc = _cost(repo, GCP.replace("us-central1", "europe-west1")
                + "session_stores:\n  st: {memory: 1GiB, tier: standard_ha}\n")
    assert _monthly(doc, "st") == 62.78  # 0.086 x 730


def test_elasticache_bills_every_node_and_valkey_is_cheaper(repo):
    store = ("session_stores:\n  st: {memory: 8GiB, tier: standard_ha, replicas: 1, "
             "engine: ENGINE, network: {subnet_ids: [subnet-0a1b2c3d]}}\n")
    redis = _cost(repo, AWS + store.replace("ENGINE", "redis"))
    valkey = _cost(repo, AWS + store.replace("ENGINE", "valkey"))
    assert _monthly(redis, "st") == 319.74    # 2 x cache.r7g.large x 730 h x $0.219
    assert _monthly(valkey, "st") == 255.79   # 2 x 730 x $0.1752 (255.792)
    assert _monthly(redis, "st-subnets") == 0.0


def test_cents_are_rounded_half_up_and_the_total_is_the_sum_of_the_lines():
    assert pricing.money(Decimal("255.795")) == Decimal("255.80")
    assert pricing.money(Decimal("0.125")) == Decimal("0.13")  # half up, not to even
    assert pricing.money(Decimal("255.794999")) == Decimal("255.79")
    a, b = (Line(pricing.FIXED, Decimal("0.01"), "x") for _ in range(2))
    e = estimate(graph_doc())
    assert e.total == 0
    from mlinfra_compile.cost import Estimate

    e = Estimate("x", (Item("a", "t", (a,)), Item("b", "t", (b,))))
    assert e.total == Decimal("0.02") and e.fixed == Decimal("0.02") and e.usage == 0


USAGE_5M = "usage: {messages_per_month: 5000000, average_message_size: 2KiB}"


@pytest.mark.parametrize("queue,monthly,requests", [
    # 5,000,000 messages x 3 requests (send, receive, delete) x $0.40 per million
    (f"{{{USAGE_5M}}}", 6.0, "15,000,000 requests"),
    # 100 KiB is two 64 KiB chunks: twice the requests
    ("{usage: {messages_per_month: 5000000, average_message_size: 100KiB}}", 12.0,
     "30,000,000 requests"),
    # FIFO: $0.50 per million
    (f"{{fifo: true, {USAGE_5M}}}", 7.5, "15,000,000 requests"),
], ids=safe_id)
def test_sqs_is_priced_by_requests_from_usage_hints(repo, queue, monthly, requests):
    doc = _cost(repo, AWS + f"queues:\n  qq: {queue}\n")
    name = "qq"
    assert _monthly(doc, name) == monthly and requests in _basis(doc, name)
    assert "first million requests a month per account are free" in _basis(doc, name)


def test_pubsub_bills_publishing_and_each_delivery_with_a_1000_byte_minimum(repo):
    doc = _cost(repo, GCP + "queues:\n  tp:\n    usage: {messages_per_month: 1000000, "
                            "average_message_size: 200B}\n    subscriptions: {a: {}, b: {}}\n")
    # 1,000,000 x 1000 bytes (the minimum) / 2**40 x $40 = $0.0364 each
    for name in ("tp", "tp-a", "tp-b"):
        assert _monthly(doc, name) == 0.04, name
        assert "1,000 bytes" in _basis(doc, name)
    assert doc["total_monthly"] == 0.12


def test_an_sns_fan_out_prices_its_publishes_and_each_queue(repo):
    doc = _cost(repo, AWS + f"queues:\n  tp:\n    {USAGE_5M}\n"
                            "    subscriptions: {a: {}, b: {}}\n")
    assert _monthly(doc, "tp") == 2.5          # 5,000,000 publishes x $0.50 per million
    assert _monthly(doc, "tp-a") == 6.0 and _monthly(doc, "tp-b") == 6.0
    assert _monthly(doc, "tp-a-subscription") == 0.0  # deliveries to SQS are free
    assert doc["total_monthly"] == 14.5


def test_an_sns_fifo_topic_prices_requests_payload_and_deliveries(repo):
    doc = _cost(repo, AWS + "queues:\n  tp:\n    fifo: true\n    usage: {messages_per_month: "
                            "1000000, average_message_size: 1KiB}\n    subscriptions: "
                            "{a: {}}\n")
    # publish: $0.30 + 1,000,000 x 1 KiB = 0.9537 GB x $0.017 = $0.0162 -> $0.32
    assert _monthly(doc, "tp") == 0.32
    # delivery: $0.01 + 0.9537 GB x $0.001 -> $0.01
    assert _monthly(doc, "tp-a-subscription") == 0.01


# --- 1. usage-based without hints: the unit price, never an invented 0 -----------------

def test_queues_without_hints_show_their_unit_price_and_no_total(repo):
    doc = _cost(repo, AWS + "queues:\n  qq: {}\n")
    assert _monthly(doc, "qq") is None and doc["total_monthly"] == 0
    assert _basis(doc, "qq").startswith("usage-based: $0.40 per million requests")
    rc, out, _ = repo.run("cost", "main")
    assert rc == 0 and "usage-based" in out and "$0.40 per million requests" in out
    assert "not included: 1 resource priced by use with no usage given (see each line's " \
           "unit price)" in out
    assert "estimated from the queues' usage: none (no queue gives its usage)" in out


def test_an_integral_float_is_a_number_of_messages_too(repo):
    doc = _cost(repo, AWS + "queues:\n  qq: {usage: {messages_per_month: 5000000.0, "
                            "average_message_size: 2048}}\n")
    assert _monthly(doc, "qq") == 6.0


def test_dead_letters_are_usage_based_and_never_estimated(repo):
    doc = _cost(repo, AWS + f"queues:\n  qq: {{dead_letter: true, {USAGE_5M}}}\n")
    assert _monthly(doc, "qq") == 6.0 and _monthly(doc, "qq-dlq") is None
    assert "dead letters, never estimated" in _basis(doc, "qq-dlq")
    rc, out, _ = repo.run("cost", "main")
    assert rc == 0 and "not included: 1 dead-letter resource never estimated (see each " \
                       "line's unit price)" in out
    assert "priced by use with no usage given" not in out


def test_a_region_without_a_price_is_said_never_guessed(repo):
    doc = _cost(repo, AWS.replace("us-east-1", "eu-west-3")
                + "queues:\n  qq: {}\nsession_stores:\n  st: {memory: 1GiB, network: "
                  "{subnet_ids: [subnet-0a1b2c3d]}}\n")
    # the tables' dates: SQS figures read 2026-09-04, ElastiCache's oldest 2025-03-14
    for name, read in (("qq", "2026-09-04"), ("st", "2025-03-14")):
        assert _monthly(doc, name) is None
        assert f"no price in mlinfra's table (read {read}) for" in _basis(doc, name)
        assert "eu-west-3" in _basis(doc, name)
    rc, out, _ = repo.run("cost", "main")
    assert rc == 0 and "no-price" in out and "2 resources without a price" in out
    assert "see each line's unit price" not in out and "Sources:" not in out
    assert "$0.00/month for the resources mlinfra has prices for" in repo.run("plan", "main")[1]


# --- usage: hints are checked like every other field ----------------------------------

@pytest.mark.parametrize("queue,message", [
    ("{usage: {messages_per_month: 1, average_message_size: 2MiB}}",
     "queues.qq.usage.average_message_size: an average message of 2MiB is larger than the "
     "queue's max_message_size, 256KiB [MLC327]"),
    ("{max_message_size: 1MiB, usage: {messages_per_month: 1, average_message_size: 2MiB}}",
     "larger than the queue's max_message_size, 1MiB [MLC327]"),
    ("{max_message_size: 64KiB, usage: {messages_per_month: 1, average_message_size: 65KiB}}",
     "larger than the queue's max_message_size, 64KiB [MLC327]"),
    ("{usage: {messages_per_month: 1, average_message_size: 0B}}",
     "an average message of 0B is empty [MLC204]"),
    ("{usage: {messages_per_month: 1}}", "average_message_size"),
    ("{usage: {messages_per_month: -1, average_message_size: 1KiB}}", "messages_per_month"),
    ("{usage: {messages_per_month: 1, average_message_size: 2KB}}", "average_message_size"),
    ("{subscriptions: {a: {usage: {messages_per_month: 1, average_message_size: 1KiB}}}}",
     "usage"),
], ids=safe_id)
def test_bad_usage_hints_are_diagnostics(repo, queue, message):
    repo.write("main.yaml", AWS + f"queues:\n  qq: {queue}\n")
    rc, out, _ = repo.run("lint")
    assert rc == 1 and message in out, out


def test_pubsub_takes_messages_up_to_10_mb(repo):
    repo.write("main.yaml", GCP + "queues:\n  qq: {usage: {messages_per_month: 1, "
                                  "average_message_size: 10MiB}}\n")
    rc, out, _ = repo.run("lint")
    assert rc == 1 and "larger than the largest Pub/Sub message, 10 MB [MLC327]" in out


@pytest.mark.parametrize(("queue", "codes"), [
    # a usage hint the queue cannot carry contradicts the declaration: MLC327, not the
    # range of one field (MLC204, which an empty average still is)
    ("{max_message_size: 64KiB, usage: {messages_per_month: 1, average_message_size: 65KiB}}",
     ["MLC327"]),
    ("{max_message_size: 64KiB, usage: {messages_per_month: 1, average_message_size: 64KiB}}",
     []),
    ("{usage: {messages_per_month: 1, average_message_size: 0B}}", ["MLC204"]),
], ids=safe_id)
def test_a_usage_hint_larger_than_the_queue_carries_is_its_own_code(repo, queue, codes):
    repo.write("main.yaml", AWS + f"queues:\n  qq: {queue}\n")
    rc, out, _ = repo.run("lint")
    assert [line.rsplit(" ", 1)[-1] for line in out.splitlines() if "[MLC" in line] == \
        [f"[{c}]" for c in codes], out
    assert rc == (1 if codes else 0)


def test_usage_is_not_for_session_stores(repo):
    repo.write("main.yaml", GCP + "session_stores:\n  st: {usage: {messages_per_month: 1, "
                                  "average_message_size: 1KiB}}\n")
    rc, out, _ = repo.run("lint")
    assert rc == 1 and "usage" in out


def test_hints_reach_the_graph_only_for_what_carries_messages(repo):
    repo.write("main.yaml", GCP + f"queues:\n  tp:\n    {USAGE_5M}\n    dead_letter: true\n")
    repo.write("main.yaml", repo.root.joinpath("environments", "main.yaml").read_text()
               .replace("acme-ml-dev,", "acme-ml-dev, project_number: '123456789012',"))
    rc, out, err = repo.run("compile", "main")
    assert rc == 0, err
    usage = json.loads(out)["usage"]
    assert sorted(usage) == ["tp", "tp-sub"]  # not the dead-letter topic nor its subscription
    assert usage["tp"] == {"messages_per_month": 5000000, "average_message_size": 2048}


def test_a_graph_without_hints_has_no_usage_key(repo):
    repo.write("main.yaml", AWS + "queues:\n  qq: {}\n")
    assert "usage" not in json.loads(repo.run("compile", "main")[1])


# --- 2. the command and its formats ----------------------------------------------------

def test_json_has_exactly_the_documented_shape():
    rc, out, _ = run_cli(REPO, "cost", "prod", "--format", "json")
    doc = json.loads(out)
    assert rc == 0
    assert list(doc) == ["format", "environment", "currency", "total_monthly", "resources",
                         "prices"]
    assert doc["format"] == "mlinfra.cost/v1" and doc["currency"] == "USD"
    assert doc["environment"] == "prod" and isinstance(doc["total_monthly"], float)
    for r in doc["resources"]:
        assert list(r) == ["name", "type", "monthly", "basis"]
        assert r["monthly"] is None or isinstance(r["monthly"], float)
    assert list(doc["prices"]) == ["date", "sources"] and doc["prices"]["date"] == "2026-04-27"
    assert all(s.startswith("https://") for s in doc["prices"]["sources"])


def test_cost_prod_agrees_with_the_memorystore_list_price():
    rc, out, _ = run_cli(REPO, "cost", "prod")
    assert rc == 0
    # prod: 1 GiB, standard_ha, us-central1: Standard M1 $0.064 per GiB-hour x 730 h
    assert "ml-session-storage" in out and "730 GiB-hours" in out
    assert "$0.064 per GiB-hour" in out and "$46.72" in out
    assert "730 hours a month" in out and "total: $46.72/month" in out


def test_a_cost_of_an_environment_that_does_not_compile_is_an_error(repo):
    repo.write("main.yaml", AWS + "queues:\n  qq: {delay: 1000s}\n")
    rc, out, err = repo.run("cost", "main")
    assert rc == 1 and out == "" and "MLC204" in err


# --- 3. plan and diff -----------------------------------------------------------------

def test_plan_states_the_total_in_text_and_markdown():
    assert "Estimated cost: $46.72/month" in run_cli(REPO, "plan", "prod")[1]
    md = run_cli(REPO, "plan", "prod", "--format", "markdown")[1]
    assert "Estimated cost: \\$46.72/month" in md and "`mlinfra cost prod`" in md


def test_diff_prices_created_deleted_and_renamed_resources():
    q = resource_doc("q", "aws:sqs/queue:Queue", {"region": "us-east-1"})
    store = resource_doc("s", gcp_redis.TYPE, {"memory_size_gb": 2, "tier": "BASIC",
                                               "region": "us-central1"})
    renamed = {**store, "name": "s2"}
    c = compare(graph_doc(q, store), graph_doc(renamed), {"s": "s2"})
    assert [(d.name, d.was, d.now, d.change) for d in c.deltas] == [
        ("q", "usage-based", "-", "not known")]  # the rename costs the same: no row
    c = compare(None, graph_doc(store), {})
    assert [(d.name, d.was, d.change) for d in c.deltas] == [
        ("s", "-", "+$71.54")]  # 2 GiB x 730 h x $0.049
    assert c.total == "+$71.54/month" and c.estimates == "$0.00 -> $71.54 a month"
    c = compare(graph_doc(store), graph_doc(), {})
    assert c.deltas[0].change == "-$71.54" and c.total.startswith("-$71.54/month")


@pytest.mark.parametrize("region, engine, deltas", [
    # cache.t4g.small on-demand, aws.amazon.com/elasticache/pricing: redis $0.032 an hour
    # in us-east-1 and in us-east-2, so the move changes the lines (they name the region)
    # and not the month: no row; valkey $0.0256 there: 730 x (0.0256 - 0.032) = -$4.67
    ("us-east-2", "redis", []), ("us-east-2", "valkey", [("g", "-$4.67")])])
def test_a_move_that_keeps_the_month_has_no_cost_row(region, engine, deltas):
    def group(region: str, engine: str) -> dict:
        return resource_doc("g", aws_elasticache.TYPE, {
            "node_type": "cache.t4g.small", "engine": engine, "region": region,
            "num_cache_clusters": 1})

    before, after = graph_doc(group("us-east-1", "redis")), graph_doc(group(region, engine))
    assert estimate(before).items[0].lines != estimate(after).items[0].lines
    assert [(d.name, d.change) for d in compare(before, after, {}).deltas] == deltas


def test_diff_text_says_the_monthly_change(repo_git):
    from tests.golden import edit

    edit(repo_git, "prod.yaml", "    memory: 1GiB\n", "    memory: 2GiB\n")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 0
    assert "monthly cost: +$46.72/month\n" in out
    assert "  ml-session-storage  $46.72 -> $93.44  (+$46.72)" in out
    assert "  estimated total: $46.72 -> $93.44 a month" in out


def test_a_side_without_a_figure_is_never_counted_as_zero(repo_git, monkeypatch):
    """A store moved to a region without prices is not a saving; a queue given its usage
    is not an increase: neither change is known."""
    from tests.golden import edit

    edit(repo_git, "_base.yaml", "    visibility_timeout: 30s\n", "    visibility_timeout: 30s\n"
         "    usage: {messages_per_month: 5000000, average_message_size: 2KiB}\n")
    # a region opened after the tables were read: accepted, but not priced
    monkeypatch.setenv("MLINFRA_EXTRA_REGIONS", "europe-west7")
    edit(repo_git, "prod.yaml", "    region: us-central1\n", "    region: europe-west7\n")
    edit(repo_git, "prod.yaml", "locations/us-central1/", "locations/europe-west7/")
    rc, out, err = run_cli(repo_git, "diff", "prod", "--allow-replace", "ml-session-storage")
    assert rc == 0, err
    assert "monthly cost: +$0.00/month (2 changes not known: no figure on one side)" in out
    assert "ml-session-storage  $46.72 -> no-price  (not known)" in out
    assert "ml-training-queue   usage-based -> $6.00  (not known)" in out


def test_a_graph_mlinfra_did_not_write_is_priced_without_a_traceback():
    huge = resource_doc("h", gcp_redis.TYPE, {"memory_size_gb": 400, "tier": "BASIC",
                                              "region": "us-central1"})
    assert estimate(graph_doc(huge)).items[0].basis.startswith(
        "no price in mlinfra's table (read 2026-04-27) for a Memorystore instance of 400 GiB")
    odd = [resource_doc("a", gcp_redis.TYPE, {"memory_size_gb": "many", "tier": "BASIC",
                                              "region": "us-central1"}),
           resource_doc("b", gcp_redis.TYPE, {}),
           resource_doc("c", "aws:sqs/queue:Queue", {"region": ["x"]}),
           resource_doc("d", "gcp:unknown/thing:Thing", {})]
    doc = {**graph_doc(*odd), "usage": {"c": {"messages_per_month": "x"}}}
    e = estimate(doc)
    assert [i.monthly for i in e.items] == [None] * 4
    assert [i.kind for i in e.items] == ["no-price"] * 4
    assert "a Memorystore instance of 'many' GiB" in e.items[0].basis
    assert "not in the graph" in e.items[1].basis
    assert "no price table for gcp:unknown/thing:Thing" in e.items[3].basis


@pytest.mark.parametrize("env", ["dev", "perf", "prod", "staging"])
def test_cost_markdown_is_plain_and_starts_no_math(env):
    """Every value of a cost comment is text (names and regions are checked before they
    get here); GitHub reads $...$ as math, so every dollar sign is escaped."""
    import re

    from tests.test_hardening import ALLOWED_TAGS, _render, _tags

    rc, out, _ = run_cli(REPO, "cost", env, "--format", "markdown")
    assert rc == 0
    assert set(_tags(_render(out))) <= ALLOWED_TAGS
    assert "$" in out and not re.search(r"(?<!\\)\$", out)


HOSTILE_REGION = "eu-x\x1b[2J|`<b>%n::warning::$x$"


def test_hostile_text_in_every_cost_format(repo, monkeypatch):
    """A region let through by MLINFRA_EXTRA_REGIONS reaches the basis of a line: text
    shows control characters escaped, markdown renders no HTML or markup of it, JSON
    carries it as data."""
    from tests.test_hardening import ALLOWED_TAGS, _render, _tags

    monkeypatch.setenv("MLINFRA_EXTRA_REGIONS", HOSTILE_REGION)
    repo.write("main.yaml", "providers:\n  aws: {region: us-east-1}\nqueues:\n  qq: {region: "
               + json.dumps(HOSTILE_REGION) + "}\n")
    rc, text, err = repo.run("cost", "main")
    assert rc == 0, err
    assert "\x1b" not in text and "\\e[2J" in text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    rc, md, _ = repo.run("cost", "main", "--format", "markdown")
    html = _render(md)
    assert rc == 0 and set(_tags(html)) <= ALLOWED_TAGS and "<b>" not in html
    rc, out, _ = repo.run("cost", "main", "--format", "json")
    assert rc == 0 and "\x1b" not in out
    assert HOSTILE_REGION in json.loads(out)["resources"][0]["basis"]  # the data, intact


@pytest.mark.parametrize("rtype,missing", [
    ("gcp:redis/instance:Instance", "memory_size_gb, tier, region"),
    ("aws:elasticache/replicationGroup:ReplicationGroup",
     "node_type, engine, num_cache_clusters, region"),
    ("aws:sqs/queue:Queue", "region"),
    ("aws:sns/topic:Topic", "region"),
])
def test_a_resource_without_what_its_price_depends_on_says_which(rtype, missing):
    e = estimate(graph_doc(resource_doc("it", rtype, {})))
    assert e.items[0].basis == f"no price: its {missing} is not in the graph"
    fifo = resource_doc("ff", "aws:sns/topic:Topic", {"fifo_topic": True})
    assert estimate(graph_doc(fifo)).items[0].basis == "no price: its region is not in the graph"



def test_quantities_and_units_as_a_table_shows_them():
    assert pricing.number(Decimal(730)) == "730" and pricing.number(Decimal(10950)) == "10,950"
    assert pricing.number(Decimal("0.25")) == "0.25"
    assert pricing.number(Decimal("0.1862645149")) == "0.186265"
    assert pricing.number(Decimal("0.0000001")) == "< 0.000001"
    assert pricing.plural(1, "node") == "1 node" and pricing.plural(1000, "node") == "1,000 nodes"
    e = pricing.entry("aws_sqs", queue="standard", region="us-east-1")
    line = pricing.per(e, e["price"], Decimal(3), "million requests", pricing.USAGE, "b")
    assert (line.monthly, line.unit_price, line.price_unit, line.sources, line.date) == (
        Decimal("1.20"), Decimal("0.4"), "USD per million requests", (e["source"],),
        "2026-09-04")
    based = pricing.usage_based(e, "b")
    assert (based.monthly, based.sources, based.date) == (None, (e["source"],), "2026-09-04")


def test_the_estimate_is_dated_by_its_oldest_price():
    from mlinfra_compile.cost import Estimate

    old, new = (Line(pricing.FIXED, Decimal(1), "b", date=d)
                for d in ("2026-01-02", "2026-11-28"))
    assert Estimate("x", (Item("a", "t", (new, old)),)).date == "2026-01-02"
    assert estimate({"resources": []}).environment == ""


def test_hints_that_are_not_whole_numbers_estimate_nothing():
    g = Priced({}, {"a": {"messages_per_month": 5, "average_message_size": "2KiB"},
                    "b": {"messages_per_month": True, "average_message_size": 5},
                    "c": {"messages_per_month": 5, "average_message_size": 7}, "d": 3})
    assert [g.usage(n) for n in "abd"] == [None, None, None]
    assert g.usage("c") == (5, 7)


def test_a_region_without_prices_for_memorystore_or_sns_says_so():
    store = resource_doc("st", gcp_redis.TYPE, {"memory_size_gb": 1, "tier": "BASIC",
                                                "region": "mars-1"})
    topic = resource_doc("tp", "aws:sns/topic:Topic", {"region": "eu-west-3"})
    fifo = resource_doc("ff", "aws:sns/topic:Topic", {"region": "eu-west-3",
                                                      "fifo_topic": True})
    gcp, sns = ("no price in mlinfra's table (read 2026-04-27) for",
                "no price in mlinfra's table (read 2024-12-04) for")
    assert [i.basis for i in estimate(graph_doc(store, topic, fifo)).items] == [
        f"{gcp} Memorystore's basic tier in mars-1; see the provider's pricing page",
        f"{sns} SNS standard topics in eu-west-3; see the provider's pricing page",
        f"{sns} SNS FIFO topics in eu-west-3; see the provider's pricing page"]


def test_redis_on_a_valkey_only_node_type_says_why_there_is_no_price():
    [line] = _group("cache.m8g.large", "redis")
    assert line.basis == ("no price in mlinfra's table (read 2025-03-14) for cache.m8g.large "
                          "running redis in us-east-1 (AWS offers it with Valkey only); see "
                          "the provider's pricing page")
    [line] = _group("cache.m8g.large", "redis", region="eu-west-3")
    assert "Valkey only" not in line.basis


def test_diff_leaves_out_free_resources_and_keeps_what_follows_them():
    """A grant created or deleted costs nothing: no row; the rows after it are kept; a
    free resource that starts to cost (an SNS subscription whose topic turns FIFO) is a
    row."""
    policy = resource_doc("a-policy", "aws:sqs/queuePolicy:QueuePolicy", {})
    store = resource_doc("b-store", gcp_redis.TYPE, {"memory_size_gb": 1, "tier": "BASIC",
                                                     "region": "us-central1"})
    c = compare(graph_doc(policy, store), graph_doc(), {})
    assert [d.name for d in c.deltas] == ["b-store"]
    c = compare(graph_doc(), graph_doc(policy, store), {})
    assert [d.name for d in c.deltas] == ["b-store"]
    sub = resource_doc("s-sub", "aws:sns/topicSubscription:TopicSubscription",
                       {"topic": {"$ref": "t", "attr": "arn"}, "region": "us-east-1"})
    topic = resource_doc("t", "aws:sns/topic:Topic", {"region": "us-east-1"})
    fifo = resource_doc("t", "aws:sns/topic:Topic", {"region": "us-east-1",
                                                     "fifo_topic": True})
    c = compare(graph_doc(sub, topic), graph_doc(sub, fifo), {})
    assert [(d.name, d.was, d.now) for d in c.deltas] == [
        ("s-sub", "$0.00", "usage-based")]  # (the topic is usage-based on both sides)


def test_an_average_message_at_either_end_of_its_range_is_estimated(repo):
    doc = _cost(repo, AWS + "queues:\n  qq: {usage: {messages_per_month: 1000000, "
                            "average_message_size: 1B}}\n  ww: {usage: {messages_per_month: "
                            "1000000, average_message_size: 256KiB}}\n")
    assert _monthly(doc, "qq") == 1.2 and _monthly(doc, "ww") == 4.8  # 4 chunks of 64 KiB


def test_a_bad_average_is_reported_at_its_key(repo):
    repo.write("main.yaml", AWS + "queues:\n  qq:\n    usage:\n      messages_per_month: 1\n"
                                  "      average_message_size: 2MiB\n")
    rc, out, _ = repo.run("lint")
    assert rc == 1 and out.startswith("environments/main.yaml:7:7: error: "
                                      "queues.qq.usage.average_message_size: ")
