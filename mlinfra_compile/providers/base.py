"""What every provider service module works with, in one import: the declaration core
(decl.py: declarations whose fields carry their origin, and a build context that collects
resources and diagnostics) and the field helpers they share (fields.py)."""

from __future__ import annotations

from .decl import (
    OWN_FIELDS,
    Args,
    Attributes,
    Context,
    Decl,
    Defaults,
    ImportId,
    Value,
    fixed_name,
    human_seconds,
)
from .fields import (
    RESERVED_LABELS,
    attributes,
    check_cidr,
    check_labels,
    check_region,
    chosen_network,
    derived,
    exportable,
    grant_name,
    mapping_field,
    members,
    protect,
    resource_labels,
    subscription_decls,
    traffic,
)

__all__ = [
    "OWN_FIELDS",
    "RESERVED_LABELS",
    "Args",
    "Attributes",
    "Context",
    "Decl",
    "Defaults",
    "ImportId",
    "Value",
    "attributes",
    "check_cidr",
    "check_labels",
    "check_region",
    "chosen_network",
    "derived",
    "exportable",
    "fixed_name",
    "grant_name",
    "human_seconds",
    "mapping_field",
    "members",
    "protect",
    "resource_labels",
    "subscription_decls",
    "traffic",
]
