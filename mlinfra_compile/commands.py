"""Every subcommand as a function that returns its exit code (SPEC section 6).

Exit codes: 0 ok; 1 the configuration has errors; 2 usage error; 3 an unsafe change was
refused; 4 a required outside tool is missing or failed; 70 internal error.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from .diagnostics import Diagnostic, has_errors, render, sort_unique
from .escape import terminal_safe
from .graph import GRAPH_FILE_VAR, GRAPH_OUTPUT, GRAPH_SHA_VAR, RUNNING_OUTPUT
from .loader import MAX_FILE_BYTES
from .resolve import (
    ENV_NAME,
    SUFFIXES,
    Compiled,
    UsageError,
    Workspace,
    compile_environment,
    is_partial,
    load_chain,
    stem_of,
)

OK, CONFIG_ERROR, USAGE, UNSAFE, TOOL, INTERNAL = 0, 1, 2, 3, 4, 70


def _out(text: str, stream: TextIO | None = None, *, raw: bool = False) -> None:
    """Every text output goes through here: control characters are shown escaped and no
    line can start a CI workflow command (escape.py), unless the format is one that
    escapes for itself (`raw`: github annotations, dotenv)."""
    (stream or sys.stdout).write(text if raw else terminal_safe(text))


def lint_files(ws: Workspace, paths: list[str]) -> tuple[list[Diagnostic], int]:
    """Diagnostics for every file; each non-partial one is compiled too."""
    diags: list[Diagnostic] = []
    for path in paths:
        try:
            if is_partial(stem_of(path)):
                diags.extend(load_chain(ws, path).diagnostics)
            else:
                diags.extend(compile_environment(ws, path).diagnostics)
                ws.forget(path)
        except Exception as exc:  # one bad file never hides the others' diagnostics
            import traceback

            where = traceback.extract_tb(exc.__traceback__)[-1]
            diags.append(Diagnostic(ws.display(path), 1, 1, "MLC900", "",
                                    f"internal error ({type(exc).__name__} at "
                                    f"{os.path.basename(where.filename)}:{where.lineno}); "
                                    "please report it with this file"))
    return sort_unique(diags), len(paths)


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


def dependents(ws: Workspace, paths: list[str]) -> list[str]:
    """Files of the same folders whose extends chain includes one of `paths`: a changed
    `_base.yaml` re-checks every environment built on it (what the pre-commit hook needs,
    since pre-commit passes only the changed files)."""
    given = {os.path.abspath(p) for p in paths}
    out: list[str] = []
    for folder in sorted({os.path.dirname(p) for p in given}):
        changed = {stem_of(p) for p in given if os.path.dirname(p) == folder}
        texts: dict[str, str] = {}
        for name in ws.list_dir(folder):
            path = os.path.join(folder, name)
            if name.endswith((".yaml", ".yml")) and path not in given:
                try:
                    with open(path, "rb") as fh:
                        texts[path] = fh.read(MAX_FILE_BYTES).decode("utf-8", "replace")
                except OSError:
                    continue
        # A file can only extend (directly or through others) a stem its text names, so
        # only those are parsed; repeat for files that extend the ones just found.
        while True:
            found = []
            for path, text in texts.items():
                if any(stem in text for stem in changed) and _extends_any(ws, path, changed):
                    found.append(path)
            if not found:
                break
            for path in found:
                out.append(path)
                changed.add(stem_of(path))
                del texts[path]
    return sorted(out)


def _extends_any(ws: Workspace, path: str, stems: set[str]) -> bool:
    chain = load_chain(ws, path)
    names = {stem_of(f.display) for f in chain.files[:-1]}
    ext = (chain.files[-1].data or {}).get("extends") if chain.files else None
    if isinstance(ext, str):
        names.add(ext)  # also when the chain broke at it
    return bool(names & stems)


def lint(root: str, paths: list[str], fmt: str) -> int:
    ws = Workspace(root)
    files = _expand(ws, paths)
    if not files:
        _out(f"mlinfra: no environment files in {ws.display(ws.env_dir)}/\n", sys.stderr)
        return CONFIG_ERROR
    diags, n = lint_files(ws, files)
    _out(render(diags, fmt), raw=fmt == "github")
    if fmt == "text":
        errors = sum(1 for d in diags if d.severity == "error")
        plural = ("s" if n != 1 else "", "s" if errors != 1 else "")
        summary = f"{n} file{plural[0]} checked, {errors} error{plural[1]}"
        _out(summary + "\n", sys.stderr)
    if any(d.code == "MLC900" for d in diags):
        return INTERNAL
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
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".mlinfra-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # name the file the user asked for, not ours
            raise OSError(exc.errno, exc.strerror, path) from None
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
    # The same environment at the ref, whichever suffix it had then (prod.yaml renamed to
    # prod.yml is not a new environment).
    stem = os.path.join(os.path.dirname(c.path), c.env)
    old_path = next((stem + s for s in (os.path.splitext(c.path)[1], *SUFFIXES)
                     if gws.is_file(stem + s)), None)
    if old_path is not None:
        old = compile_environment(gws, old_path)
        if old.graph is None:
            _out(render(old.diagnostics, "text"), sys.stderr)
            _out(f"mlinfra: error: {env} at {against} does not compile, so there is nothing "
                 "to compare against\n", sys.stderr)
            return CONFIG_ERROR
        old_graph = old.graph.to_json()
    shown = Workspace(root).display(old_path or c.path)
    d = diff_graphs(old_graph, c.graph.to_json(), f"{shown} at {against}")
    _out(render_diff(d, set(allow), fmt))
    return UNSAFE if d.blocked(set(allow)) else OK


def render_diff(d: Any, allowed: set[str], fmt: str) -> str:
    from .diff import diff_text

    if fmt == "markdown":
        from .markdown import diff_markdown

        return diff_markdown(d, allowed)
    return diff_text(d, allowed)


def deployed_graph(pulumi: str, stack: str, cwd: str, penv: dict[str, str]) -> \
        tuple[dict[str, Any] | None, dict[str, Any]] | int:
    """(the graph the stack last deployed, or None for a stack never deployed; what its
    resources report they run), both exported by the program; TOOL when Pulumi cannot
    tell."""
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
        if not isinstance(raw, str):
            if outputs:
                _out(f"mlinfra: warning: stack {stack} has outputs but no recorded mlinfra "
                     "graph (deployed by something else?): replacements and deletions "
                     "cannot be checked against it; `mlinfra diff` checks against git\n",
                     sys.stderr)
            return None, {}
        graph = json.loads(raw)
        if not isinstance(graph, dict) or not isinstance(graph.get("resources"), list):
            raise ValueError("not a graph")
        running = outputs.get(RUNNING_OUTPUT) or {}
        if not isinstance(running, dict) or \
                not all(isinstance(v, dict) for v in running.values()):
            raise ValueError("not a map of resources")
        return graph, running
    except (ValueError, AttributeError):
        _out(f"mlinfra: error: `pulumi stack output --json` did not print JSON holding the "
             f"graph in {GRAPH_OUTPUT}\n", sys.stderr)
        return TOOL


def _deploy_target(root: str, env: str) -> Compiled | int:
    """The environment a stack deploys: `environments/<stack>.yaml`, always. A path
    elsewhere (`backup/prod.yaml`) would be checked while the Pulumi program, which
    knows only the stack name, deployed another file."""
    ws = Workspace(root)
    path = ws.find(env)
    own = ws.find(stem_of(path)) if ENV_NAME.fullmatch(stem_of(path)) else None
    if own is None or os.path.realpath(own) != os.path.realpath(path):
        raise UsageError(f"deploy takes an environment of {ws.display(ws.env_dir)}/ by its "
                         f"name (`mlinfra deploy {stem_of(path)}`), not {env}: the Pulumi "
                         f"stack {stem_of(path)} always deploys "
                         f"{ws.display(ws.env_dir)}/{stem_of(path)}.yaml")
    return _compile(root, stem_of(path))


def hand_over(graph: dict[str, Any], folder: str) -> dict[str, str]:
    """Write the graph deploy checked for the Pulumi program to register, with its
    SHA-256: the program builds exactly this graph, not a fresh compile of files that may
    have changed since (see backends.pulumi_program.handed_over_graph)."""
    import hashlib
    import json

    text = json.dumps(graph, sort_keys=True, separators=(",", ":"))
    path = os.path.join(folder, "graph.json")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return {GRAPH_FILE_VAR: path,
            GRAPH_SHA_VAR: hashlib.sha256(text.encode()).hexdigest()}


def deploy(root: str, env: str, *, preview: bool, yes: bool, allow: list[str]) -> int:
    """Lint, compare with what the stack last deployed (refusing unsafe production
    changes and changes the provider would reject), then `pulumi preview` / `pulumi up`
    on exactly the graph checked, streaming Pulumi's own output."""
    import shutil
    import tempfile

    from .diff import diff_graphs, diff_text

    c = _deploy_target(root, env)
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
    rc = _pulumi_step(pulumi, ["stack", "select", "--create", stack, "--cwd", cwd, *extra],
                      penv)
    if rc != OK:
        return rc
    deployed = deployed_graph(pulumi, stack, cwd, penv)
    if isinstance(deployed, int):
        return deployed
    baseline, running = deployed
    graph = c.graph.to_json()
    d = diff_graphs(baseline, graph, f"stack {stack} as deployed", running)
    _out(diff_text(d, set(allow)), sys.stderr)
    if d.blocked(set(allow)) and not preview:
        return UNSAFE
    with tempfile.TemporaryDirectory(prefix="mlinfra-deploy-") as tmp:
        penv.update(hand_over(graph, tmp))
        return _pulumi_step(pulumi, ["preview" if preview else "up", "--stack", stack,
                                     "--cwd", cwd, *extra,
                                     *(["--yes"] if yes and not preview else [])], penv)


