"""`service: elasticache-serverless`: ElastiCache Serverless caches. Oracles: the provider's
own statements, written here as literals with their sources (pulumi-aws 7.51.1
`elasticache.ServerlessCache` docstrings, terraform-provider-aws serverless_cache.go, the
ElastiCache User Guide and pricing page), and prices worked by hand."""

from __future__ import annotations

import json

import pytest

from mlinfra_compile.diff import diff_graphs
from tests.golden import graph_doc, resource_doc, run_cli

TYPE = "aws:elasticache/serverlessCache:ServerlessCache"  # the SDK's type token
DEV = "profile: development\nproviders:\n  aws: {region: us-east-1}\n"
PROD = ("profile: production\nproviders:\n  aws: {region: us-east-1, subnet_ids: "
        "[subnet-0a1b2c3d]}\n")


def compile_store(tmp_path, body, head=DEV, command="compile"):
    (tmp_path / "environments").mkdir(exist_ok=True)
    lines = "".join(f"    {line}\n" for line in body)
    (tmp_path / "environments" / "dev.yaml").write_text(
        f"{head}session_stores:\n  cache:\n    service: elasticache-serverless\n{lines}")
    code, out, err = run_cli(tmp_path, command, "dev", *(["--format", "json"]
                                                          if command == "cost" else []))
    doc = json.loads(out) if code == 0 else None
    return code, doc, err


def cache_args(doc):
    return next(r for r in doc["resources"] if r["type"] == TYPE)["args"]


def test_a_development_cache_compiles_to_exactly_its_arguments(tmp_path):
    code, doc, err = compile_store(tmp_path, ["max_data: 10", "max_ecpu: 5000"])
    assert code == 0, err
    assert cache_args(doc) == {
        "engine": "valkey", "major_engine_version": "8",
        "cache_usage_limits": {"data_storage": {"maximum": 10, "unit": "GB"},
                               "ecpu_per_seconds": [{"maximum": 5000}]},
        "description": "mlinfra session store cache (dev)", "region": "us-east-1",
        "snapshot_retention_limit": 0,
        "tags": {"environment": "dev", "managed-by": "mlinfra"}}
    assert doc["outputs"]["cache"]["host"] == {"$ref": "cache", "attr": "endpoints.0.address"}


# cache_usage_limits: data_storage "between 1 and 5,000" GB, ecpu_per_seconds "between
# 1,000 and 15,000,000" (pulumi-aws 7.51.1 _inputs.py docstrings).
@pytest.mark.parametrize(("field", "value", "ok"), [
    ("max_data", 0, False), ("max_data", 1, True), ("max_data", 5000, True),
    ("max_data", 5001, False), ("max_ecpu", 999, False), ("max_ecpu", 1000, True),
    ("max_ecpu", 15_000_000, True), ("max_ecpu", 15_000_001, False)])
def test_usage_limits_on_each_side_of_the_providers_range(tmp_path, field, value, ok):
    code, _doc, err = compile_store(tmp_path, [f"{field}: {value}"])
    assert (code == 0) == ok, err


# Major versions: redis 7, valkey 7 and 8 (the AWS CDK's CacheEngine list).
@pytest.mark.parametrize(("engine", "version", "major"), [
    ("valkey", "7.2", "7"), ("valkey", "8.1", "8"), ("valkey", "9.0", None),
    ("redis", "7.1", "7"), ("redis", "6.x", None), ("redis", None, "7"),
    ("valkey", None, "8")])
def test_the_version_is_a_major_version_the_engine_runs(tmp_path, engine, version, major):
    body = [f"engine: {engine}"] + ([f"version: '{version}'"] if version else [])
    code, doc, err = compile_store(tmp_path, body)
    if major is None:
        assert code == 1 and "[MLC328]" in err and "version" in err
    else:
        assert code == 0, err
        assert cache_args(doc)["major_engine_version"] == major


# "RBAC is also the only way to control access to serverless caches" (ElastiCache User
# Guide, Clusters.RBAC.html): auth is a user group, never a token.
@pytest.mark.parametrize(("auth", "group", "ok"), [
    (True, "ml-users", True), (True, None, False), (False, "ml-users", False),
    (False, None, True)])
