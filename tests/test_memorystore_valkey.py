"""`service: memorystore-valkey`: session stores on Memorystore for Valkey
(pulumi_gcp.memorystore.Instance, `gcp:memorystore/instance:Instance`).

Every expected value is written out by hand from the provider's facts (read 2026-12-06),
never read from the module under test:
- pulumi-gcp 10.2.0 memorystore.Instance: instance_id 4..63 lowercase letters, digits and
  hyphens, starting with a letter or digit, not ending with a hyphen; node types
  SHARED_CORE_NANO .. HIGHMEM_2XLARGE; modes CLUSTER / CLUSTER_DISABLED; authorization
  IAM_AUTH / AUTH_DISABLED; transit encryption SERVER_AUTHENTICATION /
  TRANSIT_ENCRYPTION_DISABLED; import id projects/P/locations/L/instances/ID.
- magic-modules mmv1/products/memorystore/Instance.yaml (d5778440): the immutable
  arguments (a replacement), deletionProtectionEnabled default_value true.
- Memorystore for Valkey docs: 1..250 shards (one with cluster mode disabled), 0..5
  replicas a shard, at most 250 usage units = shards x (1 + replicas) an instance.
- Prices, us-central1, per node-hour (infracost memorystore_instance_test golden: monthly
  cost / 2,920 h; the Billing Catalog export of doitintl/gcpinstances.info): shared-core-nano
  $0.0318, standard-small $0.1425, highmem-medium $0.1923, highmem-2xlarge $1.6274.
"""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal

import pulumi
import pytest

from mlinfra_compile.backends import pulumi_program as backend
from mlinfra_compile.diff import diff_graphs
from tests.golden import graph_doc, resource_doc, run_cli
from tests.test_adopt import checkpoint, compiled, new_repo, write_state
from tests.test_pulumi_backend import RecordingMocks, graph_of

VALKEY = "gcp:memorystore/instance:Instance"
GCP = ("providers:\n  gcp: {project: acme-ml-test, region: us-central1, "
       "project_number: '123456789012'}\n")
LABELS = {"environment": "main", "managed-by": "mlinfra"}


def write(root, text: str, env: str = "main") -> None:
    (root / "environments").mkdir(parents=True, exist_ok=True)
    (root / "environments" / f"{env}.yaml").write_text(textwrap.dedent(text))


def lint(tmp_path, stores: str, head: str = GCP, profile: str = "development") -> list[str]:
    """lint's lines for these session stores (indented under session_stores)."""
    write(tmp_path, f"{head}profile: {profile}\nsession_stores:\n"
                    + textwrap.indent(textwrap.dedent(stores), "  "))
    _, out, _ = run_cli(tmp_path, "lint")
    return [line for line in out.splitlines() if line.startswith("environments/")]


def args_of(tmp_path, text: str, name: str = "sessions") -> dict:
    write(tmp_path, text)
    rc, out, err = run_cli(tmp_path, "compile", "main")
    assert rc == 0, err
    return next(r for r in json.loads(out)["resources"] if r["name"] == name)


# --- 1. what a development and a production store compile to -----------------------------

def test_a_development_store_compiles_to_exactly_these_arguments(tmp_path):
    r = args_of(tmp_path, GCP + "session_stores:\n  sessions: {service: memorystore-valkey}\n")
    assert r["type"] == VALKEY
    assert r["args"] == {
        "instance_id": "sessions", "location": "us-central1", "project": "acme-ml-test",
        "shard_count": 1, "replica_count": 0, "node_type": "SHARED_CORE_NANO",
        "engine_version": "VALKEY_8_0", "mode": "CLUSTER",
        "authorization_mode": "AUTH_DISABLED",
        "transit_encryption_mode": "TRANSIT_ENCRYPTION_DISABLED",
        "persistence_config": {"mode": "DISABLED"},
        "zone_distribution_config": {"mode": "MULTI_ZONE"},
        "desired_auto_created_endpoints": [
            {"network": "projects/acme-ml-test/global/networks/default",
             "project_id": "acme-ml-test"}],
        "deletion_protection_enabled": False, "labels": LABELS}
    # a fixed physical name: a replacement must delete the old instance first
    assert r["options"] == {"delete_before_replace": True, "protect": False}


