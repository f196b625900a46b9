"""The repository as it was at a git ref: what `diff` compares against, read with git
(nothing checked out), through the same compiler as the working tree."""

from __future__ import annotations

import os
import posixpath
import subprocess

from .loader import MAX_FILE_BYTES, LoadedFile, parse_bytes
from .resolve import UsageError, Workspace

TREE, LINK = "040000", "120000"  # git's modes of a folder and a symbolic link
MAX_LINKS = 8


class GitWorkspace(Workspace):
    """The repository as it was at a git ref: files are read with `git show`."""

    def __init__(self, root: str, ref: str) -> None:
        super().__init__(root)
        self.ref = ref
        self._trees: dict[str, dict[str, tuple[str, int]]] = {}
        try:
            # (--verify --quiet only keep git's own words out of stderr, which is captured)
            self._git("rev-parse", "--verify", "--quiet",  # pragma: no mutate
                      f"{ref}^{{commit}}")
        except subprocess.CalledProcessError:
            raise UsageError(f"{ref!r} is not a commit of the git repository at "
                             f"{self.root}") from None
        except OSError:
            raise UsageError("git is not installed; diff reads the baseline with git") \
                from None

    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", "-C", self.root, *args], capture_output=True,
                              check=True).stdout

    def _rel(self, path: str) -> str:
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")

    def _entries(self, rel: str) -> dict[str, tuple[str, int]]:
        """name -> (mode, size) of a folder at the ref: `ls-tree -z -l`, so that no name is
        quoted (`_bäse.yaml`) and sizes are known before a blob is read."""
        if rel not in self._trees:
            entries: dict[str, tuple[str, int]] = {}
            try:
                out = self._git("ls-tree", "-z", "-l", f"{self.ref}:./{rel}")
            except subprocess.CalledProcessError:
                out = b""
            for record in filter(None, out.split(b"\0")):
                meta, _, name = record.partition(b"\t")
                mode, _kind, _sha, size = meta.split()
                entries[name.decode("utf-8", "surrogateescape")] = (
                    mode.decode(), int(size) if size.isdigit() else 0)
            self._trees[rel] = entries
        return self._trees[rel]

    def _entry(self, rel: str) -> tuple[str, int] | None:
        folder, _, name = rel.rpartition("/")
        return self._entries(folder or ".").get(name)

    def list_dir(self, folder: str) -> list[str]:
        return sorted(self._entries(self._rel(folder)))

    def is_file(self, path: str) -> bool:
        entry = self._entry(self._rel(path))
        return entry is not None and entry[0] != TREE

    def _blob(self, rel: str) -> bytes | tuple[str, str]:
        """The bytes of `rel` at the ref, links followed inside the repository (as the
        working tree's reads do), within the size limit; else (code, message)."""
        for _ in range(MAX_LINKS):
            entry = self._entry(rel)
            if entry is None:
                return ("MLC602", f"{rel} does not exist at {self.ref}")
            if entry[0] != LINK:
                break
            link = self._git("show", f"{self.ref}:./{rel}").decode("utf-8", "replace")
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), link))
            if link.startswith("/") or rel == ".." or rel.startswith("../"):
                return ("MLC115", f"the file is a link to {link}, outside the repository; "
                                  "environment files must live in it")
        else:
            return ("MLC115", f"more than {MAX_LINKS} links in a row")
        if entry[1] > MAX_FILE_BYTES:
            return ("MLC101", f"file is {entry[1]} bytes at {self.ref}; the limit is "
                              f"{MAX_FILE_BYTES} bytes (1 MiB)")
        return self._git("show", f"{self.ref}:./{rel}")

    def peek(self, path: str) -> str:
        raw = self._blob(self._rel(path))
        return "" if isinstance(raw, tuple) else raw.decode("utf-8", "replace")

    def read(self, path: str) -> LoadedFile:
        rel = self._rel(path)
        f = LoadedFile(f"{self.ref}:{rel}")
        raw = self._blob(rel)
        if isinstance(raw, tuple):
            f.error(raw[0], (), raw[1])
            return f
        return parse_bytes(raw, f)
