"""Change safety: compare two graphs and say what Pulumi would create, update in place,
replace or delete, before anyone runs `pulumi preview` with credentials.

The baseline is the environment as it was at a git ref (its whole extends chain read
with git, nothing checked out) or, for `deploy`, the graph the stack last deployed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .graph import urn_name
from .providers import CHANGES, NAME_ARGS, STATEFUL
from .providers.changes import Step, Verdict, classify, unchanged

# json.dumps(value, sort_keys=True) without building an encoder per call (every output of
# both graphs is flattened: 85,000 calls for a diff of 10,000 declarations)
_SORTED_JSON = json.JSONEncoder(sort_keys=True)

# CHANGES: every resource type the compiler emits -> {argument: what its change does};
# STATEFUL: the types that hold data (replacing or deleting one loses it). Both come from
# the provider services' registry (sources cited in each service's table).

UNKNOWN = {"$unknown": "known after the replacement"}
# The import option on a resource the stack already manages (pulumi/pulumi
# developer-docs/architecture/import.md): the same id is a no-op, any other id makes Pulumi
# delete the resource and import that one in its place.
IMPORT_OVER = ("the stack already manages this resource: unless the id is the one it has, "
               "Pulumi deletes it and imports that one in its place")


@dataclass
class ArgChange:
    key: str
    old: Any
    new: Any
    verdict: Verdict = "update"
    why: str = ""
    deferred: bool = False  # in place, at the next maintenance window

    @property
    def replace(self) -> bool:
        """Replaces the resource, or may (no rule: treated as a replacement for safety)."""
        return self.verdict in ("replace", "may-replace")


@dataclass
class Change:
    name: str
    type: str
    action: str  # create | import | update | replace | delete
    args: list[ArgChange] = field(default_factory=list)
    renamed_from: str | None = None
    imported: str | None = None  # the cloud id an import adopts
    grant: str | None = None  # who an access grant created or deleted is for
    old_type: str | None = None  # when the replacement is another type (another cloud)

    @property
    def stateful(self) -> bool:
        """Holds data on either side: a Pub/Sub topic becoming an SNS topic still loses
        what the topic's subscriptions held."""
        return self.type in STATEFUL or self.old_type in STATEFUL

    @property
    def reason(self) -> str:
        return "; ".join(f"{a.key}: {a.why}" for a in self.args if a.replace)

    @property
    def maybe(self) -> bool:
        """A replacement only because of arguments mlinfra has no change rule for."""
        return self.action == "replace" and all(a.verdict == "may-replace"
                                                for a in self.args if a.replace)

    @property
    def refusals(self) -> list[ArgChange]:
        return [a for a in self.args if a.verdict == "refused"]

    @property
    def deferred(self) -> bool:
        return self.action == "update" and any(a.deferred for a in self.args)


@dataclass(frozen=True)
class ProfileChange:
    """The environment's profile before and after; from production to development is a
    downgrade, refused without --allow-downgrade, and `drops` says what it gives up."""

    old: str
    new: str
    drops: tuple[str, ...] = ()

    @property
    def downgrade(self) -> bool:
        return self.old == "production" and self.new != "production"

    def line(self) -> str:
        text = f"profile: {self.old} -> {self.new}"
        if self.downgrade:
            text += " (a downgrade: it drops " + "; ".join(self.drops) + ")"
        return text


