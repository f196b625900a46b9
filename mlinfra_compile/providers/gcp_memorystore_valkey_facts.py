"""Memorystore for Valkey: the service's cloud and name, and the provider's facts
gcp_memorystore_valkey builds from (its ranges, node types, versions and names, and what
each field becomes), each fact with its source. Sources as in gcp_memorystore_valkey's
docstring: SDK (pulumi-gcp 10.2.0), MM (magic-modules
mmv1/products/memorystore/Instance.yaml at d5778440), DOC
(cloud.google.com/memorystore/docs/valkey/<page>, stored copies), read 2026-12-06."""

from __future__ import annotations

from ..naming import NamingRule

# The service's cloud and its name, what `service:` says to select it (providers.Service;
# re-exported by gcp_memorystore_valkey).
PROVIDER, SERVICE = "gcp", "memorystore-valkey"
TYPE = "gcp:memorystore/instance:Instance"
# Instance ids (MM l.186-192, instanceId): "4-63 characters", "begin with a letter or
# digit", "only lowercase letters, digits, and hyphens", "not end with a hyphen".
NAME_RULE = NamingRule("Memorystore for Valkey instance", r"[a-z0-9][a-z0-9-]{2,61}[a-z0-9]",
                       "4..63 lowercase letters, digits and hyphens, starting with a letter "
                       "or a digit and not ending with a hyphen")
MAX_SHARDS = 250  # DOC cluster-mode-enabled-and-disabled: "1 to 250 shards"
MAX_REPLICAS = 5  # DOC product-overview: "optionally up to five replica nodes"
MAX_UNITS = 250  # DOC quotas, "Usage units per instance | 250"
# An older copy of DOC cluster-mode-enabled-and-disabled says "You can have a maximum of
# two read replicas for the instance" of Cluster Mode Disabled; the current limit was not
# established, so more is a warning.
CLUSTER_DISABLED_REPLICAS = 2
# node type -> (the SDK's enum, total node capacity in GB): DOC instance-node-specification
# (its ten-type copy) and the SDK's node_type docstring; infracost memorystore_instance.go
# maps the same capacities.
NODE_TYPES: dict[str, tuple[str, float]] = {
    "shared-core-nano": ("SHARED_CORE_NANO", 1.4), "custom-pico": ("CUSTOM_PICO", 1.25),
    "custom-micro": ("CUSTOM_MICRO", 2.5), "custom-mini": ("CUSTOM_MINI", 3.75),
    "standard-small": ("STANDARD_SMALL", 6.5), "highmem-medium": ("HIGHMEM_MEDIUM", 13),
    "highcpu-medium": ("HIGHCPU_MEDIUM", 13), "standard-large": ("STANDARD_LARGE", 26),
    "highmem-xlarge": ("HIGHMEM_XLARGE", 58), "highmem-2xlarge": ("HIGHMEM_2XLARGE", 110),
}
# engine_version: VALKEY_7_2 and VALKEY_8_0 (MM's tests upgrade 7.2 -> 8.0), VALKEY_9_0 and
# VALKEY_9_1 (DOC create-instances and supported-versions, as quoted in mondoohq/cnspec
# pull request 3939, 2026-09-13). The service's default has moved 7.2 -> 8.0 -> 9.0 in
# successive copies of DOC supported-versions, so mlinfra always sets it.
VERSIONS = {"7.2": "VALKEY_7_2", "8.0": "VALKEY_8_0", "9.0": "VALKEY_9_0",
            "9.1": "VALKEY_9_1"}
PERSISTENCE = {"rdb-1h": "ONE_HOUR", "rdb-6h": "SIX_HOURS", "rdb-12h": "TWELVE_HOURS",
               "rdb-24h": "TWENTY_FOUR_HOURS"}  # MM persistenceConfig.rdbConfig
# The Memorystore service agent (MM Instance.yaml example memorystore_instance_full,
# bootstrap_iam: service-{project_number}@gcp-sa-memorystore.iam.gserviceaccount.com with
# roles/cloudkms.cryptoKeyEncrypterDecrypter).
AGENT_DOMAIN = "gcp-sa-memorystore.iam.gserviceaccount.com"
# Where clients connect: the first connection of the first endpoint. In the API mock
# Config Connector tests against (GoogleCloudPlatform/k8s-config-connector
# mockgcp/mockmemorystore/instance.go), an endpoint's first connection is the
# CONNECTION_TYPE_DISCOVERY one in cluster mode and CONNECTION_TYPE_PRIMARY one with
# cluster mode disabled (its second the reader). `discovery_endpoints` is not filled when
# the endpoints come from desired_auto_created_endpoints (MM deprecation message).
ENDPOINT = "endpoints.0.connections.0.psc_auto_connection"


# What each field becomes (the editor's hover and docs/language.md): the arguments of
# memorystore.Instance it sets, with the ranges the facts above give.
ARGUMENTS: dict[str, str] = {
    "shards": f"`shard_count`: 1..{MAX_SHARDS} (1 with cluster_mode: false)",
    "replicas": f"`replica_count`: 0..{MAX_REPLICAS} per shard; shards x (1 + replicas) "
                f"at most {MAX_UNITS}",
    "node_type": "`node_type`: " + ", ".join(f"{k} ({v[1]:g} GB)"
                                             for k, v in NODE_TYPES.items()),
    "version": "`engine_version`: " + ", ".join(VERSIONS.values()),
    "cluster_mode": "`mode`: CLUSTER or CLUSTER_DISABLED (cannot change: a new instance)",
    "zone": "`zone_distribution_config`: SINGLE_ZONE in this zone, else MULTI_ZONE",
    "persistence": "`persistence_config`: RDB every 1, 6, 12 or 24 hours, or DISABLED",
    "tls": "`transit_encryption_mode`: SERVER_AUTHENTICATION or TRANSIT_ENCRYPTION_DISABLED",
    "auth": "`authorization_mode`: IAM_AUTH (IAM authentication) or AUTH_DISABLED",
    "eviction_policy": "`engine_configs` maxmemory-policy",
    "region": "`location`",
    "network": "`desired_auto_created_endpoints`: Private Service Connect endpoints in the "
               "network; its service connection policy (gcp-memorystore) is a prerequisite "
               "mlinfra does not create",
    "encryption": "`kms_key`, and a grant on the key for the service agent",
    "maintenance": "`maintenance_policy`: one weekly window",
    "protect": "`deletion_protection_enabled` and Pulumi's `protect`",
    "labels": "`labels`",
    "name": "`instance_id`: 4..63 lowercase letters, digits and hyphens",
}
