"""Declarations -> resources: each session store and queue built by the service its
cloud and `service:` select, after the fields that service cannot honour are reported
(with the nearest thing it offers, or the service of its cloud that takes them)."""

from __future__ import annotations

from typing import Any

from . import language as L
from .graph import Origin
from .loader import Path
from .providers import MODULES, Service, select, service_kind, services_for
from .providers.base import Context, Decl
from .resource_options import add_aliases, apply_imports, delete_before_replace

FIELDS = {"session_store": L.SESSION_STORE_FIELDS, "queue": L.QUEUE_FIELDS,
          "subscription": L.SUBSCRIPTION_FIELDS}
KIND_WORD = {"session_store": "session store", "queue": "queue",
             "subscription": "subscription"}


def build_declarations(ctx: Context, decls: dict[Path, Decl], stores: dict[str, Any],
                       queues: dict[str, Any], default: str | None) -> None:
    """Build every session store and queue with the service of its provider."""
    reasons: Reasons = {}
    for name in sorted(set(stores) & set(queues)):
        ctx.error("MLC401", ("queues", name),
                  f"{name!r} is declared both as a session store (at "
                  f"{_at(ctx, ('session_stores', name)).where}) and as a queue; names are "
                  "the Pulumi logical names and must be unique", _at(ctx, ("queues", name)))
    for kind, section, table in (("session_store", "session_stores", stores),
                                 ("queue", "queues", queues)):
        for name in sorted(table):
            if table is queues and name in stores:
                continue  # reported above (MLC401)
            decl_data = table[name] or {}
            dpath: Path = (section, name)
            provider = _choose_provider(ctx, kind, name, dpath, decl_data, default)
            service = _choose_service(ctx, kind, dpath, decl_data, provider)
            if service is None or _unsupported(ctx, kind, dpath, decl_data, service, reasons):
                continue
            defaults = service.DEFAULTS[ctx.profile]
            decl = Decl(kind, name, dpath, decl_data, service.PROVIDER, _at(ctx, dpath), ctx,
                        defaults)
            decls[dpath] = decl
            first = len(ctx.resources)
            inner = service.build(decl)
            if "pulumi_args" in decl_data or any("pulumi_args" in s.data for s in inner):
                from .sdkargs import apply_pulumi_args  # (lint loads it only when used)

                apply_pulumi_args(ctx, first, [decl, *inner])
            for sub in inner:
                decls[sub.path] = sub
                _unsupported(ctx, "subscription", sub.path, sub.data, service, reasons)
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


def _choose_service(ctx: Context, kind: str, path: Path, decl_data: dict[str, Any],
                    provider: str | None) -> Service | None:
    """The service `service:` names on the declaration's cloud, else the default one."""
    if provider is None:
        return None
    name = decl_data.get("service")
    found = select(kind, provider, name)
    if found is None:
        offered = ", ".join(s.SERVICE for s in services_for(kind, provider))
        elsewhere = [s.PROVIDER for s in MODULES if kind == s.KIND and name == s.SERVICE]
        hint = f" ({name} runs on {elsewhere[0]})" if elsewhere else ""
        ctx.error("MLC326", (*path, "service"),
                  f"{provider} has no {KIND_WORD[kind]} service {name!r}{hint}; its services: "
                  f"{offered}", _at(ctx, (*path, "service")))
    return found


def unsupported_reason(kind: str, key: str, service: Service) -> str | None:
    """Why `service` cannot honour the field `key` (None: it can): the nearest thing it
    offers, or the service of its cloud that takes the field."""
    spec = FIELDS[kind].get(key)
    if spec is None:
        return None
    cloud = service.PROVIDER
    top = service_kind(kind)
    if cloud in spec.providers and _takes(service, top, key):
        return None
    if key in service.INSTEAD:
        return f"{key} is not supported by {service.SERVICE}: {service.INSTEAD[key]}"
    others = [s.SERVICE for s in services_for(top, cloud) if _takes(s, top, key)]
    if cloud in spec.providers and others:
        return f"{key} is a {others[0]} field: set service: {others[0]}"
    hint = spec.instead.get(cloud, "")
    return f"{key} is not supported on {cloud}" + (f": {hint}" if hint else "")


def _takes(service: Service, kind: str, key: str) -> bool:
    """The service's own list, else every field of its cloud that no other service of the
    kind and cloud claims for itself (`CLAIMS`)."""
    if service.ACCEPTS is not None:
        return key in service.ACCEPTS or key in L.COMMON_FIELDS or key == "service"
    return not any(key in s.CLAIMS for s in services_for(kind, service.PROVIDER)
                   if s is not service)


# (kind, field, id of the service) -> unsupported_reason, for one compile: asked 25,000
# times for 10,000 declarations, of a few dozen fields. By id, as a service need not be
# hashable (any object with the contract's attributes is one); the registry keeps every
# service alive while a compile runs.
Reasons = dict[tuple[str, str, int], str | None]


def _unsupported(ctx: Context, kind: str, path: Path, decl_data: dict[str, Any],
                 service: Service, reasons: Reasons) -> bool:
    """Report every field the service cannot honour, with the nearest thing it offers."""
    bad = False
    for key, value in decl_data.items():
        if value is None:
            continue
        known = (kind, key, id(service))
        if known not in reasons:
            reasons[known] = unsupported_reason(kind, key, service)
        why = reasons[known]
        if why is None:
            continue
        ctx.error("MLC307", (*path, key), why, _at(ctx, (*path, key)))
        bad = True
    return bad
