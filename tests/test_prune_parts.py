"""salvage.prune: the parts of an environment's own file that failed the schema are taken
out of the merge (Merged.remove), and the names of the declarations so removed returned."""

from __future__ import annotations

from pathlib import Path

from mlinfra_compile.merging import Merged
from mlinfra_compile.resolve import Workspace, compile_environment
from mlinfra_compile.salvage import prune

TEXT = ("providers:\n  aws: {region: us-east-1}\n"
        "labels: {team: search}\n"
        "session_stores:\n"
        "  cache: {engine: redis}\n"
        "queues:\n"
        "  jobs: {delay: 5s}\n"
        "  kept: {delay: 7s}\n")


def _merged(tmp_path: Path) -> Merged:
    folder = tmp_path / "environments"
    folder.mkdir()
    (folder / "main.yaml").write_text(TEXT)
    ws = Workspace(str(tmp_path))
    c = compile_environment(ws, ws.find("main"))
    assert c.merged is not None and c.diagnostics == []
    return c.merged


def test_removed_queues_and_stores_are_named(tmp_path):
    m = _merged(tmp_path)
    assert prune(m, {("queues", "jobs"), ("session_stores", "cache"),
                     ("labels", "team")}) == {"jobs", "cache"}
    assert m.data == {"providers": {"aws": {"region": "us-east-1"}}, "labels": {},
                      "session_stores": {}, "queues": {"kept": {"delay": "7s"}}}


def test_a_queue_alone(tmp_path):
    m = _merged(tmp_path)
    assert prune(m, {("queues", "kept")}) == {"kept"}
    assert m.data["queues"] == {"jobs": {"delay": "5s"}}


def test_a_part_the_merge_has_not_is_no_removed_declaration(tmp_path):
    # (a declaration written `Bad_Name: null` fails the schema and removes nothing)
    m = _merged(tmp_path)
    assert prune(m, {("queues", "ghost"), ("session_stores", "gone")}) == set()
    assert sorted(m.data["queues"]) == ["jobs", "kept"]


def test_the_whole_file_part_removes_nothing(tmp_path):
    m = _merged(tmp_path)
    assert prune(m, {()}) == set()
    assert sorted(m.data) == ["labels", "providers", "queues", "session_stores"]


def test_parts_with_indexes_and_names_side_by_side(tmp_path):
    # a Path mixes names and list indexes (`waivers[0]`); prune orders parts by their
    # dotted text, which every Path has, not by the tuples (1 < "kept" is a TypeError)
    m = _merged(tmp_path)
    assert prune(m, {("queues", 1), ("queues", "kept"), ("waivers", 0)}) == {"kept"}
    assert m.data["queues"] == {"jobs": {"delay": "5s"}}
