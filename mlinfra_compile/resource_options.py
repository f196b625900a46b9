"""What a declaration writes as Pulumi resource options: `previous_names` as aliases (an
earlier name, a hand-written program's logical name, or a URN), `import` ids checked
against each type's form, delete-before-replace for fixed physical names."""

from __future__ import annotations

import difflib
import re

from .graph import Resource
from .loader import Path
from .providers import IMPORT_IDS, NAME_ARGS
from .providers.base import Context, Decl


def add_aliases(ctx: Context, first: int, decls: list[Decl]) -> None:
    """previous_names -> Pulumi aliases. An earlier name or logical name aliases every
    resource the declaration produced (its generated resources were named after it too);
    a URN names one resource of one type, so it aliases the declaration's own resource."""
    for decl in decls:
        old_names = [n for n in (decl.data.get("previous_names") or []) if isinstance(n, str)]
        own = decl.logical
        for i in range(first, len(ctx.resources)) if old_names else ():
            r = ctx.resources[i]
            if r.name != own and not r.name.startswith(own + "-"):
                continue
            suffix = r.name[len(own):]
            aliases = [old if is_urn(old) else old + suffix for old in old_names
                       if not (is_urn(old) and suffix)]
            if aliases:
                options = {**r.options, "aliases": [*r.options.get("aliases", []), *aliases]}
                ctx.resources[i] = r._replace(options=options)


def is_urn(name: str) -> bool:
    return name.startswith("urn:pulumi:")


def delete_before_replace(ctx: Context, first: int) -> None:
    """A resource with a fixed physical name cannot be replaced create-first: the new one
    would take the name the old one still holds (Pulumi's deleteBeforeReplace)."""
    for i in range(first, len(ctx.resources)):
        r = ctx.resources[i]
        if NAME_ARGS.get(r.type) in r.args:
            ctx.resources[i] = r._replace(options={**r.options, "delete_before_replace": True})


def apply_imports(ctx: Context, first: int, decls: list[Decl]) -> None:
    """`import` -> the Pulumi import option on the resources it names: a string names the
    declaration's own resource, a map its generated ones. The id must have the type's form
    and agree with the resource's physical name, project and region, else Pulumi would
    import one resource and then replace it (docs/design.md, Physical names and imports)."""
    mine = {ctx.resources[i].name: i for i in range(first, len(ctx.resources))}
    for d in decls:
        raw = d.data.get("import")
        if raw is None:
            continue
        path: Path = (*d.path, "import")
        at = ctx.origin_of(path) or d.origin
        own = d.logical
        wanted = {own: (raw, path, at)} if isinstance(raw, str) else {
            k: (v, (*path, k), ctx.origin_of((*path, k)) or at)
            for k, v in raw.items() if v is not None}
        for name, (rid, p, o) in sorted(wanted.items()):
            i = mine.get(name)
            if i is None:
                close = difflib.get_close_matches(name, list(mine), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                ctx.error("MLC324", p, f"{name!r} is not a resource of {d.name}{hint}; its "
                                       f"resources: {', '.join(sorted(mine))}", o)
                continue
            r = ctx.resources[i]
            problem = import_problem(r, str(rid), named=isinstance(d.data.get("name"), str))
            if "import" in r.options and problem is None:
                problem = (f"{name} is imported twice: also as {r.options['import']!r}; one "
                           "resource has one id")
            if problem:
                ctx.error("MLC324", p, problem, o)
            else:
                ctx.resources[i] = r._replace(options={**r.options, "import": rid})


def import_problem(r: Resource, rid: str, named: bool) -> str | None:
    """What is wrong with importing `rid` as `r` (None: nothing); `named` says the
    declaration sets `name` (a name the provider rejects is reported already)."""
    form = IMPORT_IDS.get(r.type)
    if form is None:
        kinds = ", ".join(sorted({f.what for f in IMPORT_IDS.values()}))
        return (f"{r.name} ({r.type}) is not imported by mlinfra, only its {kinds}: let "
                "Pulumi create it")
    m = re.fullmatch(form.pattern, rid)
    if m is None:
        return f"{rid!r} is not the id of a {form.what}: expected the form {form.example}"
    found = m.groupdict()
    arg = NAME_ARGS.get(r.type)
    if arg is not None and arg not in r.args and found.get("name") and not named:
        return (f"importing needs a fixed physical name, else Pulumi would generate another "
                f"and replace what it imports: set `name: {found['name']}` (or "
                "name_template)")
    region = r.args.get("region")
    partition = found.get("partition")
    if partition is not None and isinstance(region, str):
        from .providers.aws_access import partition_of

        if partition != partition_of(region):
            return (f"the id is an ARN of partition {partition}, but {r.name} is in region "
                    f"{region} (partition {partition_of(region)})")
    for key, what in ((arg, "physical name"), ("project", "project"), ("region", "region")):
        given = r.args.get(key) if key else None
        wanted = found.get("name" if key == arg else str(key))
        if wanted is not None and isinstance(given, str) and given != wanted:
            return (f"the id is of {what} {wanted!r}, but {r.name}'s {what} is {given!r}: "
                    "Pulumi would import it and then replace or fail; make them agree")
    return None


def check_previous_names(ctx: Context, decls: dict[Path, Decl], current: set[str]) -> None:
    """A previous name no current resource has, and that only one declaration claims."""
    if not any(d.data.get("previous_names") for d in decls.values()):
        return  # (most environments: no index of every resource needed)
    current = current | {r.name for r in ctx.resources}
    types = {r.name: r.type for r in ctx.resources}
    claimed: dict[str, str] = {}
    for decl in decls.values():
        for i, old in enumerate(decl.data.get("previous_names") or []):
            path = (*decl.path, "previous_names", i)
            at = ctx.origin_of(path) or decl.origin
            was = old.split("::")[2].rsplit("$", 1)[-1] if is_urn(str(old)) else None
            if was is not None and was != types.get(decl.logical, was):
                ctx.error("MLC405", path, f"{old!r} is of type {was}, but {decl.logical} is "
                                          f"of type {types[decl.logical]}: an alias keeps a "
                                          "resource of the same type", at)
            elif old in current:
                ctx.error("MLC405", path, f"{old!r} is a current resource; a previous name "
                                          "must be one no longer in use", at)
            elif old in claimed and claimed[old] != decl.logical:
                ctx.error("MLC405", path, f"{old!r} is also a previous name of "
                                          f"{claimed[old]!r}; one resource cannot become two",
                          at)
            claimed.setdefault(old, decl.logical)
