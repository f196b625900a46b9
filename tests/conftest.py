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
