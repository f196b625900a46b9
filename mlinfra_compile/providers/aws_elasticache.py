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

import difflib
import re
from typing import TYPE_CHECKING, Any

from ..graph import Origin, Resource, ref, secret
from ..naming import NamingRule
from ..units import DAYS, GIB, parse_size
from . import aws_network, pricing
from .aws_elasticache_nodes import KNOWN_NODE_TYPES, NODE_TYPES, pick_node_type
from .base import (
    Args,
    Decl,
    Defaults,
    ImportId,
    Value,
    attributes,
    check_region,
    derived,
    mapping_field,
    protect,
    resource_labels,
)
from .changes import AWS_REGION, ChangeTable, Outcome, Step, depends, in_place, replaces

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from . import lines
    from .adopting import Adopted

TYPE = "aws:elasticache/replicationGroup:ReplicationGroup"
PARAMETER_GROUP = "aws:elasticache/parameterGroup:ParameterGroup"
# The service contract (providers.Service): what resolve, diff and policy read.
KIND, PROVIDER = "session_store", "aws"
SERVICE = "elasticache"  # the `service:` that selects it; the default of its kind and cloud
IS_DEFAULT = True
ACCEPTS: frozenset[str] | None = None  # every field of its cloud
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


# What a change of each argument does to a running group. Sources:
# terraform-provider-aws internal/service/elasticache/replication_group.go (ForceNew
# fields; CustomizeDiff: customizeDiffEngineVersionForceNewOnDowngrade,
# customizeDiffEngineForceNewOnDowngrade and the transit encryption check, which compares
# the version the group runs, engine_version_actual), parameter_group.go, and the
# ElastiCache API reference of ModifyReplicationGroup (TransitEncryptionMode,
# ApplyImmediately), read 2026-11-28.
_RG = "terraform-provider-aws internal/service/elasticache/replication_group.go"
_FORCE_NEW = f"{_RG}: ForceNew: true"
_MODIFY = f"{_RG}: updated with ModifyReplicationGroup"
_PG = "terraform-provider-aws internal/service/elasticache/parameter_group.go"
TRANSIT_ENCRYPTION_IN_PLACE_FROM = (7, 0, 5)


def version_tuple(text: Any) -> tuple[int, ...]:
    """"7.1" -> (7, 1); "6.x" -> (6,). A part of more than 18 digits (a state file's text:
    Python reads no more than 4,300) counts as 10**18, above every real version."""
    return tuple(int(p) if len(p) <= 18 else 10**18 for p in str(text).split(".")
                 if p.isascii() and p.isdigit())


def _running(s: Step) -> str:
    """The engine version the group runs: what the stack reports (deploy), else the old
    side of the change (diff against git)."""
    return str(s.running.get("engine_version") or s.old_args.get("engine_version")
               or s.new_args.get("engine_version") or "0")


def _version_caveat(s: Step) -> str:
    """Against git, the old side is what was declared; with apply: maintenance_window an
    upgrade may not have reached the nodes yet."""
    if s.running or s.old_args.get("apply_immediately") is not False:
        return ""
    return ("in place if the group already runs engine 7.0.5 or newer; an upgrade still "
            "waiting for the maintenance window makes it a replacement (deploy checks the "
            "running version)")


def _engine_version_change(s: Step) -> Outcome:
    if s.old is not None and s.new is not None \
            and version_tuple(s.new) < version_tuple(s.old):
        return Outcome("replace", "a version downgrade forces replacement")
    return Outcome("update")


def _engine_change(s: Step) -> Outcome:
    if s.old == "redis" and s.new == "valkey":
        if s.old_args.get("engine_version") == s.new_args.get("engine_version"):
            return Outcome("refused", "moving a group to valkey needs a valkey "
                                      "engine_version in the same change")
        return Outcome("update")
    return Outcome("replace", f"moving from {s.old} to {s.new} forces replacement (only "
                              "redis -> valkey is in place)")


