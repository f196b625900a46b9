"""Issue 27, point 7: in production every SQS queue, dead-letter queue and SNS topic denies
requests without TLS, and grants to whole accounts, domains, wildcard users and whole
identity pools are a production rule (MLC508, waivable with a reason).

Oracles are hand-written: the deny statement as the Amazon SQS and SNS Developer Guides
("Security best practices": enforce encryption of data in transit) write it, and the
diagnostics' line and column counted in the literal files below."""

from __future__ import annotations

import json

import pulumi
import pytest

from mlinfra_compile.backends import pulumi_program as backend
from tests.golden import safe_id
from tests.test_pulumi_backend import RecordingMocks

AWS = "providers:\n  aws: {region: us-east-1}\n"
GCP = ("providers:\n  gcp: {project: acme-ml-prod, region: us-central1, "
       "project_number: '123456789012'}\n")


def deny(service: str, resource: str) -> dict:
    """The statement, written out by hand."""
    return {"Sid": "DenyWithoutTLS", "Effect": "Deny", "Principal": "*",
            "Action": f"{service}:*", "Resource": {"$ref": resource, "attr": "arn"},
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def compiled(repo, text: str) -> dict:
    repo.write("main.yaml", text)
    rc, out, err = repo.run("compile", "main")
    assert rc == 0, repo.run("lint")[1] + err
    return json.loads(out)


def policies(doc: dict) -> dict[str, tuple[str, dict, dict]]:
    """name -> (type, the policy document as JSON parses it, the other arguments)."""
    out = {}
    for r in doc["resources"]:
        if r["type"].endswith("Policy"):
            args = dict(r["args"])
            text = json.dumps(args.pop("policy")["$json"])  # the marker holds the document
            out[r["name"]] = (r["type"].split(":")[-1], json.loads(text), args)
    return out


QUEUE = "aws:sqs/queuePolicy:QueuePolicy"
PLAIN = "queues:\n  jobs: {}\n"  # production: dead letters by default
FANOUT = "queues:\n  ev:\n    subscriptions:\n      t: {}\n"


def test_a_production_plain_queue_and_its_dead_letter_queue_deny_plain_http(repo):
    doc = compiled(repo, "profile: production\n" + AWS + PLAIN)
    assert policies(doc) == {
        "jobs-policy": ("QueuePolicy", {"Version": "2012-10-17",
                                        "Statement": [deny("sqs", "jobs")]},
                        {"queue_url": {"$ref": "jobs", "attr": "url"}, "region": "us-east-1"}),
        "jobs-dlq-policy": ("QueuePolicy", {"Version": "2012-10-17",
                                            "Statement": [deny("sqs", "jobs-dlq")]},
                            {"queue_url": {"$ref": "jobs-dlq", "attr": "url"},
                             "region": "us-east-1"}),
    }


def test_a_production_queue_without_dead_letters_still_denies_plain_http(repo):
    doc = compiled(repo, "profile: production\n" + AWS + (
        "queues:\n  jobs: {dead_letter: false}\n"
        "waivers:\n  - {rule: MLC505, resource: jobs, reason: replayed from the source}\n"))
    assert sorted(policies(doc)) == ["jobs-policy"]
    assert policies(doc)["jobs-policy"][1]["Statement"] == [deny("sqs", "jobs")]


def test_a_production_fan_out_topic_without_publishers_denies_plain_http(repo):
    doc = compiled(repo, "profile: production\n" + AWS + FANOUT)
    found = policies(doc)
    assert found["ev-policy"] == ("TopicPolicy", {"Version": "2012-10-17",
                                                  "Statement": [deny("sns", "ev")]},
                                  {"arn": {"$ref": "ev", "attr": "arn"}, "region": "us-east-1"})
    # the subscription's queue (which lets the topic in) and its dead-letter queue, too
    assert found["ev-t-policy"][1]["Statement"][-1] == deny("sqs", "ev-t")
    assert found["ev-t-dlq-policy"][1]["Statement"] == [deny("sqs", "ev-t-dlq")]
    assert sorted(found) == ["ev-policy", "ev-t-dlq-policy", "ev-t-policy"]


@pytest.mark.parametrize("text", [PLAIN, FANOUT, "queues:\n  jobs: {dead_letter: true}\n"],
                         ids=["plain", "fan-out", "dead-letters"])
def test_development_adds_no_policy(repo, text):
    doc = compiled(repo, AWS + text)
    found = policies(doc)
    # the one policy development keeps: the fan-out queue's, which lets the topic in
    assert sorted(found) == (["ev-t-policy"] if text == FANOUT else [])
    assert all("DenyWithoutTLS" not in json.dumps(p) for p in found.values())


def test_the_policies_are_free_and_production_plans_and_costs(repo):
    repo.write("main.yaml", "profile: production\n" + AWS + PLAIN + FANOUT.replace(
        "queues:\n", ""))
    rc, out, err = repo.run("plan", "main")
    assert rc == 0, out + err
    assert "jobs-dlq-policy" in out and "ev-policy" in out
    rc, out, err = repo.run("cost", "main")
    assert rc == 0, out + err
    assert "jobs-dlq-policy" in out


# --- MLC508: broad grants -------------------------------------------------------------------

BROAD = [
    (AWS, "'210987654321'", "the whole AWS account 210987654321"),
    (AWS, "arn:aws:iam::210987654321:root", "the whole AWS account 210987654321"),
    (GCP, "domain:gmail.com", "every account of the domain gmail.com"),
    (GCP, "user:*@gmail.com", "a wildcard"),
    (GCP, "group:*@example.com", "a wildcard"),
    (GCP, "serviceAccount:*@acme.iam.gserviceaccount.com", "a wildcard"),
    (GCP, "principalSet://iam.googleapis.com/projects/123456/locations/global/"
          "workloadIdentityPools/ci/*", "every identity of the pool ci"),
    (GCP, "principalSet://iam.googleapis.com/locations/global/workforcePools/staff/*",
     "every identity of the pool staff"),
]


def _lint(repo, text: str) -> tuple[int, str]:
    repo.write("main.yaml", text)
    rc, out, _ = repo.run("lint")
    return rc, out


def _grant(providers: str, member: str, profile: str = "production") -> str:
    # lines: 1 profile, 2-3 providers, 4 queues, 5 jobs, 6 access, 7 subscribers
    return f"profile: {profile}\n{providers}queues:\n  jobs:\n    access:\n      " \
           f"subscribers: [{member}]\n"


@pytest.mark.parametrize(("providers", "member", "why"), BROAD, ids=safe_id)
def test_a_broad_grant_in_production_is_mlc508_at_the_member(repo, providers, member, why):
    rc, out = _lint(repo, _grant(providers, member))
    assert rc == 1, out
    (line,) = [x for x in out.splitlines() if "[MLC508]" in x]
    # line 7: `      subscribers: [MEMBER]`, the member at column 21
    assert line.startswith("environments/main.yaml:7:21: error: "
                           "queues.jobs.access.subscribers[0]: "), line
    assert why in line and "rule: MLC508, resource: jobs" in line


@pytest.mark.parametrize(("providers", "member", "why"), BROAD, ids=safe_id)
def test_a_broad_grant_waived_with_a_reason_is_clean(repo, providers, member, why):
    rc, out = _lint(repo, _grant(providers, member) + (
        "waivers:\n  - {rule: MLC508, resource: jobs, reason: the partner reads this queue}\n"))
    assert rc == 0 and "MLC5" not in out, out


@pytest.mark.parametrize(("providers", "member", "why"), BROAD, ids=safe_id)
def test_a_broad_grant_in_development_says_nothing(repo, providers, member, why):
    rc, out = _lint(repo, _grant(providers, member, "development"))
    assert rc == 0 and "MLC508" not in out, out


@pytest.mark.parametrize(("providers", "member"), [
    (AWS, "arn:aws:iam::123456789012:role/trainer"),
    (AWS, "arn:aws:iam::123456789012:user/t"),
    (GCP, "user:alex@acme.com"),
    (GCP, "serviceAccount:trainer@acme-ml-prod.iam.gserviceaccount.com"),
    (GCP, "group:ml-trainers@acme.com"),
    (GCP, "principalSet://iam.googleapis.com/projects/123456/locations/global/"
          "workloadIdentityPools/ci/attribute.repository/acme/ml"),
    (GCP, "principal://iam.googleapis.com/projects/123456/locations/global/"
          "workloadIdentityPools/ci/subject/repo:acme/ml"),
], ids=safe_id)
def test_a_narrow_grant_in_production_is_clean(repo, providers, member):
    rc, out = _lint(repo, _grant(providers, member))
    assert rc == 0 and "MLC508" not in out, out


def test_the_stacks_own_account_is_not_foreign(repo):
    """An import id names the stack's account: granting that account is not a foreign
    one; another account still is."""
    head = ("profile: production\n" + AWS + "queues:\n  jobs:\n    name: jobs\n"
            "    dead_letter: false\n"
            "    import: https://sqs.us-east-1.amazonaws.com/123456789012/jobs\n"
            "    access:\n      subscribers: [MEMBER]\n"
            "waivers:\n  - {rule: MLC505, resource: jobs, reason: imported as it is}\n")
    rc, out = _lint(repo, head.replace("MEMBER", "'123456789012'"))
    assert rc == 0 and "MLC508" not in out, out
    rc, out = _lint(repo, head.replace("MEMBER", "arn:aws:iam::123456789012:root"))
    assert rc == 0 and "MLC508" not in out, out
    rc, out = _lint(repo, head.replace("MEMBER", "'210987654321'"))
    assert rc == 1 and "environments/main.yaml:10:21: error: " \
                       "queues.jobs.access.subscribers[0]: " in out and "[MLC508]" in out, out


def test_a_subscriptions_broad_grant_is_reported_there_and_waived_by_its_queue(repo):
    text = ("profile: production\n" + GCP + "queues:\n  ev:\n    subscriptions:\n"
            "      t:\n        access: {subscribers: [domain:acme.com]}\n")
    rc, out = _lint(repo, text)
    assert rc == 1 and "environments/main.yaml:8:32: error: " \
                       "queues.ev.subscriptions.t.access.subscribers[0]: " in out, out
    assert "rule: MLC508, resource: ev" in out
    rc, out = _lint(repo, text + "waivers:\n  - {rule: MLC508, resource: ev, reason: all "
                                 "of acme reads it}\n")
    assert rc == 0, out


# --- the Pulumi program -------------------------------------------------------------------

def test_the_program_registers_the_tls_policies_under_mocks(repo):
    graph = compiled(repo, "profile: production\n" + AWS + PLAIN + FANOUT.replace(
        "queues:\n", ""))
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="main", preview=False)

    @pulumi.runtime.test
    def program():
        built = backend.materialize(graph, export=lambda k, v: None)

        def check(_):
            by = m.by_name()
            for name, typ, target, key in (
                    ("jobs-policy", QUEUE, "jobs", "queueUrl"),
                    ("jobs-dlq-policy", QUEUE, "jobs-dlq", "queueUrl"),
                    ("ev-t-dlq-policy", QUEUE, "ev-t-dlq", "queueUrl"),
                    ("ev-policy", "aws:sns/topicPolicy:TopicPolicy", "ev", "arn")):
                a = by[name]
                assert a.typ == typ
                arn = f"arn:aws:sqs:us-east-1:123456789012:{target}-1234567"
                service = "sns" if key == "arn" else "sqs"
                assert json.loads(a.inputs["policy"]) == {
                    "Version": "2012-10-17", "Statement": [{
                        "Sid": "DenyWithoutTLS", "Effect": "Deny", "Principal": "*",
                        "Action": f"{service}:*", "Resource": arn,
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
                assert a.inputs["region"] == "us-east-1"
                expected = arn if key == "arn" else \
                    f"https://sqs.us-east-1.amazonaws.com/123456789012/{target}-1234567"
                assert a.inputs[key] == expected
            assert {(a.typ, a.name) for a in m.created} == {
                (r["type"], r["name"]) for r in graph["resources"]}

        return pulumi.Output.all(*[r.urn for r in built.values()]).apply(check)

    program()
