"""A name_template's `{{ provider }}` in the names of every resource of a queue: its
topic, its one implicit subscription (`<queue>-sub`, made for a queue that declares no
`subscriptions`) and declared ones. Each name written out by hand from the template."""

from __future__ import annotations

import json

from tests.golden import run_cli
from tests.test_repository import write

TEMPLATE = 'name_template: "{{ env }}-{{ provider }}-{{ name }}"\n'
GCP = "providers:\n  gcp: {project: proj-one, region: us-central1}\n"


def _names(root) -> dict[str, str]:
    code, out, err = run_cli(root, "compile", "dev")
    assert code == 0, err
    graph = json.loads(out)  # (compile prints the graph)
    return {r["name"]: r["args"].get("name") for r in graph["resources"]}


def test_the_implicit_subscription_is_named_with_its_queue_s_provider(tmp_path):
    root = write(tmp_path, {"dev.yaml": TEMPLATE + GCP + "queues:\n  jobs: {provider: gcp}\n"})
    assert _names(root) == {"jobs": "dev-gcp-jobs", "jobs-sub": "dev-gcp-jobs-sub"}


def test_declared_subscriptions_are_named_with_their_queue_s_provider(tmp_path):
    root = write(tmp_path, {"dev.yaml": TEMPLATE + GCP + (
        "queues:\n  jobs:\n    provider: gcp\n    subscriptions:\n      train: {}\n")})
    assert _names(root) == {"jobs": "dev-gcp-jobs", "jobs-train": "dev-gcp-jobs-train"}
