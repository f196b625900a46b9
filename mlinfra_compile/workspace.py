"""The repository's files: where the environments live, which file an environment
name means, and the chain of files an environment extends (read through the one reader,
reading.py), each with the diagnostics of its loading."""

from __future__ import annotations

import difflib
import os
import re
from typing import NamedTuple

from . import salvage
from .diagnostics import Diagnostic, has_errors
from .loader import LoadedFile, read_bytes, read_file

SUFFIXES = (".yaml", ".yml")
MAX_EXTENDS = 32  # files an environment may extend in a chain
ENV_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
ENV_NAME_RULE = "1..63 lowercase letters, digits, `_` and `-`"  # ENV_NAME, in words

class UsageError(Exception):
    """The command line named something that is not an environment (exit 2)."""


def find_root(start: str) -> str:
    """The repository: the first folder holding `environments/`, walking up from `start`
    (as git finds `.git`); `start` itself when there is none (commands then say so)."""
    here = os.path.realpath(start)
    while True:
        if os.path.isdir(os.path.join(here, "environments")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.realpath(start)
        here = parent


def is_partial(stem: str) -> bool:
    return stem.startswith("_")


def stem_of(path: str) -> str:
    base = os.path.basename(path)
    for s in SUFFIXES:
        if base.endswith(s):
            return base[: -len(s)]
    return base


class Workspace:
    """A repository: loads each file once, however many environments extend it."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self.cache: dict[str, LoadedFile] = {}
        self.parents: set[str] = set()  # files some other file extends
        self.folders: dict[str, bool] = {}  # folder -> inside the root

    @property
    def env_dir(self) -> str:
        return os.path.join(self.root, "environments")

    def display(self, path: str) -> str:
        rel = os.path.relpath(os.path.abspath(path), self.root)
        return rel.replace(os.sep, "/")

    def environment_files(self) -> list[str]:
        try:
            names = sorted(os.listdir(self.env_dir))
        except OSError:
            return []
        return [os.path.join(self.env_dir, n) for n in names if n.endswith(SUFFIXES)]

    def find(self, env: str) -> str:
        """ENV as a stem (`prod`) or a path; UsageError when there is no such file."""
        if os.sep in env or "/" in env or env.endswith(SUFFIXES):
            path = os.path.abspath(env)
            if not self.is_file(path):
                raise UsageError(f"no environment file {env}")
            return path
        for s in SUFFIXES:
            path = os.path.join(self.env_dir, env + s)
            if self.is_file(path):
                return path
        if not os.path.isdir(self.env_dir):
            raise UsageError(f"no environment {env!r} in {self.display(self.env_dir)}/: "
                             f"{self.root} has no environments/ folder, nor has any folder "
                             "above it; run mlinfra inside a repository, or name one with "
                             "--root DIR (`mlinfra init DIR` writes one)")
        known = [stem_of(p) for p in self.environment_files() if not is_partial(stem_of(p))]
        close = difflib.get_close_matches(env, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else \
            (f"; environments: {', '.join(known)}" if known else "")
        raise UsageError(f"no environment {env!r} in {self.display(self.env_dir)}/{hint}")

    def forget(self, path: str) -> None:
        """Drop a file no other file extends from the cache: memory stays flat however
        many environments a lint checks."""
        key = os.path.abspath(path)
        if key not in self.parents:
            self.cache.pop(key, None)

    def load(self, path: str) -> LoadedFile:
        """Read, parse and schema-check one file (cached by its absolute path)."""
        key = os.path.abspath(path)
        if key in self.cache:
            return self.cache[key]
        f = self.read(key)
        if f.data is not None:
            f.diagnostics.extend(salvage.validate(f))
        self.cache[key] = f
        return f

    # The file system as the compiler sees it; GitWorkspace reads a commit instead.
    def read(self, path: str) -> LoadedFile:
        display = self.display(path)
        real = os.path.realpath(path)
        if os.path.commonpath([real, self.root]) != self.root:
            # (a link to /dev/stdin resolves to no path, /proc/PID/fd/pipe:[N]: name the
            # link's target as written, the same on every run)
            where = f"is a link to {os.readlink(path)}" if os.path.islink(path) and \
                not os.path.lexists(real) else f"resolves to {real}"
            f = LoadedFile(display)
            f.error("MLC115", (), f"the file {where}, outside the repository "
                                  f"{self.root}; environment files must live in it")
            return f
        return read_file(real, display)

    def peek(self, path: str) -> str:
        """A file's text for a quick search, read within the limits of `read` (size, no
        FIFO, nothing outside the repository); "" when it cannot be read. (A lint FILE
        peeks at every file of the folder: a link is resolved, a plain file's folder
        once.)"""
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self.folders:
            self.folders[folder] = self._inside(folder)
        real = os.path.realpath(path) if os.path.islink(path) else path
        if not (self._inside(real) if real is not path else self.folders[folder]):
            return ""
        raw = read_bytes(real)
        return "" if isinstance(raw, tuple) else raw.decode("utf-8", "replace")

    def _inside(self, path: str) -> bool:
        real = os.path.realpath(path)
        return os.path.commonpath([real, self.root]) == self.root

    def is_file(self, path: str) -> bool:
        """A name that is not a folder, as at a git ref: a FIFO, a device or a link that
        leads out of the repository is a file whose read says why it is refused (MLC114,
        MLC115), not a missing one ("no file to extend", "did you mean 'x'?")."""
        return os.path.lexists(path) and not os.path.isdir(path)

    def list_dir(self, folder: str) -> list[str]:
        try:
            return sorted(os.listdir(folder))
        except OSError:
            return []


class Chain(NamedTuple):
    files: list[LoadedFile]  # root first; the environment's own file last
    diagnostics: list[Diagnostic]


def load_chain(ws: Workspace, path: str) -> Chain:
    """The file and every file it extends, with loading and extends diagnostics."""
    f = ws.load(path)
    diags = list(f.diagnostics) + _twins(ws, path, f.display)
    files = [f]
    seen = [stem_of(path)]
    current, current_path = f, path
    while current.data is not None and not salvage.stops(current):
        ext = current.data.get("extends")
        if not isinstance(ext, str):
            break
        loc = current.loc(("extends",), key=True)
        if "/" in ext or "\\" in ext or ".." in ext:
            diags.append(Diagnostic(current.display, *loc, "MLC303", "extends",
                                    f"{ext!r} is a path; extends names another file of "
                                    "this folder by its stem, e.g. `extends: _base`"))
            break
        folder = os.path.dirname(current_path)
        parent_path = next((os.path.join(folder, ext + s) for s in SUFFIXES
                            if ws.is_file(os.path.join(folder, ext + s))), None)
        if parent_path is None:
            stems = sorted(stem_of(n) for n in ws.list_dir(folder) if n.endswith(SUFFIXES))
            close = difflib.get_close_matches(ext, stems, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            diags.append(Diagnostic(current.display, *loc, "MLC301", "extends",
                                    f"no file {ws.display(os.path.join(folder, ext))}.yaml "
                                    f"to extend{hint}"))
            break
        if ext in seen:
            cycle = " --> ".join([*seen[seen.index(ext):], ext])
            diags.append(Diagnostic(current.display, *loc, "MLC302", "extends",
                                    f"extends cycle: {cycle}"))
            break
        if len(seen) > MAX_EXTENDS:
            diags.append(Diagnostic(f.display, *f.loc(("extends",), key=True), "MLC316",
                                    "extends", f"the extends chain is longer than "
                                    f"{MAX_EXTENDS} files ({' --> '.join(seen[:3])} --> ... "
                                    f"--> {ext}); flatten it"))
            break
        seen.append(ext)
        twins = _twins(ws, parent_path, current.display, loc)
        if twins:
            diags.extend(twins)
            break
        parent = ws.load(parent_path)
        ws.parents.add(os.path.abspath(parent_path))
        if has_errors(parent.diagnostics):
            diags.extend(parent.diagnostics)
            diags.append(Diagnostic(current.display, *loc, "MLC314", "extends",
                                    f"extends {ext}, which has errors"))
            break
        files.insert(0, parent)
        current, current_path = parent, parent_path
    return Chain(files, diags)


def _twins(ws: Workspace, path: str, display: str,
           loc: tuple[int, int] = (1, 1)) -> list[Diagnostic]:
    """An environment is one file: `prod.yaml` beside `prod.yml` would let lint, deploy
    and the Pulumi program each read a different one."""
    stem = os.path.join(os.path.dirname(path), stem_of(path))
    found = [stem + s for s in SUFFIXES if ws.is_file(stem + s)]
    if len(found) < 2:
        return []
    names = " and ".join(ws.display(p) for p in found)
    return [Diagnostic(display, *loc, "MLC116", "",
                       f"{names} both exist: one name, one file; remove one of them")]
