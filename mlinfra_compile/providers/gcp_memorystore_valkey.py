"""Session stores on GCP: Memorystore for Valkey (`gcp:memorystore/instance:Instance`,
pulumi_gcp.memorystore.Instance), selected by `service: memorystore-valkey`.

Facts, read 2026-12-06 (sources named where each is used):
- SDK: pulumi-gcp 10.2.0 pulumi_gcp/memorystore/instance.py (`_internal_init`: instance_id,
  location and shard_count are required); outputs.py (the output types).
- MM: GoogleCloudPlatform/magic-modules mmv1/products/memorystore/Instance.yaml at d5778440
  (2026-08-21; the file last changed in 60030617, 2026-08-19, which the SDK matches: both
  have acl_policy). Line numbers below are that file's. `immutable: true` is ForceNew in the
  Terraform provider pulumi-gcp bridges, so a replacement in Pulumi.
- DOC: cloud.google.com/memorystore/docs/valkey/<page> (stored copies, undated).
- An instance is `shards` shards of one primary and `replicas` replica nodes each (0..5,
  DOC product-overview "optionally up to five replica nodes"); at most 250 usage units
  an instance, units = shard_count x (1 + replica_count) (DOC quotas, "Instance limits").
  Cluster mode (mode CLUSTER) takes 1..250 shards; Cluster Mode Disabled runs one shard
  that any Valkey or Redis client reaches, and cannot change later (DOC
  cluster-mode-enabled-and-disabled).
- Instance ids: 4..63 lowercase letters, digits and hyphens, starting with a letter or a
  digit, not ending with a hyphen, unique in the location (MM l.186-192, instanceId).
  Pulumi does not generate one (instance_id is required): without `name` or name_template
  the id is the declaration's name.
- Clients reach an instance through Private Service Connect endpoints that Memorystore
  creates in the network `desired_auto_created_endpoints` names (MM l.165). That needs a
  service connection policy (gcp.networkconnectivity.ServiceConnectionPolicy, service
  class gcp-memorystore) for the network and region, which the network's administrators
  create once per network and region (SDK examples, `depends_on=[policy]`); mlinfra does
  NOT create it, as it is shared by every instance there.
- auth: true is IAM authentication (authorization_mode IAM_AUTH; AUTH_DISABLED otherwise):
  there is no AUTH string; clients present IAM tokens (MM l.287, possible values).
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

from ..diagnostics import WARNING, Diagnostic
from ..graph import Resource, ref
from ..loader import dotted
from . import gcp_kms
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
    fixed_name,
    protect,
    resource_labels,
)
from .gcp_memorystore_valkey_facts import (
    AGENT_DOMAIN,
    CLUSTER_DISABLED_REPLICAS,
    ENDPOINT,
    MAX_REPLICAS,
    MAX_SHARDS,
    MAX_UNITS,
    NAME_RULE,
    NODE_TYPES,
    PERSISTENCE,
    TYPE,
    VERSIONS,
)

# the contract's ARGUMENTS, CHANGES, COSTS and PROVIDER, re-exported
from .gcp_memorystore_valkey_facts import ARGUMENTS as ARGUMENTS
from .gcp_memorystore_valkey_facts import PROVIDER as PROVIDER
from .gcp_memorystore_valkey_facts import SERVICE as _SERVICE
from .gcp_memorystore_valkey_rules import CHANGES as CHANGES
from .gcp_memorystore_valkey_rules import COSTS as COSTS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from .adopting import Adopted

# The service contract (providers.Service).
KIND = "session_store"  # PROVIDER ("gcp"): the facts', beside its TYPE
SERVICE = _SERVICE  # "memorystore-valkey": the facts', which adopting writes back too
IS_DEFAULT = False  # memorystore-redis stays the default gcp session store
ACCEPTS: frozenset[str] | None = frozenset({
    "shards", "replicas", "node_type", "version", "cluster_mode", "zone", "persistence", "tls",
    "auth", "network", "encryption", "maintenance", "region", "labels", "protect", "name",
    "import", "previous_names", "pulumi_args", "eviction_policy"})
TITLE = "Memorystore for Valkey"
# The fields it brings, which the cloud's default service (memorystore-redis) does not
# take (node_type it shares with ElastiCache, on the other cloud).
CLAIMS = frozenset({"shards", "cluster_mode", "zone", "node_type"})
INSTEAD: dict[str, str] = {
    "memory": "size it with node_type (each node's capacity) and shards",
    "tier": "high availability is replicas: 1 or more (a replica of each shard in another "
            "zone, with automatic failover)",
    "engine": "Memorystore for Valkey runs Valkey; version picks which",
    "access": "data access is the network plus IAM authentication: name the network with "
              "network.name and set auth: true",
    "apply": "Memorystore applies changes when they are made",
    "snapshot_retention_days": "Memorystore for Valkey persists with RDB snapshots: use "
                               "persistence",
    "description": "use labels",
    "max_data": "size it with node_type and shards",
    "max_ecpu": "size it with node_type and shards",
    "user_group": "Memorystore for Valkey authenticates with IAM: set auth: true",
}
STATEFUL = frozenset({TYPE})
NAME_ARGS = {TYPE: "instance_id"}
# The import id: projects/P/locations/L/instances/ID, the resource's id_format (MM l.27;
# pulumi-gcp 10.2.0 memorystore.Instance docstring, "Import").
IMPORT_IDS = {TYPE: ImportId("Memorystore for Valkey instance",
                             r"projects/(?P<project>[^/]+)/locations/(?P<region>[^/]+)"
                             r"/instances/(?P<name>[^/]+)",
                             "projects/acme-ml-prod/locations/us-central1/instances/sessions")}
RUNNING: dict[str, dict[str, str]] = {}
TLS_VALUES: tuple[object, ...] = (True, False)  # `preferred` is ElastiCache's (MLC203 here)
PRODUCTION_SETTINGS: tuple[str, ...] = ("network",)  # MLC507: a production store names its network

_WHY_VERSION = "set explicitly: the service's default has changed (7.2, 8.0, 9.0)"
DEFAULTS: dict[str, Defaults] = {
    "development": {
        "encryption": ("managed", "Memorystore default: a Google-managed key"),
        "cluster_mode": (True, "Memorystore default: cluster mode (mode CLUSTER)"),
        "shards": (1, "development default: one shard"),
        "replicas": (0, "development default: no replica"),
        "node_type": ("shared-core-nano", "development default: the smallest node (1.4 GB; "
                                          "no SLA, for development and testing)"),
        "version": ("8.0", f"development default, {_WHY_VERSION}"),
        "auth": (False, "development default"),
        "tls": (False, "development default"),
        "persistence": ("none", "development default"),
        "protect": (False, "development default: stateful resources are not protected"),
    },
    "production": {
        "encryption": ("managed", "Memorystore default: a Google-managed key"),
        "cluster_mode": (True, "Memorystore default: cluster mode (mode CLUSTER)"),
        "shards": (1, "production default: one shard"),
        "replicas": (1, "production default: a replica per shard, which the SLA needs "
                        "(Memorystore operational guidelines: no SLA with 0 replicas)"),
        "node_type": ("standard-small", "production default: the smallest node type with an "
                                        "SLA that Memorystore recommends for production "
                                        "(6.5 GB, 5.2 GB writable)"),
        "version": ("8.0", f"production default, {_WHY_VERSION}"),
        "auth": (True, "production default: IAM authentication"),
        "tls": (True, "production default"),
        "persistence": ("rdb-1h", "production default"),
        "protect": (True, "production default: stateful resources are protected"),
    },
}


def _instance_id(decl: Decl) -> Value | None:
    """`name`, else the rendered name_template, else the declaration's name (Pulumi does
    not name a Memorystore for Valkey instance), checked against NAME_RULE."""
    ctx = decl.ctx
    if fixed_name(decl, decl.name, "") is not None or ctx.name_template is not None:
        return ctx.physical_name(decl, decl.name, "session_store", NAME_RULE)
    problem = NAME_RULE.check(decl.name)
    if problem:
        ctx.error("MLC310", decl.path, f"{problem}; Memorystore for Valkey needs an "
                                       "instance id and Pulumi does not generate one: set "
                                       "name (or name_template)", decl.origin)
        return None
    return Value(decl.name, derived(decl, "the declaration's name: Memorystore for Valkey "
                                          "needs an instance id (set name or "
                                          "name_template to choose another)"))


def _count(decl: Decl, key: str, lo: int, hi: int, what: str) -> Value | None:
    """An integer field in lo..hi (the schema checks its type), else MLC204."""
    v = decl.get(key)
    if v is None:
        return None
    if not lo <= v.value <= hi:
        side = f"below the minimum of {lo}" if v.value < lo else f"above the maximum of {hi}"
        decl.err("MLC204", key, f"{v.value} is {side} {what} Memorystore for Valkey takes", v)
        return None
    return v


def _sizing(decl: Decl, a: Args) -> None:
    """cluster_mode -> mode; shards -> shard_count; replicas -> replica_count; node_type ->
    node_type; with the service's limits."""
    cluster = decl.get("cluster_mode")
    a.put("mode", cluster, lambda c: "CLUSTER" if c else "CLUSTER_DISABLED")
    shards = _count(decl, "shards", 1, MAX_SHARDS, "shards")
    replicas = _count(decl, "replicas", 0, MAX_REPLICAS, "replicas per shard")
    disabled = cluster is not None and cluster.value is False
    if shards is not None and disabled and shards.value != 1:
        decl.err("MLC311", "shards", f"cluster_mode: false runs one shard (Cluster Mode "
                                     f"Disabled); {shards.value} shards need cluster_mode: true",
                 shards)
        shards = None
    if shards is not None and replicas is not None \
            and shards.value * (1 + replicas.value) > MAX_UNITS:
        decl.err("MLC311", "replicas", f"{shards.value} shards x (1 + {replicas.value} "
                                       f"replicas) = {shards.value * (1 + replicas.value)} "
                                       f"nodes, above the {MAX_UNITS} usage units "
                                       "Memorystore for Valkey allows an instance", replicas)
        replicas = None
    if replicas is not None and disabled and replicas.value > CLUSTER_DISABLED_REPLICAS:
        o = replicas.origin
        decl.ctx.diagnostics.append(Diagnostic(
            o.file, o.line, o.column, "MLC311", dotted(decl.where("replicas")),
            f"{replicas.value} replicas with cluster_mode: false: a copy of Memorystore's "
            f"cluster mode page allows at most {CLUSTER_DISABLED_REPLICAS} read replicas "
            "with Cluster Mode Disabled (the current limit is not confirmed)", WARNING))
    a.put("shard_count", shards)
    a.put("replica_count", replicas)
    node = decl.get("node_type")
    if node is not None and node.value not in NODE_TYPES:
        close = difflib.get_close_matches(str(node.value), list(NODE_TYPES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        decl.err("MLC321", "node_type", f"{node.value} is not a Memorystore for Valkey node "
                                        f"type{hint}; it offers {', '.join(NODE_TYPES)}",
                 node)
    else:
        a.put("node_type", node, lambda n: NODE_TYPES[n][0])


def _engine(decl: Decl, a: Args) -> None:
    """version, auth, tls, persistence and eviction_policy."""
    version = decl.get("version")
    if version is not None and version.value not in VERSIONS:
        decl.err("MLC328", "version", f"Memorystore for Valkey offers versions "
                                      f"{', '.join(VERSIONS)}, not {version.value}", version)
    else:
        a.put("engine_version", version, VERSIONS.__getitem__)
    a.put("authorization_mode", decl.get("auth"),
          lambda x: "IAM_AUTH" if x else "AUTH_DISABLED")
    tls = decl.get("tls")
    if tls is not None and tls.value == "preferred":
        decl.err("MLC203", "tls", "tls: preferred is an ElastiCache migration step; on "
                                  "Memorystore tls is true or false (changing it replaces "
                                  "the instance)", tls)
    else:
        a.put("transit_encryption_mode", tls,
              lambda t: "SERVER_AUTHENTICATION" if t else "TRANSIT_ENCRYPTION_DISABLED")
    a.put("persistence_config", decl.get("persistence"),
          lambda p: {"mode": "DISABLED"} if p == "none" else
          {"mode": "RDB", "rdb_config": {"rdb_snapshot_period": PERSISTENCE[p]}})
    # maxmemory-policy takes the eight policies language.py lists (DOC
    # supported-instance-configurations, "Maxmemory policies"; default volatile-lru)
    a.put("engine_configs", decl.get("eviction_policy"), lambda p: {"maxmemory-policy": p})


def _placement(decl: Decl, a: Args) -> Value | None:
    """region -> location; zone -> zone_distribution_config (SINGLE_ZONE in it, else
    MULTI_ZONE: MM zoneDistributionConfig, "Defaults to MULTI_ZONE"); the region."""
    ctx = decl.ctx
    region = decl.given("region") or ctx.provider_setting("gcp", "region")
    if region is None:
        decl.err("MLC305", "region", "no region for this Memorystore for Valkey instance: "
                                     "set providers.gcp.region or region here")
    a.put("location", region)
    check_region(decl, "gcp", region)
    zone = decl.given("zone")
    if zone is None:
        a.set("zone_distribution_config", {"mode": "MULTI_ZONE"},
              derived(decl, "Memorystore default: nodes spread across the region's zones"))
    elif region is not None and not str(zone.value).startswith(f"{region.value}-"):
        decl.err("MLC311", "zone", f"zone {zone.value} is not in the store's region "
                                   f"{region.value}", zone)
    else:
        a.set("zone_distribution_config", {"mode": "SINGLE_ZONE", "zone": zone.value},
              zone.origin)
    return region


def _network_path(network: str, project: Any) -> str:
    """A network name in the project as projects/P/global/networks/NAME (the form
    desired_auto_created_endpoints takes, MM l.165); a path as written."""
    return network if "/" in network else f"projects/{project}/global/networks/{network}"


def _network(decl: Decl, a: Args) -> None:
    """network.name (or providers.gcp.network, else the project's `default` network) ->
    desired_auto_created_endpoints, created in the store's project. Its service
    connection policy is the network administrators' (module docstring)."""
    ctx = decl.ctx
    raw = decl.given("network")
    given = raw.value if raw is not None and isinstance(raw.value, dict) else {}
    for k in sorted(k for k, v in given.items() if k != "name" and v is not None):
        where = (*decl.where("network"), k)
        ctx.error("MLC307", where, f"network.{k} is not supported by {SERVICE}: clients "
                                   "reach it through Private Service Connect endpoints in "
                                   "the network network.name names",
                  ctx.origin_of(where) or decl.origin)
    network = network_of(decl)
    project = ctx.provider_setting("gcp", "project")
    if project is None:
        return  # (reported by the resolver: providers.gcp.project is required)
    origin = network.origin if network is not None else derived(
        decl, "the project's network `default` (set network.name or providers.gcp.network); "
              "its service connection policy for gcp-memorystore is a prerequisite")
    path = _network_path("default" if network is None else str(network.value), project.value)
    a.set("desired_auto_created_endpoints", [{"network": path, "project_id": project.value}],
          origin)


def _encryption(decl: Decl, a: Args, region: Value | None) -> str | None:
    """encryption: kms:<key> -> kms_key and the grant the Memorystore service agent needs
    (created first); the name of that grant. A key outside the instance's region is a
    warning: Memorystore for Redis Cluster refuses one ("Use CMEK": "the same region"),
    and the Valkey page was not read."""
    key = gcp_kms.key_of(decl, "Memorystore for Valkey")
    if key is None:
        return None
    where = gcp_kms.location(str(key.value))
    if region is not None and where != region.value:
        o = key.origin
        decl.ctx.diagnostics.append(Diagnostic(
            o.file, o.line, o.column, "MLC320", dotted(decl.where("encryption")),
            f"the key is in {where}, the instance in {region.value}: Memorystore keys are "
            "used in the instance's own region", WARNING))
    a.put("kms_key", key)
    return gcp_kms.grant(decl, key, AGENT_DOMAIN, "Memorystore for Valkey")


def _maintenance(decl: Decl, a: Args) -> None:
    """maintenance: {day, start} -> maintenance_policy.weekly_maintenance_windows (one
    window; its duration is fixed at one hour, MM maintenancePolicy)."""
    m = decl.given("maintenance")
    if m is None or not isinstance(m.value, dict):
        return
    hours, minutes = (int(x) for x in str(m.value["start"]).split(":"))
    window = {"day": str(m.value["day"]).upper(),
              "start_time": {"hours": hours, "minutes": minutes, "seconds": 0, "nanos": 0}}
    a.set("maintenance_policy", {"weekly_maintenance_windows": [window]}, m.origin)


def _check_import(decl: Decl, region: Value | None) -> None:
    """An import id in another location than the instance's (resource_options compares
    `region`, which this resource calls `location`)."""
    rid = decl.data.get("import")
    m = re.fullmatch(IMPORT_IDS[TYPE].pattern, rid) if isinstance(rid, str) else None
    if m is not None and region is not None and m.group("region") != region.value:
        decl.err("MLC324", "import", f"the id is of location {m.group('region')!r}, but "
                                     f"{decl.name}'s location is {region.value!r}: Pulumi "
                                     "would import it and then replace or fail; make them "
                                     "agree", decl.given("import"))


def build(decl: Decl) -> list[Decl]:
    ctx = decl.ctx
    a = Args()
    a.put("instance_id", _instance_id(decl))
    region = _placement(decl, a)
    a.put("project", ctx.provider_setting("gcp", "project"))
    _sizing(decl, a)
    _engine(decl, a)
    _network(decl, a)
    grant = _encryption(decl, a, region)
    _maintenance(decl, a)
    _check_import(decl, region)
    labels, lorigin = resource_labels(decl)
    a.set("labels", labels, lorigin)
    prot = protect(decl)
    # set either way: the provider's default is true (MM l.541 default_value: true)
    a.set("deletion_protection_enabled", prot.value, prot.origin)
    options: dict[str, Any] = {"protect": prot.value}
    if grant is not None:
        options["depends_on"] = [grant]
    ctx.add(Resource(decl.name, TYPE, a.values, options, decl.source, a.origins,
                     "session_store", decl.name))
    host, port = f"{ENDPOINT}.ip_address", f"{ENDPOINT}.port"
    ctx.outputs[decl.name] = {"host": ref(decl.name, host), "port": ref(decl.name, port)}
    attributes(decl, {"id": (decl.name, "id"), "name": (decl.name, "instance_id"),
                      "host": (decl.name, host), "port": (decl.name, port)})
    return []


def delivers(decl: Decl) -> bool:
    return False


def network_of(decl: Decl) -> Value | None:
    return chosen_network(decl, "name", "gcp", "network")


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Read running resources of this service back into a declaration (`mlinfra adopt`;
    the reverse of `build`, in its own module)."""
    from .gcp_memorystore_valkey_adopt import adopt as read_back

    return read_back(resources, same_stack)
