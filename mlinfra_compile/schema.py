"""The JSON Schema of an environment file, and validation mapped to file:line:col.

The schema is generated from the language table (language.py) so that it, the resolver and
the docs cannot drift apart; schemas/environment.schema.json is its serialisation
(`make schema` writes it, a test checks it is current, `mlinfra schema` prints it).
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from typing import Any

from . import language as L
from . import lengths as N
from .clouds import CLOUDS
from .diagnostics import Diagnostic
from .escape import SHOWN, cut
from .loader import LoadedFile, Path, dotted
from .policy import WAIVABLE
from .units import DURATION_FORMS, SIZE_FORMS, suggest_duration, suggest_size, whole

# A name, not an address: the project owns no domain to serve the schema from (editors
# read it from schemas/ by the modeline); a URN cannot be mistaken for a download.
SCHEMA_ID = "urn:mlinfra:schema:environment"


def _object(fields: dict[str, L.Field], description: str) -> dict[str, Any]:
    return {
        "type": ["object", "null"],
        "description": description,
        "additionalProperties": False,
        "properties": {k: f.schema for k, f in fields.items()},
    }


def build_schema() -> dict[str, Any]:
    schema: dict[str, Any] = whole_values(_build_schema())
    return schema


def whole_values(node: Any) -> Any:
    """Every pattern must match the whole value. A JSON Schema `$` ends the value in
    ECMA-262 (editors, check-jsonschema), but in Python's re (jsonschema, our fastschema)
    it also matches before a final newline, so `"cache\\n"` would pass; `(?!\\n)` after
    it means the end in both."""
    if isinstance(node, dict):
        out = {k: whole_values(v) for k, v in node.items()}
        if isinstance(out.get("pattern"), str):
            out["pattern"] = whole(out["pattern"])
        return out
    if isinstance(node, list):
        return [whole_values(v) for v in node]
    return node


def _build_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "mlinfra environment",
        "description": "One environment (= one Pulumi stack) of session stores and queues. "
                       "Files whose name starts with `_` are partials shared by `extends`.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "extends": L.string("Another file of this folder, by stem (`_base`), whose values "
                                "this file patches (JSON Merge Patch: null removes a key).",
                                "_base", max_length=N.FILE_STEM_LENGTH),
            "environment": L.string("The environment's name; when present it must equal the "
                                    "file's stem.", "prod", max_length=N.STACK_NAME_LENGTH),
            "profile": L.enum(L.PROFILES, "Selects the defaults: development (cheap, "
                                          "unprotected) or production (highly available, "
                                          "protected, dead letters).", "development"),
            "providers": {
                "type": ["object", "null"],
                "description": "The clouds this environment uses.",
                "additionalProperties": False,
                "properties": {c.name: c.settings_schema() for c in CLOUDS.values()},
                "default": {},
                "examples": [{"gcp": {"project": "acme-ml-prod", "region": "us-central1"}}],
            },
            "default_provider": L.enum(L.PROVIDERS, "Provider of declarations that name none; "
                                                    "needed when both are configured."),
            "labels": L.labels("GCP labels / AWS tags on every resource, besides "
                               "`environment` and `managed-by: mlinfra`."),
            "name_template": L.string("Physical resource names, rendered in a sandbox with "
                                      "env, name, kind, provider and profile "
                                      "(`{{ env }}-{{ name }}`). Without it, Pulumi "
                                      "auto-naming is used.", "{{ env }}-{{ name }}",
                                      max_length=200),
            "waivers": {
                "type": ["array", "null"],
                "description": "Production rules (MLC501..MLC505, MLC507, MLC508) waived for one "
                               "resource, each with the reason; `plan` lists them.",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["rule", "resource", "reason"],
                    "properties": {
                        "rule": {"enum": list(WAIVABLE), "description": "The rule's code.",
                                 "default": None, "examples": ["MLC501"]},
                        "resource": {"type": "string", "pattern": L.NAME_PATTERN,
                                     "maxLength": N.NAME_LENGTH,
                                     "description": "The declaration it applies to.",
                                     "default": None, "examples": ["ml-session-storage"]},
                        "reason": {"type": "string", "minLength": 10,
                                   "maxLength": N.REASON_LENGTH,
                                   "description": "Why; reviewed with the change.",
                                   "default": None,
                                   "examples": ["batch cache, rebuilt nightly from BigQuery"]},
                    },
                },
                "default": None,
                "examples": [[{"rule": "MLC501", "resource": "ml-session-storage",
                               "reason": "cache only: losing it costs one cold start"}]],
            },
            "exports": L.EXPORTS,
            "session_stores": {
                "type": ["object", "null"],
                "description": "Managed Redis instances, by name (the Pulumi logical name).",
                "propertyNames": {"pattern": L.NAME_PATTERN, "maxLength": N.NAME_LENGTH},
                "additionalProperties": {"$ref": "#/$defs/session_store"},
                "default": {},
                "examples": [{"ml-session-storage": {"memory": "1GiB",
                                                     "tier": "standard_ha"}}],
            },
            "queues": {
                "type": ["object", "null"],
                "description": "Message queues (SQS queues or Pub/Sub topics with "
                               "subscriptions), by name.",
                "propertyNames": {"pattern": L.NAME_PATTERN, "maxLength": N.NAME_LENGTH},
                "additionalProperties": {"$ref": "#/$defs/queue"},
                "default": {},
                "examples": [{"ml-training-queue": {"provider": "aws", "delay": "90s"}}],
            },
        },
        "$defs": {
            "session_store": _object(L.SESSION_STORE_FIELDS, "A managed Redis instance."),
            "queue": _object(L.QUEUE_FIELDS, "A message queue."),
            "subscription": _object(L.SUBSCRIPTION_FIELDS,
                                    "A consumer of the queue (a Pub/Sub subscription; on "
                                    "aws an SQS queue the SNS topic fans out to); unset "
                                    "fields come from the queue."),
            "sdk_value": L.SDK_VALUE,
        },
    }


def schema_text() -> str:
    """The schema editors read: build_schema's, with hovers, messages and snippets for
    people (editor.py)."""
    from .editor import annotate

    return json.dumps(annotate(build_schema()), indent=2, ensure_ascii=False) + "\n"


@lru_cache(maxsize=1)
def _validator() -> Any:
    # Compiled once per process; see fastschema.py for why not jsonschema here.
    from .fastschema import FastValidator

    return FastValidator(build_schema())


_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "a string",
               "integer": "an integer", "number": "a number", "boolean": "true or false",
               "null": "null"}


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return cut(value)
    return str(value)


def yaml11_hint(f: LoadedFile, path: Path) -> str:
    """The YAML 1.1 surprise behind a wrongly typed value, if there is one."""
    raw = f.plain.get(path)
    if raw is None or len(raw) > SHOWN:  # (the surprises are short words: no, on, 7.0)
        return ""
    return f" (YAML reads `{raw}` as {_describe(_resolve_preview(raw))}: quote it, \"{raw}\", " \
           "if you meant text)"


def _resolve_preview(raw: str) -> Any:
    import yaml

    return yaml.safe_load(raw)


DECLARATION_NAME = "2..40 lowercase letters, digits and hyphens, starting with a letter " \
    "and not ending with a hyphen"
# What a pattern means, by the last keys of the path (the schema keeps the regex).
PATTERN_HELP: dict[tuple[str, ...], str] = {
    **{(c.name, key): text for c in CLOUDS.values() for key, text in c.pattern_help.items()},
    ("node_type",): "an ElastiCache node type such as cache.r7g.large",
    ("encryption",): "`managed` or `kms:<key>`",
    ("subnet_ids",): "a subnet id such as subnet-0a1b2c3d",
    ("security_group_ids",): "a security group id such as sg-0123456789abcdef0",
    ("vpc_id",): "a VPC id such as vpc-0123abcd",
    ("allow_from",): "an IPv4 CIDR such as 10.0.0.0/16 or a security group id such as "
                     "sg-0123456789abcdef0",
    ("network", "name"): "a network name, or projects/HOST/global/networks/NAME",
    ("start",): "a time of day HH:MM (UTC) such as 03:00",
    ("previous_names",): "a previous name (an earlier declaration name, a Pulumi logical "
                         "name such as mlTrainingQueue without control characters or `::`, "
                         "or a URN urn:pulumi:STACK::PROJECT::TYPE::NAME)",
    ("resource",): f"a declaration name: {DECLARATION_NAME}",
}
# ... and by the pattern itself, where the path does not tell (an export's value).
PATTERN_FORMS: dict[str, str] = {
    whole(L.EXPORT_VALUE_PATTERN): "DECLARATION.ATTRIBUTE, such as ml-session-storage.host",
    whole(L.PHYSICAL_NAME_PATTERN): "a cloud name: 1..255 letters, digits and . _ ~ + % -, "
                                    "starting with a letter or digit",
    whole(L.MEMBER_PATTERN): "a member or principal, without spaces "
                             "(serviceAccount:EMAIL, arn:aws:iam::ACCOUNT:role/NAME)",
}
# What a key must look like, by the pattern of propertyNames: (what it is, its rule).
KEY_RULES: dict[str, tuple[str, str]] = {
    whole(L.NAME_PATTERN): ("name", DECLARATION_NAME),
    whole(L.SUBSCRIPTION_KEY_PATTERN): ("subscription key", "1..20 lowercase letters, "
                                        "digits and hyphens, starting with a letter and not "
                                        "ending with a hyphen"),
    whole(L.EXPORT_NAME_PATTERN): ("output name", "letters, digits and `_`, not starting "
                                   "with a digit"),
    whole(L.RESOURCE_NAME_PATTERN): ("resource name", "lowercase letters, digits and "
                                     "hyphens, as `plan` shows them (jobs-dlq)"),
}


SIZE_WITH_UNIT_FORMS = "N followed by MiB or GiB (1GiB, 512MiB); units are binary, GiB not GB"
EXPIRY_FORMS = f"`never` or a duration ({DURATION_FORMS})"


def form_of(keys: tuple[str, ...], schema: dict[str, Any]) -> str:
    """What a value with a pattern must look like, in words: for lint's messages and the
    editor's (editor.py). `keys` are the last keys of its path."""
    title = schema.get("title")
    if title == "Duration":
        return DURATION_FORMS
    if title == "Size":
        return SIZE_FORMS
    if title == "Size with unit":
        return SIZE_WITH_UNIT_FORMS
    if keys[-1:] == ("expiry",):
        return EXPIRY_FORMS
    return PATTERN_HELP.get(keys[-2:]) or PATTERN_HELP.get(keys[-1:]) \
        or PATTERN_FORMS.get(schema["pattern"]) \
        or f"of the expected form {schema['pattern']}"


