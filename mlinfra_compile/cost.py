"""`mlinfra cost` (docs/design.md, Cost tables): what a month of an environment costs,
offline, from the price tables the package ships; `plan` shows the total and `diff` the
change.

Each resource type is priced by its service's `COSTS` table (providers/); the
conventions (730 hours a month, cents, usage-based lines) are in providers/pricing.py.
The estimate reads a compiled graph (the JSON document), so that `diff` can price both
sides of a change the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple

from .graph import new
from .providers import COSTS, pricing
from .providers.lines import Line, Priced
from .providers.pricing import (
    DEAD_LETTERS,
    FIXED,
    FREE,
    HOURS_PER_MONTH,
    NO_PRICE,
    USAGE,
    USAGE_BASED,
)

FORMAT = "mlinfra.cost/v1"
CURRENCY = "USD"


class Item(NamedTuple):
    """One resource and its lines (most resources have one). (A NamedTuple, made with
    graph.new: a frozen dataclass took three times as long to make, 30,000 times for an
    estimate of 10,000 declarations.)"""

    name: str
    type: str
    lines: tuple[Line, ...]

    @property
    def monthly(self) -> Decimal | None:
        """The month's cost, or None when a line cannot be known."""
        if any(line.monthly is None for line in self.lines):
            return None
        return sum((line.monthly for line in self.lines if line.monthly is not None),
                   Decimal(0))

    @property
    def kind(self) -> str:
        """no-price before usage-based before usage before fixed before free."""
        if len(self.lines) == 1:  # (most items)
            return self.lines[0].kind
        kinds = {line.kind for line in self.lines}
        return next(k for k in (NO_PRICE, USAGE_BASED, DEAD_LETTERS, USAGE, FIXED, FREE)
                    if k in kinds)

    @property
    def basis(self) -> str:
        return "; ".join(line.basis for line in self.lines)


@dataclass(frozen=True)
class Estimate:
    environment: str
    items: tuple[Item, ...]

    def _sum(self, kind: str) -> Decimal:
        return sum((line.monthly for i in self.items for line in i.lines
                    if line.kind == kind and line.monthly is not None), Decimal(0))

    @property
    def fixed(self) -> Decimal:
        """What the resources cost by the hour they exist."""
        return self._sum(FIXED)

    @property
    def usage(self) -> Decimal:
        """What the usage hints estimate."""
        return self._sum(USAGE)

    @property
    def total(self) -> Decimal:
        return self.fixed + self.usage

    def open(self, kind: str) -> list[Item]:
        """The items left out of the total: usage-based without hints, or without a price."""
        return list(self._by_kind.get(kind, ()))

    @cached_property
    def _by_kind(self) -> dict[str, list[Item]]:
        found: dict[str, list[Item]] = {}
        for i in self.items:
            found.setdefault(i.kind, []).append(i)
        return found

    @property
    def date(self) -> str:
        """When the prices used were read (the oldest, if they differ)."""
        dates = [line.date for i in self.items for line in i.lines if line.date]
        return min(dates) if dates else min(t["read"] for t in _tables())

    @property
    def sources(self) -> list[str]:
        return sorted({s for i in self.items for line in i.lines for s in line.sources})


def _tables() -> list[dict[str, Any]]:
    from importlib import resources

    folder = resources.files("mlinfra_compile").joinpath("prices")
    return [pricing.table(p.name.removesuffix(".json")) for p in folder.iterdir()
            if p.name.endswith(".json")]


def estimate(graph: dict[str, Any]) -> Estimate:
    """The month of every resource of a compiled graph, in the graph's order (by name)."""
    resources = {r["name"]: r for r in graph["resources"]}
    usage = graph.get("usage")
    priced = Priced(resources, usage if isinstance(usage, dict) else {})
    items = []
    for r in graph["resources"]:
        items.append(new(Item, (r["name"], r["type"], tuple(_price(r, priced)))))
    return Estimate(str(graph.get("environment", "")), tuple(items))


