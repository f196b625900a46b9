"""One reader for every byte mlinfra did not write (reading.py): files at a git ref, the
FIFOs and links to /dev/stdin among the environments, and what Pulumi prints. Each size
or time case runs mlinfra in a child under setrlimit (1 GiB of address space, 20 s of
CPU) and a wall-clock limit, so a regression fails fast instead of eating the machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlinfra_compile import reading
from tests.golden import REPO, committed_repo, git

MIB = 1024 * 1024
GCP = "providers: {gcp: {project: acme-ml-test, region: us-central1}}\n"
ENV = GCP + "queues:\n  jobs: {name: ml-jobs}\n"

# Runs argv[1:] under the limits; its exit status and peak RSS (KiB) go to the file named
# by STATS. A child that is still running after LIMIT_S seconds (a read blocked on a FIFO
# uses no CPU, so RLIMIT_CPU alone would not end it) is killed: status -9.
SHIM = """\
import os, resource, subprocess, sys, threading
for limit, value in ((resource.RLIMIT_AS, 2**30), (resource.RLIMIT_CPU, 20)):
    resource.setrlimit(limit, (value, value))
p = subprocess.Popen(sys.argv[1:])
threading.Timer(float(os.environ["LIMIT_S"]), p.kill).start()
_, status, usage = os.wait4(p.pid, 0)
with open(os.environ["STATS"], "w") as fh:
    fh.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
