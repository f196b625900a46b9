"""What each service's reverse mapping (`adopt`, beside its `build`) shares: reading a
state resource's inputs back into the language (with units), and what it found. The
command that writes the environment file is adopt.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from ..state import SECRET, SPECIAL, Sealed, StateResource, number, shown, snake

DECLARATION = re.compile(r"[a-z][a-z0-9-]{0,38}[a-z0-9]")  # language.NAME_PATTERN
SUBSCRIPTION_KEY = re.compile(r"[a-z]([a-z0-9-]{0,18}[a-z0-9])?")  # SUBSCRIPTION_KEY_PATTERN


# --- what the reverse mappings share (each provider module's `adopt`) ---------------------

# Which SDK arguments a resource type takes as pulumi_args (sdkargs.passable, which reads
# the SDK table and the registry): the compiler hands it in before it asks the services to
# read a stack back (adopt.py), so that services never import upward. None: nothing is
# taken as pulumi_args (every such input is listed instead).
PASSABLE: list[Callable[[str, str], bool] | None] = [None]


@dataclass
class Reading:
    """One state resource read back into language fields: each input a reverse mapping
    takes is expressed; `rest` lists what it could not express and every input it never
    took ("ARG = VALUE"), so that nothing the program set is dropped silently. Inputs the
    provider filled in from its defaults (`__defaults`) are not the program's choice."""

    r: StateResource
    handled: tuple[str, ...] = ("name", "project")
    missing: list[str] = field(default_factory=list)
    _taken: set[str] = field(default_factory=set)

    def get(self, key: str, *, given: bool = False) -> Any:
        """The input, else the output the resource runs with (1.0 as 1); with `given`,
        the input alone. A secret (or another special value) is listed, and None."""
        self._taken.add(key)
        v = number(self.r.inputs.get(key) if given else self.r.raw(key))
        if isinstance(v, str) and v in (SECRET, SPECIAL):
            self.cannot(key, "a secret (or a Pulumi special value): mlinfra cannot read it "
                             "back; set it by hand")
            return None
        return v

    def given(self, key: str) -> Any:
        return self.get(key, given=True)

    def cannot(self, key: str, why: str) -> None:
        self.missing.append(f"{key} = {shown(self.r.raw(key))}: {why}")
        self._taken.add(key)

    # Typed reads: a value of another JSON type, out of range or not one of `allowed` is
    # listed (never guessed, never dropped), and None.
    def integer(self, key: str, lo: int | None = None, hi: int | None = None, *,
                given: bool = False) -> int | None:
        v = self.get(key, given=given)
        if v is None or (type(v) is int and (lo is None or v >= lo)
                         and (hi is None or v <= hi)):
            return v
        bounds = f" in {lo}..{hi}" if lo is not None and hi is not None else \
            f" of at least {lo}" if lo is not None else \
            f" of at most {hi}" if hi is not None else ""
        self.cannot(key, f"{kind(v)}: mlinfra reads a whole number{bounds}")
        return None

    def boolean(self, key: str, *, given: bool = False) -> bool | None:
        v = self.get(key, given=given)
        if v is None or isinstance(v, bool):
            return v
        self.cannot(key, f"{kind(v)}: mlinfra reads true or false")
        return None

    def string(self, key: str, allowed: Collection[str] | None = None, *,
               given: bool = False, why: str = "") -> str | None:
        v = self.get(key, given=given)
        if v is None or (isinstance(v, str) and (allowed is None or v in allowed)):
            return v
        self.cannot(key, f"{kind(v)}: mlinfra reads a string" if not isinstance(v, str)
                    else why or f"mlinfra compiles {', '.join(sorted(allowed or ()))}")
        return None

    def mapping(self, key: str, *, given: bool = False) -> dict[str, Any] | None:
        v = self.get(key, given=given)
        if v is None or isinstance(v, dict):
            return v
        self.cannot(key, f"{kind(v)}: mlinfra reads an object")
        return None

    def pulumi_args(self) -> dict[str, Any]:
        """`{"pulumi_args": {...}}` of the inputs not read yet that the declaration's own
        resource takes as pulumi_args (SDK arguments mlinfra does not model, checked as
        lint checks them: `PASSABLE`), in the SDK's spelling; {} when there are none. Call
        it last, before rest(): what it takes is expressed."""
        from ..state import to_snake

        passable = PASSABLE[0]
        if isinstance(self.r.inputs, Sealed) or passable is None:
            return {}
        skip = {"__defaults", *self.r.defaults, *self.handled, *self._taken}
        out = {}
        for k, v in sorted(self.r.inputs.items()):
            if k in skip or v is None or not passable(self.r.type, snake(k)):
                continue
            out[snake(k)] = to_snake(v, snake(k))
            self._taken.add(k)
        return {"pulumi_args": out} if out else {}

    def store(self, provider: str, fields: dict[str, Any]) -> Adopted:
        """A session store read back: its fields (None: not expressed), then what goes to
        pulumi_args, then what it could not express. Last, after every other read."""
        return Adopted("session_stores", provider, self.r,
                       {**{k: v for k, v in fields.items() if v is not None},
                        **self.pulumi_args()}, self.rest())

    def rest(self) -> list[str]:
        sealed = [f"inputs = {self.r.inputs.word}: the program's inputs are one secret; "
                  "mlinfra cannot read them back"] if isinstance(self.r.inputs, Sealed) else []
        skip = {"__defaults", *self.r.defaults, *self.handled, *self._taken}
        return self.missing + sealed + [f"{k} = {shown(v)}: mlinfra does not model it"
                                        for k, v in sorted(self.r.inputs.items())
                                        if k not in skip and v is not None]

    def protection(self, key: str) -> bool:
        """`protect` (the resource's own Pulumi option), with the provider's deletion
        protection `key` listed when it says otherwise: mlinfra sets the two together."""
        if self.given(key) not in (None, self.r.protect):
            self.cannot(key, f"mlinfra sets it with protect (protect: "
                             f"{str(self.r.protect).lower()})")
        return self.r.protect

    def labels(self, key: str = "labels") -> dict[str, Any] | None:
        """A labels (tags) input as `labels`. mlinfra sets `managed-by: mlinfra` and
        `environment` itself (the environment's name, which is the name of the stack
        mlinfra deploys it to): those values are expressed, another one is listed."""
        raw = self.mapping(key, given=True)
        if not raw:
            return None
        mine = {"environment": self.r.urn.removeprefix("urn:pulumi:").split("::")[0],
                "managed-by": "mlinfra"}
        for k, v in sorted(raw.items()):
            if k in mine and v != mine[k]:
                self.missing.append(f"{key}.{k} = {shown(v)}: mlinfra sets this label "
                                    f"itself ({k}: {mine[k]})")
            elif v in (SECRET, SPECIAL):
                self.missing.append(f"{key}.{shown(k)} = {v}: mlinfra cannot read it back")
        return {k: v for k, v in sorted(raw.items())
                if k not in mine and v not in (SECRET, SPECIAL)} or None


