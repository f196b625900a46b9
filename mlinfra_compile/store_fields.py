"""The fields of a session store (SESSION_STORE_FIELDS): a managed Redis or Valkey
(Memorystore, ElastiCache), with the value sets and fragments only stores use (network,
maintenance window, engine versions, eviction policies, persistence)."""

from __future__ import annotations

from typing import Any

# Ranges come from the provider tables, so the schema and the checks cannot disagree.
from . import lengths as N
from .clouds import (
    GCP_NETWORK_LENGTH,
    GCP_NETWORK_PATTERN,
    REGION_LENGTH,
    SECURITY_GROUP_ID_LENGTH,
    SECURITY_GROUP_ID_PATTERN,
    SUBNET_ID_LENGTH,
    SUBNET_ID_PATTERN,
    VPC_ID_LENGTH,
    VPC_ID_PATTERN,
    id_list,
)
from .common_fields import COMMON_FIELDS, ENCRYPTION
from .fieldkit import (
    ALLOW_FROM_PATTERN,
    Field,
    boolean,
    enum,
    pulumi_args_field,
    service_field,
    size,
    string,
)
from .providers import aws_elasticache, gcp_redis
from .queue_fields import QUEUE_ACCESS
from .units import DAYS

# Memorystore and ElastiCache accept the same maxmemory policies (Redis documentation,
# "Key eviction"; Memorystore "Supported Redis configurations"; ElastiCache "Redis
# parameters").
EVICTION_POLICIES = (
    "volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu",
    "volatile-random", "allkeys-random", "volatile-ttl", "noeviction",
)
PERSISTENCE = ("none", "rdb-1h", "rdb-6h", "rdb-12h", "rdb-24h")
REDIS_VERSIONS = ("6.x", "7.0", "7.1", "7.2", "8.0", "8.1", "8.2", "9.0", "9.1")


NETWORK: dict[str, Any] = {
    "type": ["object", "null"],
    "description": "Where the store is reachable from. gcp: name, connect_mode, "
                   "reserved_ip_range; aws: subnet_ids, vpc_id, allow_from, "
                   "security_group_ids. Without it the provider's network settings apply.",
    "additionalProperties": False,
    "properties": {
        "name": string("gcp: the VPC network Memorystore is reachable from (authorized_network), "
                       "a name in the project or projects/HOST/global/networks/NAME on a "
                       "shared VPC. Default: providers.gcp.network.",
                       "projects/acme-host/global/networks/shared",
                       pattern=GCP_NETWORK_PATTERN, max_length=GCP_NETWORK_LENGTH),
        "connect_mode": enum(("direct_peering", "private_service_access"),
                             "gcp: how Memorystore joins the network (connect_mode); "
                             "private_service_access is what a shared VPC needs.",
                             "direct_peering"),
        "reserved_ip_range": string("gcp: the range Memorystore takes its addresses from: "
                                    "a CIDR (direct_peering) or the name of an allocated "
                                    "range (private_service_access). Default: one the "
                                    "service picks.", "10.20.0.0/29", max_length=63),
        "subnet_ids": id_list("aws: subnets of the store (an ElastiCache subnet group "
                           "`<name>-subnets`). Default: providers.aws.subnet_ids.",
                           SUBNET_ID_PATTERN, "subnet-0a1b2c3d", SUBNET_ID_LENGTH),
        "vpc_id": string("aws: the VPC of the security group allow_from creates. Default: "
                         "providers.aws.vpc_id.", "vpc-0123abcd", pattern=VPC_ID_PATTERN,
                         max_length=VPC_ID_LENGTH),
        "allow_from": {"type": ["array", "null"],
                       "description": "aws: who may connect, on the store's port: IPv4 CIDRs "
                                      "and security group ids (a security group "
                                      "`<name>-clients` with one ingress rule each).",
                       # (a CIDR is at most 18 characters, a security group id 20)
                       "items": {"type": "string", "pattern": ALLOW_FROM_PATTERN,
                                 "maxLength": SECURITY_GROUP_ID_LENGTH},
                       "uniqueItems": True, "default": None,
                       "examples": [["10.0.0.0/16", "sg-0a1b2c3d4e5f60718"]]},
        "security_group_ids": id_list("aws: more security groups for the store, attached as "
                                   "given.", SECURITY_GROUP_ID_PATTERN,
                                   "sg-0123456789abcdef0", SECURITY_GROUP_ID_LENGTH),
    },
    "default": None,
    "examples": [{"connect_mode": "private_service_access", "reserved_ip_range": "redis"},
                 {"allow_from": ["10.0.0.0/16"]}],
}

