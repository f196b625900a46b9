"""Issue 31: output written as it is made, and the caches that make a large estimate
cheap, give the same bytes as the whole text and the uncached figures.

`plan` of 10,000 declarations is 27 MB of text: held whole, joined, escaped twice and
encoded, it took 70 MiB of the command's 247 MiB (ru_maxrss). It is now written a resource
at a time through output.out, which must escape a line cut between two pieces as the
one line it is."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from mlinfra_compile import commands, formats, report
from mlinfra_compile.cost import Estimate, Item
from mlinfra_compile.escape import terminal_safe
from mlinfra_compile.output import out
from mlinfra_compile.providers import pricing
from mlinfra_compile.providers.lines import Line
from tests.golden import REPO

# Every class escape.py handles, with a workflow command cut at each place it can be.
HOSTILE = ("plain line\n"
           "  ::add-mask::secret\n"
           "value with ##[warning] inside\n"
           "#\u200b#[error] between ignorables\n"
           "\x1b[2Jclear \x07 bell \x7f del \x85 nel \u2028 ls \u202e rlo \u2066 lri \ufeff\n"
           "\t::tabbed::command\n"
           "last line without an end")


@pytest.mark.parametrize("cut", range(len(HOSTILE) + 1))
def test_text_in_two_pieces_is_escaped_as_the_whole_text(cut):
    whole, pieces = io.StringIO(), io.StringIO()
    out(HOSTILE, whole)
    out(iter([HOSTILE[:cut], HOSTILE[cut:]]), pieces)
    assert pieces.getvalue() == whole.getvalue()
    # the oracle: escape.terminal_safe over the whole text at once
    assert whole.getvalue() == terminal_safe(HOSTILE)
    assert "\x1b" not in pieces.getvalue() and "\n\\  ::add-mask::" in pieces.getvalue()


def test_a_piece_per_character_and_empty_pieces_change_nothing():
    got = io.StringIO()
    out(iter([c for ch in HOSTILE for c in (ch, "")]), got)
    assert got.getvalue() == terminal_safe(HOSTILE)


def test_raw_pieces_are_written_as_they_are():
    got = io.StringIO()
    out(iter(["::a", "dd-mask::x\n\x1b", "end"]), got, raw=True)
    assert got.getvalue() == "::add-mask::x\n\x1bend"


def _written(monkeypatch, command, root) -> tuple[list[str], commands.Compiled]:
    """What `command` (plan or cost) of the environment hands to output.out, piece by
    piece (not one string), and the environment compiled again."""
    written: list[object] = []
    monkeypatch.setattr(commands, "out", lambda text, *a, **k: written.append(text))
    env = "dev" if root == REPO else "big"
    assert command(str(root), env, "text") == 0
    [pieces] = written
    assert not isinstance(pieces, str)
    c = commands.compile_env(str(root), env)
    assert not isinstance(c, int) and c.graph is not None
    return list(pieces), c  # type: ignore[call-overload]


def test_plan_is_written_a_resource_at_a_time_and_reads_as_the_whole_text(monkeypatch):
    chunks, c = _written(monkeypatch, commands.plan, REPO)
    assert c.graph is not None
    # a heading, one piece per resource, the tail (waivers, outputs, the cost line)
    assert len(chunks) == len(c.graph.resources) + 2
    assert all(p.endswith("\n") for p in chunks)
    assert "".join(chunks) == report.plan_text(c) == formats.render(formats.PLAN, "text", c)
    assert chunks[-1].splitlines()[-1].startswith("Estimated cost: $")


@pytest.mark.parametrize("first, second, shown", [
    # equal values, different text: each is shown as its own text says
    (Decimal("1.0"), Decimal("1.00"), ("$1.00", "$1.00")),
    (Decimal("0.0128"), Decimal("0.01280"), ("$0.0128", "$0.0128")),
    (Decimal("-0"), Decimal("0"), ("$-0.00", "$0.00")),
    (Decimal("0"), Decimal("-0"), ("$0.00", "$-0.00")),
    (1, 1.5, ("$1.00", "$1.50")),
    (Decimal("1234.5"), 1234.5, ("$1,234.50", "$1,234.50")),
])
def test_dollars_kept_by_their_text_whatever_came_first(first, second, shown):
    pricing._dollars.cache_clear()
    assert (pricing.dollars(first), pricing.dollars(second)) == shown
    pricing._dollars.cache_clear()
    assert (pricing.dollars(second), pricing.dollars(first)) == shown[::-1]


def _item(name: str, *kinds: str) -> Item:
    return Item(name, "t", tuple(Line(k, None, "b") for k in kinds))


def test_the_items_left_out_by_kind_are_each_kinds_own_and_a_copy():
    e = Estimate("dev", (_item("a", "fixed"), _item("b", "no-price", "fixed"),
                         _item("c", "usage-based"), _item("d", "no-price"),
                         _item("e", "fixed", "usage-based")))  # (the later line's kind wins)
    assert [i.name for i in e.open("no-price")] == ["b", "d"]
    assert [i.name for i in e.open("usage-based")] == ["c", "e"]
    assert [i.name for i in e.open("fixed")] == ["a"]
    assert e.open("free") == []
    e.open("no-price").clear()
    assert [i.name for i in e.open("no-price")] == ["b", "d"]


@pytest.mark.parametrize("text", [
    "key: value\n  other: x\n",                  # colons, none doubled: the fast path
    "ok\n  ::add-mask::x\n",                     # ASCII, a command after spaces
    "ok\n\t::warning::x\n",                      # after a tab (shown as \t, still first)
    "ok\n:\u200b:error::x\n",                    # an ignorable between the colons
    "ok\n\u00a0::notice::x\n",                   # non-ASCII space before them
    "caf\u00e9: x\nurn:pulumi:dev::proj::t::n\n",  # non-ASCII, `::` inside a line only
    "a\x00:\x00:b\n",                            # NULs are shown, never ignorable after
    "no colon, a tab\there\n",                  # ASCII controls without `::`: each
    "del\x7f and unit separator\x1f\n",          # is shown (the quick path is only for
    "bell\x07 vertical tab\x0b form feed\x0c\n",  # text without them)
    "first\x01 and last\x1f of C0, ## [ and ##[x\n",
    "newline only\n\n\n",                       # the one C0 control kept
])
def test_the_quick_path_of_terminal_safe_agrees_with_the_line_rule(text):
    """A line is a workflow command when, after blanks and ignorable characters, it starts
    with two colons (the runner's TrimStart, then `::`): the oracle applies the escape.py
    regexes to the text without the quick path."""
    from mlinfra_compile import escape

    shown = escape.ci_value(escape._INVISIBLE.sub(escape._show, text))
    expected = escape._COMMAND_START.sub(lambda m: "\\" + m.group(0), shown)
    assert terminal_safe(text) == expected


@pytest.mark.parametrize("value", ["plain", "caf\u00e9 \"q\" \\ \n\t\x1b \u2028", "", True,
                                   False, None, 0, -7, 2**70, 1.5, 1e300, [1, "a", None],
                                   {"b": 1, "a": [True]}])
def test_plan_shows_a_value_as_json_writes_it(value):
    import json

    from mlinfra_compile.report import show_value

    if isinstance(value, dict):  # (mappings: keys sorted, `key: value` as plan writes them)
        assert show_value(value) == '{a: [true], b: 1}'
    elif isinstance(value, list):
        assert show_value(value) == '[1, "a", null]'
    else:
        assert show_value(value) == json.dumps(value, ensure_ascii=False)


def test_cost_is_written_a_thousand_rows_at_a_time(monkeypatch, tmp_path):
    """2,000 queues' rows in pieces: each piece whole lines, together the table that the
    rows' count and the total line say."""
    from bench.scale import write
    from mlinfra_compile.cost import estimate

    write(tmp_path, 2000)
    chunks, c = _written(monkeypatch, commands.cost, tmp_path)
    assert c.graph is not None
    rows = sum(len(i.lines) for i in estimate(c.graph.to_json()).items) + 1  # + heading
    assert len(chunks) == 1 + -(-rows // 1000) + 1 and all(p.endswith("\n") for p in chunks)
    assert "".join(chunks) == formats.render(formats.COST, "text",
                                             estimate(c.graph.to_json()))
    assert "".join(chunks).splitlines()[0] == (
        "Estimated monthly cost of big (USD, on-demand list prices read "
        f"{estimate(c.graph.to_json()).date}, 730 hours a month, each line rounded to cents)")


_EXIT = """
import atexit, sys
atexit.register(lambda: print("teardown ran", file=sys.stderr))
from mlinfra_compile.entry import run
sys.argv = ["mlinfra", "--root", sys.argv[1], "plan", "dev"]
run()
"""


def test_the_console_script_exits_without_teardown_and_every_byte_written():
    """failures.finish flushes stdout and stderr, then exits at once: no exit handler
    runs (nothing of the interpreter's teardown), and a plan through a pipe arrives whole,
    as the command wrote it in-process."""
    import subprocess
    import sys

    from tests.golden import run_cli

    r = subprocess.run([sys.executable, "-c", _EXIT, str(REPO)], capture_output=True,
                       text=True, cwd=REPO, timeout=120, check=False)
    code, expected, _ = run_cli(REPO, "plan", "dev")
    assert (r.returncode, code) == (0, 0)
    assert r.stdout == expected and len(expected) > 1000
    assert "teardown ran" not in r.stderr


def _escaped_without_quick_path(text: str) -> str:
    from mlinfra_compile import escape

    shown = escape.ci_value(escape._INVISIBLE.sub(escape._show, text))
    return escape._COMMAND_START.sub(lambda m: "\\" + m.group(0), shown)


def test_terminal_safe_agrees_with_its_regexes_on_random_text():
    """Random text from an alphabet of every class the quick path must tell apart (each
    ASCII control, DEL, newline, colon, `#`, `[`, an ignorable, a C1 control, a non-ASCII
    letter): the same as the regexes alone, on ASCII-only text and on the rest."""
    import random

    ascii_chars = [chr(c) for c in range(0x80)] + [":"] * 20 + ["\n"] * 10 + ["#", "["] * 5
    other = ["\u200b", "\x85", "\u00e9", "\u2028", "\ufeff", "\u00a0"]
    rng = random.Random(31)
    for i in range(3000):
        alphabet = ascii_chars if i % 2 else ascii_chars + other
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        assert terminal_safe(text) == _escaped_without_quick_path(text), repr(text)


def test_pieces_are_written_in_batches_and_a_line_cut_between_two_is_one_line():
    """A plan's 30,000 pieces are not 30,000 writes: they are gathered to output.BATCH
    characters. A workflow command whose two colons fall either side of the end of a
    batch is still escaped at the start of its line."""
    from mlinfra_compile import output

    class Counted(io.StringIO):
        writes = 0

        def write(self, s: str) -> int:
            self.writes += 1
            return super().write(s)

    first = "a" * (output.BATCH - 2) + "\n:"  # (a batch's last character is a colon)
    pieces = [first, ":add-mask::x\n", *["row\n"] * 1000, "tail"]
    got = Counted()
    out(iter(pieces), got)
    assert got.getvalue() == terminal_safe("".join(pieces))
    assert "\n\\::add-mask::x\n" in got.getvalue()
    # the first batch up to its last line end, then the rest (one batch) and its tail
    assert got.writes == 3


class _Writes(io.StringIO):
    """A stream that keeps the length of each write."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, s: str) -> int:
        self.sizes.append(len(s))
        return super().write(s)


def _out(pieces: list[str]) -> _Writes:
    got = _Writes()
    out(iter(pieces), got)
    assert got.getvalue() == terminal_safe("".join(pieces))
    return got


def test_many_small_pieces_are_written_a_batch_at_a_time():
    """20,000 rows of 4 characters (80,000): one write when the gathered rows reach
    output.BATCH (16,384 rows), the rest at the end; nothing held back beyond a line."""
    from mlinfra_compile import output

    assert _out(["row\n"] * 20_000).sizes == [output.BATCH, 80_000 - output.BATCH]


def test_a_batch_ends_when_it_reaches_its_size_not_after():
    from mlinfra_compile import output

    exact = "a" * (output.BATCH - 1) + "\n"
    assert _out([exact, "x\n"]).sizes == [output.BATCH, 2]
    short = "a" * (output.BATCH - 2) + "\n"  # (one character under: held with the next)
    assert _out([short, "b\n"]).sizes == [output.BATCH + 1]
    # after a batch, counting starts again from nothing
    assert _out([exact, short, "c\n"]).sizes == [output.BATCH, output.BATCH + 1]


def test_a_legacy_command_at_the_end_of_a_batch_is_escaped_whole():
    """`##[` closing the last line of a batch stays in one escaped piece."""
    from mlinfra_compile import output

    first = "a" * (output.BATCH - 5) + " ##[\n"
    got = _out([first, "next\n"]).getvalue()
    assert got.endswith(" ##\\u005b\nnext\n")


def test_a_last_line_without_its_end_is_escaped_too():
    assert _out(["row\n", "tail \x1b[2J"]).getvalue() == "row\ntail \\e[2J"


# The hostile text again with what only other formats treat specially: backticks, <, |
# and % pass through a terminal's text as they are; the rest is escaped.
HOSTILE_ALL = HOSTILE + "\n`code` <b>x</b> | a | %s %n %%\n::warning file=x::y\n"


@pytest.mark.parametrize("cut", range(len(HOSTILE_ALL) + 1))
def test_hostile_text_cut_at_a_batch_boundary_is_escaped_as_the_whole_text(cut):
    """The first piece fills a batch exactly, so the cut in the hostile text falls on
    the end of a batch, at every position of the text."""
    from mlinfra_compile import output

    pad = "p" * (output.BATCH - cut - 1) + "\n"
    pieces = [pad + HOSTILE_ALL[:cut], HOSTILE_ALL[cut:]]
    assert len(pieces[0]) == output.BATCH
    got = _out(pieces).getvalue()  # (the oracle: terminal_safe over the whole text)
    assert "\x1b" not in got and "\u202e" not in got and "\ufeff" not in got
    assert "\n\\::warning file=x::y\n" in got and "\n\\  ::add-mask::" in got
    assert "##\\u005bwarning]" in got
    assert "\n`code` <b>x</b> | a | %s %n %%\n" in got
