"""The environment language: every field a user can write, in one table.

The JSON Schema (schema.py) is generated from this table, and the resolver consults it to
report a field that the chosen provider cannot honour (with the nearest thing it offers).
Adding a field means adding it here, then teaching the provider modules that support it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Ranges come from the provider tables, so the schema and the checks cannot disagree.
from . import lengths as N
from .clouds import (
    CLOUDS,
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
from .envnames import summary as refused_names
from .providers import aws_elasticache, aws_sqs, gcp_redis
from .units import DAYS, DURATION_PATTERN, SIZE_PATTERN

NAME_PATTERN = r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$"
# A physical name: the schema takes what some cloud accepts; the provider module
# checks the rule of the declaration's own (Memorystore, SQS, SNS, Pub/Sub, ElastiCache).
PHYSICAL_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~+%-]{0,254}$"
RESOURCE_NAME_PATTERN = r"^[a-z][a-z0-9-]{0,80}$"  # a generated resource's logical name
EXPORT_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"  # a stack output name
# A name a resource had before: any Pulumi logical name (a hand-written program's
# `mlTrainingQueue`; no control characters, no `::`, which separates a URN's parts), or a
# whole URN urn:pulumi:STACK::PROJECT::TYPE::NAME, for a resource of another stack or
# project (Pulumi docs, "Resource names"; "Aliases").
PREVIOUS_NAME_PATTERN = (r"^(urn:pulumi:[^:\s]{1,100}::[^:\s]{1,100}::[^\s]{1,400}::"
                         r"[^\x00-\x1f\x7f]{1,256}|(?!urn:)(?!.*::)[^\x00-\x1f\x7f]{1,256})$")
EXPORT_VALUE_PATTERN = r"^[a-z][a-z0-9-]*(\.[A-Za-z0-9_-]+)+$"  # DECLARATION.ATTRIBUTE
MEMBER_PATTERN = r"^\S{1,512}$"  # a gcp member or aws principal, checked per cloud
SUBSCRIPTION_KEY_PATTERN = r"^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$"
# Networks and keys: the forms the schema accepts; the provider modules
# check what a pattern cannot (a CIDR's host bits, which form a service takes).
IPV4_CIDR = r"[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}"
ALLOW_FROM_PATTERN = rf"^({IPV4_CIDR}|{SECURITY_GROUP_ID_PATTERN[1:-1]})$"
ENCRYPTION_PATTERN = r"^(managed|sqs-managed|kms:\S+)$"
PROVIDERS = tuple(CLOUDS)  # ("gcp", "aws")
PROFILES = ("development", "production")

# Memorystore and ElastiCache accept the same maxmemory policies (Redis documentation,
# "Key eviction"; Memorystore "Supported Redis configurations"; ElastiCache "Redis
# parameters").
EVICTION_POLICIES = (
    "volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu",
    "volatile-random", "allkeys-random", "volatile-ttl", "noeviction",
)
PERSISTENCE = ("none", "rdb-1h", "rdb-6h", "rdb-12h", "rdb-24h")
REDIS_VERSIONS = ("6.x", "7.0", "7.1", "7.2", "8.0", "8.1", "8.2", "9.0", "9.1")


def duration(description: str, example: Any, default: Any = None) -> dict[str, Any]:
    s: dict[str, Any] = {
        "title": "Duration",
        "type": ["integer", "string", "null"],
        "pattern": DURATION_PATTERN,
        "maxLength": N.UNITS_LENGTH,
        "minimum": 0,
        "description": description,
        "examples": [example],
    }
    s["default"] = default
    return s


def size(description: str, example: Any, default: Any = None, *,
         unit: bool = False) -> dict[str, Any]:
    s: dict[str, Any] = {
        "title": "Size with unit" if unit else "Size",
        "type": ["string", "null"] if unit else ["integer", "string", "null"],
        "pattern": SIZE_PATTERN,
        "maxLength": N.UNITS_LENGTH,
        "description": description,
        "examples": [example],
    }
    if not unit:
        s["minimum"] = 0
    s["default"] = default
    return s


def boolean(description: str, default: bool | None = None) -> dict[str, Any]:
    return {"type": ["boolean", "null"], "description": description, "default": default,
            "examples": [True]}


def enum(values: tuple[str, ...], description: str, default: str | None = None) -> dict[str, Any]:
    return {"enum": [*values, None], "description": description, "default": default,
            "examples": [default or values[0]]}


def string(description: str, example: str, pattern: str | None = None, *,
           max_length: int, default: str | None = None) -> dict[str, Any]:
    s: dict[str, Any] = {"type": ["string", "null"], "description": description,
                         "default": default, "examples": [example]}
    if pattern:
        s["pattern"] = pattern
    s["maxLength"] = max_length
    return s


def labels(description: str) -> dict[str, Any]:
    return {
        "type": ["object", "null"],
        "description": description,
        "propertyNames": {"maxLength": N.LABEL_KEY_LENGTH},
        "additionalProperties": {"type": ["string", "null"], "maxLength": N.LABEL_VALUE_LENGTH},
        "default": {},
        "examples": [{"team": "ml-platform", "cost-center": "research"}],
    }


@dataclass(frozen=True)
class Field:
    """One key of a declaration: its schema and which providers honour it."""

    schema: dict[str, Any]
    providers: tuple[str, ...] = PROVIDERS
    # provider -> the nearest thing it offers, for the error when it cannot honour the field
    instead: dict[str, str] = field(default_factory=dict)
    # the services of its providers that take it (empty: every service that takes the
    # fields of its cloud); a field of one service tells the others to select it
    services: tuple[str, ...] = ()


def service_field(kind: str) -> Field:
    """`service:`: which of its cloud's services builds the declaration."""
    from .providers import MODULES

    names = sorted({s.SERVICE for s in MODULES if kind == s.KIND})
    defaults = ", ".join(f"{s.PROVIDER}: {s.SERVICE}" for s in MODULES
                         if kind == s.KIND and s.IS_DEFAULT)
    return Field(enum(tuple(names), f"The service of its cloud that runs it. Default: "
                                    f"{defaults}.", None))


