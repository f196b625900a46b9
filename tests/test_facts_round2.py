"""Provider facts, round 2: each fact with its source written here as a literal, so the
oracle is the provider's own statement, not the table under test."""

from __future__ import annotations

import pytest

from mlinfra_compile.diff import diff_graphs
from mlinfra_compile.providers import gcp_redis
from tests.golden import graph_doc, resource_doc


def change(old_args, new_args, rtype):
    d = diff_graphs(graph_doc(resource_doc("thing", rtype, old_args)),
                    graph_doc(resource_doc("thing", rtype, new_args)), "test")
    return d.changes[0] if d.changes else None


# magic-modules mmv1/products/redis/Instance.yaml at 02af433e, authorizedNetwork:
# `immutable: true`, `default_from_api: true`,
# `diff_suppress_func: 'tpgresource.CompareSelfLinkOrResourceName'`; connectMode:
# `immutable: true`, `default_value: "DIRECT_PEERING"`. CompareSelfLinkOrResourceName
# (google/tpgresource/self_link_helpers.go): a new value without "/" is the same as a
# stored self link whose last segment it is; otherwise both are compared from "projects/".
P = {"project": "acme-ml"}
NETWORK_SAME = [
    ({}, {"authorized_network": "default"}),
    ({}, {"authorized_network": "projects/acme-ml/global/networks/default"}),
    ({"authorized_network": "default"},
     {"authorized_network": "projects/acme-ml/global/networks/default"}),
    ({"authorized_network": "projects/acme-ml/global/networks/ml"},
     {"authorized_network": "ml"}),
    ({"authorized_network": "projects/host/global/networks/ml"},
     {"authorized_network": "ml"}),  # a name matches the stored path's last segment
    ({"authorized_network": "https://www.googleapis.com/compute/v1/projects/acme-ml/global/"
                            "networks/ml"},
     {"authorized_network": "projects/acme-ml/global/networks/ml"}),
    ({"authorized_network": "ml"}, {}),  # computed: unset keeps what the instance has
    ({}, {"connect_mode": "DIRECT_PEERING"}),
    ({"connect_mode": "DIRECT_PEERING"}, {}),
]
NETWORK_REPLACES = [
    ({}, {"authorized_network": "ml"}),
    ({}, {"authorized_network": "projects/host/global/networks/default"}),
    ({"authorized_network": "ml"}, {"authorized_network": "projects/host/global/networks/ml"}),
    ({"authorized_network": "projects/a/global/networks/ml"},
     {"authorized_network": "projects/b/global/networks/ml"}),
    ({}, {"connect_mode": "PRIVATE_SERVICE_ACCESS"}),
    ({"connect_mode": "PRIVATE_SERVICE_ACCESS"}, {}),
    ({"connect_mode": "PRIVATE_SERVICE_ACCESS"}, {"connect_mode": "DIRECT_PEERING"}),
]


@pytest.mark.parametrize(("old", "new"), NETWORK_SAME)
def test_the_network_the_store_already_uses_is_no_change(old, new):
    assert change({**P, **old}, {**P, **new}, gcp_redis.TYPE) is None


@pytest.mark.parametrize(("old", "new"), NETWORK_REPLACES)
def test_another_network_or_connect_mode_replaces(old, new):
    c = change({**P, **old}, {**P, **new}, gcp_redis.TYPE)
    assert c is not None and c.action == "replace", (old, new)


# Memorystore instance names: magic-modules Instance.yaml (02af433e) name validation
# `^[a-z][a-z0-9-]{0,39}[a-z0-9]$` (at least 2 characters); the Memorystore docs' limit
# of 40 ("Creating and managing instances").
@pytest.mark.parametrize(("name", "ok"), [
    ("a", False), ("ab", True), ("a" * 40, True), ("a" * 41, False), ("a-", False),
    ("1a", False), ("a1", True),
])
def test_memorystore_name_length(name, ok):
    import re

    provider = re.fullmatch(r"[a-z][a-z0-9-]{0,39}[a-z0-9]", name) is not None
    assert (provider and len(name) <= 40) == ok  # the oracle, from the two sources
    assert (gcp_redis.NAME_RULE.check(name) is None) == ok, name


# ElastiCache AUTH: ModifyReplicationGroup AuthTokenUpdateStrategy "DELETE - allowed only
# when transitioning to RBAC" (the ElastiCache API reference); removing `auth_token` makes
# terraform-provider-aws send an empty token (replication_group.go, Update).
TOKEN = {"$secret": "cache-auth-token"}


