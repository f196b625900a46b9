"""docs/mutation-survivors.md rows (tests/mutation_report.row) hold a mutant's changed line,
which is any line of the package, and a reason written by hand: each field stays in its
cell, as written, whatever it holds. The oracle is cmark-gfm, GitHub's renderer."""

from __future__ import annotations

import html
import re

import cmarkgfm
from cmarkgfm.cmark import Options

from tests.mutation_report import row

HOSTILE = "a\nb `x` ``y`` <b>z</b> | 50% ::error::w \x1b[31m end"
HEAD = "| mutant | result | changed line | why it is acceptable |\n|---|---|---|---|\n"


def cells(md: str) -> list[str]:
    rendered = cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)
    body = re.findall(r"<tbody>(.*)</tbody>", rendered, re.S)
    assert len(body) == 1, rendered
    rows = re.findall(r"<tr>(.*?)</tr>", body[0], re.S)
    assert len(rows) == 1, rendered  # (one row: nothing broke it into two)
    return re.findall(r"<td>(.*?)</td>", rows[0], re.S)


def test_every_field_of_a_row_stays_in_its_cell_as_written():
    line = row("mlinfra_compile.m.x_f__mutmut_1", "survived", HOSTILE, HOSTILE)
    assert "\n" not in line and "\x1b" not in line
    got = cells(HEAD + line + "\n")
    assert len(got) == 4, got
    name, result, changed, why = got
    assert name == "<code>m.x_f__mutmut_1</code>" and result == "survived"
    # the changed line: one code span, its text as written (the newline and ESC shown)
    shown = "a b `x` ``y`` <b>z</b> | 50% ::error::w \\e[31m end"  # (ESC as \\e)
    assert re.fullmatch(r"<code>(.*)</code>", changed)
    assert html.unescape(changed[len("<code>"):-len("</code>")]).strip() == shown
    # the reason: text, no element of its own (no <b>, no <code>), every character shown
    assert "<" not in why.replace("&lt;", "")
    assert html.unescape(why) == shown


def test_a_line_longer_than_the_cell_is_cut_to_110_characters():
    got = cells(HEAD + row("x", "survived", "y" * 200, "") + "\n")
    assert got[2] == f"<code>{'y' * 110}</code>"
