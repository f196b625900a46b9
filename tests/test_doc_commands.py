"""Every command line the README and docs/ show parses with the CLI as it is (issue 26):
each `mlinfra ...` and `make ...` in an inline code span, a shell code block or a `$ `
prompt, and each `run:` of the shipped workflow. Synopses are read as synopses:
`[--format text|json|github]` checks each choice, `ENV`, `[PATH...]` stand for a value.

The oracle is click's own parser (the CLI's options and choices as declared) and the
Makefile's targets as make reads them (`make -pq`)."""

from __future__ import annotations

import itertools
import re
import shlex
import subprocess

import click
import pytest
import yaml

from mlinfra_compile.cli import cli
from tests.golden import REPO

# (not docs/mutation-survivors.md: a generated table of source lines and reasons, every
# character escaped for the markdown it is, that shows no command to run)
DOCS = [REPO / "README.md", REPO / "CONTRIBUTING.md",
        *sorted(p for p in (REPO / "docs").glob("*.md") if p.name != "mutation-survivors.md")]
SPAN = re.compile(r"`([^`\n]+)`")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
COMMAND = re.compile(r"^(?:\.venv/bin/|\$\(BIN\)/)?(mlinfra|make)(?:\s|$)")
SHELL = {"sh", "bash", "shell", "console"}


def _candidates(text: str) -> list[tuple[str, bool]]:
    """Command lines of one markdown file: inline spans, shell blocks, `$ ` prompts, each
    with whether it is a whole line to type (a block) or may name a command in prose (a
    span: `mlinfra adopt` names the command and need not carry its arguments). A span
    holding `<` or `(` describes a value (`mlinfra session store <name> (<env>)`)."""
    found: list[tuple[str, bool]] = []
    for lang, body in FENCE.findall(text):
        lines = body.replace("\\\n", " ").splitlines()
        for line in lines:
            line = line.strip()
            if line.startswith("$ "):
                found.append((line[2:], True))
            elif lang in SHELL:
                found.append((line, True))
    prose = FENCE.sub("", text)
    found.extend((span, False) for span in SPAN.findall(prose.replace("\\|", "|"))
                 if not re.search(r"[<(]", span))
    return [(c.strip(), whole) for c, whole in found if COMMAND.match(c.strip())]


def _words(line: str) -> list[str]:
    """The command's words: no comment, redirection, pipe or `&&` tail."""
    line = re.sub(r"\s#\s.*$", "", line)
    words = shlex.split(line, posix=True)
    for i, w in enumerate(words):
        if w in {">", ">>", "|", "||", "&&", ";", "2>&1"} or w.startswith((">", "2>")):
            return words[:i]
    return words


def _variants(words: list[str]) -> list[list[str]]:
    """A synopsis as the command lines it stands for: optional parts included, each
    choice of `a|b|c` on its own, `X...` as one X."""
    flat: list[list[str]] = []
    for w in words:
        w = w.strip("[]").removesuffix("...")
        if not w:
            continue
        flat.append(w.split("|") if "|" in w and not w.startswith("-") else [w])
    return [list(v) for v in itertools.product(*flat)][:24]


def _parse(args: list[str]) -> None:
    """What click does before running a command, without running it."""
    ctx = cli.make_context("mlinfra", list(args), resilient_parsing=False)
    rest = [*ctx._protected_args, *ctx.args]
    if not rest:
        return
    name, cmd, sub = cli.resolve_command(ctx, rest)
    assert cmd is not None, f"no command {name!r}"
    cmd.make_context(name, sub, parent=ctx)


def _make_targets() -> set[str]:
    r = subprocess.run(["make", "-pq", "-C", str(REPO)], capture_output=True, text=True,
                       check=False)
    return {m.group(1) for m in re.finditer(r"^([A-Za-z][\w./-]*):", r.stdout, re.M)}


def _lines() -> list[tuple[str, str, bool]]:
    out = [(p.name, c, whole) for p in DOCS for c, whole in _candidates(p.read_text())]
    workflow = yaml.safe_load((REPO / "docs" / "github-actions.yml").read_text())
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in str(step.get("run", "")).replace("\\\n", " ").splitlines():
                if COMMAND.match(line.strip()):
                    out.append(("github-actions.yml", line.strip(), True))
    return out


LINES = _lines()


def test_the_docs_show_commands_at_all():
    # the extraction is the test's own: a regex gone wrong must not pass by finding nothing
    commands = {" ".join(_words(c)) for _, c, _ in LINES}
    assert len(commands) > 60
    assert "mlinfra diff --all --against origin/$BASE_REF --format markdown" in commands
    assert "make plan ENV=dev" in commands


@pytest.mark.parametrize(("where", "line", "whole"), LINES,
                         ids=[f"{w}:{c[:60]}" for w, c, _ in LINES])
def test_every_command_line_shown_parses(where, line, whole):
    words = _words(line)
    program = words[0].rsplit("/", 1)[-1]
    if program == "make":
        targets = _make_targets()
        for w in words[1:]:
            if "=" not in w and not w.startswith("-"):
                assert w in targets, f"{where}: `{line}`: make has no target {w!r}"
        return
    for args in _variants(words[1:]):
        try:
            _parse(args)
        except click.MissingParameter as exc:
            if whole:  # a line to type must be complete; a span may name the command
                pytest.fail(f"{where}: `{line}` as {args}: {exc.format_message()}")
        except click.exceptions.NoArgsIsHelpError:
            assert not args  # `mlinfra` alone: its help
        except click.ClickException as exc:
            pytest.fail(f"{where}: `{line}` as {args}: {exc.format_message()}")


def test_a_stale_option_would_be_caught():
    """Both sides: the parser refuses what the CLI does not have."""
    with pytest.raises(click.UsageError):
        _parse(["lint", "--format", "sarif"])
    with pytest.raises(click.UsageError):
        _parse(["deploy", "dev", "--force"])
    with pytest.raises(click.UsageError):
        _parse(["frobnicate"])
    with pytest.raises(click.MissingParameter):
        _parse(["plan"])
    _parse(["lint", "--format", "github"])
    assert _variants(["[--format", "text|json]"]) == [["--format", "text"],
                                                      ["--format", "json"]]
