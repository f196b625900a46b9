"""What an editor shows while someone writes an environment file.

VS Code, JetBrains IDEs and Neovim validate YAML through yaml-language-server and the JSON
Schema a file names in its modeline. Besides validation, that server reads keywords made
for people (yaml-language-server 1.25: `markdownDescription` for hovers and completions,
`patternErrorMessage` for a value that does not match its pattern, `errorMessage` for a
wrong type or enum value, `defaultSnippets` for completion skeletons). This module adds
them to the schema schema.py builds, from the same tables (the language, the services'
defaults and ARGUMENTS, lint's descriptions of each form), so that the editor and
`mlinfra lint` say the same things:

- every field's hover: what it does, its default per cloud and profile, the SDK arguments
  it becomes with the provider's range (and the schema's example, which the server adds);
- every pattern and enum: the accepted forms in words, with examples;
- a field the declaration's cloud does not offer (with `provider:` written on it): the
  nearest thing that cloud offers, as `mlinfra lint` says it (MLC307);
- snippets for a new session store, queue or subscription.

`mlinfra lint` validates with the schema without these (schema.build_schema): they change
nothing it accepts, and it need not build them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from . import language as L
from .clouds import CLOUDS
from .editor_services import default_only, offered_clouds, service_rules, why_not
from .forms import KEY_RULES, form_of

# The keywords this module adds (fastschema ignores them; a test strips them and finds
# build_schema's schema again).
KEYWORDS = frozenset({"markdownDescription", "patternErrorMessage", "errorMessage",
                      "defaultSnippets", "allOf", "doNotSuggest"})
KINDS: dict[str, dict[str, L.Field]] = {
    "session_store": L.SESSION_STORE_FIELDS,
    "queue": L.QUEUE_FIELDS,
    "subscription": L.SUBSCRIPTION_FIELDS,
}

def annotate(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with what editors show people (a copy)."""
    out: dict[str, Any] = _without_null_defaults(copy.deepcopy(schema))
    for kind, fields in KINDS.items():
        node = out["$defs"][kind]
        for key, f in fields.items():
            node["properties"][key]["markdownDescription"] = field_markdown(kind, key, f)
            if not f.providers or not offered_clouds(kind, key):
                # (no default service takes it: `service:` names the one that does)
                node["properties"][key]["doNotSuggest"] = True
        rules = unavailable(kind, fields)
        if rules:
            node["allOf"] = rules
        node["defaultSnippets"] = SNIPPETS[kind]
    for key in ("session_stores", "queues"):
        out["properties"][key]["defaultSnippets"] = SNIPPETS[key]
    out["$defs"]["queue"]["properties"]["subscriptions"]["defaultSnippets"] = \
        SNIPPETS["subscriptions"]
    _words(out, ())
    for kind, fields in KINDS.items():
        _clouds(kind, out["$defs"][kind]["properties"], fields)
    _by_cloud(out)
    for kind in ("session_store", "queue"):
        service_rules(kind, out["$defs"][kind], _refused)
    return out


def _clouds(kind: str, properties: dict[str, Any], fields: dict[str, L.Field]) -> None:
    """A field one cloud offers says so in its messages: `(delay: aws only)`."""
    for key in fields:
        clouds = offered_clouds(kind, key)
        if len(clouds) != 1:
            continue
        for word in ("patternErrorMessage", "errorMessage"):
            if word in properties[key]:
                properties[key][word] += f" ({key}: {clouds[0]} only)"


def _without_null_defaults(node: Any) -> Any:
    """`"default": null` dropped: yaml-language-server 1.25 stops completing a mapping
    when it meets one (a TypeError in toYamlStringScalar, caught and swallowed), and a
    null default tells no one anything."""
    if isinstance(node, dict):
        return {k: _without_null_defaults(v) for k, v in node.items()
                if not (k == "default" and v is None)}
    if isinstance(node, list):
        return [_without_null_defaults(v) for v in node]
    return node


# --- hovers ------------------------------------------------------------------------------

