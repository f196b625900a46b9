"""The Pulumi backend under pulumi.runtime.Mocks (preview=False, so outputs resolve and
`apply` callbacks run; each test returns the Output it asserts inside)."""

from __future__ import annotations

import json
import textwrap

import pulumi  # make test installs the SDKs: missing, this fails rather than skips
import pytest

from mlinfra_compile.backends import pulumi_program as backend
from mlinfra_compile.resolve import Workspace, compile_environment
from tests.golden import REPO


class RecordingMocks(pulumi.runtime.Mocks):
    """Echoes inputs as outputs and fills the attributes the graph refers to."""

    def __init__(self) -> None:
        self.created: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args):
        self.created.append(args)
        out = dict(args.inputs)
        name = args.inputs.get("name") or f"{args.name}-1234567"
        out["name"] = name
        physical_id = f"{args.name}-id"
        if args.typ.startswith("gcp:pubsub/topic"):
            physical_id = f"projects/{args.inputs.get('project', 'p')}/topics/{name}"
        out.update({
            "arn": f"arn:aws:sqs:us-east-1:123456789012:{name}",
            "url": f"https://sqs.us-east-1.amazonaws.com/123456789012/{name}",
            "host": "10.0.0.3", "port": 6379.0,
            "primaryEndpointAddress": f"{name}.cache.amazonaws.com",
            "readerEndpointAddress": f"{name}-ro.cache.amazonaws.com",
        })
        return [physical_id, out]

    def call(self, args):
        return {}

    def by_name(self):
        return {a.name: a for a in self.created}


@pytest.fixture
def mocks():
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="test", preview=False)
    return m


@pytest.fixture
def exports(monkeypatch):
    seen: dict[str, object] = {}
    monkeypatch.setattr(pulumi, "export", lambda name, value: seen.__setitem__(name, value))
    return seen


def graph_of(tmp_path, text: str, name: str = "main") -> dict:
    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / "environments" / f"{name}.yaml").write_text(textwrap.dedent(text))
    ws = Workspace(str(tmp_path))
    c = compile_environment(ws, str(tmp_path / "environments" / f"{name}.yaml"))
    assert c.graph is not None, c.diagnostics
    return json.loads(c.graph.dumps())


REDIS = """\
    profile: production
    providers: {gcp: {project: acme-ml-test, region: us-central1, network: ml-vpc}}
    labels: {team: ml}
    name_template: "{{ env }}-{{ name }}"
    session_stores:
      cache:
        memory: 5GiB
        tier: standard_ha
        version: "7.0"
        auth: true
        tls: true
        replicas: 2
        persistence: rdb-12h
        eviction_policy: allkeys-lru
        region: europe-west1
    """


@pytest.mark.usefixtures("exports")
@pulumi.runtime.test
def test_gcp_redis_every_field(mocks, tmp_path):
    built = backend.materialize(graph_of(tmp_path, REDIS))
    r = built["cache"]
    assert type(r).__module__.startswith("pulumi_gcp.redis")

    def check(_):
        a = mocks.by_name()["cache"]
        assert a.typ == "gcp:redis/instance:Instance"
        assert a.inputs == {
            "authEnabled": True, "authorizedNetwork": "ml-vpc", "deletionProtection": True,
            "labels": {
                "environment": "main", "managed-by": "mlinfra", "team": "ml"},
            "memorySizeGb": 5.0, "name": "main-cache",
            "persistenceConfig": {"persistenceMode": "RDB", "rdbSnapshotPeriod": "TWELVE_HOURS"},
            "project": "acme-ml-test", "readReplicasMode": "READ_REPLICAS_ENABLED",
            "redisConfigs": {"maxmemory-policy": "allkeys-lru"}, "redisVersion": "REDIS_7_0",
            "region": "europe-west1", "replicaCount": 2.0, "secondaryIpRange": "auto",
            "tier": "STANDARD_HA",
            "transitEncryptionMode": "SERVER_AUTHENTICATION"}
        assert r._protect is True

    return r.urn.apply(check)


