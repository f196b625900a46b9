"""`mlinfra deploy`, run in this process so that every line of stack.deploy runs where
mutmut sees it (tests/test_deploy.py, which starts a fake `pulumi`, is left out of the
mutation run). Pulumi is never started: `reading.run` answers `pulumi stack output` from
a table (tests/test_drift_cases.FakePulumi) and `child.run_forwarding`, which runs
`stack select` and `up` / `preview`, records each command and succeeds.

dev.yaml (with _base.yaml) declares one 1 GiB Memorystore instance of the basic tier:
GCP lists Basic M1 (1-4 GB) in us-central1 at $0.049 per GB-hour, and a month is 730
hours, so 1 x 0.049 x 730 = $35.77/month; its SQS queue, Pub/Sub topic and subscription
are priced by use."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from mlinfra_compile import child, reading, stack
from tests.conftest import fake_on_path
from tests.golden import run_cli
from tests.test_deploy import copy_repo
from tests.test_drift_cases import NEVER_RUN, FakePulumi
from tests.test_live_stack import set_profile

NOTE = ("mlinfra: note: PULUMI_CONFIG_PASSPHRASE is not set; Pulumi will ask for the "
        "passphrase that encrypts this stack's secrets\n")
DEV_UNCHANGED = ("diff dev: stack dev as deployed -> working tree\n"
                 "no changes\n"
                 "0 to create, 0 to update in place, 0 to replace, 0 to delete\n"
                 "monthly cost: unchanged, $35.77/month\n"
                 "  not included: 3 resources priced by use with no usage given\n")


class Pulumi(FakePulumi):
    """Also stands in for `child.run_forwarding`: `steps` holds the argv (without the
    CLI's path) of each command run that way, `envs` its environment."""

    def __init__(self) -> None:
        super().__init__()
        self.steps: list[list[str]] = []
        self.envs: list[dict[str, str]] = []

    def forwarding(self, argv: list[str], env: dict[str, str]) -> child.Outcome:
        self.steps.append(argv[1:])
        self.envs.append(dict(env))
        return child.Outcome(0, False)

    def records(self, graph: dict, running: dict | None = None) -> None:
        """The stack's outputs hold `graph` (and `running`) as deploy recorded them."""
        outputs = {"_mlinfra_graph": json.dumps(graph)}
        if running is not None:
            outputs["_mlinfra_running"] = running
        self.answers["stack output"] = (0, json.dumps(outputs), "")


@pytest.fixture
def pulumi(tmp_path, monkeypatch) -> Pulumi:
    fake_on_path(tmp_path, monkeypatch, NEVER_RUN)  # (pulumi_ready looks for it)
    monkeypatch.setenv("CI", "true")  # --non-interactive, whoever runs the tests
    for name in ("PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE",
                 "PULUMI_CONFIG_PASSPHRASE_FILE", "PULUMI_SKIP_CONFIRMATIONS",
                 "MLINFRA_GRAPH", "MLINFRA_GRAPH_SHA256"):
        monkeypatch.delenv(name, raising=False)
    fake = Pulumi()
    monkeypatch.setattr(reading, "run", fake)
    monkeypatch.setattr(child, "run_forwarding", fake.forwarding)
    return fake


def compiled(root: Path, env: str) -> dict:
    rc, text, err = run_cli(root, "compile", env)
    assert rc == 0, err
    return json.loads(text)


def test_a_local_backend_without_a_passphrase_gets_a_note_before_the_diff(pulumi, tmp_path):
    root = copy_repo(tmp_path)
    pulumi.records(compiled(root, "dev"))
    assert run_cli(root, "deploy", "dev", "--yes") == (0, "", NOTE + DEV_UNCHANGED)
    cwd = os.path.realpath(root)
    assert pulumi.steps == [
        ["stack", "select", "--create", "dev", "--cwd", cwd, "--non-interactive"],
        ["up", "--stack", "dev", "--cwd", cwd, "--non-interactive", "--yes"]]
    assert pulumi.envs[0]["PULUMI_BACKEND_URL"] == f"file://{cwd}/.pulumi-state"


@pytest.mark.parametrize("env", [
    {"PULUMI_CONFIG_PASSPHRASE": "correct horse"},
    {"PULUMI_CONFIG_PASSPHRASE_FILE": "/run/secrets/pulumi-passphrase"},
    {"PULUMI_BACKEND_URL": "s3://acme-pulumi-state"}],  # (not local: Pulumi's own keys)
    ids=["passphrase", "passphrase-file", "s3-backend"])
def test_no_note_when_pulumi_has_the_passphrase_or_state_is_not_local(pulumi, tmp_path,
                                                                      monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    root = copy_repo(tmp_path)
    pulumi.records(compiled(root, "dev"))
    assert run_cli(root, "deploy", "dev", "--preview") == (0, "", DEV_UNCHANGED)
    assert [s[0] for s in pulumi.steps] == ["stack", "preview"]


class _Terminal:
    """A stdin that is a terminal (pytest's is not)."""

    def isatty(self) -> bool:
        return True


def test_at_a_terminal_deploy_without_yes_lets_pulumi_ask(pulumi, tmp_path, monkeypatch):
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "correct horse")
    root = copy_repo(tmp_path)
    pulumi.records(compiled(root, "dev"))
    assert run_cli(root, "deploy", "dev") == (0, "", DEV_UNCHANGED)
    cwd = os.path.realpath(root)
    # neither --non-interactive nor --yes: `pulumi up` asks the person at the terminal
    assert pulumi.steps == [["stack", "select", "--create", "dev", "--cwd", cwd],
                            ["up", "--stack", "dev", "--cwd", cwd]]


def test_away_from_a_terminal_deploy_without_yes_stops_before_up(pulumi, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "correct horse")
    root = copy_repo(tmp_path)
    pulumi.records(compiled(root, "dev"))
    assert run_cli(root, "deploy", "dev") == (
        2, "", DEV_UNCHANGED +
        "mlinfra: error: `pulumi up` asks for confirmation, and there is no terminal to ask "
        "at (stdin is not a terminal, or CI is set); rerun with --yes to deploy the changes "
        "above, or --preview to see Pulumi's plan\n")
    assert [s[:2] for s in pulumi.steps] == [["stack", "select"]]


def test_deploy_without_a_pulumi_project_names_the_stack(pulumi, tmp_path):
    root = copy_repo(tmp_path)
    (root / "Pulumi.yaml").unlink()
    assert run_cli(root, "deploy", "dev", "--yes") == (
        1, "",
        f"mlinfra: error: {root.resolve()} has no Pulumi.yaml, so there is no Pulumi "
        "project for stack dev: add one whose program calls "
        "mlinfra_compile.backends.pulumi_program.run() (README, \"Deploying\"), or write a "
        "repository with `mlinfra init`\n")
    assert pulumi.steps == [] and pulumi.calls == []


# --- a downgrade from production, and --allow-replace STACK:NAME ------------------------

PROD_STATEFUL = ["ml-session-storage", "ml-training-dlq", "ml-training-dlq-sub"]
MLC604 = (
    "refused: prod goes from production to development, which drops protect on "
    "ml-session-storage, ml-training, ml-training-metrics-exporter, ml-training-queue, "
    "ml-training-queue-dlq, ml-training-trainers; deletion protection on "
    "ml-session-storage; the production rules (MLC5xx: high availability, AUTH, TLS, "
    "protection, dead letters, a named network); the refusal of replacements and "
    "deletions of stateful resources (MLC601) from the next change on; rerun with "
    "--allow-downgrade if you mean it [MLC604]")


def refusals(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("refused:")]


def mlc601(name: str, change: str) -> str:
    return (f"refused: prod is a production environment and this {change}, losing its "
            f"data; rerun with --allow-replace {name} if you mean it [MLC601]")


@pytest.fixture
def prod_downgraded(pulumi, tmp_path, monkeypatch) -> Path:
    """prod recorded as deployed in production; its file now says development, which
    turns TLS off (forcing a new instance) and drops the dead-letter topic."""
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "correct horse")
    root = copy_repo(tmp_path)
    pulumi.records(compiled(root, "prod"))
    set_profile(root, "prod", "development")
    return root


