"""A declaration that removes both labels mlinfra sets (`environment`, `managed-by`) keeps
only its own, and the plan's note says neither is added. Expected row written by hand."""

from __future__ import annotations

from tests.golden import run_cli
from tests.test_repository import write


def test_removing_both_of_mlinfras_labels_adds_neither(tmp_path):
    root = write(tmp_path, {"dev.yaml": (
        "profile: development\nproviders:\n  gcp: {project: proj-one, region: us-central1}\n"
        "session_stores:\n  cache:\n    provider: gcp\n"
        "    labels: {environment: null, managed-by: null, team: ml}\n")})
    code, out, err = run_cli(root, "plan", "dev")
    assert code == 0, err
    [row] = [line for line in out.splitlines() if line.startswith("  labels ")]
    assert row.split(None, 3)[1:] == [
        '{team:', '"ml"}', "derived    environment labels + declaration labels; without "
                           "environment, managed-by (removed by `labels: {KEY: null}`)"]


def test_a_label_after_a_removed_one_is_still_checked(tmp_path):
    # GCP label keys: lowercase first ("Requirements for labels", cloud.google.com)
    root = write(tmp_path, {"dev.yaml": (
        "profile: development\nproviders:\n  gcp: {project: proj-one, region: us-central1}\n"
        "session_stores:\n  cache:\n    provider: gcp\n"
        "    labels: {environment: null, Team: ml}\n")})
    code, out, _ = run_cli(root, "lint")
    assert code == 1
    assert out.splitlines()[0] == (
        "environments/dev.yaml:7:33: error: session_stores.cache.labels.Team: GCP label key "
        "'Team' must start with a lowercase letter and hold at most 63 lowercase letters, "
        "digits, `_` and `-` [MLC308]")