@pulumi.runtime.test
def test_sqs_with_dead_letter_queue(mocks, tmp_path, exports):
    graph = graph_of(tmp_path, """\
        profile: production
        providers: {aws: {region: eu-west-1}}
        queues:
          jobs:
            fifo: true
            delay: 90s
            max_message_size: 256KiB
            retention: 1d
            receive_wait: 10s
            visibility_timeout: 30s
            dead_letter: {max_receives: 4}
        """)
    built = backend.materialize(graph)
    assert sorted(exports) == ["jobs"]

    def check(args):
        policy, url = args[:2]
        created = mocks.by_name()
        src, dlq = created["jobs"], created["jobs-dlq"]
        assert src.typ == dlq.typ == "aws:sqs/queue:Queue"
        assert src.inputs["delaySeconds"] == 90.0
        assert src.inputs["maxMessageSize"] == 262144.0
        assert src.inputs["messageRetentionSeconds"] == 86400.0
        assert src.inputs["receiveWaitTimeSeconds"] == 10.0
        assert src.inputs["visibilityTimeoutSeconds"] == 30.0
        assert src.inputs["fifoQueue"] is True and dlq.inputs["fifoQueue"] is True
        assert src.inputs["region"] == "eu-west-1"
        assert dlq.inputs["messageRetentionSeconds"] == 1209600.0
        arn = "arn:aws:sqs:us-east-1:123456789012:jobs-dlq-1234567"
        assert json.loads(src.inputs["redrivePolicy"]) == {
            "deadLetterTargetArn": arn, "maxReceiveCount": 4}
        assert policy == src.inputs["redrivePolicy"]
        assert url == "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-dlq-1234567"
        assert built["jobs"]._protect is True and built["jobs-dlq"]._protect is True

    return pulumi.Output.all(built["jobs"].redrive_policy, exports["jobs"]["dead_letter_url"],
                             *[r.urn for r in built.values()]).apply(check)


PUBSUB = """\
    providers: {gcp: {project: acme-ml-test, project_number: "123456789012"}}
    queues:
      training:
        visibility_timeout: 60s
        dead_letter: {max_receives: 6}
        retry: {min_backoff: 5s, max_backoff: 300s}
        subscriptions:
          trainers: {}
          auditors: {visibility_timeout: 20s, ordering: true, expiry: never}
    """


@pulumi.runtime.test
def test_pubsub_subscriptions_dead_letter_topic_and_iam(mocks, tmp_path, exports):
    built = backend.materialize(graph_of(tmp_path, PUBSUB))
    agent = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com"

    def check(_):
        c = mocks.by_name()
        assert {n: a.typ for n, a in c.items()} == {
            "training": "gcp:pubsub/topic:Topic",
            "training-dlq": "gcp:pubsub/topic:Topic",
            "training-dlq-sub": "gcp:pubsub/subscription:Subscription",
            "training-dlq-publisher": "gcp:pubsub/topicIAMMember:TopicIAMMember",
            "training-trainers": "gcp:pubsub/subscription:Subscription",
            "training-auditors": "gcp:pubsub/subscription:Subscription",
            "training-trainers-subscriber":
                "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
            "training-auditors-subscriber":
                "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
        }
        trainers, auditors = c["training-trainers"].inputs, c["training-auditors"].inputs
        assert trainers["topic"] == "training-1234567"  # the topic's name, resolved
        assert trainers["ackDeadlineSeconds"] == 60.0 and auditors["ackDeadlineSeconds"] == 20.0
        assert auditors["enableMessageOrdering"] is True
        assert auditors["expirationPolicy"] == {"ttl": ""}
        assert trainers["retryPolicy"] == {"minimumBackoff": "5s", "maximumBackoff": "300s"}
        assert trainers["deadLetterPolicy"] == {
            "deadLetterTopic": "projects/acme-ml-test/topics/training-dlq-1234567",
            "maxDeliveryAttempts": 6.0}
        assert c["training-dlq-sub"].inputs["topic"] == "training-dlq-1234567"
        assert c["training-dlq-sub"].inputs["messageRetentionDuration"] == "2678400s"
        pub = c["training-dlq-publisher"].inputs
        assert pub == {"topic": "training-dlq-1234567", "role": "roles/pubsub.publisher",
                       "member": agent, "project": "acme-ml-test"}
        sub = c["training-trainers-subscriber"].inputs
        assert sub == {"subscription": "training-trainers-1234567",
                       "role": "roles/pubsub.subscriber", "member": agent,
                       "project": "acme-ml-test"}

    outs = exports["training"]

    def check_all(values):
        check(values)
        assert values[:2] == ["training-1234567", "training-trainers-1234567"]

    # wait for every registration, not only the ones the exports name
    return pulumi.Output.all(outs["topic"], outs["subscriptions"]["trainers"],
                             *[r.urn for r in built.values()]).apply(check_all)


