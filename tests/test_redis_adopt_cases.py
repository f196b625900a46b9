"""`mlinfra adopt` of Memorystore for Redis instances, one condition at a time: a running
instance's inputs (camelCase, as `pulumi stack export` records them) and, worked out by
hand from the API's enums and limits, what mlinfra declares and what it lists.

Enums and limits (Memorystore for Redis API, Instance; repeated by pulumi-gcp's
redis.Instance docstring): transitEncryptionMode SERVER_AUTHENTICATION | DISABLED;
readReplicasMode READ_REPLICAS_DISABLED | READ_REPLICAS_ENABLED, replicaCount 1..5 ("up to
five read replicas"); tier BASIC | STANDARD_HA; connectMode DIRECT_PEERING |
PRIVATE_SERVICE_ACCESS; memorySizeGb 1..300; a project id is 6..30 characters."""

from __future__ import annotations

from typing import Any

import pytest

from mlinfra_compile.providers import gcp_redis_adopt
from mlinfra_compile.state import StateResource

TYPE = "gcp:redis/instance:Instance"


def adopt(**inputs: Any) -> tuple[dict[str, Any], list[str]]:
    r = StateResource(urn=f"urn:pulumi:dev::p::{TYPE}::cache", type=TYPE, outputs={},
                      id="cache", inputs={"name": "cache", "project": "acme-ml-dev", **inputs})
    [adopted], left = gcp_redis_adopt.adopt([r], True)
    assert left == {}
    fields = dict(adopted.fields)
    assert fields.pop("protect") is False
    return fields, adopted.missing


@pytest.mark.parametrize(("inputs", "fields"), [
    ({"transitEncryptionMode": "SERVER_AUTHENTICATION"}, {"tls": True}),
    ({"transitEncryptionMode": "DISABLED"}, {"tls": False}),
    ({"readReplicasMode": "READ_REPLICAS_ENABLED", "replicaCount": 1}, {"replicas": 1}),
    ({"readReplicasMode": "READ_REPLICAS_ENABLED", "replicaCount": 5}, {"replicas": 5}),
    ({"readReplicasMode": "READ_REPLICAS_ENABLED", "replicaCount": 2,
      "secondaryIpRange": "auto"}, {"replicas": 2}),
    ({"readReplicasMode": "READ_REPLICAS_DISABLED"}, {"replicas": 0}),
    ({"memorySizeGb": 1}, {"memory": "1GiB"}), ({"memorySizeGb": 300}, {"memory": "300GiB"}),
    ({"tier": "BASIC"}, {"tier": "basic"}), ({"tier": "STANDARD_HA"}, {"tier": "standard_ha"}),
    ({"redisVersion": "REDIS_7_2"}, {"version": "7.2"}),
    ({"authEnabled": True}, {"auth": True}), ({"authEnabled": False}, {"auth": False}),
    ({"redisConfigs": {"maxmemory-policy": "allkeys-lru"}}, {"eviction_policy": "allkeys-lru"}),
    ({"region": "us-central1"}, {"region": "us-central1"}),
    ({"authorizedNetwork": "ml"}, {"network": {"name": "ml"}}),
    ({"authorizedNetwork": "projects/acme-ml/global/networks/ml"},
     {"network": {"name": "projects/acme-ml/global/networks/ml"}}),
    ({"connectMode": "DIRECT_PEERING"}, {"network": {"connect_mode": "direct_peering"}}),
    ({"connectMode": "PRIVATE_SERVICE_ACCESS"},
     {"network": {"connect_mode": "private_service_access"}}),
    ({"reservedIpRange": "10.1.0.0/29"}, {"network": {"reserved_ip_range": "10.1.0.0/29"}}),
], ids=lambda v: str(v)[:48])
def test_each_value_mlinfra_writes_is_read_back(inputs, fields):
    assert adopt(**inputs) == (fields, [])


ON = "READ_REPLICAS_ENABLED"


@pytest.mark.parametrize(("inputs", "fields", "missing"), [
    ({"transitEncryptionMode": "server_authentication"}, {},
     ["transitEncryptionMode = server_authentication: mlinfra compiles DISABLED, "
      "SERVER_AUTHENTICATION"]),
    ({"readReplicasMode": "read_replicas_enabled"}, {},
     ["readReplicasMode = read_replicas_enabled: mlinfra compiles READ_REPLICAS_DISABLED, "
      "READ_REPLICAS_ENABLED"]),
    ({"readReplicasMode": ON, "replicaCount": 6}, {},
     ["replicaCount = 6: out of range: mlinfra reads a whole number in 1..5",
      f"readReplicasMode = {ON}: replicas are 1..5 (replicaCount)"]),
    ({"readReplicasMode": ON}, {}, [f"readReplicasMode = {ON}: replicas are 1..5 (replicaCount)"]),
    ({"readReplicasMode": ON, "replicaCount": 2, "secondaryIpRange": "10.0.0.0/28"},
     {"replicas": 2},
     ["secondaryIpRange = 10.0.0.0/28: mlinfra lets Memorystore pick the range (auto)"]),
    ({"memorySizeGb": 0}, {}, ["memorySizeGb = 0: out of range: mlinfra reads a whole number "
                               "in 1..300"]),
    ({"memorySizeGb": 301}, {}, ["memorySizeGb = 301: out of range: mlinfra reads a whole "
                                 "number in 1..300"]),
    ({"tier": "basic"}, {}, ["tier = basic: Memorystore's tier in mlinfra is one of basic, "
                             "standard_ha"]),
    ({"redisVersion": "REDIS_3_2"}, {}, ["redisVersion = REDIS_3_2: Memorystore's version in "
                                         "mlinfra is one of 6.x, 7.0, 7.2"]),
    ({"authEnabled": "yes"}, {}, ["authEnabled = yes: a string: mlinfra reads true or false"]),
    ({"redisConfigs": {"maxmemory-policy": "allkeys-lru", "notify-keyspace-events": "Ex"}},
     {"eviction_policy": "allkeys-lru"},
     ["redisConfigs.notify-keyspace-events = Ex: mlinfra sets maxmemory-policy only (a "
      "string)"]),
    ({"redisConfigs": {"maxmemory-policy": 5}}, {},
     ["redisConfigs.maxmemory-policy = 5: mlinfra sets maxmemory-policy only (a string)"]),
    ({"customerManagedKey": "projects/p/locations/l/keyRings/r/cryptoKeys/k"}, {},
     ["customerManagedKey = projects/p/locations/l/keyRings/r/cryptoKeys/k: `encryption: "
      "kms:KEY` also grants Memorystore's agent the key (providers.gcp.project_number): set "
      "it by hand"]),
    # "acme" is no project id (6..30 characters), so this is no network path
    ({"authorizedNetwork": "projects/acme/global/networks/ml"}, {},
     ["authorizedNetwork = projects/acme/global/networks/ml: network.name takes a network's "
      "name or projects/P/global/networks/N"]),
    ({"connectMode": "direct"}, {}, ["connectMode = direct: not a connect mode mlinfra knows"]),
], ids=lambda v: str(v)[:48])
def test_a_value_mlinfra_does_not_write_is_listed_with_why(inputs, fields, missing):
    assert adopt(**inputs) == (fields, missing)
