"""statediff.match and statediff.baseline on small hand-made checkpoints: which state
resource each compiled one is, and the state written as a graph (the one `diff
--against-state` compares with), every expected value written out by hand.

The rules, from the docstrings (and Pulumi's step_generator.go, "Check the URN first,
then aliases"): a compiled resource is its state resource by its own logical name, else by
a URN among its aliases, else by its import id, else by a logical name among its aliases;
compiled resources take their turn in name order, and a state resource is taken once. A
state resource no compiled one matches keeps its logical name, or, where that is taken,
`<name> (<type>)`, then `<name> (<type> 3)`, ... It is a deletion: its outputs and inputs
are its arguments. A matched one keeps its inputs, with the options the checkpoint cannot
record (delete_before_replace, depends_on) taken from the program."""

from __future__ import annotations

from typing import Any

from mlinfra_compile.state import checkpoint
from mlinfra_compile.statediff import baseline, match

AT = "urn:pulumi:dev::mlinfra::"
Q = "aws:sqs/queue:Queue"
POLICY = "aws:sqs/queuePolicy:QueuePolicy"
TOPIC = "aws:sns/topic:Topic"
COMPONENT = "mlinfra:index:Group"


def _state(*resources: dict[str, Any]) -> Any:
    return checkpoint({"version": 3, "deployment": {"resources": list(resources)}},
                      "state.json")


