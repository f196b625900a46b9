"""Pulumi checkpoints: what `pulumi stack export` prints, read safely, and turned into the
baseline that `diff --against-state`, `diff --against-stack` and `adopt` compare a compiled
graph with (the same `diff.diff_graphs` as a git baseline).

The shapes, read in Pulumi's source (pulumi/pulumi, sdk/go/common/apitype/core.go):
`UntypedDeployment` {version, deployment}, version 3 being DeploymentSchemaVersionCurrent;
`DeploymentV3` {manifest, secrets_providers, resources (omitted when empty),
pending_operations}; `ResourceV3` {urn, custom, delete, id, type, inputs, outputs, parent,
protect, external, dependencies, provider, propertyDependencies, pendingReplacement,
aliases, importID, ...}: no delete_before_replace, which lives in the program only.
A URN is urn:pulumi:<stack>::<project>::<qualified type>::<name>, a child's type
`parent$type` (sdk/go/common/resource/urn.go). A secret is {SecretSig: SecretSigValue,
"ciphertext": ...} (sdk/go/common/resource/sig). Bridged providers list in `__defaults`
the inputs they filled in from defaults, an auto-name among them (pulumi-terraform-bridge
pkg/tfbridge/schema.go, defaultsKey). A provider diffs "the old output values" with "the
new input values" (proto/pulumi/provider.proto, DiffRequest): an argument the old program
left to the provider reads as the output it runs with.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from typing import Any

from .escape import visible

MAX_BYTES = 64 * 1024 * 1024  # a state file read: larger is refused, never read whole
MAX_DEPTH = 100  # nesting of a checkpoint's values (an IAM policy nests about 8 deep)
SIG = "4dabf18193072939515e22adb298388d"  # SecretSig: marks a special value
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"  # ... this one a secret
SECRET = "(secret)"  # what a secret reads as: never its ciphertext, compared as unknown
SPECIAL = "(a Pulumi special value)"  # an asset, archive or resource reference
STACK_TYPE = "pulumi:pulumi:Stack"  # as livestack.py
PROVIDER_PREFIX = "pulumi:providers:"
# Text that would move a terminal's cursor, reorder what a reviewer reads, or open code in
# markdown, in the names and ids mlinfra writes into files and messages: refused.
HOSTILE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff`]")
# Map-valued arguments, whose keys are the user's, not property names (typed
# Mapping[str, ...] in pulumi-gcp 10.2.0 redis/instance.py, pubsub/topic.py,
# pubsub/subscription.py, pubsub/_inputs.py, and pulumi-aws 7.51.1 sqs/queue.py,
# elasticache/replication_group.py, elasticache/parameter_group.py's tags). A parameter
# group's `parameters` is not one: Sequence[ParameterGroupParameterArgs], objects of
# `name` and `value` (pulumi-aws 7.51.1 elasticache/parameter_group.py).
MAPS = frozenset({"labels", "effective_labels", "pulumi_labels", "terraform_labels", "tags",
                  "tags_all", "redis_configs", "attributes"})
# The Terraform bridge's record of the defaults it applied, written into the inputs of a
# resource and of the objects and maps inside them: never an argument, nor a label or tag
# (a GCP label key starts with a letter)
BRIDGE_DEFAULTS = "__defaults"
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


class StateError(ValueError):
    """A state file or export mlinfra cannot read; the message names it."""


def snake(key: str) -> str:
    """A schema property name as the Python SDK spells it: memorySizeGb -> memory_size_gb."""
    return _CAMEL.sub("_", key).lower()


def camel(key: str) -> str:
    first, *rest = key.split("_")
    return first + "".join(p[:1].upper() + p[1:] for p in rest)


def shown(value: Any, limit: int = 80) -> str:
    """A value from the state inside one line of a message or a comment."""
    text = visible(value if isinstance(value, str) else json.dumps(value, sort_keys=True))
    return text if len(text) <= limit else text[:limit] + "..."


class Sealed(dict[str, Any]):
    """Inputs or outputs that are wholly one secret (or special value): every key reads
    as SECRET (SPECIAL), and holds it once set (so diff compares each as unknown)."""

    def __init__(self, word: str = SECRET) -> None:
        super().__init__()
        self.word = word

    def get(self, key: Any, default: Any = None) -> Any:
        return self.word

    def __missing__(self, key: str) -> Any:
        return self.word

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, self.word)


@dataclass(frozen=True)
class StateResource:
    """One resource of a checkpoint; inputs and outputs as the state spells them
    (camelCase), secrets read as SECRET."""

    urn: str
    type: str
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    protect: bool = False
    parent: str = ""
    provider: str = ""
    defaults: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.urn.split("::", 3)[3]

    @property
    def top_level(self) -> bool:
        """Parented to the stack (or nothing): a logical name alone names it."""
        return not self.parent or self.parent.split("::", 3)[2] == STACK_TYPE

    def value(self, key: str) -> Any:
        """An argument (camelCase): the program's input, else the output it runs with; a
        secret (or special value) is not one to use (None: adopt's Reading lists it)."""
        v = self.raw(key)
        return None if isinstance(v, str) and v in (SECRET, SPECIAL) else v

    def raw(self, key: str) -> Any:
        """value(), secrets read as SECRET (SPECIAL)."""
        v = self.inputs.get(key)
        return v if v is not None else self.outputs.get(key)

    def attr(self, attr: str) -> Any:
        """An output the graph names (`arn`, `primary_endpoint_address`, `id`)."""
        return self.id if attr == "id" else number(self.outputs.get(camel(attr)))

    def renamed(self, stack: str, project: str) -> str:
        """The URN after `pulumi stack rename PROJECT/STACK` (pulumi/pulumi
        pkg/resource/edit/operations.go RenameStack: every URN's stack and project)."""
        return f"urn:pulumi:{stack}::{project}::{self.urn.split('::', 3)[2]}::{self.name}"


@dataclass(frozen=True)
class Checkpoint:
    shown: str  # the file (or stack) as messages name it
    resources: tuple[StateResource, ...]  # cloud resources: custom, managed, live
    providers: tuple[StateResource, ...]
    others: tuple[StateResource, ...]  # components, read-only and pending deletions
    outputs: dict[str, Any]  # the stack's outputs
    stack: str = ""
    project: str = ""

    def provider_of(self, r: StateResource) -> StateResource | None:
        urn = r.provider.rsplit("::", 1)[0] if r.provider else ""
        return next((p for p in self.providers if p.urn == urn), None)


def read_checkpoint(path: str) -> Checkpoint:
    """A `pulumi stack export` file ("-": standard input), at most MAX_BYTES of JSON."""
    where = visible(path)
    raw = _read(path, where)
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise StateError(f"{where}: not UTF-8 text; give what `pulumi stack export` "
                         "prints") from None
    except (ValueError, RecursionError):
        raise StateError(f"{where}: not JSON (or nested deeper than a checkpoint is); give "
                         "what `pulumi stack export` prints") from None
    return checkpoint(doc, where)


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON


def _read(path: str, where: str) -> bytes:
    """At most MAX_BYTES of the file (reading.read_file: no FIFO, never read whole)."""
    from .reading import Refusal, read_file, read_stream

    data = read_stream(sys.stdin.buffer, MAX_BYTES) if path == "-" else \
        read_file(path, MAX_BYTES)
    if data is None:  # (standard input, longer than MAX_BYTES)
        data = Refusal("size")
    if isinstance(data, bytes):
        return data
    if data.kind == "error":
        raise StateError(f"{where}: {data.detail}")
    if data.kind == "type":
        raise StateError(f"{where}: not a regular file; write the export to a file "
                         "first (`pulumi stack export > state.json`)")
    if data.size is not None:
        raise StateError(f"{where}: {data.size} bytes, more than the "
                         f"{MAX_BYTES // 2**20} MiB mlinfra reads")
    raise StateError(f"{where}: more than the {MAX_BYTES // 2**20} MiB mlinfra reads")


def checkpoint(doc: Any, where: str) -> Checkpoint:
    """A parsed export, checked; StateError names what is wrong."""
    if not isinstance(doc, dict):
        raise StateError(f"{where}: not a JSON object, so not a `pulumi stack export`")
    if _depth(doc) > MAX_DEPTH:
        raise StateError(f"{where}: values nested more than {MAX_DEPTH} deep; a checkpoint "
                         "nests far less")
    version = doc.get("version")
    if type(version) is not int or version != 3:
        raise StateError(f"{where}: checkpoint version {shown(version)}; mlinfra reads "
                         "version 3, what `pulumi stack export` of Pulumi 3 prints")
    deployment = {} if doc.get("deployment") is None else doc["deployment"]  # (never updated)
    if not isinstance(deployment, dict):
        raise StateError(f"{where}: deployment is not an object")
    entries = [] if deployment.get("resources") is None else deployment["resources"]
    if not isinstance(entries, list):
        raise StateError(f"{where}: deployment.resources is not a list")
    groups: dict[str, list[StateResource]] = {"live": [], "providers": [], "others": []}
    outputs: dict[str, Any] = {}
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        r, group = _resource(entry, f"{where}: deployment.resources[{i}]")
        if group != "others" and r.urn in seen:
            raise StateError(f"{where}: two resources have the URN {shown(r.urn)}")
        seen.add(r.urn)
        if r.type == STACK_TYPE:
            outputs = r.outputs
        else:
            groups[group].append(r)
    first = min(seen, default="urn:pulumi:::").removeprefix("urn:pulumi:").split("::")
    return Checkpoint(where, tuple(groups["live"]), tuple(groups["providers"]),
                      tuple(groups["others"]), outputs, first[0], first[1])


def _depth(doc: Any) -> int:
    """How deep a JSON value nests, without recursion."""
    deepest, todo = 0, [(doc, 1)]
    while todo:
        value, depth = todo.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH and isinstance(value, dict | list):
            todo.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict)
                                                 else value))
    return deepest