def _dead_letter(description: str) -> dict[str, Any]:
    return {
        "type": ["object", "boolean", "null"],
        "description": description,
        "additionalProperties": False,
        "properties": {
            "max_receives": {
                "type": ["integer", "null"],
                "minimum": aws_sqs.MAX_RECEIVES[0],
                "maximum": aws_sqs.MAX_RECEIVES[1],
                "description": "Deliveries before a message moves to the dead-letter queue. "
                               "SQS accepts 1..1000, Pub/Sub 5..100.",
                "default": 5,
                "examples": [5],
            },
            "retention": duration("How long the dead-letter queue keeps messages; at least "
                                  "the source's retention (SQS counts it from the original "
                                  "enqueue time). Default: the maximum, 14d on SQS, 31d on "
                                  "Pub/Sub.", "14d"),
        },
        "default": False,
        "examples": [{"max_receives": 5}],
    }

PREVIOUS_NAMES = {
    "type": ["array", "null"],
    "description": "Names this declaration's resource had before: an earlier declaration "
                   "name (a rename), the logical name a hand-written Pulumi program gave "
                   "it (`mlTrainingQueue`), or a whole URN for a resource of another stack "
                   "or project. They become Pulumi aliases, so the resources and their "
                   "data are kept instead of deleted and created anew.",
    "items": {"type": "string", "pattern": PREVIOUS_NAME_PATTERN,
              "maxLength": N.PREVIOUS_NAME_LENGTH},
    "uniqueItems": True,
    "default": None,
    "examples": [["ml-sessions"]],
}


COMMON_FIELDS: dict[str, Field] = {
    "provider": Field(enum(PROVIDERS, "Cloud for this declaration. Default: default_provider, "
                                      "or the only configured provider.")),
    "labels": Field(labels("Extra GCP labels / AWS tags for this declaration's resources, "
                           "merged over the environment's labels.")),
    "protect": Field(boolean("Pulumi `protect` (and a Memorystore instance's own "
                             "deletion_protection): refuse to delete "
                             "the resource. Default: false in development, true in "
                             "production.", False)),
    "previous_names": Field(PREVIOUS_NAMES),
    "name": Field(string("The physical name in the cloud; overrides name_template. "
                         "Resources generated for the declaration take theirs from it "
                         "(`<name>-dlq`, `<name>-<key>`). Checked by the provider's naming "
                         "rule. Needed to import an existing resource.",
                         "ml-session-storage", pattern=PHYSICAL_NAME_PATTERN,
                         max_length=N.PHYSICAL_NAME_LENGTH)),
    "import": Field({
        "type": ["string", "object", "null"],
        "description": "Adopt an existing cloud resource instead of creating it (Pulumi's "
                       "`import` option): a string imports the declaration's own resource; "
                       "a map names generated resources (`jobs-dlq: <id>`). Ids: Memorystore "
                       "projects/P/locations/R/instances/N, SQS the queue URL, Pub/Sub "
                       "projects/P/topics/T or projects/P/subscriptions/S, ElastiCache the "
                       "replication group id, SNS the topic ARN. Needs a fixed physical "
                       "name (`name` or name_template).",
        "minLength": 1,
        "maxLength": 1024,
        "propertyNames": {"pattern": RESOURCE_NAME_PATTERN, "maxLength": N.RESOURCE_NAME_LENGTH},
        "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 1024},
        "default": None,
        "examples": ["projects/acme-ml-prod/locations/us-central1/instances/ml-sessions"],
    }),
}