def test_deploy_called_without_allow_downgrade_refuses_the_downgrade(prod_downgraded,
                                                                     pulumi, capsys):
    # (the stateful replacements named, only the downgrade is left to refuse)
    rc = stack.deploy(str(prod_downgraded), "prod", preview=False, yes=True,
                      allow=PROD_STATEFUL)
    assert rc == 3
    assert refusals(capsys.readouterr().err) == [MLC604]
    assert [s[:2] for s in pulumi.steps] == [["stack", "select"]]  # no `up`


def test_allow_replace_stack_colon_name_holds_in_that_stack_only(prod_downgraded, pulumi,
                                                                 capsys):
    cwd = os.path.realpath(prod_downgraded)
    rc = stack.deploy(str(prod_downgraded), "prod", preview=False, yes=True,
                      allow=[f"prod:{n}" for n in PROD_STATEFUL], allow_downgrade=True)
    assert (rc, refusals(capsys.readouterr().err)) == (0, [])
    assert pulumi.steps[-1] == ["up", "--stack", "prod", "--cwd", cwd, "--non-interactive",
                                "--yes"]
    # the same names for stack staging do not hold in prod
    rc = stack.deploy(str(prod_downgraded), "prod", preview=False, yes=True,
                      allow=[f"staging:{n}" for n in PROD_STATEFUL], allow_downgrade=True)
    assert rc == 3
    assert refusals(capsys.readouterr().err) == [
        # (transit_encryption_mode cannot change in place: magic-modules
        # mmv1/products/redis/Instance.yaml marks it `immutable: true`)
        mlc601("ml-session-storage", "would replace ml-session-storage "
               "(transit_encryption_mode: forces replacement)"),
        mlc601("ml-training-dlq", "would delete ml-training-dlq"),
        mlc601("ml-training-dlq-sub", "would delete ml-training-dlq-sub")]
    assert [s[0] for s in pulumi.steps] == ["stack", "up", "stack"]


