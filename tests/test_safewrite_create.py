"""safewrite.create called directly: the mode of the file it makes, and what it raises when
something is already where the file goes (the whole exception: its type, errno, text and
the path it names), or when the path leaves the root. Special files are made in tmp_path
with os.mkfifo / os.symlink / os.mkdir; errno numbers are Python's `errno` constants."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from mlinfra_compile import safewrite

REFUSED_KIND = "is {}, not a regular file; mlinfra writes only regular files, in folders"
REFUSED_LINK = ("is a symbolic link; mlinfra writes nothing through a link (it may lead out "
                "of the repository): make it a regular file")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def raised(exc: pytest.ExceptionInfo) -> tuple:
    return type(exc.value), exc.value.errno, exc.value.strerror, exc.value.filename


@pytest.mark.parametrize("kwargs, mode", [({}, 0o644), ({"mode": 0o600}, 0o600)],
                         ids=["default", "owner-only"])
def test_create_makes_the_file_with_the_mode_asked(tmp_path, umask_022, kwargs, mode):
    # (umask 022 leaves 0o644 and 0o600 whole; a mode left to open(2)'s 0o777 would not)
    path = safewrite.create(str(tmp_path), "keys/ca.pem", "PEM\n", **kwargs)
    assert path == os.path.join(str(tmp_path), "keys/ca.pem")
    assert Path(path).read_text() == "PEM\n"
    assert Path(path).stat().st_mode & 0o777 == mode


def test_create_keeps_an_existing_file_and_names_it(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.txt").write_text("one\n")
    with pytest.raises(OSError) as exc:
        safewrite.create(str(tmp_path), "a/b.txt", "two\n")
    assert raised(exc) == (FileExistsError, errno.EEXIST, "exists", f"{tmp_path}/a/b.txt")
    assert (tmp_path / "a" / "b.txt").read_text() == "one\n"


def _fifo(where: Path) -> None:
    os.mkfifo(where)


def _link(where: Path) -> None:
    os.symlink(where.parent / "elsewhere.txt", where)


def _folder(where: Path) -> None:
    os.mkdir(where)


@pytest.mark.parametrize("make, expected", [
    (_fifo, (errno.EEXIST, REFUSED_KIND.format("a FIFO"))),
    (_folder, (errno.EEXIST, REFUSED_KIND.format("a folder"))),
    (_link, (errno.ELOOP, REFUSED_LINK))], ids=["fifo", "folder", "link"])
def test_create_refuses_what_is_not_a_regular_file(tmp_path, monkeypatch, make, expected):
    (tmp_path / "repo" / "a").mkdir(parents=True)
    make(tmp_path / "repo" / "a" / "b.txt")
    monkeypatch.chdir(tmp_path)  # (no b.txt here: the mode is looked up inside a/)
    with pytest.raises(OSError) as exc:
        safewrite.create(str(tmp_path / "repo"), "a/b.txt", "text\n")
    assert raised(exc) == (safewrite.Refused, *expected, f"{tmp_path}/repo/a/b.txt")
    assert not (tmp_path / "elsewhere.txt").exists()
    assert sorted(p.name for p in (tmp_path / "repo" / "a").iterdir()) == ["b.txt"]


def test_create_refuses_a_path_out_of_its_root_naming_the_root(tmp_path):
    with pytest.raises(OSError) as exc:
        safewrite.create(str(tmp_path), "../x.txt", "text\n")
    assert raised(exc) == (safewrite.Refused, errno.EINVAL,
                           f"not a path inside {tmp_path}", "../x.txt")