def _live(rtype: str, name: str, ident: str, inputs: dict[str, Any] | None = None,
          outputs: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    return {"urn": f"{AT}{rtype}::{name}", "type": rtype, "custom": True, "id": ident,
            "inputs": inputs or {}, "outputs": outputs or {}, **more}


def _compiled(name: str, rtype: str = Q, args: dict[str, Any] | None = None,
              **options: Any) -> dict[str, Any]:
    return {"name": name, "type": rtype, "args": args or {}, "options": options}


def _graph(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"format": "mlinfra.graph/v1", "environment": "dev", "profile": "development",
            "resources": list(resources), "outputs": {"jobs": {"url": "u"}}}


def test_each_pass_matches_in_name_order_and_takes_a_state_resource_once():
    cp = _state(_live(Q, "jobs", "q-1"), _live(Q, "shared", "q-2"),
                _live(Q, "legacy", "q-3"), _live(Q, "before", "q-4"))
    compiled = [
        _compiled("jobs"),                                     # its own name
        _compiled("d", aliases=[f"{AT}{Q}::shared"]),          # d and c both alias shared:
        _compiled("c", aliases=[f"{AT}{Q}::shared"]),          # c comes first by name
        _compiled("imported", **{"import": "q-3"}),            # by its import id
        _compiled("after", aliases=["before"]),                # by a name alias
        _compiled("again", aliases=["jobs"]),                  # jobs is taken already
        _compiled("other-type", TOPIC, aliases=["legacy"]),    # a name alias is per type
    ]
    assert {k: s.urn for k, s in match(cp, compiled).items()} == {
        "jobs": f"{AT}{Q}::jobs", "c": f"{AT}{Q}::shared",
        "imported": f"{AT}{Q}::legacy", "after": f"{AT}{Q}::before"}


def test_a_compiled_resource_without_options_matches_by_its_name():
    cp = _state(_live(Q, "jobs", "q-1", {"name": "jobs"}))
    plain = {"name": "jobs", "type": Q, "args": {"name": "jobs"}}
    assert {k: s.urn for k, s in match(cp, [plain]).items()} == {"jobs": f"{AT}{Q}::jobs"}
    old, running = baseline(cp, {**_graph(plain), "outputs": {}})
    assert old["resources"] == [{"name": "jobs", "type": Q, "args": {"name": "jobs"},
                                 "options": {"protect": False},
                                 "source": f"{AT}{Q}::jobs"}]
    assert running == {}


def test_the_baseline_document_of_matched_and_left_over_state_resources():
    cp = _state(
        _live(Q, "jobs", "https://sqs/jobs", {"name": "jobs", "delaySeconds": 0.0},
              {"arn": "arn:jobs", "url": "https://sqs/jobs"}, protect=True),
        _live(POLICY, "jobs", "pol-1", {"queueUrl": "https://sqs/jobs"}),
        _live(TOPIC, "orphan", "arn:orphan", {"name": "orphan"}, {"arn": "arn:orphan"}))
    new = _graph(_compiled("jobs", args={"name": "jobs", "delay_seconds": 0},
                           depends_on=["net"], delete_before_replace=True, protect=False))
    old, _ = baseline(cp, new)
    assert old == {"format": "mlinfra.graph/v1", "environment": "dev",
                   "profile": "development", "outputs": {}, "resources": [
        {"name": "jobs", "type": Q, "args": {"delay_seconds": 0, "name": "jobs"},
         "options": {"protect": True, "delete_before_replace": True, "depends_on": ["net"]},
         "source": f"{AT}{Q}::jobs"},
        {"name": f"jobs ({POLICY})", "type": POLICY,
         "args": {"queue_url": "https://sqs/jobs"}, "options": {"protect": False},
         "source": f"{AT}{POLICY}::jobs"},
        {"name": "orphan", "type": TOPIC, "args": {"arn": "arn:orphan", "name": "orphan"},
         "options": {"protect": False}, "source": f"{AT}{TOPIC}::orphan"}]}


def test_two_left_over_resources_of_one_name_take_two_names():
    cp = _state(_live(TOPIC, "orphan", "arn:orphan"), _live(POLICY, "orphan", "pol-2"))
    old, running = baseline(cp, _graph())
    assert [(r["name"], r["source"]) for r in old["resources"]] == [
        ("orphan", f"{AT}{TOPIC}::orphan"),
        (f"orphan ({POLICY})", f"{AT}{POLICY}::orphan")]
    assert running == {}


def test_a_third_resource_of_one_name_and_type_is_numbered():
    # two more queues named `jobs`, under components (a URN holds its parents' type
    # chain, so theirs differ), besides the matched one; names sort " 3)" before ")"
    first, second = f"{AT}{COMPONENT}${Q}::jobs", f"{AT}{COMPONENT}${COMPONENT}${Q}::jobs"
    cp = _state(_live(Q, "jobs", "q-0"),
                {**_live(Q, "jobs", "q-1"), "urn": first, "parent": f"{AT}{COMPONENT}::g"},
                {**_live(Q, "jobs", "q-2"), "urn": second, "parent": f"{AT}{COMPONENT}::h"})
    old, _ = baseline(cp, _graph(_compiled("jobs")))
    assert [(r["name"], r["source"]) for r in old["resources"]] == [
        ("jobs", f"{AT}{Q}::jobs"), (f"jobs ({Q} 3)", second), (f"jobs ({Q})", first)]


def test_a_reference_to_a_resource_the_state_lacks_keeps_the_state_s_value():
    # the dead-letter queue is new (not in the state): the policy's old URL stays, so the
    # difference shows
    cp = _state(_live(POLICY, "jobs-policy", "pol-1", {"queueUrl": "https://sqs/old"}))
    new = _graph({"name": "jobs-policy", "type": POLICY,
                  "args": {"queue_url": {"$ref": "jobs-dlq", "attr": "url"}}})
    old, _ = baseline(cp, new)
    assert old["resources"] == [{"name": "jobs-policy", "type": POLICY,
                                 "args": {"queue_url": "https://sqs/old"},
                                 "options": {"protect": False},
                                 "source": f"{AT}{POLICY}::jobs-policy"}]


def test_a_default_the_state_names_but_does_not_hold_is_no_error():
    # checkpoint() takes any `__defaults` list; one naming an input the state does not
    # hold (visibilityTimeoutSeconds) leaves nothing to drop; the one it holds
    # (messageRetentionSeconds), which the program does not set, is dropped.
    cp = _state(_live(Q, "jobs", "q-1", {
        "name": "jobs", "messageRetentionSeconds": 345600,
        "__defaults": ["visibilityTimeoutSeconds", "messageRetentionSeconds"]}))
    old, _ = baseline(cp, _graph(_compiled("jobs", args={"name": "jobs"})))
    assert old["resources"][0]["args"] == {"name": "jobs"}
