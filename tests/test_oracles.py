"""Independent oracles for the provider tables: limits copied by hand from the providers'
documentation (SQS Developer Guide "Quotas"; Pub/Sub "Subscription properties" and
"Handle message failures"; Memorystore "Tiers and capacity" and "Read replicas";
ElastiCache "Replication" and "Scheduling automatic backups"; resource naming and label
rules of each service), each tested on both sides: the largest valid and the smallest
invalid value. Deleting or loosening a limit in the code fails here."""

from __future__ import annotations

import pytest

from tests.golden import run_cli

GCP = "providers:\n  gcp: {project: acme-ml-test, region: us-central1, " \
      "project_number: '123456789012'}\n"
AWS = "providers:\n  aws: {region: us-east-1}\n"


def codes(tmp_path, text: str) -> list[str]:
    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / "environments" / "main.yaml").write_text(text)
    rc, out, err = run_cli(tmp_path, "lint")
    assert rc in (0, 1), err
    return sorted({line.rsplit("[", 1)[1].rstrip("]") for line in out.splitlines()
                   if ": error: " in line})


# (document body, True when valid); each limit appears twice, once on each side.
BOUNDARIES = {
    # SQS (Amazon SQS Developer Guide, "Quotas")
    "sqs-delay-max": (AWS + "queues:\n  jobs: {delay: 900}\n", True),
    "sqs-delay-over": (AWS + "queues:\n  jobs: {delay: 901}\n", False),
    "sqs-size-min": (AWS + "queues:\n  jobs: {max_message_size: 1024}\n", True),
    "sqs-size-under": (AWS + "queues:\n  jobs: {max_message_size: 1023}\n", False),
    "sqs-size-max": (AWS + "queues:\n  jobs: {max_message_size: 1048576}\n", True),
    "sqs-size-over": (AWS + "queues:\n  jobs: {max_message_size: 1048577}\n", False),
    "sqs-retention-min": (AWS + "queues:\n  jobs: {retention: 60}\n", True),
    "sqs-retention-under": (AWS + "queues:\n  jobs: {retention: 59}\n", False),
    "sqs-retention-max": (AWS + "queues:\n  jobs: {retention: 1209600}\n", True),
    "sqs-retention-over": (AWS + "queues:\n  jobs: {retention: 1209601}\n", False),
    "sqs-wait-max": (AWS + "queues:\n  jobs: {receive_wait: 20}\n", True),
    "sqs-wait-over": (AWS + "queues:\n  jobs: {receive_wait: 21}\n", False),
    "sqs-visibility-max": (AWS + "queues:\n  jobs: {visibility_timeout: 43200}\n", True),
    "sqs-visibility-over": (AWS + "queues:\n  jobs: {visibility_timeout: 43201}\n", False),
    "sqs-receives-min": (AWS + "queues:\n  jobs: {dead_letter: {max_receives: 1}}\n", True),
    "sqs-receives-under": (AWS + "queues:\n  jobs: {dead_letter: {max_receives: 0}}\n",
                           False),
    "sqs-receives-max": (AWS + "queues:\n  jobs: {dead_letter: {max_receives: 1000}}\n",
                         True),
    "sqs-receives-over": (AWS + "queues:\n  jobs: {dead_letter: {max_receives: 1001}}\n",
                          False),
    # Pub/Sub ("Subscription properties", "Handle message failures")
    "ack-min": (GCP + "queues:\n  jobs: {visibility_timeout: 10}\n", True),
    "ack-under": (GCP + "queues:\n  jobs: {visibility_timeout: 9}\n", False),
    "ack-max": (GCP + "queues:\n  jobs: {visibility_timeout: 600}\n", True),
    "ack-over": (GCP + "queues:\n  jobs: {visibility_timeout: 601}\n", False),
    "sub-retention-min": (GCP + "queues:\n  jobs: {retention: 600}\n", True),
    "sub-retention-under": (GCP + "queues:\n  jobs: {retention: 599}\n", False),
    "sub-retention-max": (GCP + "queues:\n  jobs: {retention: 2678400}\n", True),
    "sub-retention-over": (GCP + "queues:\n  jobs: {retention: 2678401}\n", False),
    "attempts-min": (GCP + "queues:\n  jobs: {dead_letter: {max_receives: 5}}\n", True),
    "attempts-under": (GCP + "queues:\n  jobs: {dead_letter: {max_receives: 4}}\n", False),
    "attempts-max": (GCP + "queues:\n  jobs: {dead_letter: {max_receives: 100}}\n", True),
    "attempts-over": (GCP + "queues:\n  jobs: {dead_letter: {max_receives: 101}}\n", False),
    "backoff-max": (GCP + "queues:\n  jobs: {retry: {min_backoff: 600, max_backoff: 600}}\n",
                    True),
    "backoff-over": (GCP + "queues:\n  jobs: {retry: {min_backoff: 10, max_backoff: 601}}\n",
                     False),
    "expiry-min": (GCP + "queues:\n  jobs: {expiry: 1d, retention: 1h}\n", True),
    "expiry-under": (GCP + "queues:\n  jobs: {expiry: 86399, retention: 1h}\n", False),
    # Memorystore ("Tiers and capacity", "Read replicas")
    "memorystore-max": (GCP + "session_stores:\n  cache: {memory: 300GiB}\n", True),
    "memorystore-over": (GCP + "session_stores:\n  cache: {memory: 301GiB}\n", False),
    "replica-memory-min": (GCP + "session_stores:\n  cache: {memory: 5GiB, tier: standard_ha, "
                                 "replicas: 1}\n", True),
    "replica-memory-under": (GCP + "session_stores:\n  cache: {memory: 4GiB, tier: "
                                   "standard_ha, replicas: 1}\n", False),
    "replicas-max": (GCP + "session_stores:\n  cache: {memory: 5GiB, tier: standard_ha, "
                           "replicas: 5}\n", True),
    "replicas-over": (GCP + "session_stores:\n  cache: {memory: 5GiB, tier: standard_ha, "
                            "replicas: 6}\n", False),
    # ElastiCache ("Replication", "Scheduling automatic backups")
    "ec-replicas-max": (AWS + "session_stores:\n  cache: {tier: standard_ha, replicas: 5}\n",
                        True),
    "ec-replicas-over": (AWS + "session_stores:\n  cache: {tier: standard_ha, replicas: 6}\n",
                         False),
    "ec-snapshots-max": (AWS + "session_stores:\n  cache: {snapshot_retention_days: 35}\n",
                         True),
    "ec-snapshots-over": (AWS + "session_stores:\n  cache: {snapshot_retention_days: 36}\n",
                          False),
    # Physical names (each service's naming rules), through name_template
    "memorystore-name-40": (GCP + "name_template: '{{ name }}'\nsession_stores:\n  "
                            + "c" * 40 + ": {}\n", True),
    "pubsub-name-goog": (GCP + "name_template: 'goog-{{ name }}'\nqueues:\n  jobs: {}\n",
                         False),
    "sqs-name-80": (AWS + "name_template: '" + "q" * 76 + "{{ name }}'\nqueues:\n  jobs: {}\n",
                    True),
    "sqs-name-81": (AWS + "name_template: '" + "q" * 77 + "{{ name }}'\nqueues:\n  jobs: {}\n",
                    False),
    "sqs-fifo-name-80": (AWS + "name_template: '" + "q" * 71 + "{{ name }}'\nqueues:\n  "
                         "jobs: {fifo: true}\n", True),
    "sqs-fifo-name-81": (AWS + "name_template: '" + "q" * 72 + "{{ name }}'\nqueues:\n  "
                         "jobs: {fifo: true}\n", False),
    "ec-group-40": (AWS + "name_template: '" + "g" * 35 + "{{ name }}'\nsession_stores:\n  "
                    "cache: {}\n", True),
    "ec-group-41": (AWS + "name_template: '" + "g" * 36 + "{{ name }}'\nsession_stores:\n  "
                    "cache: {}\n", False),
    "ec-group-double-hyphen": (AWS + "name_template: 'a--{{ name }}'\nsession_stores:\n  "
                               "cache: {}\n", False),
    # Labels and tags (GCP "Requirements for labels"; AWS "Tag naming limits")
    "gcp-label-key-63": (GCP + "labels: {" + "k" * 63 + ": v}\nqueues:\n  jobs: {}\n", True),
    "gcp-label-key-64": (GCP + "labels: {" + "k" * 64 + ": v}\nqueues:\n  jobs: {}\n", False),
    "gcp-label-value-63": (GCP + "labels: {k: " + "v" * 63 + "}\nqueues:\n  jobs: {}\n",
                           True),
    "gcp-label-value-64": (GCP + "labels: {k: " + "v" * 64 + "}\nqueues:\n  jobs: {}\n",
                           False),
    "gcp-label-upper": (GCP + "labels: {k: Value}\nqueues:\n  jobs: {}\n", False),
    "aws-tag-key-128": (AWS + "labels: {" + "k" * 128 + ": v}\nqueues:\n  jobs: {}\n", True),
    "aws-tag-key-129": (AWS + "labels: {" + "k" * 129 + ": v}\nqueues:\n  jobs: {}\n", False),
    "aws-tag-value-256": (AWS + "labels: {k: " + "v" * 256 + "}\nqueues:\n  jobs: {}\n",
                          True),
    "aws-tag-value-257": (AWS + "labels: {k: " + "v" * 257 + "}\nqueues:\n  jobs: {}\n",
                          False),
    "aws-tag-prefix": (AWS + "labels: {'aws:team': v}\nqueues:\n  jobs: {}\n", False),
}


@pytest.mark.parametrize("case", sorted(BOUNDARIES))
def test_every_limit_on_both_sides(tmp_path, case):
    text, valid = BOUNDARIES[case]
    found = codes(tmp_path, text)
    assert (found == []) is valid, found


def test_the_oracle_holds_both_sides_of_each_limit():
    stems = {}
    for name, (_, valid) in BOUNDARIES.items():
        stems.setdefault(name.rsplit("-", 1)[0], set()).add(valid)
    one_sided = [s for s, sides in stems.items() if sides != {True, False}]
    # a few cases test one rule that has no numeric other side (a prefix, a pattern)
    assert set(one_sided) <= {"pubsub-name", "ec-group-double", "gcp-label", "aws-tag",
                              "memorystore-name"}, one_sided
