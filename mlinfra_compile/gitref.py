"""The repository as it was at a git ref: what `diff` compares against, read with git
(nothing checked out), through the same compiler as the working tree."""

from __future__ import annotations

import os
import subprocess

from .loader import MAX_FILE_BYTES, LoadedFile, parse_bytes
from .resolve import UsageError, Workspace


class GitWorkspace(Workspace):
    """The repository as it was at a git ref: files are read with `git show`."""

    def __init__(self, root: str, ref: str) -> None:
        super().__init__(root)
        self.ref = ref
        self._trees: dict[str, list[str]] = {}
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

    def list_dir(self, folder: str) -> list[str]:
        rel = self._rel(folder)
        if rel not in self._trees:
            try:
                out = self._git("ls-tree", "--name-only", f"{self.ref}:./{rel}")
                self._trees[rel] = sorted(out.decode().splitlines())
            except subprocess.CalledProcessError:
                self._trees[rel] = []
        return self._trees[rel]

    def is_file(self, path: str) -> bool:
        return os.path.basename(path) in self.list_dir(os.path.dirname(os.path.abspath(path)))

    def peek(self, path: str) -> str:
        try:
            raw = self._git("show", f"{self.ref}:./{self._rel(path)}")
        except subprocess.CalledProcessError:
            return ""
        return raw[:MAX_FILE_BYTES].decode("utf-8", "replace")

    def read(self, path: str) -> LoadedFile:
        rel = self._rel(path)
        f = LoadedFile(f"{self.ref}:{rel}")
        try:
            raw = self._git("show", f"{self.ref}:./{rel}")
        except subprocess.CalledProcessError:
            f.error("MLC602", (), f"{rel} does not exist at {self.ref}")
            return f
        return parse_bytes(raw, f)
