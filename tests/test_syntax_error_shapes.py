"""yamlerrors.syntax_error on each shape of error PyYAML's classes can take, called
directly: the whole (line, column, code, path, message) it returns. Lint hands it what
the parser raised; the parsers of PyYAML 6.0 fill some fields only (problem_mark is
always there, context_mark only with a context, ReaderError.character an int), so the
other shapes, which PyYAML's constructors allow and syntax_error is written to take,
are built here: each must still give a diagnostic, never a crash, at the mark it has.

yaml.error.Mark(name, index, line, column, buffer, pointer) counts lines and columns
from 0; diagnostics count them from 1."""

from __future__ import annotations

import pytest
import yaml
from yaml.error import Mark, MarkedYAMLError
from yaml.reader import ReaderError

from mlinfra_compile.yamlerrors import syntax_error

AT_2_6 = Mark("<unicode string>", 10, 1, 5, None, None)  # line 2, column 6


def parser_error(text: str, loader: type) -> yaml.YAMLError:
    with pytest.raises(yaml.YAMLError) as e:
        for _event in iter(loader(text).get_event, None):
            pass
    return e.value


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="the nesting limit is libyaml's")
def test_libyamls_nesting_limit_is_mlc107_at_the_bracket_past_it():
    # libyaml stops at MAX_NESTING_LEVEL = 1000 levels (src/yaml_private.h): the 1001st
    # `[`, column 1001 of line 1, is one too many
    text = "[" * 1200 + "]" * 1200 + "\n"
    exc = parser_error(text, yaml.CSafeLoader)
    assert syntax_error(exc, text, 50) == (1, 1001, "MLC107", "",
                                           "nesting is deeper than 50 levels")


def test_an_error_with_neither_mark_nor_problem_keeps_its_own_words_at_the_top():
    exc = yaml.YAMLError("the stream ended early")
    assert syntax_error(exc, "a: 1\n", 50) == (
        1, 1, "MLC104", "", "YAML syntax error: the stream ended early")


def test_an_error_with_only_a_context_mark_is_placed_at_it_in_the_problems_words():
    exc = MarkedYAMLError("while parsing a block mapping", AT_2_6,
                          "expected something odd", None)
    assert syntax_error(exc, "a: 1\nb: 2 x\n", 50) == (
        2, 6, "MLC104", "", "YAML syntax error: expected something odd")


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="libyaml's words")
def test_both_marks_give_the_context_and_the_problem_at_the_problem_mark():
    # an anchor with no name: `&` then the line's end, column 5
    text = "a: &\n"
    exc = parser_error(text, yaml.CSafeLoader)
    assert exc.problem_mark is not None and exc.context_mark is not None
    assert syntax_error(exc, text, 50) == (
        1, 5, "MLC104", "", "YAML syntax error: while scanning an anchor: did not find "
        "expected alphabetic or numeric character")


def test_an_unclosed_quote_without_the_context_mark_keeps_pyyamls_words():
    # (with the mark it names the opening quote: tests/test_yaml_mistakes.py)
    exc = MarkedYAMLError("while scanning a quoted scalar", None,
                          "found unexpected end of stream", AT_2_6)
    assert syntax_error(exc, 'a: 1\nb: "x\n', 50) == (
        2, 6, "MLC104", "",
        "YAML syntax error: while scanning a quoted scalar: found unexpected end of stream")


@pytest.mark.parametrize("character, reason, shown", [
    (7, "control characters are not allowed", "U+0007"),  # (what PyYAML 6 raises)
    # a byte, as ReaderError.__str__ words it ("codec can't decode byte #x80")
    (b"\x80", "invalid start byte", "U+0080")])
def test_a_character_yaml_refuses_is_named_by_its_code_point_at_its_byte(character,
                                                                         reason, shown):
    text = "a: é\x07\n"  # (position 4 is the 6th byte: `é` takes two)
    exc = ReaderError("<unicode string>", 4, character, "utf-8", reason)
    assert syntax_error(exc, text, 50) == (
        1, 6, "MLC104", "",
        f"YAML syntax error: character {shown} is not allowed in YAML ({reason})")
