"""safewrite.append_missing (how `mlinfra init` adds its ignore lines to an existing
.gitignore) and the mode of a new file replace() writes, each path on its own: what is
appended and how it is glued on, the refusals (no folder, no file, not a regular file, a
link swapped in after the check, too large), bytes that are not UTF-8. The oracles are
the bytes on disk and os.stat."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from mlinfra_compile import safewrite
from mlinfra_compile.safewrite import Refused, append_missing


def put(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_only_the_missing_lines_are_appended_each_once(tmp_path):
    f = put(tmp_path / "a" / "b" / ".gitignore", b"  .venv/  \nbuild/\n")
    added = append_missing(str(tmp_path), "a/b/.gitignore", [".venv/", "x/", "x/", "y/"])
    assert added == ["x/", "y/"]  # (.venv/ is there, by its stripped text; x/ once)
    assert f.read_bytes() == b"  .venv/  \nbuild/\nx/\ny/\n"
    assert append_missing(str(tmp_path), "a/b/.gitignore", ["y/"]) == []


@pytest.mark.parametrize(("before", "after"), [
    (b"build/", b"build/\nx/\n"),  # a last line without its newline gets one first
    (b"build/\r", b"build/\rx/\n"),  # (a carriage return ends a line too)
    (b"build/\r\n", b"build/\r\nx/\n"),
    (b"", b"x/\n"),
])
def test_a_last_line_is_ended_before_the_lines_added(tmp_path, before, after):
    f = put(tmp_path / ".gitignore", before)
    assert append_missing(str(tmp_path), ".gitignore", ["x/"]) == ["x/"]
    assert f.read_bytes() == after


def test_bytes_that_are_not_utf8_are_kept_and_read_around(tmp_path):
    f = put(tmp_path / ".gitignore", b"caf\xe9/\nx/\n")
    assert append_missing(str(tmp_path), ".gitignore", ["x/", "y/"]) == ["y/"]
    assert f.read_bytes() == b"caf\xe9/\nx/\ny/\n"


def test_a_file_of_exactly_the_limit_is_read_to_its_last_line(tmp_path):
    body = b"a" * 9 + b"\nx/\n"  # 13 bytes
    f = put(tmp_path / ".gitignore", body)
    assert append_missing(str(tmp_path), ".gitignore", ["x/"], limit=len(body)) == []
    assert f.read_bytes() == body


def test_a_last_line_without_its_newline_at_the_limit_is_read_whole(tmp_path):
    body = b"a" * 9 + b"\nx/"  # 12 bytes, no newline at the end
    f = put(tmp_path / ".gitignore", body)
    assert append_missing(str(tmp_path), ".gitignore", ["x/"], limit=len(body)) == []
    assert f.read_bytes() == body


@pytest.mark.parametrize("rel", ["../.gitignore", "/etc/.gitignore", "a//b", "./x"])
def test_a_path_out_of_the_root_is_refused(tmp_path, rel):
    with pytest.raises(Refused) as exc:
        append_missing(str(tmp_path), rel, ["x/"])
    assert (exc.value.errno, exc.value.strerror, exc.value.filename) == (
        errno.EINVAL, f"not a path inside {tmp_path}", rel)


def test_a_file_over_the_limit_is_refused_unread(tmp_path):
    f = put(tmp_path / ".gitignore", b"a" * 14)
    with pytest.raises(Refused) as exc:
        append_missing(str(tmp_path), ".gitignore", ["x/"], limit=13)
    assert (exc.value.errno, exc.value.filename) == (errno.EFBIG, f"{tmp_path}/.gitignore")
    assert exc.value.strerror == ("is larger than 13 bytes; mlinfra does not read it to add "
                                  "to it")
    assert f.read_bytes() == b"a" * 14


def test_a_missing_folder_is_no_such_file_and_is_not_created(tmp_path):
    with pytest.raises(FileNotFoundError) as exc:
        append_missing(str(tmp_path), "a/.gitignore", ["x/"])
    assert (exc.value.errno, exc.value.strerror, exc.value.filename) == (
        errno.ENOENT, "no such file", f"{tmp_path}/a/.gitignore")
    assert not (tmp_path / "a").exists()


def test_a_missing_file_is_the_systems_error_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError) as exc:
        append_missing(str(tmp_path), ".gitignore", ["x/"])
    assert (exc.value.errno, exc.value.strerror, exc.value.filename) == (
        errno.ENOENT, os.strerror(errno.ENOENT), f"{tmp_path}/.gitignore")


def test_a_fifo_is_refused_without_being_opened(tmp_path):
    os.mkfifo(tmp_path / ".gitignore")
    with pytest.raises(Refused) as exc:
        append_missing(str(tmp_path), ".gitignore", ["x/"])
    assert (exc.value.errno, exc.value.filename) == (errno.EEXIST, f"{tmp_path}/.gitignore")
    assert exc.value.strerror == ("is a FIFO, not a regular file; mlinfra writes only "
                                  "regular files, in folders")


def test_a_link_is_refused_and_its_target_kept(tmp_path):
    target = put(tmp_path / "elsewhere", b"keep\n")
    os.symlink(target, tmp_path / ".gitignore")
    with pytest.raises(Refused) as exc:
        append_missing(str(tmp_path), ".gitignore", ["x/"])
    assert exc.value.errno == errno.ELOOP and "make it a regular file" in exc.value.strerror
    assert target.read_bytes() == b"keep\n"


def test_a_link_swapped_in_after_the_check_is_not_written_through(tmp_path, monkeypatch):
    target = put(tmp_path / "elsewhere", b"keep\n")
    os.symlink(target, tmp_path / ".gitignore")
    # the check saw a regular file; the link came between the check and the open
    monkeypatch.setattr(safewrite, "_mode", lambda folder, name: stat.S_IFREG | 0o644)
    with pytest.raises(OSError) as exc:
        append_missing(str(tmp_path), ".gitignore", ["x/"])
    assert (exc.value.errno, exc.value.filename) == (errno.ELOOP, f"{tmp_path}/.gitignore")
    assert target.read_bytes() == b"keep\n"


def test_a_device_found_on_opening_is_refused(tmp_path, monkeypatch):
    f = put(tmp_path / ".gitignore", b"x/\n")
    real = os.fstat
    monkeypatch.setattr(safewrite.os, "fstat", lambda fd: os.stat_result(
        (stat.S_IFCHR | 0o666, *real(fd)[1:])))
    with pytest.raises(Refused) as exc:
        append_missing(str(tmp_path), ".gitignore", ["y/"])
    assert exc.value.filename == f"{tmp_path}/.gitignore"
    assert exc.value.strerror == ("is a device, not a regular file; mlinfra writes only "
                                  "regular files, in folders")
    assert f.read_bytes() == b"x/\n"


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0, 0o666)])
def test_a_new_file_takes_the_mode_the_umask_leaves(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        safewrite.replace(str(tmp_path), "out.json", "{}\n")
        assert os.umask(umask) == umask  # (the umask is as it was)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "out.json").st_mode) == mode


# --- replace(): what its refusals and failures name ------------------------------------

def test_replace_refuses_a_path_out_of_the_root_naming_the_root(tmp_path):
    with pytest.raises(Refused) as info:
        safewrite.replace(str(tmp_path), "../x", "text")
    assert (info.value.errno, info.value.strerror, info.value.filename) == (
        errno.EINVAL, f"not a path inside {tmp_path}", "../x")


def test_replace_names_the_path_when_its_temporary_file_cannot_be_made(tmp_path,
                                                                      monkeypatch):
    real_open = os.open

    def refusing(path, *args, **kwargs):  # (as a read-only folder would, even for root)
        if str(path).startswith(safewrite.TEMP_PREFIX):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    with pytest.raises(OSError) as info:
        safewrite.replace(str(tmp_path), "a/f.txt", "text")
    assert (info.value.errno, info.value.filename) == (errno.EACCES,
                                                       os.path.join(tmp_path, "a/f.txt"))
    with pytest.raises(OSError) as info:
        safewrite.replace(str(tmp_path), "a/f.txt", "text", shown="environments/f.txt")
    assert info.value.filename == "environments/f.txt"


def test_a_mode_of_no_known_kind_is_named_so():
    # (every kind Linux has is in the table: a mode with no file-type bits stands in for
    # one it does not)
    refused = safewrite._refused(0, "p", "regular file")
    assert (refused.errno, refused.strerror, refused.filename) == (
        errno.EEXIST, "is of an unknown kind, not a regular file; mlinfra writes only "
                      "regular files, in folders", "p")
