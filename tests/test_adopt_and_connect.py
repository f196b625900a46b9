"""Issue 15: named exports, physical names, import, access grants and fan-out on AWS, each
point through lint, compile, plan, diff and markdown (the Pulumi side under mocks is in
test_pulumi_backend; the goldens ok-adopt-reference-programs and ok-fanout-both-clouds
show whole plans and pictures)."""

from __future__ import annotations

import json
import re

import pytest

from mlinfra_compile.diff import diff_graphs
from mlinfra_compile.difftext import diff_text
from tests.golden import REPO, edit, git, run_cli, safe_id

GCP = ("providers:\n  gcp: {project: acme-ml-prod, region: us-central1, "
       "project_number: '123456789012'}\n")
AWS = "providers:\n  aws: {region: us-east-1}\n"
BOTH = ("providers:\n  gcp: {project: acme-ml-prod, region: us-central1}\n"
        "  aws: {region: us-east-1}\ndefault_provider: gcp\n")
CASES = REPO / "tests" / "cases"


def _compile(repo, text: str) -> tuple[int, dict, str]:
    repo.write("main.yaml", text)
    rc, out, _ = repo.run("compile", "main")
    if rc != 0:
        return rc, {}, repo.run("lint")[1]
    return rc, json.loads(out), ""


def _res(doc: dict, name: str) -> dict:
    return next(r for r in doc["resources"] if r["name"] == name)


def _policy(doc: dict, name: str) -> dict:
    return _res(doc, name)["args"]["policy"]["$json"]


# --- 1. named exports ----------------------------------------------------------------------

def test_exports_are_top_level_outputs_under_exactly_the_names_given(repo):
    rc, doc, out = _compile(repo, BOTH + (
        "exports:\n"
        "  redis_instance_id: cache.id\n  redis_instance_host: cache.host\n"
        "  redis_auth: cache.auth_string\n  redis_ca: cache.server_ca_cert\n"
        "  jobs_url: jobs.url\n  jobs_dlq_arn: jobs.dead_letter_arn\n"
        "  jobs_consumer: jobs.subscriptions.default.url\n"
        "  topic_name: events.topic_name\n  sub_name: events.subscriptions.default.name\n"
        "session_stores:\n  cache: {auth: true, tls: true}\n"
        "queues:\n  jobs: {provider: aws, dead_letter: true}\n  events: {}\n"))
    assert rc == 0, out
    o = doc["outputs"]
    assert o["redis_instance_id"] == {"$ref": "cache", "attr": "id"}
    assert o["redis_instance_host"] == {"$ref": "cache", "attr": "host"}
    assert o["redis_auth"] == {"$ref": "cache", "attr": "auth_string", "secret": True}
    assert o["redis_ca"] == {"$ref": "cache", "attr": "server_ca_certs", "pem": True}
    assert o["jobs_url"] == o["jobs_consumer"] == {"$ref": "jobs", "attr": "url"}
    assert o["jobs_dlq_arn"] == {"$ref": "jobs-dlq", "attr": "arn"}
    assert o["topic_name"] == {"$ref": "events", "attr": "name"}
    assert o["sub_name"] == {"$ref": "events-sub", "attr": "name"}  # the implicit one
    assert "cache" in o and "jobs" in o  # the per-declaration outputs stay


def test_plan_lists_every_export_in_text_and_markdown(repo):
    repo.write("main.yaml", GCP + "exports:\n  redis_host: cache.host\n"
                                  "session_stores:\n  cache: {}\n")
    rc, out, _ = repo.run("plan", "main")
    assert rc == 0
    assert "Exports (stack outputs under the names given):\n" \
           "  redis_host: cache.host = ${cache.host}" in out
    rc, out, _ = repo.run("plan", "main", "--format", "markdown")
    assert "**Exports**" in out and "- `redis_host`: `cache.host`" in out


@pytest.mark.parametrize(("exports", "message"), [
    ("{x: cahce.host}", "cahce.host: there is no declaration 'cahce' (did you mean "
                        "'cache'?); declarations: cache, jobs"),
    ("{x: cache.hots}", "cache.hots: cache has no attribute 'hots' (did you mean 'host'?); "
                        "it has arn, host, id, name, port, reader_host"),
    ("{x: cache.auth_string}", "cache has no attribute 'auth_string'"),  # auth is off
    ("{x: jobs.subscriptions.trainers.url}", "jobs has no attribute "
                                             "'subscriptions.trainers.url'"),
    ("{cache: cache.host}", "'cache' is the output mlinfra writes for the declaration cache"),
    ("{_mlinfra_graph: cache.host}", "'_mlinfra_graph' is a stack output mlinfra writes "
                                     "itself"),
    ("{cache_port: cache.host}", "'cache_port' and cache.port are both CACHE_PORT in "
                                 "`mlinfra outputs`, with different values"),
    ("{A_b: cache.host, a_B: cache.port}", "'a_B' and A_b are both A_B"),
], ids=safe_id)
def test_export_mistakes_are_named_with_what_exists(repo, exports, message):
    rc, _, out = _compile(repo, AWS + f"exports: {exports}\nsession_stores:\n  cache: {{}}\n"
                                      "queues:\n  jobs: {}\n")
    assert rc != 0 and message in out and "[MLC323]" in out, out


def test_an_export_may_repeat_a_default_output_it_equals(repo):
    rc, doc, out = _compile(repo, AWS + "exports: {jobs_url: jobs.url}\nqueues:\n  jobs: {}\n")
    assert rc == 0, out  # JOBS_URL both ways, with one value
    assert doc["outputs"]["jobs_url"] == doc["outputs"]["jobs"]["url"]


def test_outputs_shows_exports_and_writes_a_ca_export_as_a_pem_file(tmp_path, monkeypatch):
    from mlinfra_compile.connections import connection_settings

    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
    settings, hidden = connection_settings({
        "redis_instance_host": "10.0.0.3", "redis_ca": [{"cert": pem}],
        "redis_auth": "[secret]"}, show_secrets=False)
    assert settings == {"REDIS_CA": pem + "\n", "REDIS_INSTANCE_HOST": "10.0.0.3"}
    assert hidden == ["REDIS_AUTH"]


# --- 2. physical names ---------------------------------------------------------------------

