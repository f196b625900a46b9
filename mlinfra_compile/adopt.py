"""`mlinfra adopt STATE ENV`: a running Pulumi stack, written by hand, read back into an
environment file that compiles to the arguments its resources run with (README, "Moving
an existing stack to mlinfra"). Each provider module reads its own types back (`adopt`,
next to its `build`; `providers.ADOPT`) with the helpers here; this module names the
declarations, takes the provider settings, writes how the resources change hands, matches
the stack's outputs with attributes (`exports`) and lists what it cannot express. What the
reverse mappings share is providers/adopting.py.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .providers.adopting import DECLARATION, Adopted, kebab
from .state import SECRET, Checkpoint, StateResource, number, shown
from .statediff import match, same

if TYPE_CHECKING:
    from .resolve import Compiled, Workspace

# A Pulumi stack or project name (pulumi/pulumi sdk/go/common/tokens: names are
# [A-Za-z0-9_.-], 100 characters at most): the steps adopt prints hold them.
PULUMI_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")


# --- adopt --------------------------------------------------------------------------------

@dataclass
class Written:
    path: str
    missing: list[str]  # what it could not express, one line each
    steps: str  # how the resources change hands, for the terminal
    left: list[str]  # what stays with the old stack, one line each


def adopt_stack(ws: Workspace, cp: Checkpoint, env: str, *, same_stack: bool) -> Written:
    """Write environments/ENV.yaml from the checkpoint; never overwrites (UsageError)."""
    from .resolve import ENV_NAME, ENV_NAME_RULE, SUFFIXES, UsageError, is_partial

    if not ENV_NAME.fullmatch(env) or is_partial(env):
        raise UsageError(f"{env!r} is not an environment name: use {ENV_NAME_RULE} (a "
                         "leading `_` marks a partial)")
    for s in SUFFIXES:
        existing = os.path.join(ws.env_dir, env + s)
        if os.path.lexists(existing):
            raise UsageError(f"{ws.display(existing)} exists; mlinfra adopt never overwrites")
    if not cp.resources:
        raise UsageError(f"{cp.shown} holds no cloud resource to adopt")
    for what, name in (("stack", cp.stack), ("project", cp.project)):
        if not PULUMI_NAME.fullmatch(name):  # (it reaches commands printed to be run)
            raise UsageError(f"{cp.shown}: the {what} name {shown(name)} in its URNs is not "
                             f"a Pulumi {what} name (letters, digits, `_`, `.`, `-`)")
    project = _project_name(ws, cp.project)
    found, missing, left = _read_all(cp, same_stack)
    doc = _document(cp, env, found, same_stack, project, missing)
    exports, unmatched = _exports(cp, env, doc)
    missing += unmatched
    if exports:
        doc = {k: v for k, v in doc.items() if k in ("providers", "default_provider")} | \
            {"exports": exports} | {k: v for k, v in doc.items() if k in
                                    ("session_stores", "queues")}
    text = _header(ws, cp, env, same_stack, missing, left) + _yaml(doc)
    from .safewrite import create

    path = create(ws.root, f"environments/{env}.yaml", text)  # (no link followed)
    return Written(path, missing, _steps(cp, env, same_stack, project, bool(left)), left)


def _project_name(ws: Workspace, old: str) -> str:
    """The Pulumi project mlinfra deploys (Pulumi.yaml `name`), else the old one's."""
    import yaml

    # (read as every repository file is: no FIFO, at most 1 MiB, not outside the root)
    text = ws.peek(os.path.join(ws.root, "Pulumi.yaml"))
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        return old
    name = doc.get("name") if isinstance(doc, dict) else None
    return name if isinstance(name, str) and re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", name) \
        else old