def _transit_encryption_change(s: Step) -> Outcome:
    running = _running(s)
    if version_tuple(running) < TRANSIT_ENCRYPTION_IN_PLACE_FROM:
        patch = " (a 7.0 group's patch is known only to the stack: deploy checks it)" \
            if version_tuple(running) == (7, 0) else ""
        return Outcome("replace", f"the group runs engine {running}; below 7.0.5 "
                                  "ElastiCache cannot change transit encryption in place"
                                  + patch)
    mode = s.new_args.get("transit_encryption_mode")
    old_mode = s.old_args.get("transit_encryption_mode")
    if s.new and mode != "preferred":
        return Outcome("refused", "ElastiCache turns transit encryption on for a running "
                                  "group only with transit_encryption_mode preferred: set "
                                  "`tls: preferred`, deploy, move every client to TLS, then "
                                  "set `tls: true`")
    if not s.new and old_mode != "preferred":
        return Outcome("refused", "ElastiCache turns transit encryption off only from "
                                  "transit_encryption_mode preferred: set `tls: preferred`, "
                                  "deploy, move every client off TLS, then set `tls: false`")
    return Outcome("update", _version_caveat(s))


def _transit_mode_change(s: Step) -> Outcome:
    running = _running(s)
    if s.new == "preferred" and version_tuple(running) < TRANSIT_ENCRYPTION_IN_PLACE_FROM \
            and s.old_args.get("transit_encryption_enabled") is not False:
        return Outcome("refused", f"the group runs engine {running}: ElastiCache has "
                                  "transit_encryption_mode from 7.0.5; upgrade first, then "
                                  "set tls: preferred")
    if s.new == "required" and s.old == "preferred":
        return Outcome("update", "clients without TLS are refused from now on")
    if s.new == "required" and s.old is None and s.old_args.get("transit_encryption_enabled"):
        return Outcome("update", "TLS was already required; the mode is now written down")
    return Outcome("update")


def _security_groups_change(s: Step) -> Outcome:
    """Update sends security_group_ids only when the new set is not empty (replication_
    group.go: `if v, ok := d.GetOk(...); ok && v.(*schema.Set).Len() > 0`): emptied, the old
    groups would stay attached while the stack says they are gone."""
    if s.old and not s.new:
        return Outcome("refused", "the provider never sends an empty security_group_ids, so "
                                  "the groups would stay attached: keep one group "
                                  "(network.security_group_ids) or detach them outside "
                                  "mlinfra first")
    return Outcome("update")


def _auth_token_change(s: Step) -> Outcome:
    """Removing the token sends ModifyReplicationGroup an empty AuthToken
    (replication_group.go Update: `if d.HasChange("auth_token")`); the API removes a token
    only with AuthTokenUpdateStrategy DELETE, "allowed only when transitioning to RBAC"
    (ModifyReplicationGroup, AuthTokenUpdateStrategy)."""
    if s.old is not None and s.new is None:
        return Outcome("refused", "ElastiCache removes an AUTH token only while moving the "
                                  "group to RBAC user groups, which mlinfra does not manage: "
                                  "keep `auth: true`, or declare a new store without AUTH "
                                  "and move clients to it")
    return Outcome("update")


def _family_change(s: Step) -> Outcome:
    """A new family (redis -> valkey, a major version) is a new parameter group. With a
    fixed name Pulumi must delete the old group first, which AWS refuses while the store
    uses it; auto-named, the new group is made first and the old one deleted last."""
    if s.new_args.get("name") is not None:
        return Outcome("refused", "the group has a fixed name, so Pulumi deletes it before "
                                  "making the new one, and AWS refuses to delete a group a "
                                  "store still uses: remove the parameter_group entry of "
                                  "name_template in this change (Pulumi then names the new "
                                  "group and deletes the old one last)")
    return Outcome("replace", "a new group is made and the store moved to it; the old one "
                              "is deleted last, which AWS refuses while the store's move "
                              "waits for its maintenance window: deploy with `apply: "
                              "immediately`")


def waits_for_window(s: Step) -> bool:
    """ModifyReplicationGroup applies changes to the nodes (engine version, node type,
    parameter group, transit encryption: the API's PendingModifiedValues) at the next
    maintenance window unless ApplyImmediately; the provider always applies replica-count
    and auth-token changes at once."""
    return s.new_args.get("apply_immediately") is False


# What a deployed group reports it runs, by argument: the program exports these outputs so
# that deploy judges a change by the running engine, not the one last declared.
RUNNING = {TYPE: {"engine_version": "engine_version_actual"}}

