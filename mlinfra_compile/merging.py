"""Merging an environment's extends chain: each file a JSON Merge Patch (RFC 7386) over
the ones it extends, every value remembering the file that set it, so diagnostics point at
the text that caused them and `plan` / `explain` tell set from inherited values.

resolve.py compiles what this merges; policy.py and salvage.py read the merged
environment (`Merged`) too, which is why it lives here, below all three."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, cast

from .diagnostics import Diagnostic
from .graph import Origin, new
from .loader import LoadedFile, Path, dotted
from .providers.base import RESERVED_LABELS

OwnerTree = dict[Any, tuple[int, Any]]  # key -> (index of the file that set it, subtree)
_UNKNOWN = object()  # an origin not looked up yet (None is a path no file sets)
# The subtree of a value that is not a mapping: one shared, read-only mapping rather than
# an empty dict per leaf (60,000 leaves, 7 MB, in an environment of 10,000 declarations)
_NO_CHILDREN: Mapping[Any, tuple[int, Any]] = MappingProxyType({})
# The subtree of a mapping one file set whole, with no null in it: the merge keeps that
# file's own mapping rather than a copy, and every path below is that file's (15,000
# declarations' mappings, 7 MB, in an environment of 10,000). Copied, with a tree of its
# own, before anything changes it (_owned).
_WHOLE: Mapping[Any, tuple[int, Any]] = MappingProxyType({})


def _apply(target: dict[str, Any], tree: OwnerTree, patch: dict[str, Any], idx: int,
           removed_nothing: list[Path], at: Path = ()) -> None:
    """JSON Merge Patch (RFC 7386), recording which file set each value, and the nulls
    that removed nothing (a declaration written without a body)."""
    leaf = (idx, _NO_CHILDREN)  # (shared by the leaves this file sets here)
    for k, v in patch.items():
        if v is None and k not in target and at[-1:] == ("labels",) and \
                (len(at) >= 3 or k in RESERVED_LABELS):
            # A declaration's `label: null` removes that environment label from its
            # resources, and `environment: null` / `managed-by: null` a label mlinfra
            # adds (resource_labels); kept, not dropped as a patch null would be.
            target[k] = None
            tree[k] = leaf
        elif v is None:
            if k not in target:
                removed_nothing.append((*at, k))
            target.pop(k, None)
            tree.pop(k, None)
        elif isinstance(v, dict):
            if isinstance(target.get(k), dict):
                sub, subtree = _changeable(target, tree, k)
            elif _no_nulls(v):
                target[k] = v
                tree[k] = (idx, _WHOLE)
                continue
            else:
                sub, subtree = {}, {}
                target[k] = sub
            tree[k] = (idx, subtree)
            _apply(sub, subtree, v, idx, removed_nothing, (*at, k))
        else:
            target[k] = v
            tree[k] = leaf


def _no_nulls(mapping: dict[str, Any]) -> bool:
    """Whether no value of the mapping, or of a mapping in it, is null (what a merge
    patch would drop, or keep as a label's removal)."""
    return all(v is not None and (type(v) is not dict or _no_nulls(v))
               for v in mapping.values())


def _changeable(target: dict[str, Any], tree: OwnerTree, k: str) -> tuple[dict[str, Any],
                                                                          OwnerTree]:
    """The merged mapping at `k` and its owner tree, as the merge's own: one a file set
    whole is copied first, so that a change never reaches the file's data."""
    idx, subtree = tree[k]
    if subtree is _WHOLE:
        target[k], subtree = _owned(target[k], idx)
        tree[k] = (idx, subtree)
    return target[k], subtree


def _owned(mapping: dict[str, Any], idx: int) -> tuple[dict[str, Any], OwnerTree]:
    """A copy of a mapping file `idx` set whole, and its owner tree: the mappings in it
    stay the file's, each copied in turn if something changes it."""
    whole, leaf = (idx, _WHOLE), (idx, _NO_CHILDREN)
    return dict(mapping), {k: whole if type(v) is dict else leaf for k, v in mapping.items()}


class Merged:
    """The merged environment, the owner tree, and the chain of files merged."""

    def __init__(self, data: dict[str, Any], tree: OwnerTree, files: list[LoadedFile]) -> None:
        self.data = data
        self.tree = tree
        self.files = files
        self._origins: dict[Path, Origin | None] = {}

    def owner(self, path: Path) -> int | None:
        node: Mapping[Any, tuple[int, Any]] = self.tree
        idx = None
        for part in path:
            if isinstance(part, int):
                return idx  # list elements belong to the file that set the list
            if node is _WHOLE:  # (idx set all of it: the path is its, if there)
                return idx if path in self.files[cast(int, idx)].locs else None
            if part not in node:
                return None
            idx, node = node[part]
        return idx

    def remove(self, path: Path) -> bool:
        """Take the value at `path` (a mapping's key) out of the merged environment;
        whether there was one."""
        node: Any = self.data
        tree: OwnerTree = self.tree
        for key in path[:-1]:
            if not isinstance(node, dict) or not isinstance(node.get(key), dict):
                return False
            node, tree = _changeable(node, tree, key)  # type: ignore[arg-type]
        if not isinstance(node, dict) or path[-1] not in node:
            return False
        del node[path[-1]]
        tree.pop(path[-1], None)
        return True

    def origin(self, path: Path) -> Origin | None:
        # Memoized: the same settings (project, region, labels) are asked for by every
        # resource of an environment.
        # (.get, not try/except: most paths are asked once, and a raised KeyError each
        # was 1.6% of a 10,000-declaration lint)
        o = self._origins.get(path, _UNKNOWN)
        if o is _UNKNOWN:
            o = self._origins[path] = self._origin(path)
        return o  # type: ignore[return-value]

    def _origin(self, path: Path) -> Origin | None:
        idx = self.owner(path)
        if idx is None:
            return None
        f = self.files[idx]
        line, col = f.loc(path, key=True)
        kind = "set" if idx == len(self.files) - 1 else "inherited"
        return new(Origin, (kind, f.display, line, col, ""))


def merge(files: list[LoadedFile]) -> tuple[Merged, list[Diagnostic]]:
    data: dict[str, Any] = {}
    tree: OwnerTree = {}
    diags: list[Diagnostic] = []
    for i, f in enumerate(files):
        assert f.data is not None
        removed_nothing: list[Path] = []
        _apply(data, tree, f.data, i, removed_nothing)
        diags.extend(_empty_declaration(f, p) for p in removed_nothing if _is_declaration(p))
    return Merged(data, tree, files), diags


def _is_declaration(path: Path) -> bool:
    return (len(path) == 2 and path[0] in ("session_stores", "queues")) or \
        (len(path) == 4 and path[0] == "queues" and path[2] == "subscriptions")


def _empty_declaration(f: LoadedFile, path: Path) -> Diagnostic:
    """`cache:` with nothing after it is null, which in a merge patch removes an inherited
    declaration; where there is nothing to remove it would silently declare nothing."""
    kind = {"session_stores": "session store", "queues": "queue"}[str(path[0])]
    if len(path) == 4:
        kind = "subscription"
    line, col = f.loc(path, key=True)
    return Diagnostic(f.display, line, col, "MLC315", dotted(path),
                      f"{path[-1]!r} has no body, so it declares nothing (null removes a "
                      f"{kind} inherited from a file this one extends, and there is none): "
                      f"write `{path[-1]}: {{}}` for a {kind} with every default")
