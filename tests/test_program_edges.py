"""The Pulumi program's edges, each side of each condition: reading a dotted output path
(`dig`), finding the repository from the working folder or the program's own, the stack
names it refuses, the graph it exports (the exact text) and what a running group reports,
and a secret reference's value."""

from __future__ import annotations

import json
import sys

import pulumi
import pytest

from mlinfra_compile.backends import pulumi_program as backend
from tests.golden import REPO
from tests.test_pulumi_backend import RecordingMocks, graph_of

# --- dig: a digit indexes a list or tuple, a name reads an attribute, else a dict's key --


class Attr:
    """An object with one attribute (no dict): what `dig` reads by getattr."""

    address = "from-attribute"


class OutputType(dict):
    """A dict with attribute access that differs from its key, as SDK output types read
    their fields through properties."""

    @property
    def address(self) -> str:
        return "from-property"


@pytest.mark.parametrize(("value", "path", "expected"), [
    ([{"address": "a"}], ("0", "address"), "a"),      # an index in range, then a key
    (("x", "y"), ("1",), "y"),                         # a tuple indexes as a list
    ([], ("0", "address"), None),                      # index == length: nothing yet
    (["only"], ("1",), None),                          # past the end
    ({"0": "z"}, ("0",), None),                        # a digit never reads a dict's key
    ({"address": "k"}, ("address",), "k"),             # no attribute: the dict's key
    ({"other": "k"}, ("address",), None),              # neither
    (OutputType(address="key"), ("address",), "from-property"),  # the attribute first
    (Attr(), ("address",), "from-attribute"),
    (Attr(), ("missing",), None),                      # no attribute, not a dict
    (None, ("address",), None),
    ({"a": None}, ("a", "b"), None),                   # None stays None along the path
])
def test_dig_reads_each_kind_of_step(value, path, expected):
    assert backend.dig(value, path) == expected


# --- find_root: Pulumi.yaml and environments/ together, from either start --------------

def _repo_like(root, pulumi_yaml: bool, environments: bool):
    root.mkdir(parents=True, exist_ok=True)
    if pulumi_yaml:
        (root / "Pulumi.yaml").write_text("name: x\nruntime: python\n")
    if environments:
        (root / "environments").mkdir()
    (root / "deep" / "er").mkdir(parents=True)
    return root


def test_find_root_needs_both_the_project_file_and_environments(tmp_path):
    whole = _repo_like(tmp_path / "whole", True, True)
    assert backend.find_root(whole / "deep" / "er") == whole
    for name, has_yaml, has_envs in (("yaml-only", True, False), ("envs-only", False, True)):
        start = _repo_like(tmp_path / name, has_yaml, has_envs) / "deep"
        with pytest.raises(backend.GraphError) as info:
            backend.find_root(start, tmp_path / name)
        assert str(info.value) == (
            "cannot find the repository (a folder with Pulumi.yaml and environments/) "
            f"above {start}, {tmp_path / name}")


def test_find_root_takes_the_first_start_that_is_inside_one(tmp_path):
    whole = _repo_like(tmp_path / "whole", True, True)
    outside = tmp_path / "outside"
    outside.mkdir()
    assert backend.find_root(outside, whole / "deep") == whole
    assert backend.find_root(whole / "deep", outside) == whole


# --- run by hand: the repository from the working folder, else the program's folder -----

def _run_dev(monkeypatch, cwd, argv0) -> list:
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="dev", preview=False)
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", [str(argv0)])
    monkeypatch.delenv("MLINFRA_GRAPH", raising=False)
    exported: dict[str, object] = {}
    monkeypatch.setattr(pulumi, "export", lambda k, v: exported.__setitem__(k, v))

    @pulumi.runtime.test
    def program():
        built = backend.run()
        return pulumi.Output.all(*[r.urn for r in built.values()])

    program()
    return exported


@pytest.mark.parametrize("where", ["the program's folder", "the working folder"])
def test_run_by_hand_finds_the_repository_from_either_folder(tmp_path, monkeypatch, where):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    # as Pulumi runs it: sys.argv[0] is the program (program/__main__.py)
    if where == "the program's folder":
        exported = _run_dev(monkeypatch, outside, REPO / "program" / "__main__.py")
    else:
        exported = _run_dev(monkeypatch, REPO, outside / "__main__.py")
    graph = json.loads((REPO / "tests" / "golden" / "dev.json").read_text())
    # the exported graph is the compact, key-sorted JSON of the stack's graph
    assert exported["_mlinfra_graph"] == json.dumps(graph, sort_keys=True,
                                                    separators=(",", ":"))


