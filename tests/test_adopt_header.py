"""The comment block `mlinfra adopt` writes at the top of the environment file
(adopt._header), read whole: where the resources came from, how they change hands, what
the file could not express and what stays with the old stack. Every expected text is
written out by hand; `shown` cuts a value longer than its limit to the limit and "...".
"""

from __future__ import annotations

from pathlib import Path

from mlinfra_compile.adopt import _header
from mlinfra_compile.state import Checkpoint, StateResource
from mlinfra_compile.workspace import Workspace


def queue(name: str) -> StateResource:
    url = f"https://sqs.us-east-1.amazonaws.com/123456789012/{name}"
    return StateResource(f"urn:pulumi:legacy::old-ml::aws:sqs/queue:Queue::{name}",
                         "aws:sqs/queue:Queue", url, {"name": name}, {"name": name})


def repository(tmp_path: Path, *, schema: bool) -> Workspace:
    (tmp_path / "environments").mkdir()
    if schema:
        (tmp_path / "schemas").mkdir()
        (tmp_path / "schemas" / "environment.schema.json").write_text("{}")
    return Workspace(str(tmp_path))


def test_a_new_stack_header_lists_what_is_not_expressed_and_what_stays(tmp_path):
    # no schema in the repository: no yaml-language-server line. Two resources (a
    # plural), a state path of 201 characters (cut at 200), a missing and a left line of
    # 401 characters each (cut at 400).
    ws = repository(tmp_path, schema=False)
    cp = Checkpoint("p" * 201, (queue("a"), queue("b")), (), (), {}, "legacy", "old-ml")
    text = _header(ws, cp, "dev", False, ["m" * 401], ["l" * 401])
    assert text == (
        "# dev: adopted with `mlinfra adopt` from stack legacy of project old-ml\n"
        "# (" + "p" * 200 + "...): 2 resources, each with the arguments it runs with;\n"
        "# `mlinfra diff dev --against-state FILE` compares them again.\n"
        "# A new stack takes them over: `import` adopts each by its id, `name` keeps its "
        "name.\n"
        "# Not expressed here (mlinfra does not model it; add it by hand or keep it in the "
        "old stack):\n"
        "#   " + "m" * 400 + "...\n"
        "# Left with the old stack:\n"
        "#   " + "l" * 400 + "...\n")


def test_values_at_the_limits_are_written_whole(tmp_path):
    # 200, 400 and 400 characters: at the limit, nothing is cut
    ws = repository(tmp_path, schema=False)
    cp = Checkpoint("p" * 200, (queue("a"), queue("b")), (), (), {}, "legacy", "old-ml")
    text = _header(ws, cp, "dev", False, ["m" * 400], ["l" * 400])
    assert text.splitlines()[1] == "# (" + "p" * 200 + "): 2 resources, each with the " \
                                                       "arguments it runs with;"
    assert text.splitlines()[-3:] == ["#   " + "m" * 400, "# Left with the old stack:",
                                      "#   " + "l" * 400]


def test_the_same_stack_header_points_at_the_schema_and_previous_names(tmp_path):
    # the schema exists: the editor line first, relative to environments/. One resource
    # (no plural), nothing missing, nothing left: no lists.
    ws = repository(tmp_path, schema=True)
    cp = Checkpoint("state.json", (queue("a"),), (), (), {}, "prod", "mlinfra")
    assert _header(ws, cp, "prod", True, [], []) == (
        "# yaml-language-server: $schema=../schemas/environment.schema.json\n"
        "# prod: adopted with `mlinfra adopt` from stack prod of project mlinfra\n"
        "# (state.json): 1 resource, each with the arguments it runs with;\n"
        "# `mlinfra diff prod --against-state FILE` compares them again.\n"
        "# The old stack becomes this one: previous_names holds each resource's URN.\n")
