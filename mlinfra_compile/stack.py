"""The stack side: `deploy` and `outputs` run the Pulumi CLI (exit 4 when it is missing
or fails). Everything that reads Pulumi's output treats it as untrusted input."""

from __future__ import annotations

import os
import sys
from typing import Any

from . import formats
from .child import NO_TERMINAL, cannot_ask
from .commands import CONFIG_ERROR, OK, TOOL, UNSAFE, USAGE, compile_env, compile_stack
from .connections import connection_settings, files_for_multiline, render_settings
from .exports import keep_old_names
from .graph import GRAPH_FILE_VAR, GRAPH_OUTPUT, GRAPH_SHA_VAR, RUNNING_OUTPUT, urn_name
from .livestack import destroy_guards, live_state, pulumi_json
from .output import out
from .resolve import ENV_NAME, ENV_NAME_RULE, Compiled, UsageError, Workspace, stem_of

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
        from .safewrite import make_folder  # (a committed link there is refused)

        state = make_folder(os.path.realpath(root), ".pulumi-state")
        env["PULUMI_BACKEND_URL"] = "file://" + state
    return env


def _deploy_target(root: str, env: str, *, acts: bool = True) -> Compiled | int:
    """The environment a stack deploys: `environments/<stack>.yaml`, always. A path
    elsewhere (`backup/prod.yaml`) would be checked while the Pulumi program, which
    knows only the stack name, deployed another file. A command that `acts` on the cloud
    (deploy, destroy) also checks that no other stack claims its resources."""
    ws = Workspace(root)
    path = ws.find(env)
    if not ENV_NAME.fullmatch(stem_of(path)):
        raise UsageError(f"{stem_of(path)!r} ({ws.display(path)}) cannot name a Pulumi "
                         f"stack: an environment's name, its file's stem, is {ENV_NAME_RULE} "
                         "(MLC329); rename the file")
    own = ws.find(stem_of(path))
    if os.path.realpath(own) != os.path.realpath(path):
        raise UsageError(f"deploy takes an environment of {ws.display(ws.env_dir)}/ by its "
                         f"name (`mlinfra deploy {stem_of(path)}`), not {env}: the Pulumi "
                         f"stack {stem_of(path)} always deploys "
                         f"{ws.display(ws.env_dir)}/{stem_of(path)}.yaml")
    return (compile_stack if acts else compile_env)(root, stem_of(path), origins=False)


def hand_over(graph: dict[str, Any], folder: str) -> dict[str, str]:
    """Write the graph deploy checked for the Pulumi program to register, with its
    SHA-256: the program builds exactly this graph, not a fresh compile of files that may
    have changed since (see backends.pulumi_program.handed_over_graph)."""
    import hashlib
    import json

    text = json.dumps(graph, sort_keys=True, separators=(",", ":"))
    from .safewrite import create

    path = create(folder, "graph.json", text)
    return {GRAPH_FILE_VAR: path,
            GRAPH_SHA_VAR: hashlib.sha256(text.encode()).hexdigest()}


def deploy(root: str, env: str, *, preview: bool, yes: bool, allow: list[str],
           allow_downgrade: bool = False) -> int:
    """Lint, compare with what the stack last deployed (refusing unsafe production
    changes, a downgrade from production unless allowed, changes the provider would
    reject, and a stack holding resources without a recorded graph), then
    `pulumi preview` / `pulumi up` on exactly the graph checked, streaming Pulumi's own
    output."""
    import tempfile

    from .diff import diff_graphs
    from .diffall import allowed_in
    from .difftext import diff_text

    c = _deploy_target(root, env)
    if isinstance(c, int):
        return c
    assert c.graph is not None
    stack = c.env
    ready = pulumi_ready(root, stack)
    if isinstance(ready, int):
        return ready
    pulumi, penv, extra = ready
    if penv["PULUMI_BACKEND_URL"].startswith("file://") and not (
            penv.get("PULUMI_CONFIG_PASSPHRASE") or penv.get("PULUMI_CONFIG_PASSPHRASE_FILE")):
        out("mlinfra: note: PULUMI_CONFIG_PASSPHRASE is not set; Pulumi will ask for the "
            "passphrase that encrypts this stack's secrets\n", sys.stderr)
    cwd = os.path.realpath(root)
    rc = _pulumi_step(pulumi, ["stack", "select", "--create", stack, "--cwd", cwd, *extra],
                      penv)
    if rc != OK:
        return rc
    graph = c.graph.to_json()
    deployed = live_state(pulumi, stack, cwd, penv, extra, "deploy", graph=graph)
    if isinstance(deployed, int):
        return deployed
    baseline, running = deployed
    d = diff_graphs(baseline, graph, f"stack {stack} as deployed", running)
    d.allow_downgrade = allow_downgrade
    allowed = allowed_in(stack, set(allow))
    out(diff_text(d, allowed), sys.stderr)
    if d.blocked(allowed) and not preview:
        return UNSAFE
    if not preview and cannot_ask(not extra, yes, penv):
        out(NO_TERMINAL.format(command="up", what="deploy the changes above",
                               preview=", or --preview to see Pulumi's plan"), sys.stderr)
        return USAGE
    with tempfile.TemporaryDirectory(prefix="mlinfra-deploy-") as tmp:
        penv.update(hand_over(graph, tmp))
        return _pulumi_step(pulumi, ["preview" if preview else "up", "--stack", stack,
                                     "--cwd", cwd, *extra,
                                     *(["--yes"] if yes and not preview else [])], penv)