def test_run_by_hand_outside_any_repository_stops_naming_both_folders(tmp_path,
                                                                      monkeypatch):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    with pytest.raises(pulumi.RunError) as info:
        _run_dev(monkeypatch, outside, outside / "prog" / "__main__.py")
    assert str(info.value) == (
        "cannot find the repository (a folder with Pulumi.yaml and environments/) above "
        f"{outside}, {outside / 'prog'}")


def test_compile_stack_refuses_an_unknown_stack_and_a_partial_file(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: python\n")
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "_base.yaml").write_text("labels: {team: ml}\n")
    with pytest.raises(backend.GraphError) as info:
        backend.compile_stack(tmp_path, "_base")
    assert str(info.value) == "stack '_base' names a partial environment file"
    with pytest.raises(backend.GraphError) as info:
        backend.compile_stack(tmp_path, "nope")
    assert str(info.value).startswith("stack 'nope': ")
    assert "nope" in str(info.value)[len("stack 'nope': "):]


# --- what a running group reports, and a secret reference's value -----------------------

class _Running(RecordingMocks):
    def new_resource(self, args):
        physical_id, out = super().new_resource(args)
        out["engineVersionActual"] = "7.1.0"
        out["authString"] = "s3cret"
        return [physical_id, out]


def test_a_running_group_reports_the_version_it_runs(monkeypatch):
    m = _Running()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="perf", preview=False)
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("MLINFRA_GRAPH", raising=False)
    exported: dict[str, object] = {}
    monkeypatch.setattr(pulumi, "export", lambda k, v: exported.__setitem__(k, v))
    graph = json.loads((REPO / "tests" / "golden" / "perf.json").read_text())
    groups = sorted(r["name"] for r in graph["resources"]
                    if r["type"] == "aws:elasticache/replicationGroup:ReplicationGroup")
    assert groups  # the shipped perf stack has one

    @pulumi.runtime.test
    def program():
        backend.run()
        running = exported["_mlinfra_running"]
        return pulumi.Output.all(*[running[g]["engine_version"] for g in groups]).apply(
            lambda versions: assert_all(versions, "7.1.0"))

    program()


def assert_all(values, expected):
    assert values and all(v == expected for v in values), values


def test_a_secret_reference_keeps_its_value(tmp_path, monkeypatch):
    pulumi.runtime.set_mocks(_Running(), project="mlinfra", stack="test", preview=False)
    exported: dict[str, object] = {}
    monkeypatch.setattr(pulumi, "export", lambda k, v: exported.__setitem__(k, v))
    graph = graph_of(tmp_path, """\
        providers: {gcp: {project: acme-ml-test, region: us-central1}}
        exports: {redis_auth: cache.auth_string}
        session_stores:
          cache: {auth: true}
        """)

    @pulumi.runtime.test
    def program():
        backend.materialize(graph)
        return exported["redis_auth"].apply(lambda v: assert_all([v], "s3cret"))

    program()


# --- a graph's shape: foreign types, cycles, the format, optional keys, options --------

QUEUE = "aws:sqs/queue:Queue"


def _res(name: str, args: dict | None = None, **extra) -> dict:
    return {"name": name, "type": QUEUE, "args": args or {}, **extra}


def test_every_foreign_type_is_named_in_one_message():
    with pytest.raises(backend.GraphError) as info:
        backend.check_types([_res("ok"), {"name": "a", "type": "aws:iam/user:User"},
                             {"name": "b"}])
    assert str(info.value) == (
        "resource 'a' has type 'aws:iam/user:User'; resource 'b' has type None, which no "
        "mlinfra service registers: the program registers only the types mlinfra compiles")


