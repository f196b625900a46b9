"""`pulumi_args`: SDK keyword arguments mlinfra does not model, on a declaration's own
resource (a store's instance or replication group, a queue's SQS queue, Pub/Sub topic or
fan-out SNS topic, a subscription's Pub/Sub subscription or SQS queue).

Expected values are written by hand: argument counts from the pinned SDKs' signatures
(pulumi_gcp 10.2.0, pulumi_aws 7.51.1), verdicts from magic-modules
mmv1/products/pubsub/Subscription.yaml (`filter`: immutable: true) and
mmv1/products/redis/Instance.yaml (`displayName`: not immutable)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pulumi
import pytest

from mlinfra_compile import sdkargs
from mlinfra_compile.backends import pulumi_program as backend
from mlinfra_compile.resolve import Workspace, compile_environment
from tests.golden import REPO, all_cases, environments, git, run_cli
from tests.test_pulumi_backend import RecordingMocks, graph_of


def repo(tmp_path: Path, text: str, name: str = "main") -> Path:
    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / "environments" / f"{name}.yaml").write_text(textwrap.dedent(text))
    return tmp_path


def lint(tmp_path: Path, text: str) -> tuple[int, list[str]]:
    rc, out, _ = run_cli(repo(tmp_path, text), "lint")
    return rc, out.splitlines()


def compiled(tmp_path: Path, text: str, name: str = "main") -> dict:
    root = repo(tmp_path, text, name)
    c = compile_environment(Workspace(str(root)), str(root / "environments" / f"{name}.yaml"))
    assert c.graph is not None, c.diagnostics
    return {r["name"]: r for r in c.graph.to_json()["resources"]}


GCP = "providers: {gcp: {project: acme-ml-test, region: us-central1}}\n"
AWS = "providers: {aws: {region: eu-west-1}}\n"


def doc(cloud: str, body: str) -> str:
    return cloud + textwrap.dedent(body)


# --- 1. an unmodelled argument reaches the SDK call ------------------------------------

@pytest.fixture
def mocks(monkeypatch):
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="test", preview=False)
    monkeypatch.setattr(pulumi, "export", lambda name, value: None)
    return m


def _all_registered(built: dict) -> pulumi.Output:
    return pulumi.Output.all(*(r.urn for r in built.values()))


@pulumi.runtime.test
def test_gcp_arguments_mlinfra_does_not_model_reach_the_sdk_call(mocks, tmp_path):
    built = backend.materialize(graph_of(tmp_path, doc(GCP, """\
        session_stores:
          cache:
            pulumi_args: {display_name: Feature cache}
        queues:
          ml-training:
            pulumi_args: {message_retention_duration: 86400s}
            subscriptions:
              trainers:
                pulumi_args:
                  filter: 'attributes.kind = "train"'
                  retain_acked_messages: true
                  push_config: {push_endpoint: "https://example.com/push",
                                attributes: {x-goog-version: v1}}
        """)))

    def check(_):
        by = mocks.by_name()
        assert by["cache"].inputs == {
            "authEnabled": False, "deletionProtection": False, "displayName": "Feature cache",
            "labels": {"environment": "main", "managed-by": "mlinfra"}, "memorySizeGb": 1.0,
            "persistenceConfig": {"persistenceMode": "DISABLED"}, "project": "acme-ml-test",
            "redisVersion": "REDIS_7_2", "region": "us-central1", "tier": "BASIC",
            "transitEncryptionMode": "DISABLED"}
        assert by["ml-training"].inputs == {
            "labels": {"environment": "main", "managed-by": "mlinfra"},
            "messageRetentionDuration": "86400s", "project": "acme-ml-test"}
        sub = by["ml-training-trainers"]
        assert sub.typ == "gcp:pubsub/subscription:Subscription"
        assert sub.inputs["filter"] == 'attributes.kind = "train"'
        assert sub.inputs["retainAckedMessages"] is True
        assert sub.inputs["pushConfig"] == {"pushEndpoint": "https://example.com/push",
                                            "attributes": {"x-goog-version": "v1"}}
        assert sub.inputs["ackDeadlineSeconds"] == 10.0  # (mlinfra's own, untouched)

    return _all_registered(built).apply(check)


@pulumi.runtime.test
def test_aws_arguments_mlinfra_does_not_model_reach_the_sdk_call(mocks, tmp_path):
    built = backend.materialize(graph_of(tmp_path, doc(AWS, """\
        session_stores:
          cache:
            pulumi_args: {final_snapshot_identifier: cache-final}
        queues:
          jobs:
            pulumi_args: {signature_version: 2}
            subscriptions:
              workers:
                pulumi_args: {kms_data_key_reuse_period_seconds: 3600}
        """)))

    def check(_):
        by = mocks.by_name()
        assert by["cache"].inputs["finalSnapshotIdentifier"] == "cache-final"
        assert by["jobs"].typ == "aws:sns/topic:Topic"
        assert by["jobs"].inputs == {"region": "eu-west-1", "signatureVersion": 2.0,
                                     "tags": {"environment": "main", "managed-by": "mlinfra"}}
        assert by["jobs-workers"].typ == "aws:sqs/queue:Queue"
        assert by["jobs-workers"].inputs == {
            "delaySeconds": 0.0, "fifoQueue": False, "kmsDataKeyReusePeriodSeconds": 3600.0,
            "maxMessageSize": 262144.0, "messageRetentionSeconds": 345600.0,
            "receiveWaitTimeSeconds": 20.0, "region": "eu-west-1",
            "sqsManagedSseEnabled": True,
            "tags": {"environment": "main", "managed-by": "mlinfra"},
            "visibilityTimeoutSeconds": 30.0}
        # the queue's pulumi_args are its topic's, not taken by its subscriptions' queues
        assert "signatureVersion" not in by["jobs-workers"].inputs

    return _all_registered(built).apply(check)


# --- 2. names: unknown, modelled -------------------------------------------------------

def test_an_unknown_name_is_mlc325_with_did_you_mean_at_the_key(tmp_path):
    rc, lines = lint(tmp_path, doc(GCP, """\
        queues:
          ml-training:
            subscriptions:
              trainers:
                pulumi_args: {filtr: 'attributes.kind = "train"'}
        """))
    assert rc == 1
    assert lines[0] == (
        "environments/main.yaml:6:23: error: "
        "queues.ml-training.subscriptions.trainers.pulumi_args.filtr: "
        "pulumi_gcp.pubsub.Subscription has no argument 'filtr' (did you mean 'filter'?); "
        "it takes 19 keyword arguments (pulumi_gcp 10.2.0) [MLC325]")


def test_a_camel_case_name_suggests_the_sdk_spelling_and_a_far_one_suggests_nothing(tmp_path):
    rc, lines = lint(tmp_path, doc(AWS, """\
        session_stores:
          cache:
            pulumi_args:
              finalSnapshotIdentifier: x
              zzz: 1
        """))
    assert rc == 1
    assert lines[:2] == [
        "environments/main.yaml:5:7: error: session_stores.cache.pulumi_args."
        "finalSnapshotIdentifier: pulumi_aws.elasticache.ReplicationGroup has no argument "
        "'finalSnapshotIdentifier' (did you mean 'final_snapshot_identifier'?); it takes 44 "
        "keyword arguments (pulumi_aws 7.51.1) [MLC325]",
        "environments/main.yaml:6:7: error: session_stores.cache.pulumi_args.zzz: "
        "pulumi_aws.elasticache.ReplicationGroup has no argument 'zzz'; it takes 44 keyword "
        "arguments (pulumi_aws 7.51.1) [MLC325]"]


def test_an_argument_a_field_models_is_refused_naming_the_field(tmp_path):
    rc, lines = lint(tmp_path, doc(GCP, """\
        session_stores:
          cache:
            pulumi_args: {memory_size_gb: 5, labels: {team: ml}, project: other}
        queues:
          ml-training:
            subscriptions:
              trainers:
                pulumi_args: {enable_message_ordering: true, topic: other}
        """))
    assert rc == 1
    assert lines[:5] == [
        "environments/main.yaml:4:19: error: session_stores.cache.pulumi_args.memory_size_gb: "
        "'memory_size_gb' is modelled by mlinfra: set the field memory instead [MLC325]",
        "environments/main.yaml:4:38: error: session_stores.cache.pulumi_args.labels: "
        "'labels' is modelled by mlinfra: set the field labels instead [MLC325]",
        "environments/main.yaml:4:58: error: session_stores.cache.pulumi_args.project: "
        "'project' is modelled by mlinfra: mlinfra sets it [MLC325]",
        "environments/main.yaml:9:23: error: queues.ml-training.subscriptions.trainers."
        "pulumi_args.enable_message_ordering: 'enable_message_ordering' is modelled by "
        "mlinfra: set the field ordering instead [MLC325]",
        "environments/main.yaml:9:54: error: queues.ml-training.subscriptions.trainers."
        "pulumi_args.topic: 'topic' is modelled by mlinfra: mlinfra sets it [MLC325]"]


def test_modelled_aws_arguments_name_their_fields(tmp_path):
    rc, lines = lint(tmp_path, doc(AWS, """\
        session_stores:
          cache:
            pulumi_args: {node_type: cache.r7g.large}
        queues:
          jobs:
            pulumi_args: {delay_seconds: 5}
          events:
            pulumi_args: {fifo_topic: true}
            subscriptions:
              workers:
                pulumi_args: {kms_master_key_id: alias/x}
        """))
    assert rc == 1
    assert lines[:4] == [
        "environments/main.yaml:4:19: error: session_stores.cache.pulumi_args.node_type: "
        "'node_type' is modelled by mlinfra: set the field memory or node_type instead "
        "[MLC325]",
        "environments/main.yaml:7:19: error: queues.jobs.pulumi_args.delay_seconds: "
        "'delay_seconds' is modelled by mlinfra: set the field delay instead [MLC325]",
        "environments/main.yaml:9:19: error: queues.events.pulumi_args.fifo_topic: "
        "'fifo_topic' is modelled by mlinfra: set the field fifo instead [MLC325]",
        "environments/main.yaml:12:23: error: queues.events.subscriptions.workers.pulumi_args."
        "kms_master_key_id: 'kms_master_key_id' is modelled by mlinfra: set the field "
        "encryption (on the queue) instead [MLC325]"]


def test_a_topic_takes_the_retention_a_gcp_queue_gives_its_subscriptions(tmp_path):
    """`retention` becomes the subscriptions' message_retention_duration: the topic's own
    is not modelled, so it passes."""
    r = compiled(tmp_path, doc(GCP, """\
        queues:
          ml-training:
            retention: 1d
            pulumi_args: {message_retention_duration: 604800s}
        """))
    assert r["ml-training"]["args"]["message_retention_duration"] == "604800s"
    assert r["ml-training-sub"]["args"]["message_retention_duration"] == "86400s"


def test_every_argument_mlinfra_emits_on_a_declarations_own_resource_is_modelled():
    """The check does not rely on what one compile emitted: whatever any golden case makes
    mlinfra set on a declaration's own resource is refused by the static rule too."""
    from mlinfra_compile.providers import service_of

    seen = 0
    for _, root, _, _ in all_cases():
        ws = Workspace(str(root))
        for env in environments(root):
            c = compile_environment(ws, ws.find(env))
            if c.graph is None:
                continue
            by = c.graph.by_name()
            for decl in c.decls.values():
                r = by.get(decl.logical)
                for arg in r.args if r is not None else ():
                    assert sdkargs.modelled(service_of(decl), r.type, arg) is not None, \
                        (env, r.name, arg)
                    seen += 1
    assert seen > 500


