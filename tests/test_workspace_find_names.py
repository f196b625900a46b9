"""How `Workspace.find` reads an environment argument (`mlinfra plan ENV`): a stem
(`dev`), or a path, which is any argument with a separator or a file suffix, read from
the working directory; and what it says when there is no such environment. Messages
written out by hand."""

from __future__ import annotations

import os

import pytest

from mlinfra_compile.workspace import UsageError, Workspace


def _repo(tmp_path, *names: str):
    env = tmp_path / "environments"
    env.mkdir()
    for name in names:
        (env / name).write_text("profile: development\n")
    return Workspace(str(tmp_path))


def _refused(ws: Workspace, env: str) -> str:
    with pytest.raises(UsageError) as exc:
        ws.find(env)
    return str(exc.value)


def test_a_name_with_a_suffix_is_a_path_from_the_working_directory(tmp_path, monkeypatch):
    ws = _repo(tmp_path, "dev.yaml")
    monkeypatch.chdir(tmp_path / "environments")
    assert ws.find("dev.yaml") == str(tmp_path / "environments" / "dev.yaml")
    monkeypatch.chdir(tmp_path)  # (not a stem: environments/ is not searched for it)
    assert _refused(ws, "dev.yaml") == "no environment file dev.yaml"


def test_a_name_with_a_slash_is_a_path_where_the_separator_is_another(tmp_path, monkeypatch):
    """On Windows (os.sep a backslash) a forward slash still makes a path: without a
    suffix it names no file, and is not looked up as a stem."""
    ws = _repo(tmp_path, "dev.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "sep", "\\")
    assert _refused(ws, "environments/dev") == "no environment file environments/dev"


def test_an_unknown_stem_names_the_closest_environment_or_lists_them(tmp_path):
    ws = _repo(tmp_path, "dev.yaml", "prod.yaml", "_base.yaml")
    assert _refused(ws, "prd") == "no environment 'prd' in environments/ (did you mean 'prod'?)"
    assert _refused(ws, "zzz") == "no environment 'zzz' in environments/; environments: dev, prod"


def test_an_unknown_stem_with_no_environment_at_all_says_only_that(tmp_path):
    ws = _repo(tmp_path, "_base.yaml")  # (a partial is no environment)
    assert _refused(ws, "dev") == "no environment 'dev' in environments/"
