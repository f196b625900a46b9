"""Text that reaches a CI log, a pull-request comment or a sourced dotenv file starts
nothing (issue 27, points 5, 12 and 6).

The oracles are written here from the consumers' own rules, not from mlinfra's escaper:
- the GitHub Actions runner (actions/runner, src/Runner.Common/ActionCommand.cs) takes a
  line for a command when, after TrimStart(), it starts with `::` (TryParseV2), or when it
  holds `##[` anywhere (the legacy TryParse); both compare culture-sensitively, under ICU,
  where default-ignorable code points (a zero-width space) weigh nothing;
- GitHub links `@user`, `@org/team`, `#26`, `GH-26`, `owner/repo#26` and `user@SHA` in the
  text of a comment, outside `<code>`, `<pre>` and `<a>` (GitHub Docs, "Autolinked
  references and URLs"; html-pipeline MentionFilter), after HTML entities are decoded, so
  the comment is checked as cmark-gfm renders it;
- a dotenv file is read by sh, where `NAME=value` sets the variable for what runs next.
"""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.golden import git, run_cli, safe_id


def _ignorable(c: str) -> bool:
    """Unicode's Default_Ignorable_Code_Point, by hand (DerivedCoreProperties.txt): the
    format characters, and a few marks and fillers."""
    return (unicodedata.category(c) == "Cf" or c in "\u034f\u115f\u1160\u17b4\u17b5\u3164"
            "\uffa0" or "\u180b" <= c <= "\u180f" or "\ufe00" <= c <= "\ufe0f")


def runner_commands(text: str, own: tuple[str, ...] = ()) -> list[str]:
    """The lines of `text` the runner would take for a workflow command (those starting
    with one of `own`, mlinfra's own annotations, aside)."""
    found = []
    for line in re.split(r"\r\n|\r|\n", text):
        bare = "".join(c for c in line if not _ignorable(c))
        if (bare.lstrip().startswith("::") and not bare.startswith(own)) or "##[" in bare:
            found.append(line)
    return found


class _Text(HTMLParser):
    """The text nodes of rendered HTML that are not inside code, pre or a."""

    def __init__(self) -> None:
        super().__init__()
        self.inside: list[str] = []
        self.chunks: list[str] = []
        self.code: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("code", "pre", "a"):
            self.inside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.inside and self.inside[-1] == tag:
            self.inside.pop()

    def handle_data(self, data: str) -> None:
        (self.code if self.inside else self.chunks).append(data)


def html_of(md: str) -> str:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    return cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)


# GitHub's forms: @user and @org/team after a non-word character, #N, GH-N, and
# owner/repo#N, user@SHA, owner/repo@SHA.
LIVE = re.compile(r"(?:^|(?<=[^\w]))@[A-Za-z0-9]|#\d|(?i:\bGH-\d)|[\w.-]@[0-9a-f]{7}")


def live_references(md: str) -> tuple[list[str], str]:
    """(the text outside code that GitHub would link, the text inside code)."""
    p = _Text()
    p.feed(html_of(md))
    return [c for c in p.chunks if LIVE.search(c)], "".join(p.code)


HOSTILE = ("##[warning]w @ml-team cc @acme/platform see org/repo#12 #34 GH-56 "
           "owner/repo@abcdef1 #\u200b#[error]e")


def write(root: Path, name: str, text: str) -> None:
    (root / "environments").mkdir(exist_ok=True)
    (root / "environments" / name).write_text(text, encoding="utf-8")


# --- point 5: the runner's commands, in every format that can reach a CI log ------------


def test_the_oracle_sees_what_the_runner_would_take():
    assert runner_commands("a ##[warning]b") and runner_commands("\u200b::error::x")
    assert runner_commands("x #\u200b#[group]y") and runner_commands("  ::add-mask::s")
    assert not runner_commands("a :: b") and not runner_commands("##\\u005b x")
    assert not runner_commands("::error file=a::m", own=("::error ",))


FILES = {"##[warning]a.yaml": "profile: nope\n",
         "#\u200b#[error]c.yaml": "profile: nope\n",
         "main.yaml": f'"##[warning]k": 1\nprofile: {json.dumps(HOSTILE)}\n'}


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_lint_shows_file_names_keys_and_values_inert(tmp_path, fmt):
    for name, text in FILES.items():
        write(tmp_path, name, text)
    rc, out, err = run_cli(tmp_path, "lint", "--format", fmt)
    assert rc == 1
    assert runner_commands(out + err, own=("::error file=",)) == []
    assert out.count("MLC203") >= 3 and "MLC201" in out, out
    if fmt == "json":  # still JSON, and the names read back exactly
        doc = json.loads(out)
        files = {d["file"] for d in doc["diagnostics"]}
        assert "environments/##[warning]a.yaml" in files
        assert "environments/#\u200b#[error]c.yaml" in files
        assert any("##[warning]k" in d["message"] for d in doc["diagnostics"])
    if fmt == "github":
        assert len([x for x in out.splitlines() if x.startswith("::error file=")]) == 4


AWS = ("providers:\n  aws: {region: us-east-1}\n"
       "labels: {owner: \"@ml-team\", \"@ops\": \"x\"}\n")