def test_auth_is_a_user_group(tmp_path, auth, group, ok):
    body = [f"auth: {str(auth).lower()}"] + ([f"user_group: {group}"] if group else [])
    code, doc, err = compile_store(tmp_path, body)
    assert (code == 0) == ok, err
    if ok:
        assert cache_args(doc).get("user_group_id") == group
    else:
        assert "[MLC311]" in err


# "All Valkey or Redis OSS serverless caches have in-transit encryption enabled"
# (in-transit-encryption.html): no argument, and tls: false is an error.
@pytest.mark.parametrize(("tls", "ok"), [("true", True), ("false", False),
                                         ("preferred", False)])
def test_tls_is_always_on(tmp_path, tls, ok):
    code, doc, err = compile_store(tmp_path, [f"tls: {tls}"])
    assert (code == 0) == ok, err
    if ok:
        assert not any("transit" in k for k in cache_args(doc))


def test_production_needs_a_user_group_and_subnets_and_protects(tmp_path):
    code, _doc, err = compile_store(tmp_path, ["max_data: 10"], PROD)
    assert code == 1 and "user_group" in err and "[MLC311]" in err
    code, doc, err = compile_store(tmp_path, ["user_group: ml-users"], PROD)
    assert code == 0, err
    r = next(r for r in doc["resources"] if r["type"] == TYPE)
    assert r["options"]["protect"] is True and r["args"]["subnet_ids"] == ["subnet-0a1b2c3d"]
    assert r["args"]["snapshot_retention_limit"] == 7
    # without subnets, the production network rule (MLC507) fires, waivable
    head = PROD.replace(", subnet_ids: [subnet-0a1b2c3d]", "")
    code, _doc, err = compile_store(tmp_path, ["user_group: ml-users"], head)
    assert code == 1 and "[MLC507]" in err


@pytest.mark.parametrize(("field", "said"), [
    ("memory: 1GiB", "memory is not supported by elasticache-serverless: a serverless cache "
                     "grows with its data: cap it with max_data"),
    ("node_type: cache.r7g.large", "node_type is not supported by elasticache-serverless"),
    ("tier: standard_ha", "tier is not supported by elasticache-serverless"),
])
def test_a_field_it_does_not_take_says_what_it_offers(tmp_path, field, said):
    code, _doc, err = compile_store(tmp_path, [field])
    assert code == 1 and said in err and "[MLC307]" in err


def test_a_serverless_field_on_a_replication_group_says_which_service(tmp_path):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(
        f"{DEV}session_stores:\n  cache:\n    max_data: 10\n")
    code, _out, err = run_cli(tmp_path, "compile", "dev")
    assert code == 1
    assert ("max_data is a elasticache-serverless field: set service: "
            "elasticache-serverless [MLC307]") in err


def change(old_args, new_args):
    d = diff_graphs(graph_doc(resource_doc("c", TYPE, old_args)),
                    graph_doc(resource_doc("c", TYPE, new_args)), "test")
    return d.changes[0].args[0].verdict if d.changes else None


# serverless_cache.go: RequiresReplace on name, kms_key_id, subnet_ids; engine in place only
# between redis and valkey; major_engine_version in place only for a Valkey upgrade
# (`stateFloatVal < planFloatVal && engineVal == valkey`); ModifyServerlessCache for the rest.
@pytest.mark.parametrize(("old", "new", "verdict"), [
    ({"engine": "redis"}, {"engine": "valkey"}, "update"),
    ({"engine": "valkey"}, {"engine": "redis"}, "update"),
    ({"engine": "valkey"}, {"engine": "memcached"}, "replace"),
    ({"engine": "valkey", "major_engine_version": "7"},
     {"engine": "valkey", "major_engine_version": "8"}, "update"),
    ({"engine": "valkey", "major_engine_version": "8"},
     {"engine": "valkey", "major_engine_version": "7"}, "replace"),
    ({"engine": "redis", "major_engine_version": "7"},
     {"engine": "redis", "major_engine_version": "8"}, "replace"),
    ({"name": "a"}, {"name": "b"}, "replace"),
    ({"kms_key_id": "k1"}, {"kms_key_id": "k2"}, "replace"),
    ({"subnet_ids": ["s1"]}, {"subnet_ids": ["s2"]}, "replace"),
    ({"region": "us-east-1"}, {"region": "eu-west-1"}, "replace"),
    ({"cache_usage_limits": {}}, {"cache_usage_limits": {"data_storage": {"maximum": 5}}},
     "update"),
    ({"user_group_id": "a"}, {}, "update"),
    ({"security_group_ids": ["sg-1"]}, {"security_group_ids": ["sg-2"]}, "update"),
    ({"description": "a"}, {"description": "b"}, "update"),
    ({"snapshot_retention_limit": 0}, {"snapshot_retention_limit": 7}, "update"),
])
def test_change_verdicts(old, new, verdict):
    assert change(old, new) == verdict


