"""The only YAML reader: text -> JSON-like data plus a source map.

We build values straight from libyaml's event stream rather than with a yaml Loader so
that every limit is enforced *while* reading: nesting depth is checked per event (no
recursion, so 10,000 brackets cannot overflow a stack), every alias is charged the values
and the bytes of text it expands to before anything is copied (a "billion laughs" file is
refused in microseconds with no memory spent; budget.py), no integer is read past 100
digits, and only the standard JSON-compatible tags exist (no Python tags can ever be
constructed). The source map records, for every value, the line and column of the value
and of its key, so later stages can point at the text.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
import yaml.constructor
import yaml.reader
import yaml.resolver

from .budget import ALIAS_BYTES_MESSAGE, MAX_ALIAS_BYTES, MAX_NUMBER_DIGITS, size, too_large
from .diagnostics import Diagnostic
from .escape import cut
from .yamlerrors import mark_loc as _mark
from .yamlerrors import syntax_error, utf8_error_loc

# `make mutate` covers the loader's limits (size, depth, aliases, one document, UTF-8):
# the functions marked `# pragma: no mutate block` read YAML and positions, and are
# tested by the golden cases instead (docs/testing.md).
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
# Values an alias may expand to, in total, per file. Real files use a handful of aliases
# of a few dozen values; a quadratic or exponential bomb exceeds this at once. The text
# they copy has a budget of its own (budget.MAX_ALIAS_BYTES).
MAX_ALIAS_EXPANSION = 10_000

Path = tuple[str | int, ...]
Loc = tuple[int, int]

_LOADER: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader  # libyaml when present
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_Y = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_Y + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_STR, _INT, _TIMESTAMP = _Y + "str", _Y + "int", _Y + "timestamp"
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")  # what int() reads exactly as YAML does
_COLLECTION_TAGS = {None, "!", _Y + "map", _Y + "seq"}


class LoadedFile:
    """One environment file as read: data plus where each value stands in the text.
    (A plain class, as every record a lint makes: see graph.Resource.)"""

    def __init__(self, display: str) -> None:
        self.display = display  # path relative to the repository root, forward slashes
        self.data: dict[str, Any] | None = None
        # Where each value and each key stands, packed in one int (COLUMN_BITS: 4 MB fewer
        # than tuples at 10,000 declarations); read with value_loc / key_loc, or loc
        self.locs: dict[Path, int] = {}
        self.key_locs: dict[Path, int] = {}
        self.plain: dict[Path, str] = {}  # raw text of non-string plain scalars
        self.diagnostics: list[Diagnostic] = []
        # what a schema error leaves out of the compile (salvage.py); () the whole file
        self.failed: set[Path] = set()

    def loc(self, path: Path, *, key: bool = False) -> Loc:  # pragma: no mutate block
        """Best position for `path`: its key or value, else the nearest enclosing one."""
        p = tuple(path)
        while True:
            if key and p in self.key_locs:
                return unpack(self.key_locs[p])
            if p in self.locs:
                return unpack(self.locs[p])
            if p in self.key_locs:
                return unpack(self.key_locs[p])
            if not p:
                return (1, 1)
            p = p[:-1]

    def key_loc(self, path: Path) -> Loc | None:  # pragma: no mutate block
        """Where the key of `path` stands, if the file has that key."""
        at = self.key_locs.get(path)
        return None if at is None else unpack(at)

    def value_loc(self, path: Path) -> Loc | None:  # pragma: no mutate block
        """Where the value of `path` begins, if the file has that value."""
        at = self.locs.get(path)
        return None if at is None else unpack(at)

    def error(self, code: str, path: Path, message: str, *,
              key: bool = False) -> Diagnostic:  # pragma: no mutate block
        line, col = self.loc(path, key=key)
        d = Diagnostic(self.display, line, col, code, dotted(path), message)
        self.diagnostics.append(d)
        return d


def dotted(path: Path) -> str:  # pragma: no mutate block
    """`("queues", "jobs", "delay")` -> `queues.jobs.delay`; indexes as `[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part and len(part) <= 64 and all(c.isalnum() or c in "-_" for c in part):
            out += ("." if out else "") + part
        else:
            out += f"[{cut(part)}]"
    return out


class _Stop(Exception):
    """Raised inside the reader to abandon a file after its first fatal diagnostic."""


# A position kept as one int: the line above COLUMN_BITS bits of column (a file is at most
# MAX_FILE_BYTES, so a column fits), ordered as (line, column) tuples are
COLUMN_BITS = 21
_COLUMN_MASK = (1 << COLUMN_BITS) - 1


def unpack(packed: int) -> Loc:  # pragma: no mutate block
    return (packed >> COLUMN_BITS, packed & _COLUMN_MASK)


def _subpaths(value: Any, prefix: Path = ()) -> list[Path]:  # pragma: no mutate block
    """Every path strictly inside `value`."""
    out: list[Path] = []
    items: Any = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for k, v in items:
        out.append(prefix + (k,))
        out.extend(_subpaths(v, prefix + (k,)))
    return out


class _Builder:
    def __init__(self, f: LoadedFile) -> None:
        self.f = f
        self.anchors: dict[str, tuple[Any, Path, tuple[int, int]]] = {}
        self.expanded = 0
        self.expanded_bytes = 0
        # One string for each key and plain string the file repeats (`tier`, `region`,
        # `gcp`, `7d`: 10,000 times each in a file of 10,000 declarations, 3 MiB), kept
        # with the parse only: not sys.intern, whose strings CPython 3.12.0-3.12.5 never
        # frees (a lint of many files would keep every value it read)
        self.strings: dict[str, str] = {}

    def fail(self, code: str, loc: Loc, path: Path,
             message: str) -> _Stop:  # pragma: no mutate block
        self.f.diagnostics.append(Diagnostic(self.f.display, loc[0], loc[1], code,
                                             dotted(path), message))
        return _Stop()

    def scalar(self, ev: Any, path: Path) -> Any:  # pragma: no mutate block
        tag = ev.tag
        style = ev.style
        if tag is None or tag == "!":
            if style:  # quoted or block: text, whatever it looks like
                return ev.value
            tag = _RESOLVER.resolve(yaml.ScalarNode, ev.value, ev.implicit)  # type: ignore[no-untyped-call]
        if tag in (_STR, _TIMESTAMP):
            # JSON has no dates: a timestamp stays the text the user wrote.
            return self.strings.setdefault(ev.value, ev.value)
        if tag not in _SCALAR_TAGS:
            raise self.unsafe_tag(ev, path)
        text = ev.value
        if tag == _INT and too_large(text):  # before int(): see budget.MAX_NUMBER_DIGITS
            raise self.too_large(ev, path)
        if tag == _INT and _PLAIN_INT.match(text):
            value: Any = int(text)
        else:
            node = yaml.ScalarNode(tag, text, ev.start_mark, ev.end_mark, style)
            try:
                value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
            except (ValueError, yaml.YAMLError):
                raise self.fail("MLC104", _mark(ev.start_mark), path,
                                f"{cut(text)} is not a valid {tag[len(_Y):]}") from None
            if isinstance(value, float) and not math.isfinite(value):
                raise self.fail("MLC112", _mark(ev.start_mark), path,
                                f"{cut(text)} reads as a non-finite number, which JSON "
                                "cannot hold; quote it if you meant text")
        if tag == _INT and too_large(text, value):  # 0x, 0b and 60-based forms
            raise self.too_large(ev, path)
        if ev.implicit[0] and not style:
            self.f.plain[path] = text
        return value

    def too_large(self, ev: Any, path: Path) -> _Stop:  # pragma: no mutate block
        return self.fail("MLC112", _mark(ev.start_mark), path,
                         f"{cut(ev.value)} is a number too large to read: numbers here "
                         f"have at most {MAX_NUMBER_DIGITS} digits; quote it if you meant "
                         "text")

    def unsafe_tag(self, ev: Any, path: Path) -> _Stop:  # pragma: no mutate block
        return self.fail("MLC105", _mark(ev.start_mark), path,
                         f"tag {ev.tag!r} is not allowed: environment files hold plain "
                         "strings, numbers, booleans, null, lists and mappings")

    def alias(self, ev: Any, path: Path) -> Any:
        if ev.anchor not in self.anchors:
            raise self.fail("MLC104", _mark(ev.start_mark), path,
                            f"alias *{ev.anchor} names no anchor defined before it")
        value, src, (values, nbytes) = self.anchors[ev.anchor]
        self.expanded += values
        self.expanded_bytes += nbytes
        if self.expanded > MAX_ALIAS_EXPANSION:
            raise self.fail("MLC108", _mark(ev.start_mark), path,
                            f"aliases expand to more than {MAX_ALIAS_EXPANSION} values; "
                            "this file looks like an alias bomb")
        if self.expanded_bytes > MAX_ALIAS_BYTES:
            raise self.fail("MLC108", _mark(ev.start_mark), path, ALIAS_BYTES_MESSAGE)
        # Positions inside the copy are those of the anchored original; the walk costs
        # no more than the expansion already charged above.
        for sub in _subpaths(value):
            for table in (self.f.locs, self.f.key_locs):
                if src + sub in table:
                    table[path + sub] = table[src + sub]
            if src + sub in self.f.plain:
                self.f.plain[path + sub] = self.f.plain[src + sub]
        return value

    def build(self, events: Any) -> Any:
        """Turn the events of one document's root node into data."""
        # Each frame: [container, path, pending key's path, start_event, seen_keys] (the
        # key's path, made once for key_locs, is the path of its value too)
        stack: list[list[Any]] = []
        root: Any = None
        path: Path
        locs = self.f.locs
        scalar_ev, alias_ev = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent

        def place(value: Any, ev: Any, path: Path) -> Any:
            """Put a finished value into its parent; returns the root when there is none."""
            anchor = ev.anchor
            if anchor and type(ev) is not alias_ev:
                self.anchors[anchor] = (value, path, size(value))
            if not stack:
                return value
            top = stack[-1]
            if type(top[0]) is list:
                top[0].append(value)
            else:
                top[0][top[2][-1]] = value
                top[2] = None
            return None

        for ev in events:
            cls = type(ev)
            if cls is yaml.DocumentEndEvent:
                break
            if stack:
                top = stack[-1]
                if type(top[0]) is dict:
                    if top[2] is None:  # expecting a key
                        if cls is mapping_end:
                            stack.pop()
                            root = place(top[0], top[3], top[1])
                            continue
                        self.key(ev, top)
                        continue
                    path = top[2]
                else:
                    if cls is sequence_end:
                        stack.pop()
                        root = place(top[0], top[3], top[1])
                        continue
                    path = (*top[1], len(top[0]))
            else:
                path = ()
            m = ev.start_mark
            if cls is scalar_ev:
                locs[path] = (m.line + 1) << COLUMN_BITS | (m.column + 1)
                root = place(self.scalar(ev, path), ev, path)
            elif cls is alias_ev:
                locs[path] = (m.line + 1) << COLUMN_BITS | (m.column + 1)
                root = place(self.alias(ev, path), ev, path)
            elif cls is mapping_start or cls is sequence_start:
                if ev.tag not in _COLLECTION_TAGS:
                    raise self.unsafe_tag(ev, path)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail("MLC107", _mark(m), path[:3],
                                    f"nesting is deeper than {MAX_DEPTH} levels")
                locs[path] = (m.line + 1) << COLUMN_BITS | (m.column + 1)
                stack.append([{} if cls is mapping_start else [], path, None, ev, {}])
        return root

    def key(self, ev: Any, frame: list[Any]) -> None:  # pragma: no mutate block
        parent: Path = frame[1]
        if not isinstance(ev, yaml.ScalarEvent):
            raise self.fail("MLC111", _mark(ev.start_mark), parent,
                            "keys must be plain strings, not lists, mappings or aliases")
        if ev.tag not in (None, "!", _Y + "str"):
            raise self.unsafe_tag(ev, parent)
        text = self.strings.setdefault(ev.value, ev.value)  # (see __init__)
        if not ev.style and ev.implicit[0]:
            if text == "<<":
                raise self.fail("MLC113", _mark(ev.start_mark), parent,
                                "YAML merge keys (<<) are not supported: share values "
                                "with `extends` instead")
            if text in ("", "~", "null", "Null", "NULL"):
                raise self.fail("MLC111", _mark(ev.start_mark), parent,
                                "a key cannot be null or empty")
        # A plain key is taken as the text written (`on:` is the key "on", not true).
        path = parent + (text,)
        m: Any = ev.start_mark  # (the parser gives every event one)
        loc = (m.line + 1) << COLUMN_BITS | (m.column + 1)
        seen: dict[str, int] = frame[4]
        if text in seen:
            first = unpack(seen[text])
            raise self.fail("MLC106", unpack(loc), path,
                            f"duplicate key {cut(text)} (first defined at line {first[0]})")
        seen[text] = loc
        self.f.key_locs[path] = loc
        frame[2] = path


def read_file(real_path: str, display: str) -> LoadedFile:
    """Read and parse one file; diagnostics instead of exceptions for every user error."""
    f = LoadedFile(display)
    raw = read_bytes(real_path)
    if isinstance(raw, tuple):
        f.diagnostics.append(Diagnostic(display, 1, 1, *raw))
        return f
    return parse_bytes(raw, f)


def read_bytes(real_path: str) -> bytes | tuple[str, str, str]:
    """A file's bytes, or (code, path, message) of why they are not read: every read of an
    environment file, parsed or only searched, keeps these limits (reading.read_file: at
    most 1 MiB, a FIFO or a device refused without blocking)."""
    from .reading import read_file as read_capped

    raw = read_capped(real_path, MAX_FILE_BYTES)
    if isinstance(raw, bytes):
        return raw
    if raw.kind == "type":
        return ("MLC114", "", "not a regular file (a FIFO, socket or device); "
                              "environment files are plain files")
    if raw.kind == "error":
        return ("MLC114", "", f"cannot read file: {raw.detail}")
    if raw.size is not None:
        return ("MLC101", "", f"file is {raw.size} bytes; the limit is "
                              f"{MAX_FILE_BYTES} bytes (1 MiB)")
    return ("MLC101", "", f"file is larger than {MAX_FILE_BYTES} bytes (1 MiB)")


def parse_bytes(raw: bytes, f: LoadedFile) -> LoadedFile:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = utf8_error_loc(raw, exc.start)
        f.diagnostics.append(Diagnostic(f.display, line, col, "MLC102", "",
                                        f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                        "save it as UTF-8"))
        return f
    text = text.removeprefix("\ufeff")
    builder = _Builder(f)
    loader = None
    try:
        # libyaml's events through a C-level iterator (get_event gives None after the
        # last): yaml.parse's generator, calling check_event for each, was 1% of a lint
        loader = _LOADER(text)
        events = iter(loader.get_event, None)
        root: Any = None
        docs = 0
        for ev in events:
            if isinstance(ev, yaml.DocumentStartEvent):
                docs += 1
                if docs > 1:
                    raise builder.fail("MLC110", _mark(ev.start_mark), (),
                                       "a file holds one environment: remove the second "
                                       "document (after `---`)")
                root = builder.build(events)
    except _Stop:
        return f
    except yaml.YAMLError as exc:
        f.diagnostics.append(Diagnostic(f.display, *syntax_error(exc, text, MAX_DEPTH)))
        return f
    finally:
        if loader is not None:  # (as yaml.parse does: the pure-Python parser's states)
            loader.dispose()
    if root is None:
        f.diagnostics.append(Diagnostic(f.display, 1, 1, "MLC103", "",
                                        "file is empty: an environment file is a mapping "
                                        "such as `profile: development`"))
        return f
    if not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else \
            f"the scalar {cut(root) if isinstance(root, str) else repr(root)}"
        f.diagnostics.append(Diagnostic(f.display, 1, 1, "MLC109", "",
                                        f"the top level must be a mapping of keys, not {kind}"))
        return f
    f.data = root
    return f