def field_markdown(kind: str, key: str, f: L.Field) -> str:
    """What a field's hover says: its description, then per cloud its defaults by profile
    and what it becomes (the server adds the schema's example after it)."""
    from .providers import SERVICES, service_kind

    top = service_kind(kind)
    s = f.schema
    lines = [f"**{key}**: {s['description']}", "",
             "| cloud | development | production | becomes |", "|---|---|---|---|"]
    rows = 0
    for cloud in CLOUDS:
        service = SERVICES[(top, cloud)]
        name = f"{cloud} ({service.TITLE})"
        if cloud not in offered_clouds(kind, key):
            instead = f.instead.get(cloud, "") if cloud not in f.providers \
                else why_not(kind, key, cloud)
            lines.append(f"| {name} | not offered | | {_cell(instead)} |")
            rows += bool(instead)
            continue
        dev, prod = (service.DEFAULTS[p].get(key) for p in L.PROFILES)
        becomes = service.ARGUMENTS.get(key, "")
        if key == "pulumi_args":  # (no field: the SDK class it goes to)
            from .sdkargs import becomes as sdk_class

            becomes = sdk_class(kind, cloud)
        lines.append(f"| {name} | {_default(dev)} | {_default(prod)} | {_cell(becomes)} |")
        rows += bool(dev or prod or becomes)
    # (the example: yaml-language-server shows the schema's `examples` after this text)
    return "\n".join(lines) if rows else lines[0]


def _default(found: tuple[Any, str] | None) -> str:
    return f"`{_scalar(found[0])}`" if found is not None else ""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _generic_markdown(key: str, node: dict[str, Any]) -> str:
    return f"**{key}**: {node['description']}" if key else str(node["description"])


# --- messages ----------------------------------------------------------------------------

def _words(node: Any, keys: tuple[str, ...]) -> None:
    """Messages for people on every pattern, enum and typed value, and a markdown hover on
    every described node that has none, depth first."""
    if isinstance(node, list):
        for item in node:
            _words(item, keys)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("pattern"), str):
        node["patternErrorMessage"] = _sentence(form_of(keys, node))
    message = _type_message(node)
    if message and "errorMessage" not in node:
        node["errorMessage"] = message
    if "description" in node and "markdownDescription" not in node:
        node["markdownDescription"] = _generic_markdown(keys[-1] if keys else "", node)
    names = node.get("propertyNames")
    if isinstance(names, dict) and names.get("pattern") in KEY_RULES:
        what, rule = KEY_RULES[names["pattern"]]
        names["patternErrorMessage"] = _sentence(f"a {what}: {rule}")
    for key, child in node.get("properties", {}).items():
        _words(child, (*keys, key))
    for part in ("additionalProperties", "items", "then", "$defs"):
        child = node.get(part)
        if part == "$defs" and isinstance(child, dict):
            for name, sub in child.items():
                _words(sub, (name,))
        elif isinstance(child, dict):
            _words(child, keys)
    for rule in node.get("allOf", []):
        _words(rule, keys)


def _sentence(form: str) -> str:
    return f"Expected {form}."


def _type_message(node: dict[str, Any]) -> str:
    """What a value of this node must be, for a wrong type or enum value."""
    if "enum" in node:
        values = [_scalar(v) for v in node["enum"] if v is not None]
        quote = next((v for v in values if v[:1].isdigit()), None)
        return f"Expected one of: {', '.join(values)}." + (
            f" Quote a version: '{quote}' (unquoted, YAML reads {quote} as a number)."
            if quote else "") + (f" {node['description']}" if node.get("description") else "")
    title = node.get("title")
    if title in ("Duration", "Size", "Size with unit"):
        return _sentence(form_of((), node))
    types = [t for t in node.get("type", []) if t != "null"] \
        if isinstance(node.get("type"), list) else []
    if types == ["boolean"]:
        return "Expected true or false."
    if types == ["integer"]:
        return "Expected a whole number."
    return ""


# --- what a cloud does not offer ----------------------------------------------------------

def unavailable(kind: str, fields: dict[str, L.Field]) -> list[dict[str, Any]]:
    """For a declaration that names its cloud (`provider:`), each field that cloud does not
    offer is an error saying what it offers instead (lint's MLC307); a field no cloud
    offers is always one. A queue's rules reach its subscriptions too."""
    rules: list[dict[str, Any]] = []
    never = {key: _refused(key, f.schema["description"]) for key, f in fields.items()
             if not f.providers}  # (`access` on a store: its description says why)
    if never:
        rules.append({"properties": never})
    if "provider" not in fields:
        return rules  # (a subscription names no provider: its queue's rules reach it)
    for cloud in CLOUDS:
        banned = _banned(kind, fields, cloud)
        banned.update(_service_values(kind, cloud))
        if not banned:
            continue
        then: dict[str, Any] = {"properties": banned}
        if "subscriptions" in fields:  # (a queue's rules reach its subscriptions)
            sub = _banned("subscription", L.SUBSCRIPTION_FIELDS, cloud)
            then["properties"] = {**banned, "subscriptions": {
                "additionalProperties": {"properties": sub}}}
        rules.append({"if": _cloud_condition(cloud), "then": then})
    return rules


