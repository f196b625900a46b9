"""safewrite.check (init asks it of every file before writing one), in-process: whether
root/rel is a regular file, looked up inside root only, never relative to the working
directory, and the message of a path that would leave root."""

from __future__ import annotations

import errno
import os

import pytest

from mlinfra_compile.safewrite import Refused, check


@pytest.fixture
def cwd_with_decoys(tmp_path, monkeypatch):
    """A working directory holding a file `x` and a folder `d`, beside an empty root."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "x").write_text("not the root's\n")
    (cwd / "d").mkdir()
    monkeypatch.chdir(cwd)
    root = tmp_path / "root"
    root.mkdir()
    return root


def test_a_file_in_a_missing_folder_is_missing_whatever_the_working_directory_holds(
        cwd_with_decoys):
    root = cwd_with_decoys
    assert check(str(root), "missing/x") is False
    assert check(str(root), "missing/d") is False
    assert check(str(root), "a/b/x") is False
    assert os.listdir(root) == []  # (creates nothing)


def test_a_file_is_looked_up_in_its_folder_of_the_root(cwd_with_decoys):
    root = cwd_with_decoys
    assert check(str(root), "x") is False
    (root / "sub").mkdir()
    assert check(str(root), "sub/x") is False
    (root / "sub" / "x").write_text("")
    assert check(str(root), "sub/x") is True


@pytest.mark.parametrize("rel", ["../x", "/etc/passwd", "a//b", "./x", "a/.."])
def test_a_path_that_leaves_the_root_is_refused_naming_the_root(tmp_path, rel):
    with pytest.raises(Refused) as caught:
        check(str(tmp_path), rel)
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == \
        (errno.EINVAL, f"not a path inside {tmp_path}", rel)
    assert str(caught.value) == f"[Errno 22] not a path inside {tmp_path}: {rel!r}"