def test_name_overrides_the_template_and_generated_resources_derive_from_it(repo):
    rc, doc, out = _compile(repo, BOTH.replace("us-central1}", "us-central1, project_number: "
                                               "'1234567'}") +
                            'name_template: "{{ env }}-{{ name }}"\n' + (
        "session_stores:\n  cache: {name: sessions-prod}\n"
        "queues:\n"
        "  events:\n    name: Events.v2\n    dead_letter: true\n"
        "    subscriptions: {trainers: {}, audit: {name: audit-copy}}\n"
        "  jobs: {provider: aws, fifo: true, name: jobs.fifo, dead_letter: true}\n"
        "  fan: {provider: aws, name: fanout, subscriptions: {a: {}}}\n"
        "  other: {}\n"))
    assert rc == 0, out
    names = {r["name"]: r["args"].get("name", r["args"].get("replication_group_id"))
             for r in doc["resources"]}
    assert names["cache"] == "sessions-prod"
    assert (names["events"], names["events-dlq"], names["events-dlq-sub"]) == (
        "Events.v2", "Events.v2-dlq", "Events.v2-dlq-sub")
    assert (names["events-trainers"], names["events-audit"]) == ("Events.v2-trainers",
                                                                 "audit-copy")
    assert (names["jobs"], names["jobs-dlq"]) == ("jobs.fifo", "jobs-dlq.fifo")
    assert (names["fan"], names["fan-a"]) == ("fanout", "fanout-a")
    assert names["other"] == "main-other"  # no name: the template


@pytest.mark.parametrize(("decl", "message"), [
    ("session_stores:\n  cache: {name: Cache}", "'Cache' is not a valid Memorystore "
                                                 "instance name"),
    ("queues:\n  jobs: {provider: aws, fifo: true, name: jobs}",
     "'jobs' is not a valid SQS FIFO queue name: 1..75 letters"),
    ("queues:\n  jobs: {provider: aws, name: jobs.fifo}", "'jobs.fifo' is not a valid SQS "
                                                           "queue name"),
    ("queues:\n  ev: {name: goog-events}", "it must not start with 'goog'"),
    ("queues:\n  ev: {name: " + "e" * 250 + ", dead_letter: true}",
     "gives '" + "e" * 250 + "-dlq-sub' is not a valid Pub/Sub name"),
], ids=safe_id)
def test_a_name_is_checked_by_the_providers_rule(repo, decl, message):
    rc, _, out = _compile(repo, BOTH.replace("us-central1}", "us-central1, "
                                             "project_number: '1234567'}") + decl + "\n")
    assert rc != 0 and message in out and "[MLC310]" in out, out
    # the name as written is said once, never "name 'X' gives 'X' ..."
    assert not re.search(r"name '([^']+)' gives '\1'", out), out


def test_two_declarations_cannot_take_one_physical_name(repo):
    rc, _, out = _compile(repo, AWS + "queues:\n  one: {name: shared}\n  two: {name: shared}\n")
    assert rc != 0 and "physical name 'shared' is given twice" in out and "[MLC402]" in out


def test_a_rename_under_name_template_keeps_its_resources_with_the_old_name(repo_git):
    for f in ("_base.yaml", "dev.yaml", "prod.yaml", "staging.yaml"):
        edit(repo_git, f, "  ml-training:\n",
             "  training-events:\n    previous_names: [ml-training]\n")
    edit(repo_git, "staging.yaml", "resource: ml-training\n", "resource: training-events\n")
    rc, out, _ = run_cli(repo_git, "diff", "staging")
    # the alias keeps the resources, but name_template renders the new name: replaced
    assert rc == 3 and "REPLACE" in out, out
    assert ("hint: training-events is renamed from ml-training and kept by its alias, but "
            "its physical name would change from staging-ml-training to "
            "staging-training-events, which replaces it even then: also set `name: "
            "staging-ml-training` on training-events") in out
    edit(repo_git, "staging.yaml", "  training-events:\n    previous_names: [ml-training]\n",
         "  training-events:\n    previous_names: [ml-training]\n"
         "    name: staging-ml-training\n")
    rc, out, _ = run_cli(repo_git, "diff", "staging")
    assert rc == 0, out
    assert "REPLACE" not in out and "DELETE" not in out and "hint" not in out
    assert "~ training-events-trainers  gcp:pubsub/subscription:Subscription  update " \
           "(renamed from ml-training-trainers" in out


def test_the_previous_names_hint_says_when_the_physical_name_changes_too(repo_git):
    for f in ("_base.yaml", "staging.yaml"):
        edit(repo_git, f, "  ml-training-queue:\n", "  training-jobs:\n")
    _, out, _ = run_cli(repo_git, "diff", "staging")
    assert ("hint: if ml-training-queue was renamed to training-jobs, add `previous_names: "
            "[ml-training-queue]` to the declaration of training-jobs: Pulumi then keeps its "
            "resources and their data instead of deleting them; its physical name would "
            "change from staging-ml-training-queue to staging-training-jobs, which replaces "
            "it even then: also set `name: staging-ml-training-queue` on training-jobs") \
        in out, out


# --- 3. import -----------------------------------------------------------------------------

ADOPTED = CASES / "ok-adopt-reference-programs"


def test_import_becomes_the_import_option_of_each_resource_it_names():
    doc = json.loads((ADOPTED / "expected" / "adopted.json").read_text())
    imports = {r["name"]: r["options"].get("import") for r in doc["resources"]}
    assert imports == {
        "ml-session-storage": "projects/acme-ml-prod/locations/us-central1/instances/"
                              "ml-session-storage-5c8e1f2",
        "ml-training": "projects/acme-ml-prod/topics/ml-training-7d41b0e",
        "ml-training-sub": "projects/acme-ml-prod/subscriptions/"
                               "ml-training-subscription-0a9c3e4",
        "ml-training-queue": "https://sqs.us-east-1.amazonaws.com/123456789012/"
                             "mltrainingqueue-3f1c2a9"}
    assert sorted(k for k in doc["outputs"] if "_" in k) == [
        "ml_training_queue_url", "ml_training_subscription_name", "ml_training_topic_name",
        "redis_instance_host", "redis_instance_id"]


