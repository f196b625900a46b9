"""The lines of a cost estimate, apart from pricing.py: `lint` imports the
services, and so pricing.py, but never prices anything."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from decimal import Decimal


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


class Priced(NamedTuple):
    """The graph being priced: its resources by name, and the usage hints it records."""

    resources: dict[str, dict[str, Any]]
    hints: dict[str, dict[str, int]]

    def usage(self, name: str) -> Usage | None:
        """The hints recorded for resource `name` (None: none, or not two whole numbers)."""
        h = self.hints.get(name)
        if not isinstance(h, dict):
            return None
        n, size = h.get("messages_per_month"), h.get("average_message_size")
        return Usage(n, size) if type(n) is int and type(size) is int else None