# Prices, us-east-1, the pricing page's figures: Valkey $0.084 per GB-hour and $0.0023 per
# million ECPUs, Redis OSS $0.125 and $0.0034; "metered for a minimum of 1 GB of data
# stored for ... Redis, and 100 MB for Valkey".
@pytest.mark.parametrize(("engine", "floor"), [
    ("valkey", round(0.1 * 0.084 * 730, 2)), ("redis", round(1 * 0.125 * 730, 2))])
def test_the_least_a_cache_is_billed_worked_by_hand(tmp_path, engine, floor):
    code, doc, err = compile_store(tmp_path, [f"engine: {engine}"], command="cost")
    assert code == 0, err
    [item] = [r for r in doc["resources"] if r["name"] == "cache"]
    # the floor is known, the rest is by use: the cache's month is not known, the total
    # counts the floor
    assert item["monthly"] is None and "the least billed" in item["basis"]
    assert doc["total_monthly"] == floor == {"valkey": 6.13, "redis": 91.25}[engine]


@pytest.mark.parametrize(("body", "cap"), [
    ([], ""),  # no cap: nothing said of one
    (["max_data: 10"], "; at most 10 GB (max_data)")])
def test_the_data_above_the_floor_says_its_cap(tmp_path, body, cap):
    code, doc, err = compile_store(tmp_path, ["engine: redis", *body], command="cost")
    assert code == 0, err
    [item] = [r for r in doc["resources"] if r["name"] == "cache"]
    by_use = "it depends on the data the cache holds and the commands it runs"
    assert item["basis"] == (
        "the least billed, 1 GB of data x 730 h (redis) in us-east-1; usage-based: $0.125 "
        f"per GB-hour; data stored above 1 GB{cap}; {by_use}; usage-based: $0.0034 per "
        f"million ECPUs; one ECPU per KB a command reads or writes; {by_use}")


def test_another_region_has_no_price_said(tmp_path):
    head = DEV.replace("us-east-1", "eu-west-1")
    code, doc, err = compile_store(tmp_path, [], head, command="cost")
    assert code == 0, err
    [item] = [r for r in doc["resources"] if r["name"] == "cache"]
    assert item["monthly"] is None and "no price" in item["basis"]


def test_the_import_id_is_the_name(tmp_path):
    code, doc, err = compile_store(tmp_path, ["name: edge-cache", "import: edge-cache"])
    assert code == 0, err
    r = next(r for r in doc["resources"] if r["type"] == TYPE)
    assert r["options"]["import"] == "edge-cache" and r["args"]["name"] == "edge-cache"
    code, _doc, err = compile_store(tmp_path, ["name: edge-cache", "import: other-cache"])
    assert code == 1 and "[MLC324]" in err