def test_a_map_imports_generated_resources(repo):
    rc, doc, out = _compile(repo, AWS + (
        "queues:\n  jobs:\n    name: jobs\n    dead_letter: true\n    import:\n"
        "      jobs: https://sqs.us-east-1.amazonaws.com/123456789012/jobs\n"
        "      jobs-dlq: https://sqs.us-east-1.amazonaws.com/123456789012/jobs-dlq\n"))
    assert rc == 0, out
    assert _res(doc, "jobs-dlq")["options"]["import"].endswith("/jobs-dlq")


@pytest.mark.parametrize(("decl", "message"), [
    ("session_stores:\n  cache: {import: projects/acme-ml-prod/locations/us-central1/"
     "instances/cache}", "importing needs a fixed physical name, else Pulumi would generate "
                         "another and replace what it imports: set `name: cache`"),
    ("session_stores:\n  cache: {name: cache, import: cache}",
     "'cache' is not the id of a Memorystore instance: expected the form projects/"),
    ("session_stores:\n  cache: {name: cache, import: projects/acme-ml-prod/locations/"
     "us-central1/instances/other}", "the id is of physical name 'other', but cache's "
                                     "physical name is 'cache'"),
    ("session_stores:\n  cache: {name: cache, import: projects/elsewhere/locations/"
     "us-central1/instances/cache}", "the id is of project 'elsewhere', but cache's project "
                                     "is 'acme-ml-prod'"),
    ("queues:\n  jobs: {provider: aws, name: jobs, import: https://sqs.eu-west-1.amazonaws"
     ".com/123456789012/jobs}", "the id is of region 'eu-west-1', but jobs's region is "
                                "'us-east-1'"),
    ("queues:\n  jobs: {provider: aws, name: jobs, import: {jobs-dql: x}}",
     "'jobs-dql' is not a resource of jobs (did you mean 'jobs'?); its resources: jobs"),
    ("queues:\n  evs: {name: evs, access: {publishers: [user:a@acme.com]}, import: "
     "{evs-publisher-04954205: x}}", "evs-publisher-04954205 (gcp:pubsub/topicIAMMember:"
                                     "TopicIAMMember) is not imported by mlinfra"),
], ids=safe_id)
def test_import_mistakes_are_named(repo, decl, message):
    rc, _, out = _compile(repo, BOTH + decl + "\n")
    assert rc != 0 and message in out and "[MLC324]" in out, out


def test_name_template_is_a_fixed_name_for_import(repo):
    rc, doc, out = _compile(repo, AWS + 'name_template: "{{ env }}-{{ name }}"\nqueues:\n'
                                        "  jobs: {import: https://sqs.us-east-1.amazonaws.com"
                                        "/123456789012/main-jobs}\n")
    assert rc == 0, out
    assert _res(doc, "jobs")["options"]["import"].endswith("/main-jobs")


def test_plan_marks_imports_and_diff_shows_them_as_imports_never_creates(repo):
    repo.write("main.yaml", (ADOPTED / "environments" / "adopted.yaml").read_text())
    rc, out, _ = repo.run("plan", "main")
    assert rc == 0 and "4 resources (4 imported: adopted, not created)." in out
    new = json.loads((ADOPTED / "expected" / "adopted.json").read_text())
    d = diff_graphs(None, new, "empty")
    assert [c.action for c in d.changes] == ["import"] * 4
    text = diff_text(d, set())
    assert "  = ml-training-queue  aws:sqs/queue:Queue  import (adopts https://sqs.us-east-1" \
           ".amazonaws.com/123456789012/mltrainingqueue-3f1c2a9, nothing is created)" in text
    assert "0 to create, 4 to import, 0 to update in place" in text
    from mlinfra_compile.markdown import diff_markdown

    md = diff_markdown(d, set())
    assert "| 📥 | `ml-training` | `gcp:pubsub/topic:Topic` | **import** (adopts " \
           "`projects/acme-ml-prod/topics/ml-training-7d41b0e`) |" in md


def test_a_new_import_id_on_a_managed_resource_is_a_replacement():
    res = {"name": "q", "type": "aws:sqs/queue:Queue", "args": {"name": "q"},
           "options": {}, "source": "x:1:1"}
    old = {"environment": "e", "profile": "production", "resources": [res], "outputs": {}}
    new = {**old, "resources": [{**res, "options": {"import": "https://sqs.../q2"}}]}
    (c,) = diff_graphs(old, new, "t").changes
    assert (c.action, c.args[0].key, c.args[0].verdict) == ("replace", "options.import",
                                                            "replace")
    assert "unless the id is the one it has, Pulumi deletes it" in c.args[0].why
    assert diff_graphs(old, new, "t").unsafe(set())  # production refuses it
    (c,) = diff_graphs(new, old, "t").changes  # dropping `import` after adopting: harmless
    assert (c.action, c.args[0].verdict) == ("update", "update")


# --- 4. access grants ----------------------------------------------------------------------

def test_gcp_access_becomes_pubsub_iam_members(repo):
    rc, doc, out = _compile(repo, GCP + (
        "queues:\n  ev:\n    access:\n"
        "      publishers: [serviceAccount:api@p.iam.gserviceaccount.com]\n"
        "      subscribers: [user:a@acme.com]\n"
        "    subscriptions:\n      t: {access: {subscribers: [group:g@acme.com, "
        "user:a@acme.com]}}\n      u: {}\n"))
    assert rc == 0, out
    grants = sorted((r["type"].split(":")[-1], r["args"].get("topic", r["args"].get(
        "subscription"))["$ref"], r["args"]["role"], r["args"]["member"])
        for r in doc["resources"] if r["type"].endswith("IAMMember"))
    assert grants == [
        ("SubscriptionIAMMember", "ev-t", "roles/pubsub.subscriber", "group:g@acme.com"),
        ("SubscriptionIAMMember", "ev-t", "roles/pubsub.subscriber", "user:a@acme.com"),
        ("SubscriptionIAMMember", "ev-u", "roles/pubsub.subscriber", "user:a@acme.com"),
        ("TopicIAMMember", "ev", "roles/pubsub.publisher",
         "serviceAccount:api@p.iam.gserviceaccount.com")]
    assert all(r["args"]["project"] == "acme-ml-prod" for r in doc["resources"]
               if r["type"].endswith("IAMMember"))