def _service_values(kind: str, cloud: str) -> dict[str, Any]:
    """What only the service of `kind` on `cloud` takes, from its tables: for a store,
    the network keys of the other cloud and `tls: preferred` (ElastiCache's); nothing for
    a service with neither network keys nor `tls` values (a queue's)."""
    from .providers import SERVICES

    service = SERVICES[(kind, cloud)]
    out: dict[str, Any] = {}
    takes: tuple[str, ...] | None = getattr(service, "NETWORK_KEYS", None)
    if takes is not None:
        others = [k for k in L.NETWORK["properties"] if k not in takes]
        out["network"] = {"properties": {k: _refused(
            f"network.{k}", f"not offered on {cloud}: its network takes "
                            f"{', '.join(takes)}") for k in others}}
    if service.TLS_VALUES:
        tls = [json.dumps(v) if isinstance(v, bool) else v for v in service.TLS_VALUES]
        out["tls"] = {"enum": [*service.TLS_VALUES, None],
                      "errorMessage": f"Expected one of: {', '.join(map(str, tls))} (tls on "
                                      f"{cloud}, {service.TITLE})."}
    return out


def _banned(kind: str, fields: dict[str, L.Field], cloud: str) -> dict[str, Any]:
    """What the cloud's default service refuses, in lint's words."""
    return {key: _refused(key, f"not offered on {cloud}: {f.instead[cloud]}"
                          if cloud not in f.providers else why_not(kind, key, cloud))
            for key, f in fields.items()
            if f.providers and cloud not in offered_clouds(kind, key)}


def _cloud_condition(cloud: str) -> dict[str, Any]:
    """A declaration saying `provider: <cloud>`, built by that cloud's default service."""
    return {"required": ["provider"], "properties": {"provider": {"const": cloud}},
            **default_only(cloud)}


def _refused(key: str, why: str) -> dict[str, Any]:
    """A field whose every value but null (a merge patch removing it) is an error, and
    which completion does not propose."""
    return {"type": "null", "errorMessage": f"{key}: {why}", "doNotSuggest": True}


# --- what completion proposes: the fields of the declaration's cloud ---------------------
# yaml-language-server 1.25 proposes the keys of every schema that applies where it
# completes, an `if`'s `then` included, and leaves out a key whose schema there says
# doNotSuggest (services/yamlCompletion.js addPropertyCompletions; parser/schemaValidation/
# baseValidator.js testCondition): a key the declaration's schema proposes cannot be taken
# back by a rule. So a field only one cloud offers is not proposed by the declaration's
# schema (doNotSuggest), and a rule that holds where that cloud may be the declaration's
# proposes it again: a copy of it, without `examples` (the hover would show them twice;
# validation is the same, and the server drops a diagnostic given twice). The cloud is
# `provider:` on the declaration; without one, in the same file, `default_provider:`, or
# `providers:` naming one cloud in a file that extends none (what resolve chooses); else
# any. The server reads one file: what a file inherits through `extends` it cannot see.

def _by_cloud(out: dict[str, Any]) -> None:
    offered = {(kind, cloud): {key: _proposed(out["$defs"][kind]["properties"][key])
                               for key in fields if offered_clouds(kind, key) == (cloud,)}
               for kind, fields in KINDS.items() for cloud in CLOUDS}
    for kind, fields in KINDS.items():
        for key in fields:
            if len(offered_clouds(kind, key)) == 1:
                out["$defs"][kind]["properties"][key]["doNotSuggest"] = True
    for kind in ("session_store", "queue"):  # `provider: <cloud>` written on it
        rules = out["$defs"][kind].setdefault("allOf", [])
        for cloud in CLOUDS:
            then = _provider_rule(rules, cloud)["then"]
            for key, node in _offer(kind, cloud, offered)["properties"].items():
                if key != "subscriptions":
                    then["properties"][key] = node
                    continue
                wrapper = then["properties"].setdefault("subscriptions", {})
                wrapper["doNotSuggest"] = True
                wrapper.setdefault("additionalProperties", {}).setdefault(
                    "properties", {}).update(node["additionalProperties"]["properties"])
    out["allOf"] = [{"if": {"not": {"anyOf": [_known(other) for other in CLOUDS
                                              if other != cloud]}},
                     "then": {"properties": {section: {
                         "doNotSuggest": True, "additionalProperties": {
                             "if": {"properties": {"provider": {"type": "null"}},
                                    **default_only(cloud)},
                             "then": _offer(kind, cloud, offered)}}
                         for section, kind in (("session_stores", "session_store"),
                                               ("queues", "queue"))}}}
                    for cloud in CLOUDS]


