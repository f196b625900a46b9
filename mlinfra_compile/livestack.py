"""What a stack holds now, as Pulumi reports it: the graph mlinfra last deployed (the
`_mlinfra_graph` output) and, when none is recorded, the resources of its checkpoint.

deploy, destroy and drift read this before deciding anything: the deployed stack, not
only the file on disk, says whether an environment is production and which resources
are protected. Everything Pulumi prints is untrusted input: anything but the expected
JSON is exit 4 with a message, never a traceback. (stack.py imports this module; this
module imports nothing from stack.py.)"""

from __future__ import annotations

import sys
from typing import Any

from .commands import TOOL, UNSAFE
from .escape import visible
from .graph import GRAPH_OUTPUT, RUNNING_OUTPUT, urn_name
from .output import out

STACK_TYPE = "pulumi:pulumi:Stack"  # the stack itself: in every checkpoint
PROVIDER_PREFIX = "pulumi:providers:"  # default providers: made by any first update
SHOWN = 5  # resources named in a refusal
CHECK = "; cannot check the change against what is deployed"


def pulumi_json(argv: list[str], penv: dict[str, str], why: str) -> dict[str, Any] | int:
    """Run a Pulumi command that prints a JSON object; TOOL with a clear message when it
    fails or prints anything else (invalid UTF-8, a nesting no parser should follow, not
    an object)."""
    import json

    from .reading import megabytes, run
    from .state import MAX_BYTES

    # At most what a state file may hold (a checkpoint is the largest thing Pulumi
    # prints), read no further: Pulumi is stopped as soon as it passes that.
    proc = run(argv, MAX_BYTES, env=penv)
    command = f"`pulumi {' '.join(argv[1:3])}`"
    if proc.overflow:
        where = "" if proc.overflow == "stdout" else " on its error output"
        out(f"mlinfra: error: {command} printed more than {megabytes(MAX_BYTES)}{where}, "
            f"more than mlinfra reads; it was stopped{why}\n", sys.stderr)
        return TOOL
    if proc.returncode != 0:
        out(proc.stderr.decode("utf-8", "replace"), sys.stderr)
        out(f"mlinfra: error: {command} failed with exit code {proc.returncode}{why}\n",
            sys.stderr)
        return TOOL
    try:
        doc = json.loads(proc.stdout.decode("utf-8") or "{}")
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        doc = None
    if not isinstance(doc, dict):
        out(f"mlinfra: error: {command} did not print a JSON object{why}\n", sys.stderr)
        return TOOL
    return doc


def deployed_graph(pulumi: str, stack: str, cwd: str, penv: dict[str, str],
                   why: str = CHECK) -> \
        tuple[dict[str, Any] | None, dict[str, Any]] | int:
    """(the graph the stack last deployed, or None when no graph is recorded; what its
    resources report they run), both exported by the program; TOOL when Pulumi cannot
    tell. No graph does not mean an empty stack: see live_state."""
    import json

    outputs = pulumi_json([pulumi, "stack", "output", "--json", "--stack", stack,
                           "--cwd", cwd], penv, why)
    if isinstance(outputs, int):
        return outputs
    raw = outputs.get(GRAPH_OUTPUT)
    if not isinstance(raw, str):
        return None, {}
    try:
        graph = json.loads(raw)
    except (ValueError, RecursionError):
        graph = None
    running = outputs.get(RUNNING_OUTPUT) or {}
    if not isinstance(graph, dict) or not isinstance(graph.get("resources"), list) \
            or not all(isinstance(r, dict) and isinstance(r.get("name"), str)
                       and isinstance(r.get("type"), str) and isinstance(r.get("args"), dict)
                       for r in graph["resources"]) \
            or not isinstance(running, dict) \
            or not all(isinstance(v, dict) for v in running.values()):
        out(f"mlinfra: error: `pulumi stack output --json` did not print JSON holding the "
            f"graph in {GRAPH_OUTPUT}{why}\n", sys.stderr)
        return TOOL
    return graph, running


def stack_resources(pulumi: str, stack: str, cwd: str, penv: dict[str, str],
                    extra: list[str]) -> tuple[list[tuple[str, str]], dict[str, Any]] | int:
    """(type, logical name) of every resource the stack's checkpoint holds but the stack
    itself and its providers (`pulumi stack export`), and the checkpoint; TOOL when
    Pulumi cannot tell or prints something that is not a checkpoint."""
    why = f"; cannot tell which resources stack {stack} holds"
    doc = pulumi_json([pulumi, "stack", "export", "--stack", stack, "--cwd", cwd, *extra],
                      penv, why)
    if isinstance(doc, int):
        return doc
    deployment = doc.get("deployment")  # (missing or null: a stack never updated)
    listed = deployment.get("resources") if isinstance(deployment, dict) else None
    entries = listed if isinstance(listed, list) else []
    if (deployment is not None and not isinstance(deployment, dict)) \
            or (listed is not None and not isinstance(listed, list)) \
            or not all(isinstance(r, dict) and isinstance(r.get("type"), str)
                       and isinstance(r.get("urn"), str) for r in entries):
        out("mlinfra: error: `pulumi stack export` did not print a checkpoint whose "
            "deployment.resources is a list of resources with a type and a URN"
            f"{why}\n", sys.stderr)
        return TOOL
    return [(r["type"], urn_name(r["urn"])) for r in entries
            if r["type"] != STACK_TYPE and not r["type"].startswith(PROVIDER_PREFIX)], doc