def _error_to_diag(f: LoadedFile, err: Any) -> tuple[Path, Diagnostic]:
    path: Path = tuple(err.absolute_path)
    v = err.validator
    schema = err.schema
    inst = err.instance
    if v == "additionalProperties":
        props = list(schema.get("properties", {}))
        extra = sorted(k for k in inst if k not in props)
        name = extra[0]
        path = path + (name,)
        close = difflib.get_close_matches(name, props, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else \
            f"; expected one of: {', '.join(props)}"
        msg = f"unknown key {cut(name)}{hint}"
        code = "MLC201"
    elif "propertyNames" in err.schema_path:
        # jsonschema reports the parent object; the offending key is the instance.
        path = path + (inst,)
        what, rule = KEY_RULES.get(schema.get("pattern", ""), ("name", DECLARATION_NAME))
        msg, code = f"{what} {cut(inst)} must be {rule}", "MLC205"
        if v == "maxLength":
            msg, code = (f"key is {len(inst):,} characters, longer than the maximum of "
                         f"{err.validator_value}"), "MLC204"
    elif v == "type":
        want = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        wanted = " or ".join(_TYPE_NAMES[t] for t in want if t != "null")
        title = schema.get("title")
        if title == "Duration":
            wanted = DURATION_FORMS
        elif title == "Size":
            wanted = SIZE_FORMS
        elif title == "Size with unit":
            wanted = "a size with a unit, N followed by MiB or GiB (1GiB, 512MiB)"
        hint = yaml11_hint(f, path) if "string" in want and not title else ""
        msg = f"expected {wanted}, got {_describe(inst)}{hint}"
        code = "MLC202"
    elif v == "enum":
        allowed = ", ".join(json.dumps(x) if isinstance(x, bool) else str(x)
                            for x in schema["enum"] if x is not None)  # true, not True
        names = [str(x) for x in schema["enum"] if x is not None]
        folded = {n.lower().replace("-", "_"): n for n in names}
        same = folded.get(str(inst).lower().replace("-", "_").replace(" ", "_"))
        close = [same] if same else difflib.get_close_matches(str(inst), names, n=1)
        hint = yaml11_hint(f, path) if str(inst) in names or isinstance(inst, bool) else \
            (f" (did you mean {close[0]!r}?)" if close else "")
        msg = f"{_describe(inst)} is not one of: {allowed}{hint}"
        code = "MLC203"
    elif v == "pattern":
        title = schema.get("title")
        if title == "Duration":
            msg, code = f"invalid duration {cut(inst)}: use {DURATION_FORMS}" \
                + _did_you_mean(suggest_duration(inst)), "MLC207"
        elif title == "Size":
            msg, code = f"invalid size {cut(inst)}: use {SIZE_FORMS}" \
                + _did_you_mean(suggest_size(inst)), "MLC207"
        elif title == "Size with unit":
            msg, code = (f"invalid size {cut(inst)}: write {SIZE_WITH_UNIT_FORMS}"
                         + _did_you_mean(suggest_size(inst))), "MLC207"
        elif "expiry" in path:
            msg, code = f"invalid expiry {cut(inst)}: use {EXPIRY_FORMS}", "MLC207"
        else:
            key = tuple(str(p) for p in path[-2:] if isinstance(p, str))
            msg, code = f"{_describe(inst)} is not {form_of(key, schema)}", "MLC205"
    elif v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
               "maxLength", "minLength"):
        bound = err.validator_value
        title = schema.get("title")
        if title in ("Duration", "Size") and v == "minimum":
            forms = DURATION_FORMS if title == "Duration" else SIZE_FORMS
            msg = f"{_describe(inst)} is negative; use {forms}"
            code = "MLC207"
        elif v == "maxLength":
            msg, code = f"is {len(inst):,} characters, longer than the maximum of {bound}", \
                "MLC204"
        elif v == "minLength":
            msg, code = f"is shorter than the minimum of {bound} characters", "MLC204"
        else:
            word = "below the minimum" if v.startswith(("minimum", "exclusiveMin")) else \
                "above the maximum"
            msg, code = f"{_describe(inst)} is {word} of {bound}", "MLC204"
    elif v == "uniqueItems":
        items = [str(x) for x in inst]
        dup = next((x for i, x in enumerate(items) if x in items[:i]), "")
        msg, code = f"lists {cut(dup)} twice", "MLC208"
    elif v == "required":
        msg, code = err.message, "MLC206"
    else:
        msg, code = err.message, "MLC208"
    line, col = f.loc(path, key=True)
    return path, Diagnostic(f.display, line, col, code, dotted(path), msg)


