"""`mlinfra explain ENV KEY`, line by line, for each kind of origin: set, inherited from
the file extended, a profile default, and the profile itself when no file sets it (one
file, and a chain of two). The expected lines are read off the shipped environments by
hand (environments/_base.yaml line 17 holds the store's memory)."""

from __future__ import annotations

import shutil

import pytest

from tests.golden import REPO, run_cli


@pytest.fixture
def shipped(tmp_path):
    shutil.copytree(REPO / "environments", tmp_path / "environments")
    return tmp_path


def explain(root, env, key):
    code, out, err = run_cli(root, "explain", env, key)
    assert code == 0, err
    return out.splitlines()


def test_an_inherited_value_names_its_file_the_default_it_beats_and_its_argument(shipped):
    assert explain(shipped, "dev", "session_stores.ml-session-storage.memory") == [
        'dev: session_stores.ml-session-storage.memory = "1GiB"',
        "  inherited at environments/_base.yaml:17:5",
        '  overrides the development default ("1GiB")',
        "  compiles to ml-session-storage.memory_size_gb = 1"]


def test_a_set_value_names_its_line_and_its_argument(shipped):
    assert explain(shipped, "prod", "session_stores.ml-session-storage.tier") == [
        'prod: session_stores.ml-session-storage.tier = "standard_ha"',
        "  set at environments/prod.yaml:18:5",
        '  overrides the production default ("standard_ha")',
        '  compiles to ml-session-storage.tier = "STANDARD_HA"']


def test_a_default_says_which_and_where_it_is_not_set(shipped):
    assert explain(shipped, "dev", "session_stores.ml-session-storage.tier") == [
        'dev: session_stores.ml-session-storage.tier = "basic"',
        "  development default; not set in environments/dev.yaml or environments/_base.yaml"]


@pytest.mark.parametrize(("files", "chain"), [
    ({"solo.yaml": "environment: solo\nproviders: {gcp: {project: acme-ml-dev, "
                   "region: us-central1}}\n"}, "environments/solo.yaml"),
    ({"_p.yaml": "providers: {gcp: {project: acme-ml-dev, region: us-central1}}\n",
      "solo.yaml": "extends: _p\nenvironment: solo\n"},
     "environments/solo.yaml or environments/_p.yaml"),
], ids=["one-file", "two-files"])
def test_a_profile_no_file_sets_is_the_default_one(tmp_path, files, chain):
    (tmp_path / "environments").mkdir()
    for name, text in files.items():
        (tmp_path / "environments" / name).write_text(text, encoding="utf-8")
    assert explain(tmp_path, "solo", "profile") == [
        'solo: profile = "development"',
        f"  the default profile; not set in {chain}"]
