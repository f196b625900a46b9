"""Functions a whole-product mutation run found no in-process test reaching (mutmut's "no
tests"): each is exercised here directly, on both sides of each of its conditions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlinfra_compile.diff import diff_graphs
from mlinfra_compile.gitref import GitWorkspace
from mlinfra_compile.loader import MAX_FILE_BYTES
from mlinfra_compile.workspace import find_root
from tests.golden import git, graph_doc, resource_doc

# terraform-provider-aws internal/service/ec2/vpc_security_group_ingress_rule.go: the
# source (cidr_ipv4 or referenced_security_group_id) is updated with
# ModifySecurityGroupRules; a rule whose source changes type is replaced.
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
CIDR, SG = "10.0.0.0/16", "sg-0a1b2c3d"


def _change(old: dict, new: dict):
    base = {"security_group_id": "sg-00000001", "from_port": 6379.0, "to_port": 6379.0,
            "ip_protocol": "tcp"}
    d = diff_graphs(graph_doc(resource_doc("rule", INGRESS, {**base, **old})),
                    graph_doc(resource_doc("rule", INGRESS, {**base, **new})), "test")
    (c,) = d.changes
    return c.action, sorted((a.key, a.verdict) for a in c.args)


def test_another_address_range_is_updated_in_place():
    assert _change({"cidr_ipv4": CIDR}, {"cidr_ipv4": "10.1.0.0/16"}) == (
        "update", [("cidr_ipv4", "update")])
    assert _change({"referenced_security_group_id": SG},
                   {"referenced_security_group_id": "sg-0f0f0f0f"}) == (
        "update", [("referenced_security_group_id", "update")])


@pytest.mark.parametrize(("old", "new"), [
    ({"cidr_ipv4": CIDR}, {"referenced_security_group_id": SG}),  # range -> group
    ({"referenced_security_group_id": SG}, {"cidr_ipv4": CIDR}),  # group -> range
], ids=["range-to-group", "group-to-range"])
def test_a_source_of_another_type_replaces_the_rule(old, new):
    action, args = _change(old, new)
    assert action == "replace"
    # the argument that appears (old None) and the one that goes (new None) both replace
    assert args == [("cidr_ipv4", "replace"), ("referenced_security_group_id", "replace")]


# --- find_root: as git finds .git ------------------------------------------------------


def test_the_repository_is_found_from_a_folder_inside_it(tmp_path):
    (tmp_path / "environments").mkdir()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(str(deep)) == os.path.realpath(tmp_path)
    assert find_root(str(tmp_path)) == os.path.realpath(tmp_path)


def test_without_a_repository_the_start_folder_is_the_root(tmp_path):
    start = tmp_path / "x" / "y"
    start.mkdir(parents=True)
    if any((p / "environments").is_dir() for p in start.parents):
        pytest.skip("a folder above the temporary directory holds environments/")
    assert find_root(str(start)) == os.path.realpath(start)


def test_a_file_named_environments_is_not_a_repository(tmp_path):
    (tmp_path / "environments").write_text("not a folder")
    (tmp_path / "inner" / "environments").mkdir(parents=True)
    assert find_root(str(tmp_path / "inner")) == os.path.realpath(tmp_path / "inner")


def test_the_root_is_found_through_a_link(tmp_path):
    (tmp_path / "repo" / "environments").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "repo")
    assert find_root(str(tmp_path / "link")) == os.path.realpath(tmp_path / "repo")


# --- GitWorkspace.peek: the text of a file at the ref ------------------------------------


@pytest.fixture
def committed(tmp_path: Path) -> Path:
    env = tmp_path / "environments"
    env.mkdir()
    (env / "dev.yaml").write_text("profile: development  # café\n", encoding="utf-8")
    (env / "big.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    (env / "dev.yaml").write_text("profile: production\n")  # the working tree moves on
    return tmp_path


def test_peek_at_a_ref_reads_the_committed_text(committed):
    ws = GitWorkspace(str(committed), "HEAD")
    assert ws.peek(str(committed / "environments" / "dev.yaml")) == \
        "profile: development  # café\n"


def test_peek_at_a_ref_is_empty_for_what_it_cannot_read(committed):
    ws = GitWorkspace(str(committed), "HEAD")
    assert ws.peek(str(committed / "environments" / "missing.yaml")) == ""
    assert ws.peek(str(committed / "environments" / "big.yaml")) == ""  # over 1 MiB


# --- shell completion of ENV, in this process and through the console script ------------


def _completions(root: Path, args: list[str], incomplete: str) -> list[str]:
    from mlinfra_compile import cli

    ctx = cli.cli.make_context("mlinfra", args, resilient_parsing=True)
    return [item.value for item in cli.complete_env(ctx, None, incomplete)]  # type: ignore[arg-type]


@pytest.fixture
def team(tmp_path: Path) -> Path:
    env = tmp_path / "environments"
    env.mkdir()
    for stem in ("dev", "prod", "perf", "_base"):
        (env / f"{stem}.yaml").write_text("{}\n")
    return tmp_path


def test_completion_offers_the_environments_that_start_with_what_is_typed(team):
    assert _completions(team, ["--root", str(team)], "p") == ["perf", "prod"]
    assert _completions(team, ["--root", str(team)], "") == ["dev", "perf", "prod"]
    assert _completions(team, ["--root", str(team)], "_") == []  # partials never
    assert _completions(team, ["--root", str(team)], "x") == []


def test_completion_finds_the_repository_from_the_folder_it_runs_in(team, monkeypatch):
    monkeypatch.chdir(team / "environments")
    assert _completions(team, [], "d") == ["dev"]


def test_the_console_script_leaves_completion_to_click(team):
    import subprocess
    import sys

    env = {**os.environ, "_MLINFRA_COMPLETE": "bash_complete",
           "COMP_WORDS": "mlinfra lint ", "COMP_CWORD": "2"}
    r = subprocess.run([sys.executable, "-c", "from mlinfra_compile.entry import run; run()"],
                       cwd=team, env=env, capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert "checked" not in r.stderr  # no lint ran
    env.update(COMP_WORDS="mlinfra plan p", COMP_CWORD="2")
    r = subprocess.run([sys.executable, "-c", "from mlinfra_compile.entry import run; run()"],
                       cwd=team, env=env, capture_output=True, text=True, check=False)
    assert r.stdout.split() == ["plain,perf", "plain,prod"]


def test_a_source_type_change_says_why_it_replaces():
    d = diff_graphs(graph_doc(resource_doc("rule", INGRESS, {"cidr_ipv4": CIDR})),
                    graph_doc(resource_doc("rule", INGRESS,
                                           {"referenced_security_group_id": SG})), "test")
    (c,) = d.changes
    assert {a.why for a in c.args} == {
        "the rule's source changes type (CIDR <-> security group)"}


def test_peek_at_a_ref_shows_bytes_that_are_not_utf8_instead_of_failing(tmp_path):
    env = tmp_path / "environments"
    env.mkdir()
    (env / "dev.yaml").write_bytes(b"labels: {team: caf\xe9}\n")  # Latin-1, not UTF-8
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    assert GitWorkspace(str(tmp_path), "HEAD").peek(str(env / "dev.yaml")) == \
        "labels: {team: caf\ufffd}\n"


# --- the graph deploy hands the Pulumi program (test_deploy checks it changed; these run
# where the mutation run sees them) ---------------------------------------------------------


def test_a_handed_over_graph_that_cannot_be_read_says_why(tmp_path):
    from mlinfra_compile.backends.pulumi_program import GraphError, handed_over_graph
    from mlinfra_compile.state import MAX_BYTES

    fifo = tmp_path / "graph.fifo"
    os.mkfifo(fifo)
    with pytest.raises(GraphError) as e:
        handed_over_graph(str(fifo), "0" * 64, "prod")
    assert str(e.value) == ("cannot read the graph mlinfra deploy handed over: not a "
                            "regular file")
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(GraphError) as e:
        handed_over_graph(str(big), "0" * 64, "prod")
    assert str(e.value) == ("cannot read the graph mlinfra deploy handed over: larger than "
                            f"{MAX_BYTES} bytes")
    with pytest.raises(GraphError) as e:
        handed_over_graph(str(tmp_path / "gone.json"), "0" * 64, "prod")
    assert str(e.value) == ("cannot read the graph mlinfra deploy handed over: No such "
                            "file or directory")


def test_a_handed_over_graph_is_the_stacks_and_unchanged(tmp_path):
    import hashlib

    from mlinfra_compile.backends.pulumi_program import GraphError, handed_over_graph

    def handed(text: str, stack: str = "prod", digest: str | None = "") -> object:
        path = tmp_path / "graph.json"
        path.write_text(text)
        sha = hashlib.sha256(text.encode()).hexdigest() if digest == "" else digest
        return handed_over_graph(str(path), sha, stack)

    assert handed('{"environment": "prod"}') == {"environment": "prod"}
    for text, stack in (('{"environment": "prod"}', "dev"), ("[1]", "prod"),
                        ("not json", "prod")):
        with pytest.raises(GraphError) as e:
            handed(text, stack)
        assert str(e.value) == f"the graph mlinfra deploy handed over is not stack {stack!r}'s"
    for digest in (None, "", "0" * 64):
        with pytest.raises(GraphError) as e:
            handed('{"environment": "prod"}', digest=digest or None)
        assert str(e.value) == ("the graph mlinfra deploy handed over does not match the one "
                                "it checked (SHA-256 differs); run mlinfra deploy again")


# --- mlinfra new --from: what is copied, as written ---------------------------------------


def test_new_from_copies_the_settings_in_their_order_in_block_style():
    import copy

    from mlinfra_compile.scaffold import _copy

    source = {"profile": "production", "environment": "prod",
              "queues": {"jobs": {"delay": "90s", "name": "ml-jobs"}},
              "labels": {"team": "café"}}
    before = copy.deepcopy(source)
    text, left = _copy(source, "prod")
    assert left == ["queues.jobs.name"]
    assert text == ("# Copied from prod.yaml:\n"
                    "# left out: queues.jobs.name (it belongs to prod's stack)\n"
                    "queues:\n  jobs:\n    delay: 90s\nlabels:\n  team: café\n")
    assert source == before  # the source's own data is not changed by what is left out


def test_new_from_a_file_with_only_its_profile_and_name_copies_nothing():
    from mlinfra_compile.scaffold import _copy

    assert _copy({"profile": "production", "environment": "prod"}, "prod") == ("", [])
    assert _copy({"queues": {"jobs": {"name": "ml-jobs"}}}, "prod")[1] == ["queues.jobs.name"]


# --- mlinfra new, production: the settings the declarations' services need ---------------


@pytest.mark.parametrize(("data", "cloud", "configured", "wanted"), [
    # (gcp_redis and gcp_memorystore_valkey need `network`, gcp_pubsub `project_number`,
    # aws_elasticache and its serverless service `subnet_ids`, aws_sqs nothing: MLC507)
    ({"session_stores": {"s": {}}}, "gcp", 1, ["network"]),  # the only cloud
    ({"session_stores": {"s": {}}}, "gcp", 2, []),  # two clouds, no default: not gcp's
    ({"default_provider": "gcp", "session_stores": {"s": None}}, "gcp", 2, ["network"]),
    ({"default_provider": "aws", "session_stores": {"s": {"provider": "gcp"}},
      "queues": {"q": {"provider": "gcp"}}}, "gcp", 2, ["network", "project_number"]),
    ({"default_provider": "aws", "queues": {"q": {}}}, "gcp", 2, []),
    ({"queues": {"q": {}, "r": {}}}, "gcp", 1, ["project_number"]),  # each setting once
    ({"queues": {"q": {}}}, "aws", 1, []),
    ({"session_stores": ["not", "a", "mapping"]}, "gcp", 1, []),
])
def test_new_asks_for_the_settings_each_declarations_service_needs(data, cloud, configured,
                                                                   wanted):
    from mlinfra_compile.scaffold import _production_settings

    assert _production_settings(data, cloud, configured) == wanted


def test_new_asks_for_the_settings_of_the_service_a_declaration_selects(monkeypatch):
    from mlinfra_compile.providers import aws_elasticache_serverless as serverless
    from mlinfra_compile.scaffold import _production_settings

    # (today each service needs what its cloud's default needs; one that needed more
    # must be asked for: before, only the cloud's default service was consulted)
    monkeypatch.setattr(serverless, "PRODUCTION_SETTINGS", ("subnet_ids", "x_only_serverless"))
    data = {"session_stores": {"edge": {"service": "elasticache-serverless"}}}
    assert _production_settings(data, "aws", 1) == ["subnet_ids", "x_only_serverless"]
    assert _production_settings({"session_stores": {"s": {}}}, "aws", 1) == ["subnet_ids"]


def test_connection_settings_as_yaml_are_sorted_and_in_block_style():
    import yaml

    from mlinfra_compile.connections import settings_yaml

    text = settings_yaml({"SESSIONS_PORT": "6379", "SESSIONS_HOST": "10.0.0.3",
                          "JOBS_URL": "https://sqs.us-east-1.amazonaws.com/1/jobs"}, [])
    assert text == ("JOBS_URL: https://sqs.us-east-1.amazonaws.com/1/jobs\n"
                    "SESSIONS_HOST: 10.0.0.3\nSESSIONS_PORT: '6379'\n")
    assert yaml.safe_load(text)["SESSIONS_PORT"] == "6379"  # a string, as the stack holds it


# --- an empty declaration (null), by kind; a null elsewhere is no declaration -----------


def test_an_empty_declaration_is_named_by_its_kind(tmp_path):
    from tests.golden import run_cli

    env = tmp_path / "environments"
    env.mkdir()
    (env / "dev.yaml").write_text(
        "profile: development\nproviders:\n  gcp: {project: acme-ml-dev, region: us-central1}\n"
        "labels: {team: null}\nsession_stores:\n  cache:\nqueues:\n  jobs:\n  events:\n"
        "    subscriptions:\n      audit:\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    said = [line.split(": ", 3)[2:] for line in out.splitlines()]
    assert said == [
        ["session_stores.cache", "'cache' has no body, so it declares nothing (null removes "
         "a session store inherited from a file this one extends, and there is none): write "
         "`cache: {}` for a session store with every default [MLC315]"],
        ["queues.jobs", "'jobs' has no body, so it declares nothing (null removes a queue "
         "inherited from a file this one extends, and there is none): write `jobs: {}` for a "
         "queue with every default [MLC315]"],
        ["queues.events.subscriptions.audit", "'audit' has no body, so it declares nothing "
         "(null removes a subscription inherited from a file this one extends, and there is "
         "none): write `audit: {}` for a subscription with every default [MLC315]"]]


# --- explain: a key that is not there names the nearest declaration ---------------------

TAIL = "; keys look like session_stores.NAME.tier or queues.NAME.retention"


@pytest.mark.parametrize(("key", "hint"), [
    ("queues.jbos", " (did you mean 'queues.jobs'?)"),
    ("queues.jbos.delay", " (did you mean 'queues.jobs.delay'?)"),
    ("queues.zzz", "; queues: events, jobs"),  # nothing close: every name of the section
    ("session_stores.x", "; session_stores: none"),
    ("labels.x", ""),  # not a declaration
    ("queues.jobs.dleay", ""),  # the declaration exists: its field is misspelled
])
def test_explain_of_a_key_that_is_not_there_names_the_nearest_declaration(tmp_path, key,
                                                                          hint):
    from mlinfra_compile.report import ExplainError, explain_text
    from mlinfra_compile.resolve import Workspace, compile_environment

    env = tmp_path / "environments"
    env.mkdir()
    (env / "dev.yaml").write_text(
        "profile: development\nproviders:\n  gcp: {project: acme-ml-dev, region: us-central1}\n"
        "queues:\n  jobs: {}\n  events: {}\n")
    c = compile_environment(Workspace(str(tmp_path)), str(env / "dev.yaml"))
    with pytest.raises(ExplainError) as e:
        explain_text(c, key)
    assert str(e.value) == f"{key!r} is not set in dev and has no default{hint}{TAIL}"


# --- plan shows each scalar as JSON (through one encoder, json.dumps's words) ----------

@pytest.mark.parametrize("value", [
    "plain", "café ☕", "quote \" and \\ backslash", "\x1b[31m", "\u2028", "line\nbreak",
    "`tick`", "<b>", "a|b", "100%", "::error::x", "\u202eevil", 0, -3, 6379.0,
    1e21, 0.1, float("nan"), True, False, None, "",
])
def test_the_plan_shows_each_scalar_as_json_dumps_does(value):
    import json

    from mlinfra_compile.report import show_value

    assert show_value(value) == json.dumps(value, ensure_ascii=False)
