"""Every subcommand as a function that returns its exit code (docs/design.md, Exit codes).

Exit codes: 0 ok; 1 the configuration has errors; 2 usage error; 3 an unsafe change was
refused; 4 a required outside tool is missing or failed; 70 internal error.
"""

from __future__ import annotations

import os
import sys

from . import formats
from .diagnostics import Diagnostic, has_errors, render, sort_unique
from .formats import DIAGNOSTICS
from .output import out
from .repository import Repository, add_related, dependents
from .resolve import (
    Compiled,
    UsageError,
    Workspace,
    compile_environment,
    is_partial,
    load_chain,
    stem_of,
)
from .salvage import part_of

OK, CONFIG_ERROR, USAGE, UNSAFE, TOOL, INTERNAL = 0, 1, 2, 3, 4, 70

# The environment compiled last, left for the process's exit to free (failures.finish
# exits without the interpreter's teardown): freeing a compile of 10,000 declarations
# object by object was 7% of its lint. One at a time: each is let go before the next
# compile, so a lint of every file holds no more than before.
_LAST: list[Compiled] = []


def _kept(c: Compiled) -> Compiled:
    _LAST[:] = [c]
    return c


def lint_files(ws: Workspace, paths: list[str],
               repo: Repository | None = None) -> tuple[list[Diagnostic], int]:
    """Diagnostics for every file; each non-partial one is compiled too, and what it
    claims in the cloud goes to `repo` for the checks across stacks."""
    diags: list[Diagnostic] = []
    for path in paths:
        try:
            if is_partial(stem_of(path)):
                diags.extend(load_chain(ws, path).diagnostics)
            else:
                _LAST.clear()
                c = _kept(compile_environment(ws, path, origins=False))
                diags.extend(c.diagnostics)
                if repo is not None:
                    repo.add(c)
                ws.forget(path)
        except Exception as exc:  # one bad file never hides the others' diagnostics
            import traceback

            where = traceback.extract_tb(exc.__traceback__)[-1]
            diags.append(Diagnostic(ws.display(path), 1, 1, "MLC900", "",
                                    f"internal error ({type(exc).__name__} at "
                                    f"{os.path.basename(where.filename)}:{where.lineno}); "
                                    "please report it with this file"))
    return sort_unique(diags), len(paths)


def check_files(ws: Workspace, paths: list[str], *,
                whole: bool = False) -> tuple[list[Diagnostic], int]:
    """lint_files, then the checks across stacks (repository.py): with `whole`, `paths`
    are every file of the repository; else the other stacks needed are read too."""
    repo = Repository()
    diags, n = lint_files(ws, paths, repo)
    if not whole:
        add_related(ws, repo, paths)
    return sort_unique([*diags, *repo.diagnostics()]), n


def _expand(ws: Workspace, paths: list[str]) -> list[str]:
    if not paths:
        return ws.environment_files()
    out: list[str] = []
    for p in paths:
        if not os.path.lexists(p) and os.path.lexists(os.path.join(ws.root, p)):
            p = os.path.join(ws.root, p)  # relative to --root rather than to the cwd
        if os.path.isdir(p):
            out.extend(os.path.join(p, n) for n in sorted(os.listdir(p))
                       if n.endswith((".yaml", ".yml")))
        elif os.path.exists(p) or os.path.islink(p):
            out.append(p)
        else:
            raise UsageError(f"no such file: {p}")
    return out + dependents(ws, out)


def lint(root: str, paths: list[str], fmt: str) -> int:
    ws = Workspace(root)
    files = _expand(ws, paths)
    if not files:
        out(f"mlinfra: no environment files in {ws.display(ws.env_dir)}/\n", sys.stderr)
        return CONFIG_ERROR
    diags, n = check_files(ws, files, whole=not paths)
    if not paths:  # the whole repository: also the files init wrote (repofiles.py)
        from .repofiles import check

        diags = sort_unique([*diags, *check(ws)])
    out(render(diags, fmt), raw=DIAGNOSTICS[fmt].raw)
    if DIAGNOSTICS[fmt].notes:
        errors = sum(1 for d in diags if d.severity == "error")
        plural = ("s" if n != 1 else "", "s" if errors != 1 else "")
        summary = f"{n} file{plural[0]} checked, {errors} error{plural[1]}"
        out(summary + "\n", sys.stderr)
    if any(d.code == "MLC900" for d in diags):
        return INTERNAL
    return CONFIG_ERROR if has_errors(diags) else OK


