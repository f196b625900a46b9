"""The survivors file names mutants by id, one by one (tests/mutation_survivors.txt): each
id must name a function of the package as it stands, or a mutant the template mutator
makes of the templates as they stand. (That mutmut still makes that very
mutant, `python -m tests.mutation_report` checks after `make mutate`: generating every
mutant takes minutes.)"""

from __future__ import annotations

import ast
import re

from tests.golden import REPO

SURVIVORS = REPO / "tests" / "mutation_survivors.txt"
# mutmut's names: module.x_function__mutmut_N, module.xǁClassǁmethod__mutmut_N
ID = re.compile(r"(?P<module>mlinfra_compile(\.\w+)*)\."
                r"(x_(?P<func>\w+?)|xǁ(?P<cls>\w+)ǁ(?P<meth>\w+?))__mutmut_(?P<n>[1-9][0-9]*)"
                r"|template:[\w.-]+\.j2:[a-z-]+:[1-9][0-9]*(:[1-9][0-9]*)?")


def entries() -> list[tuple[str, str]]:
    out = []
    for line in SURVIVORS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, why = line.partition(" | ")
            out.append((name.strip(), why.strip()))
    return out


def _names(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    for c in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        found |= {f"{c.name}.{m.name}" for m in c.body if isinstance(m, ast.FunctionDef)}
    return found


def test_every_survivor_is_named_by_its_id_with_a_reason():
    rows = entries()
    assert rows, "no survivors listed"
    assert len({n for n, _ in rows}) == len(rows), "a mutant listed twice"
    for name, why in rows:
        assert ID.fullmatch(name), name
        assert len(why) > 20 and not why.startswith("TODO"), (name, why)


def test_every_survivor_names_a_function_of_the_package_as_it_stands():
    stale = []
    for name, _ in entries():
        if name.startswith("template:"):
            continue  # (the next test)
        m = ID.fullmatch(name)
        assert m is not None
        path = REPO / (m["module"].replace(".", "/") + ".py")
        function = m["func"] or f"{m['cls']}.{m['meth']}"
        if not path.exists() or function not in _names(path):
            stale.append(name)
    assert not stale, f"no such function now (moved or renamed): {stale}"


def test_the_check_sees_a_moved_function():
    assert ID.fullmatch("mlinfra_compile.providers.aws_sqs.x_build__mutmut_3")
    assert not ID.fullmatch("mlinfra_compile.providers.aws_sqs.x_build")  # (no number)
    assert "build" in _names(REPO / "mlinfra_compile" / "providers" / "aws_sqs.py")
    assert "queue" not in _names(REPO / "mlinfra_compile" / "providers" / "aws_sqs.py")


def test_every_template_survivor_is_a_mutant_the_mutator_makes_now():
    from tests.template_mutants import catalogue

    made = catalogue()
    listed = [name for name, _ in entries() if name.startswith("template:")]
    assert listed, "no template survivor listed"
    assert [n for n in listed if n not in made] == []


def test_no_explained_survivor_is_one_the_ledger_records_killed():
    """A line of the survivors file says why a mutant may live; once a test kills it (or
    the code moved and the id now names another mutant, one that a test kills), the line
    is stale. The committed ledger (tests/mutation_ledger.json) holds the last verdicts."""
    import json

    from tests import mutation_ledger

    ledger = json.loads(mutation_ledger.LEDGER.read_text(encoding="utf-8"))
    stale = sorted(n for n, _ in entries() if n in mutation_ledger.killed(ledger))
    assert stale == [], f"killed, yet explained as surviving: {stale}"


def test_the_ledger_counts_as_killed_what_mutmut_does():
    from tests import mutation_ledger

    ledger = {"mutmut": {"mlinfra_compile/units.py": {
        "x_whole": ["h1", [1, 0, None, 3, -24, 36, 33, 34, 35, 37]]}},
        "fresh.json": {"mlinfra_compile.units.x_whole__mutmut_2": {"hash": "h1", "killed": True},
                       "mlinfra_compile.units.x_whole__mutmut_3": {"hash": "h0", "killed": True},
                       "mlinfra_compile.units.x_whole__mutmut_8": {"hash": "h1", "killed": False}},
        "templates.json": {"template:a.j2:drop-filter:1:1": {"status": "killed"},
                           "template:a.j2:drop-filter:2:1": {"status": "survived"}}}
    name = "mlinfra_compile.units.x_whole__mutmut_"
    # 1 and 3 killed, -24 and 36 timeouts; 2 killed fresh under the same hash, 3 not
    # (its hash is older, and mutmut never decided it); no tests, skipped, suspicious,
    # caught by type check: not kills
    assert mutation_ledger.killed(ledger) == {
        name + "1", name + "2", name + "4", name + "5", name + "6",
        "template:a.j2:drop-filter:1:1"}
