"""The JSON Schema: shipped file, `mlinfra schema`, editor metadata, error mapping."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from mlinfra_compile.loader import LoadedFile, parse_bytes
from mlinfra_compile.schema import build_schema, schema_text, validate
from tests.golden import REPO, run_cli


def test_schema_file_is_current_and_cli_prints_the_same_bytes():
    on_disk = (REPO / "schemas" / "environment.schema.json").read_text(encoding="utf-8")
    assert schema_text() == on_disk, "run `make schema` (then ACCEPT=1)"
    code, out, _ = run_cli(REPO, "schema")
    assert code == 0
    assert out == on_disk


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(json.loads(schema_text()))


def _properties(node, path=""):
    for key, sub in node.get("properties", {}).items():
        yield f"{path}.{key}", sub
        yield from _properties(sub, f"{path}.{key}")


def test_every_field_has_description_default_and_example():
    schema = build_schema()
    nodes = list(_properties(schema))
    for name, d in schema["$defs"].items():
        nodes.extend(_properties(d, name))
    assert len(nodes) > 50
    for path, sub in nodes:
        for meta in ("description", "default", "examples"):
            assert meta in sub, f"{path} has no {meta}"
        # every example must itself be valid for the field
        for example in sub["examples"]:
            errors = list(Draft202012Validator({**sub, "$defs": schema["$defs"]})
                          .iter_errors(example))
            assert not errors, f"{path} example {example!r}: {errors[0].message}"


def check(text: str) -> list[str]:
    f = parse_bytes(text.encode(), LoadedFile("e.yaml"))
    assert f.data is not None
    return [d.render_text() for d in validate(f)]


def test_unknown_key_points_at_the_key_and_suggests():
    out = check("queues:\n  jobs:\n    dely: 5s\n")
    assert out == ["e.yaml:3:5: error: queues.jobs.dely: unknown key 'dely' "
                   "(did you mean 'delay'?) [MLC201]"]


def test_unknown_key_without_a_close_match_lists_the_keys():
    out = check("providers:\n  azure: {}\n")
    assert "expected one of: gcp, aws" in out[0]


@pytest.mark.parametrize(("text", "needle"), [
    ("labels: {enabled: off}\n", "YAML reads `off` as false"),
    ("session_stores:\n  cache: {version: 7.0}\n", "YAML reads `7.0` as 7.0"),
    ("providers:\n  gcp: {region: 0755}\n", "YAML reads `0755` as 493"),
    ("labels: {tier: yes}\n", "YAML reads `yes` as true"),
])
def test_yaml_11_surprises_get_a_hint(text, needle):
    out = check(text)
    assert len(out) == 1 and needle in out[0], out


def test_duration_and_size_errors_show_the_accepted_forms():
    out = check("queues:\n  jobs: {delay: 5 minutes, max_message_size: 1 MB}\n")
    assert "Nd Nh Nm Ns" in out[0] and "[MLC207]" in out[0]
    assert "KiB" in out[1] and "[MLC207]" in out[1]


def test_null_is_accepted_everywhere_for_merge_patch():
    assert check("profile: null\nqueues:\n  jobs: null\nsession_stores:\n  c: {tier: null}\n"
                 .replace("c:", "cache:")) == []
