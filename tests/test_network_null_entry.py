"""A null entry of `network` (`name: null`) is removed by the merge, as every null of a
file is (each file is a JSON merge patch, RFC 7386: null removes), so the service reads
the entries after it and never a null value."""

from __future__ import annotations

import json

from tests.golden import run_cli
from tests.test_repository import write

GCP = "providers:\n  gcp: {project: proj-one, region: us-central1}\n"


def _args(root, name: str) -> dict:
    code, out, err = run_cli(root, "compile", "dev")
    assert code == 0, err
    [r] = [r for r in json.loads(out)["resources"] if r["name"] == name]
    return r["args"]


def test_a_null_network_name_is_dropped_and_the_entries_after_it_are_read(tmp_path):
    root = write(tmp_path, {"dev.yaml": GCP + (
        "session_stores:\n  cache:\n    provider: gcp\n"
        "    network: {name: null, connect_mode: private_service_access}\n")})
    args = _args(root, "cache")
    assert args["connect_mode"] == "PRIVATE_SERVICE_ACCESS"
    assert "authorized_network" not in args


def test_a_null_entry_removes_the_one_a_partial_sets(tmp_path):
    root = write(tmp_path, {
        "_base.yaml": GCP + ("session_stores:\n  cache:\n    provider: gcp\n"
                             "    network: {name: vpc-a, connect_mode: direct_peering}\n"),
        "dev.yaml": "extends: _base\nsession_stores:\n  cache:\n"
                    "    network: {name: null, connect_mode: private_service_access}\n"})
    args = _args(root, "cache")
    assert args["connect_mode"] == "PRIVATE_SERVICE_ACCESS"
    assert "authorized_network" not in args
