"""Provider services: one module per kind of declaration on one cloud, and the one registry
the rest of mlinfra loops over (as pre-commit's `languages` dict, yamllint's `_RULES`).

Each module in `MODULES` satisfies `Service`. Adding a service is one new module plus one
entry in `MODULES` (a new cloud is also one `Cloud` in `mlinfra_compile/clouds.py`);
resolve, diff and policy read everything else from here. CONTRIBUTING.md lists the tests a
new service needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Protocol

from . import (
    aws_elasticache,
    aws_elasticache_serverless,
    aws_network,
    aws_sqs,
    gcp_kms,
    gcp_memorystore_valkey,
    gcp_pubsub,
    gcp_redis,
)
from .base import Decl, Defaults, ImportId, Value
from .changes import ChangeTable

if TYPE_CHECKING:
    from ..state import StateResource
    from .adopting import Adopted
    from .pricing import Pricer

    # A reverse mapping (`mlinfra adopt`): the state's resources and whether the old stack
    # becomes mlinfra's -> the declarations read back, and why it left some of its own
    # types (by URN).
    Reverse = Callable[[Sequence[StateResource], bool],
                       tuple[list[Adopted], dict[str, str]]]


class Service(Protocol):
    """What a service module defines, at module level (docs/design.md, Service contract)."""

    KIND: str  # the declarations it builds: "session_store" or "queue"
    PROVIDER: str  # its cloud: a key of clouds.CLOUDS
    SERVICE: str  # its name, what a declaration's `service:` says to select it
    IS_DEFAULT: bool  # the service of its kind and cloud when `service:` is not given
    # the declaration fields it takes (language.py's); None: every field its cloud takes
    # that no other service claims for itself (a Field's `services`)
    ACCEPTS: frozenset[str] | None
    # a field of its kind it does not take -> the nearest thing it offers (lint's MLC307)
    INSTEAD: dict[str, str]
    # the fields it brings that the default service of its kind and cloud does not take
    # (empty for a default service)
    CLAIMS: frozenset[str]
    TITLE: str  # how people call it: "ElastiCache", "Memorystore for Valkey"
    DEFAULTS: dict[str, Defaults]  # profile -> field -> (value, why plan shows)
    # resource type -> argument -> what changing it does to a deployed resource (cited)
    CHANGES: ChangeTable
    STATEFUL: frozenset[str]  # its resource types that hold data (replacing one loses it)
    NAME_ARGS: dict[str, str]  # resource type -> the argument holding its physical name
    IMPORT_IDS: dict[str, ImportId]  # resource type -> the id `import` takes
    # resource type -> {argument: the output that says what the deployed resource runs}
    RUNNING: dict[str, dict[str, str]]
    TLS_VALUES: tuple[object, ...]  # the `tls` values it compiles (none for queues)
    # settings of its cloud it needs in production (`mlinfra new` asks for them)
    PRODUCTION_SETTINGS: tuple[str, ...]
    # resource type -> what a month of it costs (prices/<module>.json, cited)
    COSTS: dict[str, Pricer]
    # field -> the SDK arguments it becomes, with the provider's range (editor hovers, docs)
    ARGUMENTS: dict[str, str]

    def build(self, decl: Decl) -> list[Decl]:
        """Add the declaration's resources and outputs to decl.ctx, reporting what the
        provider would reject; return the declarations it read inside this one (a Pub/Sub
        queue's subscriptions), so that policy checks them too."""
        ...

    def network_of(self, decl: Decl) -> Value | None:
        """The setting that puts a store in a network the team chose (None: the
        provider's default network; always None for queues)."""
        ...

    def delivers(self, decl: Decl) -> bool:
        """True when consumers read messages from this declaration itself (so production
        wants dead letters on it)."""
        ...

    def adopt(self, resources: Sequence[StateResource], same_stack: bool) -> \
            tuple[list[Adopted], dict[str, str]]:
        """The reverse of build (`mlinfra adopt`): its resource types in a stack's state
        read back into declarations, each listing what it cannot express."""
        ...


MODULES: tuple[Service, ...] = (gcp_redis, aws_elasticache, gcp_pubsub, aws_sqs,
                                aws_elasticache_serverless, gcp_memorystore_valkey)
# (kind, cloud, service name) -> the service; (kind, cloud) -> its default service
REGISTRY: dict[tuple[str, str, str], Service] = {(s.KIND, s.PROVIDER, s.SERVICE): s
                                                  for s in MODULES}
SERVICES: dict[tuple[str, str], Service] = {(s.KIND, s.PROVIDER): s for s in MODULES
                                            if s.IS_DEFAULT}

# Resource types more than one service emits (a Cloud KMS grant), with their change table.
SHARED: tuple[ChangeTable, ...] = (gcp_kms.CHANGES, aws_network.CHANGES)

CHANGES: ChangeTable = {t: rules for table in (*(s.CHANGES for s in MODULES), *SHARED)
                        for t, rules in table.items()}
STATEFUL: frozenset[str] = frozenset(t for s in MODULES for t in s.STATEFUL)
NAME_ARGS: dict[str, str] = {t: a for table in (*(s.NAME_ARGS for s in MODULES),
                                                aws_network.NAME_ARGS)
                             for t, a in table.items()}
CASE_FOLDED_NAMES: frozenset[str] = aws_network.CASE_FOLDED_NAMES
RUNNING: dict[str, dict[str, str]] = {t: a for s in MODULES for t, a in s.RUNNING.items()}
COSTS: dict[str, Pricer] = {t: p for table in (*(s.COSTS for s in MODULES), gcp_kms.COSTS)
                            for t, p in table.items()}
ADOPT: tuple[Reverse, ...] = tuple(s.adopt for s in MODULES)
IMPORT_IDS: dict[str, ImportId] = {t: i for table in (*(s.IMPORT_IDS for s in MODULES),
                                                      aws_network.IMPORT_IDS)
                                   for t, i in table.items()}


@cache  # (the registry is fixed at import; asked for every field of every declaration)
def services_for(kind: str, cloud: str) -> tuple[Service, ...]:
    """The services of a kind on a cloud, the default first, then by name."""
    return tuple(sorted((s for s in MODULES if kind == s.KIND and cloud == s.PROVIDER),
                        key=lambda s: (not s.IS_DEFAULT, s.SERVICE)))


def select(kind: str, cloud: str, name: object) -> Service | None:
    """The service a declaration's `service:` names on its cloud (None: its default);
    None when that cloud has no such service for the kind."""
    if name is None:
        return SERVICES.get((kind, cloud))
    return REGISTRY.get((kind, cloud, str(name)))


# A kind of declaration no service builds on its own -> the KIND of the services that
# build it, inside a declaration of theirs (a queue's subscriptions).
BUILT_INSIDE: dict[str, str] = {"subscription": "queue"}


def service_kind(kind: str) -> str:
    """The KIND of the services that build declarations of `kind` (a subscription's are
    its queue's)."""
    return BUILT_INSIDE.get(kind, kind)


def service_of(decl: Decl) -> Service:
    """The service that built a declaration (a subscription's is its queue's)."""
    top = decl.parent or decl
    found = select(top.kind, top.provider, top.data.get("service"))
    assert found is not None, (top.kind, top.provider)  # resolve built it with one
    return found
