"""The repository as it was at a git ref: what `diff` compares against, read with git
(nothing checked out), through the same compiler as the working tree."""

from __future__ import annotations

import os
import posixpath
import subprocess
from typing import NamedTuple

from .escape import visible
from .loader import MAX_FILE_BYTES, LoadedFile, parse_bytes
from .reading import Ran, megabytes, run
from .resolve import UsageError, Workspace

TREE, LINK = "040000", "120000"  # git's modes of a folder and a symbolic link
BLOBS = ("100644", "100755")  # a file, an executable file; 160000 is a submodule
MAX_LINKS = 8
# A link holds a path, which no working tree lets be longer than this (Linux's PATH_MAX,
# <linux/limits.h>); git itself would store a link blob of any size.
MAX_LINK_BYTES = 4096
# What `ls-tree` may print of one folder (about 500,000 names) and `rev-parse` of a ref.
MAX_LISTING = 64 * 1024 * 1024
MAX_REF = 4096


class Entry(NamedTuple):
    """One name of a folder at the ref, as `ls-tree -l` lists it."""

    mode: str
    size: int | None  # None for a folder or a submodule (git-ls-tree(1): `--long` shows
    # the size of blob entries only, "-" for the others)
    sha: str


class GitWorkspace(Workspace):
    """The repository as it was at a git ref: files are read with `git cat-file`, each
    within the limits of the working tree's reads (reading.py)."""

    def __init__(self, root: str, ref: str) -> None:
        super().__init__(root)
        self.ref = ref
        self._trees: dict[str, dict[str, Entry]] = {}
        try:
            # (--verify --quiet only keep git's own words out of stderr, which is captured)
            got = self._git(MAX_REF, "rev-parse", "--verify", "--quiet",  # pragma: no mutate
                            f"{ref}^{{commit}}")
        except OSError:
            raise UsageError("git is not installed; diff reads the baseline with git") \
                from None
        if got.returncode != 0 or got.overflow:
            raise UsageError(f"{ref!r} is not a commit of the git repository at "
                             f"{self.root}")
        # Every later read names this commit, not the ref, which could move meanwhile.
        self.commit = got.stdout.decode("ascii", "replace").strip()

    def _git(self, cap: int, *args: str) -> Ran:
        """git's output, each stream at most `cap` bytes (reading.run)."""
        return run(["git", "-C", self.root, *args], cap, stdin=subprocess.DEVNULL)

    def _rel(self, path: str) -> str:
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")

    def _entries(self, rel: str) -> dict[str, Entry]:
        """name -> Entry of a folder at the ref: `ls-tree -z -l`, so that no name is
        quoted (`_bäse.yaml`) and sizes are known before a blob is read."""
        if rel not in self._trees:
            got = self._git(MAX_LISTING, "ls-tree", "-z", "-l", f"{self.commit}:./{rel}")
            if got.overflow:
                raise UsageError(f"{rel} at {self.ref} lists more than "
                                 f"{megabytes(MAX_LISTING)} of names; diff reads a folder "
                                 "of environments")
            entries: dict[str, Entry] = {}
            listing = got.stdout if got.returncode == 0 else b""  # (not a folder there)
            for record in filter(None, listing.split(b"\0")):
                meta, _, name = record.partition(b"\t")
                mode, _kind, sha, size = meta.decode("ascii", "replace").split()
                entries[name.decode("utf-8", "surrogateescape")] = Entry(
                    mode, int(size) if size.isdigit() else None, sha)
            self._trees[rel] = entries
        return self._trees[rel]

    def _entry(self, rel: str) -> Entry | None:
        folder, _, name = rel.rpartition("/")
        return self._entries(folder or ".").get(name)

    def list_dir(self, folder: str) -> list[str]:
        return sorted(self._entries(self._rel(folder)))

    def is_file(self, path: str) -> bool:
        entry = self._entry(self._rel(path))
        return entry is not None and entry.mode != TREE

    def _blob(self, rel: str) -> bytes | tuple[str, str]:
        """The bytes of `rel` at the ref, links followed inside the repository (as the
        working tree's reads do), within the size limit; else (code, message)."""
        for _ in range(MAX_LINKS):
            entry = self._entry(rel)
            if entry is None:
                return ("MLC602", f"{rel} does not exist at {self.ref}")
            if entry.mode != LINK:
                break
            raw = self._cat(rel, entry, MAX_LINK_BYTES, "link")
            if isinstance(raw, tuple):
                return raw
            # (looked up as ls-tree's names are read, a byte that is no UTF-8 kept; shown
            # with U+FFFD for it)
            link = raw.decode("utf-8", "surrogateescape")
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), link))
            if link.startswith("/") or rel == ".." or rel.startswith("../"):
                return ("MLC115", f"the file is a link to {raw.decode('utf-8', 'replace')}, "
                                  "outside the repository; environment files must live in it")
        else:
            return ("MLC119", f"more than {MAX_LINKS} links in a row")
        if entry.mode not in BLOBS:
            return ("MLC114", f"{rel} is a submodule at {self.ref}, not a file; "
                              "environment files are plain files")
        return self._cat(rel, entry, MAX_FILE_BYTES, "file")

    def _cat(self, rel: str, entry: Entry, cap: int, what: str) -> bytes | tuple[str, str]:
        """The blob of `entry` (`what`: "file" or "link"), its size checked before it is
        read, and no more than cap + 1 bytes of it read."""
        size = entry.size
        if size is None or size <= cap:
            got = self._git(cap, "cat-file", "blob", entry.sha)
            if got.overflow != "stdout" and got.returncode != 0:
                why = got.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
                return ("MLC602", f"git cannot read {rel} at {self.ref}"
                                  + (f": {visible(why[0])}" if why else ""))
            if got.overflow != "stdout":
                return got.stdout
        n = f"{size} bytes" if size is not None else f"more than {cap} bytes"
        if what == "link":
            return ("MLC101", f"the file is a link of {n} at {self.ref}; a link holds a "
                              f"path of at most {cap} bytes")
        return ("MLC101", f"file is {n} at {self.ref}; the limit is {cap} bytes "
                          f"({megabytes(cap)})")

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