def test_every_argument_the_static_tables_name_is_one_the_sdk_takes():
    table = sdkargs.load_table()["types"]
    for rtype, args in sdkargs.SETS.items():
        assert set(args) <= set(table[rtype]), rtype
    for rtype, args in sdkargs.NOT_HERE.items():
        assert set(args) <= set(table[rtype]), rtype


# --- 3. values: plain JSON, passed through unchanged ---------------------------------------

def test_graph_markers_are_refused_wherever_they_are(tmp_path):
    rc, lines = lint(tmp_path, doc(GCP, """\
        queues:
          ml-training:
            pulumi_args: {message_transforms: [{disabled: false, "$json": x}]}
            subscriptions:
              trainers:
                pulumi_args:
                  push_config: {push_endpoint: {"$ref": cache, attr: host}}
                  bigquery_config: {"$secret": key}
                  cloud_storage_config: {bucket: {"$unknown": 1}}
        """))
    assert rc == 1
    why = ("is a key mlinfra reserves for the markers of its graph ($ref, $json, $secret, "
           "$unknown); pulumi_args values are plain JSON, passed as written [MLC325]")
    assert lines[:4] == [
        "environments/main.yaml:4:58: error: queues.ml-training.pulumi_args."
        f"message_transforms[0]['$json']: '$json' {why}",
        "environments/main.yaml:8:41: error: queues.ml-training.subscriptions.trainers."
        f"pulumi_args.push_config.push_endpoint['$ref']: '$ref' {why}",
        "environments/main.yaml:9:29: error: queues.ml-training.subscriptions.trainers."
        f"pulumi_args.bigquery_config['$secret']: '$secret' {why}",
        "environments/main.yaml:10:43: error: queues.ml-training.subscriptions.trainers."
        f"pulumi_args.cloud_storage_config.bucket['$unknown']: '$unknown' {why}"]


