"""cost._price on a graph mlinfra did not write (the one a stack reports it deployed):
a resource whose `args` is not a mapping makes its service's pricer raise, and the
estimate gives it one no-price line with a fixed reason instead of a traceback; a type
with no price table gets the other no-price line. Both are left out of the total and
counted as "without a price". Every expected value below is written out by hand."""

from __future__ import annotations

from mlinfra_compile.cost import Item, cost_json, estimate, total_text
from mlinfra_compile.providers.lines import Line
from tests.golden import graph_doc, resource_doc

NOT_WRITTEN = Line("no-price", None, "no price: its arguments are not ones mlinfra writes")


def _doc() -> dict:
    # args None: the SQS pricer asks `"x" in args` (TypeError); args a list: the SNS
    # pricer asks args.get (AttributeError); both are caught by _price
    queue = {**resource_doc("q", "aws:sqs/queue:Queue", {}), "args": None}
    topic = {**resource_doc("t", "aws:sns/topic:Topic", {}), "args": []}
    thing = resource_doc("z", "acme:index:Thing", {})
    return graph_doc(queue, topic, thing)


def test_arguments_mlinfra_does_not_write_give_one_no_price_line():
    e = estimate(_doc())
    assert e.items == (
        Item("q", "aws:sqs/queue:Queue", (NOT_WRITTEN,)),
        Item("t", "aws:sns/topic:Topic", (NOT_WRITTEN,)),
        Item("z", "acme:index:Thing", (
            Line("no-price", None, "no price: mlinfra has no price table for "
                                   "acme:index:Thing"),)),
    )
    assert [(i.kind, i.monthly, i.basis) for i in e.items[:2]] == [
        ("no-price", None, "no price: its arguments are not ones mlinfra writes")] * 2


def test_they_are_left_out_of_the_total_as_without_a_price():
    e = estimate(_doc())
    assert total_text(e) == ("$0.00/month for the resources mlinfra has prices for "
                             "(not included: 3 resources without a price)")
    assert [i.name for i in e.open("no-price")] == ["q", "t", "z"]


def test_the_json_report_names_the_reason():
    import json

    doc = json.loads(cost_json(estimate(_doc())))
    assert doc["total_monthly"] == 0.0
    assert doc["resources"] == [
        {"name": "q", "type": "aws:sqs/queue:Queue", "monthly": None,
         "basis": "no price: its arguments are not ones mlinfra writes"},
        {"name": "t", "type": "aws:sns/topic:Topic", "monthly": None,
         "basis": "no price: its arguments are not ones mlinfra writes"},
        {"name": "z", "type": "acme:index:Thing", "monthly": None,
         "basis": "no price: mlinfra has no price table for acme:index:Thing"},
    ]
