"""stack.hand_over: the graph deploy checked, written for the Pulumi program as
`graph.json` in the folder it is given, in one compact form (keys sorted, no spaces), with
the SHA-256 of exactly those bytes (the program refuses a file whose digest differs)."""

from __future__ import annotations

import json

from mlinfra_compile.stack import hand_over

GRAPH = {"resources": [{"name": "jobs", "args": {"b": 1, "a": "x"}}], "env": "dev"}
# keys sorted at every level, "," and ":" with no space after them
TEXT = '{"env":"dev","resources":[{"args":{"a":"x","b":1},"name":"jobs"}]}'
# `printf '%s' "$TEXT" | sha256sum`
SHA = "9a1217bf310a50fedf39e709d4df130ebb0a37464eb01d8f50b331dcf921ddda"


def test_the_graph_is_written_compact_and_sorted_with_its_digest(tmp_path):
    handed = hand_over(GRAPH, str(tmp_path))
    # the variables backends/pulumi_program.py reads (graph.GRAPH_FILE_VAR, GRAPH_SHA_VAR)
    assert handed == {"MLINFRA_GRAPH": f"{tmp_path}/graph.json",
                      "MLINFRA_GRAPH_SHA256": SHA}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json"]
    written = (tmp_path / "graph.json").read_text(encoding="utf-8")
    assert written == TEXT
    assert json.loads(written) == GRAPH
