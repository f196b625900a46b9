"""MLC118, in process (tests/test_repofiles.py runs the CLI in a child, which a mutation run
cannot see): the warning's every field, and a whole-repository `lint` that shows it."""

from __future__ import annotations

import shutil

from mlinfra_compile.repofiles import stale_schema
from mlinfra_compile.resolve import Workspace
from tests.golden import REPO, run_cli

SCHEMA = "schemas/environment.schema.json"
MESSAGE = ("this schema is not the one this mlinfra checks with, so editors complete and "
           "flag fields differently from lint; `mlinfra schema > "
           "schemas/environment.schema.json` rewrites it")


def _team(tmp_path, schema_text=None):
    root = tmp_path / "team"
    shutil.copytree(REPO / "environments", root / "environments")
    shutil.copytree(REPO / "schemas", root / "schemas")
    if schema_text is not None:
        (root / SCHEMA).write_text(schema_text)
    return root


def test_a_stale_schema_is_one_warning_with_every_field_written_out(tmp_path):
    root = _team(tmp_path, "{}\n")
    found = stale_schema(Workspace(str(root)))
    # (file, line, column, code, path, message, severity): a warning on the file as a whole
    assert [tuple(d) for d in found] == [(SCHEMA, 1, 1, "MLC118", "", MESSAGE, "warning")]


def test_the_shipped_schema_and_no_schema_are_no_warning(tmp_path):
    root = _team(tmp_path)  # the repository's own schema, current (test_repofiles.py)
    assert stale_schema(Workspace(str(root))) == []
    shutil.rmtree(root / "schemas")
    assert stale_schema(Workspace(str(root))) == []


def test_lint_of_the_whole_repository_prints_the_warning_and_exits_0(tmp_path):
    root = _team(tmp_path, "{}\n")
    code, out, err = run_cli(root, "lint")
    assert out == f"{SCHEMA}:1:1: warning: {MESSAGE} [MLC118]\n"
    assert code == 0 and err.endswith(", 0 errors\n"), err