@pulumi.runtime.test
def test_secret_config_becomes_a_secret_input(mocks, tmp_path, exports, monkeypatch):
    monkeypatch.setenv("PULUMI_CONFIG",
                       json.dumps({"mlinfra:cache-auth-token": "s3cret-token-0123456789"}))
    pulumi.runtime.set_mocks(mocks, project="mlinfra", stack="test", preview=False)
    graph = graph_of(tmp_path, """\
        profile: production
        providers: {aws: {region: us-east-1, subnet_ids: [subnet-0a1b2c3d]}}
        session_stores:
          cache: {provider: aws, memory: 2GiB, eviction_policy: volatile-lru}
        """)
    built = backend.materialize(graph)

    def check(args):
        token, host = args[:2]
        c = mocks.by_name()
        rg = c["cache"].inputs
        assert c["cache"].typ == "aws:elasticache/replicationGroup:ReplicationGroup"
        assert token == "s3cret-token-0123456789"
        assert rg["nodeType"] == "cache.t4g.medium" and rg["numCacheClusters"] == 2.0
        assert rg["automaticFailoverEnabled"] is True and rg["multiAzEnabled"] is True
        assert rg["atRestEncryptionEnabled"] is True and rg["transitEncryptionEnabled"] is True
        assert rg["parameterGroupName"] == "cache-params-1234567"
        pg = c["cache-params"].inputs
        assert pg["family"] == "redis7"
        assert pg["parameters"] == [{"name": "maxmemory-policy", "value": "volatile-lru"}]
        assert host == "cache-1234567.cache.amazonaws.com"

    return pulumi.Output.all(built["cache"].auth_token, exports["cache"]["host"],
                             *[r.urn for r in built.values()]).apply(check)


@pytest.mark.parametrize("stack", ["dev", "staging", "prod", "perf"])
def test_program_registers_exactly_the_graph_of_each_shipped_stack(stack, monkeypatch):
    graph = json.loads((REPO / "tests" / "golden" / f"{stack}.json").read_text())
    expected = {(r["type"], r["name"]) for r in graph["resources"]}
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack=stack, preview=False)
    monkeypatch.chdir(REPO)
    exported: dict[str, object] = {}
    monkeypatch.setattr(pulumi, "export", lambda k, v: exported.__setitem__(k, v))

    @pulumi.runtime.test
    def program():
        built = backend.run()

        def check(_):
            assert sorted((a.typ, a.name) for a in m.created) == sorted(expected)
            # the graph is exported for the next deploy's safety check
            assert json.loads(exported["_mlinfra_graph"]) == graph
            assert set(exported) == {"_mlinfra_graph", "_mlinfra_running",
                                     *graph["outputs"]}
            groups = sorted(r["name"] for r in graph["resources"]
                            if r["type"].startswith("aws:elasticache/replicationGroup"))
            assert sorted(exported["_mlinfra_running"]) == groups

        return pulumi.Output.all(*[r.urn for r in built.values()]).apply(check)

    program()


def test_program_stops_before_registering_when_the_stack_does_not_compile(tmp_path,
                                                                          monkeypatch):
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: python\n")
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "broken.yaml").write_text(
        "providers: {aws: {region: us-east-1}}\nqueues:\n  jobs: {delay: 5000s}\n")
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="broken", preview=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(pulumi.RunError) as info:
        backend.run()
    assert "5000s is above the SQS maximum of 900s [MLC204]" in str(info.value)
    assert m.created == []


def test_sdk_class_imports_only_what_it_needs():
    assert backend.sdk_class("gcp:pubsub/topicIAMMember:TopicIAMMember").__name__ == \
        "TopicIAMMember"
    with pytest.raises(backend.GraphError):
        backend.sdk_class("gcp:nothing/here:Nope")
    with pytest.raises(backend.GraphError):
        backend.sdk_class("not-a-token")


LOADED_SUBPACKAGES = """
import json, os, sys
import pulumi
from mlinfra_compile.backends import pulumi_program
class M(pulumi.runtime.Mocks):
    def new_resource(self, a): return [a.name, dict(a.inputs)]
    def call(self, a): return {}
pulumi.runtime.set_mocks(M(), project="mlinfra", stack="prod", preview=False)
pulumi.export = lambda *a: None
graph = json.load(open("tests/golden/prod.json"))
@pulumi.runtime.test
def go():
    built = pulumi_program.materialize(graph)
    return pulumi.Output.all(*[r.urn for r in built.values()])
go()
print(json.dumps(sorted(n for n, m in list(sys.modules.items())
      if n.startswith(("pulumi_gcp.", "pulumi_aws.")) and n.count(".") == 1
      and type(m).__name__ != "_LazyModule" and hasattr(m, "__path__"))), flush=True)
os._exit(0)
"""


