"""`--format markdown` for plan and diff: pull-request comments from Jinja2 templates
(package data in mlinfra_compile/templates).

A comment is rendered by GitHub, which passes some HTML through: a label value such as
`</details><h2>safe to merge</h2>` must stay text. Every value a template prints goes
through the filter for where it lands: `code` (an inline code span), `text` (a
paragraph, list item or table cell) or `html` (inside an HTML block such as
`<summary>`); tests render the output with cmark-gfm to check it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .escape import visible
from .graph import Origin


@lru_cache(maxsize=1)
def _env() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("mlinfra_compile", "templates"),
                      undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["code"] = code
    env.filters["text"] = text
    env.filters["html"] = html_text
    return env


def _flat(value: Any) -> str:
    """One line of visible characters: a table row or a list item cannot be broken."""
    # (the line breaks become spaces before visible() shows the rest: after it, a typed
    # backslash and `n`, as in `C:\\new`, would read as a line break it made visible)
    return visible(str(value).replace("\n", " ").replace("\r", " "))


def code(value: Any) -> str:
    """A complete inline code span: a fence longer than any run of backticks inside (the
    value cannot close it), `|` escaped for GFM tables, one line."""
    body = _flat(value).replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if not body or body[0] in "` " or body[-1] in "` " else ""
    return f"{fence}{pad}{body}{pad}{fence}"


# What can start markup in the middle of a line (a value never starts one): emphasis,
# code, links and images, table cells, strikethrough, escapes, and GitHub's math ($).
_PUNCTUATION = re.compile(r"([\\`*_\[\]!|~$])")
_WWW = re.compile(r"(?i)\b(www)\.")


# What GitHub turns into a notification or a cross-reference in a comment (GitHub Docs,
# "Autolinked references and URLs"; "Basic writing and formatting syntax", Mentioning
# people and teams): @user, @org/team, #26, GH-26, owner/repo#26, user@SHA and
# owner/repo@SHA. It reads the rendered text, entities decoded, and skips text inside
# <code>, <pre> or <a> (html-pipeline MentionFilter: node text, IGNORE_PARENTS), so neither
# `&#64;` nor `\@` stops it, and an invisible joiner would change what a copy pastes: a
# word holding such a form is shown as code, which copies as written.
_WORD = re.compile(r"[\w@#/-](?:[\w.@#/-]*[\w@#/-])?")
_REFERENCE = re.compile(r"@[A-Za-z0-9]|#[0-9]|(?i:GH-[0-9])")


def _words(flat: str, plain: Callable[[str], str], ref: Callable[[str], str]) -> str:
    """`flat` with each word holding a reference rendered by `ref`, the rest by `plain`."""
    if "@" not in flat and "#" not in flat and "-" not in flat:
        return plain(flat)
    out, last = [], 0
    for m in _WORD.finditer(flat):
        if _REFERENCE.search(m.group(0)):
            out += [plain(flat[last:m.start()]), ref(m.group(0))]
            last = m.end()
    return "".join(out) + plain(flat[last:])


def text(value: Any) -> str:
    """Plain text: HTML characters as entities (no tag, comment or entity of the user's
    survives), markdown punctuation escaped (no emphasis, link, heading, table cell,
    list or autolink), and no mention or issue reference (as code)."""
    # (a word of _WORD holds no backtick, `|`, space or control character: its code span
    # needs no more than one backtick each side)
    return _words(_flat(value), _plain, lambda w: f"`{w}`")


def _plain(flat: str) -> str:
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _PUNCTUATION.sub(r"\\\1", flat)
    # GFM autolinks `scheme://...` and `www.`: an escaped colon or dot is no link
    return _WWW.sub(r"\1\\.", flat.replace("://", "\\://"))


def html_text(value: Any) -> str:
    """Text inside an HTML block, where markdown is not parsed (references as <code>)."""
    import html

    def escaped(s: str) -> str:
        return html.escape(s, quote=True)

    return _words(_flat(value), escaped, lambda w: f"<code>{escaped(w)}</code>")


def _origin(r: Any, key: str) -> str:
    o: Origin | None = r.origins.get(key)
    if o is None:
        return ""
    if o.kind in ("set", "inherited"):
        return f"{o.kind} {code(o.where)}"
    return f"{o.kind}: {text(o.note)}"


def plan_markdown(c: Any) -> str:
    from .report import cost_line, show_value

    files = c.merged.files if c.merged else []
    chain = " --> ".join(code(f.display) for f in reversed(files[:-1]))
    return str(_env().get_template("plan.md.j2").render(
        g=c.graph, source=files[-1].display if files else c.env, chain=chain,
        waivers=c.waivers, show=show_value, origin=_origin, exports=c.exports,
        cost=cost_line(c),
        imports=[r for r in c.graph.resources if r.options.get("import")]))


def diff_markdown(d: Any, allowed: set[str]) -> str:
    from .difftext import show

    icon = {"create": "➕", "import": "📥", "update": "✏️", "replace": "♻️", "delete": "🗑️"}
    from .cost import left_out

    left = left_out(d.cost.after) if d.cost else ""
    return str(_env().get_template("diff.md.j2").render(
        d=d, unsafe=d.unsafe(allowed), refused=d.refused(), show=show, icon=icon,
        effect=_effect, left=left[:1].upper() + left[1:]))


def diff_all_markdown(r: Any) -> str:
    """Every stack's diff under one heading: the pull-request comment of `diff --all`."""
    from .diffall import allowed_in

    out = [f"## mlinfra diff --all against {code(r.against)}\n\n{text(r.summary())}.\n"]
    for s in r.stacks:
        if s.diff is not None:
            out.append(diff_markdown(s.diff, allowed_in(s.env, r.allowed)))
        else:
            errors = "".join(f"- {text(e)}\n" for e in s.errors)
            out.append(f"### {code(s.env)}: {s.status}\n\n{text(s.note)}.\n"
                       + (f"\n{errors}" if errors else ""))
    return "\n".join(out)


def cost_markdown(e: Any) -> str:
    from .cost import cells, heading, left_out
    from .providers.pricing import dollars

    left = left_out(e)
    return str(_env().get_template("cost.md.j2").render(
        e=e, heading=heading(e), cells=cells, dollars=dollars,
        left=left[:1].upper() + left[1:]))


def _effect(a: Any) -> str:
    from .difftext import verdict_text

    return verdict_text(a, words=text, strong=lambda s: f"**{s}**")
