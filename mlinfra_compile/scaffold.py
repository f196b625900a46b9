"""`mlinfra new ENV`: a commented environment file from a Jinja2 template."""

from __future__ import annotations

import os
from typing import Any

from .clouds import CLOUDS
from .resolve import ENV_NAME, ENV_NAME_RULE, SUFFIXES, UsageError, Workspace, is_partial, stem_of


def new_environment(ws: Workspace, env: str, source: str | None,
                    profile: str | None) -> tuple[str, str]:
    """The path written, and a note of what it left out (OWN_KEYS copied or inherited
    from another stack's files), or "". Never overwrites; UsageError for a bad name or a
    missing --from."""
    if not ENV_NAME.fullmatch(env) or is_partial(env):
        raise UsageError(f"{env!r} is not an environment name: use {ENV_NAME_RULE} (a "
                         "leading `_` marks a partial)")
    target = os.path.join(ws.env_dir, env + ".yaml")
    for s in SUFFIXES:
        existing = os.path.join(ws.env_dir, env + s)
        if os.path.exists(existing):
            raise UsageError(f"{ws.display(existing)} exists; mlinfra new never overwrites")
    extends: str | None = None
    copied = ""
    left: list[str] = []
    if source is not None:
        path = ws.find(source) if not is_partial(source) else _partial(ws, source)
        extends = stem_of(path)
        if not is_partial(extends):
            # A sibling environment: build on what it builds on, with its profile; one that
            # extends nothing is copied, so the new file starts with everything it sets.
            f = ws.load(path)
            data: dict[str, Any] = f.data if isinstance(f.data, dict) else {}
            extends = data.get("extends") if isinstance(data.get("extends"), str) else None
            profile = profile or data.get("profile")
            if extends is None:
                copied, left = _copy(data, stem_of(path))
    elif os.path.exists(os.path.join(ws.env_dir, "_base.yaml")):
        extends = "_base"
    note = (f"left out of the copy, as they belong to {source}'s stack (a cloud "
            f"resource has one owner): {', '.join(left)}") if left else ""
    if extends and not copied:
        copied, left = _release(ws, extends)
        note = (f"not taken from {extends}, as they belong to the stacks that own them (a "
                f"cloud resource has one owner): {', '.join(left)}; the new file sets them "
                "to null") if left else ""
    needs = _missing_settings(ws, extends, profile or "development") if extends else {}
    from jinja2 import Environment, PackageLoader, StrictUndefined

    jenv = Environment(loader=PackageLoader("mlinfra_compile", "templates"),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)
    lists = {k for c in CLOUDS.values() for k, v in c.settings.items()
             if "array" in v.get("type", ())}
    schema = os.path.join(ws.root, "schemas", "environment.schema.json")
    text = jenv.get_template("new.yaml.j2").render(
        env=env, extends=extends, needs=needs, profile=profile or "development", lists=lists,
        copied=copied,
        schema=os.path.relpath(schema, ws.env_dir).replace(os.sep, "/")
        if os.path.isfile(schema) else None)
    from .safewrite import create

    # O_EXCL: even a file created between the check above and now is not overwritten;
    # a committed link (environments -> elsewhere) is refused, not written through.
    create(ws.root, f"environments/{env}.yaml", text)
    return target, note


# What belongs to one stack and is never copied into another: the cloud resources it
# owns (a physical name, an import) and the names they had in it (previous_names).
OWN_KEYS = ("name", "import", "previous_names")


def _copy(data: dict[str, Any], source: str) -> tuple[str, list[str]]:
    """What `source` sets (but its name, profile and what only its stack owns), as YAML
    for the new file; and the dotted paths left out."""
    import copy

    import yaml

    rest = copy.deepcopy({k: v for k, v in data.items()
                          if k not in ("environment", "profile")})
    left = _drop_own(rest)
    if not rest:
        return "", left
    note = "".join(f"# left out: {p} (it belongs to {source}'s stack)\n" for p in left)
    return f"# Copied from {source}.yaml:\n" + note + str(yaml.safe_dump(
        rest, sort_keys=False, default_flow_style=False, allow_unicode=True)), left