def _price(r: dict[str, Any], priced: Priced) -> list[Line]:
    pricer = COSTS.get(r["type"])
    if pricer is None:
        return [Line(NO_PRICE, None, f"no price: mlinfra has no price table for {r['type']}")]
    try:
        return pricer(r, priced)
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError):
        # (a graph mlinfra did not write: the one a stack reports it deployed)
        return [Line(NO_PRICE, None, "no price: its arguments are not ones mlinfra writes")]


def total_text(e: Estimate) -> str:
    """One sentence: the total and what it leaves out (plan, diff)."""
    text = f"{pricing.dollars(e.total)}/month"
    if e.open(NO_PRICE):
        text += " for the resources mlinfra has prices for"
    parts = []
    if e.usage:
        parts.append(f"{pricing.dollars(e.usage)} of it estimated from the queues' usage")
    left = left_out(e)
    if left:
        parts.append(left)
    return text + (f" ({'; '.join(parts)})" if parts else "")


def left_out(e: Estimate) -> str:
    """What the total leaves out, by why."""
    words = []
    for kind, noun, why in ((USAGE_BASED, "resource", "priced by use with no usage given"),
                            (DEAD_LETTERS, "dead-letter resource", "never estimated"),
                            (NO_PRICE, "resource", "without a price")):
        found = e.open(kind)
        if found:
            words.append(f"{pricing.plural(len(found), noun)} {why}")
    return "not included: " + ", ".join(words) if words else ""


def heading(e: Estimate) -> str:
    return (f"{CURRENCY}, on-demand list prices read {e.date}, {HOURS_PER_MONTH} hours a "
            "month, each line rounded to cents")


def cells(line: Line) -> tuple[str, str, str]:
    """quantity, unit price, monthly of one line, as the tables show them."""
    quantity = f"{pricing.number(line.quantity)} {line.unit}" if line.quantity is not None \
        else "-"
    price = f"{pricing.dollars(line.unit_price)} per {line.price_unit.removeprefix('USD per ')}" \
        if line.unit_price is not None else "-"
    monthly = pricing.dollars(line.monthly) if line.monthly is not None else line.kind
    return quantity, price, monthly


def cost_pieces(e: Estimate) -> Iterator[str]:
    """The table a thousand rows at a time (output.out writes each as it comes: an
    estimate of 30,000 resources held whole, joined and escaped took 30 MB)."""
    # (each row with the note printed under it)
    rows: list[tuple[tuple[str, str, str, str], str]] = [
        (("resource", "quantity", "unit price", "monthly"), "")]
    for i in e.items:
        for n, line in enumerate(i.lines):
            rows.append(((i.name if n == 0 else "", *cells(line)), line.basis))
    w0, w1, w2 = (max(len(row[k]) for row, _ in rows) for k in range(3))
    yield f"Estimated monthly cost of {e.environment} ({heading(e)})\n\n"
    for start in range(0, len(rows), 1000):
        out = []
        # (one format a row, not a join of a generator: 30,000 rows at 10,000
        # declarations, a third of the table's time)
        for (name, quantity, price, monthly), note in rows[start:start + 1000]:
            out.append(f"{name.ljust(w0)}  {quantity.ljust(w1)}  {price.ljust(w2)}  "
                       f"{monthly.rjust(11)}")
            if note:
                out.append(f"    {note}")
        yield "\n".join(out) + "\n"
    out = ["", f"fixed (by the hour): {pricing.dollars(e.fixed)}",
           f"estimated from the queues' usage: {usage_text(e)}",
           f"total: {pricing.dollars(e.total)}/month"]
    left = left_out(e)
    if left:
        out.append(left + see_unit_prices(e))
    if e.sources:
        out += ["", "Sources:", *(f"  {s}" for s in e.sources)]
    yield "\n".join(out) + "\n"


def usage_text(e: Estimate) -> str:
    if any(line.kind == USAGE for i in e.items for line in i.lines):
        return pricing.dollars(e.usage)
    return "none (no queue gives its usage)"


