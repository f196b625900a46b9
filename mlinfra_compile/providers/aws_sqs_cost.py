"""What a month of an SQS queue costs (COSTS): its requests, at the rates of
prices/aws_sqs.json (with the costs of the policies and SNS fan-out resources it makes)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from ..units import KIB
from . import aws_access, aws_sns, pricing
from .aws_sqs_queue import TYPE

if TYPE_CHECKING:
    from . import lines


# What a month costs (prices/aws_sqs.json, each entry with its source): requests.
# Each 64 KiB chunk of a message is a request ("Amazon SQS pricing"); mlinfra counts three
# a message, sending, receiving and deleting it (on a fan-out SNS's delivery is the send:
# "No charge for deliveries to SQS Queues. Standard SQS pricing applies"). Empty receives
# are not counted. The first million requests a month are free once per account: said,
# not deducted from any one queue.
REQUESTS_PER_MESSAGE = 3
CHUNK = 64 * KIB
FREE_REQUESTS = ("the first million requests a month per account are free (not deducted); "
                 "the first-tier price, up to 100 billion requests a month")


def _monthly(r: dict[str, Any], g: lines.Priced) -> list[lines.Line]:
    a = r["args"]
    gone = pricing.missing(r, "region")
    if gone:
        return gone
    kind, region = "fifo" if a.get("fifo_queue") else "standard", str(a["region"])
    e = pricing.entry("aws_sqs", queue=kind, region=region)
    if e is None:
        return [pricing.no_price(f"SQS {kind} queues in {region}", "aws_sqs")]
    u = g.usage(r["name"])
    if u is None:
        return [_unestimated(kind, region, _dead_letters(r["name"], g))]
    chunks = pricing.chunks(u.size, CHUNK)
    n = u.messages * chunks * REQUESTS_PER_MESSAGE
    per_64 = f" x {chunks} chunks of 64 KiB" if chunks > 1 else ""
    return [pricing.per(e, e["price"], pricing.millions(n), "million requests", pricing.USAGE,
                        f"{pricing.plural(u.messages, 'message')}{per_64} x "
                        f"{REQUESTS_PER_MESSAGE} (send, "
                        f"receive, delete) = {n:,} requests; {FREE_REQUESTS}")]


@cache
def _unestimated(kind: str, region: str, dead_letters: bool) -> lines.Line:
    """The line of a queue without usage hints: the same for each queue of a kind and
    region (made once, not for each of the 5,000 of a plan of 10,000 declarations)."""
    e = pricing.entry("aws_sqs", queue=kind, region=region)
    assert e is not None  # (_monthly asked first)
    return pricing.usage_based(e, f"{REQUESTS_PER_MESSAGE} requests a message (send, "
                                  f"receive, delete), one per 64 KiB; {FREE_REQUESTS}",
                               dead_letters)


def _dead_letters(name: str, g: lines.Priced) -> bool:
    """Some queue's redrive policy sends its failed messages to `name` (an index of the
    graph, built once per estimate)."""
    return name in g.referred(TYPE, "redrive_policy", "$json", "deadLetterTargetArn", "$ref")


COSTS: dict[str, pricing.Pricer] = {TYPE: _monthly, **aws_access.COSTS, **aws_sns.COSTS}