def test_turning_elasticache_auth_off_is_refused():
    from mlinfra_compile.providers import aws_elasticache

    c = change({"auth_token": TOKEN}, {}, aws_elasticache.TYPE)
    assert c.action == "refused" or c.args[0].verdict == "refused"
    assert "RBAC" in c.args[0].why


def test_turning_elasticache_auth_on_is_in_place():
    from mlinfra_compile.providers import aws_elasticache

    c = change({}, {"auth_token": TOKEN}, aws_elasticache.TYPE)
    assert c.action == "update" and c.args[0].verdict == "update"


# Parameter groups: terraform-provider-aws parameter_group.go marks name, family and
# description ForceNew; DeleteCacheParameterGroup fails with
# InvalidCacheParameterGroupState while a cluster uses the group.
def test_the_parameter_group_description_names_nothing_a_change_can_touch(tmp_path):
    from tests.golden import run_cli

    def compiled(name, engine, env):
        (tmp_path / "environments").mkdir(exist_ok=True)
        (tmp_path / "environments" / f"{env}.yaml").write_text(
            f"profile: development\nproviders:\n  aws: {{region: us-east-1}}\n"
            f"session_stores:\n  {name}:\n    provider: aws\n    engine: {engine}\n"
            "    eviction_policy: allkeys-lru\n")
        code, out, err = run_cli(tmp_path, "compile", env)
        assert code == 0, err
        import json

        return next(x for x in json.loads(out)["resources"]
                    if x["type"].endswith("parameterGroup:ParameterGroup"))

    a, b = compiled("cache", "redis", "dev"), compiled("sessions", "redis", "staging")
    assert a["args"]["description"] == b["args"]["description"]
    assert "cache" not in a["args"]["description"] and "dev" not in a["args"]["description"]
    assert a["options"]["ignore_changes"] == ["description"]


def test_an_old_groups_description_is_not_a_replacement():
    from mlinfra_compile.providers import aws_elasticache as ec

    old = graph_doc(resource_doc("p", ec.PARAMETER_GROUP, {
        "description": "mlinfra parameters for cache (dev)", "family": "redis7"}))
    new = graph_doc(resource_doc("p", ec.PARAMETER_GROUP, {
        "description": ec.PARAMETER_GROUP_DESCRIPTION, "family": "redis7"}))
    new["resources"][0]["options"] = {"ignore_changes": ["description"]}
    d = diff_graphs(old, new, "test")
    assert [a.key for c in d.changes for a in c.args] == ["options.ignore_changes"]


@pytest.mark.parametrize(("named", "verdict"), [(False, "replace"), (True, "refused")])
def test_a_new_parameter_group_family(named, verdict):
    from mlinfra_compile.providers import aws_elasticache as ec

    name = {"name": "cache-params"} if named else {}
    c = change({"family": "redis7", **name}, {"family": "valkey8", **name},
               ec.PARAMETER_GROUP)
    assert c.args[0].verdict == verdict


# SNS: "By default, topics accept messages up to 256 KiB"; MaximumMessageSize 1,024 to
# 1,048,576; above 256 KiB at most 100 subscriptions (Amazon SNS Developer Guide,
# "Publishing large messages with Amazon SNS"; SetTopicAttributes).
SNS_DEFAULT, SNS_MOST, LARGE_SUBS = 262_144, 1_048_576, 100


def fanout(tmp_path, size=None, average=None, subscriptions=2):
    import json

    from tests.golden import run_cli

    (tmp_path / "environments").mkdir(exist_ok=True)
    lines = ["profile: development", "providers:", "  aws: {region: us-east-1}", "queues:",
             "  events:", "    provider: aws"]
    if size:
        lines.append(f"    max_message_size: {size}")
    if average:
        lines.append(f"    usage: {{messages_per_month: 1000000, average_message_size: {average}}}")
    lines.append("    subscriptions:")
    lines += [f"      s{i}: {{}}" for i in range(subscriptions)]
    (tmp_path / "environments" / "dev.yaml").write_text("\n".join(lines) + "\n")
    code, out, err = run_cli(tmp_path, "compile", "dev")
    topic = next((r for r in json.loads(out)["resources"] if r["type"] == "aws:sns/topic:Topic"),
                 None) if code == 0 else None
    return code, topic, err


@pytest.mark.parametrize(("size", "expected"), [
    (None, None), ("256KiB", None), ("257KiB", 257 * 1024), ("512KiB", 524_288),
    ("1MiB", SNS_MOST), ("64KiB", None),
])
def test_a_fan_out_topic_carries_what_its_queues_take(tmp_path, size, expected):
    code, topic, err = fanout(tmp_path, size)
    assert code == 0, err
    assert topic["args"].get("maximum_message_size") == expected
    if expected is not None:
        assert SNS_DEFAULT < expected <= SNS_MOST


