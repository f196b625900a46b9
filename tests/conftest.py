from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.golden import run_cli


class Repo:
    """A throwaway repository with an environments/ folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "environments").mkdir()

    def write(self, name: str, text: str) -> Path:
        path = self.root / "environments" / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def run(self, *args: str) -> tuple[int, str, str]:
        return run_cli(self.root, *args)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path)


@pytest.fixture
def repo_git(tmp_path: Path) -> Path:
    """A git repository holding a copy of the shipped environments, committed."""
    import shutil

    from tests.golden import REPO, git

    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root
