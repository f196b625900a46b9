"""commands.lint_files: the diagnostics of every file, and for a file whose check raised,
one MLC900 diagnostic naming the exception and where it was raised (the innermost
frame), which never hides the other files' diagnostics."""

from __future__ import annotations

from mlinfra_compile import commands
from mlinfra_compile.diagnostics import Diagnostic
from mlinfra_compile.workspace import Workspace

GOOD = """\
environment: dev
profile: development
provider: aws
providers:
  aws:
    region: us-east-1
queues:
  jobs: {}
"""
PART = "colour: 1\n"
KEYS = ("extends, environment, profile, providers, default_provider, labels, "
        "name_template, waivers, exports, session_stores, queues")


def _deepest() -> None:
    raise KeyError("boom")  # the line _deepest.__code__.co_firstlineno + 1


def _middle() -> None:
    _deepest()


def _outer() -> None:
    _middle()


def test_an_exception_in_one_file_is_mlc900_and_the_others_are_still_told(repo,
                                                                         monkeypatch):
    repo.write("good.yaml", GOOD)
    repo.write("bad.yaml", GOOD)
    repo.write("_part.yaml", PART)
    real = commands.compile_environment

    def compile_or_raise(ws, path, **keep):
        if path.endswith("bad.yaml"):
            _outer()  # lint_files -> here -> _outer -> _middle -> _deepest
        return real(ws, path, **keep)

    monkeypatch.setattr(commands, "compile_environment", compile_or_raise)
    ws = Workspace(str(repo.root))
    env = repo.root / "environments"
    paths = [str(env / n) for n in ("good.yaml", "bad.yaml", "_part.yaml")]
    line = _deepest.__code__.co_firstlineno + 1
    assert commands.lint_files(ws, paths) == ([
        Diagnostic("environments/_part.yaml", 1, 1, "MLC201", "colour",
                   f"unknown key 'colour'; expected one of: {KEYS}"),
        Diagnostic("environments/bad.yaml", 1, 1, "MLC900", "",
                   f"internal error (KeyError at test_lint_internal_error.py:{line}); "
                   "please report it with this file"),
        Diagnostic("environments/good.yaml", 3, 1, "MLC201", "provider",
                   "unknown key 'provider' (did you mean 'providers'?)"),
    ], 3)


def test_an_exception_reading_a_partial_file_is_mlc900_too(repo, monkeypatch):
    # a partial file (its stem starts with "_") is only loaded, never compiled
    repo.write("_part.yaml", PART)
    repo.write("good.yaml", GOOD)

    def load_raises(ws, path):
        raise MemoryError

    monkeypatch.setattr(commands, "load_chain", load_raises)
    ws = Workspace(str(repo.root))
    env = repo.root / "environments"
    line = load_raises.__code__.co_firstlineno + 1
    diags, n = commands.lint_files(ws, [str(env / "_part.yaml"), str(env / "good.yaml")])
    assert (diags, n) == ([
        Diagnostic("environments/_part.yaml", 1, 1, "MLC900", "",
                   f"internal error (MemoryError at test_lint_internal_error.py:{line}); "
                   "please report it with this file"),
        Diagnostic("environments/good.yaml", 3, 1, "MLC201", "provider",
                   "unknown key 'provider' (did you mean 'providers'?)"),
    ], 2)
