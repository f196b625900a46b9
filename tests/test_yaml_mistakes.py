"""YAML syntax errors in the user's words (yamlerrors.py), one mistake at a time: the
line, column and advice lint gives for a file with that mistake, read off by hand (the
advice, applied, is what the file needed). Then the helpers' own contracts on lines
written here."""

from __future__ import annotations

import hashlib

import pytest

from mlinfra_compile.yamlerrors import _content, _key_indents
from tests.golden import run_cli

CASES = [
    # a value holding ": " whose text is also in its key: the column and the advice
    # point at the value, not at the key's own letters
    ("environment: e: x\n", "1:14",
     'the value of `environment` holds `: `, which starts a mapping: quote the value, '
     'e.g. environment: "e: x"'),
    ("profile: pro: x\n", "1:10",
     'the value of `profile` holds `: `, which starts a mapping: quote the value, '
     'e.g. profile: "pro: x"'),
    # quotes in it are escaped in the advice; a comment after it is not part of it
    ('labels: {a: b}\nenvironment: a "q": b # c\n', "2:14",
     'the value of `environment` holds `: `, which starts a mapping: quote the value, '
     'e.g. environment: "a \\"q\\": b"'),
    # a field moved out of its mapping, with a comment between it and its siblings
    ("queues:\n  jobs:\n    delay: 1\n    # c\n  retention: 2\n    x: 1\n", "5:1",
     "`retention` is indented 2 spaces, less than the keys around it: indent it by 4 "
     "spaces, like `delay` on line 3"),
    ("queues:\n jobs:\n   delay: 1\n retention: 2\n   x: 1\n", "4:1",
     "`retention` is indented 1 space, less than the keys around it: indent it by 3 "
     "spaces, like `delay` on line 3"),
    # a key whose value is only a comment opens a mapping as a bare key does
    ("queues:\n  jobs: # c\n  retention: 2\n    x: 1\n", "3:1",
     "`retention` is indented 2 spaces, less than the keys around it: indent it by 4 "
     "spaces, like `x` on line 4"),
    # above it a list item, or nothing: no moved field to name
    ("queues:\n  jobs:\n    - a\n  retention: 2\n    x: 1\n", "5:1",
     "this line is indented more than `retention` above it, whose value is already on its "
     "own line: indent it as that key (2 spaces)"),
    ("  environment: 1\n    x: 2\n", "2:1",
     "this line is indented more than `environment` above it, whose value is already on "
     "its own line: indent it as that key (2 spaces)"),
    # a list item without a colon above is no key missing its colon
    ("queues:\n  - jobs\n    x: 1\n", "3:6",
     "a `: ` here starts a mapping where none can start: check the indentation of this "
     "line and the one above, or quote the value"),
    ("queues:\n  jobs\n\n    delay: 10s\n", "2:7",
     "`jobs` has no colon: write `jobs:` to hold the keys indented below it"),
    # tabs: on the first line, on a last line without its newline, after spaces
    ("\tenvironment: dev\n", "1:1", "a tab here: YAML indents with spaces only"),
    ("environment: dev\n\tprofile: x", "2:1", "a tab here: YAML indents with spaces only"),
    ("queues:\n  jobs:\n  \tdelay: 1\n", "3:3", "a tab here: YAML indents with spaces only"),
    ("waivers:\n  - a\n  b: 1\n", "3:3",
     "a key among list items: every entry of this list starts with `- `, or the key belongs "
     "at another indentation"),
    ("\t\tenvironment: dev\n", "1:1", "a tab here: YAML indents with spaces only"),  # first
    # a tab where a new line was meant: PyYAML stops at the colon after it
    ("environment: dev\tprofile: x\n", "1:17", "a tab here: YAML indents with spaces only"),
    # the value's first letters also end the key, or recur in the value
    ("environment: t: x\n", "1:14", 'the value of `environment` holds `: `, which starts a '
                                   'mapping: quote the value, e.g. environment: "t: x"'),
    ("environment: x: x\n", "1:14", 'the value of `environment` holds `: `, which starts a '
                                   'mapping: quote the value, e.g. environment: "x: x"'),
    # the keys above, not those below the line
    ("queues:\n  jobs:\n    delay: 1\n retention: 2\n      x: 1\n", "4:1",
     "this line is indented 1 space, which lines up with no key above it (keys above are at "
     "0, 2, 4): indent it as the keys it belongs with"),
    ('environment: "dev\n', "1:14", "this quoted string is never closed: add the closing quote"),
    ("labels: {a: b\nprofile: x\n", "1:9",
     "this `{` or `[` is not closed (or a `,` is missing) before line 2"),
    ("queues:\n  jobs:\n    delay: 1\n retention: 2\n    receive_wait: 5s\n", "4:1",
     "this line is indented 1 space, which lines up with no key above it (keys above are at "
     "0, 2, 4): indent it as the keys it belongs with"),
    ("queues:\n jobs:\n    delay: 1\n  retention: 2\n    x: 1\n", "4:1",
     "this line is indented 2 spaces, which lines up with no key above it (keys above are at "
     "0, 1, 4): indent it as the keys it belongs with"),
]


# (ids from each case's text, not its place: mutmut maps tests to code by id, and an id
# that moves to another case keeps the old case's map)
@pytest.mark.parametrize(("text", "at", "advice"), CASES,
                         ids=[hashlib.sha256(c[0].encode()).hexdigest()[:10] for c in CASES])
def test_each_mistake_gets_its_line_and_advice(tmp_path, text, at, advice):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "main.yaml").write_text(text, encoding="utf-8")
    code, out, _ = run_cli(tmp_path, "lint")
    assert code == 1
    assert out.splitlines()[0] == (f"environments/main.yaml:{at}: error: YAML syntax error: "
                                   f"{advice} [MLC104]")


def test_the_content_line_above_skips_blanks_and_comments_and_stops_at_the_top():
    assert _content(["a: 1", "  # c", "", "b: 2"], 3) == 0
    assert _content(["a: 1", "# c", "x: 1"], 2) == 0  # (each line looked at, in turn)
    assert _content(["# c", "y: 1"], 1) is None  # (nothing above: never the last line)
    assert _content(["# c", "", "  #"], 3) is None


def test_key_indents_are_those_of_keys_only():
    lines = ["a:", "  - x", "    - y", "  b: 1", "  # c: 1", "      z"]
    assert _key_indents(lines, 6) == [0, 2]


@pytest.mark.parametrize(("text", "advice"), [
    ("a:\n  b: 1\n c: 2\n", (3, 1, "this line is indented 1 space, which lines up with no "
                                   "key above it (keys above are at 0, 2): indent it as the "
                                   "keys it belongs with")),
    ("a: [1\n", (1, 4, "this `{` or `[` is not closed (or a `,` is missing) before line 2")),
], ids=["block-end", "flow"])
def test_libyaml_and_pure_python_pyyaml_words_get_the_same_advice(text, advice):
    # PyYAML without libyaml words its errors otherwise ("expected <block end>, but found
    # ..."); lint loads with libyaml when PyYAML has it, else with PyYAML's own parser
    import yaml

    from mlinfra_compile.yamlerrors import explain

    for loader in (yaml.CSafeLoader, yaml.SafeLoader):
        with pytest.raises(yaml.MarkedYAMLError) as e:
            yaml.load(text, Loader=loader)
        at, ctx = e.value.problem_mark, e.value.context_mark
        assert explain(text, e.value.problem, e.value.context, at.line + 1, at.column + 1,
                       (ctx.line + 1, ctx.column + 1) if ctx else None) == advice
