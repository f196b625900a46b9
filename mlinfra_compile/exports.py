"""`exports`: stack outputs under the names a stack's consumers read (DECLARATION.ATTRIBUTE),
checked against what each declaration offers and against the outputs mlinfra writes.
See docs/design.md, Stack outputs and exports."""

from __future__ import annotations

import difflib
from typing import Any

from .loader import Path
from .providers.base import Context, exportable


def compile_exports(ctx: Context, exports: dict[str, Any], declared: set[str]) -> dict[str, str]:
    """`exports` -> top-level stack outputs under exactly the names given.
    Returns {output: DECLARATION.ATTRIBUTE} of those compiled."""
    if not exports:
        return {}  # (lint runs this for every environment: no work without exports)
    from .connections import env_key
    from .graph import GRAPH_OUTPUT, RUNNING_OUTPUT

    reserved = {GRAPH_OUTPUT, RUNNING_OUTPUT}
    flat = {env_key(f"{d}.{k}"): (f"{d}.{k}", v) for d, outs in ctx.outputs.items()
            for k, v in _leaves(outs)}
    keys: dict[str, str] = {}
    out: dict[str, str] = {}
    for name, target in sorted(exports.items()):
        if not isinstance(target, str) or (target.partition(".")[0] in declared and
                                           target.partition(".")[0] not in ctx.attributes):
            continue  # (a declaration that did not build: its errors are reported)
        path: Path = ("exports", name)
        at = ctx.origin_of(path)
        assert at is not None
        problem = _export_problem(ctx, name, target, reserved, flat, keys)
        if problem:
            if at.kind == "inherited":  # (written in a file other environments share)
                problem += f" (in environment {ctx.env})"
            ctx.error("MLC323", path, problem, at)
            continue
        decl, _, attr = target.partition(".")
        ctx.outputs[name] = exportable(ctx.attributes[decl])[attr]
        keys[env_key(name)] = name
        out[name] = target
    return out


def _leaves(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict) and "$ref" not in value:
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{prefix}{k}.")]
    return [(prefix[:-1], value)]


def _export_problem(ctx: Context, name: str, target: str, reserved: set[str],
                    flat: dict[str, tuple[str, Any]], keys: dict[str, str]) -> str | None:
    from .connections import env_key

    if name in reserved or name.startswith("_mlinfra"):
        return f"{name!r} is a stack output mlinfra writes itself; choose another name"
    from .envnames import refusal

    why = refusal(env_key(name))
    if why is not None:
        return (f"{name!r} would be {env_key(name)} in `mlinfra outputs --format dotenv`, "
                f"which applications source, and {why}; choose another name")
    if name in ctx.outputs:
        return (f"{name!r} is the output mlinfra writes for the declaration {name}; "
                "choose another name")
    decl, _, attr = target.partition(".")
    entry = ctx.attributes.get(decl)
    attrs = exportable(entry) if entry is not None else None
    key = env_key(name)
    same = key in flat and attrs is not None and attrs.get(attr) == flat[key][1]
    if (key in flat and not same) or key in keys:
        other = flat[key][0] if key in flat else keys[key]
        return (f"{name!r} and {other} are both {key} in `mlinfra outputs`, with "
                "different values; choose another name")
    if attrs is None:
        known = sorted(ctx.attributes)
        close = difflib.get_close_matches(decl, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return (f"{target}: there is no declaration {decl!r}{hint}; declarations: "
                f"{', '.join(known) or 'none'}")
    if attr not in attrs:
        close = difflib.get_close_matches(attr, list(attrs), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return (f"{target}: {decl} has no attribute {attr!r}{hint}; it has "
                f"{', '.join(attrs)}")
    return None


def old_output_names(outputs: dict[str, Any]) -> dict[str, str]:
    """{old name: new name} of the stack outputs a deployed stack holds under a name that
    changed. A gcp queue's one subscription was the stack output
    `<queue>.subscriptions.sub` (after its resource, `<queue>-sub`) until it took the name
    exports give it, `subscriptions.default` (issue 26). A gcp queue's output has `topic`
    (an SQS fan-out's has `topic_arn`, and its `default` is a key written so); a key
    written `sub` is the same resource as `default`, so the two never meet."""
    out: dict[str, str] = {}
    for name, value in sorted(outputs.items()):
        subs = value.get("subscriptions") if isinstance(value, dict) and "topic" in value \
            else None
        if isinstance(subs, dict) and "default" in subs and "sub" not in subs:
            out[f"{name}.subscriptions.sub"] = f"{name}.subscriptions.default"
    return out


def keep_old_names(settings: dict[str, str], hidden: list[str],
                   outputs: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """`mlinfra outputs` also writes each renamed setting under its old name, which
    applications may read (a name no other output takes); returns the settings and
    one note for each."""
    from .connections import env_key

    notes = []
    settings = dict(settings)
    for old, new in old_output_names(outputs).items():
        was, now = env_key(old), env_key(new)
        if was in settings or was in hidden or (now not in settings and now not in hidden):
            continue
        if now in hidden:
            hidden.append(was)
        else:
            settings[was] = settings[now]
        notes.append(f"mlinfra: {was} is the old name of {now}, still written for "
                     f"applications that read it; read {now}\n")
    hidden.sort()
    return dict(sorted(settings.items())), notes
