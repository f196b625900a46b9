"""PyYAML's syntax errors in the user's words, at the line that is wrong.

PyYAML reports where its parser gave up, often the line after the mistake, in its own
terms ("mapping values are not allowed in this context"). As yamllint does, read the
lines around that point and name the likely mistake: a missing colon, an indentation
that matches no key above it, a tab, a value that needs quotes, an unclosed quote or
bracket. Anything else keeps PyYAML's words.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .escape import cut_text

_KEY_VALUE = re.compile(r"^(\s*)(?:- )?([^\s:#][^:#]*?):(?:\s+(\S.*))?$")


def utf8_error_loc(raw: bytes, pos: int) -> tuple[int, int]:  # pragma: no mutate block
    """(line, column) of byte `pos` of `raw`, the column counted in bytes."""
    line = raw.count(b"\n", 0, pos) + 1
    start = raw.rfind(b"\n", 0, pos) + 1
    return (line, pos - start + 1)


def mark_loc(mark: Any) -> tuple[int, int]:  # pragma: no mutate block
    """(line, column), from 1, of a PyYAML mark (0-based); (1, 1) without one."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def syntax_error(exc: yaml.YAMLError, text: str, max_depth: int) -> tuple[int, int, str, str,
                                                                           str]:
    """(line, column, code, path, message) of the diagnostic for a file PyYAML cannot
    parse: a character YAML does not allow, nesting deeper than `max_depth`, or a syntax
    error named in the user's words where it can be (`explain`)."""
    pmark = getattr(exc, "problem_mark", None)
    mark = pmark or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    ctx = getattr(exc, "context", None)
    msg = f"{ctx}: {problem}" if ctx and mark is pmark else problem
    if isinstance(exc, yaml.reader.ReaderError):
        ch = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "\0")
        msg = f"character U+{ch:04X} is not allowed in YAML ({exc.reason})"
        line, col = utf8_error_loc(text.encode(), len(text[: exc.position].encode()))
    else:
        line, col = mark_loc(mark)
        cmark = getattr(exc, "context_mark", None)
        named = explain(text, str(problem), ctx, line, col,
                        mark_loc(cmark) if cmark is not None else None)
        if named is not None:
            line, col, msg = named
    if "maximum nesting depth" in str(problem):  # PyYAML >= 6.0.3 has its own limit
        return (line, col, "MLC107", "", f"nesting is deeper than {max_depth} levels")
    return (line, col, "MLC104", "", f"YAML syntax error: {msg}")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(lines: list[str], before: int) -> int | None:
    """The index of the last line before `before` holding YAML (not blank, no comment)."""
    for i in range(before - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i
    return None


def _key_indents(lines: list[str], before: int) -> list[int]:
    """Indentations at which keys were written above line `before` (0-based)."""
    seen = sorted({_indent(line) for line in lines[:before]
                   if _KEY_VALUE.match(line) and not line.lstrip().startswith("#")})
    return seen


def explain(text: str, problem: str, context: str | None, line: int, col: int,
            context_at: tuple[int, int] | None) -> tuple[int, int, str] | None:
    """(line, column, message), 1-based, for a mistake we can name; None otherwise."""
    lines = text.split("\n")
    cur = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in cur[: max(col, _indent(cur) + 1)] or ("cannot start any token" in problem
                                                     and cur[col - 1: col] == "\t"):
        tab = cur.index("\t") + 1
        return line, tab, "a tab here: YAML indents with spaces only"
    if "mapping values are not allowed" in problem:
        return _mapping_value(lines, line, col)
    if "did not find expected key" in problem or "expected <block end>" in problem:
        levels = [n for n in _key_indents(lines, line - 1) if n != _indent(cur)]
        shown = ", ".join(str(n) for n in levels) or "0"
        n = _indent(cur)
        return line, 1, (f"this line is indented {n} space{'s' if n != 1 else ''}, which "
                         "lines up with "
                         f"no key above it (keys above are at {shown}): indent it as "
                         "the keys it belongs with")
    if "expected '-' indicator" in problem:
        return line, col, ("a key among list items: every entry of this list starts with "
                           "`- `, or the key belongs at another indentation")
    if "quoted scalar" in (context or "") and context_at is not None:
        return *context_at, ("this quoted string is never closed: add the closing quote")
    if "flow" in (context or "") and context_at is not None:
        return *context_at, (f"this `{{` or `[` is not closed (or a `,` is missing) before "
                             f"line {line}")
    return None


def _mapping_value(lines: list[str], line: int, col: int) -> tuple[int, int, str]:
    cur = lines[line - 1]
    m = _KEY_VALUE.match(cur[: col - 1])
    if m and m.group(3):  # `key: a: b`: a colon in an unquoted value
        key = cut_text(m.group(2).strip())
        start = cur.index(m.group(3), m.end(2) + 1) + 1  # (after the key's colon)
        value = cut_text(cur[start - 1:].split(" #")[0].strip().replace('"', '\\"'))
        return line, start, (f"the value of `{key}` holds `: `, which starts a mapping: "
                             f"quote the value, e.g. {key}: \"{value}\"")
    prev_i = _content(lines, line - 1)
    if prev_i is not None:
        prev = lines[prev_i]
        pm = _KEY_VALUE.match(prev)
        if pm is None and not prev.lstrip().startswith(("-", "{", "[")):
            word = cut_text(prev.strip())
            return prev_i + 1, len(prev.rstrip()) + 1, (
                f"`{word}` has no colon: write `{word}:` to hold the keys indented below it")
        if pm is not None and pm.group(3) and _indent(cur) > _indent(prev):
            moved = _moved_out(lines, prev_i, line)
            if moved is not None:
                return moved
            above = cut_text(pm.group(2).strip())
            return line, 1, (f"this line is indented more than `{above}` above "
                             "it, whose value is already on its own line: indent it as that "
                             f"key ({_indent(prev)} spaces)")
    return line, col, "a `: ` here starts a mapping where none can start: check the " \
                      "indentation of this line and the one above, or quote the value"


def _moved_out(lines: list[str], prev_i: int, line: int) -> tuple[int, int, str] | None:
    """`key: value` indented less than the keys around it (a field moved out of its
    mapping), when the line after it is indented as the keys above it, or as the first
    key under the key above it that opens a mapping: that line is where the moved one
    belongs. (0-based `prev_i`, 1-based `line` of the line after it.)"""
    prev, cur = lines[prev_i], lines[line - 1]
    want, key = _indent(cur), _KEY_VALUE.match(prev)
    above_i = _content(lines, prev_i)
    above = _KEY_VALUE.match(lines[above_i]) if above_i is not None else None
    after = _KEY_VALUE.match(cur)
    if key is None or after is None or above is None or above_i is None \
            or prev.lstrip().startswith("- "):
        return None
    n = _indent(prev)
    if _indent(lines[above_i]) == want:  # a sibling above, as indented as the line after
        like, at = cut_text(above.group(2).strip()), above_i + 1
    elif (above.group(3) or "#").startswith("#") and n <= _indent(lines[above_i]) < want:
        # (the key above opens a mapping, and the line after is its first key)
        like, at = cut_text(after.group(2).strip()), line
    else:
        return None
    name = cut_text(key.group(2).strip())
    return prev_i + 1, 1, (f"`{name}` is indented {n} space{'s' if n != 1 else ''}, less "
                           f"than the keys around it: indent it by {want} spaces, like "
                           f"`{like}` on line {at}")