def test_a_production_store_compiles_to_exactly_these_arguments(tmp_path):
    r = args_of(tmp_path, """\
        providers:
          gcp: {project: acme-ml-prod, region: europe-west1, network: ml-vpc}
        profile: production
        session_stores:
          sessions:
            service: memorystore-valkey
            shards: 3
            eviction_policy: allkeys-lfu
            maintenance: {day: tuesday, start: "22:15"}
            zone: europe-west1-c
            persistence: rdb-24h
            labels: {team: ml}
        """)
    assert r["args"] == {
        "instance_id": "sessions", "location": "europe-west1", "project": "acme-ml-prod",
        "shard_count": 3, "replica_count": 1, "node_type": "STANDARD_SMALL",
        "engine_version": "VALKEY_8_0", "mode": "CLUSTER", "authorization_mode": "IAM_AUTH",
        "transit_encryption_mode": "SERVER_AUTHENTICATION",
        "persistence_config": {"mode": "RDB",
                               "rdb_config": {"rdb_snapshot_period": "TWENTY_FOUR_HOURS"}},
        "zone_distribution_config": {"mode": "SINGLE_ZONE", "zone": "europe-west1-c"},
        "engine_configs": {"maxmemory-policy": "allkeys-lfu"},
        "maintenance_policy": {"weekly_maintenance_windows": [
            {"day": "TUESDAY",
             "start_time": {"hours": 22, "minutes": 15, "seconds": 0, "nanos": 0}}]},
        "desired_auto_created_endpoints": [
            {"network": "projects/acme-ml-prod/global/networks/ml-vpc",
             "project_id": "acme-ml-prod"}],
        "deletion_protection_enabled": True,
        "labels": {**LABELS, "team": "ml"}}
    assert r["options"] == {"delete_before_replace": True, "protect": True}


def test_production_defaults_pass_the_production_rules(tmp_path):
    head = "providers:\n  gcp: {project: acme-ml-prod, region: us-central1, network: vpc}\n"
    assert lint(tmp_path, "sessions: {service: memorystore-valkey}\n", head,
                "production") == []
    # without a network the production rule asks for one (MLC507)
    bare = "providers:\n  gcp: {project: acme-ml-prod, region: us-central1}\n"
    out = lint(tmp_path, "sessions: {service: memorystore-valkey}\n", bare, "production")
    assert [line.rsplit(" ", 1)[-1] for line in out] == ["[MLC507]"]


@pytest.mark.parametrize(("cluster", "mode"), [(True, "CLUSTER"), (False, "CLUSTER_DISABLED")])
def test_cluster_is_the_mode(tmp_path, cluster, mode):
    r = args_of(tmp_path, GCP + "session_stores:\n  sessions: {service: memorystore-valkey, "
                                f"cluster_mode: {str(cluster).lower()}}}\n")
    assert r["args"]["mode"] == mode


@pytest.mark.parametrize(("node", "enum"), [
    ("shared-core-nano", "SHARED_CORE_NANO"), ("custom-pico", "CUSTOM_PICO"),
    ("custom-micro", "CUSTOM_MICRO"), ("custom-mini", "CUSTOM_MINI"),
    ("standard-small", "STANDARD_SMALL"), ("highmem-medium", "HIGHMEM_MEDIUM"),
    ("highcpu-medium", "HIGHCPU_MEDIUM"), ("standard-large", "STANDARD_LARGE"),
    ("highmem-xlarge", "HIGHMEM_XLARGE"), ("highmem-2xlarge", "HIGHMEM_2XLARGE")])
def test_every_node_type_of_the_sdk(tmp_path, node, enum):
    r = args_of(tmp_path, GCP + "session_stores:\n  sessions: {service: memorystore-valkey, "
                                f"node_type: {node}}}\n")
    assert r["args"]["node_type"] == enum


@pytest.mark.parametrize(("version", "enum"), [
    ("7.2", "VALKEY_7_2"), ("8.0", "VALKEY_8_0"), ("9.0", "VALKEY_9_0"), ("9.1", "VALKEY_9_1")])
def test_every_version(tmp_path, version, enum):
    r = args_of(tmp_path, GCP + "session_stores:\n  sessions: {service: memorystore-valkey, "
                                f"version: '{version}'}}\n")
    assert r["args"]["engine_version"] == enum


