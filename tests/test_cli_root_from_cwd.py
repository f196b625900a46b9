"""Without --root, every command but the commit hook's lint finds the repository as git
finds .git: the first folder holding environments/, walking up from the working
directory (workspace.find_root). Run in-process through cli.main, as the console script
runs it."""

from __future__ import annotations

import contextlib
import io

from mlinfra_compile.cli import main
from tests.test_repository import write

AWS = "profile: development\nproviders:\n  aws: {region: us-east-1}\nqueues:\n  jobs: {}\n"


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_a_command_run_below_the_repository_finds_it(tmp_path, monkeypatch):
    root = write(tmp_path, {"dev.yaml": AWS})
    (root / "docs" / "deep").mkdir(parents=True)
    monkeypatch.chdir(root / "docs" / "deep")
    code, out, err = _run("explain", "dev", "queues.jobs.visibility_timeout")
    # (30 s: SQS's default visibility timeout, "Amazon SQS visibility timeout")
    assert (code, out, err) == (0, 'dev: queues.jobs.visibility_timeout = "30s"\n'
                                   "  SQS default; not set in environments/dev.yaml\n", "")


def test_outside_any_repository_the_working_directory_is_named(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path / "empty")
    code, out, err = _run("plan", "dev")
    assert code != 0 and out == ""
    assert f"{tmp_path / 'empty'} has no environments/ folder" in err
