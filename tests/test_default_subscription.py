"""Issue 26 (8d): a gcp queue without a `subscriptions` map has one subscription, which
the language calls `default` (`subscriptions.default` in exports, docs/language.md and
docs/design.md, "Stack outputs and exports"). Its resource stays `<queue>-sub` (renaming
it would recreate it in running stacks); everything a user reads names it `default`:
plan's outputs, exports, the stack output and `mlinfra outputs`. Stacks deployed before
had the stack output `<queue>.subscriptions.sub`: `mlinfra outputs` still prints the old
variable beside the new one, saying which is which, and deploy's diff names the new stack
output for programs that read the old one."""

from __future__ import annotations

import json

import pytest

from tests.conftest import fake_on_path
from tests.golden import run_cli
from tests.test_deploy import copy_repo

GCP = ("providers:\n  gcp: {project: acme-ml-dev, region: us-central1}\n"
       "  aws: {region: us-east-1}\ndefault_provider: gcp\n")
FILE = GCP + ("queues:\n  jobs: {}\n  fan: {provider: aws, subscriptions: {default: {}}}\n"
              "  events: {subscriptions: {sub: {}}}\n"
              "exports:\n  JOBS_CONSUMER: jobs.subscriptions.default.name\n")


@pytest.fixture
def main(repo):
    repo.write("main.yaml", FILE)
    return repo


def test_plan_compile_and_exports_say_default(main):
    rc, out, err = main.run("compile", "main")
    assert rc == 0, err
    outputs = json.loads(out)["outputs"]
    assert outputs["jobs"] == {"subscriptions": {"default": {"$ref": "jobs-sub", "attr": "name"}},
                               "topic": {"$ref": "jobs", "attr": "name"}}
    assert outputs["JOBS_CONSUMER"] == {"$ref": "jobs-sub", "attr": "name"}
    # a key written `sub` is that key, and the resource keeps its `<queue>-sub` name
    assert outputs["events"]["subscriptions"] == {"sub": {"$ref": "events-sub",
                                                          "attr": "name"}}
    assert "jobs-sub" in {r["name"] for r in json.loads(out)["resources"]}
    rc, plan, _ = main.run("plan", "main")
    assert rc == 0
    assert "  jobs: {subscriptions: {default: ${jobs-sub.name}}, topic: ${jobs.name}}\n" in plan
    assert "  JOBS_CONSUMER: jobs.subscriptions.default.name = ${jobs-sub.name}\n" in plan


def test_writing_the_default_subscription_out_keeps_its_name(repo):
    repo.write("main.yaml", GCP + "queues:\n  jobs:\n    subscriptions:\n"
                                  "      default: {visibility_timeout: 60s}\n")
    rc, out, _ = repo.run("compile", "main")
    assert rc == 0
    assert json.loads(out)["outputs"]["jobs"]["subscriptions"] == {
        "default": {"$ref": "jobs-sub", "attr": "name"}}


def _as_pulumi_exports(value):
    """A compiled output as `pulumi stack output --json` prints it once deployed: each
    reference replaced by a value."""
    if isinstance(value, dict) and "$ref" in value:
        return f"{value['$ref']}-{value['attr']}-7f3a"
    if isinstance(value, dict):
        return {k: _as_pulumi_exports(v) for k, v in value.items()}
    return value


def _stack_outputs(tmp_path, monkeypatch, outputs):
    path = tmp_path / "stack-outputs.json"
    path.write_text(json.dumps(outputs))
    fake_on_path(tmp_path, monkeypatch, "import os, sys\n"
                 f"print(open({str(path)!r}).read())\n")


