"""Every write of the CLI goes through one writer (mlinfra_compile/safewrite.py) that
never follows a symlink or writes into a special file below the repository (or init's
target folder), and never leaves it (issue 27, points 4 and 8)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
import yaml

from tests.golden import REPO, run_cli

PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
CA_FILE = "ml_session_storage_ca_certs.pem"  # (the file `outputs` names for that output)
VICTIM = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE victim@host\n"


def _victim(tmp_path: Path) -> Path:
    """An `authorized_keys` outside the repository, as the attack aims at."""
    home = tmp_path / "home" / ".ssh"
    home.mkdir(parents=True)
    (home / "authorized_keys").write_text(VICTIM)
    return home


def _outputs_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped environments whose fake `pulumi` prints a stack output
    holding a multi-line CA bundle (dotenv writes it to .mlinfra/prod/)."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    (root / "Pulumi.yaml").write_text("name: mlinfra\n")
    outputs = {"ml-session-storage": {"host": "10.0.0.3", "port": 6378,
                                      "ca_certs": [{"cert": PEM}]}}
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "pulumi"
    exe.write_text(f"#!{sys.executable}\nprint({json.dumps(json.dumps(outputs))})\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return root


# --- 4. `outputs --format dotenv` writes no file through a committed symlink -------------

def test_outputs_refuses_a_symlinked_pem_file(tmp_path, monkeypatch):
    root = _outputs_repo(tmp_path, monkeypatch)
    ssh = _victim(tmp_path)
    (root / ".mlinfra" / "prod").mkdir(parents=True)
    (root / ".mlinfra" / "prod" / CA_FILE).symlink_to(ssh / "authorized_keys")
    rc, out, err = run_cli(root, "outputs", "prod", "--format", "dotenv")
    assert rc == 2 and out == ""
    assert f"mlinfra: error: {root.resolve()}/.mlinfra/prod/{CA_FILE}: is a symbolic " \
           "link" in err
    assert (ssh / "authorized_keys").read_text() == VICTIM
    assert sorted(p.name for p in ssh.iterdir()) == ["authorized_keys"]


def test_outputs_refuses_a_symlinked_mlinfra_folder(tmp_path, monkeypatch):
    root = _outputs_repo(tmp_path, monkeypatch)
    ssh = _victim(tmp_path)
    (ssh / "prod").mkdir()
    (ssh / "prod" / CA_FILE).write_text(VICTIM)  # where the link would lead the write
    (root / ".mlinfra").symlink_to(ssh)
    rc, out, err = run_cli(root, "outputs", "prod", "--format", "dotenv")
    assert rc == 2 and out == ""
    assert f"mlinfra: error: {root.resolve()}/.mlinfra: is a symbolic link" in err
    assert (ssh / "prod" / CA_FILE).read_text() == VICTIM
    assert sorted(p.name for p in ssh.iterdir()) == ["authorized_keys", "prod"]
    assert sorted(p.name for p in (ssh / "prod").iterdir()) == [CA_FILE]


def test_outputs_still_writes_and_replaces_its_own_pem_file(tmp_path, monkeypatch):
    root = _outputs_repo(tmp_path, monkeypatch)
    (root / ".mlinfra" / "prod").mkdir(parents=True)
    (root / ".mlinfra" / "prod" / CA_FILE).write_text("old\n")  # a regular file: replaced
    rc, out, err = run_cli(root, "outputs", "prod", "--format", "dotenv")
    assert rc == 0, err
    assert f"ML_SESSION_STORAGE_CA_CERTS_FILE={root.resolve()}/.mlinfra/prod/{CA_FILE}" \
        in out.splitlines()
    assert (root / ".mlinfra" / "prod" / CA_FILE).read_text() == PEM + "\n"
    assert sorted(p.name for p in (root / ".mlinfra" / "prod").iterdir()) == [CA_FILE]


# --- 8. init writes only inside its target -----------------------------------------------

@pytest.mark.parametrize("folder", [".github", ".vscode", "environments", "program",
                                    "schemas", ".github/workflows"])
def test_init_refuses_a_symlinked_folder_and_writes_nothing(tmp_path, folder):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "team"
    (target / folder).parent.mkdir(parents=True)
    (target / folder).symlink_to(outside, target_is_directory=True)
    before = sorted(str(p.relative_to(target)) for p in target.rglob("*"))
    rc, _, err = run_cli(tmp_path, "init", str(target))
    assert rc == 2
    assert f"mlinfra: error: {target}/{folder}: is a symbolic link" in err
    assert list(outside.iterdir()) == []
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == before


def test_init_refuses_a_symlinked_file(tmp_path):
    ssh = _victim(tmp_path)
    target = tmp_path / "team"
    target.mkdir()
    (target / ".gitignore").symlink_to(ssh / "authorized_keys")
    rc, _, err = run_cli(tmp_path, "init", str(target))
    assert rc == 2 and f"{target}/.gitignore: is a symbolic link" in err
    assert (ssh / "authorized_keys").read_text() == VICTIM
    assert sorted(p.name for p in target.iterdir()) == [".gitignore"]


def test_init_refuses_a_file_where_a_folder_goes_and_a_fifo_where_a_file_goes(tmp_path):
    target = tmp_path / "team"
    target.mkdir()
    (target / "program").write_text("mine\n")
    rc, _, err = run_cli(tmp_path, "init", str(target))
    assert rc == 2 and f"{target}/program: is a file, not a folder" in err
    (target / "program").unlink()
    os.mkfifo(target / ".gitignore")
    rc, _, err = run_cli(tmp_path, "init", str(target))
    assert rc == 2 and f"{target}/.gitignore: is a FIFO, not a regular file" in err
    assert sorted(p.name for p in target.iterdir()) == [".gitignore"]


@pytest.mark.parametrize("name", ["true", "null", "123", "yes", "1.5", "~"])
def test_init_writes_the_project_name_as_a_string(tmp_path, name):
    target = tmp_path / name
    rc, _, err = run_cli(tmp_path, "init", str(target))
    expected = {"~": "mlinfra"}.get(name, name)  # (`~` is no Pulumi project name)
    assert rc == 0, err
    assert yaml.safe_load((target / "Pulumi.yaml").read_text())["name"] == expected


@pytest.mark.parametrize(("old", "new"), [
    ("node_modules/\n", "node_modules/\n.venv/\n.pulumi-state/\n.mlinfra/\n__pycache__/\n"),
    ("node_modules/", "node_modules/\n.venv/\n.pulumi-state/\n.mlinfra/\n__pycache__/\n"),
    ("dist/\r\n/.mlinfra\n.venv/", "dist/\r\n/.mlinfra\n.venv/\n.pulumi-state/\n"
                                   "__pycache__/\n"),
    ("", ".venv/\n.pulumi-state/\n.mlinfra/\n__pycache__/\n"),
])
def test_init_adds_the_missing_ignore_lines_to_an_existing_gitignore(tmp_path, old, new):
    target = tmp_path / "team"
    target.mkdir()
    (target / ".gitignore").write_bytes(old.encode())
    rc, _, err = run_cli(tmp_path, "init", str(target))
    assert rc == 0, err
    assert (target / ".gitignore").read_bytes() == new.encode()
    added = [line for line in new[len(old):].splitlines() if line]
    assert f"mlinfra: added {', '.join(added)} to .gitignore, which exists" in err
    assert "kept .gitignore" not in err


def test_init_keeps_a_gitignore_that_ignores_everything_already(tmp_path):
    target = tmp_path / "team"
    target.mkdir()
    text = "__pycache__/\n.mlinfra/\n.pulumi-state/\n.venv/\n"
    (target / ".gitignore").write_text(text)
    rc, _, err = run_cli(tmp_path, "init", str(target))
    assert rc == 0, err
    assert (target / ".gitignore").read_text() == text
    assert "mlinfra: kept .gitignore, which exists" in err and "added" not in err


def test_a_fresh_init_gitignore_ignores_the_state_and_certificates(tmp_path):
    target = tmp_path / "team"
    rc, _, err = run_cli(tmp_path, "init", str(target))
    assert rc == 0, err
    assert (target / ".gitignore").read_text() == \
        ".venv/\n.pulumi-state/\n.mlinfra/\n__pycache__/\n"


# --- the other writes: new, adopt, compile -o, the state folder --------------------------

def test_new_refuses_a_symlinked_environments_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "repo"
    root.mkdir()
    (root / "environments").symlink_to(outside, target_is_directory=True)
    rc, _, err = run_cli(root, "new", "dev")
    assert rc == 2 and f"{root.resolve()}/environments: is a symbolic link" in err
    assert list(outside.iterdir()) == []


def test_adopt_refuses_a_symlinked_environments_folder(tmp_path):
    from tests.test_adopt import REDIS_STATE

    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "repo"
    root.mkdir()
    (root / "environments").symlink_to(outside, target_is_directory=True)
    rc, _, err = run_cli(root, "adopt", str(REDIS_STATE), "sessions")
    assert rc == 2 and f"{root.resolve()}/environments: is a symbolic link" in err
    assert list(outside.iterdir()) == []


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    return root


def test_compile_output_inside_the_repository_refuses_a_symlinked_folder(tmp_path):
    root = _repo(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "out").symlink_to(outside, target_is_directory=True)
    rc, _, err = run_cli(root, "compile", "prod", "-o", str(root / "out" / "graph.json"))
    assert rc == 2 and f"{root}/out: is a symbolic link" in err
    assert list(outside.iterdir()) == []


def test_compile_output_inside_the_repository_refuses_a_symlinked_file(tmp_path):
    root = _repo(tmp_path)
    ssh = _victim(tmp_path)
    (root / "graph.json").symlink_to(ssh / "authorized_keys")
    rc, _, err = run_cli(root, "compile", "prod", "-o", str(root / "graph.json"))
    assert rc == 2 and f"{root}/graph.json: is a symbolic link" in err
    assert (ssh / "authorized_keys").read_text() == VICTIM


def test_compile_output_inside_the_repository_refuses_a_fifo(tmp_path):
    root = _repo(tmp_path)
    import threading
    import time

    os.mkfifo(root / "graph.json")
    # A reader holds the FIFO open and drains it, so a writer never blocks (it would
    # hang the test before the fix instead of failing it).
    fd = os.open(root / "graph.json", os.O_RDONLY | os.O_NONBLOCK)
    got: list[bytes] = []
    stop = threading.Event()

    def drain() -> None:
        while not stop.is_set():
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                chunk = b""
            got.append(chunk) if chunk else time.sleep(0.01)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        rc, _, err = run_cli(root, "compile", "prod", "-o", str(root / "graph.json"))
    finally:
        stop.set()
        reader.join(timeout=10)
        os.close(fd)
    assert rc == 2 and f"{root}/graph.json: is a FIFO, not a regular file" in err
    assert got == []
    assert (root / "graph.json").is_fifo()


def test_compile_output_inside_the_repository_is_written_atomically(tmp_path):
    root = _repo(tmp_path)
    (root / "build").mkdir()
    rc, _, err = run_cli(root, "compile", "prod", "-o", str(root / "build" / "g.json"))
    assert rc == 0, err
    assert json.loads((root / "build" / "g.json").read_text())["environment"] == "prod"
    assert sorted(p.name for p in (root / "build").iterdir()) == ["g.json"]


def test_the_state_folder_is_refused_when_it_is_a_symlink(tmp_path, monkeypatch):
    root = _outputs_repo(tmp_path, monkeypatch)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / ".pulumi-state").symlink_to(outside, target_is_directory=True)
    rc, out, err = run_cli(root, "outputs", "prod")  # (every Pulumi command makes it)
    assert rc == 2 and out == ""
    assert f"{root.resolve()}/.pulumi-state: is a symbolic link" in err
    assert list(outside.iterdir()) == []


# --- the writer itself -------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/x", "a//b", "./x", "a/.."])
def test_the_writer_never_leaves_its_root(tmp_path, rel):
    from mlinfra_compile import safewrite

    root = tmp_path / "root"
    root.mkdir()
    with pytest.raises(OSError, match="not a path inside"):
        safewrite.replace(str(root), rel, "x")
    with pytest.raises(OSError, match="not a path inside"):
        safewrite.create(str(root), rel, "x")
    assert list(root.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == \
        ["root"]


def test_the_writer_creates_folders_and_never_overwrites_with_create(tmp_path):
    from mlinfra_compile import safewrite

    safewrite.create(str(tmp_path), "a/b/c.txt", "one\n")
    assert (tmp_path / "a" / "b" / "c.txt").read_text() == "one\n"
    with pytest.raises(FileExistsError):
        safewrite.create(str(tmp_path), "a/b/c.txt", "two\n")
    assert (tmp_path / "a" / "b" / "c.txt").read_text() == "one\n"
    (tmp_path / "a" / "b" / "c.txt").chmod(0o600)
    safewrite.replace(str(tmp_path), "a/b/c.txt", "three\n")
    assert (tmp_path / "a" / "b" / "c.txt").read_text() == "three\n"
    assert (tmp_path / "a" / "b" / "c.txt").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["c.txt"]


def test_compile_output_refused_inside_the_repository_is_named_as_typed(tmp_path,
                                                                         monkeypatch):
    # `-o graph.json` from the repository: the refusal names graph.json as the user wrote it
    root = _repo(tmp_path)
    ssh = _victim(tmp_path)
    (root / "graph.json").symlink_to(ssh / "authorized_keys")
    monkeypatch.chdir(root)
    rc, _, err = run_cli(root, "compile", "prod", "-o", "graph.json")
    assert rc == 2 and err == ("mlinfra: error: graph.json: is a symbolic link; mlinfra "
                               "writes nothing through a link (it may lead out of the "
                               "repository): make it a regular file\n")
    assert (ssh / "authorized_keys").read_text() == VICTIM