def test_auth_and_tls_map_to_their_modes(tmp_path):
    r = args_of(tmp_path, GCP + "session_stores:\n  sessions: {service: memorystore-valkey, "
                                "auth: true, tls: true}\n")
    assert (r["args"]["authorization_mode"], r["args"]["transit_encryption_mode"]) == \
        ("IAM_AUTH", "SERVER_AUTHENTICATION")


def test_a_customer_managed_key_is_granted_to_the_memorystore_agent(tmp_path):
    write(tmp_path, GCP + textwrap.dedent("""\
        session_stores:
          sessions:
            service: memorystore-valkey
            encryption: kms:projects/acme-ml-test/locations/us-central1/keyRings/r/cryptoKeys/k
        """))
    rc, out, err = run_cli(tmp_path, "compile", "main")
    assert rc == 0, err
    by = {r["name"]: r for r in json.loads(out)["resources"]}
    key = "projects/acme-ml-test/locations/us-central1/keyRings/r/cryptoKeys/k"
    assert by["sessions"]["args"]["kms_key"] == key
    assert by["sessions"]["options"]["depends_on"] == ["sessions-key-access"]
    assert by["sessions-key-access"]["args"] == {
        "crypto_key_id": key, "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": "serviceAccount:service-123456789012@gcp-sa-memorystore.iam."
                  "gserviceaccount.com"}


# --- 2. the provider's limits, both sides of each ----------------------------------------

def codes(lines: list[str]) -> list[str]:
    return [line.rsplit(" ", 1)[-1] for line in lines]


@pytest.mark.parametrize(("fields", "ok"), [
    ("shards: 0", False), ("shards: 1", True), ("shards: 250", True), ("shards: 251", False),
    ("replicas: -1", False), ("replicas: 0", True), ("replicas: 5", True),
    ("replicas: 6", False),
    # usage units shards x (1 + replicas) <= 250
    ("shards: 125, replicas: 1", True), ("shards: 126, replicas: 1", False),
    ("shards: 50, replicas: 4", True), ("shards: 42, replicas: 5", False),
    ("cluster_mode: false, shards: 1", True), ("cluster_mode: false, shards: 2", False),
])
def test_shards_and_replicas_on_both_sides_of_each_limit(tmp_path, fields, ok):
    out = lint(tmp_path, f"sessions: {{service: memorystore-valkey, {fields}}}\n")
    assert (out == []) is ok, out


def test_the_limits_say_what_the_provider_allows(tmp_path):
    out = lint(tmp_path, """\
        units: {service: memorystore-valkey, shards: 126, replicas: 1}
        single: {service: memorystore-valkey, cluster_mode: false, shards: 2}
        """)
    assert [line.split(": ", 2)[2] for line in out] == [
        "session_stores.units.replicas: 126 shards x (1 + 1 replicas) = 252 nodes, above the "
        "250 usage units Memorystore for Valkey allows an instance [MLC311]",
        "session_stores.single.shards: cluster_mode: false runs one shard (Cluster Mode Disabled); "
        "2 shards need cluster_mode: true [MLC311]"]


@pytest.mark.parametrize(("replicas", "warned"), [(2, False), (3, True)])
def test_more_than_two_replicas_without_cluster_mode_is_a_warning(tmp_path, replicas, warned):
    out = lint(tmp_path, "sessions: {service: memorystore-valkey, cluster_mode: false, "
                         f"replicas: {replicas}}}\n")
    assert [("warning" in line, line.endswith("[MLC311]")) for line in out] == \
        ([(True, True)] if warned else [])


@pytest.mark.parametrize(("name", "ok"), [
    ("abc", False), ("abcd", True), ("a" * 63, True), ("a" * 64, False),
    ("1abc", True), ("abc-", False), ("Abcd", False), ("ab_cd", False)])
def test_instance_ids_on_both_sides_of_each_rule(tmp_path, name, ok):
    out = lint(tmp_path, f"sessions: {{service: memorystore-valkey, name: '{name}'}}\n")
    assert codes(out) == ([] if ok else ["[MLC310]"]), out


def test_a_declaration_name_too_short_for_an_instance_id_says_to_set_name(tmp_path):
    out = lint(tmp_path, "abc: {service: memorystore-valkey}\n")
    assert len(out) == 1 and out[0].endswith(
        "set name (or name_template) [MLC310]") and "4..63" in out[0]


