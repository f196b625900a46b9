"""Resolve: extends as JSON Merge Patch with origins, defaults by profile, providers."""

from __future__ import annotations

import json

from mlinfra_compile.resolve import Workspace, compile_environment

BASE = """\
providers:
  gcp: {project: acme-ml-test, region: us-central1}
  aws: {region: us-east-1}
default_provider: gcp
labels: {team: ml, drop: me}
session_stores:
  cache: {memory: 2GiB, tier: standard_ha}
  gone: {}
queues:
  jobs: {provider: aws, delay: 10s, retention: 2d}
"""


def compiled(repo, name="main"):
    ws = Workspace(str(repo.root))
    return compile_environment(ws, str(repo.root / "environments" / f"{name}.yaml"))


def test_merge_patch_semantics_and_origins(repo):
    repo.write("_base.yaml", BASE)
    repo.write("main.yaml", """\
        extends: _base
        labels: {drop: null}
        session_stores:
          gone: null
          cache: {memory: 3GiB}
        queues:
          jobs: {delay: null}
        """)
    c = compiled(repo)
    assert c.graph is not None, c.diagnostics
    res = c.graph.by_name()
    assert sorted(res) == ["cache", "jobs"]  # `gone` removed by null
    cache = res["cache"]
    assert cache.args["memory_size_gb"] == 3
    assert cache.origins["memory_size_gb"].kind == "set"
    assert cache.origins["memory_size_gb"].file == "environments/main.yaml"
    assert cache.args["tier"] == "STANDARD_HA"
    assert cache.origins["tier"].kind == "inherited"
    assert cache.origins["tier"].where == "environments/_base.yaml:7:25"
    assert cache.origins["redis_version"].kind == "default"
    assert cache.args["labels"] == {"environment": "main", "managed-by": "mlinfra", "team": "ml"}
    jobs = res["jobs"]
    assert jobs.args["delay_seconds"] == 0  # the inherited 10s was removed: default again
    assert jobs.origins["delay_seconds"].kind == "default"
    assert jobs.args["message_retention_seconds"] == 172800


def test_a_mapping_replacing_a_scalar_and_back(repo):
    repo.write("_base.yaml", BASE.replace("{provider: aws, delay: 10s, retention: 2d}",
                                          "{provider: aws, dead_letter: true}"))
    repo.write("main.yaml", "extends: _base\nqueues:\n  jobs: {dead_letter: {max_receives: 9}}\n")
    c = compiled(repo)
    redrive = c.graph.by_name()["jobs"].args["redrive_policy"]
    assert redrive["$json"]["maxReceiveCount"] == 9


def test_profiles_select_defaults(repo):
    repo.write("dev.yaml", "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                           "session_stores:\n  cache: {}\n")
    repo.write("prod.yaml", "profile: production\nproviders:\n  gcp: {project: acme-ml-test, "
                            "region: us-central1, network: ml}\nsession_stores:\n  cache: {}\n")
    dev = compiled(repo, "dev").graph.by_name()["cache"]
    prod = compiled(repo, "prod").graph.by_name()["cache"]
    assert (dev.args["tier"], prod.args["tier"]) == ("BASIC", "STANDARD_HA")
    assert (dev.args["auth_enabled"], prod.args["auth_enabled"]) == (False, True)
    assert (dev.options, prod.options) == ({"protect": False}, {"protect": True})
    assert prod.args["persistence_config"] == {"persistence_mode": "RDB",
                                               "rdb_snapshot_period": "ONE_HOUR"}
    assert prod.args["transit_encryption_mode"] == "SERVER_AUTHENTICATION"


def test_a_set_value_beats_the_profile_default(repo):
    repo.write("prod.yaml", """\
        profile: production
        providers: {gcp: {project: acme-ml-test, region: us-central1, network: ml}}
        waivers:
          - {rule: MLC501, resource: cache, reason: "a cache, rebuilt in a minute"}
          - {rule: MLC504, resource: cache, reason: "recreated by every deploy anyway"}
        session_stores:
          cache: {tier: basic, protect: false}
        """)
    c = compiled(repo, "prod")
    assert [w.used for w in c.waivers] == [True, True]
    r = c.graph.by_name()["cache"]
    assert r.args["tier"] == "BASIC" and r.options == {"protect": False}


def test_subscriptions_inherit_queue_fields_and_may_override(repo):
    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test, project_number: "42424242"}}
        queues:
          jobs:
            visibility_timeout: 60s
            dead_letter: {max_receives: 7}
            subscriptions:
              a: {}
              b: {visibility_timeout: 20s, dead_letter: false}
        """)
    g = compiled(repo).graph.by_name()
    assert g["jobs-a"].args["ack_deadline_seconds"] == 60
    assert g["jobs-a"].origins["ack_deadline_seconds"].where == "environments/main.yaml:4:5"
    assert g["jobs-b"].args["ack_deadline_seconds"] == 20
    assert g["jobs-a"].args["dead_letter_policy"] == {
        "dead_letter_topic": {"$ref": "jobs-dlq", "attr": "id"}, "max_delivery_attempts": 7}
    assert "dead_letter_policy" not in g["jobs-b"].args
    assert "jobs-a-subscriber" in g and "jobs-b-subscriber" not in g
    assert g["jobs-dlq-publisher"].args["member"] == \
        "serviceAccount:service-42424242@gcp-sa-pubsub.iam.gserviceaccount.com"
    assert g["jobs-dlq-sub"].args["expiration_policy"] == {"ttl": ""}


def test_one_store_moves_between_clouds_by_its_provider(repo):
    both = ("providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
            "  aws: {region: us-east-1}\n")
    repo.write("g.yaml", both + "session_stores:\n  sessions: {provider: gcp, memory: 4GiB}\n")
    repo.write("a.yaml", both + "session_stores:\n  sessions: {provider: aws, memory: 4GiB}\n")
    g = compiled(repo, "g").graph.by_name()["sessions"]
    a = compiled(repo, "a").graph.by_name()["sessions"]
    assert g.type == "gcp:redis/instance:Instance" and g.args["memory_size_gb"] == 4
    assert a.type == "aws:elasticache/replicationGroup:ReplicationGroup"
    assert a.args["node_type"] == "cache.r7g.large"  # smallest with >= 4 GiB


def test_graph_json_is_deterministic(repo):
    repo.write("_base.yaml", BASE)
    repo.write("main.yaml", "extends: _base\n")
    first = compiled(repo).graph.dumps()
    second = compiled(repo).graph.dumps()
    assert first == second
    doc = json.loads(first)
    assert [r["name"] for r in doc["resources"]] == sorted(r["name"] for r in doc["resources"])
    assert first.endswith("}\n") and '\n  "environment"' in first
