"""`mlinfra lint PATH...`, in process: which files a path names (commands._expand: a folder's
.yaml and .yml files, a path relative to --root when it is not one relative to the working
directory) and the message when a repository has no environment at all."""

from __future__ import annotations

import os

import pytest

from mlinfra_compile.commands import _expand, lint
from mlinfra_compile.resolve import Workspace
from tests.golden import run_cli

DEV = "cache:\n  kind: redis\n"


def _team(tmp_path):
    root = tmp_path / "team"
    (root / "environments").mkdir(parents=True)
    return root


def test_a_folder_gives_its_yaml_and_yml_files_in_name_order(tmp_path):
    root = _team(tmp_path)
    envs = root / "environments"
    for name in ("b.yml", "a.yaml", "notes.txt", "c.json", "d.YAML", "e.YML"):
        (envs / name).write_text(DEV)
    real = os.path.realpath(envs)
    # the suffixes are matched as written, case and all (Workspace.environment_files too)
    assert _expand(Workspace(str(root)), [real]) == [f"{real}/a.yaml", f"{real}/b.yml"]


def test_a_path_relative_to_the_root_when_the_working_directory_has_none(tmp_path, monkeypatch):
    root = _team(tmp_path)
    (root / "environments" / "dev.yaml").write_text(DEV)
    monkeypatch.chdir(tmp_path)  # no environments/ here: the path is taken from --root
    real = os.path.realpath(root)
    ws = Workspace(str(root))
    assert _expand(ws, ["environments/dev.yaml"]) == [f"{real}/environments/dev.yaml"]
    assert _expand(ws, ["environments"]) == [f"{real}/environments/dev.yaml"]


def test_a_path_the_working_directory_has_is_that_one_not_the_roots(tmp_path, monkeypatch):
    root = _team(tmp_path)
    (root / "environments" / "dev.yaml").write_text(DEV)
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(DEV)
    monkeypatch.chdir(tmp_path)  # both have environments/dev.yaml: the cwd's, as given
    assert _expand(Workspace(str(root)), ["environments/dev.yaml"]) == ["environments/dev.yaml"]


@pytest.mark.parametrize("folder", [True, False])
def test_a_repository_without_environments_says_so_on_stderr(tmp_path, capsys, folder):
    root = _team(tmp_path) if folder else tmp_path / "team"
    root.mkdir(exist_ok=True)
    assert lint(str(root), [], "text") == 1  # CONFIG_ERROR
    assert capsys.readouterr() == ("", "mlinfra: no environment files in environments/\n")


def test_the_cli_gives_the_same_message_and_exit(tmp_path):
    root = _team(tmp_path)
    assert run_cli(root, "lint") == (1, "", "mlinfra: no environment files in environments/\n")