@pytest.mark.parametrize(("size", "average", "ok"), [
    (None, "256KiB", True), (None, "300KiB", False), ("512KiB", "300KiB", True),
    ("64KiB", "100KiB", False), ("64KiB", "64KiB", True),
])
def test_a_fan_out_message_larger_than_it_carries_is_an_error(tmp_path, size, average, ok):
    code, _topic, err = fanout(tmp_path, size, average)
    assert (code == 0) == ok, err
    if not ok:
        assert "[MLC327]" in err and "average_message_size" in err


@pytest.mark.parametrize(("subs", "ok"), [(LARGE_SUBS, True), (LARGE_SUBS + 1, False)])
def test_a_large_message_topic_takes_at_most_100_subscriptions(tmp_path, subs, ok):
    code, _topic, err = fanout(tmp_path, "512KiB", subscriptions=subs)
    assert (code == 0) == ok, err
    if not ok:
        assert "[MLC311]" in err
    code, _topic, err = fanout(tmp_path, "256KiB", subscriptions=subs + 1)
    assert code == 0, err  # at the default size the 100-subscription limit does not apply


# AWS partitions, from the regionRegex of the AWS SDKs' partitions.json (@aws-sdk/core
# 3.974.15): us-iso-* aws-iso, us-isob-* aws-iso-b, eu-isoe-* aws-iso-e, us-isof-*
# aws-iso-f, eusc-de-* aws-eusc, cn-* aws-cn, us-gov-* aws-us-gov, the rest aws.
@pytest.mark.parametrize(("region", "partition"), [
    ("us-east-1", "aws"), ("eu-west-2", "aws"), ("cn-north-1", "aws-cn"),
    ("us-gov-west-1", "aws-us-gov"), ("us-iso-east-1", "aws-iso"),
    ("us-isob-east-1", "aws-iso-b"), ("eu-isoe-west-1", "aws-iso-e"),
    ("us-isof-south-1", "aws-iso-f"), ("eusc-de-east-1", "aws-eusc"),
])
def test_isolated_regions_lint_and_grant_in_their_partition(tmp_path, region, partition):
    import json

    from tests.golden import run_cli

    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(
        f"profile: development\nproviders:\n  aws: {{region: {region}}}\nqueues:\n"
        "  jobs:\n    provider: aws\n    access:\n      publishers: ['123456789012']\n")
    code, out, err = run_cli(tmp_path, "compile", "dev")
    assert code == 0, err
    policy = next(r for r in json.loads(out)["resources"]
                  if r["type"] == "aws:sqs/queuePolicy:QueuePolicy")
    text = json.dumps(policy["args"])
    assert f'"arn:{partition}:iam::123456789012:root"' in text


@pytest.mark.parametrize("principal", [
    "arn:aws-iso:iam::123456789012:role/api", "arn:aws-iso-b:iam::123456789012:role/api",
    "arn:aws-eusc:iam::123456789012:user/ci"])
def test_a_principal_of_an_isolated_partition_is_a_principal(principal):
    from mlinfra_compile.clouds import CLOUDS

    assert CLOUDS["aws"].access_problem(principal) is None
    assert CLOUDS["aws"].access_problem(principal.replace("arn:aws-", "arn:awz-")) is not None


# One region source of truth: every region a price table prices is one lint accepts
# (an error-free lint; a region where a service is not listed is a warning, MLC318).
def test_every_priced_region_is_a_region_lint_accepts():
    from mlinfra_compile import regions
    from mlinfra_compile.providers import pricing

    service = {"gcp_redis": "memorystore", "aws_elasticache": "elasticache",
               "aws_sqs": "sqs", "aws_sns": "sqs"}
    for table, svc in service.items():
        priced = {e["match"]["region"] for e in pricing.table(table)["entries"]}
        refused = {r for r in priced if regions.unknown(svc, r) is not None
                   and not regions.listed_elsewhere(svc, r)}
        assert not refused, (table, sorted(refused))
    assert {"us-central2", "us-east7", "us-west8"} <= {
        e["match"]["region"] for e in pricing.table("gcp_redis")["entries"]}


# A graph mlinfra did not write (a stack's state, an older version): sizes and counts
# that are not whole positive numbers price as nothing, never as a negative figure.
@pytest.mark.parametrize("gib", [-5, 0, 1.5, True, None])
def test_a_memorystore_size_that_is_not_a_size_has_no_price(gib):
    from mlinfra_compile.cost import estimate

    r = resource_doc("s", gcp_redis.TYPE, {"memory_size_gb": gib, "tier": "BASIC",
                                           "region": "us-central1"})
    [item] = estimate(graph_doc(r)).items
    assert item.monthly is None and item.kind == "no-price", item


