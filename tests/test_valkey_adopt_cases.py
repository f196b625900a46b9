"""`mlinfra adopt` of Memorystore for Valkey instances, one condition at a time: each case
is a running instance's inputs (camelCase, as `pulumi stack export` records them) and,
worked out by hand from the provider's enums, what mlinfra declares and what it lists.

Enums (magic-modules mmv1/products/memorystore/Instance.yaml, the pulumi-gcp
memorystore.Instance docstring): authorizationMode AUTH_DISABLED | IAM_AUTH;
transitEncryptionMode TRANSIT_ENCRYPTION_DISABLED | SERVER_AUTHENTICATION; mode CLUSTER |
CLUSTER_DISABLED; persistenceConfig.mode DISABLED | RDB | AOF with rdbConfig
.rdbSnapshotPeriod ONE_HOUR | SIX_HOURS | TWELVE_HOURS | TWENTY_FOUR_HOURS;
zoneDistributionConfig.mode MULTI_ZONE | SINGLE_ZONE (with zone); engineVersion
VALKEY_7_2 | VALKEY_8_0 | ...; shardCount 1..250 and replicaCount 0..5 (Memorystore for
Valkey docs: "1 to 250 shards", "up to five replica nodes")."""

from __future__ import annotations

from typing import Any

import pytest

from mlinfra_compile.providers import gcp_memorystore_valkey_adopt as valkey
from mlinfra_compile.state import StateResource

TYPE = "gcp:memorystore/instance:Instance"


def adopt(outputs: dict[str, Any] | None = None, **inputs: Any) -> \
        tuple[dict[str, Any], list[str]]:
    r = StateResource(urn=f"urn:pulumi:dev::p::{TYPE}::cache", type=TYPE, outputs=outputs or {},
                      id="cache",
                      inputs={"instanceId": "cache", "project": "acme-ml-dev", **inputs})
    [adopted], left = valkey.adopt([r], True)
    assert left == {}
    fields = dict(adopted.fields)
    assert fields.pop("service") == "memorystore-valkey"
    assert fields.pop("protect") is False
    return fields, adopted.missing


@pytest.mark.parametrize(("key", "value", "field", "read"), [
    ("authorizationMode", "IAM_AUTH", "auth", True),
    ("authorizationMode", "AUTH_DISABLED", "auth", False),
    ("transitEncryptionMode", "SERVER_AUTHENTICATION", "tls", True),
    ("transitEncryptionMode", "TRANSIT_ENCRYPTION_DISABLED", "tls", False),
    ("mode", "CLUSTER", "cluster_mode", True),
    ("mode", "CLUSTER_DISABLED", "cluster_mode", False),
    ("engineVersion", "VALKEY_8_0", "version", "8.0"),
    ("shardCount", 1, "shards", 1), ("shardCount", 250, "shards", 250),
    ("replicaCount", 0, "replicas", 0), ("replicaCount", 5, "replicas", 5),
])
def test_each_value_of_each_enum_and_each_bound_is_read(key, value, field, read):
    assert adopt(**{key: value}) == ({field: read}, [])


@pytest.mark.parametrize(("key", "value", "why"), [
    ("authorizationMode", "auth_disabled", "mlinfra compiles AUTH_DISABLED, IAM_AUTH"),
    ("transitEncryptionMode", "transit_encryption_disabled",
     "mlinfra compiles SERVER_AUTHENTICATION, TRANSIT_ENCRYPTION_DISABLED"),
    ("mode", "cluster_disabled", "mlinfra compiles CLUSTER, CLUSTER_DISABLED"),
    ("engineVersion", "VALKEY_6_0",
     "Memorystore for Valkey's version in mlinfra is one of 7.2, 8.0, 9.0, 9.1"),
    ("shardCount", 0, "out of range: mlinfra reads a whole number in 1..250"),
    ("shardCount", 251, "out of range: mlinfra reads a whole number in 1..250"),
    ("replicaCount", -1, "out of range: mlinfra reads a whole number in 0..5"),
    ("replicaCount", 6, "out of range: mlinfra reads a whole number in 0..5"),
])
def test_a_value_mlinfra_does_not_write_is_listed_with_why(key, value, why):
    assert adopt(**{key: value}) == ({}, [f"{key} = {value}: {why}"])


PERSISTENCE = "mlinfra's persistence is none or RDB every 1, 6, 12 or 24 hours (no AOF)"


@pytest.mark.parametrize(("config", "read"), [
    ({"mode": "DISABLED"}, "none"),
    ({"mode": "RDB", "rdbConfig": {"rdbSnapshotPeriod": "SIX_HOURS"}}, "rdb-6h"),
    ({"mode": "RDB", "rdbConfig": {"rdbSnapshotPeriod": "TWENTY_FOUR_HOURS"}}, "rdb-24h"),
])
def test_persistence_mlinfra_writes_is_read_back(config, read):
    assert adopt(persistenceConfig=config) == ({"persistence": read}, [])