def _did_you_mean(suggestion: str | None) -> str:
    return f" (did you mean {cut(suggestion)}?)" if suggestion else ""


def validate(f: LoadedFile) -> list[Diagnostic]:
    """Schema diagnostics for one loaded file (its data must be a mapping)."""
    return [d for _, d in validate_at(f)]


def validate_at(f: LoadedFile) -> list[tuple[Path, Diagnostic]]:
    """validate's diagnostics, each with the path it is about."""
    assert f.data is not None
    out = []
    for err in _too_long_first(_validator().iter_errors(f.data)):
        if err.validator == "additionalProperties":
            # One diagnostic for each unknown key, each at its own key.
            props = err.schema.get("properties", {})
            for k in sorted(x for x in err.instance if x not in props):
                single = _Single(err, {k: err.instance[k], **{p: None for p in props}})
                out.append(_error_to_diag(f, single))
        else:
            out.append(_error_to_diag(f, err))
    return out


def _place(err: Any) -> tuple[Any, ...]:
    """What an error is about: a value, or a key of a mapping (propertyNames)."""
    names = "propertyNames" in err.schema_path
    return (tuple(err.absolute_path), names, err.instance if names else None)


def _too_long_first(errors: list[Any]) -> list[Any]:
    """One error for a value (or key) both longer than its maximum and off its pattern or
    enum: the length when the value is too long to quote whole (escape.SHOWN), else the
    pattern's or enum's, which says more."""
    long = {_place(e): len(e.instance) > SHOWN for e in errors if e.validator == "maxLength"}
    both = {_place(e) for e in errors if e.validator != "maxLength"} & set(long)
    if not both:
        return errors
    return [e for e in errors if _place(e) not in both
            or (e.validator == "maxLength") == long[_place(e)]]


class _Single:
    """An additionalProperties error narrowed to one extra key."""

    def __init__(self, err: Any, instance: dict[str, Any]) -> None:
        self.absolute_path = err.absolute_path
        self.validator = err.validator
        self.schema = err.schema
        self.instance = instance
        self.validator_value = err.validator_value
        self.message = err.message