def _read_all(cp: Checkpoint, same_stack: bool) -> tuple[list[Adopted], list[str],
                                                          list[str]]:
    """What each service reads back; what no service takes (one line each, counted as
    not expressed); what belongs to the old stack alone (components, read-only and
    pending resources: no cloud resource of their own to move)."""
    from .providers import ADOPT, adopting
    from .sdkargs import passable

    adopting.PASSABLE[0] = passable  # (services read SDK arguments through it)
    found: list[Adopted] = []
    why: dict[str, str] = {}
    for reader in ADOPT:
        got, reasons = reader(cp.resources, same_stack)
        found += got
        why.update(reasons)
    claimed = {r.urn for a in found for r in a.resources()}
    missing = [f"{s.type} {s.name} (id {shown(s.id)}): "
               + why.get(s.urn, "mlinfra does not manage this kind of resource")
               for s in cp.resources if s.urn not in claimed]
    for a in found:
        for s in a.resources():
            p = cp.provider_of(s)
            if p is not None and not p.name.startswith("default"):
                keys = ", ".join(sorted(k for k in p.inputs if not k.startswith("__")))
                missing.append(f"{s.type} {s.name}: uses provider {p.name} ({keys}); "
                               "mlinfra's resources use their cloud's default provider")
    left = [f"{s.type} {s.name}: a component, a read-only resource or a pending deletion: "
            "not moved; it stays with the old stack" for s in cp.others]
    return found, missing, left


def _setting(cp: Checkpoint, s: StateResource, key: str) -> str | None:
    v = s.value(key)
    p = cp.provider_of(s)
    if v is None and p is not None:
        v = p.inputs.get(key)
    return v if isinstance(v, str) and v else None


def _settings(cp: Checkpoint, found: list[Adopted],
              missing: list[str]) -> dict[str, dict[str, str]]:
    """providers: the gcp project and region, the aws region most resources have; a
    resource in another gcp project is listed (an environment has one)."""
    out: dict[str, dict[str, str]] = {}
    for cloud, keys in (("gcp", ("project", "region")), ("aws", ("region",))):
        mine = [s for a in found if a.provider == cloud for s in a.resources()]
        if not mine:
            continue
        out[cloud] = {}
        for key in keys:
            seen = Counter(v for s in mine if (v := _setting(cp, s, key)) is not None)
            if seen:
                out[cloud][key] = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        for s in mine if "project" in out[cloud] else ():
            p = _setting(cp, s, "project")
            if p is not None and p != out[cloud]["project"]:
                missing.append(f"{s.type} {s.name}: project {shown(p)}; an environment has "
                               f"one gcp project, {out[cloud]['project']}")
    return out


def _unique(base: str, taken: set[str]) -> str:
    base = base if base[:1].isalpha() else f"r-{base}".rstrip("-")
    base = base[:40].rstrip("-") if len(base) > 1 else f"{base}-0"
    name, n = base, 1
    while name in taken or not DECLARATION.fullmatch(name):
        n += 1
        name = f"{base[:36].rstrip('-')}-{n}"
    taken.add(name)
    return name


def _document(cp: Checkpoint, env: str, found: list[Adopted], same_stack: bool,
              project: str, missing: list[str]) -> dict[str, Any]:
    """providers, default_provider and the declarations (exports come later)."""
    from .clouds import CLOUDS

    settings = _settings(cp, found, missing)
    counts = Counter(a.provider for a in found)
    order = list(CLOUDS)
    default = sorted(counts, key=lambda c: (-counts[c], order.index(c)))[0] \
        if len(counts) > 1 else None
    taken: set[str] = set()
    named = [(_unique(kebab(a.own.name), taken), a)
             for a in sorted(found, key=lambda a: (kebab(a.own.name), a.own.urn))]
    doc: dict[str, Any] = {"providers": settings}
    if default:
        doc["default_provider"] = default
    for name, a in named:
        d: dict[str, Any] = {"provider": a.provider} if default and a.provider != default \
            else {}
        region = settings.get(a.provider, {}).get("region")
        d.update({k: v for k, v in a.fields.items() if not (k == "region" and v == region)})
        missing += [f"{name} ({a.own.type} {a.own.name}): {m}" for m in a.missing]
        ids = {name + suffix: g for suffix, g in a.generated.items()}
        _hand_over(d, a.own, name, ids, (env, project) if same_stack else None, missing)
        subs: dict[str, Any] = {}
        for key, part in a.subscriptions.items():
            subs[key] = dict(part.fields)
            missing += [f"{name}.subscriptions.{key} ({part.resource.type} "
                        f"{part.resource.name}): {m}" for m in part.missing]
            _hand_over(subs[key], part.resource, "", {}, (env, project) if same_stack
                       else None, missing)
        if subs:
            d["subscriptions"] = subs
        doc.setdefault(a.section, {})[name] = d
    return doc


