"""The vocabulary the language table (language.py) is written in.

The patterns and value sets that names and values take; the helpers that write one field's
JSON Schema fragment (duration, size, boolean, enum, string, labels) and the value of an
SDK argument (SDK_VALUE); Field, a fragment with the providers that honour it; and the
fields whose text each declaration kind fills in (service_field, pulumi_args_field).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from . import lengths as N
from .clouds import CLOUDS, SECURITY_GROUP_ID_PATTERN
from .units import DURATION_PATTERN, SIZE_PATTERN

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
# What ECMA-262's \s matches (WhiteSpace: tab, VT, FF, U+FEFF and the Zs spaces; and
# LineTerminator), spelled out: a schema pattern is read by editors' ECMA-262 engines and by
# Python's re, whose \s also takes U+001C..U+001F and not U+FEFF (str.isspace), and whose
# \d and \w take every script's digits and letters. So no pattern here uses \s, \S, \d
# or \w; and a name takes no line separator (U+2028, U+2029), which ECMA-262's `.` stops
# at and Python's does not (tests/test_schema_patterns.py).
SPACE = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
PREVIOUS_NAME_PATTERN = (rf"^(urn:pulumi:[^:{SPACE}]{{1,100}}::[^:{SPACE}]{{1,100}}::"
                         rf"[^{SPACE}]{{1,400}}::"
                         r"[^\x00-\x1f\x7f\u2028\u2029]{1,256}|"
                         r"(?!urn:)(?!.*::)[^\x00-\x1f\x7f\u2028\u2029]{1,256})$")
EXPORT_VALUE_PATTERN = r"^[a-z][a-z0-9-]*(\.[A-Za-z0-9_-]+)+$"  # DECLARATION.ATTRIBUTE
MEMBER_PATTERN = rf"^[^{SPACE}]{{1,512}}$"  # a gcp member or aws principal, checked per cloud
SUBSCRIPTION_KEY_PATTERN = r"^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$"
# Networks and keys: the forms the schema accepts; the provider modules
# check what a pattern cannot (a CIDR's host bits, which form a service takes).
IPV4_CIDR = r"[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}"
ALLOW_FROM_PATTERN = rf"^({IPV4_CIDR}|{SECURITY_GROUP_ID_PATTERN[1:-1]})$"
ENCRYPTION_PATTERN = rf"^(managed|sqs-managed|kms:[^{SPACE}]+)$"
PROVIDERS = tuple(CLOUDS)  # ("gcp", "aws")
PROFILES = ("development", "production")


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


class Field(NamedTuple):
    """One key of a declaration: its schema and which providers honour it."""

    schema: dict[str, Any]
    providers: tuple[str, ...] = PROVIDERS
    # provider -> the nearest thing it offers, for the error when it cannot honour the field
    instead: Mapping[str, str] = MappingProxyType({})


def service_field(kind: str) -> Field:
    """`service:`: which of its cloud's services builds the declaration."""
    from .providers import MODULES

    names = sorted({s.SERVICE for s in MODULES if kind == s.KIND})
    defaults = ", ".join(f"{s.PROVIDER}: {s.SERVICE}" for s in MODULES
                         if kind == s.KIND and s.IS_DEFAULT)
    return Field(enum(tuple(names), f"The service of its cloud that runs it. Default: "
                                    f"{defaults}."))


def pulumi_args_field(target: str, example: dict[str, Any]) -> Field:
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
