"""Production rules (MLC501..MLC505, MLC507), waivable per resource in the environment file.

The rules that hold in every profile (MLC510..MLC513: dead-letter retention, backoff
order, retention against visibility, read-replica memory) are checked by the provider
modules, which know each service's units, and cannot be waived.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .diagnostics import WARNING, Diagnostic
from .graph import Origin
from .loader import dotted
from .providers import service_of

if TYPE_CHECKING:
    from .providers.base import Decl

WAIVABLE = ("MLC501", "MLC502", "MLC503", "MLC504", "MLC505", "MLC507")


@dataclass(frozen=True)
class Waiver:
    rule: str
    resource: str
    reason: str
    origin: Origin
    used: bool = False


@dataclass(frozen=True)
class Violation:
    rule: str
    resource: str
    diagnostic: Diagnostic


def _violation(rule: str, decl: Decl, key: str, message: str) -> Violation:
    v = decl.get(key)
    at = v.origin if v is not None else decl.origin
    why = f" ({v.origin.note})" if v is not None and v.origin.kind == "default" else ""
    top = decl.parent or decl
    text = (f"{message}{why}; to accept it, add to this file: waivers: [{{rule: {rule}, "
            f"resource: {top.name}, reason: \"...\"}}]")
    return Violation(rule, top.name,
                     Diagnostic(at.file, at.line, at.column, rule, dotted(decl.where(key)), text))


def production_violations(decls: list[Decl]) -> list[Violation]:
    out: list[Violation] = []
    for d in decls:
        if d.kind == "session_store":
            tier, auth, tls = d.get("tier"), d.get("auth"), d.get("tls")
            if tier is not None and tier.value != "standard_ha":
                out.append(_violation("MLC501", d, "tier", "production session stores must be "
                                      "standard_ha: a basic store has no replica to fail "
                                      "over to"))
            if auth is not None and not auth.value:
                out.append(_violation("MLC502", d, "auth", "production session stores must "
                                      "require AUTH"))
            # (a value the service does not compile, as tls: preferred on Memorystore, is
            # an error of its own, not a waivable rule)
            if tls is not None and tls.value is not True \
                    and tls.value in service_of(d).TLS_VALUES:
                still = " (tls: preferred still accepts plain-text clients)" \
                    if tls.value == "preferred" else ""
                out.append(_violation("MLC503", d, "tls", "production session stores must "
                                      f"encrypt in transit (tls: true){still}"))
        if d.kind == "session_store" and service_of(d).network_of(d) is None:
            out.append(_violation("MLC507", d, "network", "production session stores must "
                                  "name their network (gcp: network; aws: subnet_ids): "
                                  "without one the store lands in the default network, "
                                  "which many organisations do not have"))
        if d.kind in ("session_store", "queue"):
            prot = d.get("protect")
            if prot is not None and not prot.value:
                out.append(_violation("MLC504", d, "protect", "production stateful resources "
                                      "must be protected from deletion"))
        # Where consumers read: an SQS queue, a subscription, or a Pub/Sub queue without a
        # `subscriptions` map (its one subscription `<name>-sub` takes the queue's fields).
        if service_of(d).delivers(d):
            dl = d.get("dead_letter")
            if dl is not None and dl.value in (False, None):
                what = "queue" if d.kind == "queue" else f"subscription {d.name!r}"
                out.append(_violation("MLC505", d, "dead_letter", f"production queues must "
                                      f"have dead letters ({what} has none)"))
    return out


def read_waivers(data: Any, origin_of: Any) -> list[Waiver]:
    out = []
    for i, w in enumerate(data or []):
        if isinstance(w, dict):
            out.append(Waiver(str(w.get("rule")), str(w.get("resource")), str(w.get("reason")),
                              origin_of(("waivers", i))))
    return out


def apply_waivers(violations: list[Violation], waivers: list[Waiver],
                  declared: set[str]) -> tuple[list[Diagnostic], list[Waiver]]:
    """Violations not waived, plus diagnostics for waivers that name nothing or waive
    nothing; returns the waivers marked used."""
    diags: list[Diagnostic] = []
    used: list[Waiver] = []
    keys = {(w.rule, w.resource) for w in waivers}
    for v in violations:
        if (v.rule, v.resource) not in keys:
            diags.append(v.diagnostic)
    hit = {(v.rule, v.resource) for v in violations}
    for i, w in enumerate(waivers):
        o = w.origin
        path = dotted(("waivers", i))
        if w.resource not in declared:
            diags.append(Diagnostic(o.file, o.line, o.column, "MLC506", path,
                                    f"waiver names {w.resource!r}, which is not a session "
                                    "store or queue of this environment"))
        elif (w.rule, w.resource) not in hit:
            diags.append(Diagnostic(o.file, o.line, o.column, "MLC506", path,
                                    f"waiver of {w.rule} for {w.resource!r} waives nothing: "
                                    "remove it", WARNING))
        used.append(Waiver(w.rule, w.resource, w.reason, w.origin,
                           (w.rule, w.resource) in hit))
    return diags, used
