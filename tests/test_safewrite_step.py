"""safewrite's step from one folder to the next (through make_folder, its public door):
the mode a missing folder is created with, a folder another process creates meanwhile,
a folder that keeps vanishing (looked at 8 times, then given up), and an open that fails
for a reason other than a link or a special file (the error of the open, naming the
path). Races and failures the kernel gives only by chance are made with a fake os.open /
os.mkdir that passes every other call through; errno numbers are Python's `errno`
constants. (Links and special files on the way: tests/test_safe_writes.py.)"""

from __future__ import annotations

import errno
import os
import stat

import pytest

from mlinfra_compile import safewrite


def raised(exc: pytest.ExceptionInfo) -> tuple:
    return type(exc.value), exc.value.errno, exc.value.strerror, exc.value.filename


def fail_open_of(monkeypatch, name: str, error, times: int | None = None) -> list[int]:
    """os.open of `name` inside a folder (dir_fd given) raises error() the first `times`
    times (always when None); the list counts those opens."""
    real, seen = os.open, []

    def fake(path, flags, mode=0o777, *, dir_fd=None):
        if path == name and dir_fd is not None:
            seen.append(1)
            if times is None or len(seen) <= times:
                raise error()
        return real(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", fake)
    return seen


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_missing_folders_are_made_with_0o777_less_the_umask(tmp_path, umask_022):
    # mkdir(2): the mode asked, 0o777, less umask 0o022 = 0o755 (rwxr-xr-x), no other bit
    safewrite.make_folder(str(tmp_path), "a/b")
    assert os.stat(tmp_path / "a").st_mode == stat.S_IFDIR | 0o755
    assert os.stat(tmp_path / "a" / "b").st_mode == stat.S_IFDIR | 0o755


def test_a_folder_another_process_made_first_is_opened(tmp_path, monkeypatch):
    real = os.mkdir

    def beaten(path, mode=0o777, *, dir_fd=None):  # (the other process wins the race)
        real(path, mode, dir_fd=dir_fd)
        raise FileExistsError(errno.EEXIST, "File exists")

    monkeypatch.setattr(os, "mkdir", beaten)
    assert safewrite.make_folder(str(tmp_path), "a/b") == f"{tmp_path}/a/b"
    monkeypatch.undo()
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == ["a", "a/b"]
    assert safewrite.create(str(tmp_path), "a/b/x.txt", "x\n") == f"{tmp_path}/a/b/x.txt"


def gone():
    return FileNotFoundError(errno.ENOENT, "No such file or directory")


def test_a_folder_seen_on_the_eighth_look_is_opened(tmp_path, monkeypatch):
    (tmp_path / "a" / "b").mkdir(parents=True)
    seen = fail_open_of(monkeypatch, "b", gone, times=7)
    assert safewrite.make_folder(str(tmp_path), "a/b") == f"{tmp_path}/a/b"
    assert len(seen) == 8


@pytest.mark.parametrize("times", [8, None], ids=["eight-times", "always"])
def test_a_folder_that_keeps_vanishing_is_given_up_after_eight_looks(
        tmp_path, monkeypatch, times):
    (tmp_path / "a" / "b").mkdir(parents=True)
    seen = fail_open_of(monkeypatch, "b", gone, times=times)
    with pytest.raises(OSError) as exc:
        safewrite.make_folder(str(tmp_path), "a/b/c")
    # (Python makes an OSError of errno EAGAIN a BlockingIOError)
    assert raised(exc) == (BlockingIOError, errno.EAGAIN, "changed while mlinfra created it",
                           f"{tmp_path}/a/b")
    assert str(exc.value) == \
        f"[Errno {errno.EAGAIN}] changed while mlinfra created it: '{tmp_path}/a/b'"
    assert len(seen) == 8
    monkeypatch.undo()
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == ["a", "a/b"]


def test_a_folder_that_cannot_be_opened_gives_the_error_of_the_open(tmp_path, monkeypatch):
    # (as root a mode-000 folder still opens: the refusal of open(2) is made by the fake)
    (tmp_path / "a" / "b").mkdir(parents=True)
    fail_open_of(monkeypatch, "b", lambda: PermissionError(errno.EACCES, "Permission denied"))
    with pytest.raises(OSError) as exc:
        safewrite.make_folder(str(tmp_path), "a/b/c")
    # a folder is there: not Refused ("is a folder, not a folder"), the open's own error
    # (Python makes an OSError of errno EACCES a PermissionError)
    assert raised(exc) == (PermissionError, errno.EACCES, "Permission denied",
                           f"{tmp_path}/a/b")
    assert str(exc.value) == f"[Errno {errno.EACCES}] Permission denied: '{tmp_path}/a/b'"


def test_a_folder_gone_after_a_failed_open_gives_the_error_of_the_open(
        tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()  # (no b: after the failed open, nothing is there to name)
    fail_open_of(monkeypatch, "b", lambda: OSError(errno.EMFILE, "Too many open files"))
    with pytest.raises(OSError) as exc:
        safewrite.check(str(tmp_path), "a/b/x.txt")
    assert raised(exc) == (OSError, errno.EMFILE, "Too many open files", f"{tmp_path}/a/b")