def _hostile_environment(root: Path, description: str = HOSTILE) -> None:
    write(root, "main.yaml",
          "profile: production\n" + AWS +
          "session_stores:\n  cache:\n    tier: basic\n"
          f"    description: {json.dumps(description[:255])}\n"
          "exports:\n  CACHE_HOST_X: cache.host\n"
          "waivers:\n"
          f"  - {{rule: MLC501, resource: cache, reason: {json.dumps(HOSTILE)}}}\n"
          f"  - {{rule: MLC507, resource: cache, reason: {json.dumps(HOSTILE)}}}\n")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_plan_shows_reasons_labels_and_descriptions_inert(tmp_path, fmt):
    _hostile_environment(tmp_path)
    rc, out, err = run_cli(tmp_path, "plan", "main", "--format", fmt)
    assert rc == 0, out + err
    assert runner_commands(out + err) == []
    assert "CACHE_HOST_X" in out and "ml-team" in out
    if fmt == "markdown":
        live, code = live_references(out)
        assert live == [], live
        for token in ("@ml-team", "@acme/platform", "org/repo#12", "#34", "GH-56",
                      "owner/repo@abcdef1"):  # still there, word for word, as code
            assert token in code, token


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diff_shows_changed_values_inert(tmp_path, fmt):
    _hostile_environment(tmp_path, "before @old-team #1")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    _hostile_environment(tmp_path)
    for args in (("diff", "main"), ("diff", "--all")):
        rc, out, err = run_cli(tmp_path, *args, "--format", fmt)
        assert rc == 0, out + err
        assert runner_commands(out + err) == [], args
        if fmt == "json":
            assert HOSTILE in json.dumps(json.loads(out), ensure_ascii=False)
        if fmt == "markdown":
            live, code = live_references(out)
            assert live == [], (args, live)
            assert "@old-team" in code and "@ml-team" in code


def test_a_broken_stack_in_diff_all_lists_its_errors_inert(tmp_path):
    write(tmp_path, "main.yaml", "profile: development\n" + AWS + "queues:\n  jobs: {}\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    write(tmp_path, "main.yaml", f"profile: {json.dumps(HOSTILE)}\n" + AWS)
    rc, out, err = run_cli(tmp_path, "diff", "--all", "--format", "markdown")
    assert rc == 1 and "MLC203" in out, out + err
    assert runner_commands(out + err) == []
    live, code = live_references(out)
    assert live == [] and "@ml-team" in code, live


def test_cost_names_nothing_live(tmp_path):
    _hostile_environment(tmp_path)
    for fmt in ("text", "markdown", "json"):
        rc, out, err = run_cli(tmp_path, "cost", "main", "--format", fmt)
        assert rc == 0, out + err
        assert runner_commands(out + err) == []
        if fmt == "markdown":
            assert live_references(out)[0] == []


def test_every_waiver_is_its_own_list_item(tmp_path):
    """Two waivers were one line of the plan comment (a block tag ate the newline)."""
    _hostile_environment(tmp_path)
    rc, out, _ = run_cli(tmp_path, "plan", "main", "--format", "markdown")
    assert rc == 0
    assert html_of(out).split("<strong>Waivers</strong>")[1].count("<li>") == 2


@pytest.mark.parametrize("line", ["\u200b::warning::x", " \u2060 ::error::y", ":\u200b:z::w",
                                  "a ##[group]b", "a #\u00ad#\u200b[endgroup]b", "##[x"],
                         ids=safe_id)
def test_the_escaper_leaves_no_command(line):
    from mlinfra_compile.escape import terminal_safe

    assert runner_commands(line) != []  # (a command before)
    assert runner_commands(terminal_safe(line)) == []
    assert runner_commands(terminal_safe(f"ok\n{line}\nok")) == []


def test_the_escaper_keeps_json_json():
    from mlinfra_compile.escape import terminal_safe

    doc = {"a": "##[warning]x", "b": "#\u200b#[y", "c": "::add-mask::z", "d": ["##["]}
    for text in (json.dumps(doc, indent=2), json.dumps(doc, indent=2, ensure_ascii=False)):
        safe = terminal_safe(text)
        assert runner_commands(safe) == [] and json.loads(safe) == doc


_TIMED = """\
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB of address space
resource.setrlimit(resource.RLIMIT_CPU, (20, 20))  # 20 s of CPU
from mlinfra_compile.escape import ci_value, terminal_safe
from mlinfra_compile.markdown import html_text, text
n = 1 << 18
cases = {"#zw": "#\\u200b" * n + "[", "hashes": "#" * 4 * n, "spaces": " " * 4 * n + "x",
         "zw-colon": "\\u200b" * 4 * n + "::", "lines": " \\n" * 2 * n,
         "dashes": "a-" * 2 * n, "mentions": "@a " * n, "dots": "a." * 2 * n,
         "refs": "#1" * 2 * n}
worst = 0.0
for name, s in cases.items():
    for f in (terminal_safe, ci_value, text, html_text):
        t = time.process_time()
        f(s)
        worst = max(worst, time.process_time() - t)
print(f"{worst:.2f}")
"""


def test_the_escapers_take_linear_time_on_hostile_text():
    """Up to 1 MiB of what each pattern reads character by character (a thousand times
    the longest value), in a child under 1 GiB and 20 s of CPU: a pattern that
    backtracks, quadratic on this, would be killed."""
    import subprocess
    import sys

    from tests.golden import REPO

    proc = subprocess.run([sys.executable, "-c", _TIMED], capture_output=True, text=True,
                          cwd=REPO, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert float(proc.stdout) < 5, proc.stdout  # seconds for the slowest one