CHANGES: ChangeTable = {
    TYPE: {
        **{k: replaces(_FORCE_NEW) for k in (
            "replication_group_id", "at_rest_encryption_enabled", "kms_key_id", "port",
            "subnet_group_name", "security_group_names", "global_replication_group_id",
            "data_tiering_enabled", "snapshot_name", "snapshot_arns", "network_type")},
        # Not sent on update ("Ignored when updating"): a change only updates the state.
        "preferred_cache_cluster_azs": in_place(f"{_RG}: not ForceNew, not in Update"),
        "region": AWS_REGION,
        "engine": depends(f"{_RG}: customizeDiffEngineForceNewOnDowngrade (only redis -> "
                          "valkey is in place, with a new engine_version)", _engine_change,
                          "update", "replace", "refused", deferred=waits_for_window),
        "engine_version": depends(f"{_RG}: customizeDiffEngineVersionForceNewOnDowngrade",
                                  _engine_version_change, "update", "replace",
                                  deferred=waits_for_window),
        "transit_encryption_enabled": depends(
            f"{_RG}: ForceNew below engine_version_actual 7.0.5; ModifyReplicationGroup "
            "TransitEncryptionMode", _transit_encryption_change, "update", "replace",
            "refused", deferred=waits_for_window),
        "transit_encryption_mode": depends(f"{_MODIFY} (TransitEncryptionMode, from "
                                           "engine 7.0.5)", _transit_mode_change, "update",
                                           "refused", deferred=waits_for_window),
        **{k: in_place(_MODIFY, deferred=waits_for_window) for k in (
            "node_type", "parameter_group_name")},
        **{k: in_place(_MODIFY) for k in (
            "description", "automatic_failover_enabled", "multi_az_enabled",
            "num_cache_clusters", "snapshot_retention_limit",
            "snapshot_window", "maintenance_window", "user_group_ids", "apply_immediately",
            "auto_minor_version_upgrade",
            "notification_topic_arn", "ip_discovery")},
        "auth_token": depends(f"{_MODIFY} (AuthTokenUpdateStrategy DELETE only toward "
                              "RBAC)", _auth_token_change, "update", "refused"),
        "security_group_ids": depends(f"{_MODIFY}, only when not empty",
                                      _security_groups_change, "update", "refused"),
        "tags": in_place(f"{_RG}: tags are updated with AddTagsToResource"),
    },
    PARAMETER_GROUP: {
        **{k: replaces(f"{_PG}: ForceNew: true") for k in ("name", "description")},
        "family": depends(f"{_PG}: ForceNew: true; DeleteCacheParameterGroup refuses a group "
                          "in use (InvalidCacheParameterGroupState)", _family_change,
                          "replace", "refused"),
        "region": AWS_REGION,
        "parameters": in_place(f"{_PG}: updated with ModifyCacheParameterGroup"),
        "tags": in_place(f"{_PG}: tags are updated with AddTagsToResource"),
    },
}

MAX_SNAPSHOT_RETENTION_DAYS = 35
MAX_REPLICAS = 5  # replicas per replication group ("Replication: Redis OSS")
# language version -> engine_version, per engine; None: the engine does not offer it.
# ElastiCache "Supported engines and versions" and "Engine specific parameters" (read
# 2026-11-28): Valkey 8.1 and 8.2 share the valkey8 family; Valkey 9.0 and 9.1 are the
# valkey9 family ("Valkey 9.1 and Valkey 9.0 parameter changes"; botocore 1.43.11's list of
# families still stops at valkey8). terraform-provider-aws accepts valkey <major>.<minor>
# for majors 7..9 (replication_group.go valkeyVersionRegexpPattern).
ENGINE_VERSIONS: dict[str, dict[str, str]] = {
    "redis": {"6.x": "6.2", "7.0": "7.0", "7.1": "7.1"},
    "valkey": {"7.2": "7.2", "8.0": "8.0", "8.1": "8.1", "8.2": "8.2", "9.0": "9.0",
               "9.1": "9.1"},
}
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


def auth_secret_key(name: str) -> str:
    """The Pulumi secret config key that holds a store's AUTH token."""
    return f"{name}-auth-token"



