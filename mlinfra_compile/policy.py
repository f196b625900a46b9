"""Production rules (MLC501..MLC505, MLC507, MLC508), waivable per resource in the environment
file.

The rules that hold in every profile (MLC510..MLC513: dead-letter retention, backoff
order, retention against visibility, read-replica memory) are checked by the provider
modules, which know each service's units, and cannot be waived.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from .clouds import CLOUDS
from .diagnostics import WARNING, Diagnostic
from .graph import Origin
from .loader import Path, dotted
from .providers import IMPORT_IDS, service_of

if TYPE_CHECKING:
    from .merging import Merged
    from .providers.base import Context, Decl

WAIVABLE = ("MLC501", "MLC502", "MLC503", "MLC504", "MLC505", "MLC507", "MLC508")


class Waiver(NamedTuple):
    rule: str
    resource: str
    reason: str
    origin: Origin
    used: bool = False
    place: int = 0  # its index in the `waivers` list


class Violation(NamedTuple):
    rule: str
    resource: str
    diagnostic: Diagnostic


class Stack(NamedTuple):
    """The stack the rules are checked for. A rule can fire in a file several stacks
    extend (a partial): its diagnostic then names the stack, and the waiver goes in the
    stack's own `file`, where it applies to that stack alone."""

    env: str
    profile: str
    file: str  # the stack's own file
    waivers_line: int | None = None  # its own `waivers` list, where it has one
    waivers_from: str | None = None  # else the file whose waivers it inherits, if any


def _advice(rule: str, resource: str, at: str, stack: Stack | None) -> tuple[str, str]:
    """(what names the stack, how to waive the rule) for a rule fired in file `at`."""
    entry = f'{{rule: {rule}, resource: {resource}, reason: "..."}}'
    here = stack is None or at == stack.file
    target = "this file" if stack is None or here else stack.file
    if stack is not None and stack.waivers_line is not None:
        how = f"add {entry} to the waivers list of {target} (line {stack.waivers_line})"
    else:
        how = f"add to {target}: waivers: [{entry}]"
        if stack is not None and stack.waivers_from is not None:
            how += (f" (that list replaces the waivers inherited from {stack.waivers_from}: "
                    "repeat those that still apply)")
    if here or stack is None:
        return "", f"to accept it, {how}"
    return (f"in stack {stack.env} (profile {stack.profile}), which extends this file: ",
            f"to accept it there, {how}")


def _violation(rule: str, decl: Decl, key: str, message: str,
               stack: Stack | None) -> Violation:
    v = decl.get(key)
    at = v.origin if v is not None else decl.origin
    why = f" ({v.origin.note})" if v is not None and v.origin.kind == "default" else ""
    return _reported(rule, decl, decl.where(key), at, f"{message}{why}", stack)


def _reported(rule: str, decl: Decl, path: Path, at: Origin, message: str,
              stack: Stack | None) -> Violation:
    """A rule fired at `path` (written at `at`), waivable for the declaration (a
    subscription's, for its queue)."""
    top = decl.parent or decl
    which, how = _advice(rule, top.name, at.file, stack)
    return Violation(rule, top.name, Diagnostic(at.file, at.line, at.column, rule,
                                                dotted(path), f"{which}{message}; {how}"))


def own_accounts(ctx: Context) -> frozenset[str]:
    """The AWS accounts the stack's import ids name (an SQS URL, an SNS ARN): its own."""
    found = (IMPORT_IDS[r.type].account(r.options.get("import"))
             for r in ctx.resources if r.type in IMPORT_IDS and "import" in r.options)
    return frozenset(a for a in found if a)


def broad_grants(d: Decl, own: frozenset[str], stack: Stack | None) -> list[Violation]:
    """MLC508, at each member of the declaration's own `access` lists that is a whole
    class of principals (clouds.Cloud.broad_grant: a foreign account, a domain, a
    wildcard, an identity pool). Members the cloud refuses are MLC322 already."""
    access = d.data.get("access")
    cloud = CLOUDS[d.provider]
    out = []
    for key in ("publishers", "subscribers"):
        listed = access.get(key) if isinstance(access, dict) else None
        for i, member in enumerate(listed if isinstance(listed, list) else []):
            what = None if cloud.access_problem(str(member)) else \
                cloud.broad_grant(str(member), own)
            if what:
                path = (*d.path, "access", key, i)
                out.append(_reported("MLC508", d, path, d.ctx.origin_of(path) or d.origin,
                                     "production queues grant access to named principals, "
                                     f"not to whole accounts, domains or pools: {what}",
                                     stack))
    return out


# A rule fired at a declaration's field: (rule, declaration, field, message).
Fired = Callable[[str, "Decl", str, str], None]


def store_rules(d: Decl, fired: Fired) -> None:
    """MLC501, MLC502, MLC503 and MLC507: what a production session store needs."""
    tier, auth, tls = d.get("tier"), d.get("auth"), d.get("tls")
    if tier is not None and tier.value != "standard_ha":
        fired("MLC501", d, "tier", "production session stores must be standard_ha: "
              "a basic store has no replica to fail over to")
    if auth is not None and not auth.value:
        fired("MLC502", d, "auth", "production session stores must require AUTH")
    # (a value the service does not compile, as tls: preferred on Memorystore, is
    # an error of its own, not a waivable rule)
    if tls is not None and tls.value is not True \
            and tls.value in service_of(d).TLS_VALUES:
        still = " (tls: preferred still accepts plain-text clients)" \
            if tls.value == "preferred" else ""
        fired("MLC503", d, "tls", "production session stores must encrypt in "
              f"transit (tls: true){still}")
    if service_of(d).network_of(d) is None:
        fired("MLC507", d, "network", "production session stores must name their "
              "network (gcp: network; aws: subnet_ids): without one the store lands in "
              "the default network, which many organisations do not have")