def _shown(text: str, limit: int = 120) -> str:
    """A value Pulumi or a recorded graph gave, inside a message: one line, bounded."""
    text = visible(text)
    return text if len(text) <= limit else text[:limit] + "..."


UNRECORDED = {
    "deploy": "mlinfra: refused: {held}, but no graph recorded by mlinfra deploy (made by "
              "another program, or by a first deploy that failed before recording it): "
              "mlinfra cannot check what deploying would replace or delete",
    "destroy": "mlinfra: refused: {held}, but no graph recorded by mlinfra deploy: mlinfra "
               "cannot tell whether they are production data or protected",
    "drift": "mlinfra: error: {held}, not deployed by mlinfra (no graph recorded by mlinfra "
             "deploy): there is no deployed graph to compare them with",
}


def unrecorded_text(command: str, stack: str, held: list[tuple[str, str]]) -> str:
    """Why `command` stops at a stack holding resources without a recorded graph, and
    the ways out."""
    names = "; ".join(f"{_shown(kind)} {_shown(name)}" for kind, name in held[:SHOWN])
    more = f"; and {len(held) - SHOWN} more" if len(held) > SHOWN else ""
    what = f"stack {stack} holds {len(held)} resource(s) ({names}{more})"
    return (UNRECORDED[command].format(held=what) + " [MLC605]\n"
            f"  `pulumi stack export --stack {stack} > {stack}-state.json` then "
            f"`mlinfra adopt {stack}-state.json {stack}` moves them under mlinfra (see the "
            "README, \"Moving an existing stack to mlinfra\")\n"
            f"  a stack you do not want: run `pulumi destroy --stack {stack}` by hand\n")


def live_state(pulumi: str, stack: str, cwd: str, penv: dict[str, str], extra: list[str],
               command: str, why: str = CHECK, graph: dict[str, Any] | None = None) -> \
        tuple[dict[str, Any] | None, dict[str, Any]] | int:
    """deployed_graph, and when it finds no recorded graph, whether the stack is empty
    (a first deploy: None) or holds resources: refused (UNSAFE, [MLC605]) unless `graph`,
    the one deploy is about to register, takes them all over as they are (the stack was
    adopted with `mlinfra adopt --same-stack`): then the checkpoint is the baseline. The
    export runs only without a recorded graph, so a stack mlinfra deployed pays nothing."""
    deployed = deployed_graph(pulumi, stack, cwd, penv, why)
    if isinstance(deployed, int) or deployed[0] is not None:
        return deployed
    found = stack_resources(pulumi, stack, cwd, penv, extra)
    if isinstance(found, int):
        return found
    held, doc = found
    if not held:
        return deployed
    taken = takes_over(stack, doc, graph) if graph is not None else None
    if taken is not None:
        return taken
    out(unrecorded_text(command, stack, held), sys.stderr)
    return UNSAFE


def takes_over(stack: str, doc: dict[str, Any], graph: dict[str, Any]) -> \
        tuple[dict[str, Any], dict[str, Any]] | None:
    """The checkpoint as deploy's baseline when `graph` neither replaces nor deletes any
    resource the stack holds (each is matched by its URN, import id or name), else None."""
    from .diff import diff_graphs
    from .state import StateError, checkpoint
    from .statediff import baseline

    try:
        old, running = baseline(checkpoint(doc, f"stack {stack}"), graph)
    except StateError:
        return None
    d = diff_graphs(old, graph, f"stack {stack}", running)
    if any(c.action in ("replace", "delete") for c in d.changes):
        return None
    out(f"mlinfra: stack {stack} has no graph recorded by mlinfra deploy, and every "
        "resource it holds is one this environment declares (nothing replaced or "
        "deleted): this deploy takes them over\n", sys.stderr)
    return old, running


def protected_names(graph: dict[str, Any] | None) -> set[str]:
    """The resources a graph (compiled or recorded) marks options.protect."""
    out = set()
    for r in (graph or {}).get("resources") or []:
        options = r.get("options") if isinstance(r, dict) else None
        if isinstance(options, dict) and options.get("protect") \
                and isinstance(r.get("name"), str):
            out.add(r["name"])
    return out


def destroy_guards(stack: str, file_graph: dict[str, Any],
                   recorded: dict[str, Any] | None) -> tuple[list[str], bool]:
    """(why destroying `stack` needs --yes --confirm STACK, each reason saying where it
    came from; whether its resources must be unprotected first). The file and the graph
    the stack recorded both count: editing the file cannot lift what the stack records."""
    reasons = []
    now = str(file_graph.get("profile"))
    was = None if recorded is None else recorded.get("profile")
    if now == "production":
        note = "" if was in (None, "production") else \
            f" (its file says so; the last deploy recorded {_shown(str(was))})"
        reasons.append(f"{stack} is a production environment{note}")
    elif was == "production":
        reasons.append(f"the deployed stack records {stack} as a production environment "
                       f"(the file now says {_shown(now)})")
    in_file, in_stack = protected_names(file_graph), protected_names(recorded)
    groups = [(in_file, "")] if recorded is None else [
        (in_file & in_stack, ""), (in_file - in_stack, " (set in the file)"),
        (in_stack - in_file, " (recorded by the last deploy)")]
    named = [", ".join(_shown(n) for n in sorted(names)) + where
             for names, where in groups if names]
    if named:
        reasons.append("it protects " + "; ".join(named))
    return reasons, bool(in_file or in_stack)
