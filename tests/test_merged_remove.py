"""Merged.remove (what salvage uses to leave a failed part out) and Merged.owner, called
directly on a real merge: whether a value was there, the data and owner tree after, and
the files as written. The oracle for "unchanged" is PyYAML's own reading of each file."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from mlinfra_compile.merging import Merged
from mlinfra_compile.resolve import Workspace, compile_environment

BASE = ("providers:\n  aws: {region: us-east-1}\n"
        "queues:\n"
        "  jobs: {delay: 5s, labels: {team: search}}\n"
        "  kept: {delay: 7s}\n")
MAIN = ("extends: _base\n"
        "queues:\n"
        "  other: {retention: 2d, labels: {team: ads}}\n")
# index 0 is _base.yaml (it set jobs and kept whole), 1 is main.yaml (it set other)


def _merged(tmp_path: Path) -> Merged:
    folder = tmp_path / "environments"
    folder.mkdir()
    (folder / "_base.yaml").write_text(BASE)
    (folder / "main.yaml").write_text(MAIN)
    ws = Workspace(str(tmp_path))
    c = compile_environment(ws, ws.find("main"))
    assert c.merged is not None and c.diagnostics == []
    return c.merged


def _files_as_written(m: Merged) -> None:
    assert [f.data for f in m.files] == [yaml.safe_load(BASE), yaml.safe_load(MAIN)]


def test_a_top_level_key(tmp_path):
    m = _merged(tmp_path)
    assert m.remove(("queues",)) is True
    assert m.data == {"providers": {"aws": {"region": "us-east-1"}}, "extends": "_base"}
    assert m.owner(("queues",)) is None and m.owner(("queues", "jobs")) is None
    assert m.owner(("providers",)) == 0 and m.owner(("extends",)) == 1
    _files_as_written(m)


def test_a_declaration(tmp_path):
    m = _merged(tmp_path)
    assert m.remove(("queues", "kept")) is True
    assert m.data["queues"] == {"jobs": {"delay": "5s", "labels": {"team": "search"}},
                                "other": {"retention": "2d", "labels": {"team": "ads"}}}
    assert m.owner(("queues", "kept")) is None
    assert m.owner(("queues", "jobs")) == 0 and m.owner(("queues", "other")) == 1
    _files_as_written(m)


def test_a_field_of_a_mapping_one_file_set_whole(tmp_path):
    m = _merged(tmp_path)
    assert m.remove(("queues", "jobs", "labels")) is True
    assert m.data["queues"]["jobs"] == {"delay": "5s"}
    assert m.owner(("queues", "jobs", "labels")) is None
    assert m.owner(("queues", "jobs", "labels", "team")) is None
    assert m.owner(("queues", "jobs", "delay")) == 0
    _files_as_written(m)


def test_four_keys_deep(tmp_path):
    m = _merged(tmp_path)
    assert m.remove(("queues", "other", "labels", "team")) is True
    assert m.data["queues"]["other"] == {"retention": "2d", "labels": {}}
    assert m.owner(("queues", "other", "labels", "team")) is None
    assert m.owner(("queues", "other", "labels")) == 1
    _files_as_written(m)


def test_nothing_there_removes_nothing(tmp_path):
    m = _merged(tmp_path)
    before = copy.deepcopy(m.data)
    assert m.remove(("queues", "ghost")) is False  # a missing last key
    assert m.remove(("queues", "ghost", "delay")) is False  # a missing key on the way
    assert m.remove(("nothing", "here")) is False
    assert m.remove(("queues", "kept", "delay", "unit")) is False  # through a scalar
    assert m.remove(("providers", "aws", "region", 0)) is False
    assert m.data == before
    assert m.owner(("queues", "kept", "delay")) == 0
    _files_as_written(m)


def test_a_second_removal_of_the_same_path_finds_nothing(tmp_path):
    m = _merged(tmp_path)
    assert m.remove(("queues", "jobs", "delay")) is True
    assert m.remove(("queues", "jobs", "delay")) is False
    assert m.data["queues"]["jobs"] == {"labels": {"team": "search"}}


def test_no_file_owns_the_empty_path_or_a_list_index_at_the_top(tmp_path):
    # owner's None means "a path no file sets"; no file sets the environment itself
    m = _merged(tmp_path)
    assert m.owner(()) is None
    assert m.owner((0,)) is None
    assert m.origin(()) is None