def _members(description: str, example: str) -> dict[str, Any]:
    return {"type": ["array", "null"], "description": description,
            "items": {"type": "string", "pattern": MEMBER_PATTERN, "maxLength": N.MEMBER_LENGTH},
            "uniqueItems": True,
            "default": None, "examples": [[example]]}


_PUBLISHERS = _members(
    "Who may publish: gcp members (serviceAccount:, user:, group:, domain:, principal:, "
    "principalSet:) get roles/pubsub.publisher on the topic; aws principals (IAM role or "
    "user ARNs, 12-digit account ids) get sqs:SendMessage (sns:Publish on a fan-out "
    "topic).", "serviceAccount:api@acme-ml-prod.iam.gserviceaccount.com")
_SUBSCRIBERS = _members(
    "Who may consume: gcp members get roles/pubsub.subscriber on each subscription; aws "
    "principals get sqs:ReceiveMessage, sqs:DeleteMessage, sqs:ChangeMessageVisibility on "
    "the queue (each subscription's queue on a fan-out).",
    "serviceAccount:trainer@acme-ml-prod.iam.gserviceaccount.com")
QUEUE_ACCESS = {
    "type": ["object", "null"],
    "description": "Least-privilege grants for applications: gcp Pub/Sub IAM members, aws "
                   "SQS (and SNS) resource policies. In production an aws policy also "
                   "denies requests without TLS.",
    "additionalProperties": False,
    "properties": {"publishers": _PUBLISHERS, "subscribers": _SUBSCRIBERS},
    "default": None,
    "examples": [{"publishers": ["arn:aws:iam::123456789012:role/api"],
                  "subscribers": ["arn:aws:iam::123456789012:role/trainer"]}],
}
SUBSCRIPTION_ACCESS = {
    "type": ["object", "null"],
    "description": "More subscribers for this subscription, besides the queue's.",
    "additionalProperties": False,
    "properties": {"subscribers": _SUBSCRIBERS},
    "default": None,
    "examples": [{"subscribers": ["group:ml-trainers@acme.com"]}],
}

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

ENCRYPTION = string("Encryption at rest: `managed` (the provider's key, the default) or "
                    "`kms:<key>`: gcp a Cloud KMS key "
                    "projects/P/locations/L/keyRings/R/cryptoKeys/K (mlinfra grants the "
                    "service agent access to it); aws a KMS key (ElastiCache: its ARN; SQS: "
                    "id, ARN or alias). SQS also accepts `sqs-managed`.",
                    "managed", pattern=ENCRYPTION_PATTERN, max_length=N.ENCRYPTION_LENGTH,
                    default="managed")

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


def _pulumi_args(target: str, example: dict[str, Any]) -> Field:
    """`pulumi_args`: keyword arguments of the declaration's own resource that no field
    models (sdkargs.py checks and applies them)."""
    return Field({
        "type": ["object", "null"],
        "description": f"Keyword arguments mlinfra does not model, passed as written to "
                       f"{target}. Names are the Pulumi Python SDK's (snake_case), checked "
                       "by lint against the SDK mlinfra pins; one a field models is "
                       "refused, naming the field. Values are plain JSON (no `$ref`, "
                       "`$json`, `$secret` or `$unknown` keys), in the SDK's own types. "
                       "`diff` shows a change of one mlinfra has no change rule for as MAY "
                       "REPLACE.",
        "propertyNames": {"maxLength": N.SDK_NAME_LENGTH},
        "additionalProperties": {"$ref": "#/$defs/sdk_value"},
        "default": None,
        "examples": [example],
    })