def test_only_the_sdk_subpackages_a_graph_names_are_loaded():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", LOADED_SUBPACKAGES], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["pulumi_aws.sqs", "pulumi_gcp.kms", "pulumi_gcp.pubsub",
                               "pulumi_gcp.redis"]


@pulumi.runtime.test
def test_aliases_reach_pulumi(mocks, tmp_path, exports):
    graph = graph_of(tmp_path, """\
        providers: {aws: {region: us-east-1}}
        queues:
          jobs: {previous_names: [old-jobs], dead_letter: true}
        """)
    built = backend.materialize(graph)
    assert len(built["jobs"]._aliases) == 1
    assert len(built["jobs-dlq"]._aliases) == 1

    def check(urns):
        assert urns[0].endswith("::old-jobs") and urns[1].endswith("::old-jobs-dlq")

    return pulumi.Output.all(built["jobs"]._aliases[0],
                             built["jobs-dlq"]._aliases[0]).apply(check)


def test_every_argument_in_every_golden_graph_is_a_keyword_of_its_sdk_class():
    import inspect

    from tests.golden import CASES

    graphs = [*REPO.joinpath("tests", "golden").glob("*.json"),
              *CASES.glob("*/expected/*.json")]
    seen_types = set()
    for path in graphs:
        doc = json.loads(path.read_text())
        if doc["format"] != "mlinfra.graph/v1":
            continue  # (a cost estimate)
        for r in doc["resources"]:
            cls = backend.sdk_class(r["type"])
            params = set(inspect.signature(cls._internal_init).parameters) - {"self", "opts"}
            unknown = set(r["args"]) - params
            assert not unknown, f"{path.name}: {r['name']} ({r['type']}): {sorted(unknown)}"
            seen_types.add(r["type"])
    from mlinfra_compile.providers import CHANGES

    assert seen_types == set(CHANGES)  # every type the compiler emits, in some golden


PRODUCTION_NETWORKS = """\
    profile: production
    providers:
      gcp: {project: acme-ml-prod, region: us-central1, project_number: "123456789012",
            network: projects/acme-net-host/global/networks/ml-shared}
      aws: {region: us-east-1, vpc_id: vpc-0123456789abcdef0}
    session_stores:
      sessions:
        provider: gcp
        network: {connect_mode: private_service_access, reserved_ip_range: memorystore-prod}
        encryption: kms:projects/acme-ml-prod/locations/us-central1/keyRings/ml/cryptoKeys/redis
        maintenance: {day: sunday, start: "03:00"}
      cache:
        provider: aws
        network:
          subnet_ids: [subnet-0a1b2c3d, subnet-4e5f6a7b]
          allow_from: [10.0.0.0/16, sg-0a1b2c3d4e5f60718]
        encryption: kms:arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
        maintenance: {day: sunday, start: "03:00"}
    """


