"""Environments that are valid most of the time: drawn with a seeded random.Random from
choices inside every provider's ranges, so property tests reach the compiler's output
(the schema-shaped strategies mostly reach its diagnostics)."""

from __future__ import annotations

import random
from typing import Any

STORES = ["cache", "sessions", "features"]
QUEUES = ["jobs", "events", "ml-training-queue", "scores"]
DURATIONS = ["30s", "90s", "10m", "1h", "1d"]


def _gcp_store(rng: random.Random, production: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"provider": "gcp"}
    if rng.random() < 0.5:
        d["memory"] = rng.choice(["1GiB", "2GiB", "5GiB", "16GiB"])
    if rng.random() < 0.4:
        d["version"] = rng.choice(["6.x", "7.0", "7.2"])
    if rng.random() < 0.4:
        d["eviction_policy"] = rng.choice(["allkeys-lru", "volatile-lru", "noeviction"])
    if rng.random() < 0.3:
        d["persistence"] = rng.choice(["none", "rdb-1h", "rdb-24h"])
    if not production and rng.random() < 0.3:
        d["tier"] = rng.choice(["basic", "standard_ha"])
    if d.get("memory") in ("5GiB", "16GiB") and d.get("tier", "standard_ha" if production
                                                      else "basic") == "standard_ha":
        d["replicas"] = rng.choice([0, 1, 2])
    return d


def _aws_store(rng: random.Random, production: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"provider": "aws"}
    if rng.random() < 0.5:
        d["memory"] = rng.choice(["512MiB", "1GiB", "3GiB", "12GiB"])
    if rng.random() < 0.4:
        d["engine"], d["version"] = rng.choice([("redis", "6.x"), ("redis", "7.1"),
                                                ("valkey", "7.2"), ("valkey", "8.0")])
    if rng.random() < 0.3:
        d["snapshot_retention_days"] = rng.randint(1, 35)
    if rng.random() < 0.3:
        d["apply"] = rng.choice(["immediately", "maintenance_window"])
    if not production and rng.random() < 0.3:
        d["tier"] = "standard_ha"
        d["replicas"] = rng.randint(1, 5)
    return d


def _aws_queue(rng: random.Random, production: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"provider": "aws"}
    if rng.random() < 0.5:
        d["delay"] = rng.choice([0, "30s", "90s", "15m"])
    if rng.random() < 0.5:
        d["retention"] = rng.choice(["1d", "4d", "14d"])
    if rng.random() < 0.4:
        d["visibility_timeout"] = rng.choice(["30s", "5m", "1h"])
    if rng.random() < 0.3:
        d["max_message_size"] = rng.choice(["1KiB", "256KiB", "1MiB"])
    if rng.random() < 0.2:
        d["fifo"] = True
    if not production and rng.random() < 0.3:
        d["dead_letter"] = rng.choice([True, {"max_receives": rng.randint(1, 1000)}])
    return d


def _gcp_queue(rng: random.Random, production: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"provider": "gcp"}
    if rng.random() < 0.4:
        d["visibility_timeout"] = rng.choice(["10s", "60s", "600s"])
    if rng.random() < 0.4:
        d["retention"] = rng.choice(["1h", "1d", "7d", "31d"])
    if rng.random() < 0.2:
        d["ordering"] = True
    if rng.random() < 0.5:
        d["subscriptions"] = {k: ({"visibility_timeout": rng.choice(["20s", "120s"])}
                                  if rng.random() < 0.5 else {})
                              for k in rng.sample(["trainers", "metrics", "audit"],
                                                  rng.randint(1, 3))}
    return d


def valid_environment(rng: random.Random) -> dict[str, Any]:
    production = rng.random() < 0.4
    clouds = rng.choice([("gcp",), ("aws",), ("gcp", "aws")])
    providers: dict[str, Any] = {}
    if "gcp" in clouds:
        providers["gcp"] = {"project": "acme-ml-test", "region": rng.choice(
            ["us-central1", "europe-west1"]), "project_number": "123456789012"}
        if production or rng.random() < 0.5:  # MLC507: production names its network
            providers["gcp"]["network"] = rng.choice(
                ["ml-vpc", "projects/acme-net/global/networks/shared"])
    if "aws" in clouds:
        providers["aws"] = {"region": rng.choice(["us-east-1", "eu-west-1"])}
        if production or rng.random() < 0.5:
            providers["aws"].update(subnet_ids=["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
                                    vpc_id="vpc-0123abcd")
    doc: dict[str, Any] = {"providers": providers,
                           "profile": "production" if production else "development"}
    if rng.random() < 0.3:
        doc["name_template"] = "{{ env }}-{{ name }}"
    doc["session_stores"] = {
        name: (_gcp_store if rng.choice(clouds) == "gcp" else _aws_store)(rng, production)
        for name in rng.sample(STORES, rng.randint(1, 2))}
    for store in doc["session_stores"].values():
        if rng.random() < 0.3:
            store["maintenance"] = {"day": rng.choice(["sunday", "wednesday"]),
                                    "start": rng.choice(["00:15", "03:00", "23:30"])}
    doc["queues"] = {
        name: (_gcp_queue if rng.choice(clouds) == "gcp" else _aws_queue)(rng, production)
        for name in rng.sample(QUEUES, rng.randint(1, 3))}
    return doc