def compile_env(root: str, env: str, *, origins: bool = True) -> Compiled | int:
    """The environment ENV of the repository at `root` compiled, its diagnostics on
    stderr; CONFIG_ERROR when it does not compile (UsageError for a partial). `origins`:
    keep each argument's origin (compile_environment); False where none is shown."""
    ws = Workspace(root)
    path = ws.find(env)
    if is_partial(stem_of(path)):
        raise UsageError(f"{ws.display(path)} is a partial (its name starts with `_`): it is "
                         "shared by `extends` and is not an environment; lint checks it")
    _LAST.clear()
    c = _kept(compile_environment(ws, path, origins=origins))
    if c.diagnostics:
        out(render(c.diagnostics, "text"), sys.stderr)
    if c.graph is None:
        return CONFIG_ERROR
    return c


def compile_stack(root: str, env: str, *, origins: bool) -> Compiled | int:
    """compile_env, then the checks across stacks (repository.py): deploy and destroy act on
    the cloud, where a resource another stack also claims would be changed or deleted
    under that stack."""
    c = compile_env(root, env, origins=origins)
    if isinstance(c, int):
        return c
    ws = Workspace(root)
    repo = Repository()
    repo.add(c)
    add_related(ws, repo, [c.path])
    diags = sort_unique(repo.diagnostics())
    if diags:
        out(render(diags, "text"), sys.stderr)
        return CONFIG_ERROR
    return c


def write_atomically(path: str, text: str, root: str | None = None) -> None:
    """Write `text` to `path` as `-o` promises (safewrite.write_output): inside the
    repository `root`, atomically and never through a link or into a special file;
    elsewhere where the user pointed it, a link's target or a device included."""
    from .safewrite import write_output

    write_output(path, text, root)


def compile_cmd(root: str, env: str, output: str | None) -> int:
    c = compile_env(root, env, origins=False)
    if isinstance(c, int):
        return c
    assert c.graph is not None
    text = c.graph.dumps()
    if output and output != "-":
        write_atomically(output, text, root)
    else:
        out(text)
    return OK


def plan(root: str, env: str, fmt: str) -> int:
    c = compile_env(root, env)
    if isinstance(c, int):
        return c
    # (the plan's only reference to the compile, so it can let it go before its last
    # line: report.plan_pieces)
    pieces = formats.pieces(formats.PLAN, fmt, c)
    _LAST.clear()
    del c
    out(pieces)
    return OK


def cost(root: str, env: str, fmt: str) -> int:
    from .cost import estimate

    c = compile_env(root, env, origins=False)
    if isinstance(c, int):
        return c
    assert c.graph is not None
    # Only the graph is priced: the rest of the compile (the files read, their merge,
    # the declarations) is let go first. At 10,000 declarations that is a fifth of the
    # peak memory, for 1% more instructions (freeing it).
    graph = c.graph
    _LAST.clear()
    del c
    out(formats.pieces(formats.COST, fmt, estimate(graph.to_json())))
    return OK


def picture(root: str, env: str, fmt: str) -> int:
    c = compile_env(root, env, origins=False)
    if isinstance(c, int):
        return c
    assert c.graph is not None
    out(formats.render(formats.PICTURE, fmt, c.graph))
    return OK


def explain(root: str, env: str, key: str) -> int:
    from .report import ExplainError, explain_text

    ws = Workspace(root)
    path = ws.find(env)
    c = compile_environment(ws, path)
    # (a part with schema errors is left out of the compile: its errors explain it)
    if c.merged is None or part_of(tuple(key.split("."))) in c.merged.files[-1].failed:
        out(render(c.diagnostics, "text"), sys.stderr)
        return CONFIG_ERROR
    try:
        out(explain_text(c, key))
    except ExplainError as exc:
        raise UsageError(str(exc)) from None
    return OK


def schema() -> int:
    from .schema import schema_text

    out(schema_text())
    return OK


def new(root: str, env: str, source: str | None, profile: str | None) -> int:
    from .scaffold import new_environment

    ws = Workspace(root)
    path, note = new_environment(ws, env, source, profile)
    out(f"wrote {ws.display(path)}\n", sys.stderr)
    if note:
        out(note + "\n", sys.stderr)
    diags = check_files(Workspace(root), [path])[0]
    if has_errors(diags):
        out("still to fill in or fix (mlinfra lint):\n" + render(diags, "text"), sys.stderr)
    out(f"next: edit it, then `mlinfra plan {env}`\n", sys.stderr)
    return OK
