"""What happens to a deployed resource when one of its arguments changes.

Each provider service keeps a table `CHANGES: {resource type: {argument: Rule}}` beside the
facts it cites; `diff` looks every changed argument up there. A rule's verdict is one of:
- "update": the provider changes the resource in place;
- "replace": the provider destroys it and creates a new one (ForceNew in the Terraform
  provider that the Pulumi SDK bridges, `immutable: true` in magic-modules);
- "refused": the provider would send an update that the cloud API rejects, so neither
  `pulumi up` nor a replacement happens; the way out is in the rule's reason;
- "may-replace": the argument has no rule (an SDK argument passed with `pulumi_args`
  that no table lists), so mlinfra cannot know; treated as a replacement for safety.
Some verdicts depend on both sides of the change (a version downgrade, TLS on an old
engine): those rules carry a `decide` function that sees the old and the new arguments.
An argument with no rule may replace: a missing fact must never read as safe.
A rule may also carry `same`, the provider's own equality (a Terraform DiffSuppressFunc,
or a default the provider fills in): two values it calls the same are no change at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

Verdict = Literal["update", "replace", "refused", "may-replace"]
VERDICTS: tuple[Verdict, ...] = ("update", "replace", "refused", "may-replace")


class Step(NamedTuple):
    """One changed argument, with both sides of the resource it belongs to."""

    key: str
    old: Any
    new: Any
    old_args: dict[str, Any]
    new_args: dict[str, Any]
    # What the deployed resource reports it runs (deploy reads it from the stack, e.g.
    # ElastiCache engine_version_actual); empty when comparing with a git ref.
    running: Mapping[str, Any] = MappingProxyType({})


class Outcome(NamedTuple):
    verdict: Verdict
    why: str = ""


class Rule(NamedTuple):
    """The verdict for one argument and the source it was read from. `verdicts` lists
    every verdict `decide` can give (for the table test); `deferred` says whether an
    in-place change waits for the resource's maintenance window."""

    verdict: Verdict
    source: str
    why: str = ""
    decide: Callable[[Step], Outcome] | None = None
    verdicts: tuple[Verdict, ...] = ()
    deferred: Callable[[Step], bool] | None = None
    same: Callable[[Step], bool] | None = None

    def outcome(self, step: Step) -> Outcome:
        if self.decide is not None:
            return self.decide(step)
        return Outcome(self.verdict, self.why)

    def possible(self) -> tuple[Verdict, ...]:
        return self.verdicts or (self.verdict,)


def in_place(source: str, deferred: Callable[[Step], bool] | None = None) -> Rule:
    return Rule("update", source, deferred=deferred)


def replaces(source: str, why: str = "forces replacement") -> Rule:
    return Rule("replace", source, why)


def suppressed(rule: Rule, same: Callable[[Step], bool]) -> Rule:
    """`rule`, for values the provider does not call the same."""
    return Rule(rule.verdict, rule.source, rule.why, rule.decide, rule.verdicts,
                rule.deferred, same)


def depends(source: str, decide: Callable[[Step], Outcome], *verdicts: Verdict,
            deferred: Callable[[Step], bool] | None = None) -> Rule:
    return Rule(verdicts[0], source, decide=decide, verdicts=verdicts, deferred=deferred)


ChangeTable = dict[str, dict[str, Rule]]

# pulumi-aws 7 bridges terraform-provider-aws 6, where every regional resource takes
# `region` as its own argument: "Changing the value of `region` will force resource
# replacement" (terraform-provider-aws website/docs/guides/enhanced-region-support.html.markdown,
# "How region works").
AWS_REGION = replaces("terraform-provider-aws 6 enhanced region support: region is ForceNew "
                      "on every regional resource",
                      "a resource in another region is a new resource")
# Every resource of terraform-provider-google takes `project` ForceNew (magic-modules
# generates `project` as an immutable URL parameter; handwritten resources mark it
# ForceNew).
GCP_PROJECT = replaces("terraform-provider-google: project is ForceNew on every resource",
                       "a resource in another project is a new resource")
UNCLASSIFIED = Outcome("may-replace", "mlinfra does not model this argument; the provider "
                                      "may replace the resource to change it (not in "
                                      "mlinfra's table of change rules)")


def unchanged(table: ChangeTable, rtype: str, step: Step) -> bool:
    """Whether the provider sees no change between the two values (its own equality)."""
    rule = table.get(rtype, {}).get(step.key)
    return rule is not None and rule.same is not None and rule.same(step)


def classify(table: ChangeTable, rtype: str, step: Step) -> tuple[Outcome, bool]:
    """(verdict and reason, deferred to the maintenance window?) for one changed argument."""
    rule = table.get(rtype, {}).get(step.key)
    if rule is None:
        return UNCLASSIFIED, False
    outcome = rule.outcome(step)
    deferred = outcome.verdict == "update" and rule.deferred is not None \
        and rule.deferred(step)
    return outcome, deferred
