"""Memory of a plan at scale (bench/scale.py, 10,000 declarations: 120 MiB peak RSS before
these, 101 MiB after): the plan lets the compile go before it prices the graph, a
declaration's resources share one `source` string, and the keys and plain strings a file
repeats are one string each."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from mlinfra_compile import commands, cost
from mlinfra_compile.graph import Origin
from mlinfra_compile.loader import read_file
from mlinfra_compile.resolve import Compiled, Workspace, compile_environment
from tests.test_memory import spy_compiles

REPO = Path(__file__).resolve().parent.parent


def _live_arg_origins() -> int:
    """Live mappings of argument origins: dicts whose values are all Origins."""
    return sum(1 for o in gc.get_objects()
               if type(o) is dict and o and all(type(v) is Origin for v in o.values()))


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_plan_lets_the_compile_and_its_origins_go_before_it_prices_the_graph(
        monkeypatch, capsys, env):
    gc.collect()
    before = _live_arg_origins()
    made = spy_compiles(monkeypatch)
    seen: list[tuple[bool, bool]] = []
    real_estimate = cost.estimate

    def estimate_spy(graph):
        seen.append((made[0]() is None, _live_arg_origins() <= before))
        return real_estimate(graph)

    monkeypatch.setattr(cost, "estimate", estimate_spy)
    assert commands.plan(str(REPO), env, "text") == 0
    # the compile is gone by then, and none of its resources' origins is alive (no more
    # maps of origins than before it: what earlier tests left may go meanwhile)
    assert seen == [(True, True)]
    out = capsys.readouterr().out
    assert "\nEstimated cost: $" in out and out.endswith(f"`mlinfra cost {env}` shows each "
                                                         "resource\n")


def test_a_wrapper_holding_the_generators_arguments_keeps_no_compile(monkeypatch, capsys):
    """A decorator of a generator function (mutmut's trampoline is one) holds its
    arguments while the generator runs: the compile reaches the generator in a list the
    generator empties, so the wrapper holds an empty list."""
    from mlinfra_compile import report

    real = report._plan_stream
    held: list[tuple] = []

    def wrapper(*args):
        held.append(args)
        return (yield from real(*args))

    monkeypatch.setattr(report, "_plan_stream", wrapper)
    test_plan_lets_the_compile_and_its_origins_go_before_it_prices_the_graph(
        monkeypatch, capsys, "prod")
    assert held == [([],)]


def test_the_plans_origins_were_alive_while_it_wrote_the_resources(monkeypatch, capsys):
    """(The other side: the check above counts what the compile made.)"""
    from mlinfra_compile import report

    counts: list[int] = []
    real = report._resource_text

    def text_spy(r):
        counts.append(_live_arg_origins())
        return real(r)

    monkeypatch.setattr(report, "_resource_text", text_spy)
    assert commands.plan(str(REPO), "prod", "text") == 0
    assert counts and min(counts) > 0


def _compiled(root: Path, text: str) -> Compiled:
    """environments/dev.yaml of `text` under `root`, compiled (it must compile)."""
    (root / "environments").mkdir()
    (root / "environments" / "dev.yaml").write_text(text)
    ws = Workspace(str(root))
    c = compile_environment(ws, ws.find("dev"))
    assert c.graph is not None, c.diagnostics
    return c


def test_the_resources_of_one_declaration_share_one_source_string(tmp_path):
    c = _compiled(tmp_path,
                  "providers:\n  gcp: {project: proj-1, region: us-central1, project_number: "
                  "1234567}\nqueues:\n  jobs:\n    provider: gcp\n    dead_letter: true\n"
                  "    subscriptions:\n      audit: {}\n      default: {}\n"
                  "  more: {provider: gcp}\n")
    sources: dict[str, set[int]] = {}
    for r in c.graph.resources:
        sources.setdefault(r.source, set()).add(id(r.source))
    # the queue (its topic, dead letters and implicit subscription `more-sub` are
    # written where it is), and each subscription written in its own place
    assert {s: len(ids) for s, ids in sources.items()} == {
        "environments/dev.yaml:4:3": 1, "environments/dev.yaml:8:7": 1,
        "environments/dev.yaml:9:7": 1, "environments/dev.yaml:10:3": 1}
    assert {r.name for r in c.graph.resources if r.source.endswith(":10:3")} == \
        {"more", "more-sub"}


def test_the_keys_and_plain_strings_a_file_repeats_are_one_string_each(tmp_path):
    path = tmp_path / "dev.yaml"
    path.write_text("session_stores:\n"
                    "  a: {provider: gcp, tier: basic}\n"
                    "  b: {provider: gcp, tier: 'basic'}\n")
    data = read_file(str(path), "dev.yaml").data
    a, b = data["session_stores"]["a"], data["session_stores"]["b"]
    ka, kb = list(a), list(b)
    assert ka == kb == ["provider", "tier"]
    assert ka[0] is kb[0] and ka[1] is kb[1]  # the keys
    assert a["provider"] is b["provider"]  # a plain string value
    assert a["tier"] == b["tier"] == "basic"  # (a quoted one is read as written)


def test_the_options_most_resources_have_are_one_dict_and_a_later_option_a_new_one(
        tmp_path):
    from mlinfra_compile.providers.decl import NO_OPTIONS, PROTECT_ONLY

    c = _compiled(tmp_path,
                  "default_provider: aws\nproviders:\n  aws: {region: us-east-1}\n"
                  "  gcp: {project: proj-1, region: us-central1, project_number: 1234567}\n"
                  "queues:\n  qa: {}\n  qb: {}\n  qc: {previous_names: [old-c]}\n"
                  "  qd: {name: fixed-d}\n  qe: {provider: gcp, dead_letter: true}\n"
                  "session_stores:\n  s1: {protect: true}\n  t1: {protect: true}\n")
    g = {r.name: r for r in c.graph.resources}
    assert g["qa"].options == {"protect": False} and g["qa"].options is g["qb"].options
    assert g["qa"].options is PROTECT_ONLY[False]
    assert g["s1"].options == {"protect": True} and g["s1"].options is g["t1"].options
    assert g["s1"].options is PROTECT_ONLY[True]
    # a later option is a new dict, and the shared ones stay as they were
    assert g["qc"].options == {"protect": False, "aliases": ["old-c"]}
    assert g["qd"].options == {"protect": False, "delete_before_replace": True}
    assert PROTECT_ONLY == {False: {"protect": False}, True: {"protect": True}}
    assert NO_OPTIONS == {}
    empty = [r for r in c.graph.resources if not r.options]
    assert empty and all(r.options is NO_OPTIONS for r in empty)


def test_the_index_of_declarations_is_made_only_for_a_clash(monkeypatch, tmp_path):
    from mlinfra_compile import claims

    made: list[int] = []
    real = claims._declarations_index
    monkeypatch.setattr(claims, "_declarations_index",
                        lambda decls: made.append(1) or real(decls))
    (tmp_path / "environments").mkdir()
    env = tmp_path / "environments" / "dev.yaml"
    env.write_text("providers:\n  aws: {region: us-east-1}\nqueues:\n  qa: {}\n  qb: {}\n")
    ws = Workspace(str(tmp_path))
    assert compile_environment(ws, ws.find("dev")).graph is not None
    assert made == []
    # two clashes (qa-dlq twice; the physical name twice): the index is made once
    env.write_text("providers:\n  aws: {region: us-east-1}\nqueues:\n"
                   "  qa: {dead_letter: true}\n  qa-dlq: {name: qa-dlq}\n")
    ws = Workspace(str(tmp_path))
    c = compile_environment(ws, ws.find("dev"))
    assert [d.code for d in c.diagnostics if d.code == "MLC402"] and made == [1]


def test_the_table_of_strings_is_the_parses_own_and_let_go_with_it(tmp_path):
    """Not sys.intern: CPython 3.12.0-3.12.5 never frees an interned string, so a lint of
    many files would keep every value it read. Two reads of one text share no key and no
    plain string."""
    path = tmp_path / "dev.yaml"
    path.write_text("session_stores:\n  a: {provider: unique-value-1}\n")
    one = read_file(str(path), "dev.yaml").data
    two = read_file(str(path), "dev.yaml").data
    assert one == two
    assert next(iter(one["session_stores"]["a"])) is not next(iter(two["session_stores"]["a"]))
    assert one["session_stores"]["a"]["provider"] is not \
        two["session_stores"]["a"]["provider"]
