"""safewrite.make_folder called directly: it creates the folder and its missing parents
and returns root/rel; a path leaving the root is refused naming that root (the whole
exception: type, errno, text, path). errno numbers are Python's `errno` constants."""

from __future__ import annotations

import errno
import os

import pytest

from mlinfra_compile import safewrite


def test_make_folder_creates_the_missing_folder_and_its_parents(tmp_path):
    root = str(tmp_path)
    got = safewrite.make_folder(root, "state/dev/.pulumi")
    assert got == root + "/state/dev/.pulumi"
    assert os.path.isdir(root + "/state/dev/.pulumi")
    assert sorted(os.listdir(root)) == ["state"]


def test_make_folder_keeps_a_folder_already_there(tmp_path):
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "kept.txt").write_text("kept\n")
    assert safewrite.make_folder(str(tmp_path), "state") == str(tmp_path) + "/state"
    assert (tmp_path / "state" / "kept.txt").read_text() == "kept\n"


@pytest.mark.parametrize("rel", ["../outside", "/etc", "a/./b", "a//b"])
def test_make_folder_refuses_a_path_leaving_the_root_naming_the_root(tmp_path, rel):
    root = str(tmp_path / "repo")
    os.mkdir(root)
    with pytest.raises(safewrite.Refused) as exc:
        safewrite.make_folder(root, rel)
    assert (exc.value.errno, exc.value.strerror, exc.value.filename) == \
        (errno.EINVAL, f"not a path inside {root}", rel)
    assert os.listdir(root) == []
    assert sorted(os.listdir(tmp_path)) == ["repo"]