def _hand_over(d: dict[str, Any], s: StateResource, name: str,
               generated: dict[str, StateResource], renamed: tuple[str, str] | None,
               missing: list[str]) -> None:
    """`name` (the physical name it has), and `import` (its id; with generated resources
    a map by logical name) or, when the old stack becomes this one, `previous_names`
    (its URN as the state has it and as `pulumi stack rename` rewrites it)."""
    from .providers import IMPORT_IDS, NAME_ARGS
    from .state import HOSTILE, camel

    physical = s.value(camel(NAME_ARGS.get(s.type, "name")))
    if isinstance(physical, str) and HOSTILE.search(physical):
        from .resolve import UsageError

        raise UsageError(f"{s.type} {s.name}: its name {shown(physical)} holds control "
                         "characters or backticks; mlinfra refuses to write it")
    if isinstance(physical, str) and physical:
        d["name"] = physical
    else:
        missing.append(f"{s.type} {s.name}: the state holds no physical name, so mlinfra "
                       "would name it anew (a replacement)")
    if renamed is not None:
        d["previous_names"] = list(dict.fromkeys([s.urn, s.renamed(*renamed)]))
        return
    ids: dict[str, str] = {}
    for logical, r in {name: s, **generated}.items():
        form = IMPORT_IDS.get(r.type)
        if form is not None and re.fullmatch(form.pattern, r.id):
            ids[logical] = r.id
        else:
            missing.append(f"{r.type} {r.name}: its id {shown(r.id)} is not the form "
                           f"mlinfra imports ({form.example if form else 'none'})")
    if ids:
        d["import"] = ids if generated else next(iter(ids.values()))


def _draft(env: str, doc: dict[str, Any]) -> Compiled:
    """The environment compiled in a scratch repository (nothing written to the real
    one yet)."""
    import tempfile

    from .resolve import Workspace, compile_environment

    with tempfile.TemporaryDirectory(prefix="mlinfra-adopt-") as tmp:
        from .safewrite import create

        path = create(tmp, f"environments/{env}.yaml", _yaml(doc))
        return compile_environment(Workspace(tmp), path, origins=False, attributes=True)


def _words(text: str) -> list[str]:
    return [w.removesuffix("s") for w in re.split(r"[._\-]+", text.lower()) if w]


def _exports(cp: Checkpoint, env: str, doc: dict[str, Any]) -> tuple[dict[str, str],
                                                                      list[str]]:
    """Each stack output as DECLARATION.ATTRIBUTE whose value in the state is the
    output's (the attribute whose words the output's name shares most); what matches
    nothing is listed."""
    from .language import EXPORT_NAME_PATTERN

    if not cp.outputs:
        return {}, []
    c = _draft(env, doc)
    if c.graph is None or c.context is None:
        return {}, [f"output {shown(n)}: not matched, as the environment does not compile"
                    for n in sorted(cp.outputs)]
    matched = match(cp, c.graph.to_json()["resources"])
    chosen: dict[str, str] = {}
    notes: list[str] = []
    for out, value in sorted(cp.outputs.items()):
        if not re.fullmatch(EXPORT_NAME_PATTERN, out):
            notes.append(f"output {shown(out)}: not a name exports can give")
            continue
        if value == SECRET:
            notes.append(f"output {out}: a secret, which mlinfra cannot compare; export it "
                         "by hand")
            continue
        words = set(_words(out))
        found = sorted((-sum(w in words for w in _words(attr)), len(_words(attr)), decl, attr)
                       for decl, (table, _secret, pem) in c.context.attributes.items()
                       for attr, (res, output) in table.items()
                       if attr not in pem and res in matched
                       and same(matched[res].attr(output), number(value)))
        if found:
            chosen[out] = f"{found[0][2]}.{found[0][3]}"
        else:
            notes.append(f"output {out} = {shown(value)}: no declaration attribute has "
                         "this value")
    checked = _draft(env, {**doc, "exports": chosen})
    for diag in checked.diagnostics:
        name = diag.path.removeprefix("exports.") if diag.path.startswith("exports.") else ""
        if name in chosen:
            notes.append(f"output {name}: {chosen.pop(name)} is refused: {diag.message}")
    return chosen, notes


