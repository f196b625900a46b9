"""The field helpers every provider service shares: reading and checking a declaration's
common fields (labels, region, a network mapping, a CIDR, access members, subscriptions,
usage hints, protect); the origin of a derived value and a grant's logical name; and what
`exports` may name on a declaration."""

from __future__ import annotations

from typing import Any

from ..clouds import CLOUDS
from ..diagnostics import ERROR, WARNING, Diagnostic
from ..graph import Origin, new, ref
from ..loader import Path, dotted
from ..units import parse_size
from .decl import Attributes, Context, Decl, Value


def attributes(decl: Decl, table: dict[str, tuple[str, str]],
               secret: tuple[str, ...] = (), pem: tuple[str, ...] = ()) -> None:
    """Record what `exports` may name on a declaration: attribute -> (resource, output).
    Secret attributes keep Pulumi's secret marking when exported; `pem` ones are a list of
    certificates exported as one PEM bundle (what a client's CA file holds)."""
    if decl.ctx.keep_attributes:
        decl.ctx.attributes[decl.name] = (table, secret, pem)


def exportable(entry: Attributes) -> dict[str, Any]:
    """attribute -> the graph value a named export of it takes, sorted by attribute."""
    table, secret, pem = entry
    out = {}
    for key, (res, attr) in sorted(table.items()):
        value: dict[str, Any] = ref(res, attr)
        if key in secret:
            value["secret"] = True
        if key in pem:
            value["pem"] = True
        out[key] = value
    return out


def members(decl: Decl, key: str) -> list[Value]:
    """The principals the declaration's own `access.<key>` lists, each checked
    by its cloud's rule (MLC322); a subscription's list adds to its queue's."""
    access = decl.data.get("access")
    if not isinstance(access, dict):
        return []
    out = []
    for i, member in enumerate(access.get(key) or []):
        path = (*decl.path, "access", key, i)
        at = decl.ctx.origin_of(path) or decl.origin
        problem = CLOUDS[decl.provider].access_problem(str(member))
        if problem:
            decl.ctx.error("MLC322", path, problem, at)
        else:
            out.append(Value(str(member), at))
    return out


def subscription_decls(decl: Decl) -> list[Decl]:
    """The subscriptions a queue declares (parent = the queue, whose fields are their
    defaults), by key."""
    subs = []
    declared = decl.data.get("subscriptions") or {}
    for key in sorted(declared):
        path = (*decl.path, "subscriptions", key)
        at = decl.ctx.origin_of(path) or decl.origin
        subs.append(Decl("subscription", key, path, declared[key] or {}, decl.provider, at,
                         decl.ctx, decl.defaults, parent=decl))
    return subs


def grant_name(prefix: str, member: str) -> str:
    """A grant's logical name, stable however the list is ordered: the prefix and the
    first 8 hex digits of the member's SHA-256."""
    import hashlib

    return f"{prefix}-{hashlib.sha256(member.encode()).hexdigest()[:8]}"


def derived(decl: Decl, note: str) -> Origin:
    o = decl.origin
    return new(Origin, ("derived", o.file, o.line, o.column, note))


def resource_labels(decl: Decl) -> tuple[dict[str, str], Origin]:
    """Environment labels, then the declaration's (and its queue's), then the two labels
    mlinfra always sets. The declaration's own labels are checked against its cloud's
    rules here; the environment's were checked by the resolver, a queue's with the queue."""
    own = decl.data.get("labels")
    if own:
        check_labels(decl.ctx, own, decl.path + ("labels",), decl.provider)
    chain = []
    d: Decl | None = decl
    while d is not None:
        if d.data.get("labels"):
            chain.append(d.data["labels"])
        d = d.parent
    if not chain:  # (most declarations: the environment's labels, the same for each)
        if decl.ctx.label_base is None:
            decl.ctx.label_base = _labels(decl.ctx, [])
        labels, note = decl.ctx.label_base
        # (one dict for every such resource: nothing changes a graph's values once
        # built, and 30,000 copies were 3% of a lint's memory at 10,000 declarations)
        return labels, derived(decl, note)
    labels, note = _labels(decl.ctx, chain[::-1])
    return labels, derived(decl, note)


def _labels(ctx: Context, declared: list[dict[str, Any]]) -> tuple[dict[str, str], str]:
    """The labels of a resource whose declaration (and queue, first) set `declared`, and
    the note that says where they come from."""
    out = {k: v.value for k, v in ctx.labels.items() if v.value is not None}
    removed = {k for k, v in ctx.labels.items() if v.value is None}
    for labels in declared:
        for k, val in labels.items():
            if val is None:
                out.pop(k, None)
                removed.add(k)
            else:
                out[k] = val
    added = {"environment": ctx.env, "managed-by": "mlinfra"}
    out.update({k: v for k, v in added.items() if k not in removed})
    kept = [k for k in added if k not in removed]
    gone = [k for k in added if k in removed]
    note = "environment labels + declaration labels" + \
        (f" + {', '.join(kept)}" if kept else "") + \
        (f"; without {', '.join(gone)} (removed by `labels: {{KEY: null}}`)" if gone else "")
    return dict(sorted(out.items())), note


