"""A repository is one system: checks across the stacks of an environments/ folder.

Each stack compiles on its own; what goes wrong between stacks is seen only here:
- two stacks claiming one cloud resource, by physical name (in the scope where the cloud
  keeps names unique: claims.physical_key) or by import id (MLC406);
- a physical name or an import written in a partial that several stacks take as written
  (none overrides it), which makes each of them claim it (MLC407).
Where the account of an AWS resource is not known (a graph names only its region), one
region counts as one account: two stacks meant for two accounts set different names,
unless both import ids that name their accounts (an SQS URL, an SNS ARN).

The work is linear in the number of declarations: every claim goes into one index.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from .claims import declaration_paths, physical_key, split_source
from .diagnostics import Diagnostic
from .graph import Resource
from .loader import LoadedFile, Path, dotted
from .providers import IMPORT_IDS
from .resolve import (
    SUFFIXES,
    Compiled,
    Workspace,
    compile_environment,
    is_partial,
    load_chain,
    stem_of,
)

# The keys that fix what a stack claims in the cloud, as a file's text may spell them
# (block or flow style, quoted or not), or anything that can spell a key without its
# letters in a row: an escape in a double-quoted key ("n\x61me"), an explicit key (`? `),
# an alias used as a key (`*k :`). Only files holding one of them can claim anything.
_FIXES = re.compile(r"(?m)(?:^|[\s{,])[\"']?(?:name|import|name_template)[\"']?[ \t]*:"
                    r"|\\|\?\s|\*")
SHOWN = 3  # other stacks named in one diagnostic


class Claim(NamedTuple):
    key: tuple[Any, ...]  # ("name", *physical_key) or ("import", id)
    owner: str  # the stack's own file (two folders may each have a dev.yaml)
    stack: str
    source: str  # file:line:col of the declaration
    path: Path  # the declaration's path
    resource: str
    type: str
    account: str | None = None  # the AWS account, where an import id names it

    @property
    def what(self) -> str:
        """The claim in words (built only for a clash: lint builds thousands of claims)."""
        if self.key[0] == "import":
            return f"{self.resource} of stack {self.stack} imports {self.key[1]!r}"
        scope = ", ".join(str(v) for v in self.key[3:] if v is not None)
        return (f"{self.resource} ({self.type}) of stack {self.stack} takes the physical "
                f"name {self.key[2]!r} in {scope}")


class StackFacts(NamedTuple):
    """What the cross-stack checks keep of one compiled stack (not its graph)."""

    owner: str  # its own file
    claims: list[Claim]
    # (partial file, path of a `name`/`import` in it) that this stack takes as written
    inherited: list[tuple[LoadedFile, Path]]


class Repository:
    """The stacks seen so far; `reported` are those whose diagnostics are shown."""

    def __init__(self) -> None:
        self.stacks: list[StackFacts] = []
        self.reported: set[str] = set()

    def add(self, c: Compiled, *, report: bool = True) -> None:
        if c.graph is None or c.merged is None:
            return  # (its own errors are reported; it claims nothing yet)
        owner = c.merged.files[-1].display
        self.stacks.append(StackFacts(owner, list(claims_of(c, owner)), inherited(c)))
        if report:
            self.reported.add(owner)

    def diagnostics(self) -> list[Diagnostic]:
        return [*self._clashes(), *self._shared_partials()]

    def _clashes(self) -> Iterable[Diagnostic]:
        index: dict[tuple[Any, ...], list[Claim]] = {}
        for s in self.stacks:
            for claim in s.claims:
                index.setdefault(claim.key, []).append(claim)
        for claims in index.values():
            if len({c.owner for c in claims}) < 2:
                continue
            for c in claims:
                others = [o for o in claims if o.owner != c.owner
                          and not (c.account and o.account and c.account != o.account)]
                if others and c.owner in self.reported:
                    yield _clash(c, others)

    def _shared_partials(self) -> Iterable[Diagnostic]:
        """MLC407 where two or more stacks take a partial's `name`/`import` as written
        (a stack that overrides it, or drops the declaration, owns its own)."""
        takers: dict[tuple[str, Path], list[StackFacts]] = {}
        files: dict[str, LoadedFile] = {}
        for s in self.stacks:
            for f, path in s.inherited:
                takers.setdefault((f.display, path), []).append(s)
                files[f.display] = f
        # (in the order first taken: every caller sorts the diagnostics, sort_unique)
        for (display, path), stacks in takers.items():
            if len(stacks) > 1 and any(s.owner in self.reported for s in stacks):
                names = sorted(stem_of(s.owner) for s in stacks)
                yield _fixed_in_partial(files[display], path, names)


def inherited(c: Compiled) -> list[tuple[LoadedFile, Path]]:
    """The `name`/`import` values of partials in c's chain that c takes as written."""
    assert c.merged is not None
    out = []
    for i, f in enumerate(c.merged.files[:-1]):
        if is_partial(stem_of(f.display)):
            out += [(f, p) for p in _fixed_paths(f.data or {}) if c.merged.owner(p) == i]
    return out