def _transit_encryption(decl: Decl, a: Args, tls: Value | None, engine_version: str) -> None:
    """tls: true | false | preferred -> transit_encryption_enabled, and from engine 7.0
    transit_encryption_mode (required, or preferred while clients move to TLS)."""
    if tls is None:
        return
    a.set("transit_encryption_enabled", bool(tls.value), tls.origin)
    modes = version_tuple(engine_version) >= (7, 0)
    if tls.value == "preferred" and not modes:
        decl.err("MLC311", "tls", f"tls: preferred needs engine 7.0 or newer (this store runs "
                                  f"{engine_version}): older engines have no "
                                  "transit_encryption_mode", tls)
    elif tls.value and modes:
        a.set("transit_encryption_mode",
              "preferred" if tls.value == "preferred" else "required", tls.origin)


NETWORK_KEYS = ("subnet_ids", "vpc_id", "allow_from", "security_group_ids")
KEY_ARN = re.compile(r"arn:aws[a-z-]*:kms:([a-z0-9-]+):[0-9]{12}:key/[A-Za-z0-9-]+")


def _network(decl: Decl, a: Args, region: Value | None,
             tags: tuple[dict[str, str], Origin]) -> None:
    """subnet_ids -> a subnet group; allow_from -> a security group of clients; both with
    security_group_ids -> the group's security_group_ids."""
    ctx = decl.ctx
    net = mapping_field(decl, "network", NETWORK_KEYS,
                        "on ElastiCache use subnet_ids, allow_from and security_group_ids")
    subnets = net.get("subnet_ids") or ctx.provider_setting("aws", "subnet_ids")
    if subnets is not None and not subnets.value:
        decl.err("MLC319", "network", "subnet_ids is empty: name the store's subnets, or "
                                      "remove it for the default VPC", subnets)
    elif subnets is not None:
        group = aws_network.subnet_group(decl, subnets, region, tags)
        a.set("subnet_group_name", ref(group, "name"), subnets.origin)
    groups: list[Any] = []
    origin = None
    allow = net.get("allow_from")
    if allow is not None and allow.value:
        vpc = net.get("vpc_id") or ctx.provider_setting("aws", "vpc_id")
        clients = aws_network.clients(decl, allow, vpc, region, tags)
        if clients is not None:
            groups.append(ref(clients, "id"))
            origin = allow.origin
    given = net.get("security_group_ids")
    if given is not None:
        groups += list(given.value)
        origin = origin or given.origin
    if groups and origin is not None:
        a.set("security_group_ids", groups, origin)


def _encryption(decl: Decl, a: Args, region: Value | None) -> None:
    """encryption: kms:<key ARN> -> kms_key_id (at-rest encryption is always on). The
    group keeps the key's ARN, so any other form would read as a change, and replace the
    group, on every deploy (terraform-provider-aws#25713)."""
    enc = decl.get("encryption")
    if enc is None or enc.value == "managed":
        return
    if not str(enc.value).startswith("kms:"):
        decl.err("MLC203", "encryption", f"{enc.value} is SQS's; on ElastiCache use managed "
                                         "or kms:<key ARN>", enc)
        return
    key = str(enc.value)[4:]
    m = KEY_ARN.fullmatch(key)
    if m is None:
        decl.err("MLC320", "encryption", f"{key!r} is not a KMS key ARN "
                                         "(arn:aws:kms:REGION:ACCOUNT:key/ID): ElastiCache "
                                         "keeps the key's ARN, and any other form would "
                                         "replace the group on every deploy", enc)
    elif region is not None and m.group(1) != region.value:
        decl.err("MLC320", "encryption", f"the key is in {m.group(1)}; ElastiCache needs a "
                                         f"key in the group's region {region.value}", enc)
    else:
        a.set("kms_key_id", key, enc.origin)




