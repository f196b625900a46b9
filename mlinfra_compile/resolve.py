"""Resolve: files -> extends chain -> merged environment -> provider services -> graph.

Each value of the merged environment keeps the file and position it came from, so every
diagnostic points at the text that caused it, and `plan` / `explain` can tell set,
inherited and default values apart.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from typing import Any

from . import language as L
from . import salvage
from .claims import check_generated_names
from .clouds import CLOUDS
from .diagnostics import Diagnostic, has_errors
from .exports import compile_exports
from .graph import Graph, Origin, check_references
from .loader import LoadedFile, Path, dotted, read_bytes, read_file
from .naming import TemplateError, compile_template
from .policy import Waiver, check_policy
from .providers import SERVICES
from .providers.base import RESERVED_LABELS, Context, Decl, Value, check_labels
from .resource_options import (
    add_aliases,
    apply_imports,
    check_previous_names,
    delete_before_replace,
)

SUFFIXES = (".yaml", ".yml")
MAX_EXTENDS = 32  # files an environment may extend in a chain
ENV_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")

FIELDS = {"session_store": L.SESSION_STORE_FIELDS, "queue": L.QUEUE_FIELDS,
          "subscription": L.SUBSCRIPTION_FIELDS}
KIND_WORD = {"session_store": "session store", "queue": "queue",
             "subscription": "subscription"}


class UsageError(Exception):
    """The command line named something that is not an environment (exit 2)."""


def find_root(start: str) -> str:
    """The repository: the first folder holding `environments/`, walking up from `start`
    (as git finds `.git`); `start` itself when there is none (commands then say so)."""
    here = os.path.realpath(start)
    while True:
        if os.path.isdir(os.path.join(here, "environments")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.realpath(start)
        here = parent


def is_partial(stem: str) -> bool:
    return stem.startswith("_")


def stem_of(path: str) -> str:
    base = os.path.basename(path)
    for s in SUFFIXES:
        if base.endswith(s):
            return base[: -len(s)]
    return base


@dataclass
class Workspace:
    """A repository: loads each file once, however many environments extend it."""

    root: str
    cache: dict[str, LoadedFile] = field(default_factory=dict)
    parents: set[str] = field(default_factory=set)  # files some other file extends
    folders: dict[str, bool] = field(default_factory=dict)  # folder -> inside the root

    def __post_init__(self) -> None:
        self.root = os.path.realpath(self.root)

    @property
    def env_dir(self) -> str:
        return os.path.join(self.root, "environments")

    def display(self, path: str) -> str:
        rel = os.path.relpath(os.path.abspath(path), self.root)
        return rel.replace(os.sep, "/")

    def environment_files(self) -> list[str]:
        try:
            names = sorted(os.listdir(self.env_dir))
        except OSError:
            return []
        return [os.path.join(self.env_dir, n) for n in names if n.endswith(SUFFIXES)]

    def find(self, env: str) -> str:
        """ENV as a stem (`prod`) or a path; UsageError when there is no such file."""
        if os.sep in env or "/" in env or env.endswith(SUFFIXES):
            path = os.path.abspath(env)
            if not self.is_file(path):
                raise UsageError(f"no environment file {env}")
            return path
        for s in SUFFIXES:
            path = os.path.join(self.env_dir, env + s)
            if self.is_file(path):
                return path
        if not os.path.isdir(self.env_dir):
            raise UsageError(f"no environment {env!r} in {self.display(self.env_dir)}/: "
                             f"{self.root} has no environments/ folder, nor has any folder "
                             "above it; run mlinfra inside a repository, or name one with "
                             "--root DIR (`mlinfra init DIR` writes one)")
        known = [stem_of(p) for p in self.environment_files() if not is_partial(stem_of(p))]
        close = difflib.get_close_matches(env, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else \
            (f"; environments: {', '.join(known)}" if known else "")
        raise UsageError(f"no environment {env!r} in {self.display(self.env_dir)}/{hint}")

    def forget(self, path: str) -> None:
        """Drop a file no other file extends from the cache: memory stays flat however
        many environments a lint checks."""
        key = os.path.abspath(path)
        if key not in self.parents:
            self.cache.pop(key, None)

    def load(self, path: str) -> LoadedFile:
        """Read, parse and schema-check one file (cached by its absolute path)."""
        key = os.path.abspath(path)
        if key in self.cache:
            return self.cache[key]
        f = self.read(key)
        if f.data is not None:
            f.diagnostics.extend(salvage.validate(f))
        self.cache[key] = f
        return f

    # The file system as the compiler sees it; GitWorkspace reads a commit instead.
    def read(self, path: str) -> LoadedFile:
        display = self.display(path)
        real = os.path.realpath(path)
        if os.path.commonpath([real, self.root]) != self.root:
            # (a link to /dev/stdin resolves to no path, /proc/PID/fd/pipe:[N]: name the
            # link's target as written, the same on every run)
            where = f"is a link to {os.readlink(path)}" if os.path.islink(path) and \
                not os.path.lexists(real) else f"resolves to {real}"
            f = LoadedFile(display)
            f.error("MLC115", (), f"the file {where}, outside the repository "
                                  f"{self.root}; environment files must live in it")
            return f
        return read_file(real, display)

    def peek(self, path: str) -> str:
        """A file's text for a quick search, read within the limits of `read` (size, no
        FIFO, nothing outside the repository); "" when it cannot be read. (A lint FILE
        peeks at every file of the folder: a link is resolved, a plain file's folder
        once.)"""
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self.folders:
            self.folders[folder] = self._inside(folder)
        real = os.path.realpath(path) if os.path.islink(path) else path
        if not (self._inside(real) if real is not path else self.folders[folder]):
            return ""
        raw = read_bytes(real)
        return "" if isinstance(raw, tuple) else raw.decode("utf-8", "replace")

    def _inside(self, path: str) -> bool:
        real = os.path.realpath(path)
        return os.path.commonpath([real, self.root]) == self.root

    def is_file(self, path: str) -> bool:
        """A name that is not a folder, as at a git ref: a FIFO, a device or a link that
        leads out of the repository is a file whose read says why it is refused (MLC114,
        MLC115), not a missing one ("no file to extend", "did you mean 'x'?")."""
        return os.path.lexists(path) and not os.path.isdir(path)

    def list_dir(self, folder: str) -> list[str]:
        try:
            return sorted(os.listdir(folder))
        except OSError:
            return []


@dataclass
class Chain:
    files: list[LoadedFile]  # root first; the environment's own file last
    diagnostics: list[Diagnostic]


def load_chain(ws: Workspace, path: str) -> Chain:
    """The file and every file it extends, with loading and extends diagnostics."""
    f = ws.load(path)
    diags = list(f.diagnostics) + _twins(ws, path, f.display)
    files = [f]
    seen = [stem_of(path)]
    current, current_path = f, path
    while current.data is not None and not salvage.stops(current):
        ext = current.data.get("extends")
        if not isinstance(ext, str):
            break
        loc = current.loc(("extends",), key=True)
        if "/" in ext or "\\" in ext or ".." in ext:
            diags.append(Diagnostic(current.display, *loc, "MLC303", "extends",
                                    f"{ext!r} is a path; extends names another file of "
                                    "this folder by its stem, e.g. `extends: _base`"))
            break
        folder = os.path.dirname(current_path)
        parent_path = next((os.path.join(folder, ext + s) for s in SUFFIXES
                            if ws.is_file(os.path.join(folder, ext + s))), None)
        if parent_path is None:
            stems = sorted(stem_of(n) for n in ws.list_dir(folder) if n.endswith(SUFFIXES))
            close = difflib.get_close_matches(ext, stems, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            diags.append(Diagnostic(current.display, *loc, "MLC301", "extends",
                                    f"no file {ws.display(os.path.join(folder, ext))}.yaml "
                                    f"to extend{hint}"))
            break
        if ext in seen:
            cycle = " --> ".join([*seen[seen.index(ext):], ext])
            diags.append(Diagnostic(current.display, *loc, "MLC302", "extends",
                                    f"extends cycle: {cycle}"))
            break
        if len(seen) > MAX_EXTENDS:
            diags.append(Diagnostic(f.display, *f.loc(("extends",), key=True), "MLC316",
                                    "extends", f"the extends chain is longer than "
                                    f"{MAX_EXTENDS} files ({' --> '.join(seen[:3])} --> ... "
                                    f"--> {ext}); flatten it"))
            break
        seen.append(ext)
        twins = _twins(ws, parent_path, current.display, loc)
        if twins:
            diags.extend(twins)
            break
        parent = ws.load(parent_path)
        ws.parents.add(os.path.abspath(parent_path))
        if has_errors(parent.diagnostics):
            diags.extend(parent.diagnostics)
            diags.append(Diagnostic(current.display, *loc, "MLC314", "extends",
                                    f"extends {ext}, which has errors"))
            break
        files.insert(0, parent)
        current, current_path = parent, parent_path
    return Chain(files, diags)


def _twins(ws: Workspace, path: str, display: str,
           loc: tuple[int, int] = (1, 1)) -> list[Diagnostic]:
    """An environment is one file: `prod.yaml` beside `prod.yml` would let lint, deploy
    and the Pulumi program each read a different one."""
    stem = os.path.join(os.path.dirname(path), stem_of(path))
    found = [stem + s for s in SUFFIXES if ws.is_file(stem + s)]
    if len(found) < 2:
        return []
    names = " and ".join(ws.display(p) for p in found)
    return [Diagnostic(display, *loc, "MLC116", "",
                       f"{names} both exist: one name, one file; remove one of them")]


# --- merging -----------------------------------------------------------------------------

OwnerTree = dict[Any, tuple[int, Any]]  # key -> (index of the file that set it, subtree)


def _apply(target: dict[str, Any], tree: OwnerTree, patch: dict[str, Any], idx: int,
           removed_nothing: list[Path], at: Path = ()) -> None:
    """JSON Merge Patch (RFC 7386), recording which file set each value, and the nulls
    that removed nothing (a declaration written without a body)."""
    for k, v in patch.items():
        if v is None and k not in target and at[-1:] == ("labels",) and \
                (len(at) >= 3 or k in RESERVED_LABELS):
            # A declaration's `label: null` removes that environment label from its
            # resources, and `environment: null` / `managed-by: null` a label mlinfra
            # adds (resource_labels); kept, not dropped as a patch null would be.
            target[k] = None
            tree[k] = (idx, {})
        elif v is None:
            if k not in target:
                removed_nothing.append((*at, k))
            target.pop(k, None)
            tree.pop(k, None)
        elif isinstance(v, dict):
            if isinstance(target.get(k), dict):
                sub, subtree = target[k], tree[k][1]
            else:
                sub, subtree = {}, {}
                target[k] = sub
            tree[k] = (idx, subtree)
            _apply(sub, subtree, v, idx, removed_nothing, (*at, k))
        else:
            target[k] = v
            tree[k] = (idx, {})


@dataclass
class Merged:
    data: dict[str, Any]
    tree: OwnerTree
    files: list[LoadedFile]
    _origins: dict[Path, Origin | None] = field(default_factory=dict, repr=False)

    def owner(self, path: Path) -> int | None:
        node: OwnerTree = self.tree
        idx = None
        for part in path:
            if isinstance(part, int):
                return idx  # list elements belong to the file that set the list
            if part not in node:
                return None
            idx, node = node[part]
        return idx

    def origin(self, path: Path) -> Origin | None:
        # Memoized: the same settings (project, region, labels) are asked for by every
        # resource of an environment.
        try:
            return self._origins[path]
        except KeyError:
            o = self._origins[path] = self._origin(path)
            return o

    def _origin(self, path: Path) -> Origin | None:
        idx = self.owner(path)
        if idx is None:
            return None
        f = self.files[idx]
        line, col = f.loc(path, key=True)
        kind = "set" if idx == len(self.files) - 1 else "inherited"
        return Origin(kind, f.display, line, col)


def merge(files: list[LoadedFile]) -> tuple[Merged, list[Diagnostic]]:
    data: dict[str, Any] = {}
    tree: OwnerTree = {}
    diags: list[Diagnostic] = []
    for i, f in enumerate(files):
        assert f.data is not None
        removed_nothing: list[Path] = []
        _apply(data, tree, f.data, i, removed_nothing)
        diags.extend(_empty_declaration(f, p) for p in removed_nothing if _is_declaration(p))
    return Merged(data, tree, files), diags


def _is_declaration(path: Path) -> bool:
    return (len(path) == 2 and path[0] in ("session_stores", "queues")) or \
        (len(path) == 4 and path[0] == "queues" and path[2] == "subscriptions")


def _empty_declaration(f: LoadedFile, path: Path) -> Diagnostic:
    """`cache:` with nothing after it is null, which in a merge patch removes an inherited
    declaration; where there is nothing to remove it would silently declare nothing."""
    kind = {"session_stores": "session store", "queues": "queue"}[str(path[0])]
    if len(path) == 4:
        kind = "subscription"
    line, col = f.loc(path, key=True)
    return Diagnostic(f.display, line, col, "MLC315", dotted(path),
                      f"{path[-1]!r} has no body, so it declares nothing (null removes a "
                      f"{kind} inherited from a file this one extends, and there is none): "
                      f"write `{path[-1]}: {{}}` for a {kind} with every default")


# --- compiling ---------------------------------------------------------------------------


@dataclass
class Compiled:
    """Everything a command may want to show about one environment."""

    env: str
    path: str
    diagnostics: list[Diagnostic]
    graph: Graph | None = None
    merged: Merged | None = None
    decls: dict[Path, Decl] = field(default_factory=dict)
    context: Context | None = None
    waivers: list[Waiver] = field(default_factory=list)
    exports: dict[str, str] = field(default_factory=dict)  # output name -> DECL.ATTRIBUTE


def compile_environment(ws: Workspace, path: str) -> Compiled:
    """The pipeline for one environment: load the extends chain, merge it, read the
    environment's settings, build each declaration with its provider service, apply the
    policies, check the graph."""
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
    stores = data.get("session_stores") or {}
    queues = data.get("queues") or {}
    _declarations(ctx, result, stores, queues, data.get("default_provider"))
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
        diags.append(Diagnostic(own.display, 1, 1, "MLC304", "",
                                f"environment name {env!r} (the file's stem) must be 1..63 "
                                "lowercase letters, digits, `_` and `-`: it is the stack name "
                                "and the `environment` label"))
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


def _declarations(ctx: Context, result: Compiled, stores: dict[str, Any],
                  queues: dict[str, Any], default: str | None) -> None:
    """Build every session store and queue with the service of its provider."""
    for name in sorted(set(stores) & set(queues)):
        ctx.error("MLC401", ("queues", name),
                  f"{name!r} is declared both as a session store (at "
                  f"{_at(ctx, ('session_stores', name)).where}) and as a queue; names are "
                  "the Pulumi logical names and must be unique", _at(ctx, ("queues", name)))
    for kind, section, table in (("session_store", "session_stores", stores),
                                 ("queue", "queues", queues)):
        for name in sorted(table):
            if kind == "queue" and name in stores:
                continue  # reported above (MLC401)
            decl_data = table[name] or {}
            dpath: Path = (section, name)
            provider = _choose_provider(ctx, kind, name, dpath, decl_data, default)
            if provider is None or _unsupported(ctx, kind, dpath, decl_data, provider):
                continue
            service = SERVICES[(kind, provider)]
            defaults = service.DEFAULTS[ctx.profile]
            decl = Decl(kind, name, dpath, decl_data, provider, _at(ctx, dpath), ctx, defaults)
            result.decls[dpath] = decl
            first = len(ctx.resources)
            inner = service.build(decl)
            if "pulumi_args" in decl_data or any("pulumi_args" in s.data for s in inner):
                from .sdkargs import apply_pulumi_args  # (lint loads it only when used)

                apply_pulumi_args(ctx, first, [decl, *inner])
            for sub in inner:
                result.decls[sub.path] = sub
                _unsupported(ctx, "subscription", sub.path, sub.data, provider)
            add_aliases(ctx, first, [decl, *inner])
            if "import" in decl_data or any("import" in s.data for s in inner):
                apply_imports(ctx, first, [decl, *inner])
            delete_before_replace(ctx, first)


def _at(ctx: Context, path: Path) -> Origin:
    o = ctx.origin_of(path)
    assert o is not None, path  # declarations and their keys always come from a file
    return o


def _choose_provider(ctx: Context, kind: str, name: str, path: Path,
                     decl_data: dict[str, Any], default: str | None) -> str | None:
    """The declaration's provider, default_provider, or the only configured one."""
    given = decl_data.get("provider")
    if given is not None:
        if given not in ctx.providers:
            ctx.error("MLC305", (*path, "provider"),
                      f"{KIND_WORD[kind]} {name!r} uses provider {given}, but "
                      f"providers.{given} is not configured", _at(ctx, (*path, "provider")))
            return None
        return str(given)
    if default is not None:
        return str(default) if default in ctx.providers else None  # reported once
    if len(ctx.providers) == 1:
        return next(iter(ctx.providers))
    if not ctx.providers:
        ctx.error("MLC305", path, f"{KIND_WORD[kind]} {name!r} has no provider: configure "
                                  "providers.gcp or providers.aws", _at(ctx, path))
    else:
        ctx.error("MLC306", path, f"both providers are configured: set provider on "
                                  f"{KIND_WORD[kind]} {name!r} or default_provider",
                  _at(ctx, path))
    return None


def _unsupported(ctx: Context, kind: str, path: Path, decl_data: dict[str, Any],
                 provider: str) -> bool:
    """Report every field the provider cannot honour, with the nearest thing it offers."""
    bad = False
    for key, value in decl_data.items():
        spec = FIELDS[kind].get(key)
        if value is None or spec is None or provider in spec.providers:
            continue
        hint = spec.instead.get(provider, "")
        ctx.error("MLC307", (*path, key),
                  f"{key} is not supported on {provider}" + (f": {hint}" if hint else ""),
                  _at(ctx, (*path, key)))
        bad = True
    return bad


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
