"""Issue 14: networks, customer-managed keys, maintenance windows, what clients need to
connect, current engines: each point through lint and compile (the Pulumi side is in
test_pulumi_backend, the goldens show plans and pictures)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from tests.golden import REPO, git, run_cli, safe_id

GCP = ("providers:\n  gcp: {project: acme-ml-prod, region: us-central1, "
       "project_number: '123456789012'}\n")
AWS = "providers:\n  aws: {region: us-east-1}\n"
KEY = "projects/acme-ml-prod/locations/us-central1/keyRings/ml/cryptoKeys/k"
ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _compile(repo, text: str) -> tuple[int, dict, str]:
    repo.write("main.yaml", text)
    rc, out, err = repo.run("compile", "main")
    if rc != 0:
        return rc, {}, repo.run("lint")[1]
    return rc, json.loads(out), err


def _res(doc: dict, name: str) -> dict:
    return next(r for r in doc["resources"] if r["name"] == name)


# --- 1. networks ---------------------------------------------------------------------------

def test_the_provider_network_and_a_store_override_become_authorized_network(repo):
    rc, doc, out = _compile(repo, GCP.replace("'}", "', network: ml-vpc}") +
                            "session_stores:\n  one: {}\n  two:\n    network:\n"
                            "      name: projects/acme-net/global/networks/shared\n"
                            "      connect_mode: private_service_access\n"
                            "      reserved_ip_range: redis-range\n")
    assert rc == 0, out
    assert _res(doc, "one")["args"]["authorized_network"] == "ml-vpc"
    b = _res(doc, "two")["args"]
    assert (b["authorized_network"], b["connect_mode"], b["reserved_ip_range"]) == (
        "projects/acme-net/global/networks/shared", "PRIVATE_SERVICE_ACCESS", "redis-range")
    assert "connect_mode" not in _res(doc, "one")["args"]  # the service's default


@pytest.mark.parametrize(("network", "message"), [
    ("{reserved_ip_range: redis-range}", "'redis-range' names an allocated range, which needs "
                                         "connect_mode: private_service_access"),
    ("{reserved_ip_range: 10.20.0.1/29}", "10.20.0.1/29 has host bits set: the network is "
                                          "10.20.0.0/29"),
    ("{reserved_ip_range: 10.20.0.0/33}", "'10.20.0.0/33' is not an IPv4 CIDR"),
    ("{allow_from: [10.0.0.0/16]}", "network.allow_from is not supported on gcp: Memorystore "
                                    "is reached on its authorized network"),
])
def test_memorystore_network_mistakes_are_named(repo, network, message):
    rc, _, out = _compile(repo, GCP + f"session_stores:\n  cache:\n    network: {network}\n")
    assert rc != 0 and message in out, out


def test_a_shared_vpc_with_direct_peering_is_a_warning(repo):
    rc, _, _ = _compile(repo, GCP.replace(
        "'}", "', network: projects/acme-net/global/networks/shared}") +
        "session_stores:\n  cache: {}\n")
    assert rc == 0
    out = repo.run("lint")[1]
    assert "warning: session_stores.cache.network.connect_mode: the network is in project " \
           "acme-net (a shared VPC)" in out and "[MLC319]" in out


def test_elasticache_subnets_clients_and_given_groups(repo):
    rc, doc, out = _compile(repo, AWS.replace("}", ", vpc_id: vpc-0123abcd}") +
                            "session_stores:\n  cache:\n    network:\n"
                            "      subnet_ids: [subnet-0a1b2c3d]\n"
                            "      allow_from: [sg-0a1b2c3d, 10.1.0.0/16]\n"
                            "      security_group_ids: [sg-0123456789abcdef0]\n")
    assert rc == 0, out
    rg = _res(doc, "cache")["args"]
    assert rg["subnet_group_name"] == {"$ref": "cache-subnets", "attr": "name"}
    assert rg["security_group_ids"] == [{"$ref": "cache-clients", "attr": "id"},
                                        "sg-0123456789abcdef0"]
    assert [r["name"] for r in doc["resources"]] == [
        "cache", "cache-clients", "cache-from-10-1-0-0-16", "cache-from-sg-0a1b2c3d",
        "cache-subnets"]
    assert _res(doc, "cache-clients")["args"]["vpc_id"] == "vpc-0123abcd"


@pytest.mark.parametrize(("network", "message"), [
    ("{allow_from: [10.0.0.0/16]}", "allow_from creates a security group, which needs a VPC"),
    ("{vpc_id: vpc-0123abcd, allow_from: [10.0.0.9/16]}", "10.0.0.9/16 has host bits set"),
    ("{subnet_ids: []}", "subnet_ids is empty"),
    ("{connect_mode: direct_peering}", "network.connect_mode is not supported on aws"),
    ("{subnet_ids: [subnet-xyz]}", "'subnet-xyz' is not a subnet id such as subnet-0a1b2c3d"),
    ("{allow_from: [everyone]}", "is not an IPv4 CIDR such as 10.0.0.0/16 or a security group"),
])
def test_elasticache_network_mistakes_are_named(repo, network, message):
    rc, _, out = _compile(repo, AWS + f"session_stores:\n  cache:\n    network: {network}\n")
    assert rc != 0 and message in out, out


def test_a_production_store_names_its_network_unless_waived(repo):
    text = "profile: production\n" + AWS + "session_stores:\n  cache: {}\n"
    rc, _, out = _compile(repo, text)
    assert rc != 0 and "[MLC507]" in out and "session_stores.cache.network" in out
    waived = text + "waivers:\n  - {rule: MLC507, resource: cache, reason: default VPC}\n"
    rc, _, out = _compile(repo, waived)
    assert rc == 0, out
    rc, _, _ = _compile(repo, text.replace("us-east-1}", "us-east-1, subnet_ids: "
                                                         "[subnet-0a1b2c3d]}"))
    assert rc == 0


# --- 2. customer-managed keys --------------------------------------------------------------

def test_a_memorystore_key_is_granted_to_its_agent_first(repo):
    rc, doc, out = _compile(repo, GCP + f"session_stores:\n  cache: {{encryption: kms:{KEY}}}\n")
    assert rc == 0, out
    cache = _res(doc, "cache")
    assert cache["args"]["customer_managed_key"] == KEY
    assert cache["options"]["depends_on"] == ["cache-key-access"]
    assert _res(doc, "cache-key-access")["args"] == {
        "crypto_key_id": KEY, "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": "serviceAccount:service-123456789012@cloud-redis.iam.gserviceaccount.com"}


def test_pubsub_topics_share_one_grant_per_key(repo):
    rc, doc, out = _compile(repo, GCP + "queues:\n"
                            f"  ab: {{encryption: 'kms:{KEY}', dead_letter: true}}\n"
                            f"  cd: {{encryption: 'kms:{KEY}'}}\n")
    assert rc == 0, out
    grants = [r for r in doc["resources"] if r["type"].endswith("CryptoKeyIAMMember")]
    assert [g["name"] for g in grants] == ["ab-key-access"]
    assert grants[0]["args"]["member"] == \
        "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com"
    for topic in ("ab", "ab-dlq", "cd"):
        r = _res(doc, topic)
        assert r["args"]["kms_key_name"] == KEY and r["options"]["depends_on"] == \
            ["ab-key-access"], topic


@pytest.mark.parametrize(("text", "message"), [
    ("session_stores:\n  cache: {encryption: 'kms:projects/p/keys/k'}\n",
     "'projects/p/keys/k' is not a Cloud KMS key name: expected "
     "projects/P/locations/L/keyRings/R/cryptoKeys/K"),
    ("session_stores:\n  cache: {encryption: "
     "'kms:projects/acme-ml-prod/locations/europe-west1/keyRings/r/cryptoKeys/k'}\n",
     "Memorystore needs a key in the instance's region us-central1, not europe-west1"),
    ("queues:\n  jobs: {encryption: sqs-managed}\n", "sqs-managed is SQS's; on Pub/Sub use"),
])
def test_gcp_key_mistakes_are_named(repo, text, message):
    rc, _, out = _compile(repo, GCP + text)
    assert rc != 0 and message in out, out


def test_a_gcp_key_needs_the_project_number(repo):
    rc, _, out = _compile(repo, GCP.replace(", project_number: '123456789012'", "") +
                          f"queues:\n  jobs: {{encryption: 'kms:{KEY}'}}\n")
    assert rc != 0 and "[MLC312]" in out and "Pub/Sub with a customer-managed key needs " \
                                               "providers.gcp.project_number" in out


@pytest.mark.parametrize(("key", "ok"), [
    (ARN, True), ("alias/ml", False), ("1234abcd-12ab-34cd-56ef-1234567890ab", False),
    (ARN.replace("us-east-1", "eu-west-1"), False)])
def test_elasticache_takes_a_key_arn_in_its_region(repo, key, ok):
    rc, doc, out = _compile(repo, AWS + f"session_stores:\n  cache: {{encryption: 'kms:{key}'}}\n")
    assert (rc == 0) is ok, out
    if ok:
        assert _res(doc, "cache")["args"]["kms_key_id"] == key
        assert _res(doc, "cache")["args"]["at_rest_encryption_enabled"] is True


@pytest.mark.parametrize(("key", "ok"), [
    ("alias/aws/sqs", True), ("1234abcd-12ab-34cd-56ef-1234567890ab", True), (ARN, True),
    ("arn:aws:kms:us-east-1:123456789012:alias/ml", True),
    ("mrk-1234abcd12ab34cd56ef1234567890ab", True), ("my key", False), ("key/123", False)])
def test_sqs_takes_every_form_of_key_it_documents(repo, key, ok):
    rc, doc, out = _compile(repo, AWS + f"queues:\n  jobs: {{encryption: 'kms:{key}'}}\n")
    assert (rc == 0) is ok, out
    if ok:
        assert _res(doc, "jobs")["args"]["kms_master_key_id"] == key


def test_managed_is_the_default_and_sqs_managed_still_spells_it(repo):
    for text in ("{}", "{encryption: managed}", "{encryption: sqs-managed}"):
        rc, doc, _ = _compile(repo, AWS + f"queues:\n  jobs: {text}\n")
        assert rc == 0 and _res(doc, "jobs")["args"]["sqs_managed_sse_enabled"] is True


# --- 3. maintenance -----------------------------------------------------------------------

def test_memorystore_weekly_window(repo):
    rc, doc, _ = _compile(repo, GCP + "session_stores:\n  cache:\n"
                          "    maintenance: {day: tuesday, start: '22:45'}\n")
    assert rc == 0
    assert _res(doc, "cache")["args"]["maintenance_policy"] == {"weekly_maintenance_windows": [
        {"day": "TUESDAY", "start_time": {"hours": 22, "minutes": 45, "seconds": 0,
                                          "nanos": 0}}]}


@pytest.mark.parametrize(("day", "start", "window", "snapshot"), [
    ("sunday", "03:00", "sun:03:00-sun:04:00", "02:00-03:00"),
    ("sunday", "23:30", "sun:23:30-mon:00:30", "22:30-23:30"),
    ("monday", "00:30", "mon:00:30-mon:01:30", "23:30-00:30"),
    ("saturday", "23:00", "sat:23:00-sun:00:00", "22:00-23:00"),
])
def test_elasticache_window_and_snapshots_clear_of_it(repo, day, start, window, snapshot):
    rc, doc, _ = _compile(repo, AWS + "session_stores:\n  cache:\n"
                          f"    maintenance: {{day: {day}, start: '{start}'}}\n"
                          "    snapshot_retention_days: 3\n")
    assert rc == 0
    args = _res(doc, "cache")["args"]
    assert (args["maintenance_window"], args["snapshot_window"]) == (window, snapshot)


def test_no_snapshot_window_without_snapshots(repo):
    rc, doc, _ = _compile(repo, AWS + "session_stores:\n  cache:\n"
                          "    maintenance: {day: sunday, start: '03:00'}\n")
    assert rc == 0 and "snapshot_window" not in _res(doc, "cache")["args"]


def test_a_window_needs_its_day_and_start(repo):
    rc, _, out = _compile(repo, AWS + "session_stores:\n  cache:\n"
                          "    maintenance: {day: sunday}\n")
    assert rc != 0 and "maintenance" in out and "start" in out


# --- 4. what clients need to connect -------------------------------------------------------

def _outputs_repo(tmp_path, monkeypatch, outputs: dict) -> Path:
    """A copy of the shipped repository whose `pulumi` (fake, on PATH) prints `outputs`
    as the stack's."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    (root / "Pulumi.yaml").write_text("name: mlinfra\n")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "pulumi"
    exe.write_text(f"#!{sys.executable}\nprint({json.dumps(json.dumps(outputs))})\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return root


def test_tls_and_read_replicas_reach_the_outputs(repo):
    rc, doc, _ = _compile(repo, GCP + "session_stores:\n  cache:\n    tls: true\n"
                          "    tier: standard_ha\n    memory: 5GiB\n    replicas: 1\n")
    assert rc == 0
    assert doc["outputs"]["cache"] == {
        "host": {"$ref": "cache", "attr": "host"}, "port": {"$ref": "cache", "attr": "port"},
        "ca_certs": {"$ref": "cache", "attr": "server_ca_certs"},
        "read_host": {"$ref": "cache", "attr": "read_endpoint"},
        "read_port": {"$ref": "cache", "attr": "read_endpoint_port"}}


PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"


def test_dotenv_writes_the_ca_to_a_file_it_names(tmp_path, monkeypatch):

    outputs = {"ml-session-storage": {"host": "10.0.0.3", "port": 6378,
                                      "ca_certs": [{"cert": PEM, "serial_number": "1"},
                                                   {"cert": PEM + "\n"}]}}
    root = _outputs_repo(tmp_path, monkeypatch, outputs)
    rc, out, err = run_cli(root, "outputs", "prod")
    assert rc == 0, err
    path = root / ".mlinfra" / "prod" / "ml_session_storage_ca_certs.pem"
    assert out.splitlines() == [f"ML_SESSION_STORAGE_CA_CERTS_FILE={path}",
                                "ML_SESSION_STORAGE_HOST=10.0.0.3",
                                "ML_SESSION_STORAGE_PORT=6378"]
    assert path.read_text() == PEM + "\n" + PEM + "\n"
    assert "wrote .mlinfra/prod/ml_session_storage_ca_certs.pem" in err
    rc, out, _ = run_cli(root, "outputs", "prod", "--format", "json")
    assert json.loads(out)["ML_SESSION_STORAGE_CA_CERTS"] == PEM + "\n" + PEM + "\n"


# --- 5. current engines and node types ----------------------------------------------------

@pytest.mark.parametrize(("version", "family"), [
    ("8.1", "valkey8"), ("8.2", "valkey8"), ("9.0", "valkey9"), ("9.1", "valkey9")])
def test_current_valkey_versions_and_their_families(repo, version, family):
    rc, doc, out = _compile(repo, AWS + "session_stores:\n  cache:\n    engine: valkey\n"
                            f"    version: '{version}'\n    eviction_policy: allkeys-lru\n")
    assert rc == 0, out
    assert _res(doc, "cache")["args"]["engine_version"] == version
    assert _res(doc, "cache-params")["args"]["family"] == family


def test_an_unknown_node_type_is_named_with_the_nearest(repo):
    rc, _, out = _compile(repo, AWS + "session_stores:\n  cache: {node_type: cache.r7g.larg}\n")
    assert rc != 0 and "cache.r7g.larg is not an ElastiCache node type (did you mean " \
                       "'cache.r7g.large'?)" in out and "[MLC321]" in out
    rc, doc, _ = _compile(repo, AWS + "session_stores:\n  cache: {node_type: cache.m7g.large}\n")
    assert rc == 0 and _res(doc, "cache")["args"]["node_type"] == "cache.m7g.large"


# --- 6. change safety of the new arguments -------------------------------------------------

def test_moving_a_production_store_to_another_network_is_refused(repo_git):
    from tests.golden import edit

    edit(repo_git, "prod.yaml", "reserved_ip_range: memorystore-prod",
         "reserved_ip_range: memorystore-prod-2")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 3, out
    assert "reserved_ip_range: \"memorystore-prod\" -> \"memorystore-prod-2\"  REPLACE" in out
    git(repo_git, "checkout", "-q", "--", ".")
    edit(repo_git, "prod.yaml", 'start: "03:00"', 'start: "04:00"')
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 0, out
    assert "maintenance_policy" in out and "in place" in out


def test_new_asks_a_production_environment_for_its_network(tmp_path):
    shutil.copytree(REPO / "environments", tmp_path / "environments")
    rc, _, err = run_cli(tmp_path, "new", "qa", "--profile", "production")
    assert rc == 0
    text = (tmp_path / "environments" / "qa.yaml").read_text()
    assert '    network: ""             # TODO: this environment\'s network' in text
    assert "providers.gcp.network: '' is not a network name" in err


def test_a_store_level_network_satisfies_production_on_both_clouds(repo):
    rc, _, out = _compile(repo, "profile: production\n" + GCP + AWS.replace("providers:\n", "") +
                          "default_provider: gcp\nsession_stores:\n"
                          "  one: {network: {name: ml-vpc}}\n"
                          "  two: {provider: aws, network: {subnet_ids: [subnet-0a1b2c3d]}}\n")
    assert rc == 0, out


def test_one_grant_per_key_and_agent(repo):
    other = KEY.replace("cryptoKeys/k", "cryptoKeys/other")
    rc, doc, out = _compile(repo, GCP + "session_stores:\n"
                            f"  mem: {{encryption: 'kms:{KEY}'}}\n"
                            "queues:\n"
                            f"  ab: {{encryption: 'kms:{KEY}'}}\n"
                            f"  cd: {{encryption: 'kms:{other}'}}\n"
                            f"  ef: {{encryption: 'kms:{other}'}}\n")
    assert rc == 0, out
    grants = {r["name"]: (r["args"]["crypto_key_id"], r["args"]["member"].split("@")[1])
              for r in doc["resources"] if r["type"].endswith("CryptoKeyIAMMember")}
    assert grants == {"mem-key-access": (KEY, "cloud-redis.iam.gserviceaccount.com"),
                      "ab-key-access": (KEY, "gcp-sa-pubsub.iam.gserviceaccount.com"),
                      "cd-key-access": (other, "gcp-sa-pubsub.iam.gserviceaccount.com")}
    assert _res(doc, "ef")["options"]["depends_on"] == ["cd-key-access"]


def test_given_security_groups_alone_are_attached(repo):
    rc, doc, out = _compile(repo, AWS + "session_stores:\n  cache:\n"
                            "    network: {security_group_ids: [sg-0123456789abcdef0]}\n")
    assert rc == 0, out
    assert _res(doc, "cache")["args"]["security_group_ids"] == ["sg-0123456789abcdef0"]
    assert [r["name"] for r in doc["resources"]] == ["cache"]


def test_hostile_names_and_certificates_stay_inert(tmp_path, monkeypatch):

    evil = "a\x1b]0;x\x07/../b"
    outputs = {evil: {"ca_certs": [{"cert": PEM + "\n\x1b[2J`rm -rf /`"}]}}
    root = _outputs_repo(tmp_path, monkeypatch, outputs)
    rc, out, err = run_cli(root, "outputs", "prod")
    assert rc == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err
    (line,) = out.splitlines()
    key, _, path = line.partition("=")
    assert key == "A__0_X_____B_CA_CERTS_FILE"
    assert os.path.dirname(path) == str(root / ".mlinfra" / "prod")  # nothing escapes it
    rc, out, _ = run_cli(root, "outputs", "prod", "--format", "json")
    assert "\x1b" not in out and json.loads(out)["A__0_X_____B_CA_CERTS"].endswith("`rm -rf /`\n")


def test_emptying_a_groups_security_groups_is_refused_not_called_in_place():
    """The provider never sends an empty list: the groups would stay attached."""
    from mlinfra_compile.diff import diff_graphs
    from mlinfra_compile.providers import aws_elasticache
    from tests.golden import graph_doc, resource_doc

    old = graph_doc(resource_doc("cache", aws_elasticache.TYPE,
                                 {"security_group_ids": ["sg-0123abcd"]}),
                    profile="development")
    new = graph_doc(resource_doc("cache", aws_elasticache.TYPE, {}), profile="development")
    d = diff_graphs(old, new, "t")
    (a,) = d.changes[0].args
    assert (a.verdict, a.why) == ("refused", "the provider never sends an empty "
                                  "security_group_ids, so the groups would stay attached: "
                                  "keep one group (network.security_group_ids) or detach "
                                  "them outside mlinfra first")
    assert d.blocked(set())
    fewer = graph_doc(resource_doc("cache", aws_elasticache.TYPE,
                                   {"security_group_ids": ["sg-4567efab"]}),
                      profile="development")
    assert diff_graphs(old, fewer, "t").changes[0].args[0].verdict == "update"


@pytest.mark.parametrize("base", [
    "providers:\n  gcp: {project: acme-ml-test}\nqueues: [a]\nsession_stores: 3\n",
    "providers: [gcp]\n",
], ids=safe_id)
def test_new_over_a_base_of_the_wrong_shape_reports_it_and_does_not_crash(tmp_path, base):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "_base.yaml").write_text(base)
    rc, _, err = run_cli(tmp_path, "new", "qa", "--profile", "production")
    assert rc == 0 and "internal error" not in err
    assert "extends _base, which has errors [MLC314]" in err
