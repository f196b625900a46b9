"""Change safety: replacement rules, renames, refusal in production, review output."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from mlinfra_compile.diff import STATEFUL, diff_graphs
from mlinfra_compile.providers import aws_elasticache, aws_sqs, gcp_pubsub, gcp_redis
from tests.golden import (
    COST_EXAMPLE,
    DIFF_EXAMPLE,
    REPO,
    cost_markdown_example,
    diff_markdown_example,
    edit,
    git,
    graph_doc,
    resource_doc,
    run_cli,
)

graph, res = graph_doc, resource_doc


def change(old_args, new_args, rtype):
    d = diff_graphs(graph(res("thing", rtype, old_args)), graph(res("thing", rtype, new_args)),
                    "test")
    return d.changes[0] if d.changes else None


@pytest.mark.parametrize(("rtype", "key", "old", "new"), [
    (gcp_redis.TYPE, "memory_size_gb", 1, 2),
    (gcp_redis.TYPE, "auth_enabled", False, True),
    (gcp_redis.TYPE, "labels", {"a": "1"}, {"a": "2"}),
    (gcp_redis.TYPE, "redis_configs", {}, {"maxmemory-policy": "allkeys-lru"}),
    (gcp_redis.TYPE, "persistence_config", {"persistence_mode": "DISABLED"},
     {"persistence_mode": "RDB", "rdb_snapshot_period": "ONE_HOUR"}),
    (gcp_redis.TYPE, "replica_count", 1, 3),
    (gcp_redis.TYPE, "redis_version", "REDIS_6_X", "REDIS_7_2"),
    (aws_sqs.TYPE, "delay_seconds", 0, 90),
    (aws_sqs.TYPE, "message_retention_seconds", 345600, 86400),
    (aws_sqs.TYPE, "redrive_policy", {"$json": {"maxReceiveCount": 5}},
     {"$json": {"maxReceiveCount": 3}}),
    (gcp_pubsub.SUBSCRIPTION, "ack_deadline_seconds", 10, 60),
    (gcp_pubsub.TOPIC, "labels", {}, {"team": "ml"}),
    (aws_elasticache.TYPE, "node_type", "cache.t4g.small", "cache.r7g.large"),
    (aws_elasticache.TYPE, "engine_version", "7.0", "7.1"),
    (aws_elasticache.TYPE, "engine", "redis", "valkey"),
    (aws_elasticache.TYPE, "snapshot_retention_limit", 0, 7),
    (aws_elasticache.PARAMETER_GROUP, "parameters", [], [{"name": "x", "value": "y"}]),
])
def test_in_place_updates(rtype, key, old, new):
    c = change({key: old}, {key: new}, rtype)
    assert c.action == "update" and not c.args[0].replace


@pytest.mark.parametrize(("rtype", "key", "old", "new", "extra", "verdict"), [
    # magic-modules isRedisVersionDecreasing: numbered downgrades replace ...
    (gcp_redis.TYPE, "redis_version", "REDIS_7_2", "REDIS_7_0", {}, "replace"),
    # ... REDIS_6_X does not parse, so the provider sends an update the API refuses
    (gcp_redis.TYPE, "redis_version", "REDIS_7_0", "REDIS_6_X", {}, "refused"),
    (gcp_redis.TYPE, "redis_version", "REDIS_7_2", "REDIS_6_X", {}, "refused"),
    (gcp_redis.TYPE, "read_replicas_mode", "READ_REPLICAS_DISABLED", "READ_REPLICAS_ENABLED",
     {}, "update"),
    (gcp_redis.TYPE, "read_replicas_mode", None, "READ_REPLICAS_ENABLED", {}, "update"),
    (gcp_redis.TYPE, "read_replicas_mode", "READ_REPLICAS_ENABLED", "READ_REPLICAS_DISABLED",
     {}, "refused"),
    (gcp_redis.TYPE, "read_replicas_mode", "READ_REPLICAS_ENABLED", None, {}, "refused"),
    (aws_elasticache.TYPE, "engine_version", "7.1", "6.2", {}, "replace"),
    (aws_elasticache.TYPE, "engine_version", "7.0", "7.1", {}, "update"),
    (aws_elasticache.TYPE, "engine", "valkey", "redis", {}, "replace"),
    (aws_elasticache.TYPE, "engine", "redis", "valkey", {}, "refused"),  # same version
    (aws_elasticache.TYPE, "transit_encryption_enabled", False, True,
     {"engine_version": "6.2"}, "replace"),
    (aws_elasticache.TYPE, "transit_encryption_enabled", False, True,
     {"engine_version": "7.1", "transit_encryption_mode": "required"}, "refused"),
    (aws_elasticache.TYPE, "transit_encryption_enabled", False, True,
     {"engine_version": "7.1", "transit_encryption_mode": "preferred"}, "update"),
    (aws_elasticache.TYPE, "transit_encryption_enabled", True, False,
     {"engine_version": "7.1", "transit_encryption_mode": "preferred"}, "update"),
])
def test_conditional_verdicts(rtype, key, old, new, extra, verdict):
    c = change({key: old, **extra}, {key: new, **extra}, rtype)
    assert [(a.key, a.verdict) for a in c.args] == [(key, verdict)], c
    assert c.action == ("replace" if verdict == "replace" else "update")


def test_redis_to_valkey_with_a_valkey_version_is_in_place():
    c = change({"engine": "redis", "engine_version": "7.1"},
               {"engine": "valkey", "engine_version": "8.0"}, aws_elasticache.TYPE)
    assert c.action == "update" and {a.verdict for a in c.args} == {"update"}


def test_tls_off_from_required_is_refused_with_the_way_out():
    c = change({"transit_encryption_enabled": True, "engine_version": "7.1",
                "transit_encryption_mode": "required"},
               {"transit_encryption_enabled": False, "engine_version": "7.1"},
               aws_elasticache.TYPE)
    (a,) = [a for a in c.args if a.key == "transit_encryption_enabled"]
    assert a.verdict == "refused" and "tls: preferred" in a.why

def test_replacement_propagates_along_references():
    topic_old = res("jobs", gcp_pubsub.TOPIC, {"name": "a"})
    topic_new = res("jobs", gcp_pubsub.TOPIC, {"name": "b"})
    sub = res("jobs-sub", gcp_pubsub.SUBSCRIPTION, {"topic": {"$ref": "jobs", "attr": "name"}})
    grant = res("jobs-sub-subscriber", gcp_pubsub.SUBSCRIPTION_IAM,
                {"subscription": {"$ref": "jobs-sub", "attr": "name"}, "role": "r"})
    other = res("other", gcp_pubsub.SUBSCRIPTION,
                {"dead_letter_policy": {"dead_letter_topic": {"$ref": "jobs", "attr": "id"}}})
    d = diff_graphs(graph(topic_old, sub, grant, other), graph(topic_new, sub, grant, other), "t")
    actions = {c.name: c.action for c in d.changes}
    assert actions == {"jobs": "replace", "jobs-sub": "replace",
                       "jobs-sub-subscriber": "replace", "other": "update"}
    assert "replaced resource" in d.changes[1].args[0].why


def test_deletion_of_stateful_resources_is_refused_only_in_production():
    old = graph(res("jobs", aws_sqs.TYPE, {}), res("grant", gcp_pubsub.TOPIC_IAM, {}))
    d = diff_graphs(old, graph(), "t")
    assert [c.name for c in d.unsafe(set())] == ["jobs"]  # the IAM member holds no data
    assert d.unsafe({"jobs"}) == []
    dev = diff_graphs({**old, "profile": "development"}, graph(profile="development"), "t")
    assert dev.unsafe(set()) == []


def test_aliases_turn_a_rename_into_an_update():
    old = graph(res("old-jobs", aws_sqs.TYPE, {"delay_seconds": 0}))
    new = graph(res("jobs", aws_sqs.TYPE, {"delay_seconds": 0}, aliases=["old-jobs"]))
    d = diff_graphs(old, new, "t")
    assert [(c.name, c.action, c.renamed_from) for c in d.changes] == \
        [("jobs", "update", "old-jobs")]
    assert d.unsafe(set()) == []


def test_stateful_types():
    # the types that hold data, written out: a store, a queue, a topic, a subscription
    assert {gcp_redis.TYPE, aws_elasticache.TYPE, aws_sqs.TYPE, gcp_pubsub.TOPIC,
            gcp_pubsub.SUBSCRIPTION, "aws:elasticache/serverlessCache:ServerlessCache"} \
        <= STATEFUL
    from mlinfra_compile.providers import MODULES

    assert {t for s in MODULES for t in s.STATEFUL} == STATEFUL
    assert not any("Policy" in t or "IAM" in t for t in STATEFUL)  # configuration


# --- end to end, with git -------------------------------------------------------------

# git is required (make test's machines have it): without it these fail, never skip.




PROD_BASIC = ("labels:\n  criticality: high\n",
              "labels:\n  criticality: high\nwaivers:\n  - {rule: MLC501, resource: "
              "ml-session-storage, reason: \"single zone until the HA budget lands\"}\n")


def test_tier_change_in_production_is_refused_then_allowed(repo_git):
    edit(repo_git, "prod.yaml", *PROD_BASIC)
    edit(repo_git, "prod.yaml", "    tier: standard_ha", "    tier: basic")
    git(repo_git, "commit", "-qam", "basic")
    edit(repo_git, "prod.yaml", "    tier: basic", "    tier: standard_ha")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 3
    assert '-/+ ml-session-storage  gcp:redis/instance:Instance  REPLACE' in out
    assert 'tier: "BASIC" -> "STANDARD_HA"  REPLACE: forces replacement' in out
    assert "refused: prod is a production environment and this would replace " \
           "ml-session-storage (tier: forces replacement)" in out
    rc, out, _ = run_cli(repo_git, "diff", "prod", "--allow-replace", "ml-session-storage")
    assert rc == 0 and "refused" not in out


def test_resizing_a_basic_store_in_production_keeps_its_data(repo_git):
    """Issue 26 (8f) asked for a data-loss refusal here, after the old Memorystore page
    ("Scaling a Basic Tier instance": flushed after a resize). The page today says "Data
    is preserved during scaling for both Basic and Standard Tier instances"
    (cloud.google.com/memorystore/docs/redis/about-scaling-instances): in place, nothing
    refused. (A guard, not a fix: it passed before.)"""
    edit(repo_git, "prod.yaml", *PROD_BASIC)
    edit(repo_git, "prod.yaml", "    tier: standard_ha", "    tier: basic")
    git(repo_git, "commit", "-qam", "basic")
    text = (repo_git / "environments" / "prod.yaml").read_text()
    assert "    memory: 1GiB\n" in text
    edit(repo_git, "prod.yaml", "    memory: 1GiB\n", "    memory: 2GiB\n")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 0, out
    assert "memory_size_gb: 1 -> 2  in place\n" in out and "refused" not in out


def test_rename_with_previous_names_is_an_update(repo_git):
    for f in ("_base.yaml", "dev.yaml", "prod.yaml"):
        edit(repo_git, f, "  ml-training-queue:", "  training-jobs:")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 3 and "DELETE" in out
    assert "hint: if ml-training-queue was renamed to training-jobs, add `previous_names: " \
           "[ml-training-queue]`" in out
    edit(repo_git, "_base.yaml", "  training-jobs:\n",
         "  training-jobs:\n    previous_names: [ml-training-queue]\n")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 0
    assert "~ training-jobs  aws:sqs/queue:Queue  update (renamed from ml-training-queue" in out
    assert "REPLACE" not in out and "DELETE" not in out


def test_baseline_reads_the_whole_extends_chain_at_the_ref(repo_git):
    edit(repo_git, "_base.yaml", "    delay: 90s", "    delay: 120s")
    rc, out, _ = run_cli(repo_git, "diff", "dev")
    assert rc == 0
    assert "delay_seconds: 90 -> 120  in place" in out
    assert "1 to update in place" in out


def test_replacements_in_development_are_reported_not_refused(repo_git):
    edit(repo_git, "dev.yaml", "    retention: 1h\n", "    retention: 1h\n    fifo: true\n")
    rc, out, _ = run_cli(repo_git, "diff", "dev")
    assert rc == 0
    assert "fifo_queue: false -> true  REPLACE: forces replacement" in out


def test_a_new_environment_is_all_creates(repo_git):
    (repo_git / "environments" / "qa.yaml").write_text("extends: _base\nproviders:\n  gcp: "
                                                       "{project: acme-ml-qa}\n")
    rc, out, _ = run_cli(repo_git, "diff", "qa")
    assert rc == 0 and "4 to create" in out


def test_bad_ref_is_a_usage_error(repo_git):
    rc, _, err = run_cli(repo_git, "diff", "prod", "--against", "no-such-ref")
    assert rc == 2 and "'no-such-ref' is not a commit" in err


def test_diff_markdown_golden():
    code, out = diff_markdown_example()
    assert code == 3
    assert out == DIFF_EXAMPLE.read_text(), "run `make golden` and review the diff"
    assert "**REPLACE**: forces replacement" in out and "in place" in out


def test_doubling_a_stores_memory_shows_as_a_monthly_increase():
    code, out = cost_markdown_example()
    assert code == 0
    assert out == COST_EXAMPLE.read_text(), "run `make golden` and review the diff"
    # us-central1 Standard M1: $0.064 per GiB-hour x 730 h, once, then twice
    assert "| `ml-session-storage` | \\$46.72 | \\$93.44 | +\\$46.72 |" in out
    # 5,000,000 messages x 3 requests x $0.40 per million
    assert "| `ml-training-queue` | usage-based | \\$6.00 | not known |" in out


def test_graph_pictures_render_with_graphviz_when_installed(tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("graphviz is not installed")
    src = REPO / "tests" / "golden" / "graph-prod.dot"
    out = tmp_path / "prod.svg"
    subprocess.run(["dot", "-Tsvg", str(src), "-o", str(out)], check=True)
    assert "<svg" in out.read_text()


def test_graph_edges_follow_references():
    rc, out, _ = run_cli(REPO, "graph", "prod", "--format", "dot")
    assert rc == 0
    assert '"ml-training-trainers" -> "ml-training" [label="topic: name"];' in out
    assert '"ml-training-queue" -> "ml-training-queue-dlq" [label="redrive_policy: arn"];' in out
    rc, out, _ = run_cli(REPO, "graph", "prod")
    assert out.startswith("flowchart LR\n")
    assert '-->|"topic: name"|' in out


def test_plan_markdown_lists_waivers():
    rc, out, _ = run_cli(REPO, "plan", "staging", "--format", "markdown")
    assert rc == 0
    assert "**Waivers**" in out and "MLC505 for `ml-training`" in out


def test_a_baseline_that_does_not_compile_is_reported(repo_git):
    edit(repo_git, "dev.yaml", "    retention: 1h", "    retention: 1s")
    git(repo_git, "commit", "-qam", "broken")
    edit(repo_git, "dev.yaml", "    retention: 1s", "    retention: 1h")
    rc, out, err = run_cli(repo_git, "diff", "dev")
    assert rc == 1 and out == ""
    assert "HEAD:environments/dev.yaml:14:5: error: queues.ml-training-queue.retention: 1s " \
           "is below the SQS minimum of 60s [MLC204]" in err
    assert "dev at HEAD does not compile" in err


def test_outside_a_git_repository_diff_is_a_usage_error(tmp_path):
    shutil.copytree(REPO / "environments", tmp_path / "environments")
    rc, _, err = run_cli(tmp_path, "diff", "dev")
    assert rc == 2 and "is not a commit" in err and "Traceback" not in err


# --- the verdicts where data is lost (issue: change safety you can trust) -------------

def test_production_aws_region_move_replaces_every_aws_resource(repo_git):
    edit(repo_git, "_base.yaml", "  aws:\n    region: us-east-1", "  aws:\n    region: us-west-2")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 3
    for name in ("ml-training-queue", "ml-training-queue-dlq"):
        assert f"-/+ {name}  aws:sqs/queue:Queue  REPLACE" in out
        assert f"refused: prod is a production environment and this would replace {name} " \
               "(region: a resource in another region is a new resource)" in out
    assert 'region: "us-east-1" -> "us-west-2"  REPLACE' in out
    # and their production TLS-deny policies (issue 27), which hold no data: not refused
    for name in ("ml-training-queue-policy", "ml-training-queue-dlq-policy"):
        assert f"-/+ {name}  aws:sqs/queuePolicy:QueuePolicy  REPLACE" in out
        assert f"would replace {name} " not in out
    assert "0 to create, 0 to update in place, 4 to replace, 0 to delete" in out


def test_production_gcp_project_move_replaces_every_gcp_resource(repo_git):
    edit(repo_git, "prod.yaml", "project: acme-ml-prod", "project: acme-ml-prod2")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 3
    gcp = [line for line in out.splitlines() if "  gcp:" in line]
    assert len(gcp) == 9 and all(line.startswith("-/+ ") for line in gcp), out
    assert "0 to create, 0 to update in place, 9 to replace, 0 to delete" in out


def test_memorystore_read_replicas_are_enabled_in_place(repo_git):
    edit(repo_git, "prod.yaml", "    memory: 1GiB", "    memory: 5GiB")
    git(repo_git, "commit", "-qam", "5GiB")
    edit(repo_git, "prod.yaml", "    memory: 5GiB", "    memory: 5GiB\n    replicas: 2")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 0, out
    assert "~ ml-session-storage  gcp:redis/instance:Instance  update" in out
    assert 'read_replicas_mode: (unset) -> "READ_REPLICAS_ENABLED"  in place' in out
    assert 'secondary_ip_range: (unset) -> "auto"  in place' in out
    assert "replica_count: (unset) -> 2  in place" in out
    # ... and cannot be turned off again: refused in every profile, with the way out
    git(repo_git, "commit", "-qam", "replicas")
    edit(repo_git, "prod.yaml", "    replicas: 2", "    replicas: 0")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 3
    assert "REFUSED: Memorystore cannot turn read replicas off" in out
    assert "declare a new store" in out and "[MLC603]" in out
    rc, out, _ = run_cli(repo_git, "diff", "prod", "--allow-replace", "ml-session-storage")
    assert rc == 3  # --allow-replace cannot make the API accept it


def test_memorystore_downgrade_to_6_x_is_refused_not_replaced(repo_git):
    edit(repo_git, "prod.yaml", "    memory: 1GiB", "    memory: 1GiB\n    version: '7.0'")
    git(repo_git, "commit", "-qam", "7.0")
    edit(repo_git, "prod.yaml", "    version: '7.0'", "    version: 6.x")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 3
    assert 'redis_version: "REDIS_7_0" -> "REDIS_6_X"  REFUSED: Memorystore cannot ' \
           "downgrade" in out
    assert "-/+ ml-session-storage" not in out


ELASTICACHE_PROD = """\
profile: production
providers:
  aws: {region: us-east-1, subnet_ids: [subnet-0a1b2c3d]}