# --- what the deployed resources report they run ------------------------------------------

def _perf_without_tls(root: Path) -> dict:
    """perf's graph as deployed before TLS: transit encryption off; perf.yaml now asks
    for `tls: preferred` (encryption on, plain connections still accepted)."""
    edit = root / "environments" / "perf.yaml"
    edit.write_text(edit.read_text().replace("tls: true", "tls: preferred"))
    graph = compiled(root, "perf")
    store = next(r for r in graph["resources"] if r["name"] == "ml-session-storage")
    store["args"]["transit_encryption_enabled"] = False
    store["args"].pop("transit_encryption_mode", None)
    return graph


@pytest.mark.parametrize("engine, verdict", [
    # ElastiCache turns in-transit encryption on in place from Redis OSS 7.0.5 on
    # ("Enabling in-transit encryption", ElastiCache user guide); below, a new group
    ("6.2.6", "  REPLACE: the group runs engine 6.2.6; below 7.0.5 ElastiCache cannot "
              "change transit encryption in place"),
    ("7.1.0", "  in place")])
def test_deploy_judges_a_change_by_the_engine_the_stack_reports(pulumi, tmp_path,
                                                                monkeypatch, engine,
                                                                verdict):
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "correct horse")
    root = copy_repo(tmp_path)
    pulumi.records(_perf_without_tls(root), {"ml-session-storage": {"engine_version": engine}})
    rc, out, err = run_cli(root, "deploy", "perf", "--yes")
    replaced = "REPLACE" in verdict
    assert (rc, out) == (0, "")
    assert err.splitlines()[:5] == [
        "diff perf: stack perf as deployed -> working tree",
        ("-/+ ml-session-storage  aws:elasticache/replicationGroup:ReplicationGroup  REPLACE"
         if replaced else
         "  ~ ml-session-storage  aws:elasticache/replicationGroup:ReplicationGroup  update"),
        "      transit_encryption_enabled: false -> true" + verdict,
        "      transit_encryption_mode: (unset) -> \"preferred\"  in place",
        f"0 to create, {0 if replaced else 1} to update in place, {1 if replaced else 0} to "
        "replace, 0 to delete"]


# --- the graph handed to the Pulumi program -------------------------------------------------

def test_up_is_handed_the_graph_checked_in_a_folder_of_its_own(pulumi, tmp_path, monkeypatch):
    import hashlib
    import tempfile

    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "correct horse")
    root = copy_repo(tmp_path)
    graph = compiled(root, "dev")
    pulumi.records(graph)
    handed: list[tuple[str, bytes]] = []

    def forwarding(argv: list[str], env: dict[str, str]) -> child.Outcome:
        if "MLINFRA_GRAPH" in env:  # (the file is gone once deploy returns: read it now)
            handed.append((env["MLINFRA_GRAPH"], Path(env["MLINFRA_GRAPH"]).read_bytes()))
        return pulumi.forwarding(argv, env)

    monkeypatch.setattr(child, "run_forwarding", forwarding)
    assert stack.deploy(str(root), "dev", preview=False, yes=True, allow=[]) == 0
    assert [s[0] for s in pulumi.steps] == ["stack", "up"]
    assert "MLINFRA_GRAPH" not in pulumi.envs[0]  # (`stack select` needs no graph)
    [(path, text)] = handed
    # the graph `mlinfra compile dev` prints, and its SHA-256 (hashlib) for the program
    assert json.loads(text) == graph
    assert pulumi.envs[1]["MLINFRA_GRAPH_SHA256"] == hashlib.sha256(text).hexdigest()
    # in a temporary folder named for mlinfra deploy, removed afterwards
    folder = Path(path).parent
    assert (Path(path).name, folder.parent) == ("graph.json", Path(tempfile.gettempdir()))
    assert folder.name.startswith("mlinfra-deploy-") and not folder.exists()