def test_values_the_provider_does_not_offer(tmp_path):
    out = lint(tmp_path, """\
        nodes: {service: memorystore-valkey, node_type: highmem-large}
        versions: {service: memorystore-valkey, version: "7.0"}
        tlsp: {service: memorystore-valkey, tls: preferred}
        zoned: {service: memorystore-valkey, zone: europe-west1-b}
        """)
    assert codes(out) == ["[MLC321]", "[MLC328]", "[MLC203]", "[MLC311]"]
    assert "(did you mean 'highmem-xlarge'?)" in out[0]
    assert "offers versions 7.2, 8.0, 9.0, 9.1, not 7.0" in out[1]
    assert "zone europe-west1-b is not in the store's region us-central1" in out[3]


def test_fields_it_does_not_take_name_what_it_offers(tmp_path):
    out = lint(tmp_path, """\
        sessions:
          service: memorystore-valkey
          memory: 1GiB
          tier: standard_ha
        reached:
          service: memorystore-valkey
          network: {connect_mode: private_service_access}
        """)
    assert [line.split(": ", 3)[3] for line in out] == [
        "memory is not supported by memorystore-valkey: size it with node_type (each node's "
        "capacity) and shards [MLC307]",
        "tier is not supported by memorystore-valkey: high availability is replicas: 1 or "
        "more (a replica of each shard in another zone, with automatic failover) [MLC307]",
        "network.connect_mode is not supported by memorystore-valkey: clients reach it "
        "through Private Service Connect endpoints in the network network.name names "
        "[MLC307]"]


def test_shards_on_a_default_gcp_store_says_which_service_takes_it(tmp_path):
    out = lint(tmp_path, "sessions: {shards: 2}\n")
    assert out == ["environments/main.yaml:5:14: error: session_stores.sessions.shards: "
                   "shards is a memorystore-valkey field: set service: memorystore-valkey "
                   "[MLC307]"]


def test_a_key_in_another_region_is_a_warning(tmp_path):
    out = lint(tmp_path, "sessions: {service: memorystore-valkey, encryption: "
                         "'kms:projects/acme-ml-test/locations/europe-west1/keyRings/r/"
                         "cryptoKeys/k'}\n")
    assert len(out) == 1 and "warning" in out[0] and out[0].endswith("[MLC320]")


# --- 3. import ids ------------------------------------------------------------------------

@pytest.mark.parametrize(("rid", "problem"), [
    ("projects/acme-ml-test/locations/us-central1/instances/ml-sessions", None),
    ("acme-ml-test/us-central1/ml-sessions", "expected the form projects/acme-ml-prod/"
                                             "locations/us-central1/instances/sessions"),
    ("projects/acme-ml-test/locations/us-central1/instances/other",
     "the id is of physical name 'other'"),
    ("projects/acme-ml-test/locations/europe-west1/instances/ml-sessions",
     "the id is of location 'europe-west1'"),
])
def test_the_import_id_is_the_instance_path(tmp_path, rid, problem):
    out = lint(tmp_path, f"sessions: {{service: memorystore-valkey, name: ml-sessions, "
                         f"import: '{rid}'}}\n")
    if problem is None:
        assert out == []
        r = args_of(tmp_path, (tmp_path / "environments" / "main.yaml").read_text())
        assert r["options"]["import"] == rid
    else:
        assert len(out) == 1 and problem in out[0] and out[0].endswith("[MLC324]"), out


# --- 4. what a change does (diff) ---------------------------------------------------------