os._exit(0)
"""


def limited(tmp_path: Path, root: Path, *args: str, stdin: int | None = None,
            env: dict[str, str] | None = None, limit_s: float = 30) -> tuple[int, str, str,
                                                                               float]:
    """(exit status, stdout, stderr, peak MiB) of `mlinfra --root ROOT ARGS` run in ROOT
    under SHIM; stdin defaults to /dev/null."""
    stats = tmp_path / "stats.txt"
    proc = subprocess.run(
        [sys.executable, "-c", SHIM, sys.executable, "-m", "mlinfra_compile", "--root",
         str(root), *args], capture_output=True, text=True, timeout=limit_s + 30,
        stdin=subprocess.DEVNULL if stdin is None else stdin,
        env={**(env or os.environ), "PYTHONPATH": str(REPO), "STATS": str(stats),
             "LIMIT_S": str(limit_s)}, cwd=root, check=False)
    code, peak_kib = (int(x) for x in stats.read_text().split())
    return code, proc.stdout, proc.stderr, peak_kib / 1024


# --- the git baseline keeps the working tree's limits -----------------------------------

def committed(tmp_path: Path, head: dict[str, bytes]) -> Path:
    """A repository whose HEAD holds `head` under environments/, and whose working tree
    then holds a small dev.yaml that compiles."""
    root = committed_repo(tmp_path, dict(head))
    (root / "environments" / "dev.yaml").write_text(ENV)
    return root


def padded(size: int) -> bytes:
    """A valid environment of exactly `size` bytes (a long comment fills it)."""
    head = ENV.encode() + b"# "
    return head + b"x" * (size - len(head) - 1) + b"\n"


@pytest.mark.parametrize("size", [3_200_000, MIB + 1])
def test_a_file_too_large_at_the_ref_is_refused_before_it_is_read(tmp_path, size):
    root = committed(tmp_path, {"dev.yaml": padded(size)})
    code, _, err, peak = limited(tmp_path, root, "diff", "dev")
    assert code == 1, err
    assert (f"HEAD:environments/dev.yaml:1:1: error: file is {size} bytes at HEAD; the "
            "limit is 1048576 bytes (1 MiB) [MLC101]\n") in err
    assert peak < 150, f"{peak:.0f} MiB"


def test_a_file_of_exactly_the_limit_at_the_ref_is_read(tmp_path):
    root = committed(tmp_path, {"dev.yaml": padded(MIB)})
    code, out, err, _ = limited(tmp_path, root, "diff", "dev")
    assert code == 0 and "MLC101" not in out + err, err


def _link_blob(root: Path, name: str, target: bytes) -> None:
    """Commit environments/NAME as a link to `target`: git stores a link blob of any
    size, though no working tree could hold one longer than a path."""
    blob = subprocess.run(["git", "-C", str(root), "hash-object", "-w", "--stdin"],
                          input=target, capture_output=True, check=True).stdout.decode()
    git(root, "update-index", "--add", "--cacheinfo", f"120000,{blob.strip()},"
        f"environments/{name}")
    git(root, "commit", "-qm", "link")


def test_a_link_too_long_at_the_ref_is_refused_before_it_is_read(tmp_path):
    root = committed(tmp_path, {"other.yaml": ENV.encode()})
    _link_blob(root, "dev.yaml", b"a/" * 1_600_000 + b"x.yaml")  # 3.2 MB
    code, _, err, peak = limited(tmp_path, root, "diff", "dev")
    assert code == 1, err
    assert ("HEAD:environments/dev.yaml:1:1: error: the file is a link of 3200006 bytes "
            "at HEAD; a link holds a path of at most 4096 bytes [MLC101]\n") in err
    assert peak < 150, f"{peak:.0f} MiB"


@pytest.mark.parametrize("size", [4096, 4097])
def test_a_link_is_read_up_to_the_longest_path(tmp_path, size):
    root = committed(tmp_path, {"other.yaml": ENV.encode()})
    _link_blob(root, "dev.yaml", b"a" * (size - 5) + b".yaml")
    code, _, err, _ = limited(tmp_path, root, "diff", "dev")
    assert code == 1, err
    # 4096 bytes: read and followed, to a file that does not exist at the ref
    assert ("[MLC101]" in err) == (size > 4096) and ("[MLC602]" in err) == (size <= 4096)


def test_a_submodule_at_the_ref_is_not_read_as_a_file(tmp_path):
    # A submodule entry (a gitlink, mode 160000) named like an environment, pointing at
    # a commit of this very repository that adds 3.2 MB: `git show` would print it all.
    root = committed(tmp_path, {"big.txt": b"x" * 3_200_000})
    commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"],
                            capture_output=True, text=True, check=True).stdout.strip()
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{commit},environments/dev.yaml")
    git(root, "commit", "-qm", "submodule")
    code, _, err, peak = limited(tmp_path, root, "diff", "dev")
    assert code == 1, err
    assert ("HEAD:environments/dev.yaml:1:1: error: environments/dev.yaml is a submodule "
            "at HEAD, not a file; environment files are plain files [MLC114]\n") in err
    assert peak < 150, f"{peak:.0f} MiB"


# --- FIFOs and links to /dev/stdin among the environments -------------------------------

def hostile_folder(tmp_path: Path) -> Path:
    """dev.yaml (which fixes a name, so `lint dev.yaml` reads the other stacks to check
    for clashes), a link to /dev/stdin, a FIFO, and two files extending each."""
    root = tmp_path / "repo"
    env = root / "environments"
    env.mkdir(parents=True)
    (env / "dev.yaml").write_text(ENV)
    (env / "evil.yaml").symlink_to("/dev/stdin")
    os.mkfifo(env / "x.yaml")
    (env / "on-evil.yaml").write_text("extends: evil\n" + GCP)
    (env / "on-x.yaml").write_text("extends: x\n" + GCP)
    return root


def lint_with_stdin_open(tmp_path: Path, root: Path, *args: str) -> tuple[int, str, str]:
    """`mlinfra lint ARGS` with standard input a pipe nobody writes to or closes: a read
    of /dev/stdin or of the FIFO would wait forever (and the child is killed at 20 s)."""
    read_end, write_end = os.pipe()
    try:
        code, out, err, _ = limited(tmp_path, root, "lint", *args, stdin=read_end,
                                    limit_s=20)
    finally:
        os.close(read_end)
        os.close(write_end)
    return code, out, err


def test_lint_file_reads_no_fifo_and_no_stdin(tmp_path):
    root = hostile_folder(tmp_path)
    code, out, err = lint_with_stdin_open(tmp_path, root, "environments/dev.yaml")
    assert (code, out, err) == (0, "", "1 file checked, 0 errors\n")


def test_lint_reports_the_fifo_and_the_link_to_stdin(tmp_path):
    root = hostile_folder(tmp_path)
    code, out, err = lint_with_stdin_open(tmp_path, root)
    assert code == 1, err
    # The same text on every run: not /proc/PID/fd/pipe:[N], which /dev/stdin resolves to.
    assert out == (
        f"environments/evil.yaml:1:1: error: the file is a link to /dev/stdin, outside the "
        f"repository {root}; environment files must live in it [MLC115]\n"
        "environments/on-evil.yaml:1:1: error: extends: extends evil, which has errors "
        "[MLC314]\n"
        "environments/on-x.yaml:1:1: error: extends: extends x, which has errors [MLC314]\n"
        "environments/x.yaml:1:1: error: not a regular file (a FIFO, socket or device); "
        "environment files are plain files [MLC114]\n")


@pytest.mark.parametrize("name, code", [("on-evil", "MLC115"), ("on-x", "MLC114")])
def test_lint_file_names_why_the_file_it_extends_cannot_be_read(tmp_path, name, code):
    # (not "no file environments/x.yaml to extend (did you mean 'x'?)")
    root = hostile_folder(tmp_path)
    rc, out, _ = lint_with_stdin_open(tmp_path, root, f"environments/{name}.yaml")
    parent = name.removeprefix("on-")
    assert rc == 1 and "[MLC301]" not in out
    assert f"environments/{parent}.yaml:1:1: error: " in out and f"[{code}]\n" in out
    assert f"environments/{name}.yaml:1:1: error: extends: extends {parent}, which has " \
           "errors [MLC314]\n" in out


@pytest.mark.parametrize("env, code", [("x", "MLC114"), ("evil", "MLC115")])
def test_a_command_named_a_fifo_says_why_it_cannot_be_read(tmp_path, env, code):
    root = hostile_folder(tmp_path)
    read_end, write_end = os.pipe()
    try:
        rc, _, err, _ = limited(tmp_path, root, "plan", env, stdin=read_end, limit_s=20)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert rc == 1 and f"environments/{env}.yaml:1:1: error: " in err \
        and f"[{code}]\n" in err, err


@pytest.mark.parametrize("outside", [True, False])
def test_adopt_reads_pulumi_yaml_only_inside_the_repository(tmp_path, outside):
    from tests.golden import run_cli
    from tests.test_adopt import REDIS_STATE, new_repo

    root = new_repo(tmp_path)
    project = tmp_path / "elsewhere.yaml" if outside else root / "project.yaml"
    project.write_text("name: elsewhere\nruntime: python\n")
    (root / "Pulumi.yaml").unlink()
    (root / "Pulumi.yaml").symlink_to(project)
    rc, _, err = run_cli(root, "adopt", str(REDIS_STATE), "sessions", "--same-stack")
    assert rc == 0, err
    # outside: the project of the state's URNs, urn:pulumi:dev::ml-session-storage::...
    name = "ml-session-storage" if outside else "elsewhere"
    assert f"`pulumi stack rename organization/{name}/sessions --stack dev`" in err, err


# --- what Pulumi prints: at most the 64 MiB a state file may hold -----------------------

# The stand-in prints 100 MB (in 1 MiB writes, so it never holds them) where mlinfra
# expects a JSON object, on the output it is told, for the command it is told.
FLOOD = """\
import os, sys
command, stream = os.environ["FLOOD"].split(":")
if sys.argv[1:3] == ["stack", command]:
    out = sys.stdout.buffer if stream == "stdout" else sys.stderr.buffer
    out.write(b'{"a": "')
    for _ in range(100):
        out.write(b"x" * (1 << 20))
    out.write(b'"}')
    sys.exit(0 if stream == "stdout" else 1)