def claims_of(c: Compiled, owner: str) -> Iterable[Claim]:
    """The physical names and import ids of a compiled stack's resources."""
    assert c.graph is not None
    paths = _declaration_paths(c)
    for r in c.graph.resources:
        key = physical_key(r.type, r.args)
        rid = r.options.get("import")
        if key is None and rid is None:
            continue
        path = paths(r)
        account = _account(r.type, rid)
        if key is not None:
            yield Claim(("name", *key), owner, c.env, r.source, path, r.name, r.type, account)
        if isinstance(rid, str):
            yield Claim(("import", rid), owner, c.env, r.source, path, r.name, r.type,
                        account)


def _declaration_paths(c: Compiled) -> Callable[[Resource], Path]:
    """claims.declaration_path for every resource of a stack, from one index of its
    declarations (claims.declaration_paths)."""
    return declaration_paths(c.decls)


def _account(rtype: str, rid: Any) -> str | None:
    """The AWS account an import id names (an SQS URL, an SNS ARN), else None."""
    form = IMPORT_IDS.get(rtype)
    return form.account(rid) if form else None


def _clash(c: Claim, others: list[Claim]) -> Diagnostic:
    named = sorted({f"stack {o.stack} ({o.source})" for o in others})  # (its resources
    # derived from one declaration share the declaration's place: named once)
    more = f" and {len(named) - SHOWN} more" if len(named) > SHOWN else ""
    fix = ("give each environment its own `name` (or a name_template with {{ env }})"
           if c.key[0] == "name" else "import it in one stack only")
    return Diagnostic(*split_source(c.source), "MLC406", dotted(c.path),
                      f"{c.what}, and so does {', '.join(named[:SHOWN])}{more}: one cloud "
                      f"resource belongs to one stack, else each deploy overwrites the "
                      f"other's settings and destroying one deletes the other's; {fix}")


def _fixed_in_partial(f: LoadedFile, path: Path, stacks: list[str]) -> Diagnostic:
    """A `name` or `import` written in a partial that `stacks` (two or more) take."""
    line, col = f.loc(path, key=True)
    fix = ("write it in each environment's own file, or use a name_template with "
           "{{ env }} here" if path[-1] == "name" else
           "write it in the own file of the one environment that adopts it")
    what = "a physical name" if path[-1] == "name" else "an import"
    return Diagnostic(f.display, line, col, "MLC407", dotted(path),
                      f"{what} in a partial that stacks {', '.join(stacks)} take as written: "
                      f"each of them would claim the same cloud resource; {fix}")


def _fixed_paths(data: dict[str, Any]) -> Iterable[Path]:
    for section in ("session_stores", "queues"):
        for name, decl in (data.get(section) or {}).items():
            if not isinstance(decl, dict):
                continue
            yield from ((section, name, k) for k in ("name", "import")
                        if decl.get(k) is not None)
            for key, sub in (decl.get("subscriptions") or {}).items():
                if isinstance(sub, dict):
                    yield from ((section, name, "subscriptions", key, k)
                                for k in ("name", "import") if sub.get(k) is not None)


def add_related(ws: Workspace, repo: Repository, linted: list[str]) -> None:
    """`lint FILE`: compile the other stacks that could claim what the linted ones claim
    (those whose files, or the files they extend, fix a name or an import), for the
    cross-stack checks only: their own diagnostics are theirs."""
    if not any(s.claims or s.inherited for s in repo.stacks):
        return  # nothing fixed, nothing to clash with (Pulumi's auto-names are unique)
    given = {os.path.abspath(p) for p in linted}
    # (a linted file that fixes a name counts too: a stack extending it takes the name)
    fixing = [path for folder in sorted({os.path.dirname(p) for p in given})
              for path in _yaml_files(ws, folder) if _FIXES.search(ws.peek(path))]
    others = {p for p in fixing if not is_partial(stem_of(p))}
    others.update(p for p in dependents(ws, fixing) if not is_partial(stem_of(p)))
    for path in sorted(others - given):
        repo.add(compile_environment(ws, path, origins=False), report=False)
        ws.forget(path)


def _yaml_files(ws: Workspace, folder: str) -> list[str]:
    return [os.path.join(folder, n) for n in ws.list_dir(folder) if n.endswith(SUFFIXES)]


def dependents(ws: Workspace, paths: list[str]) -> list[str]:
    """Files of the same folders whose extends chain includes one of `paths`: a changed
    `_base.yaml` re-checks every environment built on it (what the pre-commit hook needs,
    since pre-commit passes only the changed files)."""
    given = {os.path.abspath(p) for p in paths}
    out: list[str] = []
    for folder in sorted({os.path.dirname(p) for p in given}):
        changed = {stem_of(p) for p in given if os.path.dirname(p) == folder}
        texts = {path: ws.peek(path) for path in _yaml_files(ws, folder)
                 if path not in given}
        # A file can only extend (directly or through others) a stem its text names, so
        # only those are parsed; repeat for files that extend the ones just found.
        while True:
            found = []
            for path, text in texts.items():
                if any(stem in text for stem in changed) and _extends_any(ws, path, changed):
                    found.append(path)
            if not found:
                break
            for path in found:
                out.append(path)
                changed.add(stem_of(path))
                del texts[path]
    return sorted(out)


def _extends_any(ws: Workspace, path: str, stems: set[str]) -> bool:
    chain = load_chain(ws, path)
    names = {stem_of(f.display) for f in chain.files[:-1]}
    ext = (chain.files[-1].data or {}).get("extends") if chain.files else None
    if isinstance(ext, str):
        names.add(ext)  # also when the chain broke at it
    return bool(names & stems)
