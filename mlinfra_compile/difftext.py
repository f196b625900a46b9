"""`diff`'s text: each change, its arguments with their verdicts, the hints, the cost,
and the refusals that make diff and deploy exit 3 (markdown.py says the same for pull
requests, with these words)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .diff import UNKNOWN, ArgChange, Change, Diff


def show(value: Any) -> str:
    from .report import show_value

    if value is UNKNOWN:
        return "(known after the replacement)"
    if value is None:
        return "(unset)"
    return show_value(value)


SYMBOL = {"create": "+", "import": "=", "update": "~", "replace": "-/+", "delete": "-"}
VERDICT_WORDS = {"replace": "REPLACE", "refused": "REFUSED", "may-replace": "MAY REPLACE"}


def would(c: Change) -> str:
    """What a refused change does to its resource: a replacement only for want of a
    change rule is one it may do."""
    if c.maybe:
        return "may replace"
    return f"would {'replace' if c.action == 'replace' else 'delete'}"


def verdict_text(a: ArgChange, words: Callable[[str], str] = str,
                 strong: Callable[[str], str] = str) -> str:
    """How one changed argument is applied, as diff's text shows it; markdown passes
    `words` (escaping) and `strong` (bold) to say the same."""
    if a.verdict in ("replace", "refused", "may-replace"):
        return f"{strong(VERDICT_WORDS[a.verdict])}: {words(a.why)}"
    text = "in place"
    if a.deferred:
        text += words(", at the next maintenance window (apply: maintenance_window)")
    return f"{text}: {words(a.why)}" if a.why else text


def refusal_lines(d: Diff, allowed: set[str]) -> list[str]:
    """Why diff and deploy stop (exit 3), one line per change."""
    lines = []
    if d.downgrade_refused:
        lines.append(f"refused: {d.env} goes from production to development, which drops "
                     f"{'; '.join(d.profile.drops) if d.profile else ''}; rerun with "
                     "--allow-downgrade if you mean it [MLC604]")
    for c in d.refused():
        for a in c.refusals:
            lines.append(f"refused: the provider would reject the change of {a.key} on "
                         f"{c.name}: {a.why} [MLC603]")
    for c in d.unsafe(allowed):
        why = f" ({c.reason})" if c.action == "replace" else ""
        lines.append(f"refused: {d.env} is a production environment and this {would(c)} "
                     f"{c.name}{why}, losing its data; rerun with --allow-replace {c.name} if "
                     "you mean it [MLC601]")
    return lines


def diff_text(d: Diff, allowed: set[str]) -> str:
    lines = [f"diff {d.env}: {d.baseline} -> working tree"]
    if d.profile is not None:
        lines.append(d.profile.line())
    if not d.changes and d.profile is None:
        lines.append("no changes")
    for c in d.changes:
        tag = "MAY REPLACE" if c.maybe else \
            {"replace": "REPLACE", "delete": "DELETE"}.get(c.action, c.action)
        notes = [f"renamed from {c.renamed_from}, kept by its alias" if c.renamed_from else "",
                 "waits for the maintenance window" if c.deferred else "",
                 f"adopts {c.imported}, nothing is created" if c.imported else "",
                 c.grant or ""]
        extra = "".join(f" ({n})" for n in notes if n)
        lines.append(f"{SYMBOL[c.action]:>3} {c.name}  {c.type}  {tag}{extra}")
        for a in c.args:
            lines.append(f"      {a.key}: {show(a.old)} -> {show(a.new)}  {verdict_text(a)}")
    for h in d.hints:
        lines.append(f"hint: {h}")
    lines.append(d.summary())
    if d.cost is not None:
        from .cost import change_text

        lines.extend(change_text(d.cost))
    lines.extend(refusal_lines(d, allowed))
    return "\n".join(lines) + "\n"
