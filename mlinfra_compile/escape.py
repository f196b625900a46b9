"""Text that reaches a terminal, a CI log or a shell is inert.

User-controlled text (file names, labels, waiver reasons, Pulumi outputs) could otherwise
move a terminal's cursor or clear it (ESC sequences), reorder what a reviewer reads
(bidirectional overrides), or start a GitHub Actions workflow command (`::add-mask::` at
the start of a line, `##[warning]` anywhere in one). Each output format escapes for its
own context (markdown.py, picture.py, the dotenv writer); `terminal_safe` is the one pass
every output that can reach a CI log goes through (output.out: text, markdown, json,
yaml), and `ci_value` is the same for a value inside a line a format writes itself (the
github annotations).
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


# What the GitHub Actions runner takes for a workflow command (actions/runner,
# src/Runner.Common/ActionCommand.cs): a line that, after TrimStart(), starts with `::`
# (TryParseV2), and, tried next for every line (src/Runner.Worker/ActionCommandManager.cs,
# TryProcessCommand), a line holding the legacy prefix `##[` anywhere (TryParse:
# IndexOf("##[")). Both compare culture-sensitively (string.StartsWith / IndexOf without a
# StringComparison), which under ICU skips what weighs nothing (Microsoft Learn, "Behavior
# changes when comparing strings on .NET 5+": "\0" is found at 0), so `#\u200b#[` is `##[`
# to the runner: Unicode's default-ignorable code points (DerivedCoreProperties.txt,
# Default_Ignorable_Code_Point) may stand between the characters.
_IGNORABLE = ("\x00\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
              "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
              "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff")
_COMMAND_START = re.compile(rf"^(?:[^\S\n]|[{_IGNORABLE}])*:[{_IGNORABLE}]*:", re.MULTILINE)
_LEGACY = re.compile(rf"#[{_IGNORABLE}]*#[{_IGNORABLE}]*\[")
# `[` of `##[` is written \u005b: a JSON string reads it back as `[` (so JSON output stays
# the same document), and text shows it as visible() shows what it escapes.
_BRACKET = "\\u005b"


def ci_value(text: str) -> str:
    """A value inside a line: no legacy workflow command (`##[name]`) anywhere in it."""
    if "#" not in text:
        return text
    return _LEGACY.sub(lambda m: m.group(0)[:-1] + _BRACKET, text)


def terminal_safe(text: str) -> str:
    """Whole output: control characters visible, line structure kept, and no line that a
    CI runner would take for a workflow command: one starting `::` gets a backslash
    before it, and the `[` of every `##[` is written \\u005b."""
    if text.isascii() and "::" not in text and _no_ascii_controls(text):
        # (what almost every output is: nothing to show and no line that can start a
        # command; the scans below took 80 of a plan's 1,500 ms at 10,000 declarations)
        return ci_value(text)
    text = ci_value(_INVISIBLE.sub(_show, text))
    if ":" not in text or ("::" not in text and text.isascii()):
        # (no line can start a command: in ASCII text, with the NUL shown above, nothing
        # ignorable can stand between the two colons, and the regex below, tried at every
        # position, took 15% of a 27 MB plan)
        return text
    return _COMMAND_START.sub(lambda m: "\\" + m.group(0), text)


# What _INVISIBLE matches in ASCII (the C0 controls but newline, and DEL), read from it.
_ASCII_CONTROLS = bytes(c for c in range(0x80) if _INVISIBLE.match(chr(c)))


def _no_ascii_controls(text: str) -> bool:
    """Whether ASCII `text` holds none of _ASCII_CONTROLS (bytes.translate, deleting them,
    scans a plan's 27 MB in half the time of the regex's search)."""
    raw = text.encode("ascii")
    return len(raw.translate(None, _ASCII_CONTROLS)) == len(raw)


# A value echoed in a message is shown whole up to SHOWN characters; a longer one as its
# first KEPT characters and its length, so that a diagnostic stays one readable line
# however long the value (an 800 KB string aliased 10,000 times once made `lint` print
# 8 GB).
SHOWN = 64
KEPT = 32


def cut(value: str, shown: int = SHOWN) -> str:
    """`value` quoted as repr() quotes it, or, when longer than `shown` characters, its
    beginning and its length: `'aaaa…' (800,000 characters)`."""
    if len(value) <= shown:
        return repr(value)
    return f"{value[:KEPT] + '…'!r} ({len(value):,} characters)"


def cut_text(text: str, shown: int = SHOWN, kept: int = KEPT) -> str:
    """Unquoted text (a line of the file, a message) whole up to `shown` characters, else
    its first `kept` and its length: `aaaa… (800,000 characters)`."""
    if len(text) <= shown:
        return text
    return f"{text[:kept]}… ({len(text):,} characters)"