def _text(entry: dict[str, Any], key: str, at: str, *, required: bool = False) -> str:
    v = entry.get(key)
    if v is None and not required:
        return ""
    if not isinstance(v, str) or (required and not v):
        raise StateError(f"{at}: {key} is not a string")
    if HOSTILE.search(v):
        raise StateError(f"{at}: {key} {shown(v)} holds control characters or backticks; "
                         "mlinfra writes names and ids into files and messages, so it "
                         "refuses them")
    return v


def _resource(entry: Any, at: str) -> tuple[StateResource, str]:
    if not isinstance(entry, dict):
        raise StateError(f"{at}: not an object")
    urn = _text(entry, "urn", at, required=True)
    if not urn.startswith("urn:pulumi:") or urn.count("::") < 3:
        raise StateError(f"{at}: urn {shown(urn)} is not urn:pulumi:STACK::PROJECT::TYPE::NAME")
    kind = _text(entry, "type", at, required=True)
    ident, parent, provider = (_text(entry, k, at) for k in ("id", "parent", "provider"))
    io = {}
    for key in ("inputs", "outputs"):
        v = entry.get(key)
        if v is not None and not isinstance(v, dict):
            raise StateError(f"{at}: {key} is not an object")
        plain = _unsecret(v or {})
        io[key] = plain if isinstance(plain, dict) else Sealed(plain)
    flags = {k: entry.get(k) for k in ("custom", "protect", "delete", "external",
                                       "pendingReplacement")}
    for k, v in flags.items():
        if v is not None and not isinstance(v, bool):
            raise StateError(f"{at}: {k} is not true or false")
    declared = io["inputs"].get("__defaults")
    r = StateResource(urn, kind, ident, io["inputs"], io["outputs"], bool(flags["protect"]),
                      parent, provider, frozenset(d for d in declared if isinstance(d, str))
                      if isinstance(declared, list) else frozenset())
    if kind.startswith(PROVIDER_PREFIX):
        return r, "providers"
    if kind != STACK_TYPE and (flags["custom"] is False or flags["delete"]
                               or flags["external"] or flags["pendingReplacement"]):
        return r, "others"
    return r, "live"