DRIFTED = 5  # `mlinfra drift`: the cloud differs from what the stack recorded


def pulumi_ready(root: str, stack: str) -> tuple[str, dict[str, str], list[str]] | int:
    """(the Pulumi CLI, its environment, `--non-interactive` unless a person is at the
    terminal) for deploy, destroy and drift of `stack`, or the exit status of why not: no
    Pulumi project in the repository, no CLI."""
    import shutil

    if not os.path.isfile(os.path.join(root, "Pulumi.yaml")):
        out(f"mlinfra: error: {os.path.realpath(root)} has no Pulumi.yaml, so there is no "
            f"Pulumi project for stack {stack}: add one whose program calls "
            "mlinfra_compile.backends.pulumi_program.run() (README, \"Deploying\"), or "
            "write a repository with `mlinfra init`\n", sys.stderr)
        return CONFIG_ERROR
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        out(PULUMI_INSTALL, sys.stderr)
        return TOOL
    interactive = sys.stdin.isatty() and not os.environ.get("CI")
    return (pulumi, pulumi_environment(root, dict(os.environ)),
            [] if interactive else ["--non-interactive"])


def _stack_flags(root: str, stack: str, extra: list[str]) -> list[str]:
    return ["--stack", stack, "--cwd", os.path.realpath(root), *extra]


def destroy(root: str, env: str, *, yes: bool, confirm: str | None) -> int:
    """`pulumi destroy` of stack ENV. A production stack, or one with protected
    resources, by its file or by the graph its last deploy recorded, is destroyed only
    with --yes and its name typed again (--confirm ENV); then its resources are
    unprotected first, as `pulumi destroy` would refuse them. A stack holding resources
    without a recorded graph is refused [MLC605]. The stack is never created."""
    c = _deploy_target(root, env)
    if isinstance(c, int):
        return c
    assert c.graph is not None
    stack = c.env
    ready = pulumi_ready(root, stack)
    if isinstance(ready, int):
        return ready
    pulumi, penv, extra = ready
    deployed = live_state(pulumi, stack, os.path.realpath(root), penv, extra, "destroy",
                          f"; cannot tell whether stack {stack} is production or protected")
    if isinstance(deployed, int):
        return deployed
    why, protected = destroy_guards(stack, c.graph.to_json(), deployed[0])
    if why and not (yes and confirm == stack):
        out(f"mlinfra: refused: {' and '.join(why)}; destroying it loses their data. "
            f"Rerun with --yes --confirm {stack} if you mean it [MLC601]\n", sys.stderr)
        return UNSAFE
    if cannot_ask(not extra, yes, penv):
        out(NO_TERMINAL.format(command="destroy", what=f"destroy stack {stack}", preview=""),
            sys.stderr)
        return USAGE
    flags = _stack_flags(root, stack, extra)
    if protected:
        rc = _pulumi_step(pulumi, ["state", "unprotect", "--all", "--yes", *flags], penv)
        if rc != OK:
            return rc
    return _pulumi_step(pulumi, ["destroy", *flags, *(["--yes"] if yes else [])], penv)


