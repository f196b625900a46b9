"""Resolve: an environment's extends chain (workspace.py) -> the merged environment ->
its settings -> each declaration built by its service (declarations.py) -> the graph,
with the cross-declaration checks (names, references, exports, policy).

Each value of the merged environment keeps the file and position it came from, so every
diagnostic points at the text that caused it, and `plan` / `explain` can tell set,
inherited and default values apart.
"""

from __future__ import annotations

import os

from . import language as L
from . import salvage
from .claims import check_generated_names
from .clouds import CLOUDS
from .declarations import build_declarations
from .diagnostics import Diagnostic, has_errors
from .exports import compile_exports
from .graph import Graph, Origin, check_references
from .loader import LoadedFile, Path
from .merging import Merged as Merged
from .merging import merge as merge
from .naming import TemplateError, compile_template
from .policy import Waiver, check_policy
from .providers.base import Context, Decl, Value, check_labels
from .resource_options import check_previous_names
from .workspace import ENV_NAME as ENV_NAME
from .workspace import ENV_NAME_RULE as ENV_NAME_RULE
from .workspace import MAX_EXTENDS as MAX_EXTENDS
from .workspace import SUFFIXES as SUFFIXES
from .workspace import Chain as Chain
from .workspace import UsageError as UsageError
from .workspace import Workspace as Workspace
from .workspace import find_root as find_root
from .workspace import is_partial as is_partial
from .workspace import load_chain as load_chain
from .workspace import stem_of as stem_of

# --- compiling ---------------------------------------------------------------------------


class Compiled:
    """Everything a command may want to show about one environment."""

    def __init__(self, env: str, path: str, diagnostics: list[Diagnostic]) -> None:
        self.env = env
        self.path = path
        self.diagnostics = diagnostics
        self.graph: Graph | None = None
        self.merged: Merged | None = None
        self.decls: dict[Path, Decl] = {}
        self.context: Context | None = None
        self.waivers: list[Waiver] = []
        self.exports: dict[str, str] = {}  # output name -> DECL.ATTRIBUTE


def compile_environment(ws: Workspace, path: str, *, origins: bool = True,
                        attributes: bool = False) -> Compiled:
    """The pipeline for one environment: load the extends chain, merge it, read the
    environment's settings, build each declaration with its provider service, apply the
    policies, check the graph. `origins`: keep where each argument of each resource came
    from (plan and explain show it; nothing else reads it). `attributes`: keep what
    `exports` could name on each declaration (`context.attributes`) even when the
    environment exports nothing."""
    env = stem_of(path)
    chain = load_chain(ws, path)
    result = Compiled(env, path, chain.diagnostics)
    if not salvage.goes_on(chain.files, chain.diagnostics):
        return result
    own = chain.files[-1]  # (its schema errors leave out the parts they are in)
    merged, empty = merge(chain.files)
    gone = salvage.prune(merged, own.failed)
    result.merged = merged
    result.diagnostics.extend(d for d in empty if not salvage.left_out(d, own.failed))
    ctx = result.context = _settings(env, merged, own, result.diagnostics)
    data = merged.data
    ctx.keep_origins = origins
    ctx.keep_attributes = attributes or bool(data.get("exports"))
    stores = data.get("session_stores") or {}
    queues = data.get("queues") or {}
    build_declarations(ctx, result.decls, stores, queues, data.get("default_provider"))
    declared = set(stores) | set(queues) | gone
    check_previous_names(ctx, result.decls, declared)
    result.exports = compile_exports(ctx, data.get("exports") or {}, declared)
    skip, unsure = salvage.unsure(own, own.failed, declared, gone)
    result.waivers = check_policy(ctx, list(result.decls.values()), merged, declared,
                                  skip, unsure)
    _check_required_settings(ctx, result, ctx.providers, own)
    if not check_generated_names(ctx, result.decls):
        # (with duplicated names, reference problems would only repeat the collision)
        for problem in check_references(ctx.resources, ctx.outputs):
            code = "MLC404" if "cycle" in problem else "MLC403"
            result.diagnostics.append(Diagnostic(own.display, 1, 1, code, "", problem))
    result.diagnostics.extend(ctx.diagnostics)
    if not has_errors(result.diagnostics):
        result.graph = Graph(env, ctx.profile,
                             tuple(sorted(ctx.resources, key=lambda r: r.name)),
                             dict(sorted(ctx.outputs.items())), dict(sorted(ctx.usage.items())))
    return result


def _settings(env: str, merged: Merged, own: LoadedFile, diags: list[Diagnostic]) -> Context:
    """The environment-wide settings: name, profile, providers, labels, name template."""
    data = merged.data

    def at(p: Path) -> Origin:
        return merged.origin(p) or Origin("set", own.display, 1, 1)

    if not ENV_NAME.fullmatch(env):
        diags.append(Diagnostic(own.display, 1, 1, "MLC329", "",
                                f"environment name {env!r} (the file's stem) must be "
                                f"{ENV_NAME_RULE}: it is the stack name and the `environment` "
                                "label"))
    if "environment" in data and data["environment"] != env:
        o = at(("environment",))
        diags.append(Diagnostic(o.file, o.line, o.column, "MLC304", "environment",
                                f"environment is {data['environment']!r} but the file is "
                                f"{os.path.basename(own.display)}; they must match (or drop "
                                "the key)"))
    providers: dict[str, dict[str, Value]] = {}
    for name, settings in (data.get("providers") or {}).items():
        if settings is not None:
            providers[name] = {
                k: Value(str(v) if k == "project_number" else v, at(("providers", name, k)))
                for k, v in settings.items() if v is not None}
    labels = {k: Value(v, at(("labels", k))) for k, v in (data.get("labels") or {}).items()}
    template = None
    if data.get("name_template") is not None:
        template = Value(data["name_template"], at(("name_template",)))
        try:
            compile_template(template.value)
        except TemplateError as exc:
            o = template.origin
            diags.append(Diagnostic(o.file, o.line, o.column, "MLC309", "name_template",
                                    str(exc)))
            template = None
    ctx = Context(env, data.get("profile") or "development", providers, labels, template,
                  merged.origin)
    for p in L.PROVIDERS:
        if p in providers:
            check_labels(ctx, data.get("labels") or {}, ("labels",), p)
            _check_provider_region(ctx, p, providers[p].get("region"))
    default = data.get("default_provider")
    if default is not None and default not in providers:
        ctx.error("MLC305", ("default_provider",),
                  f"default_provider is {default}, but providers.{default} is not configured",
                  at(("default_provider",)))
    return ctx


def _check_provider_region(ctx: Context, provider: str, region: Value | None) -> None:
    from . import regions

    problem = regions.unknown(provider, region.value) if region is not None and \
        isinstance(region.value, str) else None
    if problem is not None and region is not None:
        ctx.error("MLC317", ("providers", provider, "region"), problem, region.origin)


def _check_required_settings(ctx: Context, result: Compiled,
                             providers: dict[str, dict[str, Value]], own: LoadedFile) -> None:
    """Settings a graph needs so that no stack configuration is: the GCP project for gcp
    resources, the AWS region for aws resources."""
    used = {r.type.split(":")[0] for r in ctx.resources}
    for provider, key in ((c.name, k) for c in CLOUDS.values() for k in c.required):
        if provider in used and key not in providers.get(provider, {}):
            where = result.merged.origin(("providers", provider)) if result.merged else None
            o = where or Origin("set", own.display, 1, 1)
            ctx.error("MLC305", ("providers", provider, key),
                      f"providers.{provider}.{key} is required: every {provider} resource "
                      f"takes its {key} from it", o)
