"""`mlinfra graph`'s pictures keep any text inside its quotes: every character the
escapers name, in a resource name, an edge label and the environment's name.

Oracles: Mermaid's "Entity codes to escape characters" (flowchart syntax: `#quot;`, and
`#` + a name or a decimal code point, so `|` is `#124;`); the DOT language's quoted
strings, in which `\\"` is a quote and a backslash escapes the next character, and
escString's `\\n` / `\\r` (graphviz.org/doc/info/lang.html and attrs.html#k:escString)."""

from __future__ import annotations

from mlinfra_compile.graph import Graph, Resource, ref
from mlinfra_compile.picture import dot, mermaid

HOSTILE = 'a&b"c<d>e|f\ng\rh\\i'


def _graph() -> Graph:
    first = Resource(HOSTILE, "gcp:pubsub/topic:Topic", {"x": ref("plain", 'o"k')}, {}, "f:1:1")
    plain = Resource("plain", "aws:sqs/queue:Queue", {},
                     {"protect": True, "import": "q"}, "f:2:1")
    return Graph('e"n\\v', "development", (first, plain), {})


def test_mermaid_writes_each_character_as_its_entity_code():
    assert mermaid(_graph()) == (
        "flowchart LR\n"
        '  r0["a#amp;b#quot;c#lt;d#gt;e#124;f g h\\i<br/><small>Topic</small>"]\n'
        '  r1["plain<br/><small>Queue (imported)</small>"]\n'
        '  r0 -->|"x: o#quot;k"| r1\n')


def test_dot_escapes_backslash_and_quote_and_writes_line_breaks_as_escapes():
    assert dot(_graph()) == (
        'digraph "e\\"n\\\\v" {\n'
        "  rankdir=LR;\n"
        '  node [fontname="Helvetica", fontsize=10];\n'
        '  "a&b\\"c<d>e|f\\ng\\rh\\\\i" [label="a&b\\"c<d>e|f\\ng\\rh\\\\i\\nTopic", '
        "shape=ellipse];\n"
        '  "plain" [label="plain\\nQueue", shape=ellipse, style="bold,dashed"];\n'
        '  "a&b\\"c<d>e|f\\ng\\rh\\\\i" -> "plain" [label="x: o\\"k"];\n'
        "}\n")
