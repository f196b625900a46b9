"""The layering rules of STYLE, read from the source with ast (nothing is imported but the
registry, for the names of kinds and clouds):

- no import cycle among mlinfra_compile's modules, counting the imports inside functions
  (a lazy import is still a dependency; it only runs later): none outside providers/,
  none that runs through a service (services sit below the compiler, so no module of
  providers/ may import its way back up to the module that imports it), and none inside
  providers/ either (a service's split modules, `_adopt`, `_changes` and the rest, take
  what they share with the service from a module below both);
- no branching on a declaration's kind or cloud outside providers/ (`d.kind == "queue"`,
  `kind in ("session_store", "queue")`): production rules, editor rules and the rest ask
  the service, through the registry (providers/__init__.py: service_of, SERVICES, MODULES).
"""

from __future__ import annotations

import ast
from pathlib import Path

from mlinfra_compile.clouds import CLOUDS
from mlinfra_compile.providers import BUILT_INSIDE, MODULES

PACKAGE = Path(__file__).resolve().parent.parent / "mlinfra_compile"
NAME = PACKAGE.name
SERVICES = f"{NAME}.providers"

# Imports from a service up into the compiler, each a known cycle waiting for the change
# to providers/ that removes it (the key; the value says what that change is). A listed
# import that is gone fails the test too: take it off the list.
UPWARD: dict[tuple[str, str], str] = {}

# What a declaration's kind or cloud is compared with, and the names that hold one.
KIND_WORDS = frozenset({*(s.KIND for s in MODULES), *BUILT_INSIDE, *CLOUDS})
KIND_NAMES = frozenset({"kind", "provider", "KIND", "PROVIDER"})
# Comparisons in modules others own and are changing; each expression listed by module,
# until that change replaces it (none left).
KNOWN_BRANCHES: dict[str, frozenset[str]] = {}


def modules(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def import_graph(package: Path) -> dict[str, set[str]]:
    """module -> the modules of the package it imports, anywhere in its text."""
    mods = modules(package)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                # `from . import x` imports the module x; `from .m import name` module m
                subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in mods]
                targets = subs or [base]
            graph[name].update(t for t in targets if t in mods and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _shown(graph: dict[str, set[str]], comp: list[str]) -> str:
    edges = [f"    {a} -> {b}" for a in comp for b in sorted(graph[a]) if b in comp]
    return "\n".join([f"  {len(comp)} modules:", *edges])


def outside_cycles(package: Path) -> list[str]:
    """Cycles among the modules outside providers/."""
    graph = {m: {t for t in ts if not _service(t)}
             for m, ts in import_graph(package).items() if not _service(m)}
    return [_shown(graph, c) for c in cycles(graph)]


def cycles_through_services(package: Path) -> list[str]:
    """Cycles that hold a module outside providers/ (the UPWARD imports left out), and
    each UPWARD import that no longer exists."""
    graph = import_graph(package)
    gone = [f"  {a} -> {b} is listed in UPWARD but no longer imported: take it off"
            for a, b in UPWARD if b not in graph.get(a, set())]
    for a, b in UPWARD:
        graph.get(a, set()).discard(b)
    return gone + [_shown(graph, c) for c in cycles(graph)
                   if not all(_service(m) for m in c)]


def _service(module: str) -> bool:
    return module == SERVICES or module.startswith(SERVICES + ".")


def _holds_kind(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr in KIND_NAMES) or \
        (isinstance(node, ast.Name) and node.id in KIND_NAMES)


def _kind_word(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in KIND_WORDS
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_kind_word(e) for e in node.elts)
    return False


def kind_branches(package: Path) -> list[str]:
    """`module:line: expression` of every comparison of a kind or cloud (an attribute or
    name `kind` / `provider`) with a kind's or cloud's name, outside providers/."""
    out: list[tuple[Path, int, str]] = []
    for name, path in modules(package).items():
        if _service(name):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            text = ast.unparse(node)
            if any(map(_holds_kind, sides)) and any(map(_kind_word, sides)) and \
                    text not in KNOWN_BRANCHES.get(name, ()):
                out.append((path.relative_to(package.parent), node.lineno, text))
    return [f"  {path}:{line}: {text}" for path, line, text in sorted(out)]


# --- the tests -------------------------------------------------------------------------------

def test_no_import_cycle_outside_providers():
    found = outside_cycles(PACKAGE)
    assert not found, ("import cycles among mlinfra_compile's modules (imports inside "
                       "functions count): move the shared name one floor down\n"
                       + "\n".join(found))


def all_cycles(package: Path) -> list[str]:
    """Every import cycle in the package, providers/ included."""
    graph = import_graph(package)
    return [_shown(graph, c) for c in cycles(graph)]


def test_no_import_cycle_anywhere():
    found = all_cycles(PACKAGE)
    assert not found, ("import cycles among mlinfra_compile's modules, providers/ included "
                       "(imports inside functions count): move the shared name one floor "
                       "down, into a module that imports neither side\n" + "\n".join(found))


def test_no_import_cycle_runs_through_a_service():
    found = cycles_through_services(PACKAGE)
    assert not found, ("import cycles through providers/ (a service importing the "
                       "compiler that imports it)\n" + "\n".join(found))


def test_no_branching_on_kind_or_cloud_outside_providers():
    found = kind_branches(PACKAGE)
    assert not found, ("a comparison of a declaration's kind or cloud outside providers/: "
                       "ask the service (providers.service_of, SERVICES, MODULES, "
                       "service_kind)\n" + "\n".join(found))


def test_the_checks_find_what_they_look_for(tmp_path):
    """The checks themselves, on a package made for them: a cycle through a function's
    import, one through a service, one inside providers/, and a branch on kind."""
    pkg = tmp_path / NAME
    (pkg / "providers").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from . import b\n",
        "b.py": "def f():\n    from .a import x\n    return x\n",
        "c.py": "from .providers import svc\n\ndef g(d):\n    return d.kind == 'queue'\n",
        "providers/__init__.py": "",
        "providers/svc.py": "def h():\n    from .. import c\n",
        "providers/one.py": "def i():\n    from . import two\n",
        "providers/two.py": "from .one import i\n",
    }
    for rel, text in files.items():
        (pkg / rel).write_text(text, encoding="utf-8")
    assert [c.splitlines()[0] for c in outside_cycles(pkg)] == ["  2 modules:"]
    through = cycles_through_services(pkg)
    assert any(f"{NAME}.providers.svc -> {NAME}.c" in c for c in through)
    assert [b.split(": ", 1)[1] for b in kind_branches(pkg)] == ["d.kind == 'queue'"]
    assert any(f"{NAME}.providers.one -> {NAME}.providers.two" in c
               for c in all_cycles(pkg))