def test_a_reference_cycle_is_named_along_its_path():
    a = _res("a", {"x": {"$ref": "b", "attr": "arn"}})
    b = _res("b", {"x": {"$ref": "a", "attr": "arn"}})
    with pytest.raises(backend.GraphError) as info:
        backend.creation_order([b, a])
    assert str(info.value) == "reference cycle: a --> b --> a"
    with pytest.raises(backend.GraphError) as info:
        backend.creation_order([_res("a", {"x": {"$ref": "ghost", "attr": "arn"}})])
    assert str(info.value) == "reference to unknown resource 'ghost'"


def test_creation_order_follows_depends_on_and_takes_a_resource_without_options():
    first = _res("z-first")  # no "options" at all
    second = _res("a-second", options={"depends_on": ["z-first"]})
    assert [r["name"] for r in backend.creation_order([second, first])] == ["z-first",
                                                                           "a-second"]


def test_a_graph_of_another_format_is_refused():
    with pytest.raises(backend.GraphError) as info:
        backend.materialize({"format": "other/1", "resources": []})
    assert str(info.value) == f"graph format 'other/1' is not {backend.FORMAT}"


def test_a_graph_without_options_or_outputs_registers(monkeypatch):
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="test", preview=False)
    graph = {"format": backend.FORMAT, "resources": [_res("jobs", {"name": "jobs"})]}

    @pulumi.runtime.test
    def program():
        built = backend.materialize(graph, export=lambda k, v: None)
        return built["jobs"].urn.apply(lambda _: assert_all([a.name for a in m.created],
                                                            "jobs"))

    program()


class _Config:
    """A stand-in for pulumi.Config: each secret is `v-<key>`."""

    def require_secret(self, key: str):
        return pulumi.Output.secret(f"v-{key}")


def test_secrets_inside_json_and_lists_are_read_from_the_config():
    pulumi.runtime.set_mocks(RecordingMocks(), project="mlinfra", stack="test",
                             preview=False)

    @pulumi.runtime.test
    def program():
        text = backend.resolve_value({"$json": {"b": [{"$secret": "k"}], "a": 1}}, {},
                                     _Config())
        items = backend.resolve_value([{"$secret": "j"}, "plain"], {}, _Config())
        # the JSON text exactly: keys sorted, no spaces (what the resource stores, so a
        # new run compares equal)
        def check(values):
            assert values == ['{"a":1,"b":["v-k"]}', "v-j", "plain"]

        return pulumi.Output.all(text, *items).apply(check)

    program()


def test_a_stack_output_of_a_secret_reads_the_config(monkeypatch):
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"mlinfra:token": "t0ken"}))
    pulumi.runtime.set_mocks(RecordingMocks(), project="mlinfra", stack="test",
                             preview=False)
    exported: dict[str, object] = {}
    graph = {"format": backend.FORMAT, "resources": [],
             "outputs": {"token": {"$secret": "token"}}}

    @pulumi.runtime.test
    def program():
        backend.materialize(graph, export=exported.__setitem__)
        return exported["token"].apply(lambda v: assert_all([v], "t0ken"))

    program()


def test_resource_options_name_the_unknown_ones_and_pass_ignore_changes():
    with pytest.raises(backend.GraphError) as info:
        backend.resource_options({"zeta": 1, "protect": True, "alpha": 2})
    assert str(info.value) == "unknown resource options: alpha, zeta"
    assert backend.resource_options({"ignore_changes": ["labels"]}).ignore_changes == \
        ["labels"]
    assert backend.resource_options({"ignore_changes": []}).ignore_changes is None


# --- sdk_class: each refusal's message ----------------------------------------------------

def test_sdk_class_names_what_it_cannot_build():
    from mlinfra_compile.backends.sdk import GraphError, sdk_class

    cases = {
        "no-colons": "malformed type token 'no-colons'",
        "aws:sqs/queue:NoSuchClass": "pulumi_aws.sqs has no class NoSuchClass "
                                     "(aws:sqs/queue:NoSuchClass)",
    }
    for token, message in cases.items():
        with pytest.raises(GraphError) as info:
            sdk_class(token)
        assert str(info.value) == message
    with pytest.raises(GraphError) as info:
        sdk_class("nosuchcloud:thing/x:X")
    text = str(info.value)
    assert text.startswith("cannot import pulumi_nosuchcloud.thing for nosuchcloud:thing/x:X: ")
    assert text.endswith("; install the Pulumi SDKs with `pip install 'mlinfra-compile[pulumi]'`")