# The rules of the declarations a kind of service builds, by the service's KIND (the
# registry's `service_of(decl).KIND`). Every declaration also answers to the rules
# production_violations checks for all (protection, dead letters, grants), each as far as
# its service says it applies.
KIND_RULES: dict[str, tuple[Callable[[Decl, Fired], None], ...]] = {
    "session_store": (store_rules,),
}


def production_violations(decls: list[Decl], stack: Stack | None = None) -> list[Violation]:
    out: list[Violation] = []
    own = own_accounts(decls[0].ctx) if decls else frozenset()

    def fired(rule: str, d: Decl, key: str, message: str) -> None:
        out.append(_violation(rule, d, key, message, stack))

    for d in decls:
        service = service_of(d)
        for rules in KIND_RULES.get(service.KIND, ()):
            rules(d, fired)
        if d.parent is None:  # (a store or queue: a subscription is its queue's resource)
            prot = d.get("protect")
            if prot is not None and not prot.value:
                fired("MLC504", d, "protect", "production stateful resources must be "
                      "protected from deletion")
        # Where consumers read: an SQS queue, a subscription, or a Pub/Sub queue without a
        # `subscriptions` map (its one subscription `<name>-sub` takes the queue's fields).
        if service.delivers(d):
            dl = d.get("dead_letter")
            if dl is not None and dl.value in (False, None):
                what = "queue" if d.parent is None else f"subscription {d.name!r}"
                fired("MLC505", d, "dead_letter", "production queues must have dead "
                      f"letters ({what} has none)")
        out.extend(broad_grants(d, own, stack))
    return out


def read_waivers(data: Any, origin_of: Any, skip: set[int] | None = None) -> list[Waiver]:
    """The waivers of `data` (the environment's `waivers`), but those at the indexes in
    `skip` (they failed the schema)."""
    out = []
    for i, w in enumerate(data if isinstance(data, list) else []):
        if isinstance(w, dict) and i not in (skip or ()):
            out.append(Waiver(str(w.get("rule")), str(w.get("resource")), str(w.get("reason")),
                              origin_of(("waivers", i)), place=i))
    return out


def apply_waivers(violations: list[Violation], waivers: list[Waiver], declared: set[str],
                  stack: Stack | None = None) -> tuple[list[Diagnostic], list[Waiver]]:
    """Violations not waived, plus diagnostics for waivers that name nothing or waive
    nothing; returns the waivers marked used."""
    diags: list[Diagnostic] = []
    used: list[Waiver] = []
    keys = {(w.rule, w.resource) for w in waivers}
    for v in violations:
        if (v.rule, v.resource) not in keys:
            diags.append(v.diagnostic)
    hit = {(v.rule, v.resource) for v in violations}
    for w in waivers:
        o = w.origin
        path = dotted(("waivers", w.place))
        # (a waiver written in a file the stack extends is reported for that stack)
        there = stack if stack is not None and o.file != stack.file else None
        if w.resource not in declared:
            of = f"stack {there.env}, which extends this file" if there else "this environment"
            diags.append(Diagnostic(o.file, o.line, o.column, "MLC506", path,
                                    f"waiver names {w.resource!r}, which is not a session "
                                    f"store or queue of {of}"))
        elif (w.rule, w.resource) not in hit:
            diags.append(Diagnostic(o.file, o.line, o.column, "MLC506", path,
                                    f"waiver of {w.rule} for {w.resource!r} waives nothing"
                                    f"{_unused(there)}", WARNING))
        used.append(Waiver(w.rule, w.resource, w.reason, w.origin,
                           (w.rule, w.resource) in hit, w.place))
    return diags, used


def _unused(there: Stack | None) -> str:
    """Why a waiver waives nothing, and what to do with it."""
    if there is None:
        return ": remove it"
    if there.profile != "production":
        return (f" in stack {there.env} (profile {there.profile}, where production rules do "
                "not apply): put a waiver in the file of the stack it is for")
    return (f" in stack {there.env}, which extends this file: remove it, or put it in the "
            "file of the stack it is for")


def check_policy(ctx: Context, decls: list[Decl], merged: Merged, declared: set[str],
                 skip: set[int] | None = None, unsure: set[str] | None = None) -> list[Waiver]:
    """The production rules of one stack and its waivers (diagnostics into ctx); returns
    the waivers, marked used. `skip`: indexes of waivers that failed the schema; `unsure`:
    declarations whose rules are not told (they, or a waiver naming them, failed it)."""
    waivers = read_waivers(merged.data.get("waivers"), ctx.origin_of, skip)
    stack = stack_of(ctx, merged)
    violations = production_violations(decls, stack) if ctx.profile == "production" else []
    if unsure:
        violations = [v for v in violations if v.resource not in unsure]
        waivers = [w for w in waivers if w.resource not in unsure]
    diags, used = apply_waivers(violations, waivers, declared, stack)
    ctx.diagnostics.extend(diags)
    return used


def stack_of(ctx: Context, merged: Merged) -> Stack:
    own = merged.files[-1]
    line = own.loc(("waivers",), key=True)[0] \
        if isinstance((own.data or {}).get("waivers"), list) else None
    idx = merged.owner(("waivers",))
    inherited = merged.files[idx].display \
        if line is None and idx is not None and merged.data.get("waivers") else None
    return Stack(ctx.env, ctx.profile, own.display, line, inherited)
