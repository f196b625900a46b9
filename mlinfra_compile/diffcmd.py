"""The commands that compare an environment with a baseline: `diff` (a git ref, a stack's
state, the live stack), `diff --all`, and `adopt`, which writes an environment from a
stack's state and compares the two. Each returns its exit code, as commands.py's do."""

from __future__ import annotations

import os
import sys
from typing import Any

from . import formats
from .commands import (
    CONFIG_ERROR,
    OK,
    TOOL,
    UNSAFE,
    USAGE,
    check_files,
    compile_env,
)
from .diagnostics import has_errors, render
from .escape import visible
from .output import out
from .resolve import Compiled, Workspace, compile_environment


def diff(root: str, env: str, against: str, allow: list[str], fmt: str,
         allow_downgrade: bool, state: str | None, stack: bool) -> int:
    """Compare ENV with the environment as it was at a git ref, or with a stack's state
    (a `pulumi stack export` file, or the live stack's); exit 3 when a production
    environment would replace or delete a stateful resource without --allow-replace, or
    go from production to development without --allow-downgrade."""
    from .diffall import allowed_in

    c = compile_env(root, env, origins=False)
    if isinstance(c, int):
        return c
    assert c.graph is not None
    if state is not None or stack:
        from .statediff import compare

        got = _state_of(root, c.env, state)
        if isinstance(got, int):
            return got
        d = compare(got[0], c.graph.to_json(), got[1])
    else:
        d = _git_diff(root, env, against, c)
        if isinstance(d, int):
            return d
    d.allow_downgrade = allow_downgrade
    allowed = allowed_in(c.env, set(allow))
    out(render_diff(d, allowed, fmt))
    return UNSAFE if d.blocked(allowed) else OK


def _git_diff(root: str, env: str, against: str, c: Compiled) -> Any:
    from .diff import diff_graphs
    from .diffall import baseline, path_at_ref
    from .gitref import GitWorkspace

    assert c.graph is not None
    gws = GitWorkspace(root, against)
    old = baseline(gws, c.path)
    if isinstance(old, list):
        out(render(old, "text"), sys.stderr)
        out(f"mlinfra: error: {env} at {against} does not compile, so there is nothing "
            "to compare against\n", sys.stderr)
        return CONFIG_ERROR
    shown = Workspace(root).display(path_at_ref(gws, c.path) or c.path)
    return diff_graphs(old, c.graph.to_json(), f"{visible(shown)} at {visible(against)}")


def _state_of(root: str, stack: str, path: str | None) -> tuple[Any, str] | int:
    """(the checkpoint, its label): the file `path`, else what `pulumi stack export`
    prints of the live stack (TOOL when Pulumi is missing, fails or prints no
    checkpoint)."""
    from .state import StateError, checkpoint, read_checkpoint

    if path is not None:
        try:
            cp = read_checkpoint(path)
        except StateError as exc:
            out(f"mlinfra: error: {exc}\n", sys.stderr)
            return USAGE
        return cp, f"state {cp.shown} (stack {visible(cp.stack)})"
    from .livestack import pulumi_json
    from .stack import pulumi_ready

    ready = pulumi_ready(root, stack)
    if isinstance(ready, int):
        return ready
    pulumi, penv, extra = ready
    doc = pulumi_json([pulumi, "stack", "export", "--stack", stack, "--cwd",
                       os.path.realpath(root), *extra], penv,
                      f"; cannot compare {stack} with its live stack")
    if isinstance(doc, int):
        return doc
    try:
        return checkpoint(doc, "`pulumi stack export`"), f"stack {stack} as exported"
    except StateError as exc:
        out(f"mlinfra: error: {exc}\n", sys.stderr)
        return TOOL


def diff_all(root: str, against: str, allow: list[str], fmt: str,
             allow_downgrade: bool) -> int:
    """Every stack against a git ref, one report; the worst stack's exit status."""
    from .diffall import compare_all

    report = compare_all(root, against, set(allow), allow_downgrade)
    out(formats.render(formats.DIFF_ALL, fmt, report))
    return report.code


def render_diff(d: Any, allowed: set[str], fmt: str) -> str:
    return formats.render(formats.DIFF, fmt, d, allowed)


def adopt(root: str, state: str, env: str, same_stack: bool, partial: bool) -> int:
    """Write environments/ENV.yaml from a stack export, check it, and compare it with the
    state: exit 0 only when nothing would be created, replaced or deleted (1 when
    something is not expressed, unless --partial)."""
    from .adopt import adopt_stack
    from .state import StateError, read_checkpoint
    from .statediff import compare

    try:
        cp = read_checkpoint(state)
    except StateError as exc:
        out(f"mlinfra: error: {exc}\n", sys.stderr)
        return USAGE
    ws = Workspace(root)
    written = adopt_stack(ws, cp, env, same_stack=same_stack)
    out(f"wrote {ws.display(written.path)}\n", sys.stderr)
    out("".join(f"mlinfra: not expressed: {visible(m)}\n" for m in written.missing),
        sys.stderr)
    out("".join(f"mlinfra: stays with the old stack: {visible(m)}\n" for m in written.left),
        sys.stderr)
    diags = check_files(Workspace(root), [written.path])[0]
    if diags:
        out(render(diags, "text"), sys.stderr)
    c = compile_environment(Workspace(root), written.path, origins=False)
    if has_errors(diags) or c.graph is None:
        return CONFIG_ERROR
    d = compare(cp, c.graph.to_json(), f"state {cp.shown} (stack {visible(cp.stack)})")
    out(render_diff(d, set(), "text"))
    out(written.steps, sys.stderr)
    if written.missing and not partial:
        return CONFIG_ERROR
    n = d.counts()
    return UNSAFE if n["create"] or n["replace"] or n["delete"] or d.refused() else OK