def kind(v: Any) -> str:
    """What a JSON value is, for a message saying it is not what mlinfra reads."""
    if isinstance(v, bool):
        return "true or false"
    if isinstance(v, float):
        return "a fraction" if math.isfinite(v) else "not a finite number"
    return "out of range" if isinstance(v, int) else "a string" if isinstance(v, str) \
        else "a list" if isinstance(v, list) else "an object"


@dataclass
class Part:
    """A subscription of an adopted queue."""

    resource: StateResource
    fields: dict[str, Any]
    missing: list[str]


@dataclass
class Adopted:
    """One declaration read back: its section and cloud, the resource that names it, its
    fields (in the order written), what it cannot express, its subscriptions by key, and
    the resources generated for it by logical suffix (`-dlq`)."""

    section: str
    provider: str
    own: StateResource
    fields: dict[str, Any]
    missing: list[str]
    subscriptions: dict[str, Part] = field(default_factory=dict)
    generated: dict[str, StateResource] = field(default_factory=dict)

    def resources(self) -> list[StateResource]:
        return [self.own, *(p.resource for p in self.subscriptions.values()),
                *self.generated.values()]


def kebab(name: str) -> str:
    """mlTrainingQueue -> ml-training-queue; ml_sessions -> ml-sessions."""
    return re.sub(r"[^a-z0-9]+", "-", snake(name)).strip("-")


def duration(seconds: int) -> str:
    """A duration in its one largest whole unit, as people write them: 90s, 1d, 90m."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def subscription_keys(queue: str, subs: list[StateResource]) -> dict[str, StateResource]:
    """`default` for a queue's one subscription (its resource is `<queue>-sub`, as the
    compiler names it); else each one's name in kebab case without the queue's."""
    if len(subs) == 1:
        return {"default": subs[0]}
    out: dict[str, StateResource] = {}
    prefix = kebab(queue) + "-"
    for i, s in enumerate(sorted(subs, key=lambda s: s.name), 1):
        key = kebab(s.name).removeprefix(prefix)[:20].strip("-")
        if not SUBSCRIPTION_KEY.fullmatch(key) or key in out or key in ("default", "sub"):
            key = f"sub-{i}"
        out[key] = s
    return out
