"""Graph -> real pulumi_gcp / pulumi_aws resources. The only module that imports `pulumi`.

Resource creation is a function call (`materialize`), never a side effect of importing a
module, so tests can set Pulumi mocks first. Only the SDK subpackages a graph names are
imported: one class costs about 0.2 s, every pulumi_aws subpackage about 10 s and 470 MB.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..graph import (
    FORMAT,
    GRAPH_FILE_VAR,
    GRAPH_OUTPUT,
    GRAPH_SHA_VAR,
    RUNNING_OUTPUT,
    iter_refs,
)
from .sdk import GraphError as GraphError
from .sdk import sdk_class as sdk_class


def check_types(resources: list[dict[str, Any]]) -> None:
    """GraphError naming each resource whose type no service registers (the registry's
    change tables: every service's types and SHARED's, docs/design.md, Service contract).
    `sdk_class` would build any class of the SDKs a graph names, and a graph read back
    from a stack's state or handed over may name one mlinfra never emits."""
    from ..providers import CHANGES

    foreign = [f"resource {r.get('name')!r} has type {r.get('type')!r}"
               for r in resources
               if not isinstance(r.get("type"), str) or r["type"] not in CHANGES]
    if foreign:
        raise GraphError(f"{'; '.join(foreign)}, which no mlinfra service registers: the "
                         "program registers only the types mlinfra compiles")