@dataclass
class Diff:
    env: str
    baseline: str
    production: bool
    changes: list[Change]
    hints: list[str]
    cost: Any = None  # cost.Change: the month before and after
    profile: ProfileChange | None = None  # None: the profile did not change
    allow_downgrade: bool = False  # --allow-downgrade: the command's, not the graphs'

    def counts(self) -> dict[str, int]:
        out = {"create": 0, "import": 0, "update": 0, "replace": 0, "delete": 0}
        for c in self.changes:
            out[c.action] += 1
        return out

    def summary(self) -> str:
        n = self.counts()
        imports = f"{n['import']} to import, " if n["import"] else ""
        text = (f"{n['create']} to create, {imports}{n['update']} to update in place, "
                f"{n['replace']} to replace, {n['delete']} to delete")
        refused = len(self.refused())
        return text + (f"; {refused} refused by the provider" if refused else "")

    def refused(self) -> list[Change]:
        """Changes the cloud API would reject, in any profile: Pulumi would fail half-way
        through an update, so neither diff nor deploy lets them through."""
        return [c for c in self.changes if c.refusals]

    def blocked(self, allowed: set[str]) -> bool:
        return bool(self.refused() or self.unsafe(allowed) or self.downgrade_refused)

    @property
    def downgrade_refused(self) -> bool:
        return self.profile is not None and self.profile.downgrade and \
            not self.allow_downgrade

    def unsafe(self, allowed: set[str]) -> list[Change]:
        """Replacements and deletions of stateful resources a production environment
        refuses without --allow-replace."""
        if not self.production:
            return []
        return [c for c in self.changes if c.stateful and c.action in ("replace", "delete")
                and c.name not in allowed and c.renamed_from not in allowed]


def _resolve_unknowns(value: Any, replaced: set[str]) -> Any:
    """A reference to a resource being replaced is unknown until the replacement exists."""
    if isinstance(value, dict):
        if "$ref" in value:
            return UNKNOWN if value["$ref"] in replaced else value
        return {k: _resolve_unknowns(v, replaced) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_unknowns(v, replaced) for v in value]
    return value


def _rename(value: Any, renames: dict[str, str]) -> Any:
    """References in the baseline, with renamed (aliased) resources under their new names."""
    if isinstance(value, dict):
        if "$ref" in value:
            return {**value, "$ref": renames.get(value["$ref"], value["$ref"])}
        return {k: _rename(v, renames) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, renames) for v in value]
    return value


def _declared(name: str, resources: dict[str, Any]) -> bool:
    """A declaration's own resource, not one generated for it (`<name>-dlq`, `<name>-sub`):
    no other resource of the same source is a prefix of its name. (Each prefix ending
    before a `-` is looked up: asked per change, a scan of every resource would make
    diff quadratic in the number of queues.)"""
    source = resources[name].get("source")
    return not any(name[:i] in resources and resources[name[:i]].get("source") == source
                   for i, ch in enumerate(name) if ch == "-")


def _match(old_res: dict[str, Any], new_res: dict[str, Any]) -> dict[str, str]:
    """Each new resource's old self: the same name, else one of its aliases."""
    matched: dict[str, str] = {}
    for name, r in new_res.items():
        if name in old_res:
            matched[name] = name
            continue
        for alias in r.get("options", {}).get("aliases", []):
            alias = urn_name(alias)  # (a URN: its resource's name)
            if alias in old_res and alias not in new_res:
                matched[name] = alias
                break
    return matched


def _arg_changes(o: dict[str, Any], r: dict[str, Any], renames: dict[str, str],
                 replaced: set[str], running: dict[str, Any]) -> list[ArgChange]:
    """What changes from the old resource `o` to the new `r`: arguments, classified by
    the change tables, then resource options."""
    # (no renames, no replacements: the arguments as they are, not copied; at 10,000
    # declarations most resources compare equal, and their keys are not walked)
    old_args = _rename(o["args"], renames) if renames else o["args"]
    new_args = _resolve_unknowns(r["args"], replaced) if replaced else r["args"]
    args = []
    if r["type"] != o["type"]:  # its arguments are another type's: not compared
        moved = r["type"].split(":")[0] != o["type"].split(":")[0]
        old_args = new_args = {}
        args.append(ArgChange("type", o["type"], r["type"], "replace",
                              "another cloud: created there, deleted here" if moved
                              else "a different resource type"))
    ignored = set(r.get("options", {}).get("ignore_changes", ()))  # Pulumi compares none
    for key in sorted((set(old_args) | set(new_args)) - ignored) if old_args != new_args \
            else ():
        ov, nv = old_args.get(key), new_args.get(key)
        step = Step(key, ov, nv, old_args, new_args, running)
        if ov == nv or unchanged(CHANGES, r["type"], step):
            continue
        outcome, deferred = classify(CHANGES, r["type"], step)
        why = outcome.why
        if nv is UNKNOWN and outcome.verdict == "replace":
            why = "its value comes from a replaced resource"
        args.append(ArgChange(key, ov, nv, outcome.verdict, why, deferred))
    for key in sorted(set(o.get("options", {})) | set(r.get("options", {}))):
        if key == "aliases":
            continue
        ov, nv = o.get("options", {}).get(key), r.get("options", {}).get(key)
        if key == "import" and ov != nv and nv is not None:
            args.append(ArgChange("options.import", ov, nv, "replace", IMPORT_OVER))
        elif ov != nv:  # resource options live in Pulumi's state, not the cloud
            args.append(ArgChange(f"options.{key}", ov, nv))
    return args


