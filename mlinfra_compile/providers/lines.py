"""The lines of a cost estimate, apart from pricing.py: `lint` imports the
services, and so pricing.py, but never prices anything."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from decimal import Decimal


def dig(value: Any, *keys: str) -> Any:
    """value[k1][k2]... through mappings only; None where the shape differs."""
    for k in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(k)
    return value


class Line(NamedTuple):
    """One resource's month: `monthly` is None when it cannot be known (usage-based
    without hints, no price); `quantity` `unit` x `unit_price` is the arithmetic shown."""

    kind: str
    monthly: Decimal | None
    basis: str
    quantity: Decimal | None = None
    unit: str = ""
    unit_price: Decimal | None = None
    price_unit: str = ""  # "USD per GiB-hour"
    sources: tuple[str, ...] = ()
    date: str = ""


class Usage(NamedTuple):
    """A queue's `usage:` hints, as the graph records them for each resource that carries
    its messages."""

    messages: int  # per month
    size: int  # average bytes


class Priced:
    """The graph being priced: its resources by name, the usage hints it records, and
    indexes of what its resources refer to, each built once per estimate: a pricer asks
    per resource, so a scan of every resource there would make cost, plan and diff
    quadratic in the number of queues."""

    __slots__ = ("_by_type", "_referred", "hints", "resources")

    def __init__(self, resources: dict[str, dict[str, Any]],
                 hints: dict[str, dict[str, int]]) -> None:
        self.resources = resources
        self.hints = hints
        self._referred: dict[tuple[str, ...], frozenset[str]] = {}
        self._by_type: dict[Any, list[dict[str, Any]]] | None = None

    def of_type(self, rtype: str) -> list[dict[str, Any]]:
        """The resources of type `rtype`, from an index by type made on the first ask."""
        if self._by_type is None:
            self._by_type = {}
            for r in self.resources.values():
                if isinstance(r, dict):
                    self._by_type.setdefault(r.get("type"), []).append(r)
        return self._by_type.get(rtype, [])

    def referred(self, rtype: str, *path: str) -> frozenset[str]:
        """The names at `path` in the arguments of the resources of type `rtype` (what a
        `$ref` there names), collected on the first question and kept for the others."""
        key = (rtype, *path)
        found = self._referred.get(key)
        if found is None:
            # (.get: a graph mlinfra did not write may lack a key; a failure here would
            # be raised, and the scan repeated, for every resource priced)
            found = frozenset(
                name for r in self.of_type(rtype)
                for name in (dig(r.get("args"), *path),) if isinstance(name, str))
            self._referred[key] = found
        return found

    def usage(self, name: str) -> Usage | None:
        """The hints recorded for resource `name` (None: none, or not two whole numbers)."""
        h = self.hints.get(name)
        if not isinstance(h, dict):
            return None
        n, size = h.get("messages_per_month"), h.get("average_message_size")
        return Usage(n, size) if type(n) is int and type(size) is int else None
