"""`mlinfra cost`'s table (cost.cost_pieces) is written a thousand rows at a time: the
heading row and each resource's line are rows, so an estimate of exactly 1,000 resources
is 1,001 rows, the last alone in a second piece. Each row appears once, in order. The
resources are of a type mlinfra has no price table for, so each line is the same
`no-price` line worked out by hand (cost._price) and the totals are $0.00."""

from __future__ import annotations

from mlinfra_compile.cost import cost_pieces, estimate

NOTE = "    no price: mlinfra has no price table for acme:index:Thing"


def row(name: str) -> str:
    # columns: resource (widest "resource", 8), quantity (widest "quantity", 8), unit
    # price (widest "unit price", 10), monthly right-aligned in 11, two spaces between
    return f"{name:<8}  {'-':<8}  {'-':<10}  {'no-price':>11}"


def test_a_thousand_resources_are_two_pieces_and_no_row_twice():
    names = [f"r{i:04d}" for i in range(1000)]
    graph = {"environment": "big",
             "resources": [{"name": n, "type": "acme:index:Thing", "args": {}}
                           for n in names]}
    pieces = list(cost_pieces(estimate(graph)))
    assert len(pieces) == 4
    assert pieces[0].startswith("Estimated monthly cost of big (USD, on-demand list "
                                "prices read ")
    header = "resource  quantity  unit price      monthly"  # ("monthly" in 11)
    first = [header] + [line for n in names[:999] for line in (row(n), NOTE)]
    assert pieces[1] == "\n".join(first) + "\n"
    assert pieces[2] == row("r0999") + "\n" + NOTE + "\n"
    assert pieces[3] == ("\nfixed (by the hour): $0.00\n"
                         "estimated from the queues' usage: none (no queue gives its usage)\n"
                         "total: $0.00/month\n"
                         "not included: 1,000 resources without a price\n")
