"""The language reference (docs/language.md), generated from the language table and the
services' defaults, like the JSON Schema: `make docs ACCEPT=1` writes it, a test checks it is
current, and `python -m mlinfra_compile.reference` prints it."""

from __future__ import annotations

import json
from typing import Any

from . import language as L
from .clouds import CLOUDS

KINDS = (("session_store", "Session stores (`session_stores.NAME`)", L.SESSION_STORE_FIELDS),
         ("queue", "Queues (`queues.NAME`)", L.QUEUE_FIELDS),
         ("subscription", "Subscriptions (`queues.NAME.subscriptions.KEY`)",
          L.SUBSCRIPTION_FIELDS))


def cell(text: Any) -> str:
    """A table cell: one line, `|` escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def shown(value: Any) -> str:
    if isinstance(value, str):
        return f"`{value}`"
    return f"`{json.dumps(value, sort_keys=True)}`"


def kind_of(schema: dict[str, Any]) -> str:
    """What a value looks like, in words."""
    if schema.get("title"):
        return str(schema["title"]).lower()
    if "enum" in schema:
        return "one of " + ", ".join(shown(v) for v in schema["enum"] if v is not None)
    types = [t for t in schema.get("type", []) if t != "null"]
    if types == ["array"]:
        return "list"
    if "object" in types and "string" in types:
        return "string or mapping"
    return " or ".join({"object": "mapping", "integer": "integer", "string": "string",
                        "boolean": "true/false"}.get(t, t) for t in types)


def limits(schema: dict[str, Any]) -> str:
    parts = []
    if "minimum" in schema:
        parts.append(f">= {schema['minimum']}")
    if "maximum" in schema:
        parts.append(f"<= {schema['maximum']}")
    if "maxLength" in schema:
        parts.append(f"at most {schema['maxLength']} characters")
    return ", ".join(parts)


def _services(kind: str) -> list[Any]:
    """The services of the declaration kind (a subscription's are its queue's)."""
    from .providers import MODULES, service_kind

    top = service_kind(kind)
    return [s for s in MODULES if top == s.KIND]


def takes(kind: str, key: str) -> str:
    """The services that take the field (lint's own check, declarations.py)."""
    from .declarations import unsupported_reason

    found = [s.SERVICE for s in _services(kind) if unsupported_reason(kind, key, s) is None]
    return ", ".join(found) if found else "none"


def defaults(kind: str, key: str) -> str:
    """`service profile: value` for every service that has a default for the field."""
    out = []
    for service in _services(kind):
        for profile in L.PROFILES:
            found = service.DEFAULTS[profile].get(key)
            if found is not None:
                out.append(f"{service.SERVICE} {profile}: {shown(found[0])}")
    return "; ".join(out)


def becomes(kind: str, key: str) -> str:
    """`service: the SDK arguments` for every service the field becomes arguments of."""
    return "; ".join(f"{s.SERVICE}: {s.ARGUMENTS[key]}" for s in _services(kind)
                     if key in s.ARGUMENTS)


def field_rows(kind: str, fields: dict[str, L.Field]) -> list[str]:
    rows = ["| field | value | services | default | limits | example | becomes | what it "
            "does |", "|---|---|---|---|---|---|---|---|"]
    for key, f in fields.items():
        s = f.schema
        example = shown(s["examples"][0]) if s.get("examples") else ""
        rows.append("| " + " | ".join(cell(x) for x in (
            f"`{key}`", kind_of(s), takes(kind, key), defaults(kind, key), limits(s),
            example, becomes(kind, key), s.get("description", ""))) + " |")
    return rows


def top_rows() -> list[str]:
    from .schema import build_schema

    props = build_schema()["properties"]
    rows = ["| key | value | example | what it does |", "|---|---|---|---|"]
    for key, s in props.items():
        example = shown(s["examples"][0]) if s.get("examples") else ""
        rows.append("| " + " | ".join(cell(x) for x in (
            f"`{key}`", kind_of(s), example, s.get("description", ""))) + " |")
    return rows


def cloud_rows() -> list[str]:
    rows = ["| setting | value | example | what it does |", "|---|---|---|---|"]
    for cloud in CLOUDS.values():
        for key, s in cloud.settings.items():
            example = shown(s["examples"][0]) if s.get("examples") else ""
            rows.append("| " + " | ".join(cell(x) for x in (
                f"`providers.{cloud.name}.{key}`", kind_of(s), example,
                s.get("description", ""))) + " |")
    return rows


def render() -> str:
    lines = [
        "# The environment language",
        "",
        "Generated from `mlinfra_compile/language.py` and the services' defaults by "
        "`make docs` (a test fails when it is out of date). Every key is also in "
        "`schemas/environment.schema.json`, which editors read; `mlinfra explain ENV KEY` "
        "says where a value came from.",
        "",
        "## An environment file",
        "",
        *top_rows(),
        "",
        "## Cloud settings (`providers`)",
        "",
        *cloud_rows(),
    ]
    for kind, title, fields in KINDS:
        lines += ["", f"## {title}", "", *field_rows(kind, fields)]
    lines += ["", "Durations: seconds as an integer, or `Nd Nh Nm Ns` parts in that order "
                  "(`90s`, `1h30m`). Sizes: bytes, or `N` with `B`, `KiB`, `MiB`, `GiB`. A "
                  "field a cloud cannot honour is an error naming the nearest thing it "
                  "offers (MLC307)."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
