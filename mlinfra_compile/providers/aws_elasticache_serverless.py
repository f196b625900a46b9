"""Session stores on AWS with `service: elasticache-serverless`: ElastiCache Serverless
(`aws:elasticache/serverlessCache:ServerlessCache`), a cache AWS sizes by itself, billed
by the data it holds and the ElastiCache Processing Units (ECPUs) it spends.

Facts, read 2026-12-06 from the pulumi-aws 7.51.1 docstrings of
`pulumi_aws.elasticache.ServerlessCache` (serverless_cache.py, _inputs.py) and the
ElastiCache User Guide (docs.aws.amazon.com/AmazonElastiCache/latest/dg):
- engine redis | valkey (memcached too, not a session store here); major_engine_version
  "7" for redis, "7" or "8" for valkey (the AWS CDK's CacheEngine list: REDIS_7, VALKEY_7,
  VALKEY_8, aws-cdk serverless-cache-base.ts at 1fdf4a4d).
- cache_usage_limits: data_storage {maximum, minimum, unit "GB"} "between 1 and 5,000";
  ecpu_per_seconds [{maximum, minimum}] "between 1,000 and 15,000,000".
- snapshot_retention_limit at most 35 days; description at most 255 characters.
- In-transit encryption is always on: "All Valkey or Redis OSS serverless caches have
  in-transit encryption enabled" (in-transit-encryption.html); at rest always, with AWS's
  key or kms_key_id (a KMS key ARN).
- Access control: "RBAC is also the only way to control access to serverless caches"
  (Clusters.RBAC.html): a user group (user_group_id), no AUTH token; a cache without a
  user group lets every client in its security groups in.
- Outputs: endpoints and reader_endpoints, lists of {address, port}; arn. Import id: the
  cache's name.
- Name: stored lowercase by the API; no published rule. mlinfra applies the replication
  group id's (1..40 letters, digits and hyphens, starting with a letter), which every
  name the CDK generates also meets (maxLength 40).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..graph import Origin, Resource, ref
from ..naming import NamingRule
from .aws_elasticache import KEY_ARN
from .aws_elasticache_network import NETWORK_KEYS as NETWORK_KEYS
from .aws_elasticache_network import store_network
from .aws_elasticache_serverless_facts import CHANGES as CHANGES
from .aws_elasticache_serverless_facts import COSTS as COSTS
from .aws_elasticache_serverless_facts import ENGINE_MAJORS, TYPE
from .aws_elasticache_serverless_facts import IMPORT_IDS as IMPORT_IDS
from .aws_elasticache_serverless_facts import NAME_ARGS as NAME_ARGS
from .aws_elasticache_serverless_facts import STATEFUL as STATEFUL
from .base import (
    Args,
    Decl,
    Defaults,
    Value,
    attributes,
    check_region,
    chosen_network,
    derived,
    protect,
    resource_labels,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from .adopting import Adopted

# The service contract (providers.Service).
KIND, PROVIDER = "session_store", "aws"
SERVICE = "elasticache-serverless"
IS_DEFAULT = False
ACCEPTS: frozenset[str] | None = frozenset({
    "engine", "version", "max_data", "max_ecpu", "user_group", "auth", "tls", "network",
    "encryption", "snapshot_retention_days", "description", "region", "pulumi_args"})
TITLE = "ElastiCache Serverless"
# The fields it brings, which the cloud's default service (elasticache) does not take.
CLAIMS = frozenset({"max_data", "max_ecpu", "user_group"})
INSTEAD: dict[str, str] = {
    "memory": "a serverless cache grows with its data: cap it with max_data",
    "tier": "a serverless cache always keeps its data in several availability zones",
    "replicas": "a serverless cache adds read capacity by itself: cap it with max_ecpu",
    "node_type": "a serverless cache has no nodes: cap it with max_data and max_ecpu",
    "apply": "a serverless cache applies every change at once",
    "maintenance": "AWS maintains a serverless cache without a weekly window",
    "eviction_policy": "a serverless cache takes no parameter group",
}
RUNNING: dict[str, dict[str, str]] = {}
TLS_VALUES: tuple[object, ...] = (True,)  # always on: `tls: false` is an error, not a rule
PRODUCTION_SETTINGS: tuple[str, ...] = ("subnet_ids",)  # MLC507, as for replication groups
PORT = 6379  # the Valkey and Redis OSS port of a serverless endpoint
NAME_RULE = NamingRule("ElastiCache serverless cache", r"[a-z](?!.*--)[a-z0-9-]{0,38}[a-z0-9]?",
                       "1..40 lowercase letters, digits and hyphens, starting with a letter, "
                       "without two hyphens in a row", max_length=40)

_COMMON: Defaults = {
    "engine": ("valkey", "mlinfra default: Valkey costs a third less and is billed from "
                         "100 MB (Redis OSS from 1 GB)"),
    "tls": (True, "always on for ElastiCache Serverless"),
    "encryption": ("managed", "mlinfra default: AWS's key"),
}
DEFAULTS: dict[str, Defaults] = {
    "development": {
        **_COMMON,
        "auth": (False, "development default"),
        "snapshot_retention_days": (0, "development default: no automatic snapshots"),
        "protect": (False, "development default: stateful resources are not protected"),
    },
    "production": {
        **_COMMON,
        "auth": (True, "production default: clients sign in as users of a user_group"),
        "snapshot_retention_days": (7, "production default: a week of daily snapshots"),
        "protect": (True, "production default: stateful resources are protected"),
    },
}


def _engine(decl: Decl, a: Args) -> None:
    """engine and version -> engine and major_engine_version."""
    engine = decl.get("engine")
    assert engine is not None  # every profile has a default engine
    a.put("engine", engine)
    majors = ENGINE_MAJORS[engine.value]
    version = decl.given("version")
    if version is None:
        a.set("major_engine_version", majors[-1],
              derived(decl, f"the newest major version of {engine.value} serverless"))
        return
    major = str(version.value).split(".")[0]
    if major not in majors:
        decl.err("MLC328", "version", f"ElastiCache Serverless runs {engine.value} "
                                      f"{' or '.join(majors)} (a major version), not "
                                      f"{version.value}", version)
        return
    a.set("major_engine_version", major, version.origin)


def _limits(decl: Decl, a: Args) -> None:
    """max_data (GB) and max_ecpu (a second) -> cache_usage_limits."""
    data, ecpu = decl.given("max_data"), decl.given("max_ecpu")
    limits: dict[str, Any] = {}
    if data is not None:
        limits["data_storage"] = {"maximum": data.value, "unit": "GB"}
    if ecpu is not None:
        limits["ecpu_per_seconds"] = [{"maximum": ecpu.value}]
    if limits:
        a.set("cache_usage_limits", limits, (data or ecpu).origin)  # type: ignore[union-attr]


def _access(decl: Decl, a: Args) -> None:
    """tls (always on) and auth with a user group (RBAC, the only sign-in it has)."""
    tls = decl.get("tls")
    if tls is not None and tls.value is not True:
        decl.err("MLC311", "tls", "ElastiCache Serverless always encrypts in transit: remove "
                                  "tls or set it to true", tls)
    auth, group = decl.get("auth"), decl.given("user_group")
    if auth is not None and auth.value and group is None:
        decl.err("MLC311", "auth", "ElastiCache Serverless signs clients in as users of an "
                                   "RBAC user group (it has no AUTH token): set user_group "
                                   "to the group's id", auth)
    elif group is not None and not (auth is not None and auth.value):
        decl.err("MLC311", "user_group", "a user group is how a serverless cache requires "
                                         "sign-in: set auth: true with it", group)
    elif group is not None:
        a.put("user_group_id", group)


def _network(decl: Decl, a: Args, region: Value | None,
             tags: tuple[dict[str, str], Origin]) -> None:
    """subnet_ids -> subnet_ids (no subnet group), and the security groups as a
    replication group's (aws_elasticache_network.store_network)."""
    subnets = store_network(decl, a, region, tags)
    if subnets is not None:
        a.set("subnet_ids", list(subnets.value), subnets.origin)