def test_lists_mappings_and_numbers_pass_through_unchanged(tmp_path):
    r = compiled(tmp_path, doc(GCP, """\
        queues:
          ml-training:
            subscriptions:
              trainers:
                pulumi_args:
                  message_transforms: [{javascript_udf: {function_name: f, code: "x"}},
                                       {disabled: true}]
                  push_config: {push_endpoint: "https://example.com/push",
                                attributes: {x-goog-version: v1}}
                  retain_acked_messages: true
        """))
    args = r["ml-training-trainers"]["args"]
    assert args["message_transforms"] == [{"javascript_udf": {"function_name": "f",
                                                              "code": "x"}},
                                          {"disabled": True}]
    assert args["push_config"] == {"push_endpoint": "https://example.com/push",
                                   "attributes": {"x-goog-version": "v1"}}
    assert args["retain_acked_messages"] is True
    r = compiled(tmp_path, doc(AWS, """\
        queues:
          jobs:
            pulumi_args: {signature_version: 2, sqs_success_feedback_sample_rate: 12.5}
            subscriptions: {workers: {}}
        """))
    assert r["jobs"]["args"]["signature_version"] == 2
    assert r["jobs"]["args"]["sqs_success_feedback_sample_rate"] == 12.5


def test_plan_marks_them_set_or_inherited_and_cost_is_unchanged(tmp_path):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "_base.yaml").write_text(
        GCP + "session_stores:\n  cache:\n    pulumi_args: {display_name: Feature cache}\n")
    repo(tmp_path, """\
        extends: _base
        queues:
          ml-training:
            subscriptions:
              trainers:
                pulumi_args: {filter: 'attributes.kind = "train"'}
        """)
    rc, out, _ = run_cli(tmp_path, "plan", "main")
    assert rc == 0
    lines = out.splitlines()
    assert ('  display_name             "Feature cache"                               '
            'inherited  environments/_base.yaml:4:19') in lines
    assert any(line.startswith("  filter ") and line.endswith(
        "set        environments/main.yaml:6:23") for line in lines), out
    # Memorystore basic, 1 GiB in us-central1: 730 h x $0.049 per GiB-hour
    assert "Estimated cost: $35.77/month" in out
    rc, out, _ = run_cli(tmp_path, "explain", "main",
                         "queues.ml-training.subscriptions.trainers.pulumi_args.filter")
    assert (rc, out.splitlines()[1:]) == (0, [
        "  set at environments/main.yaml:6:23",
        "  compiles to ml-training-trainers.filter = \"attributes.kind = \\\"train\\\"\""])