def _release(ws: Workspace, extends: str) -> tuple[str, list[str]]:
    """Nulls over the OWN_KEYS the new file would take from what it extends (they
    belong to the stacks that wrote or took them first), as YAML; and their paths."""
    import copy

    import yaml

    from .merging import merge
    from .workspace import load_chain

    chain = load_chain(ws, _partial(ws, extends) if is_partial(extends) else ws.find(extends))
    if any(f.data is None for f in chain.files):
        return "", []  # (lint reports what is wrong with it)
    data = copy.deepcopy(merge(chain.files)[0].data)
    left = _drop_own(data, null=True)
    if not left:
        return "", []
    nulls = {k: data[k] for k in ("session_stores", "queues") if data.get(k)}
    _keep_nulls(nulls)
    text = yaml.safe_dump(nulls, sort_keys=False, default_flow_style=False,
                          allow_unicode=True)
    return (f"# Not taken from {extends}: what names or adopts another stack's cloud "
            "resources (set this stack's own here)\n" + str(text)), left


def _keep_nulls(data: dict[str, Any]) -> None:
    """Prune a merged environment to the nulls _drop_own wrote, in place."""
    for key in list(data):
        value = data[key]
        if isinstance(value, dict):
            _keep_nulls(value)
            if not value:
                del data[key]
        elif value is not None:
            del data[key]


def _drop_own(data: dict[str, Any], *, null: bool = False) -> list[str]:
    """Remove OWN_KEYS from every declaration and subscription of `data` (or set them
    to null), in place; the dotted paths of those it held."""
    from .loader import dotted

    left: list[str] = []

    def strip(decl: Any, path: tuple[str, ...]) -> None:
        if isinstance(decl, dict):
            for k in OWN_KEYS:
                if decl.pop(k, None) is not None:
                    left.append(dotted((*path, k)))
                    if null:
                        decl[k] = None

    for section in ("session_stores", "queues"):
        decls = data.get(section)
        for name, decl in (decls.items() if isinstance(decls, dict) else ()):
            strip(decl, (section, name))
            subs = decl.get("subscriptions") if isinstance(decl, dict) else None
            for key, sub in (subs.items() if isinstance(subs, dict) else ()):
                strip(sub, (section, name, "subscriptions", key))
    return left


def _missing_settings(ws: Workspace, extends: str, profile: str) -> dict[str, list[str]]:
    """Provider settings the new environment must set because its chain lacks them."""
    from .merging import merge
    from .workspace import load_chain

    chain = load_chain(ws, _partial(ws, extends) if is_partial(extends) else ws.find(extends))
    if any(f.data is None for f in chain.files):
        return {}
    data = merge(chain.files)[0].data
    providers = data.get("providers")
    if not isinstance(providers, dict):  # (a schema error, which lint reports after)
        return {}
    needs: dict[str, list[str]] = {}
    for cloud in CLOUDS.values():
        settings = providers.get(cloud.name)
        if not isinstance(settings, dict):
            continue
        keys = [k for k in cloud.required if settings.get(k) is None]
        if profile == "production":
            keys += [k for k in _production_settings(data, cloud.name, len(providers))
                     if settings.get(k) is None and k not in keys]
        if keys:
            needs[cloud.name] = keys
    return needs


def _production_settings(data: dict[str, Any], cloud: str, configured: int) -> list[str]:
    """Settings the services of this cloud's declarations need in production (Pub/Sub
    dead letters need the project number)."""
    from .providers import select

    out: list[str] = []
    default = data.get("default_provider") or (cloud if configured == 1 else None)
    for kind, section in (("session_store", "session_stores"), ("queue", "queues")):
        declared = data.get(section)
        for decl in declared.values() if isinstance(declared, dict) else ():
            fields = decl if isinstance(decl, dict) else {}
            given = fields.get("provider", default)
            # (the service the declaration selects: a cloud's services need different ones)
            service = select(kind, cloud, fields.get("service")) if given == cloud else None
            out += [k for k in (service.PRODUCTION_SETTINGS if service else ()) if k not in out]
    return out


def _partial(ws: Workspace, stem: str) -> str:
    for s in SUFFIXES:
        path = os.path.join(ws.env_dir, stem + s)
        if os.path.isfile(path):
            return path
    raise UsageError(f"no partial {stem!r} in {ws.display(ws.env_dir)}/")
