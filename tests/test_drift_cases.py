"""`mlinfra drift`, run in this process: what it asks Pulumi, what it hands the program,
and the whole of what it prints for each answer of `pulumi preview --refresh --json`.

Pulumi is never run: `reading.run` (which livestack.pulumi_json calls) is replaced by a
stand-in that records each command with its environment and answers from a table, so
every line of stack.drift runs where mutmut sees it. A `pulumi` on PATH is still needed
(pulumi_ready looks for it), but it is never started."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pytest

from mlinfra_compile import reading
from tests.conftest import fake_on_path
from tests.golden import run_cli
from tests.test_deploy import copy_repo

NEVER_RUN = "import sys; sys.exit('the stand-in for pulumi was started')\n"
GCP_REDIS = "urn:pulumi:dev::mlinfra::gcp:redis/instance:Instance::"
AWS_QUEUE = "urn:pulumi:dev::mlinfra::aws:sqs/queue:Queue::"


class FakePulumi:
    """Answers `pulumi stack output`, `stack export` and `preview` (each: exit code,
    stdout, stderr) and records every call: argv, environment and the graph handed over."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, str, str]] = {}
        self.calls: list[dict] = []

    def __call__(self, argv, cap, env=None, stdin=None):
        graph = (env or {}).get("MLINFRA_GRAPH")
        self.calls.append({
            "argv": argv[1:], "env": env,
            "graph": Path(graph).read_text() if graph else None,
            "folder": os.path.dirname(graph) if graph else None})
        key = argv[1] if argv[1] == "preview" else " ".join(argv[1:3])
        code, stdout, stderr = self.answers.get(key, (0, "{}", ""))
        return reading.Ran(code, stdout.encode(), stderr.encode())


@pytest.fixture
def pulumi(tmp_path, monkeypatch) -> FakePulumi:
    fake_on_path(tmp_path, monkeypatch, NEVER_RUN)
    monkeypatch.setenv("CI", "true")  # --non-interactive, whoever runs the tests
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    monkeypatch.delenv("MLINFRA_GRAPH", raising=False)
    monkeypatch.delenv("MLINFRA_GRAPH_SHA256", raising=False)
    fake = FakePulumi()
    monkeypatch.setattr(reading, "run", fake)
    return fake


def deployed(root: Path, pulumi: FakePulumi, preview: dict | str) -> dict:
    """The stack recorded dev's compiled graph; `preview` is what preview prints."""
    rc, text, err = run_cli(root, "compile", "dev")
    assert rc == 0, err
    graph = json.loads(text)
    pulumi.answers["stack output"] = (0, json.dumps({"_mlinfra_graph": json.dumps(graph)}),
                                      "")
    pulumi.answers["preview"] = (0, preview if isinstance(preview, str)
                                 else json.dumps(preview), "")
    return graph


def test_drift_lists_each_changed_step_and_hands_over_the_deployed_graph(pulumi, tmp_path):
    root = copy_repo(tmp_path)
    cwd = os.path.realpath(root)
    graph = deployed(root, pulumi, {"steps": [
        {"op": "same", "urn": GCP_REDIS + "a"},
        {"op": "read", "urn": GCP_REDIS + "b"},
        {"urn": GCP_REDIS + "c"},  # (no op: not a change)
        5,  # (not a step)
        {"op": "update", "urn": AWS_QUEUE + "ml-training-queue"},
        {"op": "delete"},  # (no urn: named by nothing)
        {"op": "replace", "urn": GCP_REDIS + "a::b"}]})  # (a name may hold `::`)
    rc, stdout, err = run_cli(root, "drift", "dev")
    assert (rc, err) == (5, "")
    assert stdout == (
        "drift: update ml-training-queue\n"
        "drift: delete \n"
        "drift: replace a::b\n"
        "3 resource(s) of stack dev differ from what was deployed; `mlinfra deploy dev` "
        "puts them back\n")
    flags = ["--stack", "dev", "--cwd", cwd, "--non-interactive"]
    output, preview = pulumi.calls
    assert output["argv"] == ["stack", "output", "--json", "--stack", "dev", "--cwd", cwd]
    assert preview["argv"] == ["preview", "--refresh", "--json", *flags]
    for call in (output, preview):
        assert call["env"]["PULUMI_BACKEND_URL"] == f"file://{cwd}/.pulumi-state"
    # the program registers the graph the stack recorded (not today's files), with its
    # SHA-256 (see backends.pulumi_program.handed_over_graph)
    assert output["graph"] is None and json.loads(preview["graph"]) == graph
    assert preview["env"]["MLINFRA_GRAPH_SHA256"] == \
        hashlib.sha256(preview["graph"].encode()).hexdigest()
    # ... in a folder of its own, named for the command, gone once drift is done
    folder = preview["folder"]
    assert os.path.dirname(folder) == tempfile.gettempdir()
    assert os.path.basename(folder).startswith("mlinfra-drift-")
    assert not os.path.exists(folder)


@pytest.mark.parametrize("preview", [
    {"steps": [{"op": "same", "urn": GCP_REDIS + "a"}, {"op": "read", "urn": GCP_REDIS + "b"},
               {"urn": GCP_REDIS + "c"}, "update"]},
    {"steps": []},
    {}])  # (no steps at all: nothing would change)
def test_drift_finds_none_when_every_step_is_same_or_read(pulumi, tmp_path, preview):
    root = copy_repo(tmp_path)
    deployed(root, pulumi, preview)
    assert run_cli(root, "drift", "dev") == (
        0, "no drift: the cloud matches what stack dev deployed\n", "")


@pytest.mark.parametrize("steps", [5, "update", {"op": "update"}, None])
def test_drift_stops_when_preview_prints_no_list_of_steps(pulumi, tmp_path, steps):
    root = copy_repo(tmp_path)
    deployed(root, pulumi, {"steps": steps})
    assert run_cli(root, "drift", "dev") == (
        4, "", "mlinfra: error: `pulumi preview --json` printed no list of steps; cannot "
               "tell whether the stack drifted\n")


def test_drift_stops_when_preview_fails(pulumi, tmp_path):
    root = copy_repo(tmp_path)
    deployed(root, pulumi, "")
    pulumi.answers["preview"] = (255, "", "error: failed to refresh\n")
    assert run_cli(root, "drift", "dev") == (
        4, "", "error: failed to refresh\n"
               "mlinfra: error: `pulumi preview --refresh` failed with exit code 255; cannot "
               "tell whether the stack drifted\n")


def test_drift_of_an_empty_stack_without_a_graph_asks_for_a_deploy(pulumi, tmp_path):
    root = copy_repo(tmp_path)
    pulumi.answers["stack export"] = (0, '{"version": 3, "deployment": {}}', "")
    assert run_cli(root, "drift", "dev") == (
        1, "", "mlinfra: error: stack dev has no graph recorded by mlinfra deploy; deploy it "
               "first\n")
    assert [c["argv"][:2] for c in pulumi.calls] == [["stack", "output"],
                                                     ["stack", "export"]]


def test_drift_without_a_pulumi_project_names_the_stack(pulumi, tmp_path):
    root = copy_repo(tmp_path)
    (root / "Pulumi.yaml").unlink()
    assert run_cli(root, "drift", "dev") == (
        1, "", f"mlinfra: error: {os.path.realpath(root)} has no Pulumi.yaml, so there is "
               "no Pulumi project for stack dev: add one whose program calls "
               "mlinfra_compile.backends.pulumi_program.run() (README, \"Deploying\"), or "
               "write a repository with `mlinfra init`\n")
    assert pulumi.calls == []
