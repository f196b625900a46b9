"""An ElastiCache store's engine version: the default's origin is the declaration itself
(explain lists the argument among what the declaration compiles to), and a running
version's parts are read as numbers up to 18 digits, a longer part as 10**18."""

from __future__ import annotations

from pathlib import Path

from mlinfra_compile.providers.aws_elasticache_changes import version_tuple
from tests.golden import run_cli

ENV = ("providers:\n  aws: {region: us-east-1}\nsession_stores:\n"
       "  cache: {engine: valkey}\n")


def test_explain_lists_the_default_engine_version_among_what_the_store_compiles_to(
        tmp_path: Path):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(ENV)
    rc, out, err = run_cli(tmp_path, "explain", "dev", "session_stores.cache")
    assert rc == 0, err
    # Every argument whose origin is the declaration itself (4:3, where `cache:` is
    # written): the ones set from the profile's defaults and the ones derived, engine
    # (set at 4:12) and region (the provider's) not among them. Valkey's default version
    # in mlinfra is 8.0; a development store: one node of cache.t4g.small.
    assert out == (
        'dev: session_stores.cache = {engine: "valkey"}\n'
        "  set at environments/dev.yaml:4:3\n"
        "  compiles to cache.apply_immediately = true\n"
        "  compiles to cache.at_rest_encryption_enabled = true\n"
        "  compiles to cache.automatic_failover_enabled = false\n"
        '  compiles to cache.description = "mlinfra session store cache (dev)"\n'
        '  compiles to cache.engine_version = "8.0"\n'
        "  compiles to cache.multi_az_enabled = false\n"
        '  compiles to cache.node_type = "cache.t4g.small"\n'
        "  compiles to cache.num_cache_clusters = 1\n"
        "  compiles to cache.snapshot_retention_limit = 0\n"
        '  compiles to cache.tags = {environment: "dev", managed-by: "mlinfra"}\n'
        "  compiles to cache.transit_encryption_enabled = false\n")


def test_a_version_part_of_18_digits_is_read_and_one_of_19_is_capped():
    assert version_tuple("7." + "9" * 18) == (7, 10**18 - 1)
    assert version_tuple("7." + "9" * 19) == (7, 10**18)
    assert version_tuple("7.0.7") == (7, 0, 7) and version_tuple("6.x") == (6,)