# The value of an SDK argument in pulumi_args (schema.py's `$defs/sdk_value`): any JSON,
# its strings and keys bounded as every string of the language is.
SDK_VALUE = {
    "type": ["string", "number", "boolean", "null", "object", "array"],
    "description": f"A value of an SDK argument: JSON whose strings are at most "
                   f"{N.SDK_STRING_LENGTH:,} characters and whose keys {N.SDK_NAME_LENGTH}.",
    "maxLength": N.SDK_STRING_LENGTH,
    "propertyNames": {"maxLength": N.SDK_NAME_LENGTH},
    "additionalProperties": {"$ref": "#/$defs/sdk_value"},
    "items": {"$ref": "#/$defs/sdk_value"},
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
    "node_type": Field(string("ElastiCache node type; overrides the choice made from memory.",
                              "cache.r7g.large", pattern=r"^cache\.[a-z0-9]+\.[a-z0-9]+$",
                              max_length=N.NODE_TYPE_LENGTH),
                       providers=("aws",),
                       instead={"gcp": "Memorystore sizes by memory alone"}),
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
    "pulumi_args": _pulumi_args(
        "the store's Memorystore instance (pulumi_gcp.redis.Instance) or ElastiCache "
        "replication group (pulumi_aws.elasticache.ReplicationGroup)",
        {"display_name": "Feature cache"}),
}

_SUB_COMMON: dict[str, Field] = {
    "visibility_timeout": Field(duration(
        "Time a consumer has to acknowledge a message before it is redelivered. SQS "
        "0..12h (default 30s); Pub/Sub ack deadline 10s..600s (default 10s).", "30s")),
    "retention": Field(duration(
        "How long unacknowledged messages are kept. SQS 60s..14d (default 4d, 14d in "
        "production); Pub/Sub subscriptions 10m..31d (default 7d).", "1d")),
    "ordering": Field(boolean("Pub/Sub: deliver messages with the same ordering key in order."),
                      providers=("gcp",),
                      instead={"aws": "SQS orders messages in FIFO queues: use fifo: true"}),
    "exactly_once": Field(boolean("Pub/Sub exactly-once delivery.", False), providers=("gcp",),
                          instead={"aws": "SQS FIFO queues deduplicate: use fifo: true"}),
    "retry": Field({
        "type": ["object", "null"],
        "description": "Pub/Sub redelivery backoff (0..600s each).",
        "additionalProperties": False,
        "properties": {
            "min_backoff": duration("Shortest wait before redelivery (default 10s).", "10s",
                                    "10s"),
            "max_backoff": duration("Longest wait before redelivery (default 600s).", "600s",
                                    "600s"),
        },
        "default": None,
        "examples": [{"min_backoff": "10s", "max_backoff": "600s"}],
    }, providers=("gcp",), instead={"aws": "SQS redelivers after visibility_timeout"}),
    "dead_letter": Field(_dead_letter(
        "Move messages that fail max_receives times to a dead-letter queue (SQS: a queue "
        "`<name>-dlq`; Pub/Sub: a topic `<name>-dlq` with a subscription that keeps them). "
        "true uses max_receives 5; false turns it off. Default: off in development, "
        "max_receives 5 in production.")),
    "expiry": Field({
        "type": ["string", "integer", "null"],
        "pattern": r"^(never|(?=\d)(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?)$",
        "maxLength": N.UNITS_LENGTH,
        "description": "Pub/Sub: delete the subscription after this long without activity "
                       "(at least 1d), or `never`. Default: the provider's 31 days in "
                       "development, never in production.",
        "default": None,
        "examples": ["never"],
    }, providers=("gcp",), instead={"aws": "SQS queues do not expire"}),
    "labels": COMMON_FIELDS["labels"],
}

SUBSCRIPTION_FIELDS: dict[str, Field] = {
    **_SUB_COMMON,
    "name": COMMON_FIELDS["name"],
    "previous_names": Field(PREVIOUS_NAMES),
    "import": Field({**COMMON_FIELDS["import"].schema, "type": ["string", "null"],
                     "description": "Adopt an existing subscription (Pub/Sub "
                                    "projects/P/subscriptions/S; on aws the SQS queue URL) "
                                    "instead of creating it. Needs a fixed physical name.",
                     "examples": ["projects/acme-ml-prod/subscriptions/ml-training-sub"]}),
    "access": Field(SUBSCRIPTION_ACCESS),
    "pulumi_args": _pulumi_args(
        "the subscription's Pub/Sub subscription (pulumi_gcp.pubsub.Subscription) or, on "
        "aws, its SQS queue (pulumi_aws.sqs.Queue); never taken from the queue's",
        {"filter": 'attributes.kind = "train"'}),
}

