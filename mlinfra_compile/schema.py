"""The JSON Schema of an environment file, and validation mapped to file:line:col.

The schema is generated from the language table (language.py) so that it, the resolver and
the docs cannot drift apart; schemas/environment.schema.json is its serialisation
(`make schema ACCEPT=1` writes it, a test checks it is current, `mlinfra schema` prints it).
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
from .forms import EXPIRY_FORMS, KEY_RULES, SIZE_WITH_UNIT_FORMS, form_of
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
            **_settings(),
            "waivers": _waivers(),
            "exports": L.EXPORTS,
            **_declarations(),
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


def _settings() -> dict[str, Any]:
    """The top-level keys that set up the environment, before its waivers."""
    return {
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
    }


def _waivers() -> dict[str, Any]:
    """`waivers:`, the production rules waived for one resource each."""
    return {
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
    }


def _declarations() -> dict[str, Any]:
    """The maps of declarations by name: session stores and queues."""
    return {
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


_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "maxLength",
           "minLength")


def _error_to_diag(f: LoadedFile, err: Any) -> tuple[Path, Diagnostic]:
    path: Path = tuple(err.absolute_path)
    v = err.validator
    if v == "additionalProperties":
        path, msg, code = _unknown_key(err, path)
    elif "propertyNames" in err.schema_path:
        # jsonschema reports the parent object; the offending key is the instance.
        path = path + (err.instance,)
        msg, code = _bad_key(err)
    elif v == "type":
        msg, code = _wrong_type(f, err, path)
    elif v == "enum":
        msg, code = _not_allowed(f, err, path)
    elif v == "pattern":
        msg, code = _off_pattern(err, path)
    elif v in _BOUNDS:
        msg, code = _out_of_bounds(err)
    elif v == "uniqueItems":
        msg, code = f"lists {_first_repeat(err.instance)} twice", "MLC208"
    elif v == "required":
        msg, code = err.message, "MLC206"
    else:
        msg, code = err.message, "MLC208"
    line, col = f.loc(path, key=True)
    return path, Diagnostic(f.display, line, col, code, dotted(path), msg)


def _first_repeat(items: list[Any]) -> str:
    """The first item equal, as JSON, to one before it (uniqueItems's reason: 1 and 1.0
    are one number), as written."""
    from .fastschema import json_equal

    dup = next(x for i, x in enumerate(items) if any(json_equal(x, y) for y in items[:i]))
    if isinstance(dup, str):
        return cut(dup)
    text = json.dumps(dup, sort_keys=True)  # (a mapping or list may be long: cut as text)
    return text if len(text) <= SHOWN else text[:SHOWN] + "..."


def _unknown_key(err: Any, path: Path) -> tuple[Path, str, str]:
    """additionalProperties: the (first) unknown key, at itself, with the nearest known."""
    props = list(err.schema.get("properties", {}))
    extra = sorted(k for k in err.instance if k not in props)
    name = extra[0]
    close = difflib.get_close_matches(name, props, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else \
        f"; expected one of: {', '.join(props)}"
    return path + (name,), f"unknown key {cut(name)}{hint}", "MLC201"


def _bad_key(err: Any) -> tuple[str, str]:
    """propertyNames: a key off its pattern or too long (the key is the instance)."""
    inst = err.instance
    if err.validator == "maxLength":
        return (f"key is {len(inst):,} characters, longer than the maximum of "
                f"{err.validator_value}"), "MLC204"
    # (every key pattern of the schema has its words: tests/test_schema_messages.py)
    what, rule = KEY_RULES[err.schema["pattern"]]
    return f"{what} {cut(inst)} must be {rule}", "MLC205"


def _wrong_type(f: LoadedFile, err: Any, path: Path) -> tuple[str, str]:
    schema = err.schema
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
    return f"expected {wanted}, got {_describe(err.instance)}{hint}", "MLC202"


def _not_allowed(f: LoadedFile, err: Any, path: Path) -> tuple[str, str]:
    """enum: the allowed values, and the one meant, by case and spelling or YAML 1.1."""
    inst, enum = err.instance, err.schema["enum"]
    allowed = ", ".join(json.dumps(x) if isinstance(x, bool) else str(x)
                        for x in enum if x is not None)  # true, not True
    names = [str(x) for x in enum if x is not None]
    folded = {n.lower().replace("-", "_"): n for n in names}
    same = folded.get(str(inst).lower().replace("-", "_").replace(" ", "_"))
    close = [same] if same else difflib.get_close_matches(str(inst), names, n=1)
    hint = yaml11_hint(f, path) if str(inst) in names or isinstance(inst, bool) else \
        (f" (did you mean {close[0]!r}?)" if close else "")
    return f"{_describe(inst)} is not one of: {allowed}{hint}", "MLC203"


def _off_pattern(err: Any, path: Path) -> tuple[str, str]:
    inst, schema = err.instance, err.schema
    title = schema.get("title")
    if title == "Duration":
        return f"invalid duration {cut(inst)}: use {DURATION_FORMS}" \
            + _did_you_mean(suggest_duration(inst)), "MLC207"
    if title == "Size":
        return f"invalid size {cut(inst)}: use {SIZE_FORMS}" \
            + _did_you_mean(suggest_size(inst)), "MLC207"
    if title == "Size with unit":
        return (f"invalid size {cut(inst)}: write {SIZE_WITH_UNIT_FORMS}"
                + _did_you_mean(suggest_size(inst))), "MLC207"
    if "expiry" in path:
        return f"invalid expiry {cut(inst)}: use {EXPIRY_FORMS}", "MLC207"
    key = tuple(str(p) for p in path[-2:] if isinstance(p, str))
    return f"{_describe(inst)} is not {form_of(key, schema)}", "MLC205"


def _out_of_bounds(err: Any) -> tuple[str, str]:
    v, inst, bound = err.validator, err.instance, err.validator_value
    title = err.schema.get("title")
    if title in ("Duration", "Size") and v == "minimum":
        forms = DURATION_FORMS if title == "Duration" else SIZE_FORMS
        return f"{_describe(inst)} is negative; use {forms}", "MLC207"
    if v == "maxLength":
        return f"is {len(inst):,} characters, longer than the maximum of {bound}", "MLC204"
    if v == "minLength":
        return f"is shorter than the minimum of {bound} characters", "MLC204"
    word = "below the minimum" if v.startswith(("minimum", "exclusiveMin")) else \
        "above the maximum"
    return f"{_describe(inst)} is {word} of {bound}", "MLC204"


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