MAINTENANCE = {
    "type": ["object", "null"],
    "description": "The weekly hour (UTC) in which the provider may update the store. "
                   "ElastiCache's daily snapshots are moved out of it. Default: the "
                   "provider's choice.",
    "additionalProperties": False,
    "required": ["day", "start"],
    "properties": {
        "day": {"enum": list(DAYS), "description": "Day of the week (UTC).",
                "default": None, "examples": ["sunday"]},
        "start": {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
                  "maxLength": len("HH:MM"),
                  "description": "Start time, HH:MM in UTC; the window lasts one hour.",
                  "default": None, "examples": ["03:00"]},
    },
    "default": None,
    "examples": [{"day": "sunday", "start": "03:00"}],
}


SESSION_STORE_FIELDS: dict[str, Field] = {
    **COMMON_FIELDS,
    "service": service_field("session_store"),
    "network": Field(NETWORK),
    "encryption": Field(ENCRYPTION),
    "maintenance": Field(MAINTENANCE),
    "access": Field({**QUEUE_ACCESS,
                     "description": "Not for session stores: Redis data access is the "
                                    "network plus AUTH, not IAM. Use network.allow_from "
                                    "(aws) or network.name (gcp), and auth: true."},
                    providers=(),
                    instead={"gcp": "Redis data access is the network plus AUTH, not IAM: "
                                    "choose the network with network.name and set auth: "
                                    "true",
                             "aws": "Redis data access is the network plus AUTH, not IAM: "
                                    "list who may connect in network.allow_from and set "
                                    "auth: true"}),
    "memory": Field(size("Memory with a unit. Memorystore takes whole GiB, 1..300; on AWS it "
                         "picks the smallest node type with at least this much.", "1GiB",
                         "1GiB", unit=True)),
    "tier": Field(enum(("basic", "standard_ha"),
                       "basic: one node; standard_ha: a replica with automatic failover. "
                       "Default: basic in development, standard_ha in production.", "basic")),
    "version": Field(enum(REDIS_VERSIONS, "Engine version. Memorystore: 6.x, 7.0, 7.2 (default "
                                          "7.2). ElastiCache redis: 6.x, 7.0, 7.1 (default "
                                          "7.1); valkey: 7.2, 8.0, 8.1, 8.2, 9.0, 9.1 "
                                          "(default 8.0).",
                                          "7.2")),
    "auth": Field(boolean("Require AUTH. Default: false in development, true in production. "
                          "On AWS the token comes from the secret config value "
                          "`<name>-auth-token` and needs tls.", False)),
    "tls": Field({"enum": [True, False, "preferred", None],
                  "description": "In-transit encryption. Default: false in development, true "
                                 "in production. On Memorystore the port becomes 6378 and a "
                                 "change replaces the instance. On ElastiCache (engine 7.0 "
                                 "and newer) `preferred` accepts TLS and plain connections: "
                                 "the step between false and true on a running group.",
                  "default": False, "examples": [True]}),
    "apply": Field(enum(("immediately", "maintenance_window"),
                        "ElastiCache: when in-place changes to the nodes (node type, engine "
                        "version, parameter group) take effect. Default: immediately in "
                        "development, maintenance_window in production.", "immediately"),
                   providers=("aws",),
                   instead={"gcp": "Memorystore applies changes when they are made"}),
    "replicas": Field({"type": ["integer", "null"], "minimum": 0,
                       "maximum": max(gcp_redis.MAX_REPLICAS, aws_elasticache.MAX_REPLICAS),
                       "description": "Read replicas (standard_ha only). Memorystore: 1..5 "
                                      "enables read replicas and needs memory >= 5GiB. "
                                      "ElastiCache: replica nodes besides the primary "
                                      "(default 1).",
                       "default": None, "examples": [1]}),
    "persistence": Field(enum(PERSISTENCE, "RDB snapshots and their period. Default: none in "
                                           "development, rdb-1h in production.", "none"),
                         providers=("gcp",),
                         instead={"aws": "ElastiCache keeps daily automatic snapshots: use "
                                         "snapshot_retention_days"}),
    "eviction_policy": Field(enum(EVICTION_POLICIES, "Redis maxmemory-policy (default: the "
                                                     "service's, volatile-lru).",
                                  "volatile-lru")),
    "region": Field(string("Region. Default: the provider's region.", "us-central1",
                           max_length=REGION_LENGTH)),
    "engine": Field(enum(("redis", "valkey"), "ElastiCache engine.", "redis"),
                    providers=("aws",),
                    instead={"gcp": "Memorystore for Redis runs Redis only"}),
    "node_type": Field(string("Node type. ElastiCache: a cache.* type, overriding the choice "
                              "made from memory. Memorystore for Valkey: shared-core-nano, "
                              "standard-small, highmem-medium, highmem-xlarge, ...",
                              "cache.r7g.large",
                              pattern=r"^(cache\.[a-z0-9]+\.[a-z0-9]+|[a-z]+(-[a-z0-9]+)*)$",
                              max_length=N.NODE_TYPE_LENGTH),),
    "shards": Field({"type": ["integer", "null"], "minimum": 1, "maximum": 250,
                     "description": "Memorystore for Valkey: shards of the cluster (1..250; "
                                    "each has a primary and `replicas` replica nodes). "
                                    "Default: 1.", "default": None, "examples": [1]},
                    providers=("gcp",),
                    instead={"aws": "ElastiCache Serverless shards by itself; a replication "
                                    "group here has one shard"}),
    "cluster_mode": Field(boolean("Memorystore for Valkey: cluster mode (several shards, the "
                             "cluster protocol), or false for one shard that plain Redis "
                             "clients reach. Default: true. Cannot change later.", True),
                     providers=("gcp",),
                     instead={"aws": "mlinfra's ElastiCache groups run with cluster mode "
                                     "off"}),
    "zone": Field(string("Memorystore for Valkey: put every node in this zone (single-zone "
                         "mode). Default: nodes spread across the region's zones.",
                         "us-central1-a", pattern=r"^[a-z]+-[a-z]+[0-9]+-[a-z]$",
                         max_length=N.REGION_ZONE_LENGTH),
                  providers=("gcp",),
                  instead={"aws": "ElastiCache places nodes across the subnets' zones"}),
    "max_data": Field({"type": ["integer", "null"], "minimum": 1, "maximum": 5000,
                       "description": "ElastiCache Serverless: the most data the cache may "
                                      "hold, in GB (1..5000), a cap on what it costs. Default: "
                                      "no cap.", "default": None, "examples": [10]},
                      providers=("aws",),
                      instead={"gcp": "size Memorystore with memory or node_type"}),
    "max_ecpu": Field({"type": ["integer", "null"], "minimum": 1000, "maximum": 15_000_000,
                       "description": "ElastiCache Serverless: the most ElastiCache Processing "
                                      "Units a second (1,000..15,000,000). Default: no cap.",
                       "default": None, "examples": [5000]},
                      providers=("aws",),
                      instead={"gcp": "size Memorystore with memory or node_type"}),
    "user_group": Field(string("ElastiCache Serverless: the RBAC user group clients "
                               "authenticate with (serverless caches have no AUTH token); "
                               "needed for auth: true.", "ml-sessions-users",
                               pattern=r"^[A-Za-z][A-Za-z0-9-]*$",
                               max_length=N.USER_GROUP_LENGTH),
                        providers=("aws",),
                        instead={"gcp": "Memorystore uses auth: true (AUTH or IAM)"}),
    "snapshot_retention_days": Field(
        {"type": ["integer", "null"], "minimum": 0,
         "maximum": aws_elasticache.MAX_SNAPSHOT_RETENTION_DAYS,
         "description": "Days of automatic snapshots ElastiCache keeps (0..35). Default: 0 "
                        "in development, 7 in production.", "default": 0, "examples": [7]},
        providers=("aws",),
        instead={"gcp": "Memorystore persists with RDB snapshots: use persistence"}),
    "description": Field(string("ElastiCache replication group description. Default: "
                                "`mlinfra session store <name> (<env>)`.", "Training sessions",
                                max_length=255),
                         providers=("aws",),
                         instead={"gcp": "use labels"}),
    "pulumi_args": pulumi_args_field(
        "the store's Memorystore instance (pulumi_gcp.redis.Instance) or ElastiCache "
        "replication group (pulumi_aws.elasticache.ReplicationGroup)",
        {"display_name": "Feature cache"}),
}
