"""Human-readable views of a compiled environment: the plan table and explain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .escape import visible
from .graph import Origin, Resource
from .loader import Path, dotted
from .resolve import Compiled

# json.dumps(value, ensure_ascii=False) without building an encoder per call (a plan of
# 10,000 declarations shows 220,000 values: 1.1 of its 11 s under the profiler); a string,
# most of them, straight to the encoder's own function for strings, as encode() does
_JSON = json.JSONEncoder(ensure_ascii=False)
_JSON_STRING = json.encoder.encode_basestring
_JSON_WORDS = {True: "true", False: "false", None: "null"}

LEGEND = ("set: written in this file; inherited: from a file it extends; default: the "
          "profile's default; derived: computed by mlinfra")


def show_value(value: Any) -> str:
    """Compact rendering of a graph value, with the markers spelled out."""
    if type(value) is str:
        return _JSON_STRING(value)
    if value is None or type(value) is bool:
        return _JSON_WORDS[value]
    if type(value) is int:  # (what the encoder writes for one: int.__repr__)
        return int.__repr__(value)
    if isinstance(value, dict):
        if "$unknown" in value:
            return "(known after the replacement)"
        if "$ref" in value:
            shown = f"${{{value['$ref']}.{value['attr']}}}"
            shown = f"pem({shown})" if value.get("pem") else shown
            return f"secret({shown})" if value.get("secret") else shown
        if "$json" in value:
            return f"json({show_value(value['$json'])})"
        if "$secret" in value:
            return f"secret({value['$secret']})"
        inner = ", ".join(f"{k}: {show_value(v)}" for k, v in sorted(value.items()))
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    return _JSON.encode(value)


_NOTED = ("default", "derived")  # origins shown by their note, not a place


def plan_text(c: Compiled) -> str:
    return "".join(plan_pieces(c))


def plan_pieces(c: Compiled) -> Iterator[str]:
    """The plan a resource at a time: a plan of 10,000 declarations is 27 MB of text,
    written as it is made (output.out) rather than held whole. Once the resources are
    written the rest needs only the graph's values: when the caller has handed over its
    last reference to `c` (commands.plan), the compile (its files, merge, declarations
    and each argument's origin) is let go before the month is estimated, which then
    takes no memory beyond the compile's (at 10,000 declarations it added 12 MiB).
    (`c` goes to the generator in a list it empties: whatever holds the generator's
    arguments, a wrapper of the function included, then holds no compile.)"""
    return _plan_stream([c])


def _plan_stream(box: list[Compiled]) -> Iterator[str]:
    c = box.pop()
    assert c.graph is not None
    g = c.graph
    lines = [f"Environment {g.environment} (profile {g.profile}) from {c.merged.files[-1].display}"
             if c.merged else f"Environment {g.environment}"]
    if c.merged and len(c.merged.files) > 1:
        lines.append("extends: " + " --> ".join(f.display for f in reversed(c.merged.files)))
    imported = [r for r in g.resources if r.options.get("import")]
    adopted = f" ({len(imported)} imported: adopted, not created)" if imported else ""
    lines.append(f"{len(g.resources)} resources{adopted}. {LEGEND}.")
    yield "\n".join(lines) + "\n"
    yield from map(_resource_text, g.resources)
    tail, env = _plan_tail(c), c.env
    del c, imported  # (its own references: see plan_pieces)
    doc = g.to_json()  # (in the memory the compile let go)
    del g
    tail += ["", f"Estimated cost: {_cost_sentence(doc)}; `mlinfra cost {env}` shows each "
                 "resource"]
    yield "\n".join(tail) + "\n"


def _resource_text(r: Resource) -> str:
    """One resource of the plan: a blank line, its heading, an aligned row per argument."""
    opts = ", ".join(f"{k}={show_value(v)}" for k, v in sorted(r.options.items()))
    lines = ["", f"{r.name}  {r.type}  [{opts or 'no options'}]  {r.source}"]
    args, origins = r.args, r.origins
    keys = sorted(args)
    values = [show_value(args[key]) for key in keys]
    w0 = max(map(len, keys), default=0)
    w1 = min(max(map(len, values), default=0), 48)
    # (ljust, not a width in the format, and the origin's fields unpacked rather than
    # its `where`: 500,000 rows at 10,000 declarations, where each call counts)
    for key, val in zip(keys, values, strict=True):
        o = origins.get(key)
        if o is None:
            lines.append(f"  {key.ljust(w0)}  {val}".rstrip())
            continue
        kind, file, line, column, note = o
        shown = kind.ljust(9)
        if kind in _NOTED:
            lines.append(f"  {key.ljust(w0)}  {val.ljust(w1)}  {shown}  {note}".rstrip())
        else:  # (FILE:LINE:COLUMN ends in a digit: nothing to strip)
            lines.append(f"  {key.ljust(w0)}  {val.ljust(w1)}  {shown}  {file}:{line}:{column}")
    return "\n".join(lines) + "\n"


def _plan_tail(c: Compiled) -> list[str]:
    """What follows the resources: waivers, outputs and exports (the month's estimate
    comes last, from plan_pieces)."""
    assert c.graph is not None
    g = c.graph
    lines = []
    if c.waivers:
        lines.append("")
        lines.append("Waivers:")
        for w in c.waivers:
            state = "" if w.used else "  (waives nothing)"
            lines.append(f"  {w.rule} for {w.resource}: {visible(w.reason)}  "
                         f"[{w.origin.where}]{state}")
    defaults = {k: v for k, v in g.outputs.items() if k not in c.exports}
    if defaults:
        lines.append("")
        lines.append("Outputs:")
        for name, outs in defaults.items():
            lines.append(f"  {name}: {show_value(outs)}")
    if c.exports:
        lines.append("")
        lines.append("Exports (stack outputs under the names given):")
        for name, target in c.exports.items():
            lines.append(f"  {name}: {target} = {show_value(g.outputs[name])}")
    return lines


def cost_line(c: Compiled) -> str:
    """The month's estimate in one sentence."""
    assert c.graph is not None
    return _cost_sentence(c.graph.to_json())


def _cost_sentence(doc: dict[str, Any]) -> str:
    from .cost import estimate, total_text

    return total_text(estimate(doc))


class ExplainError(Exception):
    pass


def _lookup(data: Any, path: Path) -> tuple[bool, Any]:
    """(found, value) of a path in nested mappings."""
    node = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _nearest(c: Compiled, path: Path) -> str:
    """` (did you mean ...?)` for a misspelled declaration or field of a key."""
    import difflib

    if len(path) < 2 or path[0] not in ("session_stores", "queues"):
        return ""
    names = [str(p[1]) for p in c.decls if p[0] == path[0] and len(p) == 2]
    if path[1] not in names:
        close = difflib.get_close_matches(str(path[1]), names, n=1)
        return f" (did you mean {dotted((path[0], close[0], *path[2:]))!r}?)" \
            if close else f"; {path[0]}: {', '.join(sorted(names)) or 'none'}"
    return ""


def explain_text(c: Compiled, key: str) -> str:
    assert c.merged is not None
    path: Path = tuple(key.split(".")) if key else ()
    m = c.merged
    lines: list[str] = []
    decl = c.decls.get(path[:-1]) if len(path) >= 3 else None
    value = None
    origin: Origin | None = None
    if decl is not None:
        v = decl.get(str(path[-1]))
        if v is not None:
            value, origin = v.value, v.origin
    if origin is None:
        found, node = _lookup(m.data, path)
        if found:
            value, origin = node, m.origin(path)
        elif path == ("profile",):
            value = "development"
            origin = Origin("default", m.files[-1].display, 1, 1, "the default profile")
    if origin is None:
        raise ExplainError(f"{key!r} is not set in {c.env} and has no default{_nearest(c, path)}"
                           "; keys look like session_stores.NAME.tier or queues.NAME.retention")
    lines.append(f"{c.env}: {dotted(path)} = {show_value(value)}")
    if origin.kind in ("set", "inherited"):
        lines.append(f"  {origin.kind} at {origin.where}")
        if decl is not None and decl.where(str(path[-1])) != path:
            lines.append(f"  written as {dotted(decl.where(str(path[-1])))}, which every "
                         "subscription of the queue inherits")
    elif origin.kind == "default":
        lines.append(f"  {origin.note}; not set in "
                     + " or ".join(f.display for f in reversed(m.files)))
    # Every other file of the chain that writes this key: what the winner overrides.
    for f in reversed(m.files):
        if f.display == origin.file:
            continue
        ok, node = _lookup(f.data, path)
        if ok:
            line, col = f.loc(path, key=True)
            lines.append(f"  overrides {f.display}:{line}:{col} ({show_value(node)})")
    if decl is not None and origin.kind != "default" and path[-1] in decl.defaults:
        dv, why = decl.defaults[path[-1]]
        lines.append(f"  overrides the {why} ({show_value(dv)})")
    if origin.kind in ("set", "inherited") and c.graph is not None:
        for r in c.graph.resources:
            for arg, o in sorted(r.origins.items()):
                if (o.file, o.line, o.column) == (origin.file, origin.line, origin.column):
                    lines.append(f"  compiles to {r.name}.{arg} = {show_value(r.args[arg])}")
    return "\n".join(lines) + "\n"