def _pulumi_step(pulumi: str, args: list[str], penv: dict[str, str]) -> int:
    """One Pulumi command, interrupts forwarded (see child.py): OK, TOOL when it fails,
    or Pulumi's own status when it was interrupted."""
    from .child import run_forwarding

    try:
        done = run_forwarding([pulumi, *args], penv)
    except OSError as exc:
        _out(f"mlinfra: error: cannot run {pulumi}: {exc}\n", sys.stderr)
        return TOOL
    rc = done.code
    if done.interrupted and rc != 0:
        _out(f"mlinfra: `pulumi {' '.join(args[:2])}` was interrupted; it cancelled and "
             f"exited with {rc}\n", sys.stderr)
        return rc
    if rc != 0:
        _out(f"mlinfra: error: `pulumi {' '.join(args[:2])}` failed with exit code {rc}\n",
             sys.stderr)
        return TOOL
    return OK


def new(root: str, env: str, source: str | None, profile: str | None) -> int:
    from .scaffold import new_environment

    ws = Workspace(root)
    path = new_environment(ws, env, source, profile)
    _out(f"wrote {ws.display(path)}\n", sys.stderr)
    diags, _ = lint_files(Workspace(root), [path])
    if has_errors(diags):
        _out("still to fill in before it compiles:\n" + render(diags, "text"), sys.stderr)
    _out(f"next: edit it, then `mlinfra plan {env}`\n", sys.stderr)
    return OK