def diff_graphs(old: dict[str, Any] | None, new: dict[str, Any], baseline: str,
                running: dict[str, dict[str, Any]] | None = None) -> Diff:
    """What Pulumi would do to go from `old` to `new`; `running` holds what deployed
    resources report they run, by old resource name (see Step.running)."""
    old_res = {r["name"]: r for r in (old or {}).get("resources", [])}
    new_res = {r["name"]: r for r in new["resources"]}
    matched = _match(old_res, new_res)
    renames = {old_name: new_name for new_name, old_name in matched.items()
               if old_name != new_name}
    changes: dict[str, Change] = {}
    for name, r in new_res.items():
        if name not in matched:  # (an import adopts what exists: `= import`)
            rid = r.get("options", {}).get("import")
            changes[name] = Change(name, r["type"], "create" if rid is None else "import",
                                   imported=rid, grant=_grant(r))
    replaced: set[str] = set()
    # Replacements propagate along references (a subscription whose topic is replaced
    # gets a new topic value): iterate to a fixed point.
    while True:
        before = set(replaced)
        for name, old_name in sorted(matched.items()):
            r, o = new_res[name], old_res[old_name]
            args = _arg_changes(o, r, renames, replaced, (running or {}).get(old_name, {}))
            if any(a.replace for a in args):
                replaced.add(name)
                action = "replace"
            else:
                action = "update"
            if args or old_name != name:  # (args only grow from one pass to the next)
                changes[name] = Change(name, r["type"], action, args,
                                       old_name if old_name != name else None,
                                       old_type=o["type"] if o["type"] != r["type"] else None)
        if replaced == before:
            break
    matched_old = set(matched.values())
    for name, o in old_res.items():
        if name not in matched_old:
            changes[name] = Change(name, o["type"], "delete", grant=_grant(o))
    hints = _rename_hints(changes, old_res, new_res) + _output_hints(old, new, renames)
    production = "production" in (new.get("profile"), (old or {}).get("profile"))
    from .cost import compare

    ordered = sorted(changes.values(), key=lambda c: c.name)
    return Diff(new["environment"], baseline, production, ordered, hints,
                compare(old, new, renames), _profile_change(old, new, ordered))


def _profile_change(old: dict[str, Any] | None, new: dict[str, Any],
                    changes: list[Change]) -> ProfileChange | None:
    """The profile line of a diff (None when it did not change, or nothing is deployed)."""
    if old is None or old.get("profile") == new.get("profile"):
        return None
    was, now = str(old.get("profile")), str(new.get("profile"))
    unprotected = [c.name for c in changes for a in c.args
                   if a.key == "options.protect" and a.old is True and a.new is not True]
    unguarded = [c.name for c in changes for a in c.args
                 if a.key == "deletion_protection" and a.old is True and a.new is not True]
    drops = [f"protect on {', '.join(unprotected)}" if unprotected else "",
             f"deletion protection on {', '.join(unguarded)}" if unguarded else "",
             "the production rules (MLC5xx: high availability, AUTH, TLS, protection, "
             "dead letters, a named network)",
             "the refusal of replacements and deletions of stateful resources (MLC601) "
             "from the next change on"]
    return ProfileChange(was, now, tuple(d for d in drops if d))


