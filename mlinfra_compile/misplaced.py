"""A field written at its declaration's indentation, as `memory` here:

    session_stores:
      cache:
        tier: basic
      memory: 1GiB

YAML reads `memory` as a session store of its own, and the schema says only that a
session store is a mapping. When the key is a field of that kind of declaration and the
declaration written just above it has a block of fields (or none yet), the diagnostic says
so, at the line that moved, with the indentation that makes it a field of that
declaration again. (A line moved out of the middle of a mapping is a YAML syntax error
instead: yamlerrors.py names it.)
"""

from __future__ import annotations

from typing import Any

from . import language as L
from .diagnostics import Diagnostic
from .loader import LoadedFile, Path

Found = list[tuple[Path, Diagnostic]]


def _kind(path: Path) -> tuple[str, dict[str, L.Field]] | None:
    """The kind of declaration `path` names, and its fields."""
    if len(path) == 2 and path[0] == "session_stores":
        return "session store", L.SESSION_STORE_FIELDS
    if len(path) == 2 and path[0] == "queues":
        return "queue", L.QUEUE_FIELDS
    if len(path) == 4 and path[0] == "queues" and path[2] == "subscriptions":
        return "subscription", L.SUBSCRIPTION_FIELDS
    return None


def _mapping(data: Any, path: Path) -> dict[str, Any] | None:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None


def _advice(f: LoadedFile, path: Path) -> tuple[Path, str] | None:
    """(the declaration the field at `path` belongs to, the advice) or None."""
    kind = _kind(path)
    siblings = _mapping(f.data, path[:-1])
    key = path[-1]
    if kind is None or siblings is None or key not in kind[1] \
            or siblings.get(key) is None or isinstance(siblings.get(key), dict):
        return None
    here = f.key_loc(path)
    assert here is not None  # (the schema found this key in the file)
    keys = {k: f.key_loc((*path[:-1], k)) for k in siblings}
    above = [(loc, k) for k, loc in keys.items() if loc is not None and loc[0] < here[0]]
    if not above:
        return None
    (pline, pcol), parent = max(above)
    body = siblings[parent]
    ppath: Path = (*path[:-1], parent)
    if body is None:
        n, like = pcol + 1, f"2 more than `{parent}` on line {pline}"
    elif isinstance(body, dict) and body:
        found = ((f.key_loc((*ppath, k)), k) for k in body)
        fields = sorted((loc, k) for loc, k in found if loc is not None)
        if not fields or f.value_loc(ppath) != fields[0][0]:
            return None  # a flow mapping, `cache: {tier: basic}`, takes no indented field
        # (the field written last: the body of `parent` ends where the misplaced key,
        # less indented, begins, so every field of it is above that key)
        (fline, fcol), field = fields[-1]
        n, like = fcol - 1, f"like `{field}` on line {fline}"
    else:
        return None
    return ppath, (f"`{key}` reads as a {kind[0]} of its own; to make it a field of "
                   f"`{parent}`, indent it by {n} spaces, {like}")


def hint(f: LoadedFile, found: Found) -> tuple[Found, list[Path]]:
    """The schema's diagnostics with each misplaced field's made one, advising where it
    belongs (its type error, without the name rule its key may also break); and the
    declarations those fields belong to."""
    advice = {p: _advice(f, p) for p, d in found if d.code == "MLC202"}
    out: Found = []
    for path, d in found:
        a = advice.get(path)
        if a is None:
            out.append((path, d))
        elif d.code == "MLC202":
            out.append((path, Diagnostic(d.file, d.line, d.column, d.code, d.path,
                                         f"{d.message}: {a[1]}", d.severity)))
    return out, [a[0] for a in advice.values() if a is not None]
