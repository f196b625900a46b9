"""graph.dumps, the byte-stable JSON that `mlinfra compile` prints and diffs compare:
keys sorted, two-space indent, a final newline, and text as written (UTF-8), not as
\\u escapes: a label or description in another script reads the same in the graph."""

from __future__ import annotations

import json

from mlinfra_compile.graph import dumps


def test_non_ascii_text_is_written_as_itself_with_sorted_keys_and_two_space_indent():
    doc = {"name": "cache", "labels": {"équipe": "données", "owner": "数据"}}
    assert dumps(doc) == (
        '{\n'
        '  "labels": {\n'
        '    "owner": "数据",\n'
        '    "équipe": "données"\n'
        '  },\n'
        '  "name": "cache"\n'
        '}\n')
    assert json.loads(dumps(doc)) == doc  # (a real parser reads it back)


def test_a_control_character_is_still_escaped():
    # (JSON, RFC 8259 section 7: U+0000..U+001F must be escaped in a string)
    assert dumps(["tab\there"]) == '[\n  "tab\\there"\n]\n'
