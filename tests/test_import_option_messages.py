"""`import` (resource_options.apply_imports, import_problem), read whole: each MLC324
message as lint prints it, every name of an import map checked (one unknown name does not
hide the next), and a subscription's import applied when its queue imports nothing.
Lines and columns are counted by hand in the YAML written here (HEAD is five lines)."""

from __future__ import annotations

import json
import textwrap

HEAD = ("providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
        "  aws: {region: us-east-1}\ndefault_provider: gcp\nqueues:\n")


def lint(repo, queues: str) -> list[str]:
    repo.write("main.yaml", HEAD + textwrap.indent(textwrap.dedent(queues), "  "))
    _, out, _ = repo.run("lint")
    return [line for line in out.splitlines() if line.startswith("environments/")]


def test_every_name_of_an_import_map_is_checked_and_an_unknown_one_named_without_a_hint(repo):
    # `dlq` is like no resource of jobs (difflib's ratio with jobs-dlq is 2*3/11 < 0.6):
    # no "did you mean"; `jobs`, sorted after it, is still checked.
    out = lint(repo, """\
        jobs:
          provider: aws
          name: jobs
          dead_letter: true
          import:
            dlq: x
            jobs: https://sqs.eu-west-1.amazonaws.com/123456789012/jobs
        """)
    assert out == [
        "environments/main.yaml:11:7: error: queues.jobs.import.dlq: 'dlq' is not a "
        "resource of jobs; its resources: jobs, jobs-dlq [MLC324]",
        "environments/main.yaml:12:7: error: queues.jobs.import.jobs: the id is of region "
        "'eu-west-1', but jobs's region is 'us-east-1': Pulumi would import it and then "
        "replace or fail; make them agree [MLC324]"]


def test_a_resource_mlinfra_does_not_import_names_every_kind_it_does(repo):
    # The kinds: the `what` of each type mlinfra imports (providers.IMPORT_IDS), sorted.
    out = lint(repo, """\
        evs:
          name: evs
          access: {publishers: ['user:a@acme.com']}
          import: {evs-publisher-04954205: x}
        """)
    assert out == [
        "environments/main.yaml:9:14: error: queues.evs.import.evs-publisher-04954205: "
        "evs-publisher-04954205 (gcp:pubsub/topicIAMMember:TopicIAMMember) is not imported "
        "by mlinfra, only its ElastiCache parameter group, ElastiCache replication group, "
        "ElastiCache serverless cache, ElastiCache subnet group, Memorystore for Valkey "
        "instance, Memorystore instance, Pub/Sub subscription, Pub/Sub topic, SNS topic, "
        "SQS queue, security group: let Pulumi create it [MLC324]"]


def test_one_resource_imported_twice_is_named_with_the_first_id(repo):
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/fan-aa"
    out = lint(repo, f"""\
        fan:
          provider: aws
          name: fan
          import: {{fan-aa: {url}}}
          subscriptions:
            aa: {{import: {url}}}
        """)
    assert out == [
        "environments/main.yaml:11:12: error: queues.fan.subscriptions.aa.import: fan-aa is "
        f"imported twice: also as '{url}'; one resource has one id [MLC324]"]


def test_a_subscription_is_imported_when_its_queue_imports_nothing(repo):
    repo.write("main.yaml", HEAD + "  evs:\n    subscriptions:\n      workers: {name: workers, "
               "import: projects/acme-ml-test/subscriptions/workers}\n")
    rc, out, err = repo.run("compile", "main")
    assert rc == 0, err
    options = {r["name"]: r["options"] for r in json.loads(out)["resources"]}
    assert options == {
        "evs": {"protect": False},
        "evs-workers": {"delete_before_replace": True, "protect": False,
                        "import": "projects/acme-ml-test/subscriptions/workers"}}

