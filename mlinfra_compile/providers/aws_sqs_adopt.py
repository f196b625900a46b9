"""Adopting: the reverse of aws_sqs.build, for `mlinfra adopt` (each argument a running
resource holds, read back into the language with its units, or listed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..units import format_size
from .aws_sqs_queue import DLQ_RETENTION, KMS_KEY, MAX_RECEIVES, PROVIDER, TYPE

# Adopting running queues (`mlinfra adopt`): the reverse of `queue`. A queue whose redrive
# policy targets another queue of the state named `<name>-dlq` (as mlinfra names it) is
# one queue with `dead_letter`; what has no field here is listed by the caller, never
# dropped.
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..state import StateResource
    from .adopting import Adopted, Reading

_DLQ_ARGS = ("name", "project", "fifoQueue", "sqsManagedSseEnabled", "kmsMasterKeyId",
             "region", "maxMessageSize", "messageRetentionSeconds", "tags")


def _adopt_fields(a: Reading) -> dict[str, Any]:
    from .adopting import duration

    f: dict[str, Any] = {}
    for key, name in (("delaySeconds", "delay"), ("maxMessageSize", "max_message_size"),
                      ("messageRetentionSeconds", "retention"),
                      ("receiveWaitTimeSeconds", "receive_wait"),
                      ("visibilityTimeoutSeconds", "visibility_timeout")):
        v = a.integer(key, 0)
        if v is not None:
            f[name] = format_size(v) if name == "max_message_size" else duration(v)
    f["fifo"] = a.boolean("fifoQueue")
    if a.boolean("contentBasedDeduplication"):
        f["content_based_deduplication"] = True
    key, sse = a.get("kmsMasterKeyId"), a.boolean("sqsManagedSseEnabled")
    if isinstance(key, str) and key and KMS_KEY.fullmatch(key):
        f["encryption"] = f"kms:{key}"
    elif key:
        a.cannot("kmsMasterKeyId", "not a KMS key id, ARN or alias")
    elif sse:
        f["encryption"] = "managed"
    elif a.given("sqsManagedSseEnabled") is False:
        a.cannot("sqsManagedSseEnabled", "mlinfra encrypts every queue (managed or kms:KEY)")
    if a.given("kmsDataKeyReusePeriodSeconds") not in (None, 300):
        a.cannot("kmsDataKeyReusePeriodSeconds", "mlinfra keeps the SQS default, 300s")
    f["region"] = a.string("region")
    f["labels"] = a.labels("tags")
    f["protect"] = a.r.protect
    return {k: v for k, v in f.items() if v is not None}


def _redrive(q: StateResource) -> tuple[str, Any] | None:
    """(the dead-letter queue's ARN, maxReceiveCount) of a redrive policy."""
    import json

    raw = q.value("redrivePolicy")
    try:
        policy = json.loads(raw) if isinstance(raw, str) and raw else None
    except (ValueError, RecursionError):
        return None
    target = policy.get("deadLetterTargetArn") if isinstance(policy, dict) else None
    return (target, policy.get("maxReceiveCount")) if isinstance(target, str) and \
        isinstance(policy, dict) else None


def _receives(count: Any) -> int | None:
    """maxReceiveCount, a number or a string of one (as AWS's examples write it)."""
    from ..state import number

    if isinstance(count, str) and count.isascii() and count.isdigit() and len(count) < 9:
        count = int(count)
    count = number(count)
    lo, hi = MAX_RECEIVES
    return count if type(count) is int and lo <= count <= hi else None


def _dead_letter_problem(q: StateResource, dlq: StateResource | None, sources: int,
                         same_stack: bool) -> str | None:
    """Why q's dead-letter queue cannot be its `dead_letter` (None: it can)."""
    from ..state import shown

    if dlq is None:
        return "its dead-letter queue is not in the state"
    name, dlq_name = q.value("name"), dlq.value("name")
    fifo = ".fifo" if q.value("fifoQueue") is True else ""
    wanted = f"{str(name).removesuffix(fifo)}-dlq{fifo}"
    keep, source_keep = dlq.value("messageRetentionSeconds"), q.value("messageRetentionSeconds")
    if same_stack:
        return ("a dead-letter queue of the old stack has no alias to mlinfra's "
                "`<queue>-dlq`: adopt it with a new stack, or declare it as its own queue")
    got = _redrive(q)
    if got is not None and _receives(got[1]) is None:
        return (f"maxReceiveCount {shown(got[1])} is not a whole number in "
                f"{MAX_RECEIVES[0]}..{MAX_RECEIVES[1]}")
    if sources != 1 or _redrive(dlq) is not None:
        return f"its dead-letter queue {dlq.name} is also a source or shared"
    if dlq_name != wanted:
        return (f"its dead-letter queue is named {dlq_name}; mlinfra names it {wanted} "
                "(dead_letter), so adopting it so would replace it")
    if isinstance(keep, int | float) and isinstance(source_keep, int | float) \
            and keep < source_keep:
        return "its dead-letter queue keeps messages less long than the queue (MLC510)"
    return None


def _adopt_queue(q: StateResource, dlq: StateResource | None, problem: str | None) -> Adopted:
    from ..state import number
    from .adopting import Adopted, Reading, duration

    a = Reading(q)
    f = _adopt_fields(a)
    got = _redrive(q)
    if got is None and a.given("redrivePolicy") not in (None, ""):
        a.cannot("redrivePolicy", "not a redrive policy (JSON with deadLetterTargetArn)")
    if got is not None and problem is not None:
        a.cannot("redrivePolicy", problem)
    elif got is not None and dlq is not None:
        a.given("redrivePolicy")
        dead: dict[str, Any] = {"max_receives": _receives(got[1])}
        keep = number(dlq.value("messageRetentionSeconds"))
        if isinstance(keep, int) and keep != DLQ_RETENTION:
            dead["retention"] = duration(keep)
        f = {**{k: v for k, v in f.items() if k != "protect"}, "dead_letter": dead,
             "protect": q.protect}
        d = Reading(dlq, _DLQ_ARGS)
        a.missing += [f"its dead-letter queue's {m}" for m in d.rest()]
    generated = {"-dlq": dlq} if dlq is not None and problem is None else {}
    return Adopted("queues", PROVIDER, q, {**f, **a.pulumi_args()}, a.rest(),
                   generated=generated)


def adopt(resources: Sequence[StateResource], same_stack: bool) -> \
        tuple[list[Adopted], dict[str, str]]:
    """Every SQS queue, with its dead-letter queue when mlinfra can name it so."""
    from collections import Counter

    queues = sorted((r for r in resources if r.type == TYPE), key=lambda r: r.urn)
    by_arn = {q.outputs.get("arn"): q for q in queues if q.outputs.get("arn")}
    target = {q.urn: by_arn.get(got[0]) for q in queues if (got := _redrive(q))}
    sources = Counter(d.urn for d in target.values() if d is not None)
    problems = {q.urn: _dead_letter_problem(q, d, sources[d.urn] if d else 0, same_stack)
                for q in queues if q.urn in target for d in [target[q.urn]]}
    dead = {d.urn for urn, d in target.items() if d is not None and problems[urn] is None}
    return [_adopt_queue(q, target.get(q.urn), problems.get(q.urn))
            for q in queues if q.urn not in dead], {}
