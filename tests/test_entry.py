"""The console script's quick path for `mlinfra lint FILE...` (the commit hook): it skips
click, and for every line it takes it must read what click reads. click's own parse of
the same line, through cli.py, is the oracle."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mlinfra_compile import cli, commands, entry
from tests.golden import REPO

TAKEN = [
    ["lint"],
    ["lint", "environments/dev.yaml"],
    ["lint", "environments/dev.yaml", "environments/prod.yaml"],
    ["lint", "--format", "json", "environments/dev.yaml"],
    ["lint", "--format=github", "environments/dev.yaml"],
    ["lint", "environments/dev.yaml", "--format", "json"],  # options after arguments
    ["lint", "--format", "json", "--format", "text", "a.yaml"],  # the last one wins
]
LEFT_TO_CLICK = [
    [],
    ["plan", "dev"],
    ["--root", "/tmp", "lint"],
    ["lint", "--help"],
    ["lint", "-h", "a.yaml"],
    ["lint", "--", "-odd.yaml"],
    ["lint", "--format"],  # no value: click's usage error
    ["lint", "--format", "yaml"],  # not a format: click's usage error
    ["lint", "--formats=json"],
    ["lint", ""],
    ["lint", "-"],
]


def clicks_reading(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], str]:
    seen: list[tuple[list[str], str]] = []
    monkeypatch.setattr(commands, "lint", lambda root, paths, fmt: seen.append((paths, fmt))
                        or 0)
    assert cli.main(argv) == 0
    (got,) = seen
    return got


@pytest.mark.parametrize("argv", TAKEN, ids=" ".join)
def test_the_quick_path_reads_a_lint_line_as_click_does(argv, monkeypatch):
    monkeypatch.delenv(entry.COMPLETION, raising=False)
    assert entry.lint_request(argv, {}) == clicks_reading(argv, monkeypatch)


@pytest.mark.parametrize("argv", LEFT_TO_CLICK, ids=" ".join)
def test_any_other_line_is_left_to_click(argv):
    assert entry.lint_request(argv, {}) is None


def test_shell_completion_is_left_to_click():
    assert entry.lint_request(["lint"], {entry.COMPLETION: "bash_complete"}) is None
    assert entry.lint_request(["lint"], {"OTHER": "x"}) == ([], "text")


def _child(code: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd, check=False)


def test_a_lint_of_one_file_never_loads_click():
    code = ("import sys\nfrom mlinfra_compile.entry import main\n"
            "rc = main(['lint', 'environments/dev.yaml'])\n"
            "print(rc, sorted(m for m in sys.modules if m.split('.')[0] == 'click'))")
    r = _child(code, REPO)
    assert r.stdout.strip() == "0 []", r.stderr
    assert "1 file checked, 0 errors" in r.stderr
    # and a line it leaves to click does load it, so the check above can fail
    r = _child(code.replace("'lint', 'environments/dev.yaml'", "'--root', '.', 'lint'"), REPO)
    assert r.stdout.split()[0] == "0" and "'click'" in r.stdout, r.stderr


def test_the_quick_path_fails_as_the_command_line_does(tmp_path, monkeypatch, capsys):
    (tmp_path / "environments").mkdir()
    monkeypatch.chdir(tmp_path)
    assert entry.main(["lint", "nope.yaml"]) == commands.USAGE
    assert capsys.readouterr().err == "mlinfra: error: no such file: nope.yaml\n"
    assert cli.main(["lint", "nope.yaml"]) == commands.USAGE
    assert capsys.readouterr().err == "mlinfra: error: no such file: nope.yaml\n"

    def boom(*_args):
        raise ValueError("bad \x1b[31m")

    monkeypatch.setattr(commands, "lint", boom)
    assert entry.main(["lint", "a.yaml"]) == commands.INTERNAL == 70
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "mlinfra: internal error: ValueError: bad \\e[31m"
    assert err[1].startswith("mlinfra: this is a bug in mlinfra")


def test_the_console_script_is_the_quick_path():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["mlinfra"] == "mlinfra_compile.entry:run"


def test_only_a_plain_lint_line_skips_the_full_command_line(monkeypatch, tmp_path):
    """In this process (as a mutation run sees it): the full command line is called, with
    the same arguments, exactly when the quick path does not take the line."""
    calls: list[list[str]] = []
    monkeypatch.setattr(cli, "main", lambda args: calls.append(args) or 7)
    monkeypatch.setattr(commands, "lint", lambda root, paths, fmt: 5)
    monkeypatch.delenv(entry.COMPLETION, raising=False)
    monkeypatch.chdir(tmp_path)
    assert entry.main(["lint", "a.yaml"]) == 5 and calls == []
    assert entry.main(["plan", "dev"]) == 7 and calls == [["plan", "dev"]]
    monkeypatch.setattr(sys, "argv", ["mlinfra", "graph", "prod"])
    assert entry.main() == 7 and calls[-1] == ["graph", "prod"]
    monkeypatch.setattr(sys, "argv", ["mlinfra", "lint", "b.yaml"])
    assert entry.main() == 5 and len(calls) == 2


def test_the_quick_path_hands_lint_the_paths_and_format_it_read(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(commands, "lint", lambda root, paths, fmt: seen.append(
        (root, paths, fmt)) or 0)
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "environments" / "sub")
    assert entry.main(["lint", "--format", "json", "x.yaml", "y.yaml"]) == 0
    import os

    assert seen == [(os.path.realpath(tmp_path), ["x.yaml", "y.yaml"], "json")]


def test_the_version_line_is_the_one_click_prints(capsys, monkeypatch):
    monkeypatch.delenv(entry.COMPLETION, raising=False)
    assert cli.main(["--version"]) == 0
    clicks = capsys.readouterr().out
    assert entry.main(["--version"]) == 0
    assert capsys.readouterr().out == clicks and clicks.startswith("mlinfra, version ")


@pytest.mark.parametrize(("argv", "environ"), [
    (["--version"], {entry.COMPLETION: "bash_complete"}),  # completion: click's
    (["--version", "lint"], {}),
    (["lint", "--version"], {}),
])
def test_any_other_version_line_is_left_to_click(argv, environ, monkeypatch):
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    seen: list[list[str]] = []
    monkeypatch.setattr(cli, "main", lambda args: seen.append(args) or 7)
    monkeypatch.setattr(entry, "version", lambda: 0)
    assert entry.main(argv) == 7 and seen == [argv]


def test_the_version_needs_no_click():
    code = ("import sys; from mlinfra_compile.entry import main; main(['--version']); "
            "print('click' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True).stdout.splitlines()
    assert out[0].startswith("mlinfra, version ") and out[1] == "False"


def test_a_one_file_lint_loads_no_module_it_does_not_use():
    """What a commit hook runs pays for no module it does not use: click (and its
    `inspect`), and `dataclasses`, which imports `inspect` too and costs a third of a
    millisecond per class defined (the records a lint makes are NamedTuples and plain
    classes); nor `subprocess` (with `threading`, `signal`, `selectors`, `locale`): a
    lint runs no command. The lint must be seen to run to its end: dev.yaml lints clean
    (0)."""
    import tests.forking

    if tests.forking.in_mutmuts_copy():
        pytest.skip("mutmut's trampolines import inspect themselves")
    code = ("import sys; from mlinfra_compile.entry import main; "
            "code = main(['lint', 'environments/dev.yaml']); "
            "print(code, *(m in sys.modules for m in ('click', 'dataclasses', 'inspect', "
            "'subprocess')))")
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True)
    assert ran.stdout.splitlines()[-1] == "0 False False False False", ran.stdout + ran.stderr
