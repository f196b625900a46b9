"""What a month of a Pub/Sub queue costs (COSTS): the bytes published to its topics and
delivered by its subscriptions, at prices/gcp_pubsub.json's rate; IAM members are free."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from . import pricing
from .gcp_pubsub_changes import SUBSCRIPTION, SUBSCRIPTION_IAM, TOPIC, TOPIC_IAM

if TYPE_CHECKING:
    from . import lines


# What a month costs (prices/gcp_pubsub.json, with its source): throughput.
# Publishing and each subscription's delivery are billed by the TiB, at least 1000 bytes a
# request ("Pub/Sub pricing"); mlinfra counts one message a request (batching lowers it).
# Topics and subscriptions cost nothing to exist; the first 10 GiB a month of a billing
# account are free (not deducted). TiB = 2**40 bytes.
MIN_REQUEST_BYTES = 1000
FREE = "the first 10 GiB a month per billing account are free, not deducted"


def _entry() -> dict[str, Any]:
    e = pricing.entry("gcp_pubsub", charge="throughput")
    assert e is not None  # (one global price)
    return e


@cache
def _unestimated(what: str, dead_letters: bool) -> lines.Line:
    """The line of a topic or subscription without usage hints: the same for each of
    them (made once, not for each of the 12,500 of a plan of 10,000 declarations)."""
    return pricing.usage_based(_entry(), f"bytes {what}, at least 1000 a request; {FREE}",
                               dead_letters)


def _throughput(r: dict[str, Any], g: lines.Priced, what: str) -> list[lines.Line]:
    from decimal import Decimal

    u = g.usage(r["name"])
    if u is None:
        return [_unestimated(what, _dead_letters(r, g))]
    e = _entry()
    billed = max(u.size, MIN_REQUEST_BYTES)
    tib = Decimal(u.messages * billed) / Decimal(2**40)
    return [pricing.per(e, e["price"], tib, "TiB", pricing.USAGE,
                        f"{pricing.plural(u.messages, 'message')} x {billed:,} bytes "
                        f"{what}, one message a request (at least 1000 bytes each); {FREE}")]


def _published(r: dict[str, Any], g: lines.Priced) -> list[lines.Line]:
    return _throughput(r, g, "published")


def _delivered(r: dict[str, Any], g: lines.Priced) -> list[lines.Line]:
    return _throughput(r, g, "delivered")


def _dead_letters(r: dict[str, Any], g: lines.Priced) -> bool:
    """A dead-letter topic (some subscription's dead_letter_policy names it), or the
    subscription that keeps what one receives (an index of the graph, built once per
    estimate)."""
    topic = pricing.dig(r["args"], "topic", "$ref") if r["type"] == SUBSCRIPTION \
        else r["name"]
    return isinstance(topic, str) and topic in g.referred(SUBSCRIPTION, "dead_letter_policy",
                                                          "dead_letter_topic", "$ref")


COSTS: dict[str, pricing.Pricer] = {
    TOPIC: _published,
    SUBSCRIPTION: _delivered,
    **{t: pricing.free("an IAM binding (Pub/Sub bills throughput; \"other operations are "
                       "free\")") for t in (TOPIC_IAM, SUBSCRIPTION_IAM)},
}