def test_grant_names_do_not_depend_on_the_order_of_the_list(repo):
    _, a, _ = _compile(repo, GCP + "queues:\n  ev: {access: {publishers: [user:a@x.com, "
                                   "user:b@x.com]}}\n")
    _, b, _ = _compile(repo, GCP + "queues:\n  ev: {access: {publishers: [user:b@x.com, "
                                   "user:a@x.com]}}\n")
    assert a == b


def test_an_aws_queue_policy_grants_exactly_the_actions_to_exactly_the_principals(repo):
    rc, doc, out = _compile(repo, AWS + (
        "queues:\n  jobs:\n    access:\n      publishers: [arn:aws:iam::123456789012:role/api]\n"
        "      subscribers: [arn:aws:iam::123456789012:user/t, '210987654321']\n"))
    assert rc == 0, out
    r = _res(doc, "jobs-policy")
    assert r["type"] == "aws:sqs/queuePolicy:QueuePolicy"
    assert r["args"]["queue_url"] == {"$ref": "jobs", "attr": "url"}
    assert r["args"]["region"] == "us-east-1"
    arn = {"$ref": "jobs", "attr": "arn"}
    assert _policy(doc, "jobs-policy") == {"Version": "2012-10-17", "Statement": [
        {"Sid": "Publishers", "Effect": "Allow",
         "Principal": {"AWS": ["arn:aws:iam::123456789012:role/api"]},
         "Action": ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
         "Resource": arn},
        {"Sid": "Subscribers", "Effect": "Allow",
         "Principal": {"AWS": ["arn:aws:iam::123456789012:user/t",
                               "arn:aws:iam::210987654321:root"]},
         "Action": ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
         "Resource": arn}]}