if sys.argv[1:3] in (["stack", "output"], ["stack", "export"]):
    print("{}")
"""


def pulumi_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    import shutil
    import stat

    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    (root / "Pulumi.yaml").write_text((REPO / "Pulumi.yaml").read_text())
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "pulumi"
    exe.write_text(f"#!{sys.executable}\n{FLOOD}")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return root, {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.parametrize("flood, args", [
    ("output:stdout", ("outputs", "dev")),
    ("output:stdout", ("deploy", "dev", "--yes")),
    ("export:stdout", ("diff", "dev", "--against-stack")),
    ("export:stdout", ("deploy", "dev", "--yes")),
    ("output:stderr", ("outputs", "dev")),
])
def test_pulumi_printing_100_mb_is_stopped_at_64_mib(tmp_path, flood, args):
    root, env = pulumi_repo(tmp_path)
    env["FLOOD"] = flood
    code, out, err, peak = limited(tmp_path, root, *args, env=env)
    command, stream = flood.split(":")
    where = "" if stream == "stdout" else " on its error output"
    assert code == 4, err[-2000:]
    assert f"mlinfra: error: `pulumi stack {command}` printed more than 64 MiB{where}, " \
           "more than mlinfra reads; it was stopped" in err
    assert "Traceback" not in err and len(out) < 10_000
    assert peak < 200, f"{peak:.0f} MiB"  # 64 MiB read, never the 100 MB, never parsed


# --- the reader itself ------------------------------------------------------------------

@pytest.mark.parametrize("size, kept", [(0, True), (10, True), (11, False)])
def test_read_file_keeps_the_cap(tmp_path, size, kept):
    path = tmp_path / "f"
    path.write_bytes(b"y" * size)
    got = reading.read_file(str(path), 10)
    assert got == (b"y" * size if kept else reading.Refusal("size", size))


def test_read_file_refuses_what_is_not_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    for path in (tmp_path / "fifo", Path(os.devnull), tmp_path):
        assert reading.read_file(str(path), 10) == reading.Refusal("type"), path
    assert reading.read_file(str(tmp_path / "missing"), 10) == \
        reading.Refusal("error", detail="No such file or directory")


@pytest.mark.parametrize("size, cap, overflow", [(10, 10, ""), (11, 10, "stdout"),
                                                 (0, 10, ""), (200_000, 100_000, "stdout")])
def test_run_keeps_the_cap_of_each_output(size, cap, overflow):
    script = f"import sys; sys.stdout.write('z' * {size}); sys.stderr.write('e')"
    got = reading.run([sys.executable, "-c", script], cap)
    assert got.overflow == overflow
    assert got.stdout == (b"" if overflow else b"z" * size)
    if not overflow:
        assert (got.returncode, got.stderr) == (0, b"e")


def test_run_stops_a_command_whose_error_output_passes_the_cap():
    script = "import sys\nwhile True: sys.stderr.write('e' * 65536)"
    got = reading.run([sys.executable, "-c", script], 100_000)
    assert got.overflow == "stderr" and got.returncode != 0 and got.stderr == b""
