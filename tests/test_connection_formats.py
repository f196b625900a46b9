"""What `mlinfra outputs` writes (connections.py), in-process: the stack's outputs made
flat, and each format read back by the program that reads it (bash sources the dotenv
file, json and PyYAML load the others), with exact text where the bytes matter."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import pytest
import yaml

from mlinfra_compile.connections import (
    connection_settings,
    pem_bundle,
    settings_dotenv,
    settings_json,
    settings_yaml,
)

PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
HOSTILE = {
    "A_PLAIN": "redis.internal:6379",
    "B_EMPTY": "",
    "C_QUOTE": "it's",
    "D_SUBST": "$(touch pwned)`touch pwned2`",
    "E_LINES": "one\ntwo",
    "F_SPACE": "a b\tc",
    "G_TEXT": "zoë ${HOME}",
    "H_MARKUP": "<b>|50%|::error::x\x1b[31m`id`",  # (markup, CI commands, an escape)
}


def test_sourcing_the_dotenv_file_gives_back_every_value_and_runs_nothing(tmp_path):
    (tmp_path / "settings.env").write_text(settings_dotenv(HOSTILE, []), encoding="utf-8")
    read = (f"set -a; . ./settings.env; {shlex.quote(sys.executable)} -c 'import json, os, sys; "
            "print(json.dumps({k: os.environ[k] for k in sys.argv[1:]}))' "
            + " ".join(HOSTILE))
    out = subprocess.run(["bash", "-c", read], cwd=tmp_path, capture_output=True, text=True,
                         check=True, timeout=30).stdout
    assert json.loads(out) == HOSTILE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.env"]


def test_a_plain_value_is_written_bare_and_every_other_one_single_quoted():
    text = settings_dotenv({"A": "h-1.example_x:6379/0@b+c,d", "B": "", "C": "it's"}, [])
    assert text == "A=h-1.example_x:6379/0@b+c,d\nB=''\nC='it'\\''s'\n"


def test_a_name_a_loader_or_shell_reads_is_not_written_and_a_secret_is_named():
    text = settings_dotenv({"PATH": "/tmp/evil", "PYTHON_JOBS_URL": "u"}, ["REDIS_AUTH"])
    assert text.splitlines() == [
        "# PATH is not written: PATH is where every shell looks up the commands it runs; "
        "rename the output",
        "PYTHON_JOBS_URL=u",  # (a name mlinfra derives: prefixes are not refused here)
        "# REDIS_AUTH is a secret, not written; `mlinfra outputs --show-secrets` prints it"]


def test_json_and_yaml_are_sorted_and_read_back():
    settings = {"B": "x", "A": "1"}
    assert settings_json(settings, []) == '{\n  "A": "1",\n  "B": "x"\n}\n'
    assert settings_yaml(settings, []) == "A: '1'\nB: x\n"
    assert json.loads(settings_json(HOSTILE, [])) == HOSTILE
    assert yaml.safe_load(settings_yaml(HOSTILE, [])) == HOSTILE


def test_outputs_are_flattened_with_whole_numbers_whole_and_values_as_json():
    flat, hidden = connection_settings({
        "ml-cache": {"host": "10.0.0.3", "port": 6379.0, "ratio": 1.5,
                     "nodes": [{"b": 1, "a": 2}], "auth_string": "s3cret"},
        "ca": [{"cert": PEM}]}, False)
    assert flat == {"CA": PEM + "\n", "ML_CACHE_HOST": "10.0.0.3",
                    "ML_CACHE_NODES": '[{"a": 2, "b": 1}]', "ML_CACHE_PORT": "6379",
                    "ML_CACHE_RATIO": "1.5"}
    assert hidden == ["ML_CACHE_AUTH_STRING"]


@pytest.mark.parametrize(("value", "bundle"), [
    ([{"cert": PEM}, {"cert": PEM}], PEM + "\n" + PEM + "\n"),
    ([{"cert": PEM}, "x"], None),  # not every item a certificate record
    ([{"name": "x"}], None),  # a record without a certificate
    ([{"cert": "not a certificate"}], None),
    ([], None),
    ({"cert": PEM}, None),
])
def test_only_a_list_of_certificate_records_is_a_pem_bundle(value, bundle):
    assert pem_bundle(value) == bundle
