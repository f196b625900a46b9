"""Tests written against the mutants `make mutate` found alive: each pins a behaviour a
mutant changed without any other test noticing (see docs/testing.md)."""

from __future__ import annotations

from mlinfra_compile.diff import diff_graphs, diff_text
from mlinfra_compile.providers import aws_elasticache, aws_sqs, gcp_redis
from tests.golden import graph_doc, resource_doc

graph, res = graph_doc, resource_doc


def test_a_new_type_under_the_same_name_is_a_replacement_that_says_so():
    old = graph(res("cache", gcp_redis.TYPE, {"tier": "BASIC"}))
    new = graph(res("cache", aws_elasticache.TYPE, {"engine": "redis"}))
    (c,) = diff_graphs(old, new, "t").changes
    assert c.action == "replace" and c.type == aws_elasticache.TYPE
    a = c.args[0]
    assert (a.key, a.old, a.new, a.verdict, a.why) == (
        "type", gcp_redis.TYPE, aws_elasticache.TYPE, "replace", "a different resource type")
    assert 'type: "gcp:redis/instance:Instance" -> ' \
           '"aws:elasticache/replicationGroup:ReplicationGroup"  REPLACE: a different ' \
           "resource type" in diff_text(diff_graphs(old, new, "t"), set())


def test_an_alias_that_is_still_a_resource_is_not_a_rename():
    old = graph(res("a", aws_sqs.TYPE, {}), res("b", aws_sqs.TYPE, {}))
    new = graph(res("a", aws_sqs.TYPE, {}), res("b", aws_sqs.TYPE, {}, aliases=["a"]),
                res("c", aws_sqs.TYPE, {}, aliases=["zzz"]))
    d = diff_graphs(old, new, "t")
    assert [(c.name, c.action, c.renamed_from) for c in d.changes] == [("c", "create", None)]


def test_resources_without_options_still_match_their_aliases():
    old = graph({"name": "a", "type": aws_sqs.TYPE, "args": {}, "source": "x:1:1"})
    new = graph({"name": "a", "type": aws_sqs.TYPE, "args": {}, "source": "x:1:1"})
    assert diff_graphs(old, new, "t").changes == []


def _why(rtype, old, new):
    (c,) = diff_graphs(graph(res("x", rtype, old)), graph(res("x", rtype, new)), "t").changes
    return {a.key: (a.verdict, a.why) for a in c.args}


