"""Where an ElastiCache session store runs and who reaches it: `network` -> a subnet group
for its subnets and the security groups of its clients."""

from __future__ import annotations

from typing import Any

from ..graph import Origin, ref
from . import aws_network
from .base import Args, Decl, Value, mapping_field

NETWORK_KEYS = ("subnet_ids", "vpc_id", "allow_from", "security_group_ids")


def store_network(decl: Decl, a: Args, region: Value | None,
                  tags: tuple[dict[str, str], Origin]) -> Value | None:
    """What ElastiCache and ElastiCache Serverless read alike: allow_from -> a security
    group of clients; it and security_group_ids -> the store's security_group_ids. Returns
    the store's subnets (its own, else the provider's), an empty list reported (MLC319)."""
    ctx = decl.ctx
    net = mapping_field(decl, "network", NETWORK_KEYS,
                        "on ElastiCache use subnet_ids, allow_from and security_group_ids")
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
    subnets = net.get("subnet_ids") or ctx.provider_setting("aws", "subnet_ids")
    if subnets is not None and not subnets.value:
        decl.err("MLC319", "network", "subnet_ids is empty: name the store's subnets, or "
                                      "remove it for the default VPC", subnets)
        return None
    return subnets


def _network(decl: Decl, a: Args, region: Value | None,
             tags: tuple[dict[str, str], Origin]) -> None:
    """subnet_ids -> a subnet group, and the security groups (store_network)."""
    subnets = store_network(decl, a, region, tags)
    if subnets is not None:
        group = aws_network.subnet_group(decl, subnets, region, tags)
        a.set("subnet_group_name", ref(group, "name"), subnets.origin)
