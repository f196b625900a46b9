"""Session stores on AWS: ElastiCache replication groups
(`aws:elasticache/replicationGroup:ReplicationGroup`), with a parameter group for the
eviction policy (`aws:elasticache/parameterGroup:ParameterGroup`).

Facts, from the pulumi-aws 7.51.1 docstrings of `pulumi_aws.elasticache.ReplicationGroup`
and the ElastiCache User Guide (docs.aws.amazon.com/AmazonElastiCache/latest/dg):
- Multi-AZ needs automatic failover; automatic failover needs num_cache_clusters >= 2
  ("Minimizing downtime with Multi-AZ"); a group has 0..5 replicas.
- auth_token: 16..128 printable ASCII characters whose only special characters are
  !, &, #, $, ^, <, > and -, only with transit encryption (botocore elasticache
  CreateReplicationGroup AuthToken; "Authenticating with the Valkey and Redis OSS AUTH
  command"); removed only with AuthTokenUpdateStrategy DELETE, toward RBAC.
- snapshot_retention_limit: at most 35 days ("Scheduling automatic backups").
- Engine versions: Redis OSS up to 7.1; Valkey 7.2, 8.0, 8.1, 8.2, 9.0 and 9.1
  ("Supported engines and versions"); parameter group families redis6.x, redis7, valkey7,
  valkey8, valkey9 (FAMILIES below).
- Node memory (GiB), from "Supported node types".
- replication_group_id: 1..40 letters, digits and hyphens, starting with a letter, without
  two consecutive hyphens or a trailing hyphen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ..graph import Origin, Resource, ref
from ..naming import NamingRule
from ..units import DAYS
from .aws_elasticache_changes import CHANGES as CHANGES
from .aws_elasticache_changes import PARAMETER_GROUP as PARAMETER_GROUP
from .aws_elasticache_changes import PROVIDER as PROVIDER
from .aws_elasticache_changes import RUNNING as RUNNING
from .aws_elasticache_changes import (
    TRANSIT_ENCRYPTION_IN_PLACE_FROM as TRANSIT_ENCRYPTION_IN_PLACE_FROM,
)
from .aws_elasticache_changes import TYPE as TYPE
from .aws_elasticache_changes import version_tuple as version_tuple
from .aws_elasticache_changes import waits_for_window as waits_for_window
from .aws_elasticache_cost import COSTS as COSTS
from .aws_elasticache_network import NETWORK_KEYS as NETWORK_KEYS
from .aws_elasticache_network import _network
from .aws_elasticache_nodes import KNOWN_NODE_TYPES as KNOWN_NODE_TYPES
from .aws_elasticache_security import KEY_ARN as KEY_ARN
from .aws_elasticache_security import _encryption, _protection
from .aws_elasticache_security import auth_secret_key as auth_secret_key
from .aws_elasticache_sizing import MAX_REPLICAS as MAX_REPLICAS
from .aws_elasticache_sizing import _node_type, _tier
from .aws_elasticache_values import ENGINE_VERSIONS as ENGINE_VERSIONS
from .aws_elasticache_values import MAX_SNAPSHOT_RETENTION_DAYS as MAX_SNAPSHOT_RETENTION_DAYS
from .aws_elasticache_values import _hhmm as _hhmm
from .base import (
    Args,
    Decl,
    Defaults,
    ImportId,
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

# The service contract (providers.Service): what resolve, diff and policy read.
KIND = "session_store"  # PROVIDER, its cloud, is aws_elasticache_changes' (beside its TYPE)
SERVICE = "elasticache"  # the `service:` that selects it; the default of its kind and cloud
IS_DEFAULT = True
ACCEPTS: frozenset[str] | None = None  # every field of its cloud
INSTEAD: dict[str, str] = {}  # field it does not take -> what it offers
TITLE = "ElastiCache"  # how people call it (the editor's hovers)
CLAIMS: frozenset[str] = frozenset()  # fields its cloud's default service leaves to it
STATEFUL = frozenset({TYPE})
NAME_ARGS = {TYPE: "replication_group_id", PARAMETER_GROUP: "name"}
# Import ids: the replication group id and the parameter group's name (pulumi-aws 7.51.1
# docstrings, "Import").
IMPORT_IDS = {
    TYPE: ImportId("ElastiCache replication group", r"(?P<name>[a-z][a-z0-9-]{0,39})",
                   "ml-sessions"),
    PARAMETER_GROUP: ImportId("ElastiCache parameter group",
                              r"(?P<name>[a-z][a-z0-9-]{0,254})", "ml-sessions-params"),
}
TLS_VALUES: tuple[object, ...] = (True, False, "preferred")
PRODUCTION_SETTINGS: tuple[str, ...] = ("subnet_ids",)  # MLC507, as on gcp

# ENGINE_VERSIONS (language version -> engine_version) is aws_elasticache_values'; each
# major's parameter group family:
FAMILIES = {("redis", "6"): "redis6.x", ("redis", "7"): "redis7",
            ("valkey", "7"): "valkey7", ("valkey", "8"): "valkey8",
            ("valkey", "9"): "valkey9"}
GROUP_ID_RULE = NamingRule("ElastiCache replication group", r"(?!.*--)[a-z][a-z0-9-]{0,39}(?<!-)",
                           "1..40 lowercase letters, digits and hyphens, starting with a "
                           "letter, without `--` or a trailing hyphen", max_length=40)
PARAMETER_GROUP_DESCRIPTION = "mlinfra session store parameters"
PARAMETER_GROUP_RULE = NamingRule("ElastiCache parameter group",
                                  r"(?!.*--)[a-z][a-z0-9-]{0,254}(?<!-)",
                                  "1..255 lowercase letters, digits and hyphens, starting "
                                  "with a letter, without `--` or a trailing hyphen")

_COMMON: Defaults = {
    "memory": ("1GiB", "default, as on Memorystore"),
    "engine": ("redis", "default: Redis OSS, as on Memorystore"),
    "encryption": ("managed", "default: at rest with the key ElastiCache manages"),
}
DEFAULTS: dict[str, Defaults] = {
    "development": {
        **_COMMON,
        "tier": ("basic", "development default"),
        "auth": (False, "development default"),
        "tls": (False, "development default"),
        "apply": ("immediately", "development default: changes apply at once"),
        "snapshot_retention_days": (0, "development default: no automatic snapshots"),
        "protect": (False, "development default: stateful resources are not protected"),
    },
    "production": {
        **_COMMON,
        "tier": ("standard_ha", "production default"),
        "auth": (True, "production default"),
        "tls": (True, "production default"),
        "apply": ("maintenance_window", "production default: changes to the nodes wait for "
                                        "the weekly maintenance window"),
        "snapshot_retention_days": (7, "production default: a week of daily snapshots"),
        "protect": (True, "production default: stateful resources are protected"),
    },
}
DEFAULT_VERSION = {"redis": "7.1", "valkey": "8.0"}


def _maintenance(decl: Decl, a: Args, keep: Value | None) -> None:
    """maintenance: {day, start} -> maintenance_window `ddd:hh:mm-ddd:hh:mm` (one hour,
    UTC, lowercase as the provider stores it) and, when snapshots are kept, snapshot_window
    the hour before it, so the two never overlap (ModifyReplicationGroup: both at least
    60 minutes; AWS refuses overlapping windows)."""
    m = decl.given("maintenance")
    if m is None or not isinstance(m.value, dict):
        return
    day = DAYS.index(m.value["day"])
    hours, minutes = (int(x) for x in str(m.value["start"]).split(":"))
    start = day * 24 * 60 + hours * 60 + minutes
    end = (start + 60) % (7 * 24 * 60)
    window = (f"{DAYS[start // 1440][:3]}:{_hhmm(start)}-"
              f"{DAYS[end // 1440][:3]}:{_hhmm(end)}")
    a.set("maintenance_window", window, m.origin)
    if keep is not None and keep.value:
        a.set("snapshot_window", f"{_hhmm(start - 60)}-{_hhmm(start)}",
              derived(decl, "the hour before the maintenance window, clear of it"))


class _Runs(NamedTuple):
    """What a group runs: its engine, the engine_version, and the `version` that gives it."""

    engine: str
    engine_version: str
    version: Value


def _engine(decl: Decl, a: Args) -> _Runs:
    """engine -> engine; version -> engine_version, mlinfra's default for the engine when
    not given or not offered."""
    engine_v = decl.get("engine")
    assert engine_v is not None  # every profile has a default engine
    engine = engine_v.value
    a.put("engine", engine_v)
    version = decl.given("version")
    if version is not None and version.value not in ENGINE_VERSIONS[engine]:
        offered = ", ".join(ENGINE_VERSIONS[engine])
        alt = " or engine: valkey" if version.value in ENGINE_VERSIONS["valkey"] else \
            (" or engine: redis" if version.value in ENGINE_VERSIONS["redis"] else "")
        decl.err("MLC328", "version", f"ElastiCache {engine} offers versions {offered}, not "
                                      f"{version.value}; choose one of those{alt}", version)
        version = None
    if version is None:
        version = Value(DEFAULT_VERSION[engine],
                        Origin("default", decl.origin.file, decl.origin.line,
                               decl.origin.column, f"mlinfra's default for {engine} (a newer "
                               "version is an in-place upgrade: set version)"))
    engine_version = ENGINE_VERSIONS[engine][version.value]
    a.set("engine_version", engine_version, version.origin)
    return _Runs(engine, engine_version, version)


def _settings(decl: Decl, a: Args) -> Value | None:
    """apply -> apply_immediately; snapshot_retention_days -> snapshot_retention_limit;
    description, by default one naming the store. Returns the retention (the maintenance
    window reads it)."""
    when = decl.get("apply")
    a.put("apply_immediately", when, lambda w: w == "immediately")
    keep = decl.get("snapshot_retention_days")
    if keep is not None:
        a.set("snapshot_retention_limit", keep.value, keep.origin)
    desc = decl.given("description")
    if desc is not None:
        a.put("description", desc)
    else:
        a.set("description", f"mlinfra session store {decl.name} ({decl.ctx.env})",
              derived(decl, "default description"))
    return keep


def _region_and_tags(decl: Decl, a: Args) -> tuple[Value | None, tuple[dict[str, str], Origin]]:
    """region (checked against ElastiCache's regions) and tags; returns both, for the
    resources made alongside the group."""
    region = decl.given("region") or decl.ctx.provider_setting("aws", "region")
    a.put("region", region)
    check_region(decl, "elasticache", region)
    tags, torigin = resource_labels(decl)
    a.set("tags", tags, torigin)
    return region, (tags, torigin)


def _parameter_group(decl: Decl, a: Args, runs: _Runs, region: Value | None,
                     tags: tuple[dict[str, str], Origin]) -> None:
    """eviction_policy -> a parameter group `<name>-params` of the engine's family setting
    maxmemory-policy, which parameter_group_name names."""
    ctx = decl.ctx
    policy = decl.given("eviction_policy")
    if policy is None:
        return
    major = runs.engine_version.split(".")[0]
    pg_name = f"{decl.name}-params"
    p = Args()
    p.set("family", FAMILIES[(runs.engine, major)], runs.version.origin)
    p.set("parameters", [{"name": "maxmemory-policy", "value": policy.value}],
          policy.origin)
    # The description is ForceNew and AWS refuses to delete a group a store still
    # uses: it names nothing that can change (a group made by an earlier version keeps
    # its description, which names the store: Pulumi ignores the difference).
    p.set("description", PARAMETER_GROUP_DESCRIPTION,
          derived(decl, "default description"))
    p.put("region", region)
    p.set("tags", *tags)
    p.put("name", ctx.physical_name(decl, pg_name, "parameter_group",
                                    PARAMETER_GROUP_RULE))
    ctx.add(Resource(pg_name, PARAMETER_GROUP, p.values,
                     {"ignore_changes": ["description"]}, decl.source,
                     p.origins, "parameter_group", decl.name))
    a.set("parameter_group_name", ref(pg_name, "name"), policy.origin)


def _outputs(decl: Decl) -> None:
    """The stack outputs of a store, and what `exports` may name on it."""
    decl.ctx.outputs[decl.name] = {
        "host": ref(decl.name, "primary_endpoint_address"),
        "reader_host": ref(decl.name, "reader_endpoint_address"),
        "port": ref(decl.name, "port"),
    }
    attributes(decl, {k: (decl.name, v) for k, v in (
        ("id", "id"), ("name", "replication_group_id"), ("arn", "arn"),
        ("host", "primary_endpoint_address"), ("reader_host", "reader_endpoint_address"),
        ("port", "port"))})


def build(decl: Decl) -> list[Decl]:
    ctx = decl.ctx
    a = Args()
    runs = _engine(decl, a)
    _node_type(decl, a)
    _tier(decl, a)
    _protection(decl, a, runs.engine_version)
    keep = _settings(decl, a)
    region, tags = _region_and_tags(decl, a)
    prot = protect(decl)
    _network(decl, a, region, tags)
    _encryption(decl, a, region)
    _maintenance(decl, a, keep)
    _parameter_group(decl, a, runs, region, tags)
    a.put("replication_group_id", ctx.physical_name(decl, decl.name, "session_store",
                                                    GROUP_ID_RULE))
    ctx.add(Resource(decl.name, TYPE, a.values, {"protect": prot.value}, decl.source,
                     a.origins, "session_store", decl.name))
    _outputs(decl)
    return []


def delivers(decl: Decl) -> bool:
    return False


def network_of(decl: Decl) -> Value | None:
    return chosen_network(decl, "subnet_ids", "aws", "subnet_ids")


# What each field becomes (the editor's hover and docs/language.md): the
# arguments of elasticache.ReplicationGroup it sets, with the ranges the facts above give.
ARGUMENTS: dict[str, str] = {
    "memory": "`node_type`: the smallest of t4g.micro..r7g.16xlarge holding it",
    "node_type": "`node_type`",
    "tier": "`num_cache_clusters`, `automatic_failover_enabled`, `multi_az_enabled`",
    "replicas": f"`num_cache_clusters` (the primary and 0..{MAX_REPLICAS} replicas)",
    "version": "`engine_version` (and the parameter group's family)",
    "engine": "`engine`: redis or valkey",
    "auth": "`auth_token`, from the secret config value `<name>-auth-token`",
    "tls": "`transit_encryption_enabled`, `transit_encryption_mode` (engine 7.0 and newer)",
    "eviction_policy": "a parameter group's maxmemory-policy (`parameter_group_name`)",
    "snapshot_retention_days": f"`snapshot_retention_limit`: "
                               f"0..{MAX_SNAPSHOT_RETENTION_DAYS}",
    "apply": "`apply_immediately`",
    "description": "`description`: at most 255 characters",
    "maintenance": "`maintenance_window` (and `snapshot_window` the hour before)",
    "network": "`subnet_group_name`, `security_group_ids` (a subnet group, and a security "
               "group for allow_from)",
    "encryption": "`at_rest_encryption_enabled`, `kms_key_id`",
    "region": "`region`",
    "protect": "Pulumi's `protect`",
    "labels": "`tags`",
    "name": "`replication_group_id`: 1..40 lowercase letters, digits and hyphens",
}


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Read running resources of this service back into a declaration (`mlinfra adopt`;
    the reverse of `build`, in its own module)."""
    from .aws_elasticache_adopt import adopt as read_back

    return read_back(resources, same_stack)