def _encryption(decl: Decl, a: Args) -> None:
    """encryption: kms:<key ARN> -> kms_key_id (at rest it is always encrypted)."""
    enc = decl.get("encryption")
    if enc is None or enc.value == "managed":
        return
    key = str(enc.value)[4:] if str(enc.value).startswith("kms:") else None
    if key is None or not KEY_ARN.fullmatch(key):
        decl.err("MLC320", "encryption", f"{enc.value} is not kms:<key ARN> "
                                         "(arn:aws:kms:REGION:ACCOUNT:key/ID): ElastiCache "
                                         "keeps a key by its ARN", enc)
        return
    a.set("kms_key_id", key, enc.origin)


def _details(decl: Decl, a: Args) -> None:
    keep = decl.get("snapshot_retention_days")
    if keep is not None:
        a.set("snapshot_retention_limit", keep.value, keep.origin)
    desc = decl.given("description")
    if desc is not None:
        a.put("description", desc)
    else:
        a.set("description", f"mlinfra session store {decl.name} ({decl.ctx.env})",
              derived(decl, "default description"))


def build(decl: Decl) -> list[Decl]:
    """The cache: engine, limits, access, network, key, snapshots; its outputs."""
    ctx = decl.ctx
    a = Args()
    _engine(decl, a)
    _limits(decl, a)
    _access(decl, a)
    _details(decl, a)
    region = decl.given("region") or ctx.provider_setting("aws", "region")
    a.put("region", region)
    check_region(decl, "elasticache", region)
    tags, torigin = resource_labels(decl)
    a.set("tags", tags, torigin)
    _network(decl, a, region, (tags, torigin))
    _encryption(decl, a)
    a.put("name", ctx.physical_name(decl, decl.name, "session_store", NAME_RULE))
    ctx.add(Resource(decl.name, TYPE, a.values, {"protect": protect(decl).value},
                     decl.source, a.origins, "session_store", decl.name))
    ctx.outputs[decl.name] = {
        "host": ref(decl.name, "endpoints.0.address"),
        "reader_host": ref(decl.name, "reader_endpoints.0.address"),
        "port": ref(decl.name, "endpoints.0.port"),
    }
    attributes(decl, {k: (decl.name, v) for k, v in (
        ("id", "id"), ("name", "name"), ("arn", "arn"), ("host", "endpoints.0.address"),
        ("reader_host", "reader_endpoints.0.address"), ("port", "endpoints.0.port"))})
    return []


