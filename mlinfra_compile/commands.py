"""Every subcommand as a function that returns its exit code (SPEC section 6).

Exit codes: 0 ok; 1 the configuration has errors; 2 usage error; 3 an unsafe change was
refused; 4 a required outside tool is missing or failed; 70 internal error.
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any, TextIO

from .diagnostics import Diagnostic, has_errors, render, sort_unique
from .resolve import (
    Compiled,
    UsageError,
    Workspace,
    compile_environment,
    is_partial,
    load_chain,
    stem_of,
)

OK, CONFIG_ERROR, USAGE, UNSAFE, TOOL, INTERNAL = 0, 1, 2, 3, 4, 70


def _out(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text)


def lint_files(ws: Workspace, paths: list[str]) -> tuple[list[Diagnostic], int]:
    """Diagnostics for every file; each non-partial one is compiled too."""
    diags: list[Diagnostic] = []
    for path in paths:
        if is_partial(stem_of(path)):
            diags.extend(load_chain(ws, path).diagnostics)
        else:
            diags.extend(compile_environment(ws, path).diagnostics)
    return sort_unique(diags), len(paths)


def _expand(ws: Workspace, paths: list[str]) -> list[str]:
    if not paths:
        return ws.environment_files()
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            out.extend(os.path.join(p, n) for n in sorted(os.listdir(p))
                       if n.endswith((".yaml", ".yml")))
        elif os.path.exists(p) or os.path.islink(p):
            out.append(p)
        else:
            raise UsageError(f"no such file: {p}")
    return out


def lint(root: str, paths: list[str], fmt: str) -> int:
    ws = Workspace(root)
    files = _expand(ws, paths)
    if not files:
        _out(f"mlinfra: no environment files in {ws.display(ws.env_dir)}/\n", sys.stderr)
        return CONFIG_ERROR
    diags, n = lint_files(ws, files)
    _out(render(diags, fmt))
    if fmt == "text":
        errors = sum(1 for d in diags if d.severity == "error")
        plural = ("s" if n != 1 else "", "s" if errors != 1 else "")
        summary = f"{n} file{plural[0]} checked, {errors} error{plural[1]}"
        _out(summary + "\n", sys.stderr)
    return CONFIG_ERROR if has_errors(diags) else OK


def _compile(root: str, env: str) -> Compiled | int:
    ws = Workspace(root)
    path = ws.find(env)
    if is_partial(stem_of(path)):
        raise UsageError(f"{ws.display(path)} is a partial (its name starts with `_`): it is "
                         "shared by `extends` and is not an environment; lint checks it")
    c = compile_environment(ws, path)
    if c.diagnostics:
        _out(render(c.diagnostics, "text"), sys.stderr)
    if c.graph is None:
        return CONFIG_ERROR
    return c


def write_atomically(path: str, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: readers see the old file or
    the new one, never half of one."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".mlinfra-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def compile_cmd(root: str, env: str, output: str | None) -> int:
    c = _compile(root, env)
    if isinstance(c, int):
        return c
    assert c.graph is not None
    text = c.graph.dumps()
    if output and output != "-":
        write_atomically(output, text)
    else:
        _out(text)
    return OK


def plan(root: str, env: str, fmt: str = "text") -> int:
    c = _compile(root, env)
    if isinstance(c, int):
        return c
    if fmt == "markdown":
        from .markdown import plan_markdown

        _out(plan_markdown(c))
    else:
        from .report import plan_text

        _out(plan_text(c))
    return OK


def picture(root: str, env: str, fmt: str) -> int:
    from .picture import dot, mermaid

    c = _compile(root, env)
    if isinstance(c, int):
        return c
    assert c.graph is not None
    _out(mermaid(c.graph) if fmt == "mermaid" else dot(c.graph))
    return OK


def explain(root: str, env: str, key: str) -> int:
    from .report import ExplainError, explain_text

    ws = Workspace(root)
    path = ws.find(env)
    c = compile_environment(ws, path)
    if c.merged is None:
        _out(render(c.diagnostics, "text"), sys.stderr)
        return CONFIG_ERROR
    try:
        _out(explain_text(c, key))
    except ExplainError as exc:
        raise UsageError(str(exc)) from None
    return OK


def schema() -> int:
    from .schema import schema_text

    _out(schema_text())
    return OK


PULUMI_INSTALL = (
    "mlinfra: error: the Pulumi CLI (`pulumi`) is not on PATH; deploy and preview run it.\n"
    "  Install it from https://www.pulumi.com/docs/iac/download-install/ "
    "(for example `curl -fsSL https://get.pulumi.com | sh`), then try again.\n"
    "  `mlinfra plan ENV` and `mlinfra compile ENV` work offline without it.\n"
)


def pulumi_environment(root: str, base: dict[str, str]) -> dict[str, str]:
    """The environment Pulumi runs in: state in a local backend inside the repository
    unless PULUMI_BACKEND_URL names another (s3://..., gs://..., a Pulumi Cloud URL)."""
    env = dict(base)
    if not env.get("PULUMI_BACKEND_URL"):
        state = os.path.join(os.path.realpath(root), ".pulumi-state")
        os.makedirs(state, exist_ok=True)
        env["PULUMI_BACKEND_URL"] = "file://" + state
    return env


def diff(root: str, env: str, against: str, allow: list[str], fmt: str) -> int:
    """Compare ENV with the environment as it was at a git ref; exit 3 when a production
    environment would replace or delete a stateful resource without --allow-replace."""
    from .diff import GitWorkspace, diff_graphs

    c = _compile(root, env)
    if isinstance(c, int):
        return c
    assert c.graph is not None
    gws = GitWorkspace(root, against)
    old_graph = None
    if gws.is_file(c.path):
        old = compile_environment(gws, c.path)
        if old.graph is None:
            _out(render(old.diagnostics, "text"), sys.stderr)
            _out(f"mlinfra: error: {env} at {against} does not compile, so there is nothing "
                 "to compare against\n", sys.stderr)
            return CONFIG_ERROR
        old_graph = old.graph.to_json()
    d = diff_graphs(old_graph, c.graph.to_json(), f"{Workspace(root).display(c.path)} at {against}")
    _out(render_diff(d, set(allow), fmt))
    return UNSAFE if d.unsafe(set(allow)) else OK


def render_diff(d: Any, allowed: set[str], fmt: str) -> str:
    from .diff import diff_text

    if fmt == "markdown":
        from .markdown import diff_markdown

        return diff_markdown(d, allowed)
    return diff_text(d, allowed)


GRAPH_OUTPUT = "_mlinfra_graph"


def deployed_graph(pulumi: str, stack: str, cwd: str, penv: dict[str, str]) -> \
        dict[str, Any] | int | None:
    """The graph the stack last deployed (the program exports it), None for a stack
    never deployed, or TOOL when Pulumi cannot tell."""
    import json
    import subprocess

    argv = [pulumi, "stack", "output", "--json", "--stack", stack, "--cwd", cwd]
    proc = subprocess.run(argv, env=penv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        _out(proc.stderr, sys.stderr)
        _out(f"mlinfra: error: `pulumi stack output` failed with exit code {proc.returncode}; "
             "cannot check the change against what is deployed\n", sys.stderr)
        return TOOL
    try:
        outputs = json.loads(proc.stdout or "{}")
        raw = outputs.get(GRAPH_OUTPUT)
        return json.loads(raw) if isinstance(raw, str) else None
    except (ValueError, AttributeError):
        _out("mlinfra: error: `pulumi stack output --json` did not print JSON\n", sys.stderr)
        return TOOL


def deploy(root: str, env: str, *, preview: bool, yes: bool, allow: list[str]) -> int:
    """Lint, compare with what the stack last deployed (refusing unsafe production
    changes), then `pulumi preview` / `pulumi up`, streaming Pulumi's own output."""
    import shutil
    import subprocess

    from .diff import diff_graphs, diff_text

    c = _compile(root, env)
    if isinstance(c, int):
        return c
    assert c.graph is not None
    stack = c.env
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        _out(PULUMI_INSTALL, sys.stderr)
        return TOOL
    penv = pulumi_environment(root, dict(os.environ))
    if penv["PULUMI_BACKEND_URL"].startswith("file://") and not (
            penv.get("PULUMI_CONFIG_PASSPHRASE") or penv.get("PULUMI_CONFIG_PASSPHRASE_FILE")):
        _out("mlinfra: note: PULUMI_CONFIG_PASSPHRASE is not set; Pulumi will ask for the "
             "passphrase that encrypts this stack's secrets\n", sys.stderr)
    interactive = sys.stdin.isatty() and not os.environ.get("CI")
    extra = [] if interactive else ["--non-interactive"]
    cwd = os.path.realpath(root)
    steps = [
        [pulumi, "stack", "select", "--create", stack, "--cwd", cwd, *extra],
        [pulumi, "preview" if preview else "up", "--stack", stack, "--cwd", cwd, *extra,
         *(["--yes"] if yes and not preview else [])],
    ]
    for i, argv in enumerate(steps):
        if i == 1:
            baseline = deployed_graph(pulumi, stack, cwd, penv)
            if isinstance(baseline, int):
                return baseline
            d = diff_graphs(baseline, c.graph.to_json(), f"stack {stack} as deployed")
            _out(diff_text(d, set(allow)), sys.stderr)
            if d.unsafe(set(allow)) and not preview:
                return UNSAFE
        try:
            rc = subprocess.run(argv, env=penv, check=False).returncode
        except OSError as exc:
            _out(f"mlinfra: error: cannot run {argv[0]}: {exc}\n", sys.stderr)
            return TOOL
        if rc != 0:
            _out(f"mlinfra: error: `pulumi {' '.join(argv[1:3])}` failed with exit code "
                 f"{rc}\n", sys.stderr)
            return TOOL
    return OK