def see_unit_prices(e: Estimate) -> str:
    return " (see each line's unit price)" if e.open(USAGE_BASED) or e.open(DEAD_LETTERS) \
        else ""


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def cost_json(e: Estimate) -> str:
    doc = {
        "format": FORMAT,
        "environment": e.environment,
        "currency": CURRENCY,
        "total_monthly": _number(e.total),
        "resources": [{"name": i.name, "type": i.type, "monthly": _number(i.monthly),
                       "basis": i.basis} for i in e.items],
        "prices": {"date": e.date, "sources": e.sources},
    }
    return json.dumps(doc, indent=2) + "\n"


@dataclass(frozen=True)
class Delta:
    """One resource whose month changes; None on a side: it does not exist there."""

    name: str
    before: Item | None
    after: Item | None

    @property
    def was(self) -> str:
        return _shown(self.before)

    @property
    def now(self) -> str:
        return _shown(self.after)

    @property
    def known(self) -> bool:
        """Each side it exists on has a figure."""
        return all(i is None or i.monthly is not None for i in (self.before, self.after))

    @property
    def change(self) -> str:
        return signed(_value(self.after) - _value(self.before)) if self.known else "not known"


def _shown(item: Item | None) -> str:
    """$X, or why there is no figure (usage-based, no-price), or - (absent)."""
    if item is None:
        return "-"
    return pricing.dollars(item.monthly) if item.monthly is not None else item.kind


def _value(item: Item | None) -> Decimal:
    """An item's month, or 0 where it does not exist (or has no figure: callers ask
    `known` first)."""
    return item.monthly if item is not None and item.monthly is not None else Decimal(0)


def signed(value: Decimal) -> str:
    return ("+" if value >= 0 else "-") + pricing.dollars(abs(value))


@dataclass(frozen=True)
class Change:
    """What a diff does to the month: both estimates and the resources that change."""

    before: Estimate | None  # None: nothing to compare against
    after: Estimate
    deltas: tuple[Delta, ...]

    @property
    def unknown(self) -> list[Delta]:
        """Changes with no figure on a side (usage-based, dead letters, no price): left out
        of the total change, never counted as $0."""
        return [d for d in self.deltas if not d.known]

    @property
    def total(self) -> str:
        """+$X/month over the resources with a figure on both sides (or on the one side
        they exist on), and how many changes are not known."""
        change = sum((_value(d.after) - _value(d.before) for d in self.deltas if d.known),
                     Decimal(0))
        if not self.deltas:
            return f"unchanged, {pricing.dollars(self.after.total)}/month"
        text = f"{signed(change)}/month"
        if self.unknown:
            text += f" ({pricing.plural(len(self.unknown), 'change')} not known: no figure " \
                    "on one side)"
        return text

    @property
    def estimates(self) -> str:
        """The estimated totals before and after, each as total_text counts it."""
        before = pricing.dollars(self.before.total) if self.before else "$0.00"
        return f"{before} -> {pricing.dollars(self.after.total)} a month"


def compare(old: dict[str, Any] | None, new: dict[str, Any],
            renames: dict[str, str]) -> Change:
    """The month before and after; `renames` maps an old name to its new one."""
    before = estimate(old) if old else None
    after = estimate(new)
    was = {renames.get(i.name, i.name): i for i in (before.items if before else ())}
    now = {i.name: i for i in after.items}
    deltas = []
    for name in sorted(set(was) | set(now)):
        b, a = was.get(name), now.get(name)
        if b is not None and a is not None and (b.lines == a.lines or (
                b.monthly == a.monthly and b.kind == a.kind)):
            continue  # (the same lines: the same month and kind, without summing them)
        if b is None and a is not None and a.kind == FREE:
            continue  # (a grant or a policy: created at no cost)
        if a is None and b is not None and b.kind == FREE:
            continue
        deltas.append(Delta(name, b, a))
    return Change(before, after, tuple(deltas))


def change_text(c: Change) -> list[str]:
    """The lines `diff` prints about cost."""
    out = [f"monthly cost: {c.total}"]
    if c.deltas:
        width = max(len(d.name) for d in c.deltas)
        out += [f"  {d.name:<{width}}  {d.was} -> {d.now}  ({d.change})" for d in c.deltas]
        out.append(f"  estimated total: {c.estimates}")
    left = left_out(c.after)
    if left:
        out.append(f"  {left}")
    return out