def _hhmm(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


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


def build(decl: Decl) -> list[Decl]:
    ctx = decl.ctx
    a = Args()
    engine_v = decl.get("engine")
    assert engine_v is not None  # every profile has a default engine
    engine = engine_v.value
    a.put("engine", engine_v)
    version = decl.given("version")
    if version is not None and version.value not in ENGINE_VERSIONS[engine]:
        offered = ", ".join(ENGINE_VERSIONS[engine])
        alt = " or engine: valkey" if version.value in ENGINE_VERSIONS["valkey"] else \
            (" or engine: redis" if version.value in ENGINE_VERSIONS["redis"] else "")
        decl.err("MLC313", "version", f"ElastiCache {engine} offers versions {offered}, not "
                                      f"{version.value}; choose one of those{alt}", version)
        version = None
    if version is None:
        version = Value(DEFAULT_VERSION[engine],
                        Origin("default", decl.origin.file, decl.origin.line,
                               decl.origin.column, f"mlinfra's default for {engine} (a newer "
                               "version is an in-place upgrade: set version)"))
    engine_version = ENGINE_VERSIONS[engine][version.value]
    a.set("engine_version", engine_version, version.origin)

    node = decl.given("node_type")
    memory = decl.get("memory")
    if node is not None and node.value not in KNOWN_NODE_TYPES:
        close = difflib.get_close_matches(node.value, sorted(KNOWN_NODE_TYPES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        decl.err("MLC321", "node_type", f"{node.value} is not an ElastiCache node type"
                                        f"{hint}; a type newer than mlinfra's table: set "
                                        "memory instead and report it", node)
    elif node is not None:
        a.set("node_type", node.value, node.origin)
        table = KNOWN_NODE_TYPES
        given_mem = decl.given("memory")
        n = parse_size(given_mem.value) if given_mem else None
        if given_mem and n is not None and node.value in table and table[node.value] * GIB < n:
            decl.err("MLC311", "node_type", f"{node.value} has {table[node.value]} GiB, less "
                                            f"than memory {given_mem.value}", node)
    elif memory is not None:
        n = parse_size(memory.value)
        if n is not None:
            picked = pick_node_type(n)
            if picked is None:
                big, gib = NODE_TYPES[-1]
                decl.err("MLC204", "memory", f"{memory.value} is more than the largest "
                                             f"ElastiCache node, {big} with {gib} GiB; set "
                                             "node_type for a cluster-mode design", memory)
            else:
                a.set("node_type", picked, memory.origin)

    tier = decl.get("tier")
    replicas = decl.given("replicas")
    if tier is not None:
        if tier.value == "basic":
            if replicas is not None and replicas.value:
                decl.err("MLC311", "replicas", "replicas need tier standard_ha (tier basic is "
                                               "one node without failover)", replicas)
            a.set("num_cache_clusters", 1, tier.origin)
            a.set("automatic_failover_enabled", False, tier.origin)
            a.set("multi_az_enabled", False, tier.origin)
        else:
            count = 1 + (replicas.value if replicas is not None else 1)
            if count < 2:
                decl.err("MLC311", "replicas", "standard_ha needs at least one replica: "
                                               "Multi-AZ needs automatic failover, and "
                                               "automatic failover needs at least 2 cache "
                                               "clusters", replicas)
            a.set("num_cache_clusters", count, replicas.origin if replicas else tier.origin)
            a.set("automatic_failover_enabled", True, tier.origin)
            a.set("multi_az_enabled", True, tier.origin)
    a.set("at_rest_encryption_enabled", True,
          derived(decl, "always on: session data is encrypted at rest"))
    tls = decl.get("tls")
    _transit_encryption(decl, a, tls, engine_version)
    auth = decl.get("auth")
    if auth is not None and auth.value:
        if tls is not None and not tls.value:
            decl.err("MLC311", "auth", "ElastiCache AUTH tokens need tls: true (transit "
                                       "encryption)", auth)
        a.set("auth_token", secret(auth_secret_key(decl.name)), auth.origin)
    when = decl.get("apply")
    a.put("apply_immediately", when, lambda w: w == "immediately")
    keep = decl.get("snapshot_retention_days")
    if keep is not None:
        a.set("snapshot_retention_limit", keep.value, keep.origin)
    desc = decl.given("description")
    if desc is not None:
        a.put("description", desc)
    else:
        a.set("description", f"mlinfra session store {decl.name} ({ctx.env})",
              derived(decl, "default description"))
    region = decl.given("region") or ctx.provider_setting("aws", "region")
    a.put("region", region)
    check_region(decl, "elasticache", region)
    tags, torigin = resource_labels(decl)
    a.set("tags", tags, torigin)
    prot = protect(decl)
    _network(decl, a, region, (tags, torigin))
    _encryption(decl, a, region)
    _maintenance(decl, a, keep)

    policy = decl.given("eviction_policy")
    if policy is not None:
        major = engine_version.split(".")[0]
        pg_name = f"{decl.name}-params"
        p = Args()
        p.set("family", FAMILIES[(engine, major)], version.origin)
        p.set("parameters", [{"name": "maxmemory-policy", "value": policy.value}],
              policy.origin)
        # The description is ForceNew and AWS refuses to delete a group a store still
        # uses: it names nothing that can change (a group made by an earlier version keeps
        # its description, which names the store: Pulumi ignores the difference).
        p.set("description", PARAMETER_GROUP_DESCRIPTION,
              derived(decl, "default description"))
        p.put("region", region)
        p.set("tags", tags, torigin)
        p.put("name", ctx.physical_name(decl, pg_name, "parameter_group",
                                        PARAMETER_GROUP_RULE))
        ctx.add(Resource(pg_name, PARAMETER_GROUP, p.values,
                         {"ignore_changes": ["description"]}, decl.origin.where,
                         p.origins, "parameter_group", decl.name))
        a.set("parameter_group_name", ref(pg_name, "name"), policy.origin)
    a.put("replication_group_id", ctx.physical_name(decl, decl.name, "session_store",
                                                    GROUP_ID_RULE))
    ctx.add(Resource(decl.name, TYPE, a.values, {"protect": prot.value}, decl.origin.where,
                     a.origins, "session_store", decl.name))
    ctx.outputs[decl.name] = {
        "host": ref(decl.name, "primary_endpoint_address"),
        "reader_host": ref(decl.name, "reader_endpoint_address"),
        "port": ref(decl.name, "port"),
    }
    attributes(decl, {k: (decl.name, v) for k, v in (
        ("id", "id"), ("name", "replication_group_id"), ("arn", "arn"),
        ("host", "primary_endpoint_address"), ("reader_host", "reader_endpoint_address"),
        ("port", "port"))})
    return []


def delivers(decl: Decl) -> bool:
    return False


def network_of(decl: Decl) -> Value | None:
    net = decl.given("network")
    subnets = net.value.get("subnet_ids") if net is not None and isinstance(net.value, dict) \
        else None
    if subnets:
        return Value(subnets, net.origin)  # type: ignore[union-attr]
    return decl.ctx.provider_setting("aws", "subnet_ids")


# What a month costs (prices/aws_elasticache.json, each entry with its source):
# every node of the group (num_cache_clusters: the primary and its replicas) by the hour
# ("you are charged hourly per node", aws.amazon.com/elasticache/pricing). Valkey nodes
# cost 20% less than Redis OSS ones (ElastiCache FAQ; the price list agrees type by type);
# c8gn, m8g and r8g run Valkey only, so they have no Redis OSS price. Parameter groups are
# free; backup storage beyond one snapshot a cache is billed by the GB-month and not
# estimated.
def _monthly(r: dict[str, Any], _g: lines.Priced) -> list[lines.Line]:
    a = r["args"]
    gone = pricing.missing(r, "node_type", "engine", "num_cache_clusters", "region")
    if gone:
        return gone
    node, engine, region = a["node_type"], a["engine"], str(a["region"])
    nodes = pricing.count(a["num_cache_clusters"])
    if nodes is None:  # (only in a graph mlinfra did not write)
        return [pricing.no_price(f"{a['num_cache_clusters']!r} nodes", "aws_elasticache")]
    e = pricing.entry("aws_elasticache", engine=engine, region=region, node_type=node)
    if e is None:
        valkey_only = engine == "redis" and pricing.entry(
            "aws_elasticache", engine="valkey", region=region, node_type=node)
        return [pricing.no_price(f"{node} running {engine} in {region}"
                                 + (" (AWS offers it with Valkey only)" if valkey_only
                                    else ""), "aws_elasticache")]
    backups = "; backup storage beyond one snapshot is billed by the GB-month, not " \
              "included" if a.get("snapshot_retention_limit") else ""
    return [pricing.per(e, e["price"], pricing.hours(nodes), "node-hours", pricing.FIXED,
                        f"{nodes} x {node} ({engine}) x 730 h in {region}{backups}")]


COSTS: dict[str, pricing.Pricer] = {
    TYPE: _monthly,
    PARAMETER_GROUP: pricing.free("ElastiCache parameter groups are configuration "
                                  "(infracost lists them as free)"),
    **aws_network.COSTS,
}


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
