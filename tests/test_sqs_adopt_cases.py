"""`mlinfra adopt` of SQS queues with dead-letter queues, one condition at a time: each case
is two running queues (inputs as `pulumi stack export` records them, camelCase; the ARN
an output) and, worked out by hand, whether the pair becomes one queue with
`dead_letter` or the redrive policy is listed, and why.

Shapes (pulumi-aws sqs.Queue docstring, AWS SQS "Using dead-letter queues"): the redrive
policy is JSON {"deadLetterTargetArn", "maxReceiveCount"}, a count of 1..1,000; a FIFO
queue's name and its dead-letter queue's end in .fifo; mlinfra names the dead-letter queue
`<queue>-dlq` (`<queue>-dlq.fifo` for FIFO) and keeps it at least as long as the queue."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mlinfra_compile.providers import aws_sqs_adopt
from mlinfra_compile.state import StateResource

TYPE = "aws:sqs/queue:Queue"
ARN = "arn:aws:sqs:us-east-1:123456789012:"


def queue(name: str, *, redrive_to: str | None = None, receives: Any = 5,
          **inputs: Any) -> StateResource:
    if redrive_to is not None:
        inputs["redrivePolicy"] = json.dumps({"deadLetterTargetArn": ARN + redrive_to,
                                              "maxReceiveCount": receives})
    return StateResource(urn=f"urn:pulumi:dev::p::{TYPE}::{name}", type=TYPE,
                         outputs={"arn": ARN + name}, id=f"https://sqs/{name}",
                         inputs={"name": name, **inputs})


def adopt(*resources: StateResource) -> dict[str, tuple[dict[str, Any], list[str]]]:
    adopted, left = aws_sqs_adopt.adopt(list(resources), False)
    assert left == {}
    return {a.own.value("name"): ({k: v for k, v in a.fields.items()
                                        if k not in ("protect", "region", "labels")},
                                       a.missing) for a in adopted}


def listed(missing: list[str], why: str) -> bool:
    """The redrive policy is listed once, with `why` (after its value, cut short)."""
    (line,) = [m for m in missing if m.startswith("redrivePolicy = ")]
    return line.endswith(": " + why)


def test_a_queue_and_its_dlq_named_as_mlinfra_names_it_are_one_queue():
    got = adopt(queue("jobs", redrive_to="jobs-dlq"), queue("jobs-dlq"))
    assert got == {"jobs": ({"dead_letter": {"max_receives": 5}}, [])}


def test_a_fifo_queue_and_its_fifo_dlq_are_one_queue():
    got = adopt(queue("jobs.fifo", redrive_to="jobs-dlq.fifo", fifoQueue=True),
                queue("jobs-dlq.fifo", fifoQueue=True))
    assert got == {"jobs.fifo": ({"fifo": True, "dead_letter": {"max_receives": 5}}, [])}


def test_a_fifo_dlq_named_otherwise_is_listed_with_the_name_mlinfra_gives():
    got = adopt(queue("jobs.fifo", redrive_to="jobs.fifo-dlq", fifoQueue=True),
                queue("jobs.fifo-dlq", fifoQueue=True))
    assert listed(got["jobs.fifo"][1],
                  "its dead-letter queue is named jobs.fifo-dlq; mlinfra names it "
                  "jobs-dlq.fifo (dead_letter), so adopting it so would replace it")


def test_a_standard_queue_ending_in_fifo_keeps_its_name():
    # (only a FIFO queue's .fifo is a suffix mlinfra moves)
    got = adopt(queue("x.fifo", redrive_to="x.fifo-dlq"), queue("x.fifo-dlq"))
    assert got["x.fifo"][0]["dead_letter"] == {"max_receives": 5}


def test_a_dlq_not_in_the_state_is_listed():
    got = adopt(queue("jobs", redrive_to="elsewhere"))
    assert listed(got["jobs"][1], "its dead-letter queue is not in the state")


@pytest.mark.parametrize(("dlq_keeps", "verdict"), [
    (86400, None),  # as long as the queue: adopted
    (86399, "its dead-letter queue keeps messages less long than the queue (MLC510)"),
], ids=["as-long", "shorter"])
def test_a_dlq_keeping_messages_less_long_than_its_queue_is_listed(dlq_keeps, verdict):
    got = adopt(queue("jobs", redrive_to="jobs-dlq", messageRetentionSeconds=86400),
                queue("jobs-dlq", messageRetentionSeconds=dlq_keeps))
    if verdict is None:
        assert got["jobs"][0]["dead_letter"] == {"max_receives": 5, "retention": "1d"}
    else:
        assert listed(got["jobs"][1], verdict)


def test_a_dlq_with_a_dlq_of_its_own_is_listed():
    got = adopt(queue("jobs", redrive_to="jobs-dlq"),
                queue("jobs-dlq", redrive_to="last"), queue("last"))
    assert listed(got["jobs"][1], "its dead-letter queue jobs-dlq is also a source or shared")


@pytest.mark.parametrize(("receives", "read"), [
    (1, 1), (1000, 1000), ("5", 5), (0, None), (1001, None), ("12345678", None), (2.5, None),
])
def test_the_receive_count_is_read_within_1_to_1000(receives, read):
    got = adopt(queue("jobs", redrive_to="jobs-dlq", receives=receives), queue("jobs-dlq"))
    if read is not None:
        assert got["jobs"][0]["dead_letter"] == {"max_receives": read}
    else:
        assert listed(got["jobs"][1], f"maxReceiveCount {receives} is not a whole number "
                                      "in 1..1000")
