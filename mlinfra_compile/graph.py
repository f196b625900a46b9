"""The resource graph (the IR; docs/design.md, Graph format): frozen values and
deterministic JSON.

Values are JSON plus three markers: {"$ref": NAME, "attr": ATTR} (another resource's
output; with "secret": true it stays a Pulumi secret, as a named export of a password,
and with "pem": true a list of certificates becomes one PEM bundle),
{"$json": VALUE} (VALUE with refs resolved, serialised to a JSON string) and
{"$secret": KEY} (a Pulumi secret config value).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

FORMAT = "mlinfra.graph/v1"
# The stack output in which the Pulumi program records the graph it deployed, so that the
# next deploy can check a change against what is really deployed.
GRAPH_OUTPUT = "_mlinfra_graph"
# ... and what those resources report they run (providers.RUNNING), by resource name.
RUNNING_OUTPUT = "_mlinfra_running"
# `mlinfra deploy` hands the graph it checked to the Pulumi program through these.
GRAPH_FILE_VAR = "MLINFRA_GRAPH"
GRAPH_SHA_VAR = "MLINFRA_GRAPH_SHA256"


class Origin(NamedTuple):
    """Where a value came from: set in the file, inherited from a file it extends, a
    profile default, or derived by the compiler from other values. (A tuple: a plan of
    10,000 declarations makes 150,000 of them, and a frozen dataclass takes three times
    as long to make.)"""

    kind: str  # "set" | "inherited" | "default" | "derived"
    file: str
    line: int
    column: int
    note: str = ""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# `new(Origin, (kind, file, line, column, note))` makes a tuple type's value without the
# call of its Python-level __new__: for the origins and values made once per argument of
# every resource (a fifth fewer instructions per value)
new = tuple.__new__


def urn_name(urn: str) -> str:
    """The resource name of a Pulumi URN, urn:pulumi:STACK::PROJECT::TYPE::NAME: all that
    follows the third `::` (a name may hold `::` itself); a string that is no URN is
    returned as it is (pulumi/pulumi sdk/go/common/resource/urn.go, `URN.Name`)."""
    parts = urn.split("::", 3)
    return parts[3] if urn.startswith("urn:pulumi:") and len(parts) == 4 else urn


def ref(name: str, attr: str) -> dict[str, str]:
    """An output of resource `name`: `attr` is an output's name, or a dotted path into one
    whose value is a list or an object (`endpoints.0.address`: the first endpoint's
    address)."""
    return {"$ref": name, "attr": attr}


def as_json(value: Any) -> dict[str, Any]:
    return {"$json": value}


def secret(key: str) -> dict[str, str]:
    return {"$secret": key}


def iter_refs(value: Any) -> Iterator[tuple[str, str]]:
    """Every (resource, attribute) a value refers to, depth first, in order."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if "$ref" in v:
                yield v["$ref"], v["attr"]
            else:
                stack.extend(reversed(list(v.values())))
        elif isinstance(v, list):
            stack.extend(reversed(v))


def _ref_targets(value: Any, out: list[str]) -> None:
    """The resources a value refers to, appended to `out` (iter_refs, without the
    generator's cost: this runs for every argument of every resource of a lint)."""
    if isinstance(value, dict):
        target = value.get("$ref")
        if target is not None:
            out.append(target)
            return
        for v in value.values():
            if isinstance(v, (dict, list)):
                _ref_targets(v, out)
    elif isinstance(value, list):
        for v in value:
            if isinstance(v, (dict, list)):
                _ref_targets(v, out)


NO_ORIGINS: Mapping[str, Origin] = MappingProxyType({})


class Resource(NamedTuple):
    """One resource of the graph. (A NamedTuple, as every record a lint makes: a
    dataclass costs a third of a millisecond to define, and `dataclasses` imports
    `inspect`, a tenth of a one-file lint together.)"""

    name: str
    type: str
    args: dict[str, Any]
    options: dict[str, Any]
    source: str
    # Not serialised: where each argument came from, for plan and explain.
    origins: Mapping[str, Origin] = NO_ORIGINS
    kind: str = ""  # e.g. session_store, dead_letter_queue
    declaration: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "args": self.args,
                "options": self.options, "source": self.source}


class Graph(NamedTuple):
    environment: str
    profile: str
    resources: tuple[Resource, ...]
    outputs: dict[str, Any]
    # resource -> the `usage:` hints of the messages it carries, for cost
    # estimates only; written only when some queue has them
    usage: Mapping[str, dict[str, int]] = MappingProxyType({})

    def by_name(self) -> dict[str, Resource]:
        return {r.name: r for r in self.resources}

    def to_json(self) -> dict[str, Any]:
        doc = {
            "format": FORMAT,
            "environment": self.environment,
            "profile": self.profile,
            "resources": [r.to_json() for r in sorted(self.resources, key=lambda r: r.name)],
            "outputs": self.outputs,
        }
        if self.usage:
            doc["usage"] = dict(self.usage)
        return doc

    def dumps(self) -> str:
        return dumps(self.to_json())


def dumps(doc: Any) -> str:
    """Byte-stable JSON: sorted keys, two-space indent, a final newline."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def check_references(resources: list[Resource], outputs: dict[str, Any]) -> list[str]:
    """Problems with references: names that do not exist, and cycles (`a --> b --> a`).
    (What it holds is the top of a compile's memory: for each resource that refers to
    others, their names, and no second table for the search: see _visit.)"""
    names = {r.name for r in resources}
    problems = []
    edges: dict[str, str | tuple[str, ...]] = {}
    for r in resources:
        refs: list[str] = []
        for v in r.args.values():
            if isinstance(v, (dict, list)):  # most arguments are scalars (a tuple: `dict |
                # list` would make a new union object for each of 100,000 arguments)
                _ref_targets(v, refs)
        refs.extend(r.options.get("depends_on", ()))
        deps = []
        for target in refs:
            if target not in names:
                problems.append(f"{r.name} refers to {target!r}, which is not a resource")
            else:
                deps.append(target)
        if deps:  # (one target, most resources: the name itself, no tuple of one)
            edges[r.name] = tuple(sorted(set(deps))) if len(deps) > 1 else deps[0]
        else:  # (of two resources of one name, the last one's references count)
            edges.pop(r.name, None)
    for target, _attr in iter_refs(outputs):
        if target not in names:
            problems.append(f"an output refers to {target!r}, which is not a resource")
    del names
    # Depth-first search for cycles; report each once, from its smallest name. (Only a
    # resource that refers to another can be on one.)
    for n in sorted(edges):
        if n in edges:
            _visit(n, edges, [], set(), problems)
    return problems


def _visit(n: str, edges: dict[str, str | tuple[str, ...]], stack: list[str],
           on_stack: set[str], problems: list[str]) -> None:
    """check_references' search from `n`: `stack` is the path to it. A resource leaves
    `edges` once searched, so `edges` holds what is left to search. (A function of its
    own, not a closure: a closure that calls itself is a reference cycle, which kept every
    compile's graph edges for the cyclic collector.)"""
    stack.append(n)
    on_stack.add(n)
    out = edges[n]
    for m in (out,) if type(out) is str else out:
        if m in on_stack:
            cyc = stack[stack.index(m):] + [m]
            problems.append("reference cycle: " + " --> ".join(cyc))
        elif m in edges:
            _visit(m, edges, stack, on_stack, problems)
    stack.pop()
    on_stack.discard(n)
    del edges[n]
