"""Text that reaches a terminal, a CI log or a shell is inert.

User-controlled text (file names, labels, waiver reasons, Pulumi outputs) could otherwise
move a terminal's cursor or clear it (ESC sequences), reorder what a reviewer reads
(bidirectional overrides), or start a GitHub Actions workflow command (`::add-mask::`,
`::set-env`) at the beginning of a log line. Each output format escapes for its own
context (markdown.py, picture.py, the dotenv writer); this module is for plain text.
"""

from __future__ import annotations

import re

# C0 controls but newline, DEL and C1, line/paragraph separators, bidi embeddings,
# overrides and isolates, and the byte-order mark.
_INVISIBLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                        "\u2066-\u2069\ufeff]")


def _show(m: re.Match[str]) -> str:
    c = m.group(0)
    return {"\t": "\\t", "\r": "\\r", "\x1b": "\\e"}.get(c, f"\\u{ord(c):04x}" if ord(c) > 0xFF
                                                      else f"\\x{ord(c):02x}")


def visible(text: str) -> str:
    """One value inside a line: every control character, newline included, made visible."""
    return _INVISIBLE.sub(_show, text).replace("\n", "\\n")


def workflow_safe(line: str) -> str:
    """A line GitHub Actions will not read as a workflow command (`::name ...::`)."""
    return "\\" + line if line.lstrip().startswith("::") else line


def terminal_safe(text: str) -> str:
    """Whole output: control characters visible, line structure kept, and no line that a
    CI runner would take for a workflow command."""
    text = _INVISIBLE.sub(_show, text)
    if "::" not in text:
        return text
    return "\n".join(workflow_safe(line) for line in text.split("\n"))