def creation_order(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Referenced resources first (the compiler guarantees there is no cycle); ties by
    name, so registration order is deterministic."""
    by_name = {r["name"]: r for r in resources}
    done: set[str] = set()
    order: list[dict[str, Any]] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in path:
            raise GraphError("reference cycle: " + " --> ".join((*path, name)))
        if name not in by_name:
            raise GraphError(f"reference to unknown resource {name!r}")
        targets = {t for t, _attr in iter_refs(by_name[name]["args"])}
        targets |= set(by_name[name].get("options", {}).get("depends_on", []))
        for target in sorted(targets):
            visit(target, (*path, name))
        done.add(name)
        order.append(by_name[name])

    for name in sorted(by_name):
        visit(name, ())
    return order


def resolve_value(value: Any, built: dict[str, Any], config: Any) -> Any:
    """Graph markers -> Pulumi values: $ref an output (kept secret with "secret": true),
    $json a JSON string built from resolved outputs, $secret a secret config value."""
    import pulumi

    if isinstance(value, dict):
        if "$ref" in value:
            attr, *path = str(value["attr"]).split(".")
            out = getattr(built[value["$ref"]], attr)
            if path:
                out = out.apply(lambda v, p=tuple(path): dig(v, p))
            if value.get("pem"):
                out = out.apply(pem_bundle)
            return pulumi.Output.secret(out) if value.get("secret") else out
        if "$json" in value:
            inner = resolve_value(value["$json"], built, config)
            return pulumi.Output.json_dumps(inner, sort_keys=True, separators=(",", ":"))
        if "$secret" in value:
            return config.require_secret(value["$secret"])
        return {k: resolve_value(v, built, config) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_value(v, built, config) for v in value]
    return value


def dig(value: Any, path: tuple[str, ...]) -> Any:
    """value[0].address for the path ("0", "address"): a digit indexes a list, a name
    reads an object's field (an SDK output type is a dict with attribute access); None
    where the value has no such item (a list still empty)."""
    for step in path:
        if step.isdigit():
            value = value[int(step)] if isinstance(value, list | tuple) \
                and int(step) < len(value) else None
        elif value is not None:
            found = getattr(value, step, None)
            value = found if found is not None or not isinstance(value, dict) \
                else value.get(step)
    return value


def pem_bundle(certs: Any) -> str:
    """Memorystore's server_ca_certs ([{cert: PEM, ...}]) -> the PEM bundle a client
    trusts, one certificate after another."""
    return "".join(str(c["cert"]).strip() + "\n" for c in certs or [])


def resource_options(options: dict[str, Any], built: dict[str, Any] | None = None) -> Any:
    """Graph options -> pulumi.ResourceOptions; `depends_on` names resources already
    registered (creation_order puts them first)."""
    import pulumi

    known = {"protect", "aliases", "delete_before_replace", "ignore_changes", "depends_on",
             "import"}
    unknown = set(options) - known
    if unknown:
        raise GraphError(f"unknown resource options: {', '.join(sorted(unknown))}")
    kwargs: dict[str, Any] = {}
    if "protect" in options:
        kwargs["protect"] = bool(options["protect"])
    if options.get("aliases"):
        # a logical name of this stack and project, or a whole URN (another stack's)
        kwargs["aliases"] = [a if a.startswith("urn:pulumi:") else pulumi.Alias(name=a)
                             for a in options["aliases"]]
    if "delete_before_replace" in options:
        kwargs["delete_before_replace"] = bool(options["delete_before_replace"])
    if options.get("ignore_changes"):
        kwargs["ignore_changes"] = list(options["ignore_changes"])
    if options.get("import"):
        kwargs["import_"] = str(options["import"])  # adopt the existing resource
    if options.get("depends_on"):
        kwargs["depends_on"] = [(built or {})[n] for n in options["depends_on"]]
    return pulumi.ResourceOptions(**kwargs)


def materialize(graph: dict[str, Any],
                export: Callable[[str, Any], None] | None = None) -> dict[str, Any]:
    """Register every resource of a graph document (docs/design.md, Graph format) and
    export its outputs. Returns the Pulumi resources by logical name."""
    import pulumi

    if graph.get("format") != FORMAT:
        raise GraphError(f"graph format {graph.get('format')!r} is not {FORMAT}")
    export = export or pulumi.export
    config = pulumi.Config()
    check_types(graph["resources"])  # (before anything is registered)
    built: dict[str, Any] = {}
    for r in creation_order(graph["resources"]):
        cls = sdk_class(r["type"])
        args = resolve_value(r["args"], built, config)
        opts = resource_options(r.get("options", {}), built)
        built[r["name"]] = cls(r["name"], opts=opts, **args)
    for name, outputs in sorted(graph.get("outputs", {}).items()):
        export(name, resolve_value(outputs, built, config))
    return built


def find_root(*starts: Path) -> Path:
    """The repository: the first folder, walking up, that holds Pulumi.yaml and
    environments/."""
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / "Pulumi.yaml").is_file() and (folder / "environments").is_dir():
                return folder
    raise GraphError("cannot find the repository (a folder with Pulumi.yaml and "
                     f"environments/) above {', '.join(str(s) for s in starts)}")


def compile_stack(root: Path, stack: str) -> dict[str, Any]:
    """Compile environments/<stack>.yaml; GraphError with the diagnostics if it fails."""
    from ..diagnostics import render
    from ..resolve import UsageError, Workspace, compile_environment, is_partial

    ws = Workspace(str(root))
    try:
        path = ws.find(stack)
    except UsageError as exc:
        raise GraphError(f"stack {stack!r}: {exc}") from None
    if is_partial(stack):
        raise GraphError(f"stack {stack!r} names a partial environment file")
    compiled = compile_environment(ws, path, origins=False)
    if compiled.graph is None:
        raise GraphError(f"environments/{stack} does not compile:\n"
                         + render(compiled.diagnostics, "text"))
    return compiled.graph.to_json()


def handed_over_graph(path: str, digest: str | None, stack: str) -> dict[str, Any]:
    """The graph `mlinfra deploy` checked, verified by its SHA-256: the program registers
    exactly what the check saw, even if a file changed in between."""
    import hashlib

    from ..reading import read_file
    from ..state import MAX_BYTES

    raw = read_file(path, MAX_BYTES)  # (a graph is smaller than the checkpoint it makes)
    if not isinstance(raw, bytes):
        why = raw.detail or ("not a regular file" if raw.kind == "type" else
                             f"larger than {MAX_BYTES} bytes")
        raise GraphError(f"cannot read the graph mlinfra deploy handed over: {why}")
    if not digest or hashlib.sha256(raw).hexdigest() != digest:
        raise GraphError("the graph mlinfra deploy handed over does not match the one it "
                         "checked (SHA-256 differs); run mlinfra deploy again")
    try:
        graph = json.loads(raw)
    except ValueError:
        graph = None
    if not isinstance(graph, dict) or graph.get("environment") != stack:
        raise GraphError(f"the graph mlinfra deploy handed over is not stack {stack!r}'s")
    return graph


def run() -> dict[str, Any]:
    """The Pulumi program: register the graph `mlinfra deploy` checked (handed over in
    MLINFRA_GRAPH), or, run by hand, compile the stack's environment file. A graph that
    does not compile stops the program before any resource is registered."""
    import pulumi

    try:
        handed = os.environ.get(GRAPH_FILE_VAR)
        if handed:
            graph = handed_over_graph(handed, os.environ.get(GRAPH_SHA_VAR),
                                      pulumi.get_stack())
        else:
            root = find_root(Path(os.getcwd()), Path(sys.argv[0]).resolve().parent)
            graph = compile_stack(root, pulumi.get_stack())
        check_types(graph["resources"])
    except GraphError as exc:
        raise pulumi.RunError(str(exc)) from None
    built = materialize(graph)
    pulumi.export(GRAPH_OUTPUT, json.dumps(graph, sort_keys=True, separators=(",", ":")))
    pulumi.export(RUNNING_OUTPUT, running_outputs(graph, built))
    return built


def running_outputs(graph: dict[str, Any], built: dict[str, Any]) -> dict[str, Any]:
    """{resource: {argument: what it runs}} for the types that report it (an ElastiCache
    group's engine_version_actual), read by the next deploy's safety check."""
    from ..providers import RUNNING

    out: dict[str, Any] = {}
    for r in graph["resources"]:
        attrs = RUNNING.get(r["type"])
        if attrs:
            out[r["name"]] = {arg: getattr(built[r["name"]], attr)
                              for arg, attr in sorted(attrs.items())}
    return out
