"""MLC312 (Pub/Sub dead letters without providers.gcp.project_number) points at the
queue's own `dead_letter` when the queue asks for dead letters, written or by its
profile's default, and says which default it is; a subscription's own setting is not
where the message points then. Lines and columns are counted by hand in the YAML here."""

from __future__ import annotations

from tests.golden import run_cli

GCP = "providers:\n  gcp: {project: proj-1, region: us-central1}\n"
SUBSCRIPTION = ("    subscriptions:\n"
                "      audit:\n"
                "        dead_letter: {max_receives: 7}\n")
MESSAGE = ("queues.jobs.dead_letter: Pub/Sub dead letters need providers.gcp.project_number, "
           "to grant Pub/Sub's service agent access to the dead-letter topic")


def _lint(tmp_path, text: str) -> list[str]:
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "main.yaml").write_text(text)
    rc, out, err = run_cli(tmp_path, "lint", "environments/main.yaml")
    assert rc == 1
    return [line for line in (out + err).splitlines() if "[MLC312]" in line]


def test_the_queues_written_dead_letter_is_where_the_message_points(tmp_path):
    # line 6: `    dead_letter: true` (column 5); the subscription's is line 9
    found = _lint(tmp_path, GCP + "queues:\n  jobs:\n    provider: gcp\n"
                  "    dead_letter: true\n" + SUBSCRIPTION)
    assert found == [f"environments/main.yaml:6:5: error: {MESSAGE} [MLC312]"]


def test_a_production_default_points_at_the_queue_and_says_so(tmp_path):
    # production gives every queue dead letters: the queue `jobs` is line 5, column 3
    found = _lint(tmp_path, "profile: production\n" + GCP + "queues:\n  jobs:\n"
                  "    provider: gcp\n" + SUBSCRIPTION)
    assert found == [f"environments/main.yaml:5:3: error: {MESSAGE} (the production "
                     "default) [MLC312]"]


def test_with_only_a_subscription_asking_it_points_at_the_subscription(tmp_path):
    # development: the queue asks for none; `audit` writes its own on line 8, column 9
    found = _lint(tmp_path, GCP + "queues:\n  jobs:\n    provider: gcp\n" + SUBSCRIPTION)
    assert found == [f"environments/main.yaml:8:9: error: {MESSAGE} [MLC312]"]
