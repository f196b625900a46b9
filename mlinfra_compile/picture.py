"""`mlinfra graph ENV --format mermaid|dot`: the resources and the references between
them, edges labelled with the argument that refers."""

from __future__ import annotations

from .graph import Graph, iter_refs

SHAPES = {"session_store": "cylinder", "queue": "box", "dead_letter_queue": "box",
          "topic": "hexagon", "dead_letter_topic": "hexagon",
          "access_grant": "note", "access_policy": "note", "key_grant": "note"}


def _edges(g: Graph) -> list[tuple[str, str, str]]:
    out = []
    for r in g.resources:
        for key in sorted(r.args):
            for target, attr in iter_refs(r.args[key]):
                out.append((r.name, target, f"{key}: {attr}"))
        for target in r.options.get("depends_on", []):  # created after (a key grant)
            out.append((r.name, target, "depends_on"))
    return sorted(set(out))


def _kind(r_type: str) -> str:
    return r_type.split(":")[-1]


def _mm(text: str) -> str:
    """Text inside a quoted mermaid label: its entity codes for what would end the label
    or be read as HTML, and no line break."""
    for ch, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"),
                     ("|", "#124;"), ("\n", " "), ("\r", " ")):
        text = text.replace(ch, code)
    return text


def mermaid(g: Graph) -> str:
    lines = ["flowchart LR"]
    ids = {r.name: f"r{i}" for i, r in enumerate(g.resources)}
    for r in g.resources:
        adopted = " (imported)" if r.options.get("import") else ""
        lines.append(f'  {ids[r.name]}["{_mm(r.name)}<br/><small>{_mm(_kind(r.type))}'
                     f'{adopted}</small>"]')
    for src, dst, label in _edges(g):
        lines.append(f'  {ids[src]} -->|"{_mm(label)}"| {ids[dst]}')
    return "\n".join(lines) + "\n"


def dot(g: Graph) -> str:
    def q(s: str) -> str:
        s = s.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + s.replace("\n", "\\n").replace("\r", "\\r") + '"'

    lines = [f"digraph {q(g.environment)} {{", "  rankdir=LR;",
             '  node [fontname="Helvetica", fontsize=10];']
    for r in g.resources:
        shape = SHAPES.get(r.kind, "ellipse")
        styles = [s for s, on in (("bold", r.options.get("protect")),
                                  ("dashed", r.options.get("import"))) if on]
        style = f', style="{",".join(styles)}"' if styles else ""
        label = q(r.name)[:-1] + "\\n" + _kind(r.type) + '"'
        lines.append(f"  {q(r.name)} [label={label}, "
                     f"shape={shape}{style}];")
    for src, dst, label in _edges(g):
        lines.append(f"  {q(src)} -> {q(dst)} [label={q(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