def _rename_hints(changes: dict[str, Change], old_res: dict[str, Any],
                  new_res: dict[str, Any]) -> list[str]:
    """A stateful declaration deleted while one of its type is created may be a rename
    that lost its old name; a rename kept by its alias may still change the physical
    name."""
    hints = []
    deleted = [c for c in changes.values() if c.action == "delete" and c.stateful
               and _declared(c.name, old_res)]
    # the created ones by type, each list by name, last first: a deletion takes the first
    created: dict[str, list[Change]] = {}
    for c in sorted(changes.values(), key=lambda c: c.name, reverse=True):
        if c.action == "create" and c.stateful and _declared(c.name, new_res):
            created.setdefault(c.type, []).append(c)
    for d in sorted(deleted, key=lambda c: c.name):
        if created.get(d.type):
            c = created[d.type].pop()
            keep = _keep_name(old_res[d.name], new_res[c.name])
            hints.append(f"if {d.name} was renamed to {c.name}, add `previous_names: "
                         f"[{d.name}]` to the declaration of {c.name}: Pulumi then keeps "
                         "its resources and their data instead of deleting them"
                         + (f"; {keep}" if keep else ""))
    for c in sorted(changes.values(), key=lambda c: c.name):
        keep = _keep_name(old_res[c.renamed_from], new_res[c.name]) \
            if c.renamed_from and c.action == "replace" else None
        if keep:
            hints.append(f"{c.name} is renamed from {c.renamed_from} and kept by its alias, "
                         f"but {keep}")
    return hints


def _outputs(value: Any, prefix: str = "") -> dict[str, str]:
    """A graph's stack outputs, flat: {dotted name: its value as JSON}."""
    if isinstance(value, dict) and "$ref" not in value:
        return {k: v for key, child in value.items()
                for k, v in _outputs(child, f"{prefix}{key}.").items()}
    return {prefix[:-1]: _SORTED_JSON.encode(value)}


def _output_hints(old: dict[str, Any] | None, new: dict[str, Any],
                  renames: dict[str, str]) -> list[str]:
    """A value of a stack output that moved to one new key in the same output (a gcp
    queue's `subscriptions.sub`, now `subscriptions.default`): whoever reads the old
    name by name must change. (A renamed declaration's outputs move with it, as its
    resources do: not said here.)"""
    before = _rename((old or {}).get("outputs", {}), renames)
    if before == new.get("outputs", {}):  # (nothing moved: no output to flatten)
        return []
    was, now = _outputs(before), _outputs(new.get("outputs", {}))
    # the new keys by (output, value), so that each old key is a lookup, not a scan
    fresh: dict[tuple[str, str], list[str]] = {}
    for n, v in now.items():
        if n not in was and "." in n:
            fresh.setdefault((n.partition(".")[0], v), []).append(n)
    hints = []
    for name, value in sorted(was.items()):
        moved = fresh.get((name.partition(".")[0], value), [])
        if name not in now and len(moved) == 1:
            hints.append(f"stack output {name} is now {moved[0]}: programs that read it by "
                         "name (a StackReference) need the new name")
    return hints


def _grant(r: dict[str, Any]) -> str | None:
    """`ROLE for MEMBER` of an IAM member resource: its name is a hash, so the diff must
    say whom it grants what."""
    args = r.get("args", {})
    if isinstance(args.get("member"), str) and isinstance(args.get("role"), str):
        return f"{args['role']} for {args['member']}"
    return None


def _keep_name(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """When a rename would also change the physical name (name_template renders the new
    declaration name), what keeps the resource: its old name, set with `name`."""
    arg = NAME_ARGS.get(old["type"], "")  # ("" names no argument)
    was = old["args"].get(arg)
    now = new["args"].get(arg)
    if not isinstance(was, str) or was == now:
        return None
    return (f"its physical name would change from {was} to {now or 'an auto-name'}, which "
            f"replaces it even then: also set `name: {was}` on {new['name']}")