U, R, X = "update", "replace", "refused"
# argument -> (old, new, verdict): magic-modules Instance.yaml `immutable: true` replaces;
# the rest are PATCHed in place.
ROWS = {
    "instance_id": ("a-sessions", "b-sessions", R), "location": ("us-central1", "us-east1", R),
    "project": ("p-one", "p-two", R), "mode": ("CLUSTER", "CLUSTER_DISABLED", R),
    "authorization_mode": ("AUTH_DISABLED", "IAM_AUTH", R),
    "transit_encryption_mode": ("TRANSIT_ENCRYPTION_DISABLED", "SERVER_AUTHENTICATION", R),
    "kms_key": ("k1", "k2", R), "server_ca_mode": ("a", "b", R), "server_ca_pool": ("a", "b", R),
    "gcs_source": ({"uris": ["a"]}, {"uris": ["b"]}, R),
    "managed_backup_source": ({"backup": "a"}, {"backup": "b"}, R),
    "desired_auto_created_endpoints": ([{"network": "n1", "project_id": "p"}],
                                       [{"network": "n2", "project_id": "p"}], R),
    "desired_psc_auto_connections": ([{"network": "n1"}], [{"network": "n2"}], R),
    "zone_distribution_config": ({"mode": "MULTI_ZONE"},
                                 {"mode": "SINGLE_ZONE", "zone": "us-central1-a"}, R),
    "shard_count": (1, 3, U), "replica_count": (0, 2, U),
    "node_type": ("HIGHMEM_MEDIUM", "STANDARD_SMALL", U),
    "engine_version": ("VALKEY_7_2", "VALKEY_8_0", U),
    "persistence_config": ({"mode": "AOF"}, {"mode": "RDB"}, U),
    "engine_configs": ({}, {"maxmemory-policy": "allkeys-lru"}, U),
    "labels": ({}, {"team": "ml"}, U),
    "maintenance_policy": ({}, {"weekly_maintenance_windows": []}, U),
    "automated_backup_config": ({"retention": "1d"}, {"retention": "2d"}, U),
    "cross_instance_replication_config": ({"instance_role": "NONE"},
                                          {"instance_role": "PRIMARY"}, U),
    "acl_policy": ("a", "b", U), "deletion_protection_enabled": (True, False, U),
}


def one(old: dict, new: dict):
    d = diff_graphs(graph_doc(resource_doc("s", VALKEY, old)),
                    graph_doc(resource_doc("s", VALKEY, new)), "test")
    return d.changes


@pytest.mark.parametrize("key", sorted(ROWS))
def test_each_argument_changes_as_the_provider_does(key):
    old, new, verdict = ROWS[key]
    (c,) = one({key: old, "mode": "CLUSTER"} if key != "mode" else {key: old},
               {key: new, "mode": "CLUSTER"} if key != "mode" else {key: new})
    assert [(a.key, a.verdict) for a in c.args] == [(key, verdict)]
    assert c.action == ("replace" if verdict == R else "update")
    assert c.stateful  # replacing one loses its data


def test_every_rule_of_the_table_is_checked_here():
    from mlinfra_compile.providers import CHANGES

    assert sorted(CHANGES[VALKEY]) == sorted(ROWS)


@pytest.mark.parametrize(("old", "new", "verdict"), [
    ("VALKEY_7_2", "VALKEY_9_0", U), ("VALKEY_8_0", "VALKEY_9_1", U),
    ("VALKEY_8_0", "VALKEY_7_2", X), ("VALKEY_9_1", "VALKEY_9_0", X)])
def test_an_engine_downgrade_is_refused(old, new, verdict):
    (c,) = one({"engine_version": old}, {"engine_version": new})
    assert c.args[0].verdict == verdict
    if verdict == X:
        assert "cannot downgrade" in c.args[0].why


@pytest.mark.parametrize(("old_mode", "new_mode", "verdict"), [
    ("CLUSTER", "CLUSTER", U), ("CLUSTER_DISABLED", "CLUSTER_DISABLED", X)])
def test_a_shard_count_change_with_cluster_mode_disabled_is_refused(old_mode, new_mode,
                                                                     verdict):
    (c,) = one({"shard_count": 1, "mode": old_mode}, {"shard_count": 2, "mode": new_mode})
    assert [(a.key, a.verdict) for a in c.args] == [("shard_count", verdict)]


def test_a_new_mode_replaces_and_its_shards_with_it():
    (c,) = one({"shard_count": 1, "mode": "CLUSTER_DISABLED"},
               {"shard_count": 2, "mode": "CLUSTER"})
    assert c.action == "replace"
    assert {a.key: a.verdict for a in c.args} == {"mode": R, "shard_count": U}


@pytest.mark.parametrize(("key", "old", "new"), [
    # provider defaults: deletionProtectionEnabled default_value true, zone distribution
    # MULTI_ZONE, node type and engine version filled in by the API
    ("deletion_protection_enabled", None, True),
    ("zone_distribution_config", None, {"mode": "MULTI_ZONE"}),
    ("node_type", None, "HIGHMEM_MEDIUM"), ("engine_version", "VALKEY_8_0", None)])
