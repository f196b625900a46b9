"""Adopting a hand-written program's resources (issue 25, points 1 and 2): previous_names
takes any Pulumi logical name and whole URNs, both become aliases; `labels: {KEY: null}`
removes a label mlinfra adds, visibly.

The URN form is Pulumi's: urn:pulumi:STACK::PROJECT::TYPE::NAME (Pulumi docs, "Resource
names and URNs"); the logical names are the reference programs' own
(`aws.sqs.Queue("mlTrainingQueue")`, `gcp.pubsub.Subscription("mlTrainingSubscription")`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest

from mlinfra_compile.backends import pulumi_program as backend
from tests.golden import run_cli
from tests.test_pulumi_backend import RecordingMocks, graph_of

QUEUE_URN = "urn:pulumi:prod::ml-infra::aws:sqs/queue:Queue::mlTrainingQueue"


def compile_text(tmp_path: Path, text: str) -> tuple[int, dict | None, str]:
    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / "environments" / "main.yaml").write_text(text)
    rc, out, err = run_cli(tmp_path, "compile", "main")
    return rc, json.loads(out) if rc == 0 else None, err


def options(graph: dict) -> dict[str, dict]:
    return {r["name"]: r["options"] for r in graph["resources"]}


def test_a_logical_name_aliases_every_resource_of_the_declaration(tmp_path):
    rc, graph, err = compile_text(tmp_path, "providers: {aws: {region: us-east-1}}\n"
                                  "queues:\n  ml-training-queue:\n"
                                  "    previous_names: [mlTrainingQueue]\n"
                                  "    dead_letter: {max_receives: 5}\n")
    assert rc == 0, err
    assert graph is not None
    opts = options(graph)
    assert opts["ml-training-queue"]["aliases"] == ["mlTrainingQueue"]
    assert opts["ml-training-queue-dlq"]["aliases"] == ["mlTrainingQueue-dlq"]


def test_a_urn_aliases_the_declarations_own_resource_only(tmp_path):
    # a URN names one resource of one type: its dead-letter queue was never that URN
    rc, graph, err = compile_text(tmp_path, "providers: {aws: {region: us-east-1}}\n"
                                  "queues:\n  ml-training-queue:\n"
                                  f"    previous_names: ['{QUEUE_URN}']\n"
                                  "    dead_letter: {max_receives: 5}\n")
    assert rc == 0, err
    assert graph is not None
    opts = options(graph)
    assert opts["ml-training-queue"]["aliases"] == [QUEUE_URN]
    assert "aliases" not in opts["ml-training-queue-dlq"]


def test_a_subscription_keeps_its_own_previous_name(tmp_path):
    rc, graph, err = compile_text(
        tmp_path, "providers: {gcp: {project: acme-ml, region: us-central1}}\n"
        "queues:\n  ml-training:\n    previous_names: [mlTrainingTopic]\n"
        "    subscriptions:\n      default: {previous_names: [mlTrainingSubscription]}\n")
    assert rc == 0, err
    assert graph is not None
    opts = options(graph)
    assert opts["ml-training"]["aliases"] == ["mlTrainingTopic"]
    # (the key default is the `<queue>-sub` a queue without subscriptions has) the
    # queue's old name reaches its subscription too, then the subscription's own
    assert opts["ml-training-sub"]["aliases"] == ["mlTrainingTopic-sub",
                                                      "mlTrainingSubscription"]


@pytest.mark.parametrize("bad", ["a::b", "urn:pulumi:prod", "tab\there", "x" * 257,
                                 "urn:pulumi:prod::p::aws:sqs/queue:Queue::" + "x" * 257])
def test_what_is_no_name_is_refused(tmp_path, bad):
    rc, _, err = compile_text(tmp_path, "providers: {aws: {region: us-east-1}}\n"
                              f"queues:\n  jobs: {{previous_names: [{json.dumps(bad)}]}}\n")
    assert rc == 1 and "[MLC205]" in err and "a previous name (an earlier" in err


def test_a_previous_name_a_current_resource_has_is_refused(tmp_path):
    # jobs-dlq is a resource of this stack: an alias to it would make two of one
    rc, _, err = compile_text(tmp_path, "providers: {aws: {region: us-east-1}}\n"
                              "queues:\n  jobs: {dead_letter: {max_receives: 5}}\n"
                              "  work: {previous_names: [jobs-dlq]}\n")
    assert rc == 1
    assert "'jobs-dlq' is a current resource; a previous name must be one no longer in " \
           "use [MLC405]" in err


@pulumi.runtime.test
def test_urn_and_logical_aliases_reach_pulumi(tmp_path):
    pulumi.runtime.set_mocks(RecordingMocks(), project="mlinfra", stack="test",
                             preview=False)
    graph = graph_of(tmp_path, f"""\
        providers: {{aws: {{region: us-east-1}}}}
        queues:
          ml-training-queue: {{previous_names: [mlTrainingQueue, '{QUEUE_URN}']}}
        """)
    built = backend.materialize(graph)
    assert len(built["ml-training-queue"]._aliases) == 2

    def check(urns):
        # the logical name, in this stack and project; the URN, as written
        assert urns[0].endswith("::aws:sqs/queue:Queue::mlTrainingQueue")
        assert urns[0].startswith("urn:pulumi:test::mlinfra::")
        assert urns[1] == QUEUE_URN

    return pulumi.Output.all(*built["ml-training-queue"]._aliases).apply(check)


# --- labels: {KEY: null} ------------------------------------------------------------------

LABELLED = ("providers: {gcp: {project: acme-ml, region: us-central1}}\n"
            "labels: {team: ml%s}\n"
            "session_stores:\n  cache: {%s}\n")


@pytest.mark.parametrize("env_labels, decl, expected", [
    ("", "", {"environment": "main", "managed-by": "mlinfra", "team": "ml"}),
    (", managed-by: null", "", {"environment": "main", "team": "ml"}),
    (", environment: null, managed-by: null", "", {"team": "ml"}),
    ("", "labels: {environment: null}", {"managed-by": "mlinfra", "team": "ml"}),
])
def test_null_removes_a_label_mlinfra_adds(tmp_path, env_labels, decl, expected):
    rc, graph, err = compile_text(tmp_path, LABELLED % (env_labels, decl))
    assert rc == 0, err
    assert graph is not None
    assert graph["resources"][0]["args"]["labels"] == expected


def test_the_removal_shows_in_plan(tmp_path):
    compile_text(tmp_path, LABELLED % (", managed-by: null", ""))
    rc, out, _ = run_cli(tmp_path, "plan", "main")
    assert rc == 0
    line = next(x for x in out.splitlines() if x.strip().startswith("labels"))
    assert '{environment: "main", team: "ml"}' in line
    assert line.endswith("derived    environment labels + declaration labels + environment; "
                         "without managed-by (removed by `labels: {KEY: null}`)")


def test_a_value_for_a_label_mlinfra_adds_is_still_refused(tmp_path):
    rc, _, err = compile_text(tmp_path, LABELLED % (", managed-by: terraform", ""))
    assert rc == 1
    assert "label 'managed-by' is set by mlinfra on every resource and cannot be " \
           "overridden (`null` removes it) [MLC311]" in err


def test_a_urn_of_another_type_is_refused(tmp_path):
    # (review) an alias keeps a resource of one type: a Pub/Sub topic is no SQS queue
    urn = "urn:pulumi:prod::ml-infra::gcp:pubsub/topic:Topic::mlTrainingTopic"
    rc, _, err = compile_text(tmp_path, "providers: {aws: {region: us-east-1}}\n"
                              f"queues:\n  jobs: {{previous_names: ['{urn}']}}\n")
    assert rc == 1
    assert (f"'{urn}' is of type gcp:pubsub/topic:Topic, but jobs is of type "
            "aws:sqs/queue:Queue: an alias keeps a resource of the same type [MLC405]") in err
    # a child's URN names its parent's type first: its own type is after the last $
    child = "urn:pulumi:prod::p::my:index:Component$aws:sqs/queue:Queue::jobs-old"
    rc, _, err = compile_text(tmp_path, "providers: {aws: {region: us-east-1}}\n"
                              f"queues:\n  jobs: {{previous_names: ['{child}']}}\n")
    assert rc == 0, err
