"""safewrite.create writing the text: UTF-8 whatever the locale, and a write that fails
leaves no half-written file behind (at any depth below the root) and raises the write's
own error, even when removing the file fails too. (Its mode and refusals:
tests/test_safewrite_create.py.)

A lone surrogate ("\\udc80") is a str that no strict UTF-8 encoder writes: Python raises
UnicodeEncodeError for it when the text is written, after the file was created."""

from __future__ import annotations

import errno
import locale
import os
from pathlib import Path

import pytest

from mlinfra_compile import safewrite

UNWRITABLE = "first line\n\udc80\n"


@pytest.fixture
def ascii_locale():
    """The C locale: its codeset is ASCII (nl_langinfo(CODESET) = ANSI_X3.4-1968), the
    one a file opened without an explicit encoding is written in."""
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    yield
    locale.setlocale(locale.LC_CTYPE, old)


def test_the_text_is_written_as_utf8_under_an_ascii_locale(tmp_path, ascii_locale):
    text = "name: café\nnote: ключ ✓\n"
    path = safewrite.create(str(tmp_path), "notes/a.txt", text)
    # UTF-8 by hand: é = C3 A9, к = D0 BA, ✓ (U+2713) = E2 9C 93
    assert Path(path).read_bytes().startswith(b"name: caf\xc3\xa9\nnote: \xd0\xba")
    assert Path(path).read_bytes().endswith(b" \xe2\x9c\x93\n")
    assert Path(path).read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize("rel", ["x.txt", "a/x.txt", "a/b/x.txt"],
                         ids=["in-root", "one-down", "two-down"])
def test_a_failed_write_leaves_no_file_and_raises_its_error(tmp_path, monkeypatch, rel):
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(tmp_path)  # (not the file's folder: a name unlinked here is not it)
    with pytest.raises(UnicodeEncodeError) as exc:
        safewrite.create(str(root), rel, UNWRITABLE)
    assert (exc.value.encoding, exc.value.object[exc.value.start:exc.value.end]) == (
        "utf-8", "\udc80")
    # the folders made on the way stay; the file does not
    folders = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    assert folders == {"x.txt": [], "a/x.txt": ["a"], "a/b/x.txt": ["a", "a/b"]}[rel]


def test_a_failed_clean_up_does_not_hide_the_write_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "unlink", refuse)
    with pytest.raises(UnicodeEncodeError):
        safewrite.create(str(tmp_path), "a/x.txt", UNWRITABLE)
    monkeypatch.undo()
    # the clean-up was refused: what was written before the failure is what is left
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["x.txt"]
