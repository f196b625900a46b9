"""The change rules whose verdict depends on the values (`depends`), on both sides of each
condition, with the reason a user reads. Sources: terraform-provider-aws
internal/service/elasticache/{replication_group.go (Update sends a changed auth_token),
parameter_group.go (family ForceNew), serverless_cache.go (engine and
major_engine_version RequiresReplaceIf)} and the ModifyReplicationGroup API reference
(AuthTokenUpdateStrategy DELETE "allowed only when transitioning to RBAC")."""

from __future__ import annotations

import pytest

from mlinfra_compile.diff import diff_graphs
from tests.golden import graph_doc, resource_doc

GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
PARAMS = "aws:elasticache/parameterGroup:ParameterGroup"
SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache"


def verdict(rtype: str, old: dict, new: dict, key: str) -> tuple[str, str]:
    d = diff_graphs(graph_doc(resource_doc("thing", rtype, old)),
                    graph_doc(resource_doc("thing", rtype, new)), "test")
    (c,) = d.changes
    (a,) = [a for a in c.args if a.key == key]
    return a.verdict, a.why


AUTH_OFF = ("ElastiCache removes an AUTH token only while moving the group to RBAC user "
            "groups, which mlinfra does not manage: keep `auth: true`, or declare a new "
            "store without AUTH and move clients to it")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ({}, {"auth_token": "t0ken-1"}, "update"),  # AUTH turned on
    ({"auth_token": "t0ken-1"}, {"auth_token": "t0ken-2"}, "update"),  # rotated in place
    ({"auth_token": "t0ken-1"}, {}, "refused"),  # AUTH turned off
], ids=["on", "rotated", "off"])
def test_an_auth_token_is_refused_only_when_removed(old, new, expected):
    got, why = verdict(GROUP, old, new, "auth_token")
    assert got == expected
    assert (why == AUTH_OFF) is (expected == "refused")


FIXED = ("the group has a fixed name, so Pulumi deletes it before making the new one, and "
         "AWS refuses to delete a group a store still uses: remove the parameter_group entry "
         "of name_template in this change (Pulumi then names the new group and deletes the "
         "old one last)")
AUTO = ("a new group is made and the store moved to it; the old one is deleted last, which "
        "AWS refuses while the store's move waits for its maintenance window: deploy with "
        "`apply: immediately`")


@pytest.mark.parametrize(("old_name", "new_name", "expected", "why"), [
    (None, None, "replace", AUTO),
    ("cache-params", "cache-params", "refused", FIXED),
    ("cache-params", None, "replace", AUTO),  # the name dropped in the same change
], ids=["auto-named", "fixed-name", "name-dropped"])
def test_a_new_parameter_group_family(old_name, new_name, expected, why):
    def args(family: str, name: str | None) -> dict:
        return {"family": family, **({"name": name} if name else {})}

    assert verdict(PARAMS, args("redis7", old_name), args("valkey8", new_name),
                   "family") == (expected, why)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("redis", "valkey", "update"), ("valkey", "redis", "update"),
    ("redis", "memcached", "replace"), ("memcached", "valkey", "replace"),
])
def test_a_serverless_engine_moves_in_place_only_between_redis_and_valkey(old, new,
                                                                          expected):
    got, why = verdict(SERVERLESS, {"engine": old}, {"engine": new}, "engine")
    assert got == expected
    if expected == "replace":
        assert why == (f"moving from {old} to {new} forces replacement (only redis <-> "
                       "valkey is in place)")


MAJOR = ("only a Valkey cache upgrades its major version in place; a downgrade, or a Redis "
         "OSS cache's change, forces replacement")


