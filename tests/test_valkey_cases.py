"""Memorystore for Valkey, read whole where mutation testing found only a part checked:
the warning for a key in another region, the error for an SQS encryption value, a physical
name clash naming both declarations, and the attributes `exports` may name."""

from __future__ import annotations

import json

from tests.golden import run_cli
from tests.test_memorystore_valkey import GCP, lint, write

KEY = "projects/acme-ml-test/locations/europe-west1/keyRings/r/cryptoKeys/k"


def test_a_key_in_another_region_is_warned_at_the_key_with_both_regions(tmp_path):
    # line 5 is `  sessions: {service: memorystore-valkey, encryption: ...}`: the key
    # `encryption` starts at column 2 + len("sessions: {service: memorystore-valkey, ") + 1
    col = 2 + len("sessions: {service: memorystore-valkey, ") + 1
    out = lint(tmp_path, f"sessions: {{service: memorystore-valkey, encryption: 'kms:{KEY}'}}\n")
    assert out == [f"environments/main.yaml:5:{col}: warning: session_stores.sessions."
                   "encryption: the key is in europe-west1, the instance in us-central1: "
                   "Memorystore keys are used in the instance's own region [MLC320]"]


def test_a_key_in_the_instances_region_is_not_warned(tmp_path):
    key = KEY.replace("europe-west1", "us-central1")
    assert lint(tmp_path, f"sessions: {{service: memorystore-valkey, encryption: 'kms:{key}'}}\n") \
        == []


def test_an_sqs_encryption_value_names_the_service_and_the_key_form(tmp_path):
    col = 2 + len("third: {service: memorystore-valkey, ") + 1
    out = lint(tmp_path, "third: {service: memorystore-valkey, encryption: sqs-managed}\n")
    assert out == [f"environments/main.yaml:5:{col}: error: session_stores.third.encryption: "
                   "sqs-managed is SQS's; on Memorystore for Valkey use managed or "
                   "kms:projects/P/locations/L/keyRings/R/cryptoKeys/K [MLC203]"]


def test_two_instances_of_one_id_name_both_declarations(tmp_path):
    out = lint(tmp_path, "sessions: {service: memorystore-valkey}\n"
                         "other: {service: memorystore-valkey, name: sessions}\n")
    assert out == [
        "environments/main.yaml:5:3: error: session_stores.sessions: physical name "
        "'sessions' is given twice: to session store of 'other' (environments/main.yaml:6:3) "
        "and to session store of 'sessions' (environments/main.yaml:5:3); one "
        "gcp:memorystore/instance:Instance cannot be two [MLC402]"]


def test_exports_name_the_instances_outputs(tmp_path):
    # pulumi_gcp memorystore.Instance: `id`, `instance_id`, and endpoints[] ->
    # connections[] -> psc_auto_connection (one object) -> ip_address, port
    # (pulumi_gcp/memorystore/outputs.py: InstanceEndpoint.connections,
    # InstanceEndpointConnection.psc_auto_connection, ...PscAutoConnection.ip_address/.port)
    write(tmp_path, GCP + "profile: development\n"
          "exports: {vid: sessions.id, vname: sessions.name, vhost: sessions.host, "
          "vport: sessions.port}\n"
          "session_stores:\n  sessions: {service: memorystore-valkey}\n")
    rc, out, err = run_cli(tmp_path, "compile", "main")
    assert rc == 0, err
    outputs = json.loads(out)["outputs"]
    endpoint = "endpoints.0.connections.0.psc_auto_connection"
    assert {k: outputs[k] for k in ("vid", "vname", "vhost", "vport")} == {
        "vid": {"$ref": "sessions", "attr": "id"},
        "vname": {"$ref": "sessions", "attr": "instance_id"},
        "vhost": {"$ref": "sessions", "attr": f"{endpoint}.ip_address"},
        "vport": {"$ref": "sessions", "attr": f"{endpoint}.port"}}


def test_an_import_id_of_another_location_is_refused_at_the_import(tmp_path):
    col = 2 + len("sessions: {service: memorystore-valkey, ") + 1
    out = lint(tmp_path, "sessions: {service: memorystore-valkey, import: "
                         "projects/acme-ml-test/locations/europe-west1/instances/sessions}\n")
    assert out == [f"environments/main.yaml:5:{col}: error: session_stores.sessions.import: "
                   "the id is of location 'europe-west1', but sessions's location is "
                   "'us-central1': Pulumi would import it and then replace or fail; make them "
                   "agree [MLC324]"]


def test_a_region_google_cloud_does_not_have_is_refused_with_the_nearest(tmp_path):
    col = 2 + len("typo: {service: memorystore-valkey, ") + 1
    out = lint(tmp_path, "typo: {service: memorystore-valkey, region: us-centrall1}\n")
    assert len(out) == 1 and out[0].startswith(
        f"environments/main.yaml:5:{col}: error: session_stores.typo.region: 'us-centrall1' "
        "is not a Google Cloud region (did you mean 'us-central1'?)")


def test_plan_says_the_default_network_is_the_projects_and_needs_its_policy(tmp_path):
    write(tmp_path, GCP + "profile: development\n"
          "session_stores:\n  sessions: {service: memorystore-valkey}\n")
    rc, out, err = run_cli(tmp_path, "plan", "main")
    assert rc == 0, err
    row = next(line for line in out.splitlines()
               if line.startswith("  desired_auto_created_endpoints "))
    key, value, kind, note = [cell for cell in row.strip().split("  ") if cell]
    assert (key, value.strip(), kind.strip(), note.strip()) == (
        "desired_auto_created_endpoints",
        '[{network: "projects/acme-ml-test/global/networks/default", '
        'project_id: "acme-ml-test"}]',
        "derived",
        "the project's network `default` (set network.name or providers.gcp.network); its "
        "service connection policy for gcp-memorystore is a prerequisite")