@pytest.mark.parametrize("nodes", [-2, 0])
def test_an_elasticache_node_count_that_is_not_a_count_has_no_price(nodes):
    from mlinfra_compile.cost import estimate
    from mlinfra_compile.providers import aws_elasticache

    r = resource_doc("s", aws_elasticache.TYPE, {
        "node_type": "cache.t4g.micro", "engine": "redis", "num_cache_clusters": nodes,
        "region": "us-east-1"})
    [item] = estimate(graph_doc(r)).items
    assert item.monthly is None and item.kind == "no-price"


@pytest.mark.parametrize(("tier", "priced"), [("STANDARD_HA", True), ("BASIC", False)])
def test_read_replicas_are_priced_only_on_the_standard_tier(tier, priced):
    from mlinfra_compile.cost import estimate

    r = resource_doc("s", gcp_redis.TYPE, {
        "memory_size_gb": 5, "tier": tier, "region": "us-central1",
        "read_replicas_mode": "READ_REPLICAS_ENABLED", "replica_count": 2})
    [item] = estimate(graph_doc(r)).items
    assert (item.monthly is not None) == priced
    if priced:
        assert "standard M2" in item.basis and "basic" not in item.basis
    else:
        assert "need standard_ha" in item.basis


def test_every_queue_of_a_fan_out_with_usage_is_in_the_total(tmp_path):
    from tests.golden import run_cli

    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(
        "profile: development\nproviders:\n  aws: {region: us-east-1}\nqueues:\n"
        "  events:\n    provider: aws\n"
        "    usage: {messages_per_month: 1000000, average_message_size: 100KiB}\n"
        "    subscriptions:\n      a: {}\n      b: {}\n")
    code, out, err = run_cli(tmp_path, "cost", "dev", "--format", "json")
    assert code == 0, err
    import json

    doc = json.loads(out)
    monthly = {i["name"]: i["monthly"] for i in doc["resources"]}
    # 1,000,000 messages of 100 KiB are 2 chunks of 64 KiB each (aws.amazon.com/sqs/pricing,
    # "Each 64 KB chunk of a payload is billed as 1 request"), send + receive + delete:
    # 6,000,000 requests at $0.40 a million = $2.40 a queue; publishing 2,000,000 requests
    # at $0.50 a million (aws.amazon.com/sns/pricing) = $1.00.
    assert monthly["events-a"] == monthly["events-b"] == 2.40
    assert monthly["events"] == 1.00
    assert doc["total_monthly"] == 5.80


# ElastiCache node types botocore lists besides the Graviton families, with their
# maxmemory in bytes from the "node-type specific parameters" tables of the ElastiCache
# User Guide (r4, m4, t2 also in awsdocs/amazon-elasticache-docs ParameterGroups.Redis.md).
MAXMEMORY = {"cache.r5.large": 14037181030, "cache.r5.24xlarge": 682485973811,
             "cache.m5.large": 6854542746, "cache.m5.12xlarge": 168715971994,
             "cache.r4.large": 13201781556, "cache.r4.16xlarge": 437021573120,
             "cache.m4.large": 6892593152, "cache.m4.10xlarge": 166047614239,
             "cache.t2.micro": 581959680, "cache.t2.medium": 3461349376}


@pytest.mark.parametrize("node", sorted(MAXMEMORY))
def test_earlier_generation_node_types_are_declared_and_priced(tmp_path, node):
    import json

    from mlinfra_compile.providers import aws_elasticache as ec
    from tests.golden import run_cli

    assert ec.KNOWN_NODE_TYPES[node] == round(MAXMEMORY[node] / 2**30, 2)
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(
        "profile: development\nproviders:\n  aws: {region: us-east-1}\nsession_stores:\n"
        f"  cache:\n    provider: aws\n    node_type: {node}\n")
    code, out, err = run_cli(tmp_path, "cost", "dev", "--format", "json")
    assert code == 0, err
    item = next(r for r in json.loads(out)["resources"] if r["name"] == "cache")
    assert item["monthly"] is not None and node in item["basis"]


