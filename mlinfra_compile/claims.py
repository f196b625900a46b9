"""What a stack claims in the cloud: the physical names of its resources, in the scope
where the cloud keeps them unique, and the ids it imports. Within one stack a name given
twice is an error (here); across the stacks of a repository, see repository.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .diagnostics import Diagnostic
from .graph import Resource
from .loader import Path, dotted
from .providers import CASE_FOLDED_NAMES, NAME_ARGS
from .providers.base import Context, Decl

# The arguments that scope a physical name: a GCP project, an AWS region (and with it an
# account, which a graph does not know), a VPC for security groups. Memorystore names are
# unique per project and region, Pub/Sub names per project (they take no region).
SCOPE_ARGS = ("project", "region", "vpc_id")


def physical_key(rtype: str, args: dict[str, Any]) -> tuple[Any, ...] | None:
    """The identity of the cloud resource a resource's physical name takes, or None for
    a resource the provider names itself (Pulumi's auto-names are unique)."""
    arg = NAME_ARGS.get(rtype)
    name = args.get(arg) if arg else None
    if not isinstance(name, str):
        return None
    folded = name.lower() if rtype in CASE_FOLDED_NAMES else name
    return (rtype, folded, *(args.get(k) for k in SCOPE_ARGS))


def check_generated_names(ctx: Context, decls: dict[Path, Decl]) -> bool:
    """Report resource names generated twice; True when there were any."""
    paths = declaration_paths(decls)
    clash = _check_resource_names(ctx, paths)
    return _check_physical_names(ctx, paths) or clash


def _check_resource_names(ctx: Context, paths: Callable[[Resource], Path]) -> bool:
    seen: dict[str, Resource] = {}
    clash = False
    for r in ctx.resources:
        if r.name in seen:
            first = seen[r.name]
            ctx.diagnostics.append(Diagnostic(
                *split_source(r.source), "MLC402", dotted(paths(r)),
                f"resource name {r.name!r} is generated twice: by {describe(first)} and by "
                f"{describe(r)}; rename one declaration"))
            clash = True
        else:
            seen[r.name] = r
    return clash


def _check_physical_names(ctx: Context, paths: Callable[[Resource], Path]) -> bool:
    """Report a physical name two resources of one type would take in one project or
    region (`name` on one declaration, name_template on another)."""
    taken: dict[tuple[Any, ...], Resource] = {}
    clash = False
    for r in ctx.resources:
        key = physical_key(r.type, r.args)
        if key is None:
            continue
        if key in taken:
            name = r.args[NAME_ARGS[r.type]]
            ctx.diagnostics.append(Diagnostic(
                *split_source(r.source), "MLC402", dotted(paths(r)),
                f"physical name {name!r} is given twice: to {describe(taken[key])} and to "
                f"{describe(r)}; one {r.type} cannot be two"))
            clash = True
        else:
            taken[key] = r
    return clash


def split_source(source: str) -> tuple[str, int, int]:
    file, line, col = source.rsplit(":", 2)
    return file, int(line), int(col)


def declaration_path(r: Resource, decls: dict[Path, Decl]) -> Path:
    """The path of the declaration a resource was generated for: the one of its name
    written where the resource comes from (a subscription may share a queue's name)."""
    named = [p for p, d in decls.items() if d.name == r.declaration]
    here = [p for p, d in decls.items() if d.origin.where == r.source]
    # (a queue's implicit `<queue>-sub` is no declaration of its own: its queue's path)
    return next((p for p in named if p in here), (named or here or [(r.declaration,)])[0])


def declaration_paths(decls: dict[Path, Decl]) -> Callable[[Resource], Path]:
    """declaration_path for every resource, from one index of the declarations (by name,
    and by where each is written) instead of a scan each: a file can hold tens of
    thousands of declarations, and one clash per declaration. The index is made at the
    first clash: with none (most compiles), it would be a twentieth of the memory of a
    compile of 10,000 declarations, at its peak."""
    index: list[tuple[dict[str, list[Path]], dict[str, list[Path]]]] = []

    def path(r: Resource) -> Path:
        if not index:
            index.append(_declarations_index(decls))
        by_name, by_place = index[0]
        named = by_name.get(r.declaration, [])
        here = set(by_place.get(r.source, []))
        found = next((p for p in named if p in here), None)
        return found or (named or by_place.get(r.source) or [(r.declaration,)])[0]

    return path


def _declarations_index(decls: dict[Path, Decl]) -> tuple[dict[str, list[Path]],
                                                          dict[str, list[Path]]]:
    by_name: dict[str, list[Path]] = {}
    by_place: dict[str, list[Path]] = {}
    for p, d in decls.items():
        by_name.setdefault(d.name, []).append(p)
        by_place.setdefault(d.origin.where, []).append(p)
    return by_name, by_place


def describe(r: Resource) -> str:
    return f"{r.kind.replace('_', ' ')} of {r.declaration!r} ({r.source})"