def test_the_reasons_of_conditional_verdicts_word_for_word():
    assert _why(gcp_redis.TYPE, {"redis_version": "REDIS_7_2"},
                {"redis_version": "REDIS_7_0"})["redis_version"] == (
        "replace", "a version downgrade forces replacement (the provider's "
                   "isRedisVersionDecreasing check)")
    assert _why(gcp_redis.TYPE, {"redis_version": "REDIS_7_0"},
                {"redis_version": "REDIS_6_X"})["redis_version"] == (
        "refused", "Memorystore cannot downgrade REDIS_7_0 to REDIS_6_X: the provider's "
                   "downgrade check does not parse REDIS_6_X, so it sends an in-place "
                   "update, which the API refuses; to run REDIS_6_X, declare a new store and "
                   "move clients to it")
    assert _why(gcp_redis.TYPE, {"redis_version": "REDIS_6_X"},
                {"redis_version": "REDIS_7_0"})["redis_version"] == ("update", "")
    assert _why(gcp_redis.TYPE, {"redis_version": "REDIS_7_0"},
                {"redis_version": "REDIS_9_9"})["redis_version"] == ("update", "")
    assert _why(gcp_redis.TYPE, {"read_replicas_mode": "READ_REPLICAS_ENABLED"},
                {})["read_replicas_mode"] == (
        "refused", "Memorystore cannot turn read replicas off once they are on (the API "
                   "refuses the update); keep replicas >= 1, or declare a new store without "
                   "replicas and move clients to it")
    ec = aws_elasticache.TYPE
    assert _why(ec, {"engine_version": "7.1"}, {"engine_version": "6.2"})["engine_version"] \
        == ("replace", "a version downgrade forces replacement")
    assert _why(ec, {"engine": "valkey", "engine_version": "8.0"},
                {"engine": "redis", "engine_version": "8.0"})["engine"] == (
        "replace", "moving from valkey to redis forces replacement (only redis -> valkey "
                   "is in place)")
    assert _why(ec, {"engine": "redis", "engine_version": "7.1"},
                {"engine": "valkey", "engine_version": "7.1"})["engine"] == (
        "refused", "moving a group to valkey needs a valkey engine_version in the same change")
    assert _why(ec, {"transit_encryption_enabled": False, "engine_version": "6.2"},
                {"transit_encryption_enabled": True, "engine_version": "6.2"}
                )["transit_encryption_enabled"] == (
        "replace", "the group runs engine 6.2; below 7.0.5 ElastiCache cannot change "
                   "transit encryption in place")
    assert _why(ec, {"transit_encryption_enabled": False, "engine_version": "7.0"},
                {"transit_encryption_enabled": True, "engine_version": "7.0"}
                )["transit_encryption_enabled"][1].endswith(
        "(a 7.0 group's patch is known only to the stack: deploy checks it)")
    assert _why(ec, {"transit_encryption_enabled": False, "engine_version": "7.1"},
                {"transit_encryption_enabled": True, "engine_version": "7.1"}
                )["transit_encryption_enabled"] == (
        "refused", "ElastiCache turns transit encryption on for a running group only with "
                   "transit_encryption_mode preferred: set `tls: preferred`, deploy, move "
                   "every client to TLS, then set `tls: true`")
    assert _why(ec, {"transit_encryption_enabled": True, "engine_version": "7.1",
                     "transit_encryption_mode": "required"},
                {"transit_encryption_enabled": False, "engine_version": "7.1"}
                )["transit_encryption_enabled"] == (
        "refused", "ElastiCache turns transit encryption off only from "
                   "transit_encryption_mode preferred: set `tls: preferred`, deploy, move "
                   "every client off TLS, then set `tls: false`")
    assert _why(ec, {"transit_encryption_enabled": True, "engine_version": "7.1",
                     "transit_encryption_mode": "preferred"},
                {"transit_encryption_enabled": True, "engine_version": "7.1",
                 "transit_encryption_mode": "required"})["transit_encryption_mode"] == (
        "update", "clients without TLS are refused from now on")
    assert _why(ec, {"transit_encryption_enabled": True, "engine_version": "6.2"},
                {"transit_encryption_enabled": True, "engine_version": "7.1",
                 "transit_encryption_mode": "preferred"})["transit_encryption_mode"] == (
        "refused", "the group runs engine 6.2: ElastiCache has transit_encryption_mode from "
                   "7.0.5; upgrade first, then set tls: preferred")
    assert _why(ec, {"transit_encryption_enabled": True, "engine_version": "6.2"},
                {"transit_encryption_enabled": True, "engine_version": "7.1",
                 "transit_encryption_mode": "required"})["transit_encryption_mode"] == (
        "update", "TLS was already required; the mode is now written down")
    assert _why(ec, {"transit_encryption_enabled": False, "engine_version": "7.1",
                     "apply_immediately": False},
                {"transit_encryption_enabled": True, "engine_version": "7.1",
                 "transit_encryption_mode": "preferred", "apply_immediately": False}
                )["transit_encryption_enabled"] == (
        "update", "in place if the group already runs engine 7.0.5 or newer; an upgrade "
                  "still waiting for the maintenance window makes it a replacement (deploy "
                  "checks the running version)")


def test_the_running_version_wins_over_the_declared_one():
    ec = aws_elasticache.TYPE
    old = graph(res("x", ec, {"transit_encryption_enabled": False, "engine_version": "7.1"}))
    new = graph(res("x", ec, {"transit_encryption_enabled": True, "engine_version": "7.1",
                              "transit_encryption_mode": "preferred"}))
    (c,) = diff_graphs(old, new, "t", {"x": {"engine_version": "6.2.6"}}).changes
    assert c.action == "replace" and "runs engine 6.2.6" in c.args[0].why
    (c,) = diff_graphs(old, new, "t", {"x": {"engine_version": "7.1.0"}}).changes
    assert c.action == "update" and c.args[0].why == ""  # the stack says: no caveat
    (c,) = diff_graphs(old, new, "t", {"other": {"engine_version": "6.2.6"}}).changes
    assert c.action == "update"  # another resource's version is not this one's