@pulumi.runtime.test
def test_networks_keys_and_windows_register_with_exactly_their_arguments(mocks, tmp_path,
                                                                        exports, monkeypatch):
    """Issue 14's done-when: a private-service-access Memorystore store on a shared VPC
    with a CMEK key and a Sunday 03:00 window, and an ElastiCache store in two subnets
    reachable from one CIDR and one security group, with a KMS key."""
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"mlinfra:cache-auth-token": "t" * 32}))
    pulumi.runtime.set_mocks(mocks, project="mlinfra", stack="test", preview=False)
    graph = graph_of(tmp_path, PRODUCTION_NETWORKS)
    built = backend.materialize(graph)
    key = "projects/acme-ml-prod/locations/us-central1/keyRings/ml/cryptoKeys/redis"
    arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    tags = {"environment": "main", "managed-by": "mlinfra"}

    def check(_):
        m = mocks.by_name()
        s = m["sessions"].inputs
        assert (s["authorizedNetwork"], s["connectMode"], s["reservedIpRange"],
                s["customerManagedKey"]) == (
            "projects/acme-net-host/global/networks/ml-shared", "PRIVATE_SERVICE_ACCESS",
            "memorystore-prod", key)
        assert s["maintenancePolicy"] == {"weeklyMaintenanceWindows": [{
            "day": "SUNDAY", "startTime": {"hours": 3.0, "minutes": 0.0, "nanos": 0.0,
                                           "seconds": 0.0}}]}
        g = m["sessions-key-access"]
        assert g.typ == "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
        assert g.inputs == {
            "cryptoKeyId": key, "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
            "member": "serviceAccount:service-123456789012@cloud-redis.iam.gserviceaccount.com"}
        c = m["cache"].inputs
        assert (c["kmsKeyId"], c["atRestEncryptionEnabled"], c["maintenanceWindow"],
                c["snapshotWindow"]) == (arn, True, "sun:03:00-sun:04:00", "02:00-03:00")
        assert c["subnetGroupName"] == "cache-subnets-1234567"
        assert c["securityGroupIds"] == ["cache-clients-id"]
        sg = m["cache-subnets"]
        assert sg.typ == "aws:elasticache/subnetGroup:SubnetGroup"
        assert sg.inputs == {"subnetIds": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
                             "description": "mlinfra: subnets of session store cache (main)",
                             "region": "us-east-1", "tags": tags}  # Pulumi names it
        group = m["cache-clients"]
        assert group.typ == "aws:ec2/securityGroup:SecurityGroup"
        assert (group.inputs["vpcId"], group.inputs["description"]) == (
            "vpc-0123456789abcdef0", "mlinfra: clients of a session store (main)")
        rules = {n: a.inputs for n, a in m.items() if n.startswith("cache-from-")}
        assert rules == {
            "cache-from-10-0-0-0-16": {
                "securityGroupId": "cache-clients-id", "ipProtocol": "tcp",
                "fromPort": 6379.0, "toPort": 6379.0, "cidrIpv4": "10.0.0.0/16",
                "description": "main: 10.0.0.0/16 to session store cache",
                "region": "us-east-1", "tags": tags},
            "cache-from-sg-0a1b2c3d4e5f60718": {
                "securityGroupId": "cache-clients-id", "ipProtocol": "tcp",
                "fromPort": 6379.0, "toPort": 6379.0,
                "referencedSecurityGroupId": "sg-0a1b2c3d4e5f60718",
                "description": "main: sg-0a1b2c3d4e5f60718 to session store cache",
                "region": "us-east-1", "tags": tags}}
        assert m["cache-from-10-0-0-0-16"].typ == \
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
        for name in ("sessions", "sessions-key-access", "cache", "cache-subnets",
                     "cache-clients", "cache-from-10-0-0-0-16",
                     "cache-from-sg-0a1b2c3d4e5f60718"):
            assert name in m, name
        assert len(m) == len(graph["resources"])

    return pulumi.Output.all(*[r.urn for r in built.values()]).apply(check)


@pulumi.runtime.test
def test_depends_on_reaches_pulumi_and_orders_creation(mocks):
    doc = {"resources": [
        {"name": "a", "type": "t", "args": {}, "options": {"depends_on": ["b"]}},
        {"name": "b", "type": "t", "args": {}, "options": {}}]}
    assert [r["name"] for r in backend.creation_order(doc["resources"])] == ["b", "a"]
    from pulumi_gcp import kms

    grant = kms.CryptoKeyIAMMember("g", crypto_key_id="k", role="r", member="m")
    opts = backend.resource_options({"depends_on": ["g"], "protect": True}, {"g": grant})
    assert opts.depends_on == [grant] and opts.protect is True
    return grant.urn


# --- issue 15: adoption, exports, access grants, fan-out ------------------------------------

CASES = REPO / "tests" / "cases"


def _case_graph(case: str, env: str) -> dict:
    return json.loads((CASES / case / "expected" / f"{env}.json").read_text())


@pytest.mark.usefixtures("mocks")
@pulumi.runtime.test
def test_the_reference_programs_are_adopted_with_their_ids_and_output_names(mocks, exports):
    """An environment restating the reference programs registers every resource as an
    import of its cloud id (nothing is created) and exports exactly the output names the
    programs' consumers read."""
    graph = _case_graph("ok-adopt-reference-programs", "adopted")
    built = backend.materialize(graph)

    def check(values):
        imports = {a.name: a.resource_id for a in mocks.created}
        assert imports == {r["name"]: r["options"]["import"] for r in graph["resources"]}
        named = {"redis_instance_id", "redis_instance_host", "ml_training_queue_url",
                 "ml_training_topic_name", "ml_training_subscription_name"}
        assert named <= set(exports)
        assert dict(zip(sorted(named), values, strict=True)) == {
            "ml_training_queue_url": "https://sqs.us-east-1.amazonaws.com/123456789012/"
                                     "mltrainingqueue-3f1c2a9",
            "ml_training_subscription_name": "ml-training-subscription-0a9c3e4",
            "ml_training_topic_name": "ml-training-7d41b0e",
            "redis_instance_host": "10.0.0.3",
            "redis_instance_id": "ml-session-storage-id"}
        queue = mocks.by_name()["ml-training-queue"]
        assert queue.inputs["name"] == "mltrainingqueue-3f1c2a9"

    return pulumi.Output.all(*[exports[k] for k in sorted(
        ("redis_instance_id", "redis_instance_host", "ml_training_queue_url",
         "ml_training_topic_name", "ml_training_subscription_name"))],
        *[r.urn for r in built.values()]).apply(lambda v: check(v[:5]))


