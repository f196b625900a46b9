"""safewrite.replace when the system says no: each OSError names the file the user asked
for (not mlinfra's temporary one) with the system's own errno and words, no temporary file
is left behind, and a temporary name already taken is tried again, eight times at most.
Oracles: errno's codes and os.strerror's words, and the folder's listing afterwards."""

from __future__ import annotations

import errno
import os

import pytest

from mlinfra_compile import safewrite


def _raises(monkeypatch, name: str, code: int) -> None:
    real = getattr(os, name)

    def refuse(*args, **kwargs):
        if name != "open" or str(args[0]).startswith(safewrite.TEMP_PREFIX):
            raise OSError(code, os.strerror(code), "the temporary file")
        return real(*args, **kwargs)
    monkeypatch.setattr(os, name, refuse)


@pytest.mark.parametrize(("call", "code"), [("open", errno.EACCES), ("fchmod", errno.EPERM),
                                            ("replace", errno.EXDEV)])
def test_a_refused_write_names_the_users_file_with_the_systems_words(tmp_path, monkeypatch,
                                                                     call, code):
    _raises(monkeypatch, call, code)
    with pytest.raises(OSError) as caught:
        safewrite.replace(str(tmp_path), "out/graph.json", "{}\n", shown="graph.json")
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == (
        code, os.strerror(code), "graph.json")
    assert os.listdir(tmp_path / "out") == []  # no temporary file left


def test_a_taken_temporary_name_is_tried_eight_times_then_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(safewrite.secrets, "token_hex", lambda n: "same")
    taken = tmp_path / f"{safewrite.TEMP_PREFIX}same.tmp"
    taken.write_text("someone else's")
    tries = []
    real = os.open

    def counting(path, *args, **kwargs):
        if str(path).startswith(safewrite.TEMP_PREFIX):
            tries.append(path)
        return real(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", counting)
    with pytest.raises(OSError) as caught:
        safewrite.replace(str(tmp_path), "graph.json", "{}\n", shown="graph.json")
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == (
        errno.EEXIST, "no free temporary name", "graph.json")
    assert len(tries) == 8 and taken.read_text() == "someone else's"
    assert not (tmp_path / "graph.json").exists()


def test_a_temporary_name_is_the_prefix_and_twelve_hex_digits(tmp_path, monkeypatch):
    # (secrets.token_hex(6): 6 bytes, 12 hex digits; the name never collides in practice)
    seen = []
    real = os.open

    def noting(path, *args, **kwargs):
        seen.append(str(path))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", noting)
    safewrite.replace(str(tmp_path), "graph.json", "{}\n")
    [tmp] = [p for p in seen if p.startswith(safewrite.TEMP_PREFIX)]
    hexpart = tmp.removeprefix(safewrite.TEMP_PREFIX).removesuffix(".tmp")
    assert len(hexpart) == 12 and int(hexpart, 16) >= 0
    assert (tmp_path / "graph.json").read_text() == "{}\n"


def test_the_temporary_file_is_created_owner_only(tmp_path, monkeypatch):
    # created 0o600 before its final mode is set: no other user can open it in between
    modes = []
    real = os.fchmod

    def noting(fd, mode):
        modes.append(os.fstat(fd).st_mode & 0o777)
        return real(fd, mode)
    monkeypatch.setattr(os, "fchmod", noting)
    old = os.umask(0)
    try:
        safewrite.replace(str(tmp_path), "graph.json", "{}\n")
    finally:
        os.umask(old)
    assert modes == [0o600]
