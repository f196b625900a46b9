"""A Pulumi checkpoint as diff's baseline (`diff --against-state`, `--against-stack`, and
the comparison `adopt` ends with): each compiled resource matched with the state resource
it is, and the state's arguments aligned with the compiled ones so that only real
differences remain (state.py reads the checkpoint).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from .graph import FORMAT
from .state import SECRET, Checkpoint, StateResource, number, shown_key, snake, to_snake

# --- matching a compiled graph with the state --------------------------------------------

def match(cp: Checkpoint, compiled: list[dict[str, Any]]) -> dict[str, StateResource]:
    """Each compiled resource's state resource: by its own logical name, by a URN among
    its aliases, by its import id, by a logical name among its aliases (the same type, at
    the top level: Pulumi's name aliases keep the parent), in that order: Pulumi checks a
    resource's own URN before its aliases (pkg/resource/deploy/step_generator.go:
    "Check the URN first, then aliases")."""
    by_urn = {s.urn: s for s in cp.resources}
    by_id = {(s.type, s.id): s for s in cp.resources if s.id}
    by_name = {(s.type, s.name): s for s in cp.resources if s.top_level}
    out: dict[str, StateResource] = {}
    used: set[str] = set()
    ordered = sorted(compiled, key=lambda r: str(r["name"]))

    def aliases(r: dict[str, Any], urns: bool) -> list[str]:
        return [a for a in r.get("options", {}).get("aliases", [])
                if a.startswith("urn:pulumi:") == urns]

    passes: tuple[Callable[[dict[str, Any]], Iterable[StateResource | None]], ...] = (
        lambda r: [by_name.get((r["type"], r["name"]))],
        lambda r: (by_urn.get(a) for a in aliases(r, True)),
        lambda r: [by_id.get((r["type"], r.get("options", {}).get("import")))],
        lambda r: (by_name.get((r["type"], a)) for a in aliases(r, False)))
    for candidates in passes:
        for r in ordered:
            for s in candidates(r):
                if s is not None and s.urn not in used and r["name"] not in out:
                    out[r["name"]] = s
                    used.add(s.urn)
    return out


def _align(old: Any, new: Any, resolve: Callable[[str, str], Any]) -> Any:
    """The state's value written as the compiled one where they mean the same: a
    reference whose target outputs that value, a JSON string holding the same document,
    the same number, a secret the state holds against a secret config value (neither can
    be read here: not a change; review); otherwise the state's value, so the difference
    shows."""
    if old == SECRET and isinstance(new, dict) and "$secret" in new:
        return new
    if isinstance(new, dict) and "$ref" in new:
        # by name or by id: a Pub/Sub subscription's topic compares either way (magic-
        # modules Subscription.yaml topic: tpgresource.CompareSelfLinkOrResourceName)
        forms = [resolve(new["$ref"], new["attr"]), resolve(new["$ref"], "id")
                 if new["attr"] == "name" else None]
        return new if any(f is not None and same(old, f) for f in forms) else old
    if isinstance(new, dict) and "$json" in new and isinstance(old, str):
        try:
            parsed = json.loads(old)
        except (ValueError, RecursionError):
            return old
        return {"$json": _align(_json_numbers(parsed), new["$json"], resolve)}
    if isinstance(new, dict) and isinstance(old, dict):
        return {k: _align(v, new[k], resolve) if k in new else v for k, v in old.items()}
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        return [_align(o, n, resolve) for o, n in zip(old, new, strict=True)]
    return new if same(old, new) else old


def _json_numbers(value: Any) -> Any:
    """A JSON document an argument holds (a redrive policy) keeps its own spelling."""
    if isinstance(value, dict):
        return {shown_key(k): _json_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_numbers(v) for v in value]
    return number(value)


def same(a: Any, b: Any) -> bool:
    numbers = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))
    return bool(a == b) if numbers else type(a) is type(b) and a == b


def _project(old: Any, new: Any) -> Any:
    """An output where the program gave no input: only the parts mlinfra sets compare
    (the rest of a nested output is what the provider computed)."""
    if isinstance(new, dict) and "$ref" not in new and isinstance(old, dict):
        return {k: _project(old[k], new[k]) for k in new if k in old}
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        return [_project(o, n) for o, n in zip(old, new, strict=True)]
    return old


def _as_old(s: StateResource, name: str, new: dict[str, Any] | None,
            resolve: Callable[[str, str], Any]) -> dict[str, Any]:
    """A state resource as a graph resource under `name`, compared with `new`."""
    args: dict[str, Any] = to_snake(s.inputs)
    options: dict[str, Any] = {"protect": s.protect}
    if new is None:  # (a deletion: its arguments are not shown, but its cost is)
        args = {**to_snake(s.outputs), **args}
    else:
        # An input the provider filled in from a default keeps its old value on the next
        # update (pulumi-terraform-bridge defaultsKey): not a change where mlinfra is silent.
        for k in {snake(d) for d in s.defaults} - set(new["args"]):
            args.pop(k, None)
        outputs = to_snake(s.outputs)
        for k, v in new["args"].items():
            if k not in args and outputs.get(k) is not None:
                args[k] = _project(outputs[k], v)
        args = {k: _align(v, new["args"][k], resolve) if k in new["args"] else v
                for k, v in args.items()}
        given = new.get("options", {})
        # Not recorded in a checkpoint (ResourceV3 has no such field): the program's.
        options.update({k: given[k] for k in ("delete_before_replace", "depends_on")
                        if k in given})
        if given.get("import") is not None:
            options["import"] = s.id  # the id it holds: importing it again is a no-op
    return {"name": name, "type": s.type, "args": dict(sorted(args.items())),
            "options": options, "source": s.urn}


def baseline(cp: Checkpoint, new: dict[str, Any]) -> tuple[dict[str, Any],
                                                             dict[str, dict[str, Any]]]:
    """The state as a graph to diff `new` against (resources named by the compiled
    resource they match; the others by their logical name), and what the matched ones
    report they run (providers.RUNNING), by name."""
    from .providers import RUNNING

    compiled = {r["name"]: r for r in new["resources"]}
    matched = match(cp, list(compiled.values()))

    def resolve(name: str, attr: str) -> Any:
        s = matched.get(name)
        return None if s is None else s.attr(attr)

    old = [_as_old(s, name, compiled[name], resolve) for name, s in sorted(matched.items())]
    running = {name: {arg: s.attr(out) for arg, out in sorted(RUNNING[s.type].items())
                      if s.attr(out) is not None}
               for name, s in sorted(matched.items()) if s.type in RUNNING}
    taken = set(matched)
    used = {s.urn for s in matched.values()}
    for s in cp.resources:
        if s.urn in used:
            continue
        name, n = s.name, 1
        while name in taken:
            n += 1
            name = f"{s.name} ({s.type}{'' if n == 2 else f' {n}'})"
        taken.add(name)
        old.append(_as_old(s, name, None, resolve))
    doc = {"format": FORMAT, "environment": new["environment"], "profile": new["profile"],
           "resources": sorted(old, key=lambda r: r["name"]), "outputs": {}}
    return doc, running


def compare(cp: Checkpoint, new: dict[str, Any], label: str) -> Any:
    """diff.diff_graphs from the state to the compiled graph `new`."""
    from .diff import diff_graphs

    old, running = baseline(cp, new)
    return diff_graphs(old, new, label, running)
