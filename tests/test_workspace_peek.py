"""Workspace.peek: the cheap text read used to find a file's dependents. It reads within
the limits of `read` (nothing outside the repository, nothing unreadable) and gives ""
for what it cannot read; bytes that are not UTF-8 never make it fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlinfra_compile.workspace import Workspace

TEXT = "queues:\n  jobs: {}\n"


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Workspace, Path, Path]:
    """A repository (tmp_path/repo) with environments/, and a folder beside it, outside."""
    root = tmp_path / "repo"
    env = root / "environments"
    env.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    return Workspace(str(root)), env, outside


def test_a_plain_file_is_read_whole(layout):
    ws, env, _ = layout
    (env / "dev.yaml").write_text(TEXT, encoding="utf-8")
    assert ws.peek(str(env / "dev.yaml")) == TEXT


def test_a_link_that_stays_inside_is_followed(layout):
    ws, env, _ = layout
    (env / "_base.yaml").write_text(TEXT, encoding="utf-8")
    (env / "dev.yaml").symlink_to("_base.yaml")
    assert ws.peek(str(env / "dev.yaml")) == TEXT


def test_a_link_out_of_the_repository_is_not_read(layout):
    # the link's own folder (environments/) is inside: only its target says it leaves
    ws, env, outside = layout
    (outside / "secret.yaml").write_text(TEXT, encoding="utf-8")
    (env / "dev.yaml").symlink_to(outside / "secret.yaml")
    assert ws.peek(str(env / "dev.yaml")) == ""
    # and the folder's answer (inside) is not spoiled for a plain file read next
    (env / "prod.yaml").write_text(TEXT, encoding="utf-8")
    assert ws.peek(str(env / "prod.yaml")) == TEXT


def test_a_plain_file_in_a_folder_that_leads_out_is_not_read(layout):
    ws, env, outside = layout
    (outside / "dev.yaml").write_text(TEXT, encoding="utf-8")
    (env / "sub").symlink_to(outside, target_is_directory=True)
    assert ws.peek(str(env / "sub" / "dev.yaml")) == ""


def test_what_cannot_be_read_is_empty(layout):
    ws, env, _ = layout
    assert ws.peek(str(env / "missing.yaml")) == ""
    os.mkfifo(env / "pipe.yaml")  # refused without blocking (MLC114 for a read)
    assert ws.peek(str(env / "pipe.yaml")) == ""
    (env / "big.yaml").write_bytes(b"#" * (1024 * 1024 + 1))  # over the 1 MiB limit
    assert ws.peek(str(env / "big.yaml")) == ""


def test_bytes_that_are_not_utf8_are_shown_as_the_replacement_character(layout):
    # Python's "replace" error handler decodes each invalid byte to U+FFFD
    ws, env, _ = layout
    (env / "dev.yaml").write_bytes(b"labels: {team: \xff\xfe}\n")
    assert ws.peek(str(env / "dev.yaml")) == "labels: {team: \ufffd\ufffd}\n"


def test_a_plain_files_folder_is_resolved_once(layout, monkeypatch):
    """The docstring's promise: a lint peeks at every file of the folder, and for plain
    files only their folder is resolved (once), not each file."""
    ws, env, _ = layout
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        (env / name).write_text(TEXT, encoding="utf-8")
    resolved: list[str] = []
    real = os.path.realpath

    def recording(path, *args, **kwargs):
        resolved.append(os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os.path, "realpath", recording)
    texts = [ws.peek(str(env / n)) for n in ("a.yaml", "b.yaml", "c.yaml")]
    monkeypatch.undo()
    assert texts == [TEXT, TEXT, TEXT]
    assert resolved == [str(env)]
