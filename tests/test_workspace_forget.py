"""Workspace.forget: what a lint of many files has checked leaves the cache, except the
files others extend (read again for each file that extends them, they stay). Memory
stays flat however many environments a lint checks; the cache is what shows it."""

from __future__ import annotations

import os

from mlinfra_compile.workspace import Workspace, load_chain


def _repo(tmp_path):
    env = tmp_path / "environments"
    env.mkdir()
    (env / "_base.yaml").write_text("providers:\n  aws: {region: us-east-1}\n")
    (env / "dev.yaml").write_text("extends: _base\nqueues:\n  jobs: {}\n")
    (env / "solo.yaml").write_text("providers:\n  aws: {region: us-east-1}\n")
    return env


def test_a_file_nothing_extends_leaves_the_cache_and_a_parent_stays(tmp_path):
    env = _repo(tmp_path)
    ws = Workspace(str(tmp_path))
    load_chain(ws, str(env / "dev.yaml"))
    dev, base = os.path.abspath(env / "dev.yaml"), os.path.abspath(env / "_base.yaml")
    assert {dev, base} <= set(ws.cache)
    ws.forget(str(env / "dev.yaml"))
    assert dev not in ws.cache and base in ws.cache
    ws.forget(str(env / "_base.yaml"))  # (extended by dev: kept for the next file)
    assert base in ws.cache


def test_forget_takes_the_path_as_written_relative_or_not(tmp_path, monkeypatch):
    env = _repo(tmp_path)
    ws = Workspace(str(tmp_path))
    ws.load(str(env / "solo.yaml"))
    monkeypatch.chdir(tmp_path)
    ws.forget(os.path.join("environments", "solo.yaml"))
    assert os.path.abspath(env / "solo.yaml") not in ws.cache


def test_forgetting_a_file_never_read_is_nothing(tmp_path):
    env = _repo(tmp_path)
    ws = Workspace(str(tmp_path))
    ws.load(str(env / "solo.yaml"))
    ws.forget(str(env / "dev.yaml"))  # (never loaded: no error, nothing else goes)
    assert list(ws.cache) == [os.path.abspath(env / "solo.yaml")]