USAGE = {
    "type": ["object", "null"],
    "description": "Expected traffic, for cost estimates only (`mlinfra cost`, plan, diff): "
                   "nothing is deployed from it. Without it the queue's cost is shown as "
                   "usage-based, with its unit price. SQS: 3 requests a message (send, "
                   "receive, delete), one per 64 KiB; Pub/Sub: the bytes published and "
                   "delivered to each subscription, at least 1000 a message.",
    "additionalProperties": False,
    "required": ["messages_per_month", "average_message_size"],
    "properties": {
        "messages_per_month": {"type": "integer", "minimum": 0, "maximum": 10**15,
                               "description": "Messages published a month.",
                               "default": None, "examples": [5000000]},
        "average_message_size": size("Average size of a message, body and attributes: "
                                     "bytes, or N with B, KiB or MiB.", "2KiB"),
    },
    "default": None,
    "examples": [{"messages_per_month": 5000000, "average_message_size": "2KiB"}],
}

QUEUE_FIELDS: dict[str, Field] = {
    **COMMON_FIELDS,
    "service": service_field("queue"),
    **_SUB_COMMON,
    "delay": Field(duration("SQS delivery delay, 0..900s (default 0).", "90s", 0),
                   providers=("aws",),
                   instead={"gcp": "Pub/Sub has no delivery delay; the nearest is "
                                   "retry.min_backoff, which delays redelivery only"}),
    "max_message_size": Field(size("SQS largest message, 1KiB..1MiB (default 256KiB).",
                                   "256KiB", "256KiB"),
                              providers=("aws",),
                              instead={"gcp": "Pub/Sub messages are always up to 10 MB"}),
    "receive_wait": Field(duration("SQS long-polling wait, 0..20s (mlinfra's default 20s; "
                                   "SQS's own is 0, short polling).", "10s",
                                   "20s"),
                          providers=("aws",),
                          instead={"gcp": "Pub/Sub streams messages: there is no "
                                          "receive wait"}),
    "fifo": Field(boolean("SQS FIFO queue (its name ends in .fifo).", False),
                  providers=("aws",),
                  instead={"gcp": "Pub/Sub orders by key: use ordering: true"}),
    "content_based_deduplication": Field(
        boolean("SQS FIFO: deduplicate by a hash of the body.", False), providers=("aws",),
        instead={"gcp": "use exactly_once: true"}),
    "encryption": Field(ENCRYPTION),
    "region": Field(string("SQS region. Default: providers.aws.region.", "us-east-1",
                           max_length=REGION_LENGTH),
                    providers=("aws",),
                    instead={"gcp": "Pub/Sub topics are global"}),
    "access": Field(QUEUE_ACCESS),
    "usage": Field(USAGE),
    "subscriptions": Field({
        "type": ["object", "null"],
        "description": "Consumers that each get every message, `<name>-<key>`: Pub/Sub "
                       "subscriptions; on aws an SNS topic fanning out to one SQS queue per "
                       "key. Without this map: one Pub/Sub subscription `<name>-sub`, key "
                       "`default` (in exports, stack outputs and `mlinfra outputs`), or the "
                       "SQS queue itself. Each may override the queue's fields.",
        "propertyNames": {"pattern": SUBSCRIPTION_KEY_PATTERN,
                          "maxLength": N.SUBSCRIPTION_KEY_LENGTH},
        "additionalProperties": {"$ref": "#/$defs/subscription"},
        "default": None,
        "examples": [{"trainers": {"visibility_timeout": "60s"}}],
    }),
    "pulumi_args": _pulumi_args(
        "the queue's SQS queue (pulumi_aws.sqs.Queue), Pub/Sub topic "
        "(pulumi_gcp.pubsub.Topic) or, on aws with subscriptions, SNS topic "
        "(pulumi_aws.sns.Topic); subscriptions take their own (the one Pub/Sub "
        "subscription `<name>-sub` as subscriptions.default.pulumi_args)",
        {"message_retention_duration": "86400s"}),
}

EXPORTS = {
    "type": ["object", "null"],
    "description": "Stack outputs under names of your choice, as DECLARATION.ATTRIBUTE "
                   "(`ml-session-storage.host`): what a stack's consumers already read. "
                   "Every declaration has id and name; stores host, port (gcp read_endpoint, "
                   "server_ca_cert, auth_string; aws arn, reader_host); queues url, arn, "
                   "dead_letter_url, dead_letter_arn (aws), topic_name, topic_id, "
                   "dead_letter_topic_name (gcp; aws fan-out topic_name, topic_arn) and "
                   "subscriptions.KEY.name / id / url / arn. " + refused_names(),
    "propertyNames": {"pattern": EXPORT_NAME_PATTERN, "maxLength": N.EXPORT_NAME_LENGTH},
    "additionalProperties": {"type": ["string", "null"], "pattern": EXPORT_VALUE_PATTERN,
                             "maxLength": N.EXPORT_VALUE_LENGTH},
    "default": None,
    "examples": [{"redis_instance_host": "ml-session-storage.host"}],
}