SECRET_OUTPUTS = frozenset({"auth_string"})


def connection_settings(outputs: dict[str, Any], show_secrets: bool) -> dict[str, str]:
    """Stack outputs -> flat settings: ml-session-storage.host -> ML_SESSION_STORAGE_HOST."""
    flat: dict[str, str] = {}

    def walk(prefix: str, value: Any, secret: bool) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}_{k}", v, secret or k in SECRET_OUTPUTS)
            return
        key = "".join(c if c.isalnum() else "_" for c in prefix).upper()
        if secret and not show_secrets:
            value = "[secret]"
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        flat[key] = value if isinstance(value, str) else json_text(value)

    for name, value in sorted(outputs.items()):
        if name in (GRAPH_OUTPUT, RUNNING_OUTPUT):
            continue
        walk(name, value, name in SECRET_OUTPUTS)
    return dict(sorted(flat.items()))


def json_text(value: Any) -> str:
    import json

    return json.dumps(value, sort_keys=True)


def render_settings(settings: dict[str, str], fmt: str) -> str:
    import json

    if fmt == "json":
        return json.dumps(settings, indent=2, sort_keys=True) + "\n"
    if fmt == "yaml":
        import yaml

        return str(yaml.safe_dump(settings, sort_keys=True, default_flow_style=False))
    lines = []
    for k, v in settings.items():
        if v and all(c.isalnum() or c in "-_./:@+," for c in v):
            lines.append(f"{k}={v}")
        else:
            escaped = v.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
            escaped = escaped.replace("\n", "\\n")
            lines.append(f'{k}="{escaped}"')
    return "\n".join(lines) + "\n"


def outputs(root: str, env: str, fmt: str, show_secrets: bool) -> int:
    """The connection settings an application needs, from the stack's outputs."""
    import json
    import shutil
    import subprocess

    ws = Workspace(root)
    stack = stem_of(ws.find(env))
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        _out(PULUMI_INSTALL, sys.stderr)
        return TOOL
    penv = pulumi_environment(root, dict(os.environ))
    argv = [pulumi, "stack", "output", "--json", "--show-secrets", "--stack", stack,
            "--cwd", os.path.realpath(root), "--non-interactive"]
    proc = subprocess.run(argv, env=penv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        _out(proc.stderr, sys.stderr)
        _out(f"mlinfra: error: `pulumi stack output` failed with exit code {proc.returncode}\n",
             sys.stderr)
        return TOOL
    try:
        doc = json.loads(proc.stdout or "{}")
        if not isinstance(doc, dict):
            raise ValueError("not an object")
    except ValueError:
        _out("mlinfra: error: `pulumi stack output --json` did not print a JSON object\n",
             sys.stderr)
        return TOOL
    if not any(k not in (GRAPH_OUTPUT, RUNNING_OUTPUT) for k in doc):
        _out(f"mlinfra: error: stack {stack} has no outputs; deploy it first "
             f"(`make deploy ENV={stack}`)\n", sys.stderr)
        return CONFIG_ERROR
    _out(render_settings(connection_settings(doc, show_secrets), fmt))
    return OK
