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
from ..units import GIB, format_size
from . import gcp_kms, pricing
from .base import (
    Args,
    Decl,
    Defaults,
    ImportId,
    Value,
    attributes,
    check_cidr,
    check_region,
    derived,
    mapping_field,
    protect,
    resource_labels,
)
from .changes import (
    GCP_PROJECT,
    ChangeTable,
    Outcome,
    Step,
    depends,
    in_place,
    replaces,
    suppressed,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from . import lines
    from .adopting import Adopted

TYPE = "gcp:redis/instance:Instance"
# The service contract (providers.Service): what resolve, diff and policy read.
KIND, PROVIDER = "session_store", "gcp"
SERVICE = "memorystore-redis"  # the `service:` that selects it; the default of its kind and cloud
IS_DEFAULT = True
ACCEPTS: frozenset[str] | None = None  # every field of its cloud
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
MAX_MEMORY_GIB = 300
MAX_REPLICAS = 5  # read replicas 1..5 ("Read replicas"); 0 turns them off
READ_REPLICA_MIN_GIB = 5
# The provider's pattern `^[a-z][a-z0-9-]{0,39}[a-z0-9]$` (magic-modules Instance.yaml at
# 02af433e, name: validation) needs 2 characters; the API's limit is 40 ("Creating and
# managing instances"): 2..40.
NAME_RULE = NamingRule("Memorystore instance", r"[a-z][a-z0-9-]{0,38}[a-z0-9]",
                       "2..40 lowercase letters, digits and hyphens, starting with a letter "
                       "and not ending with a hyphen", max_length=40)

# What a change of each argument does to a running instance. Sources: magic-modules
# mmv1/products/redis/Instance.yaml (`immutable: true` marks ForceNew in the Terraform
# provider pulumi-gcp bridges; read 2026-11-28), its custom diff
# mmv1/templates/terraform/constants/redis_instance.go.tmpl (`isRedisVersionDecreasing`),
# and the Memorystore documentation ("Read replicas", "Upgrading Redis version").
_MM = "magic-modules mmv1/products/redis/Instance.yaml"
_IMMUTABLE = f"{_MM}: immutable: true"
_MUTABLE = f"{_MM}: not immutable (updated with PATCH instances)"
VERSION_ORDER = ("REDIS_6_X", "REDIS_7_0", "REDIS_7_2")


def _numbered(version: Any) -> tuple[int, int] | None:
    """REDIS_<major>_<minor> as the provider's downgrade check parses it; REDIS_6_X is
    not of that form, so the check ignores it."""
    m = re.fullmatch(r"REDIS_(\d+)_(\d+)", str(version))
    return (int(m.group(1)), int(m.group(2))) if m else None


def _version_change(s: Step) -> Outcome:
    if s.old is None or s.new is None or s.old not in VERSION_ORDER \
            or s.new not in VERSION_ORDER:
        return Outcome("update")
    if VERSION_ORDER.index(s.new) > VERSION_ORDER.index(s.old):
        return Outcome("update")
    old, new = _numbered(s.old), _numbered(s.new)
    if old is not None and new is not None:
        return Outcome("replace", "a version downgrade forces replacement (the provider's "
                                  "isRedisVersionDecreasing check)")
    return Outcome("refused", f"Memorystore cannot downgrade {s.old} to {s.new}: the "
                              "provider's downgrade check does not parse REDIS_6_X, so it "
                              "sends an in-place update, which the API refuses; to run "
                              f"{s.new}, declare a new store and move clients to it")


def _replicas_change(s: Step) -> Outcome:
    if s.old == "READ_REPLICAS_ENABLED" and s.new != "READ_REPLICAS_ENABLED":
        return Outcome("refused", "Memorystore cannot turn read replicas off once they are "
                                  "on (the API refuses the update); keep replicas >= 1, or "
                                  "declare a new store without replicas and move clients "
                                  "to it")
    return Outcome("update")


def _network_path(value: str, args: dict[str, Any]) -> str:
    """The network as the provider stores it: a name is expanded in the instance's project
    (magic-modules custom_expand redis_instance_authorized_network.tmpl); a self link or
    path from its `projects/` on."""
    if "/" not in value:
        return f"projects/{args.get('project')}/global/networks/{value}"
    return "projects/" + value.split("projects/", 1)[1] if "projects/" in value else value


def _same_network(s: Step) -> bool:
    """magic-modules Instance.yaml (02af433e), authorizedNetwork: `default_from_api: true`
    (an unset network keeps what the instance has; the API's default is the project's
    network `default`) and `diff_suppress_func: tpgresource.CompareSelfLinkOrResourceName`
    (terraform-provider-google google/tpgresource/self_link_helpers.go): a bare name is
    the same as a stored path ending in it; two paths are the same from `projects/` on."""
    if s.new is None:
        return True
    stored = _network_path("default" if s.old is None else str(s.old), s.old_args)
    if "/" not in str(s.new):
        return stored.rsplit("/", 1)[-1] == str(s.new)
    return stored == _network_path(str(s.new), s.new_args)


def _same_connect_mode(s: Step) -> bool:
    """Instance.yaml, connectMode: `default_value: "DIRECT_PEERING"`: unset is that value."""
    return {s.old or "DIRECT_PEERING", s.new or "DIRECT_PEERING"} == {"DIRECT_PEERING"}


CHANGES: ChangeTable = {TYPE: {
    "name": replaces(_IMMUTABLE),
    "region": replaces(_IMMUTABLE),
    "project": GCP_PROJECT,
    "tier": replaces(_IMMUTABLE),
    "location_id": replaces(_IMMUTABLE),
    "alternative_location_id": replaces(_IMMUTABLE),
    "authorized_network": suppressed(replaces(_IMMUTABLE), _same_network),
    "connect_mode": suppressed(replaces(_IMMUTABLE), _same_connect_mode),
    "reserved_ip_range": replaces(_IMMUTABLE),
    "transit_encryption_mode": replaces(_IMMUTABLE),
    "customer_managed_key": replaces(_IMMUTABLE),
    # Resizing keeps the data on both tiers: "Data is preserved during scaling for both
    # Basic and Standard Tier instances", after a connection reset of a couple of minutes
    # or less (cloud.google.com/memorystore/docs/redis/about-scaling-instances, last
    # updated 2025-09). Earlier versions of that page ("Scaling a Basic Tier instance")
    # said a Basic Tier instance was flushed after a resize; that is no longer so.
    "memory_size_gb": in_place(_MUTABLE),
    "auth_enabled": in_place(_MUTABLE),
    "labels": in_place(_MUTABLE),
    "redis_configs": in_place(_MUTABLE),
    "persistence_config": in_place(_MUTABLE),
    "maintenance_policy": in_place(_MUTABLE),
    "display_name": in_place(_MUTABLE),
    "replica_count": in_place(_MUTABLE),
    "secondary_ip_range": in_place(f"{_MM}: secondaryIpRange is not immutable; it is sent "
                                   "with read_replicas_mode when replicas are enabled"),
    "read_replicas_mode": depends(f"{_MM}: readReplicasMode is not immutable; Memorystore "
                                  "\"Read replicas\": replicas cannot be disabled once "
                                  "enabled", _replicas_change, "update", "refused"),
    "redis_version": depends(f"{_MM}: redisVersion is not immutable; "
                             "redis_instance.go.tmpl isRedisVersionDecreasing forces a new "
                             "instance on a downgrade between REDIS_<major>_<minor> "
                             "versions", _version_change, "update", "replace", "refused"),
    # A Terraform-side setting (no API field): it only guards `pulumi destroy`.
    "deletion_protection": in_place(f"{_MM}: virtual field deletion_protection"),
}}

TIERS = {"basic": "BASIC", "standard_ha": "STANDARD_HA"}
VERSIONS = {"6.x": "REDIS_6_X", "7.0": "REDIS_7_0", "7.2": "REDIS_7_2"}
PERSISTENCE = {"rdb-1h": "ONE_HOUR", "rdb-6h": "SIX_HOURS", "rdb-12h": "TWELVE_HOURS",
               "rdb-24h": "TWENTY_FOUR_HOURS"}

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


CONNECT_MODES = {"direct_peering": "DIRECT_PEERING",
                 "private_service_access": "PRIVATE_SERVICE_ACCESS"}
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
        at = mode.origin if mode is not None else network.origin if network else decl.origin
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


def build(decl: Decl) -> list[Decl]:
    ctx = decl.ctx
    a = Args()
    mem = decl.bytes_("memory", GIB, MAX_MEMORY_GIB * GIB, "Memorystore",
                      lambda n: format_size(n))
    gib = None
    if mem is not None:
        n, origin = mem
        if n % GIB:  # (n is at least 1GiB here: nearest is too)
            v = decl.get("memory")
            assert v is not None
            decl.err("MLC313", "memory", f"{v.value} is not a whole number of GiB; "
                                         "Memorystore sizes instances in whole GiB "
                                         f"(nearest: {round(n / GIB)}GiB)", v)
        else:
            gib = n // GIB
            a.set("memory_size_gb", gib, origin)
    tier = decl.get("tier")
    a.put("tier", tier, TIERS.__getitem__)
    version = decl.get("version")
    if version is not None and version.value not in VERSIONS:
        decl.err("MLC313", "version", f"Memorystore for Redis offers versions "
                                      f"{', '.join(VERSIONS)}, not {version.value}", version)
    elif version is not None:
        a.set("redis_version", VERSIONS[version.value], version.origin)
    a.put("auth_enabled", decl.get("auth"))
    tls = decl.get("tls")
    if tls is not None and tls.value == "preferred":
        decl.err("MLC203", "tls", "tls: preferred is an ElastiCache migration step; on "
                                  "Memorystore tls is true or false (changing it replaces "
                                  "the instance)", tls)
    else:
        a.put("transit_encryption_mode", tls,
              lambda t: "SERVER_AUTHENTICATION" if t else "DISABLED")
    replicas = decl.given("replicas")
    if replicas is not None:
        if tier is not None and tier.value != "standard_ha":
            decl.err("MLC311", "replicas", "read replicas need tier standard_ha (this store is "
                                           f"{tier.value})", replicas)
        elif replicas.value >= 1:
            if gib is not None and gib < READ_REPLICA_MIN_GIB:
                decl.err("MLC513", "replicas", f"Memorystore read replicas need memory >= "
                                               f"{READ_REPLICA_MIN_GIB}GiB (this store has "
                                               f"{gib}GiB)", replicas)
            a.set("read_replicas_mode", "READ_REPLICAS_ENABLED", replicas.origin)
            a.set("replica_count", replicas.value, replicas.origin)
            # Enabling replicas on a running instance needs a range for the read
            # endpoint; "auto" lets Memorystore pick a free /28 (SDK docstring of
            # secondary_ip_range).
            a.set("secondary_ip_range", "auto",
                  derived(decl, "read replicas need a range for the read endpoint; "
                                "Memorystore picks a free one"))
        else:
            a.set("read_replicas_mode", "READ_REPLICAS_DISABLED", replicas.origin)
    persistence = decl.get("persistence")
    if persistence is not None:
        if persistence.value == "none":
            a.set("persistence_config", {"persistence_mode": "DISABLED"}, persistence.origin)
        else:
            a.set("persistence_config", {"persistence_mode": "RDB",
                                         "rdb_snapshot_period": PERSISTENCE[persistence.value]},
                  persistence.origin)
    a.put("redis_configs", decl.get("eviction_policy"), lambda p: {"maxmemory-policy": p})
    region = decl.given("region") or ctx.provider_setting("gcp", "region")
    if region is None:
        decl.err("MLC305", "region", "no region for this Memorystore instance: set "
                                     "providers.gcp.region or region here")
    a.put("region", region)
    a.put("project", ctx.provider_setting("gcp", "project"))
    check_region(decl, "memorystore", region)
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
    ctx.add(Resource(decl.name, TYPE, a.values, options, decl.origin.where, a.origins,
                     "session_store", decl.name))
    outputs = {"host": ref(decl.name, "host"), "port": ref(decl.name, "port")}
    if a.values.get("auth_enabled"):
        outputs["auth_string"] = ref(decl.name, "auth_string")
    if a.values.get("transit_encryption_mode") == "SERVER_AUTHENTICATION":
        # The CA clients verify the server with (Memorystore "In-transit encryption").
        outputs["ca_certs"] = ref(decl.name, "server_ca_certs")
    if a.values.get("read_replicas_mode") == "READ_REPLICAS_ENABLED":
        outputs["read_host"] = ref(decl.name, "read_endpoint")
        outputs["read_port"] = ref(decl.name, "read_endpoint_port")
    ctx.outputs[decl.name] = outputs
    named = {"id": "id", "name": "name", "host": "host", "port": "port"}
    if "read_host" in outputs:
        named["read_endpoint"] = "read_endpoint"
    if "ca_certs" in outputs:
        named["server_ca_cert"] = "server_ca_certs"
    if "auth_string" in outputs:
        named["auth_string"] = "auth_string"
    attributes(decl, {k: (decl.name, v) for k, v in named.items()}, secret=("auth_string",),
               pem=("server_ca_cert",))
    return []


def delivers(decl: Decl) -> bool:
    return False


def network_of(decl: Decl) -> Value | None:
    net = decl.given("network")
    name = net.value.get("name") if net is not None and isinstance(net.value, dict) else None
    if name is not None:
        return Value(name, net.origin)  # type: ignore[union-attr]
    return decl.ctx.provider_setting("gcp", "network")


# What a month costs (prices/gcp_redis.json, each entry with its source): the
# provisioned GiB-hours at the rate of the tier and of the capacity band the whole size
# falls in (Memorystore for Redis pricing: "a 3 GB instance falls in the 1-4 GB tier"):
# M1 1-4 GB, M2 5-10, M3 11-35, M4 36-100, M5 above 100. The Standard rate covers the
# replica. With read replicas Google bills per node ("Replicas: determines how many nodes
# exist in a Standard tier instance"), on the catalogue's "Redis Standard Node Capacity
# M2..M5" SKUs, which the public export the table is read from leaves out. The only
# figure found (a test fixture in mooncitizen/togen 8e771a5b: europe-west2 M2 0.0444, half
# that fixture's Standard M2 0.0888) is not confirmed by the catalogue export (its London
# Standard M2 is 0.064, and the fixture's other rows miss the catalogue too): mlinfra takes
# a node at half the Standard rate and says on the line that this is an estimate. Read
# replicas exist only on the Standard tier (the API: "Not valid for basic tier").
# The rates: the Cloud Billing catalogue's "Redis Capacity <Basic|Standard> Mx" SKUs as
# exported by doitintl/gcpinstances.info (0133443a, updatedAt 2026-04-27; unchanged at
# cef63076, 2026-06-02). Two sources disagree outside the US: the togen fixture above gives
# London Standard M2 0.0888 per GB-hour where the export has 0.064; the fixture's other
# rows miss the catalogue too (a Redis Cluster node 0.0688/h against 0.2192, Belgium basic
# M1 at Iowa's 0.049 against 0.051), so the export is kept. Google's page itself renders
# its table in the browser and no stored copy of it has the figures.
BANDS = ((4, "M1", "1-4 GB"), (10, "M2", "5-10 GB"), (35, "M3", "11-35 GB"),
         (100, "M4", "36-100 GB"), (MAX_MEMORY_GIB, "M5", "above 100 GB"))
PRICE_TIERS = {"BASIC": "basic", "STANDARD_HA": "standard"}


def _monthly(r: dict[str, Any], _g: lines.Priced) -> list[lines.Line]:
    a = r["args"]
    gone = pricing.missing(r, "memory_size_gb", "tier", "region")
    if gone:
        return gone
    gib, region = pricing.count(a["memory_size_gb"]), str(a["region"])
    tier = PRICE_TIERS.get(a["tier"])
    band, span = next(((b, s) for top, b, s in BANDS if gib <= top), (None, None)) \
        if gib is not None else (None, None)
    if gib is None or band is None or tier is None:  # (a graph mlinfra did not write)
        return [pricing.no_price(f"a Memorystore instance of {a['memory_size_gb']!r} GiB in "
                                 f"tier {a['tier']!r}", "gcp_redis")]
    e = pricing.entry("gcp_redis", tier=tier, region=region)
    if e is None:
        return [pricing.no_price(f"Memorystore's {tier} tier in {region}", "gcp_redis")]
    rate = e["prices"][band]
    if a.get("read_replicas_mode") == "READ_REPLICAS_ENABLED":
        replicas = pricing.count(a.get("replica_count"))
        if tier != "standard" or replicas is None:
            return [pricing.no_price(f"{a.get('replica_count')!r} read replicas on a {tier} "
                                     "tier instance (read replicas need standard_ha)",
                                     "gcp_redis")]
        nodes = replicas + 1
        return [pricing.per(e, rate, pricing.hours(gib * nodes), "GiB-hours", pricing.FIXED,
                            f"{gib} GiB x {nodes} nodes (the primary and "
                            f"{pricing.plural(nodes - 1, 'read replica')}) x 730 h; estimate: "
                            f"a node taken at half the {tier} {band} ({span}) rate in "
                            f"{region}", factor="0.5")]
    return [pricing.per(e, rate, pricing.hours(gib), "GiB-hours", pricing.FIXED,
                        f"{gib} GiB x 730 h at the {tier} {band} ({span}) rate in {region}")]


COSTS: dict[str, pricing.Pricer] = {TYPE: _monthly}


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
