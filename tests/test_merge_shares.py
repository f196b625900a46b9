"""The merge keeps a file's own mapping where one file set it whole (no copy: 7 MB at
10,000 declarations), and copies it before anything changes it: a later file's patch, or
salvage taking out a part that failed the schema. The oracle for "unchanged" is PyYAML's
own reading of each file's text."""

from __future__ import annotations

from pathlib import Path

import yaml

from mlinfra_compile.graph import Origin
from mlinfra_compile.resolve import Compiled, Workspace, compile_environment

AWS = "providers:\n  aws: {region: us-east-1}\n"
BASE = AWS + ("queues:\n"
              "  jobs: {delay: 5s, labels: {team: search}}\n"
              "  kept: {delay: 7s}\n")
CHILD = ("extends: _base\n"
         "queues:\n"
         "  jobs: {delay: 10s}\n"
         "  other: {retention: 2d, labels: {team: ads}}\n"
         "  unlabelled: {labels: {environment: null}}\n"
         "  bad: {delay: 5s, no_such_field: 1}\n")


def _compile(tmp_path: Path, files: dict[str, str], env: str) -> Compiled:
    folder = tmp_path / "environments"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    ws = Workspace(str(tmp_path))
    return compile_environment(ws, ws.find(env))


def _unchanged(c: Compiled, tmp_path: Path) -> None:
    assert c.merged is not None
    for f in c.merged.files:
        assert f.data == yaml.safe_load((tmp_path / f.display).read_text()), f.display


def test_a_patch_and_a_pruned_part_leave_every_file_as_written(tmp_path):
    c = _compile(tmp_path, {"_base.yaml": BASE, "main.yaml": CHILD}, "main")
    assert c.merged is not None
    assert [d.code for d in c.diagnostics] == ["MLC201"], c.diagnostics  # (the bad field)
    _unchanged(c, tmp_path)
    queues = c.merged.data["queues"]
    assert queues == {"jobs": {"delay": "10s", "labels": {"team": "search"}},
                      "kept": {"delay": "7s"},
                      "other": {"retention": "2d", "labels": {"team": "ads"}},
                      "unlabelled": {"labels": {"environment": None}}}
    base, main = (f.data for f in c.merged.files)
    assert base is not None and main is not None
    # what one file set whole is that file's mapping; what two files set is the merge's
    assert queues["other"] is main["queues"]["other"]
    assert queues["kept"] is base["queues"]["kept"]
    assert queues["jobs"] is not base["queues"]["jobs"]
    assert queues is not base["queues"] and queues is not main["queues"]


def test_a_part_pruned_from_a_mapping_one_file_set_whole_leaves_that_file_as_written(
        tmp_path):
    c = _compile(tmp_path, {"main.yaml": AWS + "queues:\n  jobs: {}\n"
                                              "  bad: {no_such_field: 1}\n"}, "main")
    assert c.merged is not None and c.graph is None  # (a schema error fails the stack)
    _unchanged(c, tmp_path)
    assert c.merged.data["queues"] == {"jobs": {}}
    assert "bad" in c.merged.files[0].data["queues"]  # type: ignore[index]


def test_a_null_in_a_new_mapping_is_merged_as_before(tmp_path):
    # `delay: null` removes nothing and is dropped; a declaration's label null is kept (it
    # removes an environment label); so this mapping is the merge's own, not the file's
    c = _compile(tmp_path, {"main.yaml": AWS + "queues:\n  jobs: {delay: null, labels: "
                                              "{team: null, environment: null}}\n"}, "main")
    assert c.merged is not None
    jobs = c.merged.data["queues"]["jobs"]
    assert jobs == {"labels": {"team": None, "environment": None}}
    assert jobs is not c.merged.files[0].data["queues"]["jobs"]  # type: ignore[index]
    _unchanged(c, tmp_path)


def test_a_path_inside_a_mapping_one_file_set_whole_has_that_files_origin(tmp_path):
    c = _compile(tmp_path, {"_base.yaml": BASE, "main.yaml": CHILD}, "main")
    assert c.merged is not None
    origin = c.merged.origin
    # positions read off the texts above (line, column of the key)
    assert origin(("queues", "other", "labels", "team")) == \
        Origin("set", "environments/main.yaml", 4, 35)
    assert origin(("queues", "kept", "delay")) == \
        Origin("inherited", "environments/_base.yaml", 5, 10)
    assert origin(("queues", "jobs", "delay")) == Origin("set", "environments/main.yaml", 3,
                                                         10)
    assert origin(("queues", "jobs", "labels", "team")) == \
        Origin("inherited", "environments/_base.yaml", 4, 30)
    # not written: no origin, whoever set the mapping around it
    assert origin(("queues", "other", "delay")) is None
    assert origin(("queues", "kept", "labels")) is None
    assert origin(("queues", "other", "labels", "owner")) is None
