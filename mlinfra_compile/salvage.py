"""A file with schema errors is still compiled, without the parts that failed, so that one
run reports every independent error of the file (a misspelled region, a Pub/Sub rule of
another queue) and not only the schema's.

A part is what a schema error in it leaves out of the compile: one declaration (a session
store or queue, with its subscriptions), one label, one export, one waiver, the name
template. Nothing else depends on such a part, except through its name: an export or a
waiver naming a declaration that was left out is not checked (its errors are reported;
what it refers to will be checked once they are fixed). An error in a setting every
declaration reads (providers, profile, default_provider, extends, the section maps
themselves) leaves out the whole file, as before: its declarations are not compiled.

Only the environment's own file is salvaged this way; a file it extends that has errors
still stops it (MLC314).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .diagnostics import ERROR, Diagnostic, has_errors
from .loader import LoadedFile, Path, dotted
from .misplaced import hint
from .schema import validate_at

if TYPE_CHECKING:
    from .merging import Merged

# The parts a compile can leave out: top-level key -> the length of a part's path.
PARTS = {"session_stores": 2, "queues": 2, "labels": 2, "exports": 2, "waivers": 2,
         "name_template": 1}
WHOLE: Path = ()


def part_of(path: Path) -> Path:
    """The part a schema error at `path` leaves out; WHOLE for the whole file."""
    depth = PARTS.get(str(path[0])) if path else None
    return path[:depth] if depth is not None and len(path) >= depth else WHOLE


def validate(f: LoadedFile) -> list[Diagnostic]:
    """The schema's diagnostics of a loaded file (with misplaced fields named); records
    in `f.failed` the parts they leave out."""
    found, parents = hint(f, validate_at(f))
    f.failed = {part_of(p) for p, d in found if d.severity == ERROR}
    f.failed.update(part_of(p) for p in parents)
    return [d for _, d in found]


def stops(f: LoadedFile) -> bool:
    """Whether `f` has errors its compile cannot leave out."""
    return f.data is None or (has_errors(f.diagnostics) and (not f.failed or WHOLE in f.failed))


def goes_on(files: list[LoadedFile], diagnostics: list[Diagnostic]) -> bool:
    """Whether an environment compiles: no errors but its own file's schema errors in
    parts the compile leaves out (`files`: its chain, its own file last)."""
    own = files[-1]
    if stops(own):
        return not has_errors(diagnostics)
    mine = set(own.diagnostics)
    return not has_errors([d for d in diagnostics if d not in mine])


def prune(merged: Merged, parts: set[Path]) -> set[str]:
    """Remove the failed parts from the merged environment; the names of the
    declarations removed."""
    gone: set[str] = set()
    for part in sorted(parts, key=dotted):
        if part and merged.remove(part) and part[0] in ("session_stores", "queues"):
            gone.add(str(part[-1]))
    return gone


def left_out(d: Diagnostic, parts: set[Path]) -> bool:
    """Whether `d` is about a part the compile left out."""
    return any(d.path == dotted(p) or d.path.startswith((dotted(p) + ".", dotted(p) + "["))
               for p in parts if p)


def unsure(own: LoadedFile, parts: set[Path], declared: set[str],
           gone: set[str]) -> tuple[set[int], set[str]]:
    """(the waivers that failed the schema, by index; the declarations whose production
    rules are not told: those left out, and those such a waiver names, or every one when
    it names none)."""
    skip = {int(p[1]) for p in parts if p[0] == "waivers"}
    listed = (own.data or {}).get("waivers")
    names = set(gone)
    for i in skip:
        w = listed[i] if isinstance(listed, list) and i < len(listed) else None
        named = w.get("resource") if isinstance(w, dict) else None
        names.update([named] if isinstance(named, str) else declared)
    return skip, names
