"""Every input validated, every output escaped, nothing silently dropped: regression tests
for the classes of bug a new user and an attacker found."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from mlinfra_compile.fastschema import FastValidator
from mlinfra_compile.schema import build_schema
from tests.golden import REPO, run_cli

SCHEMA = build_schema()
PUBLISHED = json.loads((REPO / "schemas" / "environment.schema.json").read_text())


def write(root, text: str, name: str = "main.yaml") -> None:
    (root / "environments").mkdir(exist_ok=True)
    (root / "environments" / name).write_text(text)


# --- 1. patterns match the whole value -------------------------------------------------

# One document per pattern-bearing field, each value valid but for a trailing newline.
NEWLINE_CORPUS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("providers", "gcp", "project"), {"providers": {"gcp": {"project": "acme-ml-test\n"}}}),
    (("providers", "gcp", "region"), {"providers": {"gcp": {"region": "us-central1\n"}}}),
    (("providers", "gcp", "project_number"),
     {"providers": {"gcp": {"project_number": "123456789012\n"}}}),
    (("providers", "aws", "region"), {"providers": {"aws": {"region": "us-east-1\n"}}}),
    (("session_stores", "cache\n"), {"session_stores": {"cache\n": {}}}),
    (("queues", "jobs\n"), {"queues": {"jobs\n": {}}}),
    (("session_stores", "cache", "memory"), {"session_stores": {"cache": {"memory": "1GiB\n"}}}),
    (("session_stores", "cache", "node_type"),
     {"session_stores": {"cache": {"node_type": "cache.r7g.large\n"}}}),
    (("session_stores", "cache", "previous_names", 0),
     {"session_stores": {"cache": {"previous_names": ["old\n"]}}}),
    (("queues", "jobs", "delay"), {"queues": {"jobs": {"delay": "90s\n"}}}),
    (("queues", "jobs", "max_message_size"), {"queues": {"jobs": {"max_message_size": "1KiB\n"}}}),
    (("queues", "jobs", "expiry"), {"queues": {"jobs": {"expiry": "never\n"}}}),
    (("queues", "jobs", "encryption"), {"queues": {"jobs": {"encryption": "kms:alias/x\n"}}}),
    (("queues", "jobs", "subscriptions", "a\n"),
     {"queues": {"jobs": {"subscriptions": {"a\n": {}}}}}),
    (("waivers", 0, "resource"),
     {"waivers": [{"rule": "MLC501", "resource": "cache\n", "reason": "a good reason"}]}),
]


def _paths(validator: Any, doc: dict[str, Any]) -> set[tuple[Any, ...]]:
    out = set()
    for e in validator.iter_errors(doc):
        path = tuple(e.absolute_path)
        if "propertyNames" in list(e.schema_path):
            path = (*path, e.instance)
        out.add(path)
    return out


@pytest.mark.parametrize(("path", "doc"), NEWLINE_CORPUS, ids=lambda v: repr(v)[:40])
def test_a_trailing_newline_fails_every_pattern_in_both_validators(path, doc):
    for validator in (FastValidator(SCHEMA), Draft202012Validator(PUBLISHED)):
        assert path in _paths(validator, doc), validator
        # and the same value without the newline passes
        clean = json.loads(json.dumps(doc).replace("\\n", ""))
        assert _paths(validator, clean) == set(), (validator, clean)


def test_the_corpus_covers_every_pattern_of_the_schema():
    patterns: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.add(node["pattern"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(SCHEMA)
    assert all(p.endswith("$(?!\\n)") for p in patterns), patterns
    assert len(patterns) <= len(NEWLINE_CORPUS)


def test_newlines_never_reach_the_graph(tmp_path):
    write(tmp_path, 'providers:\n  gcp: {project: "acme-ml-test\\n", region: "us-central1"}\n'
                    'session_stores:\n  "cache\\n": {}\n')
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert "providers.gcp.project" in out and "[MLC205]" in out
    assert "session_stores.cache\\n" in out or "'cache\\n'" in out
    write(tmp_path, 'providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n'
                    'labels: {team: "ml\\n"}\nsession_stores:\n  cache: {}\n')
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and "GCP label value 'ml\\n'" in out


def test_aws_tags_with_control_characters_are_refused(tmp_path):
    write(tmp_path, 'providers:\n  aws: {region: us-east-1}\nlabels: {team: "a\\u001b[2Jb"}\n'
                    'queues:\n  jobs: {}\n')
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and "AWS tags hold letters, digits, spaces" in out and "[MLC308]" in out


def test_new_refuses_a_name_with_a_newline(tmp_path):
    (tmp_path / "environments").mkdir()
    rc, _, err = run_cli(tmp_path, "new", "qa\n")
    assert rc == 2, err
    assert list((tmp_path / "environments").iterdir()) == []


def test_units_parse_only_whole_values():
    from mlinfra_compile.units import parse_duration, parse_size

    assert parse_duration("90s") == 90 and parse_duration("90s\n") is None
    assert parse_size("1GiB") == 2**30 and parse_size("1GiB\n") is None


# --- 2. a declaration without a body -----------------------------------------------------

def test_a_declaration_without_a_body_is_an_error_not_nothing(tmp_path):
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                    "queues:\n  ml-training:\nsession_stores:\n  cache:\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert "environments/main.yaml:4:3: error: queues.ml-training: 'ml-training' has no " \
           "body, so it declares nothing" in out
    assert "write `cache: {}` for a session store with every default [MLC315]" in out
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                    "queues:\n  ml-training: {subscriptions: {a: }}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and "`a: {}` for a subscription" in out


def test_null_still_removes_an_inherited_declaration(tmp_path):
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                    "queues:\n  jobs: {}\n  other: {}\n", "_base.yaml")
    write(tmp_path, "extends: _base\nqueues:\n  other:\n")
    rc, out, err = run_cli(tmp_path, "plan", "main")
    assert rc == 0, err
    assert "jobs  gcp:pubsub/topic:Topic" in out and "other" not in out


# --- 3. dead letters in production, with or without a subscriptions map ----------------

@pytest.mark.parametrize("queue", ["{dead_letter: false}",
                                   "{dead_letter: false, subscriptions: {a: {}}}"])
def test_production_pubsub_queue_without_dead_letters_is_mlc505(tmp_path, queue):
    write(tmp_path, "profile: production\nproviders:\n  gcp: {project: acme-ml-test, "
                    "region: us-central1, project_number: '123456789012'}\n"
                    f"queues:\n  ml-training: {queue}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and "[MLC505]" in out


# --- 6. units and enums in the user's words --------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("memory: 1GB", "units are binary, GiB not GB (did you mean '1GiB'?) [MLC207]"),
    ("memory: 512 mb", "(did you mean '512MiB'?)"),
    ("tier: STANDARD_HA", "(did you mean 'standard_ha'?) [MLC203]"),
    ("tier: Standard-HA", "(did you mean 'standard_ha'?)"),
])
def test_store_fields_say_what_was_meant(tmp_path, text, expected):
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                    f"session_stores:\n  cache:\n    {text}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and expected in out, out


@pytest.mark.parametrize(("text", "expected"), [
    ("1 day", "1d"), ("1h 30m", "1h30m"), ("90 seconds", "90s"), ("30m 1h", "1h30m"),
    ("2 days, 12 hours", "2d12h"),
])
def test_durations_in_words_get_a_suggestion(tmp_path, text, expected):
    write(tmp_path, "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
                    f"queues:\n  jobs:\n    retention: {text}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and f"(did you mean '{expected}'?)" in out, out


def test_no_suggestion_when_there_is_no_obvious_reading():
    from mlinfra_compile.units import suggest_duration, suggest_size

    assert suggest_size("lots") is None and suggest_size("1 parsec") is None
    assert suggest_duration("1d 1d") is None and suggest_duration("soon") is None