session_stores:
  cache:
    version: '6.x'
    tls: false
    auth: false
waivers:
  - {rule: MLC503, resource: cache, reason: "clients move to TLS this quarter"}
  - {rule: MLC502, resource: cache, reason: "AUTH needs TLS first"}
"""


@pytest.fixture
def elasticache_git(tmp_path):
    root = tmp_path / "repo"
    (root / "environments").mkdir(parents=True)
    (root / "environments" / "prod.yaml").write_text(ELASTICACHE_PROD)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def test_elasticache_upgrade_and_tls_in_one_change_is_a_replacement(elasticache_git):
    edit(elasticache_git, "prod.yaml", "    version: '6.x'\n    tls: false\n",
         "    version: '7.1'\n")
    rc, out, _ = run_cli(elasticache_git, "diff", "prod")
    assert rc == 3, out
    assert "transit_encryption_enabled: false -> true  REPLACE: the group runs engine 6.2" \
        in out
    assert "refused: prod is a production environment and this would replace cache" in out


def test_elasticache_tls_on_a_running_7_1_group_goes_through_preferred(elasticache_git):
    edit(elasticache_git, "prod.yaml", "    version: '6.x'", "    version: '7.1'")
    git(elasticache_git, "commit", "-qam", "7.1")
    edit(elasticache_git, "prod.yaml", "    tls: false\n", "")
    rc, out, _ = run_cli(elasticache_git, "diff", "prod")
    assert rc == 3, out
    assert "REFUSED: ElastiCache turns transit encryption on for a running group only " \
           "with transit_encryption_mode preferred: set `tls: preferred`" in out
    edit(elasticache_git, "prod.yaml", "    version: '7.1'\n",
         "    version: '7.1'\n    tls: preferred\n")
    edit(elasticache_git, "prod.yaml", "resource: cache, reason",
         "resource: cache, reason")  # MLC503 still waived: preferred accepts plain text
    rc, out, _ = run_cli(elasticache_git, "diff", "prod")
    assert rc == 0, out
    assert "transit_encryption_enabled: false -> true  in place, at the next maintenance " \
           "window" in out
    assert 'transit_encryption_mode: (unset) -> "preferred"  in place' in out
    assert "(waits for the maintenance window)" in out
    git(elasticache_git, "commit", "-qam", "preferred")
    edit(elasticache_git, "prod.yaml", "    tls: preferred\n", "    tls: true\n")
    rc, out, _ = run_cli(elasticache_git, "diff", "prod")
    assert 'transit_encryption_mode: "preferred" -> "required"  in place' in out


def test_deferred_changes_follow_apply(elasticache_git):
    edit(elasticache_git, "prod.yaml", "    tls: false\n", "    tls: false\n    memory: 1GiB\n")
    git(elasticache_git, "commit", "-qam", "1GiB")
    edit(elasticache_git, "prod.yaml", "    memory: 1GiB", "    memory: 8GiB")
    rc, out, _ = run_cli(elasticache_git, "diff", "prod")
    assert rc == 0
    assert "~ cache  aws:elasticache/replicationGroup:ReplicationGroup  update (waits for " \
           "the maintenance window)" in out
    assert 'node_type: "cache.t4g.small" -> "cache.r7g.large"  in place, at the next ' \
           "maintenance window (apply: maintenance_window)" in out
    edit(elasticache_git, "prod.yaml", "    memory: 8GiB",
         "    memory: 8GiB\n    apply: immediately")
    rc, out, _ = run_cli(elasticache_git, "diff", "prod")
    assert 'node_type: "cache.t4g.small" -> "cache.r7g.large"  in place\n' in out
    assert "apply_immediately: false -> true  in place\n" in out
    rc, out, _ = run_cli(elasticache_git, "diff", "prod", "--format", "markdown")
    assert "| in place |" in out


def test_tls_preferred_in_production_is_still_mlc503(tmp_path):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "prod.yaml").write_text(
        "profile: production\nproviders:\n  aws: {region: us-east-1}\nsession_stores:\n"
        "  cache: {tls: preferred}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert "(tls: preferred still accepts plain-text clients); to accept it" in out


def test_a_renamed_suffix_still_compares_with_the_old_file(repo_git):
    git(repo_git, "mv", "environments/prod.yaml", "environments/prod.yml")
    text = (repo_git / "environments" / "prod.yml").read_text()
    start = text.index("  ml-session-storage:\n")
    end = text.index("\nqueues:")
    (repo_git / "environments" / "prod.yml").write_text(
        text[:start] + "  ml-session-storage: null\n" + text[end:])
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 3, out
    assert "diff prod: environments/prod.yaml at HEAD -> working tree" in out
    assert "  - ml-session-storage  gcp:redis/instance:Instance  DELETE" in out


def test_against_git_a_deferred_upgrade_is_a_caveat_on_tls():
    base = {"engine_version": "7.1", "apply_immediately": False}
    c = change({**base, "transit_encryption_enabled": False},
               {**base, "transit_encryption_enabled": True,
                "transit_encryption_mode": "preferred"}, aws_elasticache.TYPE)
    (a,) = [a for a in c.args if a.key == "transit_encryption_enabled"]
    assert a.verdict == "update" and "an upgrade still waiting for the maintenance " \
        "window makes it a replacement" in a.why


def test_transit_mode_needs_a_running_7_0_5():
    c = change({"engine_version": "6.2", "transit_encryption_enabled": True},
               {"engine_version": "7.1", "transit_encryption_enabled": True,
                "transit_encryption_mode": "preferred"}, aws_elasticache.TYPE)
    (a,) = [a for a in c.args if a.key == "transit_encryption_mode"]
    assert a.verdict == "refused" and "upgrade first" in a.why
    c = change({"engine_version": "6.2", "transit_encryption_enabled": True},
               {"engine_version": "7.1", "transit_encryption_enabled": True,
                "transit_encryption_mode": "required"}, aws_elasticache.TYPE)
    (a,) = [a for a in c.args if a.key == "transit_encryption_mode"]
    assert a.verdict == "update" and "already required" in a.why


def test_the_summary_counts_refusals_and_unknowns_read_as_words():
    from mlinfra_compile.difftext import diff_text

    old = graph(res("cache", gcp_redis.TYPE, {"read_replicas_mode": "READ_REPLICAS_ENABLED"}),
                res("q-dlq", aws_sqs.TYPE, {"name": "a"}),
                res("q", aws_sqs.TYPE, {"redrive_policy": {"$json": {
                    "deadLetterTargetArn": {"$ref": "q-dlq", "attr": "arn"}}}}))
    new = graph(res("cache", gcp_redis.TYPE, {"read_replicas_mode": "READ_REPLICAS_DISABLED"}),
                res("q-dlq", aws_sqs.TYPE, {"name": "b"}),
                res("q", aws_sqs.TYPE, {"redrive_policy": {"$json": {
                    "deadLetterTargetArn": {"$ref": "q-dlq", "attr": "arn"}}}}))
    text = diff_text(diff_graphs(old, new, "t"), set())
    assert "; 1 refused by the provider" in text
    assert "json({deadLetterTargetArn: (known after the replacement)})" in text
    assert "$unknown" not in text


def test_tls_preferred_on_memorystore_is_one_clear_error(tmp_path):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "prod.yaml").write_text(
        "profile: production\nproviders:\n  gcp: {project: acme-ml-test, region: "
        "us-central1}\nsession_stores:\n  cache: {tls: preferred}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and "[MLC203]" in out and "[MLC503]" not in out


def test_fixed_names_are_deleted_before_they_are_replaced():
    import json as _json

    from mlinfra_compile.providers import NAME_ARGS

    _, out, _ = run_cli(REPO, "compile", "staging")  # name_template: fixed names
    named = [r for r in _json.loads(out)["resources"] if r["type"] in NAME_ARGS]
    assert len(named) > 5
    assert all(r["options"].get("delete_before_replace") is True for r in named)
    _, out, _ = run_cli(REPO, "compile", "dev")  # Pulumi auto-names: create first
    assert all("delete_before_replace" not in r["options"]
               for r in _json.loads(out)["resources"])