def drift(root: str, env: str) -> int:
    """What changed in the cloud outside mlinfra: `pulumi preview --refresh` of the graph
    the stack last deployed (not of today's files, whose changes are not drift). Exit
    DRIFTED (5) when something differs, OK when nothing does."""
    import tempfile

    c = _deploy_target(root, env, acts=False)
    if isinstance(c, int):
        return c
    ready = pulumi_ready(root, c.env)
    if isinstance(ready, int):
        return ready
    pulumi, penv, extra = ready
    flags = _stack_flags(root, c.env, extra)
    deployed = live_state(pulumi, c.env, os.path.realpath(root), penv, extra, "drift")
    if isinstance(deployed, int):
        return deployed
    baseline, _running = deployed
    if baseline is None:
        out(f"mlinfra: error: stack {c.env} has no graph recorded by mlinfra deploy; "
            "deploy it first\n", sys.stderr)
        return CONFIG_ERROR
    with tempfile.TemporaryDirectory(prefix="mlinfra-drift-") as tmp:
        penv.update(hand_over(baseline, tmp))
        doc = pulumi_json([pulumi, "preview", "--refresh", "--json", *flags], penv,
                          "; cannot tell whether the stack drifted")
    if isinstance(doc, int):
        return doc
    listed = doc.get("steps", [])
    if not isinstance(listed, list):
        out("mlinfra: error: `pulumi preview --json` printed no list of steps; cannot tell "
            "whether the stack drifted\n", sys.stderr)
        return TOOL
    steps = [s for s in listed if isinstance(s, dict)
             and s.get("op") not in (None, "same", "read")]
    if not steps:
        out(f"no drift: the cloud matches what stack {c.env} deployed\n")
        return OK
    for s in steps:
        urn = str(s.get("urn", ""))
        out(f"drift: {s.get('op')} {urn_name(urn)}\n")
    out(f"{len(steps)} resource(s) of stack {c.env} differ from what was deployed; "
        f"`mlinfra deploy {c.env}` puts them back\n")
    return DRIFTED


def _pulumi_step(pulumi: str, args: list[str], penv: dict[str, str]) -> int:
    """One Pulumi command, interrupts forwarded (see child.py): OK, TOOL when it fails,
    or Pulumi's own status when it was interrupted."""
    from .child import run_forwarding

    try:
        done = run_forwarding([pulumi, *args], penv)
    except OSError as exc:
        out(f"mlinfra: error: cannot run {pulumi}: {exc}\n", sys.stderr)
        return TOOL
    rc = done.code
    if done.interrupted and rc != 0:
        out(f"mlinfra: `pulumi {' '.join(args[:2])}` was interrupted; it cancelled and "
            f"exited with {rc}\n", sys.stderr)
        return rc
    if rc != 0:
        out(f"mlinfra: error: `pulumi {' '.join(args[:2])}` failed with exit code {rc}\n",
            sys.stderr)
        return TOOL
    return OK


def outputs(root: str, env: str, fmt: str, show_secrets: bool) -> int:
    """The connection settings an application needs, from the stack's outputs. Pulumi is
    asked without --show-secrets first, so that whatever it calls secret is known (and
    held back unless --show-secrets)."""
    import shutil

    ws = Workspace(root)
    stack = stem_of(ws.find(env))
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        out(PULUMI_INSTALL, sys.stderr)
        return TOOL
    penv = pulumi_environment(root, dict(os.environ))
    argv = [pulumi, "stack", "output", "--json", "--stack", stack, "--cwd",
            os.path.realpath(root), "--non-interactive"]
    doc = pulumi_json(argv, penv, "")
    if not isinstance(doc, int) and show_secrets:
        doc = pulumi_json([*argv, "--show-secrets"], penv, "")
    if isinstance(doc, int):
        return doc
    if not any(k not in (GRAPH_OUTPUT, RUNNING_OUTPUT) for k in doc):
        out(f"mlinfra: error: stack {stack} has no outputs; deploy it first "
            f"(`make deploy ENV={stack}`)\n", sys.stderr)
        return CONFIG_ERROR
    settings, hidden = connection_settings(doc, show_secrets)
    settings, renamed = keep_old_names(settings, hidden, doc)
    if not formats.OUTPUTS[fmt].multiline:
        settings, written = files_for_multiline(settings, root, stack)
        for path in written:
            out(f"mlinfra: wrote {os.path.relpath(path, os.path.realpath(root))} (named by "
                "its _FILE setting)\n", sys.stderr)
    out(render_settings(settings, fmt, hidden), raw=formats.OUTPUTS[fmt].raw)
    out("".join(renamed), sys.stderr)  # (in every format: applications read the old names)
    if hidden and formats.OUTPUTS[fmt].notes:
        out(f"mlinfra: {len(hidden)} secret setting(s) not shown ({', '.join(hidden)}); "
            "--show-secrets prints them\n", sys.stderr)
    return OK
