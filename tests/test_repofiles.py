"""A whole-repository lint also checks the files `mlinfra init` wrote that must keep step
with mlinfra (issue 27, point 14): the editors' schema. (The install placeholder, MLC117:
tests/test_install.py.)"""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.golden import REPO


def _lint(root, *args):
    return subprocess.run([sys.executable, "-m", "mlinfra_compile", "--root", str(root),
                           "lint", *args], capture_output=True, text=True, check=False)


def _repo(tmp_path):
    root = tmp_path / "team"
    shutil.copytree(REPO / "environments", root / "environments")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


STALE = ("schemas/environment.schema.json:1:1: warning: this schema is not the one this "
         "mlinfra checks with, so editors complete and flag fields differently from lint; "
         "`mlinfra schema > schemas/environment.schema.json` rewrites it [MLC118]")


def test_the_current_schema_passes_and_a_stale_one_is_a_warning(tmp_path):
    root = _repo(tmp_path)
    r = _lint(root)
    assert r.returncode == 0 and "MLC118" not in r.stdout, r.stdout
    schema = root / "schemas" / "environment.schema.json"
    # an older mlinfra's: one field fewer (what a user sees after upgrading mlinfra)
    text = schema.read_text()
    schema.write_text(text.replace('"eviction_policy"', '"eviction_policy_old"', 1))
    r = _lint(root)
    assert r.stdout.splitlines() == [STALE] and r.returncode == 0  # a warning: exit 0
    assert "0 errors" in r.stderr


def test_no_schema_file_is_no_warning_and_lint_file_does_not_look(tmp_path):
    root = _repo(tmp_path)
    (root / "schemas" / "environment.schema.json").write_text("{}\n")
    # lint FILE (the environments a hook passes) checks those files only
    assert "MLC118" not in _lint(root, "environments/dev.yaml").stdout
    shutil.rmtree(root / "schemas")
    r = _lint(root)
    assert r.returncode == 0 and r.stdout == ""


def test_a_schema_that_cannot_be_read_is_stale_not_a_hang(tmp_path):
    import os

    root = _repo(tmp_path)
    schema = root / "schemas" / "environment.schema.json"
    schema.unlink()
    os.mkfifo(schema)
    r = subprocess.run([sys.executable, "-m", "mlinfra_compile", "--root", str(root), "lint"],
                       capture_output=True, text=True, check=False, timeout=60)
    assert r.stdout.splitlines() == [STALE]


def test_this_repositorys_own_schema_is_current():
    r = _lint(REPO)
    assert "MLC118" not in r.stdout