def test_a_provider_default_written_out_is_no_change(key, old, new):
    before = {"shard_count": 1} if old is None else {"shard_count": 1, key: old}
    after = {"shard_count": 1} if new is None else {"shard_count": 1, key: new}
    assert one(before, after) == []


# --- 5. under Pulumi's mocks --------------------------------------------------------------

class EndpointMocks(RecordingMocks):
    """An instance's outputs hold the endpoints its PSC connections have (the shape of
    pulumi-gcp's InstanceEndpoint output type)."""

    def new_resource(self, args):
        physical_id, out = super().new_resource(args)
        if args.typ == VALKEY:
            out["endpoints"] = [{"connections": [
                {"pscAutoConnection": {"connectionType": "CONNECTION_TYPE_DISCOVERY",
                                       "ipAddress": "10.128.0.21", "port": 6379}},
                {"pscAutoConnection": {"connectionType": "CONNECTION_TYPE_UNSPECIFIED",
                                       "ipAddress": "10.128.0.22"}}]}]
        return physical_id, out


@pulumi.runtime.test
def test_the_instance_registers_with_exactly_its_inputs_and_exports_its_endpoint(tmp_path):
    mocks = EndpointMocks()
    pulumi.runtime.set_mocks(mocks, project="mlinfra", stack="test", preview=False)
    seen: dict[str, object] = {}
    graph = graph_of(tmp_path, """\
        providers: {gcp: {project: acme-ml-test, region: us-central1, network: ml-vpc}}
        profile: production
        session_stores:
          sessions: {service: memorystore-valkey, name: ml-sessions, shards: 2}
        """)
    built = backend.materialize(graph, export=seen.__setitem__)
    assert type(built["sessions"]).__module__.startswith("pulumi_gcp.memorystore")

    def check(outputs):
        a = mocks.by_name()["sessions"]
        assert a.typ == VALKEY
        assert a.inputs == {
            "instanceId": "ml-sessions", "location": "us-central1", "project": "acme-ml-test",
            "shardCount": 2.0, "replicaCount": 1.0, "nodeType": "STANDARD_SMALL",
            "engineVersion": "VALKEY_8_0", "mode": "CLUSTER",
            "authorizationMode": "IAM_AUTH", "transitEncryptionMode": "SERVER_AUTHENTICATION",
            "persistenceConfig": {"mode": "RDB", "rdbConfig": {"rdbSnapshotPeriod": "ONE_HOUR"}},
            "zoneDistributionConfig": {"mode": "MULTI_ZONE"},
            "desiredAutoCreatedEndpoints": [
                {"network": "projects/acme-ml-test/global/networks/ml-vpc",
                 "projectId": "acme-ml-test"}],
            "deletionProtectionEnabled": True, "labels": LABELS}
        assert built["sessions"]._protect is True
        # the first connection of the first endpoint (the discovery one in cluster mode)
        assert outputs == {"host": "10.128.0.21", "port": 6379}

    return pulumi.Output.from_input(seen["sessions"]).apply(check)


# --- 6. cost ------------------------------------------------------------------------------

def cost(tmp_path, stores: str) -> dict:
    write(tmp_path, GCP + "session_stores:\n" + textwrap.indent(textwrap.dedent(stores), "  "))
    rc, out, err = run_cli(tmp_path, "cost", "main", "--format", "json")
    assert rc == 0, err
    return {r["name"]: r for r in json.loads(out)["resources"]}


def test_nodes_are_priced_by_the_hour_replicas_included(tmp_path):
    by = cost(tmp_path, """\
        small: {service: memorystore-valkey, shards: 2, replicas: 1, node_type: standard-small}
        nano: {service: memorystore-valkey}
        large: {service: memorystore-valkey, node_type: highmem-2xlarge}
        medium: {service: memorystore-valkey, shards: 3, replicas: 2, node_type: highmem-medium}
        """)
    # 2 shards x (1 + 1) = 4 nodes x 730 h = 2,920 h x $0.1425 = $416.10
    assert Decimal(str(by["small"]["monthly"])) == Decimal("416.10")
    # 1 x 730 h x $0.0318 = $23.214 -> $23.21
    assert Decimal(str(by["nano"]["monthly"])) == Decimal("23.21")
    # 1 x 730 h x $1.6274 = $1,188.002 -> $1,188.00
    assert Decimal(str(by["large"]["monthly"])) == Decimal("1188.00")
    # 3 x (1 + 2) = 9 nodes x 730 h = 6,570 h x $0.1923 = $1,263.411 -> $1,263.41
    assert Decimal(str(by["medium"]["monthly"])) == Decimal("1263.41")
    assert by["small"]["basis"] == ("2 shards x (1 primary + 1 replica) = 4 nodes of "
                                    "STANDARD_SMALL x 730 h in us-central1")