# --- 4. the table: current, package data, read only when needed --------------------------

def test_the_committed_table_is_the_one_the_pinned_sdks_give():
    committed = (REPO / "mlinfra_compile" / "sdk_arguments.json").read_text()
    assert sdkargs.table_text(sdkargs.read_sdks()) == committed, \
        "mlinfra_compile/sdk_arguments.json is stale: run `make schema` (then ACCEPT=1)"
    doc = json.loads(committed)
    assert doc["sdks"] == {"pulumi_aws": "7.51.1", "pulumi_gcp": "10.2.0"}
    assert len(doc["types"]["gcp:pubsub/subscription:Subscription"]) == 19
    assert "filter" in doc["types"]["gcp:pubsub/subscription:Subscription"]
    assert "resource_name" not in doc["types"]["gcp:redis/instance:Instance"]


def test_the_table_is_package_data():
    import tomllib

    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "sdk_arguments.json" in data["tool"]["setuptools"]["package-data"]["mlinfra_compile"]


def test_lint_without_pulumi_args_never_reads_the_table(tmp_path, monkeypatch):
    def refuse():
        raise AssertionError("the table was read")

    monkeypatch.setattr(sdkargs, "load_table", refuse)
    rc, out, err = run_cli(REPO, "lint")
    assert (rc, out, err) == (0, "", "5 files checked, 0 errors\n")
    root = repo(tmp_path, GCP + "session_stores:\n  cache:\n"
                                "    pulumi_args: {display_name: x}\n")
    with pytest.raises(AssertionError, match="the table was read"):  # (the patch has teeth)
        compile_environment(Workspace(str(root)), str(root / "environments" / "main.yaml"))


