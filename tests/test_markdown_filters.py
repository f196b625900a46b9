"""The three filters of the markdown reports (markdown.code, text, html_text) on values
that each take one branch of them, in-process: the whole output written out by hand from
the rules of CommonMark/GFM (a code span's fence and padding, backslash escapes, entity
escapes) and checked again, where a reader sees it, by cmark-gfm (GitHub's renderer)."""

from __future__ import annotations

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from mlinfra_compile.markdown import code, html_text, text


def rendered(md: str) -> str:
    """The HTML GitHub makes of one paragraph, without the <p> around it."""
    out = cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)
    assert out.startswith("<p>") and out.endswith("</p>\n"), out
    return out[3:-5]


# --- one line: a newline or carriage return is a space (a row cannot be broken) ---------

@pytest.mark.parametrize(("value", "expected"), [
    ("a\rb", "a b"), ("a\nb", "a b"), ("a\r\nb", "a  b"), ("a\tb", "a\\\\tb"),
])
def test_text_turns_line_breaks_into_spaces(value, expected):
    # (a tab is shown as visible() shows it, `\t`, whose backslash markdown escapes)
    assert text(value) == expected


def test_code_and_html_turn_a_carriage_return_into_a_space():
    assert code("a\rb") == "`a b`"
    assert html_text("x\ry") == "x y"


# --- text: entities and markdown punctuation -----------------------------------------------

def test_text_writes_html_characters_as_entities():
    assert text("R&D <b>") == "R&amp;D &lt;b&gt;"
    assert rendered(text("R&D <b>")) == "R&amp;D &lt;b&gt;"  # (shown as typed)
    assert text("&lt;") == "&amp;lt;"
    assert rendered(text("&lt;")) == "&amp;lt;"  # (the user's entity stays text)


def test_text_breaks_the_autolinks_of_a_scheme_and_of_www():
    assert text("see www.example.com and http://x") == \
        "see www\\.example.com and http\\://x"
    assert rendered(text("see www.example.com and http://x")) == \
        "see www.example.com and http://x"  # (no <a>)
    assert text("WWW.example.com") == "WWW\\.example.com"
    assert text("awww.example.com") == "awww.example.com"  # (not a www. autolink)


# --- text: a word with a mention or a reference is code -----------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("plain words", "plain words"),  # no @, # or -: the short way
    ("see #26", "see `#26`"),  # `#` alone
    ("GH-26 fixed", "`GH-26` fixed"),  # `-` alone
    ("ask @bob", "ask `@bob`"),  # `@` alone
    ("a-b c#d e@", "a-b c#d e@"),  # each of them, in no reference
    ("gh-7 and #x", "`gh-7` and #x"),
])
def test_text_shows_references_as_code(value, expected):
    assert text(value) == expected


# --- code: the fence and the padding --------------------------------------------------------

@pytest.mark.parametrize(("value", "expected", "shown"), [
    ("", "`  `", "  "),  # (all spaces: CommonMark strips nothing)
    ("ab", "`ab`", "ab"),
    ("`a", "`` `a ``", "`a"),  # starts with a backtick
    ("a`", "`` a` ``", "a`"),  # ends with one
    (" lead", "`  lead `", " lead"),  # starts with a space
    ("trail ", "` trail  `", "trail "),
    ("Xa", "`Xa`", "Xa"),
    ("aX", "`aX`", "aX"),
    ("a``b", "```a``b```", "a``b"),
])
def test_code_pads_only_a_value_that_starts_or_ends_with_a_backtick_or_space(
        value, expected, shown):
    assert code(value) == expected
    # one space each side is stripped by the renderer when both sides have one
    assert rendered(code(value)) == f"<code>{shown}</code>"


def test_code_escapes_a_table_bar():
    assert code("a|b") == "`a\\|b`"


# --- html: quotes as entities, references as <code> ----------------------------------------

def test_html_text_escapes_quotes_and_shows_references_in_code():
    assert html_text('say "hi" & <b>') == "say &quot;hi&quot; &amp; &lt;b&gt;"
    assert html_text("it's") == "it&#x27;s"
    assert html_text("to @bob's #26") == "to <code>@bob</code>&#x27;s <code>#26</code>"
    assert html_text('GH-1"x') == "<code>GH-1</code>&quot;x"


@pytest.mark.parametrize("value, shown", [
    # a typed backslash stays (code spans take no escapes: CommonMark 0.31.2, 6.1)
    ("C:\\new\\reports", "`C:\\new\\reports`"),
    ("C:\\raw", "`C:\\raw`"),
    # a real line break is a space: a table row or list item cannot be broken
    ("one\ntwo\r\nthree", "`one two  three`"),
])
def test_a_typed_backslash_is_kept_and_a_line_break_is_a_space(value, shown):
    assert code(value) == shown


HOSTILE = "a\nb\r\nc`d<e>|f\x1b[31mg%0Ah::set-output i\\nj"


def test_hostile_text_stays_one_inert_line_in_each_filter():
    """Line breaks (real, and a typed backslash-n), backticks, <, |, ESC, %, ::: each
    filter's output is one line, no ESC reaches it, a `|` cannot end a table cell, and
    GFM renders it in one paragraph with no tag from the text (cmark-gfm, the renderer
    GitHub runs)."""
    for out in (code(HOSTILE), text(HOSTILE), html_text(HOSTILE)):
        assert "\n" not in out and "\r" not in out and "\x1b" not in out
        assert "i\\\\nj" in out or "i\\nj" in out  # the typed backslash-n is kept
        html = cmarkgfm.github_flavored_markdown_to_html(
            f"| h |\n|---|\n| {out} |\n", options=Options.CMARK_OPT_UNSAFE)
        assert html.count("<td>") == 1 and "<e>" not in html