def _yaml(doc: dict[str, Any]) -> str:
    import yaml

    return str(yaml.safe_dump(doc, sort_keys=False, default_flow_style=False,
                              allow_unicode=False, width=4096)) if doc else ""


def _header(ws: Workspace, cp: Checkpoint, env: str, same_stack: bool, missing: list[str],
            left: list[str]) -> str:
    schema = os.path.join(ws.root, "schemas", "environment.schema.json")
    lines = [f"# yaml-language-server: $schema="
             f"{os.path.relpath(schema, ws.env_dir).replace(os.sep, '/')}"] \
        if os.path.isfile(schema) else []
    n = len(cp.resources)
    lines += [f"# {env}: adopted with `mlinfra adopt` from stack {shown(cp.stack)} of project "
              f"{shown(cp.project)}",
              f"# ({shown(cp.shown, 200)}): {n} resource{'s' if n != 1 else ''}, each with "
              "the arguments it runs with;",
              f"# `mlinfra diff {env} --against-state FILE` compares them again.",
              "# The old stack becomes this one: previous_names holds each resource's URN."
              if same_stack else
              "# A new stack takes them over: `import` adopts each by its id, `name` keeps "
              "its name."]
    if missing:
        lines.append("# Not expressed here (mlinfra does not model it; add it by hand or "
                     "keep it in the old stack):")
        lines += [f"#   {shown(m, 400)}" for m in missing]
    if left:
        lines.append("# Left with the old stack:")
        lines += [f"#   {shown(m, 400)}" for m in left]
    return "\n".join(lines) + "\n"


def _steps(cp: Checkpoint, env: str, same_stack: bool, project: str, left: bool) -> str:
    old = f"stack {shown(cp.stack)} of project {shown(cp.project)}"
    if not same_stack:
        keep = ("once it manages nothing but what is listed as staying with it (else those "
                "resources would be managed by no stack; delete or move them first)"
                if left else "(run no `pulumi up` or `pulumi destroy` there before)")
        return (f"next, stack {env} takes over the resources the file declares (the "
                "comparison above shows what else it would create or delete):\n"
                f"  1. `mlinfra deploy {env} --preview`, then `mlinfra deploy {env}`: "
                "imports each resource by its id\n"
                f"  2. `pulumi stack rm --force {shown(cp.stack)}` in the old program's "
                f"folder ({old}): forgets the old stack and leaves its resources running, "
                f"{keep}\n")
    rename = "" if (cp.stack, cp.project) == (env, project) else (
        f"  1. `pulumi stack rename organization/{project}/{env} --stack "
        f"{shown(cp.stack)}` in the old program's folder (Pulumi Cloud: your "
        "organization's name): Pulumi rewrites each URN to the second of its "
        "previous_names\n")
    return (f"next, {old} becomes stack {env} (nothing is created or deleted):\n{rename}"
            f"  {'2' if rename else '1'}. `mlinfra diff {env} --against-stack`: nothing "
            "created, replaced or deleted\n"
            f"  {'3' if rename else '2'}. `mlinfra deploy {env}` here: the aliases carry "
            "each resource over and the stack records mlinfra's graph (a stack without "
            "one is deployed only when nothing it holds would be replaced or deleted)\n")