@pulumi.runtime.test
def test_a_secret_attribute_stays_secret_when_exported(mocks, tmp_path, exports):
    graph = graph_of(tmp_path, """\
        providers: {gcp: {project: acme-ml-test, region: us-central1}}
        exports: {redis_auth: cache.auth_string, redis_host: cache.host}
        session_stores:
          cache: {auth: true}
        """)
    backend.materialize(graph)

    def check(flags):
        assert flags == [True, False]

    return _secret_flags(exports, check)


def _secret_flags(exports, check):
    import asyncio

    async def flags():
        return [await exports["redis_auth"].is_secret(), await exports["redis_host"].is_secret()]

    return pulumi.Output.from_input(asyncio.ensure_future(flags())).apply(check)


@pytest.mark.parametrize("env", ["aws", "gcp"])
def test_grants_and_fan_out_register_as_real_sdk_resources(env):
    """Every new resource type (SNS topic, subscription and policy, SQS queue policy,
    Pub/Sub IAM members) registers under mocks with the compiled inputs, camelCased."""
    graph = _case_graph("ok-fanout-both-clouds", env)
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack=env, preview=False)

    @pulumi.runtime.test
    def program():
        built = backend.materialize(graph, export=lambda k, v: None)

        def check(_):
            seen = {(a.typ, a.name) for a in m.created}
            assert seen == {(r["type"], r["name"]) for r in graph["resources"]}
            by = m.by_name()
            if env == "aws":
                sub = by["ml-training-trainers-subscription"].inputs
                assert (sub["protocol"], sub["rawMessageDelivery"]) == ("sqs", True)
                assert sub["endpoint"] == "arn:aws:sqs:us-east-1:123456789012:" \
                                          "ml-training-trainers-1234567"
                policy = json.loads(by["ml-training-trainers-policy"].inputs["policy"])
                assert [s["Sid"] for s in policy["Statement"]] == [
                    "TopicDelivers", "Subscribers", "DenyWithoutTLS"]
                assert policy["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"] \
                    == "arn:aws:sqs:us-east-1:123456789012:ml-training-1234567"
                topic = json.loads(by["ml-training-policy"].inputs["policy"])
                assert topic["Statement"][0]["Action"] == ["sns:Publish"]
            else:
                grants = sorted((a.inputs["role"], a.inputs["member"]) for a in m.created
                                if a.typ.endswith("IAMMember"))
                assert ("roles/pubsub.publisher",
                        "serviceAccount:api@acme-ml-prod.iam.gserviceaccount.com") in grants
                assert ("roles/pubsub.subscriber", "group:ml-trainers@acme.com") in grants

        return pulumi.Output.all(*[r.urn for r in built.values()]).apply(check)

    program()


def test_the_import_option_reaches_pulumi():
    opts = backend.resource_options({"import": "projects/p/topics/t", "protect": True})
    assert opts.import_ == "projects/p/topics/t" and opts.protect is True


class CertMocks(RecordingMocks):
    CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"

    def new_resource(self, args):
        physical_id, out = super().new_resource(args)
        out["serverCaCerts"] = [{"cert": self.CERT + "\n", "serialNumber": "1"},
                                {"cert": self.CERT}]
        return [physical_id, out]


def test_an_exported_ca_is_one_pem_bundle(tmp_path):
    graph = graph_of(tmp_path, """\
        providers: {gcp: {project: acme-ml-test, region: us-central1}}
        exports: {redis_ca: cache.server_ca_cert}
        session_stores:
          cache: {tls: true}
        """)
    m = CertMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="test", preview=False)
    seen: dict[str, object] = {}

    @pulumi.runtime.test
    def program():
        backend.materialize(graph, export=seen.__setitem__)

        def check(pem):
            assert pem == (CertMocks.CERT + "\n") * 2

        return seen["redis_ca"].apply(check)

    program()
