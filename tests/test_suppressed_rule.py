"""changes.suppressed: a change rule with the provider's own equality (`same`, a Terraform
DiffSuppressFunc or a default the provider fills in) added, and every other part of the
rule kept as it was: its verdict, source, reason, the function that decides between
verdicts, the verdicts it can give and whether an update waits for a maintenance window."""

from __future__ import annotations

from mlinfra_compile.providers.changes import Outcome, Rule, Step, classify, suppressed, unchanged


def decide(step: Step) -> Outcome:
    return Outcome("refused" if step.new < step.old else "update", "a downgrade is refused")


def in_window(step: Step) -> bool:
    return True


def same_case(step: Step) -> bool:
    return str(step.old).lower() == str(step.new).lower()


def test_suppressed_keeps_every_part_of_the_rule_and_adds_same():
    rule = Rule("update", "provider.go l.12", "changes in place", decide, ("update", "refused"),
                in_window)
    assert suppressed(rule, same_case) == Rule(
        verdict="update", source="provider.go l.12", why="changes in place", decide=decide,
        verdicts=("update", "refused"), deferred=in_window, same=same_case)


def test_a_suppressed_rule_decides_as_before_and_sees_equal_values_as_no_change():
    table = {"t:m:T": {"version": suppressed(
        Rule("update", "provider.go l.12", decide=decide, verdicts=("update", "refused"),
             deferred=in_window), same_case)}}
    up = Step("version", "v1", "v2", {"version": "v1"}, {"version": "v2"})
    down = Step("version", "v2", "v1", {"version": "v2"}, {"version": "v1"})
    case = Step("version", "v1", "V1", {"version": "v1"}, {"version": "V1"})
    assert [classify(table, "t:m:T", s) for s in (up, down)] == [
        (Outcome("update", "a downgrade is refused"), True),
        (Outcome("refused", "a downgrade is refused"), False)]
    assert [unchanged(table, "t:m:T", s) for s in (up, case)] == [False, True]