# Prices by region, worked by hand from the figures of the sources the tables cite:
# the AWS pricing page's ElastiCache metered unit map of 2025-03-14 (as committed in
# yeo/ec2.shop data/elasticache/elasticache.json at 73696e38), EU (Ireland):
# "cache t4g.micro Valkey ... 0.0136000000", "cache t4g.medium Redis ... 0.0680000000";
# the SQS price list of 2026-09-04: $0.40 a million standard requests in eu-central-1.
def test_prices_outside_us_east_1_worked_by_hand(tmp_path):
    import json

    from tests.golden import run_cli

    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(
        "profile: development\nproviders:\n  aws: {region: eu-west-1}\nsession_stores:\n"
        "  small:\n    engine: valkey\n    node_type: cache.t4g.micro\n"
        "  medium:\n    node_type: cache.t4g.medium\n    tier: standard_ha\n"
        "queues:\n  jobs:\n    region: eu-central-1\n"
        "    usage: {messages_per_month: 2000000, average_message_size: 1KiB}\n"
        "  events:\n    region: us-east-2\n    subscriptions: {a: {}}\n")
    code, out, err = run_cli(tmp_path, "cost", "dev", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    monthly = {r["name"]: r["monthly"] for r in doc["resources"]}
    assert monthly["small"] == round(1 * 730 * 0.0136, 2) == 9.93
    assert monthly["medium"] == round(2 * 730 * 0.068, 2) == 99.28
    assert monthly["jobs"] == round(2_000_000 * 3 / 1e6 * 0.40, 2) == 2.40
    # no SNS price was found for us-east-2: said, never guessed
    assert monthly["events"] is None
    assert "no price" in next(r["basis"] for r in doc["resources"] if r["name"] == "events")
    # the estimate is dated by the oldest figure it used (ElastiCache's, 2025-03-14)
    assert doc["prices"]["date"] == "2025-03-14"


# Domain-scoped projects: a project id of the form `example.com:my-project` ("Creating and
# managing projects", Project ID); keys and networks under such a project are paths too.
@pytest.mark.parametrize(("project", "ok"), [
    ("example.com:ml-prod", True), ("ml-prod", True), ("Example.com:ml-prod", False),
    (":ml-prod", False), ("example.com:1ml", False)])
def test_domain_scoped_project_ids(tmp_path, project, ok):
    from tests.golden import run_cli

    (tmp_path / "environments").mkdir()
    key = f"projects/{project}/locations/us-central1/keyRings/ml/cryptoKeys/sessions"
    (tmp_path / "environments" / "dev.yaml").write_text(
        f"profile: development\nproviders:\n  gcp:\n    project: '{project}'\n"
        "    region: us-central1\n    project_number: 123456789012\n"
        f"    network: 'projects/{project}/global/networks/ml'\n"
        f"session_stores:\n  cache:\n    encryption: 'kms:{key}'\n")
    code, _out, err = run_cli(tmp_path, "compile", "dev")
    assert (code == 0) == ok, err


# --- each distinct check its own code (issue 29): the codes split off MLC304 and MLC115 --

def test_a_file_name_that_is_no_environment_name_is_its_own_code(tmp_path):
    from tests.golden import run_cli

    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "Prod.yaml").write_text(
        "providers: {aws: {region: us-east-1}}\n")
    code, out, _err = run_cli(tmp_path, "lint")
    assert code == 1 and "[MLC329]" in out and "[MLC304]" not in out, out
    (tmp_path / "environments" / "Prod.yaml").rename(tmp_path / "environments" / "prod.yaml")
    (tmp_path / "environments" / "prod.yaml").write_text(
        "environment: staging\nproviders: {aws: {region: us-east-1}}\n")
    code, out, _err = run_cli(tmp_path, "lint")
    assert code == 1 and "[MLC304]" in out and "[MLC329]" not in out, out


def test_too_many_links_in_a_row_at_a_git_ref_is_its_own_code(tmp_path):
    import os
    import subprocess

    from mlinfra_compile.gitref import MAX_LINKS, GitWorkspace

    env = tmp_path / "environments"
    env.mkdir()
    (env / "real.yaml").write_text("providers: {aws: {region: us-east-1}}\n")
    target = "real.yaml"
    for i in range(MAX_LINKS + 1):  # main.yaml -> l8 -> ... -> l0 -> real.yaml
        os.symlink(target, env / f"l{i}.yaml")
        target = f"l{i}.yaml"
    os.symlink(target, env / "main.yaml")
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    ws = GitWorkspace(str(tmp_path), "HEAD")
    loaded = ws.read(str(env / "main.yaml"))
    codes = [d.code for d in loaded.diagnostics]
    assert codes == ["MLC119"], codes
    loaded = ws.read(str(env / "l0.yaml"))  # one link: followed
    assert not loaded.diagnostics
