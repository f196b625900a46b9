"""Memory at scale: the objects a compile makes once per argument and per resource carry
no per-instance dict (10,000 declarations make 175,000 origins and 30,000 resources; a
`__dict__` each cost 10 MiB of the 154 MiB peak, measured with ru_maxrss)."""

from __future__ import annotations

import weakref
from pathlib import Path

import pytest

from mlinfra_compile import commands
from mlinfra_compile.graph import Origin, Resource
from mlinfra_compile.resolve import Compiled, Workspace, compile_environment


@pytest.mark.parametrize("made", [
    lambda: Origin("set", "environments/dev.yaml", 3, 5),
    lambda: Resource("sessions", "gcp:redis/instance:Instance", {}, {}, "session_stores.sessions"),
], ids=["Origin", "Resource"])
def test_the_objects_made_per_argument_and_resource_have_no_instance_dict(made):
    obj = made()
    assert not hasattr(obj, "__dict__")
    with pytest.raises((AttributeError, TypeError)):
        obj.unexpected = 1  # frozen, and no dict to put it in



# --- what only some commands read is kept only for them ---------------------------------------
# At 10,000 declarations (bench/scale.py), each argument's origin was 20 MiB of a lint's
# 124 MiB peak RSS and what `exports` could name on each declaration 9 MiB; only plan and
# explain show the first, only an environment with exports (and adopt) reads the second.

REPO = Path(__file__).resolve().parent.parent
AWS = "providers:\n  aws: {region: us-east-1}\n"


def _compiled(root: Path, env: str, **keep: bool) -> Compiled:
    ws = Workspace(str(root))
    c = compile_environment(ws, ws.find(env), **keep)
    assert c.graph is not None and c.context is not None, c.diagnostics
    return c


def test_a_compile_without_origins_is_the_same_graph_with_none_kept():
    kept, let_go = _compiled(REPO, "prod"), _compiled(REPO, "prod", origins=False)
    assert let_go.graph.to_json() == kept.graph.to_json()
    assert all(r.origins for r in kept.graph.resources)
    assert not any(r.origins for r in let_go.graph.resources)


@pytest.mark.parametrize(("command", "args", "shows_origins"), [
    (commands.plan, ("text",), True),
    (commands.explain, ("session_stores",), True),
    (commands.cost, ("text",), False),
    (commands.compile_cmd, (None,), False),
    (commands.picture, ("mermaid",), False),
])
def test_only_the_commands_that_show_origins_keep_them(monkeypatch, capsys, command, args,
                                                       shows_origins):
    asked: list[bool] = []
    real = commands.compile_environment

    def spy(ws, path, **keep):
        asked.append(keep.get("origins", True))
        return real(ws, path, **keep)

    monkeypatch.setattr(commands, "compile_environment", spy)
    command(str(REPO), "dev", *args)
    assert asked == [shows_origins]


def test_lint_keeps_no_origins(monkeypatch):
    asked: list[bool] = []
    real = commands.compile_environment
    monkeypatch.setattr(commands, "compile_environment",
                        lambda ws, path, **keep: asked.append(keep["origins"]) or
                        real(ws, path, **keep))
    ws = Workspace(str(REPO))
    commands.lint_files(ws, [ws.find("dev"), ws.find("prod")])
    assert asked == [False, False]


def test_what_exports_could_name_is_kept_where_something_is_exported(tmp_path):
    env = tmp_path / "environments"
    env.mkdir()
    (env / "plain.yaml").write_text(AWS + "queues:\n  jobs: {}\n")
    (env / "_base.yaml").write_text(AWS + "exports: {jobs_url: jobs.url}\n")
    (env / "child.yaml").write_text("extends: _base\nqueues:\n  jobs: {}\n")
    (env / "dropped.yaml").write_text("extends: _base\nexports: {jobs_url: null}\n"
                                      "queues:\n  jobs: {}\n")
    assert _compiled(tmp_path, "plain").context.attributes == {}
    assert _compiled(tmp_path, "dropped").context.attributes == {}
    asked = _compiled(tmp_path, "plain", attributes=True).context.attributes
    assert sorted(asked) == ["jobs"] and asked["jobs"][0]["url"] == ("jobs", "url")
    child = _compiled(tmp_path, "child")  # (exports inherited from the partial)
    assert sorted(child.context.attributes) == ["jobs"]
    assert child.graph.outputs["jobs_url"] == {"$ref": "jobs", "attr": "url"}


def spy_compiles(monkeypatch) -> list[weakref.ref[Compiled]]:
    """A weak reference to each compile the commands make, in order (test_memory_plan
    uses it too)."""
    made: list[weakref.ref[Compiled]] = []
    real = commands.compile_environment

    def compile_spy(ws, path, **keep):
        c = real(ws, path, **keep)
        made.append(weakref.ref(c))
        return c

    monkeypatch.setattr(commands, "compile_environment", compile_spy)
    return made


def test_cost_lets_the_compile_go_before_it_prices_the_graph(monkeypatch, capsys):
    from mlinfra_compile import cost

    made = spy_compiles(monkeypatch)
    alive_when_priced: list[bool] = []
    real_estimate = cost.estimate

    def estimate_spy(graph):
        alive_when_priced.append(made[0]() is not None)
        return real_estimate(graph)

    monkeypatch.setattr(cost, "estimate", estimate_spy)
    assert commands.cost(str(REPO), "prod", "text") == 0
    assert alive_when_priced == [False]
    assert "/month" in capsys.readouterr().out  # (and it priced the graph all the same)