# --- 5. diff: a change mlinfra has no rule for may replace ------------------------------

SUB = GCP.replace("}}", ', project_number: "123456789012"}}') + textwrap.dedent("""\
    profile: PROFILE
    queues:
      ml-training:
        subscriptions:
          trainers:
            pulumi_args: {filter: 'attributes.kind = "train"'}
    """)
MAY = ("mlinfra does not model this argument; the provider may replace the resource to "
       "change it (not in mlinfra's table of change rules)")


def diff_repo(tmp_path: Path, profile: str, old: str, new: str) -> Path:
    root = repo(tmp_path, SUB.replace("PROFILE", profile), "prod")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "before")
    p = root / "environments" / "prod.yaml"
    text = p.read_text()
    assert old in text
    p.write_text(text.replace(old, new))
    return root


TRANSFORMS = ("pulumi_args: {filter: 'attributes.kind = \"train\"'}",
              "pulumi_args: {filter: 'attributes.kind = \"train\"', "
              "message_transforms: [{disabled: true}]}")


def test_a_production_change_mlinfra_does_not_model_may_replace_and_is_refused(tmp_path):
    root = diff_repo(tmp_path, "production", *TRANSFORMS)
    rc, out, _ = run_cli(root, "diff", "prod")
    assert rc == 3
    lines = out.splitlines()
    assert "-/+ ml-training-trainers  gcp:pubsub/subscription:Subscription  MAY REPLACE" \
        in lines
    assert f"      message_transforms: (unset) -> [{{disabled: true}}]  MAY REPLACE: {MAY}" \
        in lines
    assert lines[-1] == (
        "refused: prod is a production environment and this may replace "
        f"ml-training-trainers (message_transforms: {MAY}), losing its data; rerun with "
        "--allow-replace ml-training-trainers if you mean it [MLC601]")
    rc, out, _ = run_cli(root, "diff", "prod", "--allow-replace", "ml-training-trainers")
    assert rc == 0 and "MLC601" not in out
    assert f"      message_transforms: (unset) -> [{{disabled: true}}]  MAY REPLACE: {MAY}" \
        in out.splitlines()


def test_in_development_it_is_shown_and_not_refused(tmp_path):
    root = diff_repo(tmp_path, "development", *TRANSFORMS)
    rc, out, _ = run_cli(root, "diff", "prod")
    assert rc == 0
    assert f"      message_transforms: (unset) -> [{{disabled: true}}]  MAY REPLACE: {MAY}" \
        in out.splitlines()
    assert "refused" not in out


def test_a_change_the_table_lists_takes_its_cited_verdict(tmp_path):
    """filter: magic-modules Subscription.yaml `immutable: true` (a replacement, certain)."""
    root = diff_repo(tmp_path, "production", '"train"', '"eval"')
    rc, out, _ = run_cli(root, "diff", "prod")
    assert rc == 3
    lines = out.splitlines()
    assert "-/+ ml-training-trainers  gcp:pubsub/subscription:Subscription  REPLACE" in lines
    assert ('      filter: "attributes.kind = \\"train\\"" -> "attributes.kind = \\"eval\\""  '
            "REPLACE: forces replacement") in lines
    assert lines[-1].startswith("refused: prod is a production environment and this would "
                                "replace ml-training-trainers (filter: forces replacement)")