def test_outside_us_central1_there_is_no_price(tmp_path):
    by = cost(tmp_path, "sessions: {service: memorystore-valkey, region: europe-west1}\n")
    assert by["sessions"]["monthly"] is None
    assert by["sessions"]["basis"].startswith("no price in mlinfra's table (read 2026-04-27) "
                                              "for Memorystore for Valkey SHARED_CORE_NANO "
                                              "nodes in europe-west1")


# --- 7. adopt: the reverse of build -------------------------------------------------------

CAMEL_MAPS = ("labels", "engine_configs")  # their keys are the user's


def camel_inputs(args: dict) -> dict:
    """A compiled graph's arguments as a Pulumi state holds them (camelCase)."""
    from mlinfra_compile.state import camel

    def walk(v, key=""):
        if isinstance(v, dict):
            return {k if key in CAMEL_MAPS else camel(k): walk(x, k) for k, x in v.items()}
        return [walk(x) for x in v] if isinstance(v, list) else v
    return walk(args)


def test_a_running_instance_is_adopted_and_compiles_back_to_its_arguments(tmp_path):
    src = tmp_path / "src"
    write(src, """\
        providers:
          gcp: {project: acme-ml-prod, region: us-central1}
        profile: production
        session_stores:
          sessions:
            service: memorystore-valkey
            name: ml-sessions
            shards: 4
            replicas: 2
            node_type: highmem-medium
            version: "9.0"
            cluster_mode: true
            zone: us-central1-f
            persistence: rdb-12h
            eviction_policy: noeviction
            maintenance: {day: friday, start: "01:45"}
            network: {name: projects/acme-host/global/networks/shared}
            labels: {team: ml}
        """, env="dev")
    original = compiled(src, "dev")["sessions"]  # (stack dev, as the state's URN says)
    rid = "projects/acme-ml-prod/locations/us-central1/instances/ml-sessions"
    inputs = camel_inputs(original["args"])
    state = checkpoint({"urn": "urn:pulumi:dev::valkey::" + VALKEY + "::sessions",
                        "custom": True, "type": VALKEY, "id": rid, "protect": True,
                        "inputs": inputs, "outputs": inputs})
    root = new_repo(tmp_path)
    rc, _, err = run_cli(root, "adopt", str(write_state(tmp_path, state)), "dev")
    assert rc == 0, err
    text = (root / "environments" / "dev.yaml").read_text()
    assert "service: memorystore-valkey" in text and "node_type: highmem-medium" in text
    back = compiled(root, "dev")["sessions"]
    assert back["args"] == original["args"]
    assert back["options"] == {"delete_before_replace": True, "import": rid, "protect": True}


def test_what_adopt_cannot_express_is_listed(tmp_path):
    rid = "projects/acme-ml-prod/locations/us-central1/instances/aof-one"
    inputs = {"instanceId": "aof-one", "location": "us-central1", "project": "acme-ml-prod",
              "shardCount": 1, "persistenceConfig": {"mode": "AOF",
                                                     "aofConfig": {"appendFsync": "ALWAYS"}},
              "nodeType": "MEGA_NODE"}
    state = checkpoint({"urn": "urn:pulumi:dev::valkey::" + VALKEY + "::aof", "custom": True,
                        "type": VALKEY, "id": rid, "inputs": inputs, "outputs": inputs})
    root = new_repo(tmp_path)
    rc, _, err = run_cli(root, "adopt", str(write_state(tmp_path, state)), "main")
    assert rc == 1
    assert "persistenceConfig = " in err and "(no AOF)" in err
    assert "nodeType = MEGA_NODE: not a node type mlinfra knows" in err