def test_outputs_name_it_as_plan_and_exports_do(main, tmp_path, monkeypatch):
    rc, out, _ = main.run("compile", "main")
    stack = _as_pulumi_exports(json.loads(out)["outputs"])
    _stack_outputs(tmp_path, monkeypatch, {**stack, "_mlinfra_graph": "{}"})
    rc, out, err = main.run("outputs", "main")
    assert rc == 0, err
    settings = dict(line.split("=", 1) for line in out.splitlines())
    assert settings["JOBS_SUBSCRIPTIONS_DEFAULT"] == "jobs-sub-name-7f3a"  # as plan says
    assert settings["JOBS_CONSUMER"] == "jobs-sub-name-7f3a"  # the export
    # the name stacks deployed before printed, kept for applications that read it
    assert settings["JOBS_SUBSCRIPTIONS_SUB"] == "jobs-sub-name-7f3a"
    assert ("mlinfra: JOBS_SUBSCRIPTIONS_SUB is the old name of JOBS_SUBSCRIPTIONS_DEFAULT, "
            "still written for applications that read it; read JOBS_SUBSCRIPTIONS_DEFAULT"
            in err), err
    # an SQS fan-out's `default` key, and a Pub/Sub key written `sub`, have no old name
    assert settings["FAN_SUBSCRIPTIONS_DEFAULT"] and "FAN_SUBSCRIPTIONS_SUB" not in settings
    assert settings["EVENTS_SUBSCRIPTIONS_SUB"] == "events-sub-name-7f3a"
    assert "EVENTS_SUBSCRIPTIONS_DEFAULT" not in settings
    assert err.count("old name") == 1
    rc, out, _ = main.run("outputs", "main", "--format", "json")
    assert json.loads(out)["JOBS_SUBSCRIPTIONS_SUB"] == "jobs-sub-name-7f3a"


def test_a_stack_deployed_before_prints_what_it_holds(main, tmp_path, monkeypatch):
    """Until it is deployed again, the stack holds `subscriptions.sub`: that is printed,
    and nothing is invented."""
    rc, out, _ = main.run("compile", "main")
    stack = _as_pulumi_exports(json.loads(out)["outputs"])
    stack["jobs"]["subscriptions"] = {"sub": stack["jobs"]["subscriptions"]["default"]}
    _stack_outputs(tmp_path, monkeypatch, stack)
    rc, out, err = main.run("outputs", "main")
    assert rc == 0, err
    assert "JOBS_SUBSCRIPTIONS_SUB=jobs-sub-name-7f3a" in out.splitlines()
    assert "JOBS_SUBSCRIPTIONS_DEFAULT" not in out and "old name" not in err


def test_deploy_names_the_renamed_stack_output(tmp_path, monkeypatch):
    """A stack deployed before recorded the output `ml-training-2.subscriptions.sub`;
    deploy's diff says what it is called now, for programs that read it by name."""
    from tests.test_deploy import FAKE, deployed

    root = copy_repo(tmp_path)
    base = root / "environments" / "_base.yaml"
    base.write_text(base.read_text() + "  ml-training-2: {}\n")
    fake_on_path(tmp_path, monkeypatch, FAKE.format())
    monkeypatch.setenv("FAKE_PULUMI_LOG", str(tmp_path / "calls.jsonl"))
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    rc, out, _ = run_cli(root, "compile", "dev")
    graph = json.loads(out)
    before = json.loads(json.dumps(graph))
    subs = before["outputs"]["ml-training-2"]["subscriptions"]
    subs["sub"] = subs.pop("default")  # as the mlinfra of before compiled it
    deployed(tmp_path, monkeypatch, before)
    rc, _, err = run_cli(root, "deploy", "dev", "--yes")
    assert rc == 0, err
    assert ("hint: stack output ml-training-2.subscriptions.sub is now "
            "ml-training-2.subscriptions.default: programs that read it by name (a "
            "StackReference) need the new name" in err), err
    deployed(tmp_path, monkeypatch, graph)  # deployed since: nothing to say
    rc, _, err = run_cli(root, "deploy", "dev", "--yes")
    assert rc == 0 and "stack output" not in err, err
