"""The editor's view of services: which fields a declaration is offered, by its cloud's
default service, or by the service its `service:` names. Lint's own check decides
(declarations.unsupported_reason), so the editor and `mlinfra lint` agree on every field.

- A field the default service of only one cloud takes is that cloud's (`delay: aws
  only`); a field only a non-default service takes is proposed once `service:` names it.
- A declaration naming a non-default service is refused every field that service does
  not take, with lint's words (MLC307).
"""

from __future__ import annotations

import copy
from typing import Any

from . import language as L
from .clouds import CLOUDS


def offered_clouds(kind: str, key: str) -> tuple[str, ...]:
    """The clouds whose default service of `kind` takes the field."""
    from .declarations import unsupported_reason
    from .providers import SERVICES, service_kind

    top = service_kind(kind)
    return tuple(c for c in CLOUDS if (top, c) in SERVICES
                 and unsupported_reason(kind, key, SERVICES[(top, c)]) is None)


def why_not(kind: str, key: str, cloud: str) -> str:
    """Why the default service of `cloud` refuses the field, as lint says it."""
    from .declarations import unsupported_reason
    from .providers import SERVICES, service_kind

    return unsupported_reason(kind, key, SERVICES[(service_kind(kind), cloud)]) or ""


def default_only(cloud: str) -> dict[str, Any]:
    """The part of a rule's condition that holds for the default service of `cloud`:
    `service:` absent, or naming it (const, not enum: an enum in the file is a value the
    user writes, and gets words)."""
    from .providers import MODULES

    named = sorted({s.SERVICE for s in MODULES if s.IS_DEFAULT and cloud == s.PROVIDER})
    return {"anyOf": [{"not": {"required": ["service"]}},
                      *({"properties": {"service": {"const": n}}} for n in named)]}


def service_rules(kind: str, node: dict[str, Any], refused: Any) -> None:
    """For each non-default service of `kind`: with `service: <it>`, its own fields are
    proposed and every field it does not take is refused (`refused(key, why)`)."""
    from .declarations import unsupported_reason
    from .providers import MODULES

    fields: dict[str, L.Field] = {"session_store": L.SESSION_STORE_FIELDS,
                                  "queue": L.QUEUE_FIELDS}[kind]
    rules = node.setdefault("allOf", [])
    for s in sorted((s for s in MODULES if kind == s.KIND and not s.IS_DEFAULT),
                    key=lambda s: s.SERVICE):
        props: dict[str, Any] = {}
        for key, f in fields.items():
            why = unsupported_reason(kind, key, s)
            if why is not None and f.providers:
                props[key] = refused(key, why)
            elif why is None and s.PROVIDER not in offered_clouds(kind, key):
                props[key] = {k: copy.deepcopy(v) for k, v in node["properties"][key].items()
                              if k not in ("examples", "doNotSuggest")}
        rules.append({"if": {"required": ["service"],
                             "properties": {"service": {"const": s.SERVICE}}},
                      "then": {"properties": props}})