def delivers(decl: Decl) -> bool:
    return False


def network_of(decl: Decl) -> Value | None:
    return chosen_network(decl, "subnet_ids", "aws", "subnet_ids")


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Every serverless cache, one session store each."""
    from .aws_elasticache_serverless_adopt import adopt_cache

    return [adopt_cache(r) for r in resources if r.type == TYPE], {}


# What each field becomes (the editor's hover and docs/language.md).
ARGUMENTS: dict[str, str] = {
    "engine": "`engine`: redis or valkey",
    "version": "`major_engine_version`: redis 7, valkey 7 or 8",
    "max_data": "`cache_usage_limits` data_storage maximum, 1..5000 GB",
    "max_ecpu": "`cache_usage_limits` ecpu_per_seconds maximum, 1,000..15,000,000",
    "user_group": "`user_group_id` (RBAC)",
    "auth": "`user_group_id`: auth: true needs user_group",
    "tls": "always on (no argument)",
    "network": "`subnet_ids`, `security_group_ids` (and a security group for allow_from)",
    "encryption": "`kms_key_id`",
    "snapshot_retention_days": "`snapshot_retention_limit`: at most 35 days",
    "description": "`description`: at most 255 characters",
    "region": "`region`",
    "labels": "`tags`",
    "protect": "Pulumi's `protect`",
    "name": "`name`: 1..40 lowercase letters, digits and hyphens",
}
