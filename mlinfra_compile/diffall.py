"""`mlinfra diff --all`: every stack of the repository against a git ref, in one report
(the pull-request comment). A change to a partial shows in each stack that extends it;
stacks added or removed since the ref are listed. The exit status is the worst of the
stacks': 3 when any change is refused, else 1 when any stack cannot be compared.

Also the JSON of one diff (`diff --format json`), which the report's JSON holds per stack.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic
from .diff import Diff, diff_graphs
from .difftext import refusal_lines
from .escape import visible
from .gitref import GitWorkspace
from .resolve import SUFFIXES, UsageError, Workspace, compile_environment, is_partial, stem_of

OK, CONFIG_ERROR, UNSAFE = 0, 1, 3
DIFF_FORMAT = "mlinfra.diff/v1"
REPORT_FORMAT = "mlinfra.diff-all/v1"


@dataclass
class StackDiff:
    env: str
    status: str  # changed | added | removed | error
    code: int  # the exit status of `diff ENV` alone
    diff: Diff | None = None
    note: str = ""  # why a stack is removed or cannot be compared
    errors: list[str] = field(default_factory=list)  # its diagnostics, as lint prints them


@dataclass
class Report:
    against: str
    stacks: list[StackDiff]  # those that differ, in name order
    unchanged: list[str]
    allowed: set[str] = field(default_factory=set)

    @property
    def code(self) -> int:
        return max((s.code for s in self.stacks), default=OK)

    def summary(self) -> str:
        by: dict[str, list[str]] = {}
        for s in self.stacks:
            by.setdefault(s.status, []).append(s.env)
        parts = [f"{len(v)} {k} ({', '.join(v)})" for k, v in sorted(by.items())]
        parts.append(f"{len(self.unchanged)} unchanged")
        return ", ".join(parts)


def stacks_in(ws: Workspace) -> dict[str, str]:
    """stack -> its file, for every environment (not partial) of the repository."""
    out: dict[str, str] = {}
    for name in ws.list_dir(ws.env_dir):
        if name.endswith(SUFFIXES) and not is_partial(stem_of(name)):
            out.setdefault(stem_of(name), os.path.join(ws.env_dir, name))
    return out


def path_at_ref(gws: GitWorkspace, path: str) -> str | None:
    """The file of the environment at `path` as it was at the ref, whichever suffix it
    had then (prod.yaml renamed to prod.yml is no new environment); None: there was none."""
    stem = os.path.join(os.path.dirname(path), stem_of(path))
    return next((stem + s for s in (os.path.splitext(path)[1], *SUFFIXES)
                 if gws.is_file(stem + s)), None)


def baseline(gws: GitWorkspace, path: str) -> dict[str, Any] | list[Diagnostic] | None:
    """The graph of the environment at `path` as it was at the ref: None when it did not
    exist; its diagnostics when it did not compile there."""
    old_path = path_at_ref(gws, path)
    if old_path is None:
        return None
    old = compile_environment(gws, old_path, origins=False)
    return old.diagnostics if old.graph is None else old.graph.to_json()


def compare_all(root: str, against: str, allowed: set[str],
                allow_downgrade: bool) -> Report:
    """`allowed` holds NAME (accepted in every stack) and STACK:NAME (in that one)."""
    ws, gws = Workspace(root), GitWorkspace(root, against)
    now, then = stacks_in(ws), stacks_in(gws)
    if not now and not then:
        raise UsageError(f"no environment files in {ws.display(ws.env_dir)}/, now or at "
                         f"{against}")
    report = Report(against, [], [], allowed)
    for env in sorted(set(now) | set(then)):
        if env not in now:
            report.stacks.append(StackDiff(
                env, "removed", OK, note=f"{visible(ws.display(then[env]))} is gone: its "
                "stack and resources stay until destroyed, by pulumi destroy --stack "
                f"{visible(env)}"))
            continue
        s = _compare(ws, gws, env, now[env])
        if s is None:
            report.unchanged.append(env)
            continue
        if s.diff is not None:
            s.diff.allow_downgrade = allow_downgrade
            s.code = UNSAFE if s.diff.blocked(allowed_in(env, allowed)) else OK
        report.stacks.append(s)
    return report


def allowed_in(env: str, allowed: set[str]) -> set[str]:
    """The --allow-replace names that hold in stack `env`: NAME, and STACK:NAME of it
    (declaration names have no `:`)."""
    return {a.partition(":")[2] if ":" in a else a for a in allowed
            if ":" not in a or a.partition(":")[0] == env}


def _compare(ws: Workspace, gws: GitWorkspace, env: str, path: str) -> StackDiff | None:
    c = compile_environment(ws, path, origins=False)
    ws.forget(path)
    if c.graph is None:
        return StackDiff(env, "error", CONFIG_ERROR, note=f"{visible(ws.display(path))} "
                         "does not compile", errors=_lines(c.diagnostics))
    old = baseline(gws, path)
    if isinstance(old, list):
        return StackDiff(env, "error", CONFIG_ERROR, note=f"{env} at {visible(gws.ref)} does not "
                         "compile, so there is nothing to compare against",
                         errors=_lines(old))
    d = diff_graphs(old, c.graph.to_json(), f"{visible(ws.display(path))} at {visible(gws.ref)}")
    if old is None:
        return StackDiff(env, "added", OK, d)
    if not d.changes and d.profile is None:
        return None
    return StackDiff(env, "changed", OK, d)


def _lines(diags: list[Diagnostic]) -> list[str]:
    return [d.render_text() for d in sorted(diags) if d.severity == "error"]


# --- renderers ---------------------------------------------------------------------------


def diff_doc(d: Diff, allowed: set[str]) -> dict[str, Any]:
    """One diff as data: what `diff --format json` prints, in the order people read it."""
    return {
        "format": DIFF_FORMAT,
        "environment": d.env,
        "baseline": d.baseline,
        "production": d.production,
        "profile": None if d.profile is None else {
            "old": d.profile.old, "new": d.profile.new,
            "downgrade": d.profile.downgrade, "drops": list(d.profile.drops)},
        "changes": [{"name": c.name, "type": c.type, "action": c.action,
                     "renamed_from": c.renamed_from, "imported": c.imported,
                     "grant": c.grant, "old_type": c.old_type,
                     "args": [{"key": a.key, "old": a.old, "new": a.new,
                               "verdict": a.verdict, "why": a.why, "deferred": a.deferred}
                              for a in c.args]} for c in d.changes],
        "counts": d.counts(),
        "hints": d.hints,
        "monthly_cost": d.cost.total if d.cost is not None else None,
        "refusals": refusal_lines(d, allowed),
        "blocked": d.blocked(allowed),
    }


def diff_json(d: Diff, allowed: set[str]) -> str:
    return json.dumps(diff_doc(d, allowed), indent=2, ensure_ascii=False) + "\n"


def all_json(r: Report) -> str:
    doc = {"format": REPORT_FORMAT, "against": r.against, "exit": r.code,
           "stacks": [{"environment": s.env, "status": s.status, "exit": s.code,
                       "note": s.note or None, "errors": s.errors,
                       "diff": diff_doc(s.diff, allowed_in(s.env, r.allowed))
                       if s.diff else None}
                      for s in r.stacks],
           "unchanged": r.unchanged}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def all_text(r: Report) -> str:
    from .difftext import diff_text

    parts = [f"diff --all against {visible(r.against)}: {visible(r.summary())}\n"]
    for s in r.stacks:
        parts.append(diff_text(s.diff, allowed_in(s.env, r.allowed)) if s.diff else
                     "".join(f"{line}\n" for line in [f"{s.env}: {s.note}", *s.errors]))
    return "\n".join(parts)