@pytest.mark.parametrize(("engine", "old", "new", "expected"), [
    ("valkey", "7", "8", "update"),  # a Valkey upgrade
    ("valkey", "8", "7", "replace"),  # a downgrade
    ("redis", "7", "8", "replace"),  # Redis OSS
    ("valkey", "7", "7.1", "update"),  # compared as numbers (stateFloatVal < planFloatVal)
    ("valkey", "10", "9", "replace"),  # as numbers, not as text ("10" < "9")
])
def test_a_serverless_major_version_upgrades_in_place_only_for_valkey(engine, old, new,
                                                                      expected):
    got, why = verdict(SERVERLESS, {"engine": engine, "major_engine_version": old},
                       {"engine": engine, "major_engine_version": new},
                       "major_engine_version")
    assert got == expected
    assert (why == MAJOR) is (expected == "replace")


# --- Memorystore (magic-modules mmv1/products/redis/Instance.yaml, authorizedNetwork:
# CompareSelfLinkOrResourceName) and Memorystore for Valkey (upgrades are irreversible;
# Cluster Mode Disabled runs one shard) --------------------------------------------------

REDIS = "gcp:redis/instance:Instance"
VALKEY = "gcp:memorystore/instance:Instance"


def changes(rtype: str, old: dict, new: dict) -> list[tuple[str, str]]:
    d = diff_graphs(graph_doc(resource_doc("thing", rtype, old)),
                    graph_doc(resource_doc("thing", rtype, new)), "test")
    return [(a.key, a.verdict) for c in d.changes for a in c.args]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("global/networks/ml-vpc", "ml-vpc", []),  # a path without projects/ and its name
    ("global/networks/ml-vpc", "global/networks/ml-vpc2", [("authorized_network",
                                                            "replace")]),
    ("https://www.googleapis.com/compute/v1/projects/acme/global/networks/ml-vpc",
     "projects/acme/global/networks/ml-vpc", []),
    ("projects/acme/global/networks/ml-vpc", "ml-vpc2", [("authorized_network", "replace")]),
])
def test_a_network_path_the_provider_stores_is_compared_as_the_provider_does(old, new,
                                                                             expected):
    assert changes(REDIS, {"authorized_network": old, "project": "acme"},
                   {"authorized_network": new, "project": "acme"}) == expected


@pytest.mark.parametrize(("key", "old", "new"), [
    ("authorized_network", "global/networks/ml-vpc", "global/networks/ml-vpc2"),
    ("connect_mode", "DIRECT_PEERING", "PRIVATE_SERVICE_ACCESS"),
])
def test_a_replacement_that_compares_as_the_provider_does_still_says_why(key, old, new):
    # (both arguments are immutable in magic-modules redis/Instance.yaml: the reason a
    # user reads is the one every ForceNew argument gives)
    assert verdict(REDIS, {key: old, "project": "acme"}, {key: new, "project": "acme"},
                   key) == ("replace", "forces replacement")


def test_valkey_refuses_a_downgrade_with_why():
    assert verdict(VALKEY, {"engine_version": "VALKEY_8_0"}, {"engine_version": "VALKEY_7_2"},
                   "engine_version") == (
        "refused", "Memorystore for Valkey cannot downgrade VALKEY_8_0 to VALKEY_7_2 (an "
                   "upgrade is irreversible); to run VALKEY_7_2, declare a new store and move "
                   "clients to it")
    assert verdict(VALKEY, {"engine_version": "VALKEY_7_2"}, {"engine_version": "VALKEY_8_0"},
                   "engine_version")[0] == "update"


def test_valkey_with_cluster_mode_disabled_refuses_another_shard_count():
    off = {"mode": "CLUSTER_DISABLED"}
    assert verdict(VALKEY, {**off, "shard_count": 1.0}, {**off, "shard_count": 2.0},
                   "shard_count") == (
        "refused", "an instance with cluster mode disabled has one shard and cannot scale "
                   "out; declare a new store with cluster_mode: true")
    on = {"mode": "CLUSTER"}
    assert verdict(VALKEY, {**on, "shard_count": 1.0}, {**on, "shard_count": 2.0},
                   "shard_count")[0] == "update"
