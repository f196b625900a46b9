"""GitWorkspace (gitref.py) over real temporary git repositories, in this process: the
tests of test_reading.py run mlinfra in children under setrlimit, which the mutation run
neither includes nor sees. Expected texts are written out; object names are computed as
git defines them (sha1 of "blob <size>\\0<bytes>", gitformat-loose(5)), independently of
gitref."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mlinfra_compile import gitref, reading
from mlinfra_compile.gitref import GitWorkspace
from mlinfra_compile.resolve import UsageError
from tests.conftest import fake_on_path
from tests.golden import git

ENV = "providers: {aws: {region: us-east-1}}\n"


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def committed(root: Path, files: dict[str, bytes], links: dict[str, bytes] | None = None,
              *init: str) -> Path:
    """A repository at `root` whose HEAD holds `files` (paths from the root) and, under
    environments/, links NAME -> target (git stores a link blob of any size)."""
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    git(root, "init", "-q", *init)
    git(root, "add", "-A")
    for name, target in (links or {}).items():
        sha = subprocess.run(["git", "-C", str(root), "hash-object", "-w", "--stdin"],
                             input=target, capture_output=True, check=True).stdout
        git(root, "update-index", "--add", "--cacheinfo",
            f"120000,{sha.decode().strip()},environments/{name}")
    git(root, "commit", "-qm", "head")
    return root


def problems(ws: GitWorkspace, path: Path) -> list[tuple[str, str, str]]:
    return [(d.file, d.code, d.message) for d in ws.read(str(path)).diagnostics]


def test_links_leaving_the_repository_are_refused_at_the_ref(tmp_path):
    env = tmp_path / "environments"
    committed(tmp_path, {"environments/ok.yaml": ENV.encode(), "top.yaml": ENV.encode()},
              {"abs.yaml": b"/etc/hosts", "up.yaml": b"../../x.yaml", "root.yaml": b"../..",
               "bad.yaml": b"../../\xff.yaml", "in.yaml": b"../top.yaml"})
    ws = GitWorkspace(str(tmp_path), "HEAD")
    tail = ", outside the repository; environment files must live in it"
    for name, shown in (("abs", "/etc/hosts"), ("up", "../../x.yaml"),
                        ("root", "../.."),  # environments/../.. is ".." itself
                        ("bad", "../../\ufffd.yaml")):  # (an undecodable byte shown as U+FFFD)
        assert problems(ws, env / f"{name}.yaml") == [
            (f"HEAD:environments/{name}.yaml", "MLC115", f"the file is a link to {shown}{tail}")]
    # a link to a file at the top of the repository stays inside: followed
    assert problems(ws, env / "in.yaml") == []
    assert ws.peek(str(env / "in.yaml")) == ENV
    assert ws.is_file(str(tmp_path / "top.yaml"))


def test_a_link_is_read_up_to_the_longest_path_and_refused_beyond(tmp_path):
    env = tmp_path / "environments"
    at_limit = b"./" * 2045 + b"ok.yml"  # 4096 bytes: normpath makes it ok.yml
    beyond = b".//" + b"./" * 2044 + b"ok.yml"  # 4097 bytes
    assert (len(at_limit), len(beyond)) == (4096, 4097)
    committed(tmp_path, {"environments/ok.yml": ENV.encode()},
              {"at.yaml": at_limit, "beyond.yaml": beyond})
    ws = GitWorkspace(str(tmp_path), "HEAD")
    assert problems(ws, env / "at.yaml") == []
    assert ws.peek(str(env / "at.yaml")) == ENV
    assert problems(ws, env / "beyond.yaml") == [
        ("HEAD:environments/beyond.yaml", "MLC101", "the file is a link of 4097 bytes at "
         "HEAD; a link holds a path of at most 4096 bytes")]


def test_a_submodule_at_the_ref_is_not_read_as_a_file(tmp_path):
    committed(tmp_path, {"environments/ok.yaml": ENV.encode()})
    head = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    git(tmp_path, "update-index", "--add", "--cacheinfo", f"160000,{head},environments/s.yaml")
    git(tmp_path, "commit", "-qm", "submodule")
    ws = GitWorkspace(str(tmp_path), "HEAD")
    assert problems(ws, tmp_path / "environments" / "s.yaml") == [
        ("HEAD:environments/s.yaml", "MLC114", "environments/s.yaml is a submodule at HEAD, "
         "not a file; environment files are plain files")]


def test_names_git_lists_unquoted_at_any_depth(tmp_path):
    # a tab and a byte that is not UTF-8 in names; a subfolder (its size is "-")
    names = ["environments/a\tb.yaml", os.fsdecode(b"environments/\xff.yaml"),
             "environments/sub/x.yaml"]
    committed(tmp_path, {**{n: ENV.encode() for n in names}, "top.yaml": ENV.encode()})
    env = tmp_path / "environments"
    ws = GitWorkspace(str(tmp_path), "HEAD")
    assert ws.list_dir(str(env)) == sorted(os.listdir(env)) == [
        "a\tb.yaml", "sub", "\udcff.yaml"]
    assert [ws.is_file(str(tmp_path / n)) for n in (*names, "environments/sub", "top.yaml")] \
        == [True, True, True, False, True]
    assert ws.peek(str(env / "a\tb.yaml")) == ENV


def _remove_object(git_dir: Path, sha: str) -> Path:
    path = git_dir / "objects" / sha[:2] / sha[2:]
    path.unlink()
    return path


def test_a_blob_missing_from_the_repository_is_told_with_gits_reason(tmp_path):
    # ls-tree -l shows the size of a missing blob as BAD (git 2.39 builtin/ls-tree.c);
    # cat-file then fails with one line on stderr
    file_data, link = b"x: 1\n", b"ok.yaml"
    committed(tmp_path, {"environments/ok.yaml": file_data}, {"l.yaml": link})
    for data in (file_data, link):
        _remove_object(tmp_path / ".git", blob_sha(data))
    ws = GitWorkspace(str(tmp_path), "HEAD")
    env = tmp_path / "environments"
    assert ws.list_dir(str(env)) == ["l.yaml", "ok.yaml"]
    for name, data in (("ok.yaml", file_data), ("l.yaml", link)):
        # (git 2.39 says `fatal: git cat-file SHA: bad file`; another git may word it
        # otherwise: its first line, as git itself prints it, is the oracle)
        assert problems(ws, env / name) == [
            (f"HEAD:environments/{name}", "MLC602", f"git cannot read environments/{name} "
             f"at HEAD: {_first_line(tmp_path, blob_sha(data))}")]


def _first_line(root: Path, sha: str) -> str:
    """The first line git itself prints on stderr for `cat-file blob SHA` (ASCII here)."""
    said = subprocess.run(["git", "-C", str(root), "cat-file", "blob", sha],
                          capture_output=True, check=False).stderr
    return said.decode("ascii").strip().splitlines()[0]


def test_what_git_says_is_read_whatever_its_bytes(tmp_path):
    # The git directory lies in a folder whose name is the byte 0xff, and a corrupt
    # object's message names its path: stderr is not UTF-8 (only its first line is shown).
    git_dir = tmp_path / os.fsdecode(b"\xff") / "g"
    git_dir.parent.mkdir()
    root = committed(tmp_path / "repo", {"environments/c.yaml": b"cccc\n"}, None,
                     "--separate-git-dir", str(git_dir))
    sha = blob_sha(b"cccc\n")
    obj = git_dir / "objects" / sha[:2] / sha[2:]
    head = obj.read_bytes()[:5]
    obj.unlink()
    obj.write_bytes(head)  # the start of the zlib stream only
    said = subprocess.run(["git", "-C", str(root), "cat-file", "blob", sha],
                          capture_output=True, check=False).stderr
    if b"\xff" not in said:  # (the premise: git 2.39 names the object's path)
        pytest.skip("this git does not name the corrupt object's path")
    # git 2.39: `error: header for SHA too long, exceeds 32 bytes`; the first line as git
    # prints it is the oracle, whatever its wording
    first = said.split(b"\n")[0].decode("utf-8", "replace").strip()
    assert first.isprintable()  # (shown as it is: nothing in it to escape)
    ws = GitWorkspace(str(root), "HEAD")
    assert problems(ws, root / "environments" / "c.yaml") == [
        ("HEAD:environments/c.yaml", "MLC602", "git cannot read environments/c.yaml at HEAD: "
         f"{first}")]


def _git_answering(monkeypatch, command: str, ran: reading.Ran) -> None:
    """git as run by gitref, except that `command` answers `ran` (what the real one
    cannot be made to print on demand)."""
    def fake(argv, cap, env=None, stdin=None):
        if argv[3] == command:
            return ran
        return reading.run(argv, cap, env=env, stdin=stdin)
    monkeypatch.setattr(gitref, "run", fake)


def test_git_failing_in_silence_is_still_named(tmp_path, monkeypatch):
    committed(tmp_path, {"environments/ok.yaml": ENV.encode()})
    _git_answering(monkeypatch, "cat-file", reading.Ran(128, b"", b""))
    ws = GitWorkspace(str(tmp_path), "HEAD")
    assert problems(ws, tmp_path / "environments" / "ok.yaml") == [
        ("HEAD:environments/ok.yaml", "MLC602",
         "git cannot read environments/ok.yaml at HEAD")]


def test_a_blob_printing_more_than_the_limit_is_refused(tmp_path, monkeypatch):
    # Missing when listed (size BAD: not known), yet printed beyond the cap when read (as
    # a partial clone fetches it meanwhile): refused by what was read, not parsed.
    committed(tmp_path, {"environments/ok.yaml": ENV.encode()})
    _remove_object(tmp_path / ".git", blob_sha(ENV.encode()))
    # reading.run stops a command whose stdout passes the cap: killed, stdout dropped
    _git_answering(monkeypatch, "cat-file", reading.Ran(-9, b"", b"", "stdout"))
    ws = GitWorkspace(str(tmp_path), "HEAD")
    assert problems(ws, tmp_path / "environments" / "ok.yaml") == [
        ("HEAD:environments/ok.yaml", "MLC101", "file is more than 1048576 bytes at HEAD; "
         "the limit is 1048576 bytes (1 MiB)")]


def test_a_listing_past_its_cap_is_a_usage_error(tmp_path, monkeypatch):
    committed(tmp_path, {"environments/ok.yaml": ENV.encode()})
    _git_answering(monkeypatch, "ls-tree", reading.Ran(-9, b"", b"", "stdout"))
    ws = GitWorkspace(str(tmp_path), "HEAD")
    with pytest.raises(UsageError) as exc:
        ws.list_dir(str(tmp_path / "environments"))
    assert str(exc.value) == ("environments at HEAD lists more than 64 MiB of names; diff "
                              "reads a folder of environments")


def test_git_is_never_handed_our_standard_input(tmp_path, monkeypatch):
    # A `git` on PATH that reads its stdin (as a wrapper or a prompt would) before it runs
    # the real one: what it finds is logged. Our fd 0 holds bytes for the duration.
    committed(tmp_path, {"environments/ok.yaml": ENV.encode()})
    real, log = shutil.which("git"), tmp_path / "stdin.log"
    fake_on_path(tmp_path, monkeypatch, f"import os, sys\n"
                 f"open({str(log)!r}, 'ab').write(os.read(0, 100))\n"
                 f"os.execv({real!r}, [{real!r}, *sys.argv[1:]])\n", name="git")
    r, w = os.pipe()
    os.write(w, b"ours")
    os.close(w)
    saved = os.dup(0)
    os.dup2(r, 0)
    try:
        ws = GitWorkspace(str(tmp_path), "HEAD")
        text = ws.peek(str(tmp_path / "environments" / "ok.yaml"))
    finally:
        os.dup2(saved, 0)
        os.close(saved)
        os.close(r)
    assert text == ENV
    assert log.read_bytes() == b""


def test_a_link_to_a_name_that_is_no_utf8_is_followed_at_the_ref(tmp_path):
    """environments/dev.yaml links to a file whose name holds the byte 0xff: at the ref,
    as in the working tree, the link is followed to it (its name read as ls-tree's names
    are, the byte kept), not looked up as a name with U+FFFD in its place."""
    # (\udcff: the byte 0xff in a file name, as Python's file system encoding spells it)
    committed(tmp_path, {"environments/\udcff.yaml": ENV.encode()}, {"dev.yaml": b"\xff.yaml"})
    ws = GitWorkspace(str(tmp_path), "HEAD")
    f = ws.read(str(tmp_path / "environments" / "dev.yaml"))
    assert f.diagnostics == [] and f.data == {"providers": {"aws": {"region": "us-east-1"}}}
