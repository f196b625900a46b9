"""MLC117 in-process: each line of the files `mlinfra init` pins mlinfra in where the
install placeholder TODO-mlinfra-source is left, outside a comment. The whole diagnostics
(file, line, column, code, path, message, severity) and the whole line lint prints are
written out here; lines and columns are counted by hand (1-based, as editors show them).
(The same check on files init really wrote: tests/test_install.py, in a child process.)"""

from __future__ import annotations

from pathlib import Path

from mlinfra_compile.repofiles import placeholders
from mlinfra_compile.resolve import Workspace
from tests.golden import run_cli

MESSAGE = ("TODO-mlinfra-source stands where mlinfra is installed from: replace it with a "
           "source your team and CI can install, such as git+URL@COMMIT (the same in "
           "requirements.txt, .pre-commit-config.yaml and .github/workflows/mlinfra.yml)")

REQUIREMENTS = (
    "# a comment that names TODO-mlinfra-source is not a placeholder\n"   # 1: comment
    "   # nor an indented one: TODO-mlinfra-source\n"                      # 2: comment
    "mlinfra-compile @ TODO-mlinfra-source\n"                              # 3: col 19
    "x TODO-mlinfra-source TODO-mlinfra-source\n"                          # 4: col 3, the first
    "pyyaml>=6\n")                                                         # 5: no placeholder
PRE_COMMIT = "repos:\n  - repo: TODO-mlinfra-source\n"                     # 2: col 11
WORKFLOW = "on: push\njobs: {}\nenv: {MLINFRA: TODO-mlinfra-source}\n"     # 3: col 16


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def _found(tmp_path: Path, monkeypatch, files: dict[str, str]) -> list[tuple]:
    root = tmp_path / "team"
    _write(root, files)
    monkeypatch.chdir(tmp_path)  # (outside the root: a path read from here would be refused)
    return [tuple(d) for d in placeholders(Workspace(str(root)))]


def test_each_placeholder_line_outside_a_comment_is_one_error(tmp_path, monkeypatch):
    found = _found(tmp_path, monkeypatch, {
        "requirements.txt": REQUIREMENTS, ".pre-commit-config.yaml": PRE_COMMIT,
        ".github/workflows/mlinfra.yml": WORKFLOW})
    assert found == [
        ("requirements.txt", 3, 19, "MLC117", "", MESSAGE, "error"),
        ("requirements.txt", 4, 3, "MLC117", "", MESSAGE, "error"),
        (".pre-commit-config.yaml", 2, 11, "MLC117", "", MESSAGE, "error"),
        (".github/workflows/mlinfra.yml", 3, 16, "MLC117", "", MESSAGE, "error")]


def test_a_file_without_the_placeholder_does_not_stop_the_next(tmp_path, monkeypatch):
    """requirements.txt (the first file looked at) filled in, the other two not."""
    found = _found(tmp_path, monkeypatch, {
        "requirements.txt": "mlinfra-compile @ git+https://example.org/m@0123abc\n",
        ".pre-commit-config.yaml": PRE_COMMIT, ".github/workflows/mlinfra.yml": WORKFLOW})
    assert found == [
        (".pre-commit-config.yaml", 2, 11, "MLC117", "", MESSAGE, "error"),
        (".github/workflows/mlinfra.yml", 3, 16, "MLC117", "", MESSAGE, "error")]


def test_no_pinned_files_and_only_comments_are_no_error(tmp_path, monkeypatch):
    assert _found(tmp_path, monkeypatch, {}) == []
    assert _found(tmp_path, monkeypatch, {
        "requirements.txt": "# TODO-mlinfra-source\n  # TODO-mlinfra-source\n"}) == []


def test_lint_prints_the_placeholder_line(tmp_path, monkeypatch):
    root = tmp_path / "team"
    # (an environment that lints clean: lint needs one to check the repository at all)
    _write(root, {".pre-commit-config.yaml": PRE_COMMIT,
                  "environments/dev.yaml": "providers:\n  aws: {region: us-east-1}\n"
                                           "queues:\n  jobs: {}\n"})
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(root, "lint")
    assert (code, out) == (1, f".pre-commit-config.yaml:2:11: error: {MESSAGE} [MLC117]\n")
