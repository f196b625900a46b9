"""Memorystore for Redis session stores' cloud and resource type, and what a change of each
argument does to a running instance (CHANGES)."""

from __future__ import annotations

import re
from typing import Any

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

PROVIDER = "gcp"  # the service's cloud (providers.Service), re-exported by gcp_redis
TYPE = "gcp:redis/instance:Instance"

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
