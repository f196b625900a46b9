"""What a month of a resource costs: the vocabulary each service's `COSTS` table uses, and
its price tables, read from the package's `prices/*.json` only when a cost is asked for
(`lint` never opens them). The contract: docs/design.md, Cost tables.

Conventions, as a FinOps reviewer expects them stated:
- USD, on-demand list prices, no committed-use or free-tier discounts (free tiers are per
  account or billing account, not per resource: each line names its free tier instead);
- HOURS_PER_MONTH = 730 for anything billed by the hour (365 x 24 / 12, the AWS Pricing
  Calculator's assumption, "Calculator assumptions"; infracost uses 730 for GCP too);
- each line rounded to cents (half up), and totals are the sum of the rounded lines;
- usage-based prices are estimated only from a queue's `usage:` hints, and otherwise
  reported as usage-based with their unit price, never as 0.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from .lines import dig as dig  # (the prices' pricers dig through arguments with it)

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from .lines import Line, Priced

    # (resource, the graph) -> its lines; a resource with two charges (an SNS FIFO topic:
    # requests and payload) has two lines.
    Pricer = Callable[[dict[str, Any], Priced], list[Line]]

HOURS_PER_MONTH = 730

# What a line is: a price per hour the resource exists, an estimate from usage hints, a
# usage-based price without hints, no charge, or no price in mlinfra's tables.
FIXED, USAGE, USAGE_BASED, FREE, NO_PRICE = "fixed", "usage", "usage-based", "free", "no-price"
DEAD_LETTERS = "dead-letters"  # usage-based, and no hint says how many messages fail


def free(reason: str) -> Pricer:
    """A resource type the cloud does not charge for; `reason` says so, with its source."""
    made: list[Line] = []  # (one line for every such resource: 15,000 of 30,000 at
    # 10,000 declarations; made on the first price, as lint never prices)

    def price(_r: dict[str, Any], _g: Priced) -> list[Line]:
        if not made:
            from decimal import Decimal

            from .lines import Line

            made.append(Line(FREE, Decimal(0), f"no charge: {reason}"))
        return made[:]
    return price


@cache
def table(name: str) -> dict[str, Any]:
    """A price table of the package (mlinfra_compile/prices/NAME.json)."""
    import json
    from importlib import resources

    path = resources.files("mlinfra_compile").joinpath("prices", f"{name}.json")
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def entry(name: str, **match: str) -> dict[str, Any] | None:
    """The entry of table NAME whose `match` holds exactly these keys and values."""
    return _entries(name).get(tuple(sorted(match.items())))


@cache
def _entries(name: str) -> dict[tuple[tuple[str, Any], ...], dict[str, Any]]:
    """Table NAME's entries by their `match`, the first of equal ones (a scan per
    resource priced was 1.3% of a plan of 10,000 declarations)."""
    found: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}
    for e in table(name)["entries"]:
        found.setdefault(tuple(sorted(e["match"].items())), e)
    return found


def money(value: Decimal) -> Decimal:
    """Rounded to cents, half up."""
    from decimal import ROUND_HALF_UP, Decimal

    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def dollars(value: Decimal | float | int) -> str:
    """$1,234.56; unit prices keep their own digits ($0.0128)."""
    return _dollars(str(value))


@lru_cache(maxsize=4096)
def _dollars(text: str) -> str:
    # (by the text, which tells 1.0 from 1.00 and -0 from 0 as the values do not: an
    # estimate of 30,000 resources shows the same few prices 50,000 times)
    from decimal import Decimal

    d = Decimal(text)
    if d == d.quantize(Decimal("0.01")):
        return f"${d:,.2f}"
    return f"${d.normalize():,f}"


def number(value: Decimal) -> str:
    """A quantity as a table shows it: 730, 1,460, 0.25, 0.186265 (6 decimals at most;
    the cost is computed from the exact quantity)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    shown = f"{value:,.6f}".rstrip("0")
    return shown if shown != "0." else "< 0.000001"


def per(e: dict[str, Any], price: Any, quantity: Decimal, unit: str, kind: str,
        basis: str, factor: str = "1") -> Line:
    """quantity x (price x factor) of entry `e`, described by `basis`."""
    from decimal import Decimal

    from .lines import Line

    unit_price = Decimal(str(price)) * Decimal(factor)
    return Line(kind, money(quantity * unit_price), basis, quantity, unit,
                unit_price.normalize(), f"USD per {e['unit']}", (e["source"],), e["date"])


def usage_based(e: dict[str, Any], basis: str, dead_letters: bool = False,
                then: str = "add usage: to the queue to estimate it") -> Line:
    """A price by use, without hints to estimate it: the unit price, never 0. Dead
    letters are never estimated (no hint says how many messages fail); `then` says how
    an estimate could be had."""
    from decimal import Decimal

    from .lines import Line

    price = Decimal(str(e["price"]))
    then = "dead letters, never estimated" if dead_letters else then
    return Line(DEAD_LETTERS if dead_letters else USAGE_BASED, None,
                f"usage-based: {dollars(price)} per {e['unit']}; {basis}; {then}",
                unit_price=price, price_unit=f"USD per {e['unit']}",
                sources=(e["source"],), date=e["date"])


def plural(n: int, word: str) -> str:
    """1 node, 2 nodes; 1,000 messages."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def chunks(size: int, chunk: int) -> int:
    """How many billed requests one message of `size` bytes is (each started chunk)."""
    return max(1, -(-size // chunk))


def millions(n: int) -> Decimal:
    from decimal import Decimal

    return Decimal(n) / Decimal(1_000_000)


def hours(n: Decimal | int) -> Decimal:
    from decimal import Decimal

    return Decimal(HOURS_PER_MONTH) * Decimal(n)


def count(value: Any) -> int | None:
    """A whole positive number of a graph argument (GiB, nodes, replicas), else None: a
    graph mlinfra did not write may hold 0, -1, 1.5 or true, which price as nothing."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if type(value) is int and value > 0 else None


def missing(r: dict[str, Any], *keys: str) -> list[Line]:
    """[a no-price line] when the resource lacks an argument its price depends on (a graph
    written by another version of mlinfra), else []."""
    args = r["args"]
    absent = [k for k in keys if k not in args]
    if not absent:  # (nearly always: before the import, 10,000 times at 10,000 declarations)
        return []
    from .lines import Line

    return [Line(NO_PRICE, None, f"no price: its {', '.join(absent)} is not in the graph")]


def no_price(what: str, name: str) -> Line:
    """A resource mlinfra has no price for: said, never guessed."""
    from .lines import Line

    read = table(name)["read"]
    return Line(NO_PRICE, None, f"no price in mlinfra's table (read {read}) for {what}; see "
                                "the provider's pricing page")