def protect(decl: Decl) -> Value:
    v = decl.get("protect")
    assert v is not None  # every service has a protect default
    return v


RESERVED_LABELS = ("environment", "managed-by")


def check_region(decl: Decl, service: str, region: Value | None) -> None:
    """Report a region the service is not offered in: an error for a region the cloud does
    not have (a typo), a warning where only the service's list lacks it. A provider-wide
    region is reported once, at the provider setting (the message does not name the
    declaration, so repeats merge)."""
    from .. import regions

    if region is None or not isinstance(region.value, str):
        return
    problem = regions.unknown(service, region.value)
    if problem is None:
        return
    own = decl.given("region") is not None
    lagging = regions.listed_elsewhere(service, region.value)
    if not own and not lagging:
        return  # a typo in the provider setting: reported by the resolver
    path = decl.where("region") if own else ("providers", regions.CLOUD[service], "region")
    o = region.origin
    decl.ctx.diagnostics.append(Diagnostic(o.file, o.line, o.column,
                                           "MLC318" if lagging else "MLC317", dotted(path),
                                           problem, WARNING if lagging else ERROR))


def check_labels(ctx: Context, labels: dict[str, Any], path: Path, provider: str) -> None:
    """Report labels the provider would reject (its cloud's rules), and labels mlinfra
    reserves."""
    for key, value in labels.items():
        at = ctx.origin_of(path + (key,))
        if at is None or (value is None and key in RESERVED_LABELS):
            continue  # (`environment: null` removes a label mlinfra adds)
        if key in RESERVED_LABELS:
            ctx.error("MLC311", path + (key,), f"label {key!r} is set by mlinfra on every "
                                               "resource and cannot be overridden (`null` "
                                               "removes it)", at)
            continue
        if value is None:
            continue
        for problem in CLOUDS[provider].label_problems(key, value):
            ctx.error("MLC308", path + (key,), problem, at)


def mapping_field(decl: Decl, key: str, honoured: tuple[str, ...],
                  instead: str) -> dict[str, Value]:
    """The entries of a mapping field (`network`) the declaration's cloud honours, each
    with its origin; an entry only the other cloud reads is MLC307 with `instead`."""
    raw = decl.given(key)
    out: dict[str, Value] = {}
    if raw is None or not isinstance(raw.value, dict):
        return out
    # (no entry is null: the files are merged as merge patches, where null removes)
    for k, v in raw.value.items():
        path = (*decl.where(key), k)
        at = decl.ctx.origin_of(path) or raw.origin
        if k not in honoured:
            decl.ctx.error("MLC307", path, f"{key}.{k} is not supported on {decl.provider}: "
                                           f"{instead}", at)
            continue
        out[k] = Value(v, at)
    return out


def check_cidr(decl: Decl, path: Path, v: Value) -> bool:
    """An IPv4 network in CIDR form without host bits (10.0.0.0/16), else MLC319."""
    import ipaddress

    try:
        net = ipaddress.IPv4Network(str(v.value), strict=False)
    except ValueError:
        decl.ctx.error("MLC319", path, f"{v.value!r} is not an IPv4 CIDR such as "
                                       "10.0.0.0/16", v.origin)
        return False
    if str(net) != v.value:
        decl.ctx.error("MLC319", path, f"{v.value} has host bits set: the network is {net}",
                       v.origin)
        return False
    return True


def traffic(decl: Decl, names: list[str], most: tuple[int, str]) -> None:
    """Record the queue's `usage:` hints (a subscription reads its queue's) on the resources
    `names` that carry its messages; dead letters carry none. An average size above `most`
    (the largest message the queue carries: bytes, and how to say it) is reported once, on
    the queue itself: MLC327, the hint contradicting what is declared; an empty average
    is MLC204, out of the field's own range."""
    v = decl.get("usage")
    if v is None:
        return
    size = parse_size(v.value.get("average_message_size"))
    if size is None:
        return
    if not 1 <= size <= most[0]:
        if decl.parent is None:
            path = (*decl.where("usage"), "average_message_size")
            shown = v.value["average_message_size"]
            code, what = ("MLC204", "empty") if size < 1 else \
                ("MLC327", f"larger than {most[1]}")
            decl.ctx.error(code, path, f"an average message of {shown} is {what}",
                           decl.ctx.origin_of(path) or v.origin)
        return
    n = v.value["messages_per_month"]  # (1000000.0 is an integer to JSON Schema too)
    for name in names:
        decl.ctx.usage[name] = {"messages_per_month": int(n), "average_message_size": size}


def chosen_network(decl: Decl, key: str, cloud: str, setting: str) -> Value | None:
    """The network a store names (`network.<key>`, else the cloud's `providers.<cloud>.
    <setting>`), for the production rule that a store names one (MLC507); None: the
    provider's default network."""
    net = decl.given("network")
    mine = net.value.get(key) if net is not None and isinstance(net.value, dict) else None
    if mine:
        assert net is not None
        return Value(mine, net.origin)
    return decl.ctx.provider_setting(cloud, setting)