def test_the_cache_registers_under_pulumi_mocks_with_exactly_its_inputs(tmp_path):
    import pulumi

    from mlinfra_compile.backends import pulumi_program as backend

    class Mocks(pulumi.runtime.Mocks):
        def __init__(self):
            self.created = []

        def new_resource(self, args):
            self.created.append(args)
            # what the provider returns: lists of {address, port} (pulumi-aws 7.51.1
            # outputs.py ServerlessCacheEndpoint)
            return [f"{args.name}-id", {**args.inputs, "arn": "arn:aws:elasticache:x",
                                        "endpoints": [{"address": "c.serverless.use1.cache."
                                                                  "amazonaws.com",
                                                       "port": 6379}],
                                        "readerEndpoints": [{"address": "r.serverless",
                                                             "port": 6380}]}]

        def call(self, args):
            return {}

    m = Mocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="dev", preview=False)
    code, doc, err = compile_store(tmp_path, ["max_data: 10", "max_ecpu: 5000",
                                              "auth: true", "user_group: ml-users",
                                              "network: {subnet_ids: [subnet-0a1b2c3d]}"])
    assert code == 0, err
    exported: dict[str, object] = {}

    @pulumi.runtime.test
    def program():
        built = backend.materialize(doc, export=exported.__setitem__)

        def check(values):
            [a] = m.created
            assert a.typ == TYPE
            assert a.inputs == {
                "cacheUsageLimits": {"dataStorage": {"maximum": 10.0, "unit": "GB"},
                                     "ecpuPerSeconds": [{"maximum": 5000.0}]},
                "description": "mlinfra session store cache (dev)", "engine": "valkey",
                "majorEngineVersion": "8", "region": "us-east-1",
                "snapshotRetentionLimit": 0.0, "subnetIds": ["subnet-0a1b2c3d"],
                "tags": {"environment": "dev", "managed-by": "mlinfra"},
                "userGroupId": "ml-users"}
            assert values[1:] == ["c.serverless.use1.cache.amazonaws.com", 6379,
                                  "r.serverless"]

        out = exported["cache"]
        return pulumi.Output.all(built["cache"].urn, out["host"], out["port"],
                                 out["reader_host"]).apply(check)

    program()


def test_a_running_cache_is_adopted_back_into_its_declaration(monkeypatch):
    from mlinfra_compile import sdkargs
    from mlinfra_compile.providers import adopting
    from mlinfra_compile.providers import aws_elasticache_serverless as s
    from mlinfra_compile.state import StateResource

    # (as `mlinfra adopt` hands it in: an SDK argument mlinfra does not model becomes
    # pulumi_args)
    monkeypatch.setattr(adopting, "PASSABLE", [sdkargs.passable])

    r = StateResource(urn=f"urn:pulumi:dev::p::{TYPE}::edge", type=TYPE, inputs={
        "name": "edge", "engine": "valkey", "majorEngineVersion": "8",
        "cacheUsageLimits": {"dataStorage": {"maximum": 10, "unit": "GB"},
                             "ecpuPerSeconds": [{"maximum": 5000}]},
        "userGroupId": "ml-users", "subnetIds": ["subnet-0a1b2c3d"],
        "snapshotRetentionLimit": 7, "dailySnapshotTime": "03:00", "region": "us-east-1"},
        outputs={}, protect=True, id="edge")
    [adopted], left = s.adopt([r], True)
    assert left == {}
    assert adopted.fields == {
        "service": "elasticache-serverless", "engine": "valkey", "version": "8.0",
        "max_data": 10, "max_ecpu": 5000, "user_group": "ml-users", "auth": True,
        "network": {"subnet_ids": ["subnet-0a1b2c3d"]}, "snapshot_retention_days": 7,
        "region": "us-east-1", "protect": True,
        "pulumi_args": {"daily_snapshot_time": "03:00"}}
    assert adopted.missing == []
    monkeypatch.setattr(adopting, "PASSABLE", [None])  # without the table: listed, not lost
    [adopted], _ = s.adopt([r], True)
    assert "pulumi_args" not in adopted.fields
    assert adopted.missing == ["dailySnapshotTime = 03:00: mlinfra does not model it"]


@pytest.mark.parametrize("limits", [
    {"dataStorage": {"maximum": True, "unit": "GB"}}, {"dataStorage": "x"}, [1],
    {"ecpuPerSeconds": [{"maximum": 1.5}]}, {"dataStorage": {"maximum": 5, "unit": "TB"}},
    {"dataStorage": {"maximum": 5, "minimum": 1, "unit": "GB"}},
    {"ecpuPerSeconds": [{"maximum": 1000}, {"maximum": 2000}]}, {"other": 1}])
def test_usage_limits_mlinfra_does_not_write_are_listed_never_dropped(limits):
    from mlinfra_compile.providers import aws_elasticache_serverless as s
    from mlinfra_compile.state import StateResource

    r = StateResource(urn=f"urn:pulumi:dev::p::{TYPE}::e", type=TYPE, outputs={}, id="e",
                      inputs={"name": "e", "engine": "valkey", "cacheUsageLimits": limits})
    [adopted], _ = s.adopt([r], True)
    assert "max_data" not in adopted.fields and "max_ecpu" not in adopted.fields
    assert any(m.startswith("cacheUsageLimits = ") for m in adopted.missing), adopted.missing
