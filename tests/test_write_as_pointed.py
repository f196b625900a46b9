"""`compile -o PATH` outside the repository (safewrite.write_output, root None): the path
is written as the user pointed it. When the system says no, the OSError is the system's
own (its errno, hence its class: FileNotFoundError, NotADirectoryError...; its words)
and names PATH as typed, not the resolved target; a FIFO or device is written as UTF-8
whatever the locale. Oracles: errno's codes and os.strerror's words, UTF-8 bytes worked
out by hand, and the folders' listings."""

from __future__ import annotations

import errno
import locale
import os
from pathlib import Path

import pytest

from mlinfra_compile import safewrite


def _raised(path: str) -> OSError:
    with pytest.raises(OSError) as caught:
        safewrite.write_output(path, "{}\n")
    return caught.value


def _assert_system_error(exc: OSError, cls: type[OSError], code: int, path: str) -> None:
    assert type(exc) is cls
    assert (exc.errno, exc.strerror, exc.filename, exc.filename2) == (
        code, os.strerror(code), path, None)
    assert str(exc) == f"[Errno {code}] {os.strerror(code)}: '{path}'"


@pytest.mark.parametrize(("typed", "cls", "code"), [
    ("notes.txt/graph.json", NotADirectoryError, errno.ENOTDIR),  # (a file as a folder)
    ("loop.json", OSError, errno.ELOOP),                           # (loop.json -> loop.json)
])
def test_a_path_that_cannot_be_looked_up_is_the_systems_error_named_as_typed(
        tmp_path, monkeypatch, typed, cls, code):
    # os.stat of the target fails with something else than "missing"
    (tmp_path / "notes.txt").write_text("mine\n")
    (tmp_path / "loop.json").symlink_to("loop.json")
    monkeypatch.chdir(tmp_path)
    _assert_system_error(_raised(typed), cls, code, typed)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop.json", "notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "mine\n"


@pytest.mark.parametrize(("typed", "cls", "code"), [
    ("missing/graph.json", FileNotFoundError, errno.ENOENT),  # (its folder cannot be opened)
    ("out", IsADirectoryError, errno.EISDIR),                  # (a folder is opened to write)
])
def test_a_path_that_cannot_be_opened_is_the_systems_error_named_as_typed(
        tmp_path, monkeypatch, typed, cls, code):
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    _assert_system_error(_raised(typed), cls, code, typed)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert list((tmp_path / "out").iterdir()) == []


def test_a_refused_replace_names_the_link_as_typed_and_keeps_the_target(tmp_path,
                                                                        monkeypatch):
    # the rename over the target fails (EXDEV: across file systems): the error names the
    # link the user typed, the target is untouched and no temporary file is left
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "graph.json").write_text("old\n")
    (tmp_path / "link.json").symlink_to(Path("real") / "graph.json")
    monkeypatch.chdir(tmp_path)

    def refuse(*args, **kwargs):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), "the temporary file")
    monkeypatch.setattr(os, "replace", refuse)
    _assert_system_error(_raised("link.json"), OSError, errno.EXDEV, "link.json")
    assert (tmp_path / "real" / "graph.json").read_text() == "old\n"
    assert os.listdir(tmp_path / "real") == ["graph.json"]


@pytest.fixture
def ascii_locale():
    """LC_CTYPE "C" for the test: there open() without an encoding takes ASCII
    (nl_langinfo(CODESET) is ANSI_X3.4-1968), unless Python runs in UTF-8 mode."""
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, old)


def test_a_fifo_is_written_utf8_whatever_the_locale(tmp_path, ascii_locale):
    fifo = tmp_path / "graph.fifo"
    os.mkfifo(fifo)
    # a reader holds the FIFO open first, so opening it to write does not block; the
    # text is far below the pipe's buffer (64 KiB on Linux), so writing does not either
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        safewrite.write_output(str(fifo), "caf\u00e9 \u2713\n")
        got = os.read(reader, 1 << 12)
    finally:
        os.close(reader)
    # é is U+00E9: C3 A9 in UTF-8; ✓ is U+2713: E2 9C 93
    assert got == b"caf\xc3\xa9 \xe2\x9c\x93\n"
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["graph.fifo"]


def test_dev_stdout_on_a_pipe_is_written_straight_to():
    """`-o /dev/stdout | cat`: /dev/stdout is a link to /proc/self/fd/1, whose link text
    for a pipe is `pipe:[N]`, no path; the path as typed is what the kernel opens."""
    import subprocess
    import sys

    from tests.golden import REPO

    ran = subprocess.run([sys.executable, "-m", "mlinfra_compile", "compile", "prod", "-o",
                          "/dev/stdout"], cwd=REPO, capture_output=True, timeout=120)
    plain = subprocess.run([sys.executable, "-m", "mlinfra_compile", "compile", "prod"],
                           cwd=REPO, capture_output=True, timeout=120)
    assert (ran.returncode, ran.stderr) == (0, b"")
    assert ran.stdout == plain.stdout and ran.stdout.startswith(b"{\n")
