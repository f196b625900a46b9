"""Session stores on GCP: Memorystore for Redis (`gcp:redis/instance:Instance`).

Facts, from the pulumi-gcp 10.2.0 docstrings of `pulumi_gcp.redis.Instance` and the
Memorystore for Redis documentation (cloud.google.com/memorystore/docs/redis):
- memory_size_gb: whole GiB; Memorystore offers 1..300 GB per instance ("Memorystore for
  Redis tiers and capacity").
- tier BASIC | STANDARD_HA; read replicas (read_replicas_mode READ_REPLICAS_ENABLED,
  replica_count 1..5) need STANDARD_HA and at least 5 GB ("Read replicas").
- redis_version REDIS_6_X | REDIS_7_0 | REDIS_7_2 ("Supported versions").
- transit_encryption_mode SERVER_AUTHENTICATION | DISABLED; with TLS the port is 6378.
- persistence_config.persistence_mode RDB | DISABLED, rdb_snapshot_period ONE_HOUR |
  SIX_HOURS | TWELVE_HOURS | TWENTY_FOUR_HOURS ("RDB snapshots").
- Instance ids: 2..40 lowercase letters, digits and hyphens, starting with a letter, not
  ending with a hyphen ("Creating and managing instances" allows 1..40; the provider's
  pattern needs 2).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..diagnostics import WARNING, Diagnostic
from ..graph import Resource, ref
from ..loader import dotted
from ..naming import NamingRule
from . import gcp_kms
from .base import (
    Args,
    Decl,
    Defaults,
    ImportId,
    Value,
    attributes,
    check_cidr,
    check_region,
    chosen_network,
    mapping_field,
    protect,
    resource_labels,
)
from .gcp_redis_changes import CHANGES as CHANGES
from .gcp_redis_changes import PROVIDER as PROVIDER
from .gcp_redis_changes import TYPE as TYPE
from .gcp_redis_changes import VERSION_ORDER as VERSION_ORDER
from .gcp_redis_changes import _numbered as _numbered
from .gcp_redis_cost import BANDS as BANDS
from .gcp_redis_cost import COSTS as COSTS
from .gcp_redis_cost import PRICE_TIERS as PRICE_TIERS
from .gcp_redis_sizing import MAX_MEMORY_GIB as MAX_MEMORY_GIB
from .gcp_redis_sizing import MAX_REPLICAS as MAX_REPLICAS
from .gcp_redis_sizing import READ_REPLICA_MIN_GIB as READ_REPLICA_MIN_GIB
from .gcp_redis_sizing import TIERS as TIERS
from .gcp_redis_sizing import _memory_and_tier, _replicas
from .gcp_redis_values import CONNECT_MODES as CONNECT_MODES
from .gcp_redis_values import PERSISTENCE as PERSISTENCE
from .gcp_redis_values import VERSIONS as VERSIONS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from .adopting import Adopted

# The service contract (providers.Service): what resolve, diff and policy read.
KIND = "session_store"  # PROVIDER, its cloud, is gcp_redis_changes' (beside its TYPE)
SERVICE = "memorystore-redis"  # the `service:` that selects it; the default of its kind and cloud
IS_DEFAULT = True
ACCEPTS: frozenset[str] | None = None  # every field of its cloud
INSTEAD: dict[str, str] = {}  # field it does not take -> what it offers
TITLE = "Memorystore"  # how people call it (the editor's hovers)
CLAIMS: frozenset[str] = frozenset()  # fields its cloud's default service leaves to it
STATEFUL = frozenset({TYPE})
NAME_ARGS = {TYPE: "name"}
# The import id: the instance's id, projects/P/locations/R/instances/N (pulumi-gcp 10.2.0
# `redis.Instance` docstring, "Import"; terraform-provider-google resource_redis_instance.go).
IMPORT_IDS = {TYPE: ImportId("Memorystore instance",
                             r"projects/(?P<project>[^/]+)/locations/(?P<region>[^/]+)"
                             r"/instances/(?P<name>[^/]+)",
                             "projects/acme-ml-prod/locations/us-central1/instances/sessions")}
RUNNING: dict[str, dict[str, str]] = {}
TLS_VALUES: tuple[object, ...] = (True, False)  # `preferred` is ElastiCache's (MLC203 here)
PRODUCTION_SETTINGS: tuple[str, ...] = ("network",)  # MLC507: a production store names its network
# The provider's pattern `^[a-z][a-z0-9-]{0,39}[a-z0-9]$` (magic-modules Instance.yaml at
# 02af433e, name: validation) needs 2 characters; the API's limit is 40 ("Creating and
# managing instances"): 2..40.
NAME_RULE = NamingRule("Memorystore instance", r"[a-z][a-z0-9-]{0,38}[a-z0-9]",
                       "2..40 lowercase letters, digits and hyphens, starting with a letter "
                       "and not ending with a hyphen", max_length=40)

# Defaults per profile (docs/design.md, Defaults).
DEFAULTS: dict[str, Defaults] = {
    "development": {
        "encryption": ("managed", "Memorystore default: a Google-managed key"),
        "tier": ("basic", "development default"),
        "memory": ("1GiB", "development default"),
        "version": ("7.2", "development default"),
        "auth": (False, "development default"),
        "tls": (False, "development default"),
        "persistence": ("none", "development default"),
        "protect": (False, "development default: stateful resources are not protected"),
    },
    "production": {
        "encryption": ("managed", "Memorystore default: a Google-managed key"),
        "tier": ("standard_ha", "production default"),
        "memory": ("1GiB", "production default"),
        "version": ("7.2", "production default"),
        "auth": (True, "production default"),
        "tls": (True, "production default"),
        "persistence": ("rdb-1h", "production default"),
        "protect": (True, "production default: stateful resources are protected"),
    },
}


NETWORK_KEYS = ("name", "connect_mode", "reserved_ip_range")
_RANGE_NAME = re.compile(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?")  # a Compute address name
AGENT_DOMAIN = "cloud-redis.iam.gserviceaccount.com"


def _network(decl: Decl, a: Args) -> None:
    """network (or providers.gcp.network) -> authorized_network; connect_mode;
    reserved_ip_range: a CIDR with direct peering, an allocated range's name (or a CIDR)
    with private service access (Instance.yaml: reservedIpRange)."""
    ctx = decl.ctx
    net = mapping_field(decl, "network", NETWORK_KEYS,
                        "Memorystore is reached on its authorized network; control who "
                        "connects with VPC firewall rules")
    network = net.get("name") or ctx.provider_setting("gcp", "network")
    a.put("authorized_network", network)
    mode = net.get("connect_mode")
    a.put("connect_mode", mode, CONNECT_MODES.__getitem__)
    rng = net.get("reserved_ip_range")
    if rng is not None:
        path = (*decl.where("network"), "reserved_ip_range")
        named = _RANGE_NAME.fullmatch(str(rng.value)) is not None
        if named and (mode is None or mode.value == "direct_peering"):
            ctx.error("MLC319", path, f"{rng.value!r} names an allocated range, which needs "
                                      "connect_mode: private_service_access; with "
                                      "direct_peering give a CIDR such as 10.20.0.0/29",
                      rng.origin)
        elif named or check_cidr(decl, path, rng):
            a.put("reserved_ip_range", rng)
    project = ctx.provider_setting("gcp", "project")
    host = str(network.value).split("/")[1] if network is not None and \
        str(network.value).startswith("projects/") else None
    if host and project is not None and host != project.value and \
            (mode is None or mode.value == "direct_peering"):
        assert network is not None  # (the host is read from it)
        at = mode.origin if mode is not None else network.origin
        ctx.diagnostics.append(Diagnostic(
            at.file, at.line, at.column, "MLC319", dotted((*decl.where("network"),
                                                           "connect_mode")),
            f"the network is in project {host} (a shared VPC): Memorystore reaches a shared "
            "VPC from a service project with connect_mode: private_service_access",
            WARNING))


def _encryption(decl: Decl, a: Args, region: Value | None) -> str | None:
    """encryption: kms:<key> -> customer_managed_key and the grant the Memorystore agent
    needs (created first); the name of that grant."""
    key = gcp_kms.key_of(decl, "Memorystore")
    if key is None:
        return None
    if region is not None and gcp_kms.location(str(key.value)) != region.value:
        decl.err("MLC320", "encryption", f"Memorystore needs a key in the instance's region "
                                         f"{region.value}, not "
                                         f"{gcp_kms.location(str(key.value))}", key)
        return None
    a.put("customer_managed_key", key)
    return gcp_kms.grant(decl, key, AGENT_DOMAIN, "Memorystore")


def _maintenance(decl: Decl, a: Args) -> None:
    """maintenance: {day, start} -> maintenance_policy.weekly_maintenance_windows (one
    window; its duration is fixed at one hour by the service)."""
    m = decl.given("maintenance")
    if m is None or not isinstance(m.value, dict):
        return
    hours, minutes = (int(x) for x in str(m.value["start"]).split(":"))
    window = {"day": str(m.value["day"]).upper(),  # MONDAY..SUNDAY (Instance.yaml DayOfWeek)
              "start_time": {"hours": hours, "minutes": minutes, "seconds": 0, "nanos": 0}}
    a.set("maintenance_policy", {"weekly_maintenance_windows": [window]}, m.origin)


def _version(decl: Decl, a: Args) -> None:
    """version -> redis_version, one of VERSIONS."""
    version = decl.get("version")
    if version is not None and version.value not in VERSIONS:
        decl.err("MLC328", "version", f"Memorystore for Redis offers versions "
                                      f"{', '.join(VERSIONS)}, not {version.value}", version)
    elif version is not None:
        a.set("redis_version", VERSIONS[version.value], version.origin)


def _auth_and_tls(decl: Decl, a: Args) -> None:
    """auth -> auth_enabled; tls -> transit_encryption_mode (`preferred` is ElastiCache's)."""
    a.put("auth_enabled", decl.get("auth"))
    tls = decl.get("tls")
    if tls is not None and tls.value == "preferred":
        decl.err("MLC203", "tls", "tls: preferred is an ElastiCache migration step; on "
                                  "Memorystore tls is true or false (changing it replaces "
                                  "the instance)", tls)
    else:
        a.put("transit_encryption_mode", tls,
              lambda t: "SERVER_AUTHENTICATION" if t else "DISABLED")


def _persistence(decl: Decl, a: Args) -> None:
    """persistence -> persistence_config (RDB snapshots or none); eviction_policy ->
    redis_configs maxmemory-policy."""
    persistence = decl.get("persistence")
    if persistence is not None:
        if persistence.value == "none":
            a.set("persistence_config", {"persistence_mode": "DISABLED"}, persistence.origin)
        else:
            a.set("persistence_config", {"persistence_mode": "RDB",
                                         "rdb_snapshot_period": PERSISTENCE[persistence.value]},
                  persistence.origin)
    a.put("redis_configs", decl.get("eviction_policy"), lambda p: {"maxmemory-policy": p})


def _region(decl: Decl, a: Args) -> Value | None:
    """region (required: here or providers.gcp.region, checked against Memorystore's
    regions) and the project."""
    ctx = decl.ctx
    region = decl.given("region") or ctx.provider_setting("gcp", "region")
    if region is None:
        decl.err("MLC305", "region", "no region for this Memorystore instance: set "
                                     "providers.gcp.region or region here")
    a.put("region", region)
    a.put("project", ctx.provider_setting("gcp", "project"))
    check_region(decl, "memorystore", region)
    return region


def _outputs(decl: Decl, a: Args) -> None:
    """The stack outputs of an instance (the read endpoint, AUTH string and CA only where it
    has them), and what `exports` may name on it."""
    outputs = {"host": ref(decl.name, "host"), "port": ref(decl.name, "port")}
    if a.values.get("auth_enabled"):
        outputs["auth_string"] = ref(decl.name, "auth_string")
    if a.values.get("transit_encryption_mode") == "SERVER_AUTHENTICATION":
        # The CA clients verify the server with (Memorystore "In-transit encryption").
        outputs["ca_certs"] = ref(decl.name, "server_ca_certs")
    if a.values.get("read_replicas_mode") == "READ_REPLICAS_ENABLED":
        outputs["read_host"] = ref(decl.name, "read_endpoint")
        outputs["read_port"] = ref(decl.name, "read_endpoint_port")
    decl.ctx.outputs[decl.name] = outputs
    named = {"id": "id", "name": "name", "host": "host", "port": "port"}
    if "read_host" in outputs:
        named["read_endpoint"] = "read_endpoint"
    if "ca_certs" in outputs:
        named["server_ca_cert"] = "server_ca_certs"
    if "auth_string" in outputs:
        named["auth_string"] = "auth_string"
    attributes(decl, {k: (decl.name, v) for k, v in named.items()}, secret=("auth_string",),
               pem=("server_ca_cert",))


def build(decl: Decl) -> list[Decl]:
    ctx = decl.ctx
    a = Args()
    tier, gib = _memory_and_tier(decl, a)
    _version(decl, a)
    _auth_and_tls(decl, a)
    _replicas(decl, a, tier, gib)
    _persistence(decl, a)
    region = _region(decl, a)
    _network(decl, a)
    grant = _encryption(decl, a, region)
    _maintenance(decl, a)
    labels, lorigin = resource_labels(decl)
    a.set("labels", labels, lorigin)
    prot = protect(decl)
    a.set("deletion_protection", prot.value, prot.origin)
    a.put("name", ctx.physical_name(decl, decl.name, "session_store", NAME_RULE))
    options: dict[str, Any] = {"protect": prot.value}
    if grant is not None:
        options["depends_on"] = [grant]
    ctx.add(Resource(decl.name, TYPE, a.values, options, decl.source, a.origins,
                     "session_store", decl.name))
    _outputs(decl, a)
    return []


def delivers(decl: Decl) -> bool:
    return False


def network_of(decl: Decl) -> Value | None:
    return chosen_network(decl, "name", "gcp", "network")


# What each field becomes (the editor's hover and docs/language.md): the
# arguments of redis.Instance it sets, with the ranges the facts above give.
ARGUMENTS: dict[str, str] = {
    "memory": f"`memory_size_gb`: whole GiB, 1..{MAX_MEMORY_GIB}",
    "tier": "`tier`: BASIC or STANDARD_HA (a replica with automatic failover)",
    "version": "`redis_version`: REDIS_6_X, REDIS_7_0 or REDIS_7_2",
    "auth": "`auth_enabled`",
    "tls": "`transit_encryption_mode`: SERVER_AUTHENTICATION (port 6378) or DISABLED",
    "replicas": f"`replica_count` 1..{MAX_REPLICAS} with `read_replicas_mode` "
                f"READ_REPLICAS_ENABLED; needs standard_ha and {READ_REPLICA_MIN_GIB} GiB",
    "persistence": "`persistence_config`: RDB every 1, 6, 12 or 24 hours",
    "eviction_policy": "`redis_configs` maxmemory-policy",
    "region": "`region`",
    "network": "`authorized_network`, `connect_mode`, `reserved_ip_range`",
    "encryption": "`customer_managed_key`, and a grant on the key for the service agent",
    "maintenance": "`maintenance_policy`: one weekly window",
    "protect": "`deletion_protection` and Pulumi's `protect`",
    "labels": "`labels`",
    "name": "`name`: 2..40 lowercase letters, digits and hyphens",
}


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Read running resources of this service back into a declaration (`mlinfra adopt`;
    the reverse of `build`, in its own module)."""
    from .gcp_redis_adopt import adopt as read_back

    return read_back(resources, same_stack)