def _proposed(node: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in node.items() if k not in ("examples", "doNotSuggest")}


def _offer(kind: str, cloud: str,
           offered: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    """The rule's `then`: what only `cloud` offers on a declaration of `kind` (on a queue,
    on its subscriptions too)."""
    properties = copy.deepcopy(offered[(kind, cloud)])
    if "subscriptions" in KINDS[kind]:
        properties["subscriptions"] = {"doNotSuggest": True, "additionalProperties": {
            "properties": copy.deepcopy(offered[("subscription", cloud)])}}
    return {"properties": properties}


def _provider_rule(rules: list[dict[str, Any]], cloud: str) -> dict[str, Any]:
    """The rule of a declaration that says `provider: <cloud>` (unavailable's), made if
    there is none."""
    condition = _cloud_condition(cloud)
    for rule in rules:
        if rule.get("if") == condition:
            return rule
    rules.append({"if": condition, "then": {"properties": {}}})
    return rules[-1]


def _known(cloud: str) -> dict[str, Any]:
    """The file says the declarations that name no provider are on `cloud`."""
    others = {c: {"type": "null"} for c in CLOUDS if c != cloud}  # (absent, or removed)
    return {"anyOf": [
        {"required": ["default_provider"], "properties": {"default_provider": {"const": cloud}}},
        {"not": {"anyOf": [{"required": ["default_provider"]}, {"required": ["extends"]}]},
         "required": ["providers"],
         "properties": {"providers": {"type": "object", "required": [cloud], "properties": {
             cloud: {"type": "object"}, **others}}}}]}


# --- snippets ----------------------------------------------------------------------------
# Exact text (bodyText), each line after the first relative to the first: editors indent
# an inserted snippet to the cursor's line, so every file keeps its two-space style.

def _snippet(label: str, what: str, *lines: str) -> dict[str, Any]:
    return {"label": label, "markdownDescription": what, "bodyText": "\n".join(lines)}


SNIPPETS: dict[str, list[dict[str, Any]]] = {
    "session_stores": [_snippet(
        "session store", "A managed Redis: Memorystore on gcp, ElastiCache on aws.",
        "${1:ml-sessions}:", "  memory: ${2:1GiB}", "  tier: ${3|basic,standard_ha|}",
        "  eviction_policy: ${4:allkeys-lru}")],
    "queues": [
        _snippet("queue on SQS (aws)", "An SQS queue with a dead-letter queue.",
                 "${1:ml-jobs}:", "  provider: aws", "  visibility_timeout: ${2:30s}",
                 "  retention: ${3:4d}", "  dead_letter:", "    max_receives: ${4:5}"),
        _snippet("queue on Pub/Sub (gcp)",
                 "A Pub/Sub topic with one subscription per consumer.",
                 "${1:ml-events}:", "  provider: gcp", "  subscriptions:",
                 "    ${2:workers}:", "      visibility_timeout: ${3:60s}"),
    ],
    "subscriptions": [_snippet(
        "subscription", "A consumer that gets every message: `<queue>-<key>`.",
        "${1:workers}:", "  visibility_timeout: ${2:60s}", "  retention: ${3:7d}")],
    "session_store": [_snippet(
        "memory and tier", "How big, and whether a replica takes over on failure.",
        "memory: ${1:1GiB}", "tier: ${2|basic,standard_ha|}")],
    "queue": [_snippet(
        "timeouts and dead letters",
        "How long a consumer has, how long messages are kept, and where the ones that keep "
        "failing go.",
        "visibility_timeout: ${1:30s}", "retention: ${2:4d}", "dead_letter:",
        "  max_receives: ${3:5}")],
    "subscription": [_snippet(
        "consumer", "A consumer's acknowledgement deadline and retention.",
        "visibility_timeout: ${1:60s}", "retention: ${2:7d}")],
}