def test_a_memorystore_display_name_changes_in_place(tmp_path):
    """displayName: not immutable in magic-modules redis/Instance.yaml (PATCH)."""
    text = GCP + "session_stores:\n  cache:\n    pulumi_args: {display_name: Feature cache}\n"
    root = repo(tmp_path, text, "prod")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "before")
    (root / "environments" / "prod.yaml").write_text(text.replace("cache}", "store}"))
    rc, out, _ = run_cli(root, "diff", "prod")
    assert rc == 0
    assert '      display_name: "Feature cache" -> "Feature store"  in place' in \
        out.splitlines()


def test_the_json_verdict_is_may_replace(tmp_path):
    root = diff_repo(tmp_path, "production", *TRANSFORMS)
    rc, out, _ = run_cli(root, "diff", "prod", "--format", "json")
    assert rc == 3
    doc = json.loads(out)
    (change,) = [c for c in doc["changes"] if c["name"] == "ml-training-trainers"]
    assert change["action"] == "replace"
    assert change["args"] == [{"key": "message_transforms", "old": None,
                               "new": [{"disabled": True}], "verdict": "may-replace",
                               "why": MAY, "deferred": False}]
    assert doc["blocked"] is True


def test_the_markdown_says_may_replace(tmp_path):
    import cmarkgfm
    from cmarkgfm.cmark import Options

    root = diff_repo(tmp_path, "production", *TRANSFORMS)
    rc, md, _ = run_cli(root, "diff", "prod", "--format", "markdown")
    assert rc == 3
    html = cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)
    assert ("<td><code>ml-training-trainers</code></td>\n"
            "<td><code>gcp:pubsub/subscription:Subscription</code></td>\n"
            "<td><strong>may replace</strong></td>") in html
    assert ("<td><strong>MAY REPLACE</strong>: mlinfra does not model this argument; the "
            "provider may replace the resource to change it (not in mlinfra's table of "
            "change rules)</td>") in html
    assert ("<p><strong>Refused:</strong> this production change may replace "
            "<code>ml-training-trainers</code>") in html
    assert "<summary><code>ml-training-trainers</code>: may replace</summary>" in html


# --- 6. the schema: where pulumi_args may be written -------------------------------------

def test_the_schema_takes_pulumi_args_on_declarations_only(tmp_path):
    from mlinfra_compile.schema import build_schema

    s = build_schema()
    for kind in ("session_store", "queue", "subscription"):
        node = s["$defs"][kind]["properties"]["pulumi_args"]
        assert node["type"] == ["object", "null"] and node["default"] is None
        assert node["examples"] and node["description"].startswith("Keyword arguments")
    assert "pulumi_args" not in s["properties"]
    rc, lines = lint(tmp_path, doc(GCP, """\
        pulumi_args: {display_name: x}
        session_stores:
          cache:
            network: {pulumi_args: {}}
        """))
    assert rc == 1
    assert lines[0].startswith("environments/main.yaml:2:1: error: pulumi_args: unknown key "
                               "'pulumi_args'")
    assert lines[1].startswith("environments/main.yaml:5:15: error: session_stores.cache."
                               "network.pulumi_args: unknown key 'pulumi_args'")


def test_the_committed_schema_has_it_with_a_hover_naming_the_sdk_class():
    doc = json.loads((REPO / "schemas" / "environment.schema.json").read_text())
    hover = doc["$defs"]["subscription"]["properties"]["pulumi_args"]["markdownDescription"]
    assert "| gcp (Pub/Sub) |  |  | keyword arguments of `pulumi_gcp.pubsub.Subscription` |" \
        in hover
    hover = doc["$defs"]["queue"]["properties"]["pulumi_args"]["markdownDescription"]
    assert ("| aws (SQS) |  |  | keyword arguments of `pulumi_aws.sqs.Queue` (with "
            "subscriptions: `pulumi_aws.sns.Topic`) |") in hover


def test_a_camel_case_name_suggests_its_snake_case_spelling_where_difflib_would_not(tmp_path):
    # (make mutate) difflib alone would offer auth_token for authTokenWo; the SDK's own
    # spelling of the camelCase name is auth_token_wo
    rc, lines = lint(tmp_path, doc(AWS, """\
        session_stores:
          cache:
            pulumi_args:
              authTokenWo: x
        """))
    assert rc == 1
    assert "has no argument 'authTokenWo' (did you mean 'auth_token_wo'?)" in lines[0]