def _unsecret(value: Any) -> Any:
    """Secrets (and assets, archives, resource references) as words, never their
    contents: nothing of a secret reaches a file or a terminal."""
    if isinstance(value, dict):
        if SIG in value:
            return SECRET if value.get(SIG) == SECRET_SIG else SPECIAL
        return {k: _unsecret(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unsecret(v) for v in value]
    return value


def number(v: Any) -> Any:
    """1.0 as 1: the state holds JSON numbers, the graph integers."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def shown_key(k: str) -> str:
    """A key from the state as diff shows it: control characters visible, and never one
    of the graph's markers ($ref, $json, $secret)."""
    return "\\" + visible(k) if k.startswith("$") else visible(k)


def to_snake(value: Any, key: str = "") -> Any:
    """State properties as the graph spells arguments: names in snake_case (but the keys
    of map-valued arguments), integral numbers as integers, `__` keys dropped."""
    if isinstance(value, Sealed):
        return Sealed(value.word)
    if isinstance(value, dict):
        if key in MAPS:
            return {shown_key(k): to_snake(v) for k, v in value.items()
                    if k != BRIDGE_DEFAULTS}
        return {shown_key(snake(k)): to_snake(v, snake(k)) for k, v in value.items()
                if not k.startswith("__")}
    if isinstance(value, list):  # (no map-valued argument is a list: its items are values)
        return [to_snake(v) for v in value]
    return number(value)
