"""What each service's reverse mapping (`adopt`, beside its `build`) shares: reading a
state resource's inputs back into the language (with units), and what it found. The
command that writes the environment file is adopt.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..state import StateResource, number, shown, snake

DECLARATION = re.compile(r"[a-z][a-z0-9-]{0,38}[a-z0-9]")  # language.NAME_PATTERN
SUBSCRIPTION_KEY = re.compile(r"[a-z]([a-z0-9-]{0,18}[a-z0-9])?")  # SUBSCRIPTION_KEY_PATTERN


# --- what the reverse mappings share (each provider module's `adopt`) ---------------------

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

    def get(self, key: str) -> Any:
        """The input, else the output the resource runs with (1.0 as 1)."""
        self._taken.add(key)
        return number(self.r.value(key))

    def given(self, key: str) -> Any:
        self._taken.add(key)
        return number(self.r.inputs.get(key))

    def cannot(self, key: str, why: str) -> None:
        self.missing.append(f"{key} = {shown(self.r.value(key))}: {why}")
        self._taken.add(key)

    def rest(self) -> list[str]:
        skip = {"__defaults", *self.r.defaults, *self.handled, *self._taken}
        return self.missing + [f"{k} = {shown(v)}: mlinfra does not model it"
                               for k, v in sorted(self.r.inputs.items())
                               if k not in skip and v is not None]

    def labels(self, key: str = "labels") -> dict[str, Any] | None:
        """A labels (tags) input as `labels`; mlinfra sets `environment` and `managed-by`
        itself, so another value of those is listed."""
        raw = self.given(key)
        if not isinstance(raw, dict) or not raw:
            return None
        for k in ("environment", "managed-by"):
            if k in raw:
                self.missing.append(f"{key}.{k} = {shown(raw[k])}: mlinfra sets this label "
                                    "itself (the environment's name; mlinfra)")
        return {k: v for k, v in sorted(raw.items())
                if k not in ("environment", "managed-by")} or None


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