def test_production_policies_deny_requests_without_tls(repo):
    rc, doc, out = _compile(repo, "profile: production\n" + AWS + (
        "queues:\n  jobs: {access: {subscribers: [arn:aws:iam::123456789012:role/t]}}\n"))
    assert rc == 0, out
    deny = _policy(doc, "jobs-policy")["Statement"][-1]
    assert deny == {"Sid": "DenyWithoutTLS", "Effect": "Deny", "Principal": "*",
                    "Action": "sqs:*", "Resource": {"$ref": "jobs", "attr": "arn"},
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def test_no_access_no_policy(repo):
    """In development; production has one anyway, for its TLS deny (issue 27:
    test_transport_and_grants)."""
    rc, doc, _ = _compile(repo, AWS + "queues:\n  jobs: {dead_letter: true}\n")
    assert rc == 0 and not any(r["type"].endswith("Policy") for r in doc["resources"])


def test_the_partition_of_an_account_follows_the_region(repo):
    rc, doc, out = _compile(repo, "providers:\n  aws: {region: cn-north-1}\n"
                                  "queues:\n  jobs: {access: {subscribers: ['123456789012']}}\n")
    assert rc == 0, out
    assert _policy(doc, "jobs-policy")["Statement"][0]["Principal"] == {
        "AWS": ["arn:aws-cn:iam::123456789012:root"]}


@pytest.mark.parametrize(("providers", "member", "message"), [
    (GCP, "api@p.iam.gserviceaccount.com", "'api@p.iam.gserviceaccount.com' is not a Google "
                                           "Cloud member: use serviceAccount:EMAIL"),
    (GCP, "allUsers", "allUsers is everyone: grant named members only"),
    (GCP, "allAuthenticatedUsers", "allAuthenticatedUsers is everyone: grant named members "
                                   "only"),
    (GCP, "arn:aws:iam::123456789012:role/x", "(an AWS principal: this queue is on gcp)"),
    (GCP, "deleted:user:a@x.com", "is not a Google Cloud member"),
    (AWS, "arn:aws:iam::123456789012:group/g", "is not an IAM role or user ARN or an account "
                                               "id: use arn:aws:iam::123456789012:role/NAME"),
    (AWS, "'*'", "'*' is not an IAM role or user ARN"),
    (AWS, "serviceAccount:a@p.iam.gserviceaccount.com", "(a Google Cloud member: this queue "
                                                        "is on aws)"),
    (AWS, "'12345'", "'12345' is not an IAM role"),
], ids=safe_id)
def test_members_and_principals_are_checked_per_cloud(repo, providers, member, message):
    rc, _, out = _compile(repo, providers + f"queues:\n  jobs:\n    access:\n      "
                                            f"publishers: [{member}]\n")
    assert rc != 0 and message in out and "[MLC322]" in out, out


@pytest.mark.parametrize("providers", [GCP, AWS], ids=safe_id)
def test_access_on_a_session_store_points_at_network_allow_from(repo, providers):
    rc, _, out = _compile(repo, providers + "session_stores:\n  cache:\n    access: "
                                            "{subscribers: [user:a@x.com]}\n")
    assert rc != 0 and "[MLC307]" in out
    assert "Redis data access is the network plus AUTH, not IAM" in out
    assert ("network.allow_from" if providers == AWS else "network.name") in out


# --- 5. fan-out on AWS ---------------------------------------------------------------------

FANOUT = CASES / "ok-fanout-both-clouds"


def test_a_queue_with_subscriptions_on_aws_fans_out_through_sns():
    doc = json.loads((FANOUT / "expected" / "aws.json").read_text())
    types = {r["name"]: r["type"].split(":")[-1] for r in doc["resources"]}
    assert types == {
        "ml-training": "Topic", "ml-training-policy": "TopicPolicy",
        "ml-training-audit": "Queue", "ml-training-audit-policy": "QueuePolicy",
        "ml-training-audit-subscription": "TopicSubscription",
        "ml-training-trainers": "Queue", "ml-training-trainers-dlq": "Queue",
        "ml-training-trainers-policy": "QueuePolicy",
        "ml-training-trainers-dlq-policy": "QueuePolicy",  # production: its TLS deny
        "ml-training-trainers-subscription": "TopicSubscription"}
    sub = _res(doc, "ml-training-trainers-subscription")
    assert sub["args"] == {"topic": {"$ref": "ml-training", "attr": "arn"},
                           "protocol": "sqs", "raw_message_delivery": True,
                           "endpoint": {"$ref": "ml-training-trainers", "attr": "arn"},
                           "region": "us-east-1"}
    assert sub["options"] == {"depends_on": ["ml-training-trainers-policy"]}
    # each queue takes the queue's fields, overridden by its subscription's
    assert _res(doc, "ml-training-trainers")["args"]["visibility_timeout_seconds"] == 60
    assert _res(doc, "ml-training-audit")["args"]["visibility_timeout_seconds"] == 30
    assert "redrive_policy" not in _res(doc, "ml-training-audit")["args"]
    statements = {s["Sid"]: s for s in _policy(doc, "ml-training-trainers-policy")["Statement"]}
    assert statements["TopicDelivers"] == {
        "Sid": "TopicDelivers", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": {"$ref": "ml-training-trainers", "attr": "arn"},
        "Condition": {"ArnEquals": {"aws:SourceArn": {"$ref": "ml-training", "attr": "arn"}}}}
    assert statements["Subscribers"]["Principal"] == {"AWS": [
        "arn:aws:iam::123456789012:role/trainer", "arn:aws:iam::210987654321:root"]}
    assert set(statements) == {"TopicDelivers", "Subscribers", "DenyWithoutTLS"}
    audit = {s["Sid"] for s in _policy(doc, "ml-training-audit-policy")["Statement"]}
    assert audit == {"TopicDelivers", "Subscribers", "DenyWithoutTLS"}
    topic = _policy(doc, "ml-training-policy")["Statement"]
    assert topic[0] == {"Sid": "Publishers", "Effect": "Allow",
                        "Principal": {"AWS": ["arn:aws:iam::123456789012:role/api"]},
                        "Action": ["sns:Publish"],
                        "Resource": {"$ref": "ml-training", "attr": "arn"}}
    assert topic[1]["Action"] == "sns:*" and topic[1]["Effect"] == "Deny"


def test_a_fifo_fan_out_makes_the_topic_fifo_too(repo):
    rc, doc, out = _compile(repo, AWS + 'name_template: "{{ env }}-{{ name }}"\nqueues:\n'
                                        "  jobs: {fifo: true, content_based_deduplication: "
                                        "true, subscriptions: {a: {}}}\n")
    assert rc == 0, out
    t = _res(doc, "jobs")["args"]
    assert (t["name"], t["fifo_topic"], t["content_based_deduplication"]) == (
        "main-jobs.fifo", True, True)
    q = _res(doc, "jobs-a")["args"]
    assert (q["name"], q["fifo_queue"]) == ("main-jobs-a.fifo", True)


def test_the_same_declaration_compiles_on_both_clouds_and_diff_says_what_is_replaced():
    gcp = json.loads((FANOUT / "expected" / "gcp.json").read_text())
    aws = json.loads((FANOUT / "expected" / "aws.json").read_text())
    d = diff_graphs(gcp, {**aws, "environment": "gcp"}, "gcp")
    by = {c.name: c for c in d.changes}
    assert by["ml-training"].action == "replace"
    assert by["ml-training"].args[0].why == "another cloud: created there, deleted here"
    assert by["ml-training-trainers"].action == "replace"  # subscription -> SQS queue
    assert by["ml-training-dlq"].action == "delete" and by["ml-training-trainers-dlq"].action \
        == "create"
    refused = {c.name for c in d.unsafe(set())}
    assert {"ml-training", "ml-training-trainers", "ml-training-audit",
            "ml-training-dlq"} <= refused  # production: every stateful one


def test_fan_out_attributes_and_the_default_consumer_of_a_plain_queue(repo):
    rc, doc, out = _compile(repo, AWS + "exports:\n  t: fan.topic_arn\n  q: fan.subscriptions"
                                        ".a.url\n  n: fan.topic_name\n  d: jobs.subscriptions"
                                        ".default.arn\n"
                                        "queues:\n  fan: {subscriptions: {a: {}}}\n  jobs: {}\n")
    assert rc == 0, out
    o = doc["outputs"]
    assert (o["t"], o["q"], o["n"], o["d"]) == (
        {"$ref": "fan", "attr": "arn"}, {"$ref": "fan-a", "attr": "url"},
        {"$ref": "fan", "attr": "name"}, {"$ref": "jobs", "attr": "arn"})


def test_policy_reads_fan_out_subscriptions_for_dead_letters(repo):
    rc, _, out = _compile(repo, "profile: production\n" + AWS + "queues:\n  fan:\n"
                                "    subscriptions: {a: {}, b: {dead_letter: false}}\n")
    assert rc != 0 and "queues.fan.subscriptions.b" in out and "[MLC505]" in out, out
    assert "queues.fan.subscriptions.a" not in out


def test_the_lists_after_the_last_resource_render_as_markdown_not_raw_html(repo):
    """A block right after `</details>` belongs to the HTML block: GitHub showed
    `**Waivers**` literally. Imports, exports and waivers each start a new block."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    repo.write("main.yaml", (ADOPTED / "environments" / "adopted.yaml").read_text()
               + "waivers:\n  - {rule: MLC505, resource: ml-training, reason: events are "
                 "replayed}\n")
    rc, md, err = repo.run("plan", "main", "--format", "markdown")
    assert rc == 0, err
    html = cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)
    for heading in ("Imports", "Exports", "Waivers"):
        assert f"<strong>{heading}</strong>" in html, heading
    assert "**" not in html


def test_a_subscription_does_not_take_its_queues_name_or_import_as_its_own(repo):
    repo.write("main.yaml", GCP + "queues:\n  evs:\n    name: evs-1\n    import: projects/"
                                  "acme-ml-prod/topics/evs-1\n    subscriptions: {a: {}}\n")
    rc, out, _ = repo.run("explain", "main", "queues.evs.subscriptions.a.name")
    assert rc != 0 and "is not set in main" in out + _, out
    rc, out, _ = repo.run("compile", "main")
    doc = json.loads(out)
    assert _res(doc, "evs-a")["args"]["name"] == "evs-1-a"
    assert "import" not in _res(doc, "evs-a")["options"]


def test_writing_out_the_default_subscription_keeps_its_resource(repo_git):
    """A gcp queue's implicit subscription `<queue>-sub` is key `default`: declaring
    `subscriptions: {default: ...}` to set its fields changes it in place, never replaces
    it (and its unacknowledged messages)."""
    edit(repo_git, "_base.yaml", "queues:\n", "queues:\n  events: {}\n")
    git(repo_git, "commit", "-qam", "events")
    edit(repo_git, "_base.yaml", "  events: {}\n",
         "  events:\n    subscriptions:\n      default: {visibility_timeout: 60s}\n")
    rc, out, _ = run_cli(repo_git, "diff", "dev")
    assert rc == 0, out
    assert "~ events-sub  gcp:pubsub/subscription:Subscription  update" in out
    assert "ack_deadline_seconds: 10 -> 60  in place" in out
    assert "0 to create, 1 to update in place, 0 to replace, 0 to delete" in out
    rc, out, _ = run_cli(repo_git, "compile", "dev")
    assert json.loads(out)["outputs"]["events"]["subscriptions"] == {
        "default": {"$ref": "events-sub", "attr": "name"}}  # its name in exports (issue 26)


# --- what a review of the first version found ------------------------------------------------

def test_one_resource_cannot_be_imported_twice(repo):
    rc, _, out = _compile(repo, AWS + (
        "queues:\n  fan:\n    name: fan\n    import: {fan-aa: https://sqs.us-east-1.amazonaws"
        ".com/123456789012/fan-aa}\n    subscriptions:\n      aa: {import: https://sqs.us-"
        "east-1.amazonaws.com/123456789012/fan-aa}\n"))
    assert rc != 0 and "fan-aa is imported twice" in out and "[MLC324]" in out, out


def test_a_bad_name_is_not_followed_by_advice_to_set_it(repo):
    rc, _, out = _compile(repo, GCP + "session_stores:\n  cache: {name: Cache, import: projects"
                                      "/acme-ml-prod/locations/us-central1/instances/Cache}\n")
    assert rc != 0 and "[MLC310]" in out and "set `name:" not in out, out


def test_a_child_file_removes_one_inherited_export_with_null(repo):
    repo.write("_base.yaml", AWS + "exports: {a: jobs.url, b: jobs.arn}\nqueues:\n  jobs: {}\n")
    rc, doc, out = _compile(repo, "extends: _base\nexports: {b: null}\n")
    assert rc == 0, out
    assert "a" in doc["outputs"] and "b" not in doc["outputs"]


def test_diff_says_whom_a_grant_is_for(repo_git):
    edit(repo_git, "_base.yaml", "  ml-training:\n",
         "  ml-training:\n    access: {publishers: ['domain:evil.example']}\n")
    rc, out, _ = run_cli(repo_git, "diff", "dev")
    assert rc == 0
    assert "create (roles/pubsub.publisher for domain:evil.example)" in out, out
    rc, out, _ = run_cli(repo_git, "diff", "dev", "--format", "markdown")
    assert "(`roles/pubsub.publisher for domain:evil.example`)" in out


@pytest.mark.parametrize(("providers", "member", "ok"), [
    (GCP, "user:ali\u0441e@acme.com", False),  # a Cyrillic letter
    (GCP, "'user:`x`@acme.com'", False),
    (GCP, "principal://iam.googleapis.com/anything", False),
    (GCP, "principal://iam.googleapis.com/locations/global/workforcePools/acme/subject/a@b.c",
     True),
    (GCP, "principalSet://iam.googleapis.com/projects/123/locations/global/"
          "workloadIdentityPools/gh/attribute.repository/acme/ml", True),
    (AWS, "arn:aws:iam::123456789012:role/\u0430dmin", False),
    (AWS, "arn:aws:iam::123456789012:root", True),
    (AWS, "arn:aws:iam::123456789012:role/path/to/name", True),
], ids=safe_id)
def test_members_are_ascii_and_of_a_real_form(repo, providers, member, ok):
    text = providers + f'queues:\n  jobs:\n    access:\n      publishers: ["{member}"]\n'
    rc, _, out = _compile(repo, text.replace('["\'', '["').replace('\'"]', '"]'))
    assert (rc == 0) == ok, out


def test_a_principal_of_another_partition_is_refused(repo):
    rc, _, out = _compile(repo, AWS + "queues:\n  jobs: {access: {publishers: ["
                                      "'arn:aws-us-gov:iam::123456789012:role/x']}}\n")
    assert rc != 0 and "is in partition aws-us-gov, but the queue's region is in aws" in out


def test_an_sns_import_of_another_partition_is_refused(repo):
    rc, _, out = _compile(repo, AWS + "queues:\n  fan: {name: fan, import: 'arn:aws-cn:sns:us-"
                                      "east-1:123456789012:fan', subscriptions: {aa: {}}}\n")
    assert rc != 0 and "the id is an ARN of partition aws-cn, but fan is in region us-east-1"\
        in out, out


def test_the_gcp_hint_on_aws_needs_a_gcp_prefix(repo):
    rc, _, out = _compile(repo, AWS + "queues:\n  jobs: {access: {publishers: ['x:y']}}\n")
    assert rc != 0 and "Google Cloud member" not in out


def test_a_cloud_move_compares_no_arguments_across_types():
    gcp = json.loads((FANOUT / "expected" / "gcp.json").read_text())
    aws = json.loads((FANOUT / "expected" / "aws.json").read_text())
    d = diff_graphs(gcp, {**aws, "environment": "gcp"}, "gcp")
    assert all([a.key for a in c.args] == ["type"] for c in d.changes if c.action == "replace")
    assert "please report it" not in diff_text(d, set())


@pytest.mark.parametrize(("text", "message"), [
    ("exports: {ml-session: jobs.url}", "output name 'ml-session' must be letters, digits and "
                                        "`_`, not starting with a digit"),
    ("exports: {a: jobs}", "'jobs' is not DECLARATION.ATTRIBUTE, such as "
                           "ml-session-storage.host"),
    ("queues:\n  jobs: {name: 'a b'}", "'a b' is not a cloud name: 1..255 letters"),
    ("queues:\n  jobs: {access: {publishers: ['']}}", "'' is not a member or principal, "
                                                      "without spaces"),
    ("queues:\n  jobs: {import: {Jobs: x}}", "resource name 'Jobs' must be lowercase letters"),
], ids=safe_id)
def test_schema_messages_say_the_rule_not_the_regex(repo, text, message):
    repo.write("main.yaml", AWS + text + "\n" + ("" if "queues" in text else
                                                 "queues:\n  jobs: {}\n"))
    rc, out, err = repo.run("lint")
    assert rc != 0 and message in out + err and "(?!" not in out + err, out + err


def test_an_inherited_export_names_the_environment_it_fails_in(repo):
    repo.write("_base.yaml", AWS + "exports: {b: jobs.url}\nqueues:\n  jobs: {}\n")
    rc, _, out = _compile(repo, "extends: _base\nqueues:\n  jobs: null\n  other: {}\n")
    assert rc != 0 and "environments/_base.yaml:3:11: error: exports.b:" in out
    assert "there is no declaration 'jobs'; declarations: other (in environment main)" in out


# --- every attribute each service offers to exports, against a hand-written table -----------

def _attributes(tmp_path, text: str) -> dict:
    from mlinfra_compile.resolve import Workspace, compile_environment

    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / "environments" / "main.yaml").write_text(text)
    c = compile_environment(Workspace(str(tmp_path)), str(tmp_path / "environments" /
                                                        "main.yaml"), attributes=True)
    assert c.graph is not None, c.diagnostics
    assert c.context is not None
    from mlinfra_compile.providers.base import exportable

    return {d: {k: (v["$ref"], v["attr"], *(m for m in ("secret", "pem") if v.get(m)))
                for k, v in exportable(entry).items()}
            for d, entry in c.context.attributes.items()}


def _on(res: str, *attrs: str) -> dict:
    return {a: (res, a) for a in attrs}


ATTRIBUTE_CASES = {
    "memorystore": (GCP + "session_stores:\n  cache: {memory: 5GiB, tier: standard_ha, "
                          "replicas: 1, auth: true, tls: true}\n  plain: {}\n", {
        "cache": {**_on("cache", "id", "name", "host", "port", "read_endpoint"),
                  "server_ca_cert": ("cache", "server_ca_certs", "pem"),
                  "auth_string": ("cache", "auth_string", "secret")},
        "plain": _on("plain", "id", "name", "host", "port")}),
    "elasticache": (AWS + "session_stores:\n  cache: {}\n", {
        "cache": {**_on("cache", "id", "arn", "port"),
                  "name": ("cache", "replication_group_id"),
                  "host": ("cache", "primary_endpoint_address"),
                  "reader_host": ("cache", "reader_endpoint_address")}}),
    "sqs": (AWS + "queues:\n  jobs: {dead_letter: true}\n  more: {}\n", {
        q: {**_on(q, "id", "name", "url", "arn"),
            **({"dead_letter_url": ("jobs-dlq", "url"), "dead_letter_arn": ("jobs-dlq", "arn")}
               if q == "jobs" else {}),
            **{f"subscriptions.default.{a}": (q, a) for a in ("id", "name", "url", "arn")}}
        for q in ("jobs", "more")}),
    "sns": (AWS + "queues:\n  fan: {subscriptions: {aa: {}, bb: {}}}\n", {
        "fan": {**_on("fan", "id", "name", "arn"), "topic_name": ("fan", "name"),
                "topic_arn": ("fan", "arn"),
                **{f"subscriptions.{k}.{a}": (f"fan-{k}", a) for k in ("aa", "bb")
                   for a in ("id", "name", "url", "arn")}}}),
    "pubsub": (GCP + "queues:\n  events: {dead_letter: true, subscriptions: {tt: {}}}\n"
                     "  plain: {}\n", {
        "events": {**_on("events", "id", "name"), "topic_name": ("events", "name"),
                   "topic_id": ("events", "id"),
                   "dead_letter_topic_name": ("events-dlq", "name"),
                   "subscriptions.tt.name": ("events-tt", "name"),
                   "subscriptions.tt.id": ("events-tt", "id")},
        "plain": {**_on("plain", "id", "name"), "topic_name": ("plain", "name"),
                  "topic_id": ("plain", "id"),
                  "subscriptions.default.name": ("plain-sub", "name"),
                  "subscriptions.default.id": ("plain-sub", "id")}}),
}


@pytest.mark.parametrize("case", sorted(ATTRIBUTE_CASES))
def test_every_attribute_a_service_offers_to_exports(tmp_path, case):
    text, expected = ATTRIBUTE_CASES[case]
    assert _attributes(tmp_path, text) == expected


# --- what mutation testing showed untested ----------------------------------------------------

def test_keep_name_says_what_keeps_the_physical_name():
    from mlinfra_compile.diff import _keep_name

    def q(logical, **args):
        return {"name": logical, "type": "aws:sqs/queue:Queue", "args": args}

    assert _keep_name(q("a", name="x"), q("b", name="x")) is None  # unchanged
    assert _keep_name(q("a"), q("b", name="y")) is None  # auto-named before: nothing to keep
    assert _keep_name(q("a", name="x"), q("b")) == (
        "its physical name would change from x to an auto-name, which replaces it even "
        "then: also set `name: x` on b")
    iam = {"name": "g", "type": "gcp:pubsub/topicIAMMember:TopicIAMMember",
           "args": {"member": "user:a@b.c"}}
    assert _keep_name(iam, {**iam, "name": "h"}) is None  # a type without a name


def test_a_deleted_grant_says_whom_it_was_for():
    grant = {"name": "t-publisher-1", "type": "gcp:pubsub/topicIAMMember:TopicIAMMember",
             "args": {"role": "roles/pubsub.publisher", "member": "user:a@b.c"},
             "options": {}, "source": "x:1:1"}
    old = {"environment": "e", "profile": "development", "resources": [grant], "outputs": {}}
    d = diff_graphs(old, {**old, "resources": []}, "t")
    assert "  - t-publisher-1  gcp:pubsub/topicIAMMember:TopicIAMMember  DELETE " \
           "(roles/pubsub.publisher for user:a@b.c)" in diff_text(d, set())
    half = {**grant, "args": {"member": "user:a@b.c"}}  # no role: not a grant to describe
    d = diff_graphs({**old, "resources": [half]}, {**old, "resources": []}, "t")
    assert d.changes[0].grant is None


def test_an_import_id_change_shows_both_ids():
    res = {"name": "q", "type": "aws:sqs/queue:Queue", "args": {"name": "q"},
           "options": {"import": "https://a/1/q"}, "source": "x:1:1"}
    old = {"environment": "e", "profile": "development", "resources": [res], "outputs": {}}
    new = {**old, "resources": [{**res, "options": {"import": "https://b/2/q"}}]}
    (c,) = diff_graphs(old, new, "t").changes
    assert (c.args[0].old, c.args[0].new) == ("https://a/1/q", "https://b/2/q")


def test_derived_names_and_policies_say_where_they_come_from_in_plan(repo):
    repo.write("main.yaml", "profile: production\n" + AWS + (
        "queues:\n  jobs:\n    name: jobs-1\n    dead_letter: true\n"
        "    access: {subscribers: [arn:aws:iam::123456789012:role/t]}\n"))
    rc, out, _ = repo.run("plan", "main")
    assert rc == 0, out
    assert '"jobs-1-dlq"' in out and "derived    from name jobs-1" in out
    assert "derived    access of jobs, and a deny of requests without TLS (production)" in out
    repo.write("main.yaml", AWS + "queues:\n  jobs: {access: {subscribers: ['123456789012']}}\n")
    rc, out, _ = repo.run("plan", "main")
    assert "derived    access of jobs\n" in out


@pytest.mark.parametrize(("region", "arn"), [("us-gov-west-1", "arn:aws-us-gov:iam::"),
                                             ("cn-north-1", "arn:aws-cn:iam::"),
                                             ("eu-west-1", "arn:aws:iam::")])
def test_account_ids_take_the_partition_of_a_fan_out_region(repo, region, arn):
    rc, doc, out = _compile(repo, AWS + "queues:\n  fan:\n    region: " + region + "\n"
                                        "    access: {publishers: ['123456789012'], "
                                        "subscribers: ['123456789012']}\n"
                                        "    subscriptions: {aa: {}}\n")
    assert rc == 0, out
    assert _res(doc, "fan")["args"]["region"] == region  # the queue's own region
    assert _policy(doc, "fan-policy")["Statement"][0]["Principal"] == {
        "AWS": [arn + "123456789012:root"]}
    assert _policy(doc, "fan-aa-policy")["Statement"][1]["Principal"] == {
        "AWS": [arn + "123456789012:root"]}


@pytest.mark.parametrize("who", ["subscribers", "publishers"])
def test_a_fan_out_principal_of_another_partition_is_refused(repo, who):
    rc, _, out = _compile(repo, AWS + f"queues:\n  fan:\n    access: {{{who}: "
                                      "['arn:aws-cn:iam::123456789012:role/x']}\n"
                                      "    subscriptions: {aa: {}}\n")
    assert rc != 0 and "arn:aws-cn:iam::123456789012:role/x is in partition aws-cn" in out


def test_a_fan_out_region_is_checked(repo):
    rc, _, out = _compile(repo, AWS + "queues:\n  fan: {region: us-eats-1, subscriptions: "
                                      "{aa: {}}}\n")
    assert rc != 0 and "queues.fan.region: 'us-eats-1' is not an AWS region" in out, out


def test_a_fan_out_topic_takes_the_key_and_the_template_by_kind(repo):
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    rc, doc, out = _compile(repo, AWS + 'name_template: "{{ kind }}-{{ name }}"\nqueues:\n'
                                        f"  fan: {{encryption: 'kms:{key}', subscriptions: "
                                        "{aa: {}}}\n")
    assert rc == 0, out
    t = _res(doc, "fan")["args"]
    assert (t["name"], t["kms_master_key_id"]) == ("topic-fan", key)
    assert "fifo_topic" not in t
    assert _res(doc, "fan-aa")["args"]["name"] == "subscription-fan-aa"
    assert _res(doc, "fan-aa")["args"]["kms_master_key_id"] == key


def test_a_fan_out_queue_itself_needs_no_dead_letters_its_subscriptions_do(repo):
    rc, _, out = _compile(repo, "profile: production\n" + AWS + (
        "queues:\n  fan:\n    dead_letter: false\n"
        "    subscriptions: {aa: {dead_letter: true}, bb: {dead_letter: true}}\n"))
    assert rc == 0, out


def test_publishers_take_the_partition_of_the_region_too(repo):
    rc, doc, out = _compile(repo, "providers:\n  aws: {region: cn-north-1}\n"
                                  "queues:\n  jobs: {access: {publishers: ['123456789012']}}\n")
    assert rc == 0, out
    assert _policy(doc, "jobs-policy")["Statement"][0]["Principal"] == {
        "AWS": ["arn:aws-cn:iam::123456789012:root"]}


def test_a_subscription_may_grant_access_when_its_queue_grants_none(repo):
    rc, doc, out = _compile(repo, GCP + "queues:\n  evs:\n    subscriptions:\n"
                                        "      tt: {access: {subscribers: [user:a@acme.com]}}\n")
    assert rc == 0, out
    grants = [r["args"]["member"] for r in doc["resources"]
              if r["type"].endswith("SubscriptionIAMMember")]
    assert grants == ["user:a@acme.com"]


def test_hostile_members_stay_text_in_plan_and_diff_markdown(repo):
    """The email forms IAM allows hold `|`, `*`, `_`, `~`, `{` and `'`: in a pull-request
    comment they must neither break a table nor start markup."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    member = "user:x|y*z_{w}~v'u@acme.com"
    repo.write("main.yaml", GCP + f'queues:\n  evs: {{access: {{publishers: ["{member}"]}}}}\n')
    rc, md, err = repo.run("plan", "main", "--format", "markdown")
    assert rc == 0, err
    html = cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)
    assert "x|y*z_{w}~v&#39;u@acme.com" in html or "x|y*z_{w}~v'u@acme.com" in html
    assert "<em>" not in html and "<del>" not in html
    new = json.loads(repo.run("compile", "main")[1])
    d = diff_graphs({**new, "resources": []}, new, "t")
    from mlinfra_compile.markdown import diff_markdown

    html = cmarkgfm.github_flavored_markdown_to_html(diff_markdown(d, set()),
                                                     options=Options.CMARK_OPT_UNSAFE)
    rows = [r for r in html.split("<tr>") if "evs-publisher-" in r]
    assert len(rows) == 1 and rows[0].count("<td>") == 4, rows  # one row, four cells
    assert "<em>" not in html and "<del>" not in html
