"""Output formats: one registry per kind of output (as check-jsonschema's
REPORTER_BY_NAME). The CLI's `--format` choices are the keys of these tables, and a
renderer's module is imported only when its format is chosen, so that `lint` never loads
what `diff --format markdown` needs. A new format is one function plus one entry here.

The renderers of one table share a signature:
- DIAGNOSTICS: (sorted diagnostics) -> text
- PLAN: (compiled environment) -> text, or its pieces (output.out joins them)
- PICTURE: (graph) -> text
- DIFF: (diff, allowed replacements) -> text
- DIFF_ALL: (diffall.Report) -> text
- OUTPUTS: (settings, names of secrets held back) -> text
- COST: (estimate) -> text, or its pieces
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple


class Format(NamedTuple):  # (a NamedTuple: cheaper to define than a dataclass at start-up)
    module: str  # in mlinfra_compile
    function: str
    # Written byte for byte: its consumer parses it (GitHub workflow commands, dotenv),
    # and it escapes what it carries itself (escape.ci_value, envnames). Every other
    # format goes through escape.terminal_safe, the one pass that keeps a CI log inert.
    raw: bool = False
    # The command adds notes for people on stderr (a summary, what was held back); a
    # format read by programs keeps stderr for errors.
    notes: bool = False
    # Holds a multi-line value (a PEM bundle) in place; otherwise the command writes it to
    # a file and gives its path.
    multiline: bool = True

    def load(self) -> Callable[..., str | Iterable[str]]:
        module = importlib.import_module(f"mlinfra_compile.{self.module}")
        renderer: Callable[..., str | Iterable[str]] = getattr(module, self.function)
        return renderer


DIAGNOSTICS: dict[str, Format] = {
    "text": Format("diagnostics", "render_text", notes=True),
    "json": Format("diagnostics", "render_json"),
    "github": Format("diagnostics", "render_github", raw=True),
}
PLAN: dict[str, Format] = {
    "text": Format("report", "plan_pieces"),
    "markdown": Format("markdown", "plan_markdown"),
}
PICTURE: dict[str, Format] = {
    "mermaid": Format("picture", "mermaid"),
    "dot": Format("picture", "dot"),
}
DIFF: dict[str, Format] = {
    "text": Format("difftext", "diff_text"),
    "markdown": Format("markdown", "diff_markdown"),
    "json": Format("diffall", "diff_json"),
}
DIFF_ALL: dict[str, Format] = {
    "text": Format("diffall", "all_text"),
    "markdown": Format("markdown", "diff_all_markdown"),
    "json": Format("diffall", "all_json"),
}
COST: dict[str, Format] = {
    "text": Format("cost", "cost_pieces"),
    "json": Format("cost", "cost_json"),
    "markdown": Format("markdown", "cost_markdown"),
}
OUTPUTS: dict[str, Format] = {
    "dotenv": Format("connections", "settings_dotenv", raw=True, multiline=False),
    "json": Format("connections", "settings_json", notes=True),
    "yaml": Format("connections", "settings_yaml", notes=True),
}


def render(table: dict[str, Format], name: str, *args: Any) -> str:
    """The output whole."""
    text = table[name].load()(*args)
    return text if isinstance(text, str) else "".join(text)


def pieces(table: dict[str, Format], name: str, *args: Any) -> str | Iterable[str]:
    """The output as its renderer makes it, whole or in pieces: output.out takes both."""
    return table[name].load()(*args)
