"""`--format markdown` for plan and diff: pull-request comments from Jinja2 templates
(package data in mlinfra_compile/templates)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .graph import Origin


@lru_cache(maxsize=1)
def _env() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("mlinfra_compile", "templates"),
                      undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    # A table cell: no pipes or newlines that would break the row.
    env.filters["cell"] = lambda v: str(v).replace("|", "\\|").replace("\n", " ")
    return env


def _origin(r: Any, key: str) -> str:
    o: Origin | None = r.origins.get(key)
    if o is None:
        return ""
    if o.kind in ("set", "inherited"):
        return f"{o.kind} `{o.where}`"
    return f"{o.kind}: {o.note}"


def plan_markdown(c: Any) -> str:
    from .report import show_value

    files = c.merged.files if c.merged else []
    chain = " --> ".join(f"`{f.display}`" for f in reversed(files[:-1]))
    return str(_env().get_template("plan.md.j2").render(
        g=c.graph, source=files[-1].display if files else c.env, chain=chain,
        waivers=c.waivers, show=show_value, origin=_origin))


def diff_markdown(d: Any, allowed: set[str]) -> str:
    from .diff import show

    icon = {"create": "➕", "update": "✏️", "replace": "♻️", "delete": "🗑️"}
    return str(_env().get_template("diff.md.j2").render(
        d=d, counts=d.counts(), unsafe=d.unsafe(allowed), refused=d.refused(), show=show,
        icon=icon, effect=_effect))


def _effect(a: Any) -> str:
    if a.verdict in ("replace", "refused"):
        return f"**{a.verdict.upper()}**: {a.why}"
    text = "in place, at the next maintenance window" if a.deferred else "in place"
    return f"{text}: {a.why}" if a.why else text