@pytest.mark.parametrize("config", [
    {"mode": "disabled"},  # (the enum is upper case)
    {"mode": "AOF", "aofConfig": {"appendFsync": "EVERY_SEC"}},
    {"mode": "RDB"},  # no period
    {"mode": "RDB", "rdbConfig": {"rdbSnapshotPeriod": "TWO_HOURS"}},
    {"mode": "AOF", "rdbConfig": {"rdbSnapshotPeriod": "ONE_HOUR"}},  # (and, not or)
    {"mode": "RDB", "rdbConfig": {"rdbSnapshotPeriod": 1}},
])
def test_other_persistence_is_listed(config):
    fields, missing = adopt(persistenceConfig=config)
    assert fields == {}
    assert len(missing) == 1 and missing[0].startswith("persistenceConfig = {")
    assert missing[0].endswith(f": {PERSISTENCE}")


ZONE = "zone is SINGLE_ZONE in one zone, else MULTI_ZONE"


@pytest.mark.parametrize(("config", "read"), [
    ({"mode": "MULTI_ZONE"}, None),
    ({"mode": "MULTI_ZONE", "zone": ""}, None),  # (as the API reports a multi-zone one)
    ({}, None),
    ({"mode": "SINGLE_ZONE", "zone": "us-central1-b"}, "us-central1-b"),
])
def test_zones_mlinfra_writes_are_read_back(config, read):
    fields, missing = adopt(location="us-central1", zoneDistributionConfig=config)
    assert fields == {"region": "us-central1", **({"zone": read} if read else {})}
    assert missing == []


@pytest.mark.parametrize("config", [
    {"mode": "MULTI_ZONE", "zone": "us-central1-b"},  # a zone beside MULTI_ZONE
    {"mode": "multi_zone"},
    {"mode": "SINGLE_ZONE"},  # no zone
    {"zone": "us-central1-b"},  # a zone and no mode
    {"mode": "MULTI_ZONE", "other": 1},  # a key mlinfra does not write
    {"mode": "SINGLE_ZONE", "zone": 2},
])
def test_other_zones_are_listed(config):
    fields, missing = adopt(zoneDistributionConfig=config)
    assert fields == {}
    assert len(missing) == 1 and missing[0].startswith("zoneDistributionConfig = {")
    assert missing[0].endswith(f": {ZONE}")


def test_a_zone_config_of_null_is_no_zone():
    assert adopt(zoneDistributionConfig=None) == ({}, [])


def test_a_zone_the_api_chose_is_not_read_as_one_the_program_set():
    # an instance created without zoneDistributionConfig: the API reports where it put it
    # (an output); the program set none, so the declaration sets none
    chosen = {"zoneDistributionConfig": {"mode": "SINGLE_ZONE", "zone": "us-central1-b"}}
    assert adopt(outputs=chosen) == ({}, [])


def test_the_eviction_policy_is_read_and_every_other_config_listed():
    fields, missing = adopt(engineConfigs={"maxmemory-policy": "allkeys-lru",
                                           "maxmemory-clients": "5%"})
    assert fields == {"eviction_policy": "allkeys-lru"}
    assert missing == ['engineConfigs.maxmemory-clients = 5%: mlinfra sets '
                       "maxmemory-policy only (a string)"]
    fields, missing = adopt(engineConfigs={"maxmemory-policy": 3})
    assert fields == {}
    assert missing == ["engineConfigs.maxmemory-policy = 3: mlinfra sets maxmemory-policy "
                       "only (a string)"]


NETWORK = "projects/acme-ml-dev/global/networks/default"
ENDPOINT = "network.name is one network, whose endpoints mlinfra creates in the " \
           "instance's project"


def test_one_endpoint_in_the_instances_project_is_the_network():
    here = {"network": NETWORK, "projectId": "acme-ml-dev"}
    assert adopt(desiredAutoCreatedEndpoints=[here]) == ({"network": {"name": NETWORK}}, [])


@pytest.mark.parametrize("endpoints", [
    [{"network": NETWORK, "projectId": "acme-ml-prod"}],  # another project
    [{"network": NETWORK, "projectId": "acme-ml-dev"}] * 2,  # two endpoints
    [{"network": "default\n", "projectId": "acme-ml-dev"}],  # a name and a newline
    [{"network": "not a network", "projectId": "acme-ml-dev"}],
])
def test_other_endpoints_are_listed(endpoints):
    fields, missing = adopt(desiredAutoCreatedEndpoints=endpoints)
    assert fields == {}
    assert len(missing) == 1 and missing[0].endswith(f": {ENDPOINT}")


def test_a_kms_key_is_listed_with_what_mlinfra_would_also_grant():
    key = "projects/p1/locations/us-central1/keyRings/r/cryptoKeys/k"
    assert adopt(kmsKey=key) == ({}, [
        f"kmsKey = {key}: `encryption: kms:KEY` also grants the Memorystore service agent "
        "the key (providers.gcp.project_number): set it by hand"])
