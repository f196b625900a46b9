"""deploy, destroy and drift take the live stack for the truth: its recorded graph, and
(when none is recorded) the resources of its checkpoint. A fake `pulumi` on PATH records
argv, cwd and the environment, and answers `stack output` and `stack export` from the
files FAKE_PULUMI_OUTPUTS and FAKE_PULUMI_EXPORT name; FAKE_PULUMI_FAIL makes a command
fail with a given exit code and stderr."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import fake_on_path
from tests.golden import run_cli
from tests.test_deploy import copy_repo, logged_calls

FAKE = """\
import json, os, sys
with open(os.environ["FAKE_PULUMI_LOG"], "a") as fh:
    fh.write(json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(), "env": {{
        k: os.environ.get(k) for k in ("PULUMI_BACKEND_URL", "MLINFRA_GRAPH")}}}}) + "\\n")
fail = json.loads(os.environ.get("FAKE_PULUMI_FAIL") or "{{}}").get(" ".join(sys.argv[1:3]))
if fail:  # [exit code, file of the bytes to print on stderr]
    sys.stderr.buffer.write(open(fail[1], "rb").read())
    sys.exit(fail[0])
answer = {{("stack", "output"): "FAKE_PULUMI_OUTPUTS",
           ("stack", "export"): "FAKE_PULUMI_EXPORT"}}.get(tuple(sys.argv[1:3]))
if answer:
    path = os.environ.get(answer)
    sys.stdout.buffer.write(open(path, "rb").read() if path else b"{{}}")
else:
    print("fake pulumi:", " ".join(sys.argv[1:]))
"""

CHECKPOINT_HEAD = {"version": 3, "deployment": {"manifest": {"time": "2025-01-01T00:00:00Z",
                                                             "magic": "", "version": ""}}}


@pytest.fixture
def fake_pulumi(tmp_path, monkeypatch):
    fake_on_path(tmp_path, monkeypatch, FAKE.format())
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("FAKE_PULUMI_LOG", str(log))
    monkeypatch.setenv("CI", "true")  # --non-interactive, whoever runs the tests
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "test")
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    monkeypatch.delenv("FAKE_PULUMI_OUTPUTS", raising=False)
    monkeypatch.delenv("FAKE_PULUMI_EXPORT", raising=False)
    monkeypatch.delenv("FAKE_PULUMI_FAIL", raising=False)

    return lambda: logged_calls(log)


def argvs(fake_pulumi) -> list[list[str]]:
    return [c["argv"] for c in fake_pulumi()]


def compiled(root: Path, env: str) -> dict:
    rc, out, err = run_cli(root, "compile", env)
    assert rc == 0, err
    return json.loads(out)


def recorded(tmp_path: Path, monkeypatch, graph: dict | None, **outputs) -> None:
    """The stack's outputs: `graph` recorded in _mlinfra_graph (None: no graph)."""
    doc = dict(outputs)
    if graph is not None:
        doc["_mlinfra_graph"] = json.dumps(graph)
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(doc))
    monkeypatch.setenv("FAKE_PULUMI_OUTPUTS", str(path))


def exported(tmp_path: Path, monkeypatch, doc: object | bytes) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(doc if isinstance(doc, bytes) else json.dumps(doc).encode())
    monkeypatch.setenv("FAKE_PULUMI_EXPORT", str(path))


def checkpoint(stack: str, *resources: tuple[str, str]) -> dict:
    """A `pulumi stack export` document holding the stack, its gcp provider and
    `resources` ((type, name) each)."""
    def res(kind: str, name: str) -> dict:
        return {"urn": f"urn:pulumi:{stack}::mlinfra::{kind}::{name}", "type": kind,
                "custom": True, "id": name, "inputs": {}, "outputs": {}}

    everything = [("pulumi:pulumi:Stack", f"mlinfra-{stack}"),
                  ("pulumi:providers:gcp", "default_9_3_0"), *resources]
    return {**CHECKPOINT_HEAD,
            "deployment": {**CHECKPOINT_HEAD["deployment"],
                           "resources": [res(k, n) for k, n in everything]}}


def output_argv(stack: str, root: Path) -> list[str]:
    return ["stack", "output", "--json", "--stack", stack, "--cwd", str(root.resolve())]


def export_argv(stack: str, root: Path) -> list[str]:
    return ["stack", "export", "--stack", stack, "--cwd", str(root.resolve()),
            "--non-interactive"]


def flags(stack: str, root: Path) -> list[str]:
    return ["--stack", stack, "--cwd", str(root.resolve()), "--non-interactive"]


def set_profile(root: Path, env: str, profile: str) -> None:
    path = root / "environments" / f"{env}.yaml"
    text = path.read_text()
    old = "production" if profile == "development" else "development"
    assert f"\nprofile: {old}\n" in text
    path.write_text(text.replace(f"\nprofile: {old}\n", f"\nprofile: {profile}\n"))


# --- 1. the recorded graph guards destroy, whatever the file says now ---------------------

def test_a_recorded_production_graph_guards_destroy_of_a_file_now_saying_development(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    recorded(tmp_path, monkeypatch, compiled(root, "prod"))
    set_profile(root, "prod", "development")
    rc, _, err = run_cli(root, "destroy", "prod", "--yes")
    assert rc == 3, err
    assert "the deployed stack records prod as a production environment (the file now " \
           "says development)" in err
    assert "it protects ml-session-storage, ml-training, ml-training-dlq, " \
           "ml-training-dlq-sub" in err and "(recorded by the last deploy)" in err
    assert "--yes --confirm prod" in err and "[MLC601]" in err
    assert argvs(fake_pulumi) == [output_argv("prod", root)]  # no destroy, no select

    rc, _, err = run_cli(root, "destroy", "prod", "--yes", "--confirm", "prod")
    assert rc == 0, err
    assert argvs(fake_pulumi)[1:] == [
        output_argv("prod", root),
        ["state", "unprotect", "--all", "--yes", *flags("prod", root)],
        ["destroy", *flags("prod", root), "--yes"]]
    for c in fake_pulumi():
        assert c["env"]["PULUMI_BACKEND_URL"] == f"file://{root.resolve()}/.pulumi-state"


def test_a_production_file_is_guarded_though_the_stack_recorded_development(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    graph = compiled(root, "prod")
    graph["profile"] = "development"
    for r in graph["resources"]:
        r["options"].pop("protect", None)
    recorded(tmp_path, monkeypatch, graph)
    rc, out, err = run_cli(root, "destroy", "prod", "--yes")
    assert (rc, out) == (3, "")
    assert err == mlc601("prod is a production environment (its file says so; the last "
                         "deploy recorded development) and it protects "
                         f"{PROD_PROTECTED} (set in the file)")
    assert argvs(fake_pulumi) == [output_argv("prod", root)]


def test_development_on_both_sides_and_nothing_protected_destroys_without_confirm(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    recorded(tmp_path, monkeypatch, compiled(root, "dev"))
    rc, _, err = run_cli(root, "destroy", "dev", "--yes")
    assert rc == 0, err
    assert argvs(fake_pulumi) == [output_argv("dev", root),
                                  ["destroy", *flags("dev", root), "--yes"]]


def test_a_resource_protected_only_in_the_recorded_graph_needs_confirm_and_unprotect(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    graph = compiled(root, "dev")
    store = next(r for r in graph["resources"] if r["name"] == "ml-training")
    store["options"]["protect"] = True
    recorded(tmp_path, monkeypatch, graph)
    rc, _, err = run_cli(root, "destroy", "dev", "--yes")
    assert rc == 3, err
    assert "mlinfra: refused: it protects ml-training (recorded by the last deploy); " \
           "destroying it loses their data. Rerun with --yes --confirm dev if you mean it " \
           "[MLC601]" in err
    assert "production" not in err
    assert argvs(fake_pulumi) == [output_argv("dev", root)]
    rc, _, err = run_cli(root, "destroy", "dev", "--yes", "--confirm", "dev")
    assert rc == 0, err
    assert argvs(fake_pulumi)[1:] == [
        output_argv("dev", root),
        ["state", "unprotect", "--all", "--yes", *flags("dev", root)],
        ["destroy", *flags("dev", root), "--yes"]]


def test_destroy_needs_the_cli_before_it_can_decide(tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    rc, _, err = run_cli(root, "destroy", "prod", "--yes")
    assert rc == 4
    assert "Pulumi CLI (`pulumi`) is not on PATH" in err and "get.pulumi.com" in err
    (root / "Pulumi.yaml").unlink()  # the project check comes first
    rc, _, err = run_cli(root, "destroy", "prod", "--yes")
    assert rc == 1 and "has no Pulumi.yaml" in err


# --- 2. a stack holding resources without a recorded graph ---------------------------------

STRANGERS = [("gcp:redis/instance:Instance", "sessions"),
             ("gcp:pubsub/topic:Topic", "jobs"),
             ("gcp:pubsub/subscription:Subscription", "jobs-sub"),
             ("gcp:pubsub/topic:Topic", "jobs-dlq"),
             ("gcp:serviceaccount/account:Account", "worker"),
             ("gcp:storage/bucket:Bucket", "artifacts"),
             ("gcp:pubsub/topic:Topic", "seventh")]


def assert_adopt_way_out(err: str, stack: str) -> None:
    assert "[MLC605]" in err
    assert f"`pulumi stack export --stack {stack} > {stack}-state.json` then " \
           f"`mlinfra adopt {stack}-state.json {stack}` moves them under mlinfra (see the " \
           "README, \"Moving an existing stack to mlinfra\")" in err
    assert f"`pulumi destroy --stack {stack}`" in err
    assert "Traceback" not in err


def test_deploy_refuses_a_stack_holding_resources_without_a_recorded_graph(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    recorded(tmp_path, monkeypatch, None, sessions={"host": "10.0.0.3"})
    exported(tmp_path, monkeypatch, checkpoint("prod", *STRANGERS))
    select = ["stack", "select", "--create", "prod", "--cwd", str(root.resolve()),
              "--non-interactive"]
    for extra in (["--yes"], ["--preview"]):
        rc, _, err = run_cli(root, "deploy", "prod", *extra)
        assert rc == 3, err
        assert "mlinfra: refused: stack prod holds 7 resource(s) (gcp:redis/instance:" \
               "Instance sessions; gcp:pubsub/topic:Topic jobs; gcp:pubsub/subscription:" \
               "Subscription jobs-sub; gcp:pubsub/topic:Topic jobs-dlq; gcp:serviceaccount/" \
               "account:Account worker; and 2 more), but no graph recorded by mlinfra " \
               "deploy" in err
        assert "artifacts" not in err
        assert_adopt_way_out(err, "prod")
    assert argvs(fake_pulumi) == [select, output_argv("prod", root),
                                  export_argv("prod", root)] * 2  # no preview, no up


def test_destroy_refuses_a_stack_holding_resources_without_a_recorded_graph(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev", STRANGERS[0]))
    rc, _, err = run_cli(root, "destroy", "dev", "--yes", "--confirm", "dev")
    assert rc == 3, err
    assert "stack dev holds 1 resource(s) (gcp:redis/instance:Instance sessions), but " \
           "no graph recorded by mlinfra deploy" in err
    assert_adopt_way_out(err, "dev")
    assert argvs(fake_pulumi) == [output_argv("dev", root), export_argv("dev", root)]


def test_a_stack_of_only_its_stack_and_providers_is_a_first_deploy(fake_pulumi, tmp_path,
                                                                   monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev"))
    rc, _, err = run_cli(root, "deploy", "dev", "--yes")
    assert rc == 0, err
    assert "MLC605" not in err
    calls = argvs(fake_pulumi)
    assert calls[1:3] == [output_argv("dev", root), export_argv("dev", root)]
    assert calls[3] == ["up", *flags("dev", root), "--yes"] and len(calls) == 4
    # an empty stack may be destroyed too: nothing guards dev
    rc, _, err = run_cli(root, "destroy", "dev", "--yes")
    assert rc == 0, err
    assert argvs(fake_pulumi)[4:] == [output_argv("dev", root), export_argv("dev", root),
                                      ["destroy", *flags("dev", root), "--yes"]]


@pytest.mark.parametrize("resources", [None, []])
def test_a_checkpoint_never_updated_is_empty(fake_pulumi, tmp_path, monkeypatch, resources):
    root = copy_repo(tmp_path)
    doc = json.loads(json.dumps(CHECKPOINT_HEAD))
    doc["deployment"]["resources"] = resources
    exported(tmp_path, monkeypatch, doc)
    rc, _, err = run_cli(root, "deploy", "dev", "--yes")
    assert rc == 0, err
    assert argvs(fake_pulumi)[-1][0] == "up"


def test_stack_export_is_not_run_when_a_graph_is_recorded(fake_pulumi, tmp_path,
                                                          monkeypatch):
    root = copy_repo(tmp_path)
    recorded(tmp_path, monkeypatch, compiled(root, "dev"))
    exported(tmp_path, monkeypatch, checkpoint("dev", *STRANGERS))  # would refuse
    rc, _, err = run_cli(root, "deploy", "dev", "--yes")
    assert rc == 0, err
    assert [a[:2] for a in argvs(fake_pulumi)] == [["stack", "select"], ["stack", "output"],
                                                   ["up", "--stack"]]


HOSTILE = [b"not json", b"\xff\xfe", b"[1, 2]", b"42",
           b'{"deployment": {"resources": "abc"}}',
           b'{"deployment": {"resources": [1]}}',
           b'{"deployment": {"resources": [{"urn": "u"}]}}',
           b'{"deployment": {"resources": [{"type": "t", "urn": 5}]}}',
           b'{"deployment": ["resources"]}',
           b"[" * 100_000]


@pytest.mark.parametrize("answer", HOSTILE,  # (ids by content: mutmut maps tests by id)
                         ids=[hashlib.sha256(a).hexdigest()[:10] for a in HOSTILE])
def test_an_export_that_is_not_a_checkpoint_exits_4(fake_pulumi, tmp_path, monkeypatch,
                                                    answer):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, answer)
    for command in (["deploy", "dev", "--yes"], ["destroy", "dev", "--yes"],
                    ["drift", "dev"]):
        rc, _, err = run_cli(root, *command)
        assert rc == 4, (command, err)
        assert "`pulumi stack export`" in err and "cannot tell which resources stack dev " \
               "holds" in err, err
        assert "Traceback" not in err and "internal error" not in err
        assert argvs(fake_pulumi)[-1][:2] == ["stack", "export"]  # nothing after it


def test_drift_of_a_stack_holding_resources_without_a_graph_says_they_are_not_mlinfras(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev", *STRANGERS[:2]))
    rc, _, err = run_cli(root, "drift", "dev")
    assert rc == 3, err
    assert "stack dev holds 2 resource(s) (gcp:redis/instance:Instance sessions; " \
           "gcp:pubsub/topic:Topic jobs), not deployed by mlinfra" in err
    assert_adopt_way_out(err, "dev")
    assert argvs(fake_pulumi) == [output_argv("dev", root), export_argv("dev", root)]
    exported(tmp_path, monkeypatch, checkpoint("dev"))  # empty: never deployed
    rc, _, err = run_cli(root, "drift", "dev")
    assert rc == 1 and "deploy it first" in err and "MLC605" not in err


def test_resource_names_from_pulumi_are_shown_inert(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev", ("gcp:x:Y", "evil\x1b[2J\nname")))
    rc, _, err = run_cli(root, "deploy", "dev", "--yes")
    assert rc == 3
    assert "\x1b" not in err and "gcp:x:Y evil\\e[2J\\nname" in err


# --- 3. a downgrade from production on deploy -----------------------------------------------

def test_deploy_refuses_a_downgrade_from_production(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    recorded(tmp_path, monkeypatch, compiled(root, "prod"))
    set_profile(root, "prod", "development")
    rc, _, err = run_cli(root, "deploy", "prod", "--yes")
    assert rc == 3, err
    assert "profile: production -> development (a downgrade" in err
    assert "refused: prod goes from production to development" in err and "[MLC604]" in err
    assert [a[:2] for a in argvs(fake_pulumi)] == [["stack", "select"], ["stack", "output"]]


def test_allow_downgrade_accepts_the_profile_change(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    recorded(tmp_path, monkeypatch, compiled(root, "prod"))
    set_profile(root, "prod", "development")
    rc, _, err = run_cli(root, "deploy", "prod", "--yes", "--allow-downgrade")
    # the downgrade is accepted; the production stack's stateful resources it replaces
    # and deletes (TLS off forces a new instance; no dead letters) still need naming
    assert rc == 3, err
    assert "profile: production -> development (a downgrade" in err and "MLC604" not in err
    refused = [line for line in err.splitlines() if line.startswith("refused:")]
    assert [line.split("--allow-replace ")[1] for line in refused] == [
        "ml-session-storage if you mean it [MLC601]",
        "ml-training-dlq if you mean it [MLC601]",
        "ml-training-dlq-sub if you mean it [MLC601]"]
    assert [a[0] for a in argvs(fake_pulumi)] == ["stack", "stack"]
    rc, _, err = run_cli(root, "deploy", "prod", "--yes", "--allow-downgrade",
                         "--allow-replace", "ml-session-storage", "--allow-replace",
                         "ml-training-dlq", "--allow-replace", "ml-training-dlq-sub")
    assert rc == 0, err
    assert "refused" not in err
    up = fake_pulumi()[-1]
    assert up["argv"] == ["up", *flags("prod", root), "--yes"]
    assert [a[0] for a in argvs(fake_pulumi)[2:]] == ["stack", "stack", "up"]
    # without --allow-downgrade the same replacements are not enough
    rc, _, err = run_cli(root, "deploy", "prod", "--yes", "--allow-replace",
                         "ml-session-storage", "--allow-replace", "ml-training-dlq",
                         "--allow-replace", "ml-training-dlq-sub")
    assert rc == 3 and "[MLC604]" in err and argvs(fake_pulumi)[-1][0] == "stack"


# --- 4. what the live stack makes mlinfra print, exactly ------------------------------------

def failing(tmp_path: Path, monkeypatch, command: str, code: int, stderr: bytes) -> None:
    """`pulumi <command>` (its first two words) prints `stderr` and exits with `code`."""
    path = tmp_path / "pulumi-stderr.bin"
    path.write_bytes(stderr)
    monkeypatch.setenv("FAKE_PULUMI_FAIL", json.dumps({command: [code, str(path)]}))


CANNOT_CHECK = "; cannot check the change against what is deployed"
CANNOT_TELL_DEV = "; cannot tell whether stack dev is production or protected"
WHY = {"deploy": CANNOT_CHECK, "destroy": CANNOT_TELL_DEV, "drift": CANNOT_CHECK}
COMMANDS = {"deploy": ["deploy", "dev", "--yes"], "destroy": ["destroy", "dev", "--yes"],
            "drift": ["drift", "dev"]}


@pytest.mark.parametrize("command", ["deploy", "destroy", "drift"])
def test_a_failing_stack_output_shows_pulumis_stderr_then_why_and_exits_4(
        fake_pulumi, tmp_path, monkeypatch, command):
    root = copy_repo(tmp_path)
    # an invalid UTF-8 byte in what Pulumi says is shown replaced, never a crash
    failing(tmp_path, monkeypatch, "stack output", 7,
            b"error: no stack named 'dev' found\n\xff at the end\n")
    rc, out, err = run_cli(root, *COMMANDS[command])
    assert rc == 4, err
    assert out == ""
    assert err.endswith("error: no stack named 'dev' found\n\ufffd at the end\n"
                        "mlinfra: error: `pulumi stack output` failed with exit code 7"
                        + WHY[command] + "\n"), err
    assert "Traceback" not in err and "internal error" not in err
    assert argvs(fake_pulumi)[-1] == output_argv("dev", root)  # nothing after it


@pytest.mark.parametrize(("command", "why", "asked"), [
    (["destroy", "dev", "--yes"], "tell which resources stack dev holds", ["output", "export"]),
    (["diff", "dev", "--against-stack"], "compare dev with its live stack", ["export"]),
])
def test_a_failing_stack_export_shows_pulumis_stderr_then_why_and_exits_4(
        fake_pulumi, tmp_path, monkeypatch, command, why, asked):
    root = copy_repo(tmp_path)
    failing(tmp_path, monkeypatch, "stack export", 255, b"error: \xfe\xffdecrypt\n")
    rc, out, err = run_cli(root, *command)
    assert (rc, out) == (4, "")
    assert err == ("error: \ufffd\ufffddecrypt\n"
                   "mlinfra: error: `pulumi stack export` failed with exit code 255; cannot "
                   f"{why}\n")
    argv = {"output": output_argv("dev", root), "export": export_argv("dev", root)}
    assert argvs(fake_pulumi) == [argv[a] for a in asked]


@pytest.mark.parametrize("command", ["deploy", "destroy", "drift"])
def test_stack_output_printing_no_object_names_the_reason_of_each_command(
        fake_pulumi, tmp_path, monkeypatch, command):
    root = copy_repo(tmp_path)
    path = tmp_path / "outputs.json"
    path.write_bytes(b"[]")
    monkeypatch.setenv("FAKE_PULUMI_OUTPUTS", str(path))
    rc, out, err = run_cli(root, *COMMANDS[command])
    assert (rc, out) == (4, "")
    assert err.endswith("mlinfra: error: `pulumi stack output` did not print a JSON object"
                        + WHY[command] + "\n"), err


def test_an_empty_answer_from_pulumi_is_an_empty_object(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    path = tmp_path / "outputs.json"
    path.write_bytes(b"")  # no outputs at all
    monkeypatch.setenv("FAKE_PULUMI_OUTPUTS", str(path))
    exported(tmp_path, monkeypatch, b"")  # a stack never updated
    rc, _, err = run_cli(root, "deploy", "dev", "--yes")
    assert rc == 0, err
    assert [a[:2] for a in argvs(fake_pulumi)] == [
        ["stack", "select"], ["stack", "output"], ["stack", "export"], ["up", "--stack"]]


def test_every_pulumi_command_gets_the_backend_mlinfra_chose(fake_pulumi, tmp_path,
                                                            monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev"))
    for command in (["deploy", "dev", "--yes"], ["destroy", "dev", "--yes"]):
        rc, _, err = run_cli(root, *command)
        assert rc == 0, err
    calls = fake_pulumi()
    assert [c["argv"][:2] for c in calls] == [
        ["stack", "select"], ["stack", "output"], ["stack", "export"], ["up", "--stack"],
        ["stack", "output"], ["stack", "export"], ["destroy", "--stack"]]
    for c in calls:  # (the test's own environment has no PULUMI_BACKEND_URL)
        assert c["env"]["PULUMI_BACKEND_URL"] == f"file://{root.resolve()}/.pulumi-state", c


BAD_GRAPH = "mlinfra: error: `pulumi stack output --json` did not print JSON holding the " \
            "graph in _mlinfra_graph; cannot check the change against what is deployed\n"


@pytest.mark.parametrize("key", ["name", "type", "args"])
@pytest.mark.parametrize("how", ["missing", "wrong type"])
def test_a_recorded_graph_resource_without_a_name_type_or_args_exits_4(
        fake_pulumi, tmp_path, monkeypatch, key, how):
    root = copy_repo(tmp_path)
    graph = compiled(root, "dev")
    last = graph["resources"][-1]
    if how == "missing":
        del last[key]
    else:
        last[key] = ["not", "a", key]
    recorded(tmp_path, monkeypatch, graph)
    rc, out, err = run_cli(root, "deploy", "dev", "--yes")
    assert (rc, out) == (4, ""), err
    assert err == BAD_GRAPH
    assert [a[:2] for a in argvs(fake_pulumi)] == [["stack", "select"], ["stack", "output"]]


def test_a_recorded_graph_resource_that_is_not_an_object_exits_4(fake_pulumi, tmp_path,
                                                                 monkeypatch):
    root = copy_repo(tmp_path)
    graph = compiled(root, "dev")
    graph["resources"].append("ml-training")
    recorded(tmp_path, monkeypatch, graph)
    rc, _, err = run_cli(root, "deploy", "dev", "--yes")
    assert (rc, err) == (4, BAD_GRAPH)


ADOPT = ("  `pulumi stack export --stack dev > dev-state.json` then `mlinfra adopt "
         "dev-state.json dev` moves them under mlinfra (see the README, \"Moving an existing "
         "stack to mlinfra\")\n"
         "  a stack you do not want: run `pulumi destroy --stack dev` by hand\n")


def test_destroy_names_five_resources_and_no_more(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev", *STRANGERS[:5]))
    rc, out, err = run_cli(root, "destroy", "dev", "--yes")
    assert (rc, out) == (3, "")
    assert err == (
        "mlinfra: refused: stack dev holds 5 resource(s) (gcp:redis/instance:Instance "
        "sessions; gcp:pubsub/topic:Topic jobs; gcp:pubsub/subscription:Subscription "
        "jobs-sub; gcp:pubsub/topic:Topic jobs-dlq; gcp:serviceaccount/account:Account "
        "worker), but no graph recorded by mlinfra deploy: mlinfra cannot tell whether they "
        "are production data or protected [MLC605]\n" + ADOPT)


def test_destroy_names_five_resources_and_counts_a_sixth(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev", *STRANGERS[:6]))
    rc, out, err = run_cli(root, "destroy", "dev", "--yes")
    assert (rc, out) == (3, "")
    assert err == (
        "mlinfra: refused: stack dev holds 6 resource(s) (gcp:redis/instance:Instance "
        "sessions; gcp:pubsub/topic:Topic jobs; gcp:pubsub/subscription:Subscription "
        "jobs-sub; gcp:pubsub/topic:Topic jobs-dlq; gcp:serviceaccount/account:Account "
        "worker; and 1 more), but no graph recorded by mlinfra deploy: mlinfra cannot tell "
        "whether they are production data or protected [MLC605]\n" + ADOPT)


def test_drift_and_deploy_refusals_end_with_the_same_two_ways_out(fake_pulumi, tmp_path,
                                                                  monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev", STRANGERS[1]))
    rc, out, err = run_cli(root, "drift", "dev")
    assert (rc, out) == (3, "")
    assert err == (
        "mlinfra: error: stack dev holds 1 resource(s) (gcp:pubsub/topic:Topic jobs), not "
        "deployed by mlinfra (no graph recorded by mlinfra deploy): there is no deployed "
        "graph to compare them with [MLC605]\n" + ADOPT)
    rc, out, err = run_cli(root, "deploy", "dev", "--yes")
    assert (rc, out) == (3, "")
    assert err.endswith(
        "mlinfra: refused: stack dev holds 1 resource(s) (gcp:pubsub/topic:Topic jobs), but "
        "no graph recorded by mlinfra deploy (made by another program, or by a first deploy "
        "that failed before recording it): mlinfra cannot check what deploying would "
        "replace or delete [MLC605]\n" + ADOPT), err


def test_a_value_from_pulumi_is_shown_up_to_120_characters(fake_pulumi, tmp_path,
                                                           monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev", ("gcp:x:Y", "a" * 120),
                                               ("gcp:x:Y", "b" * 121)))
    rc, _, err = run_cli(root, "destroy", "dev", "--yes")
    assert rc == 3
    first = err.splitlines()[0]
    assert f"(gcp:x:Y {'a' * 120}; gcp:x:Y {'b' * 120}...), but" in first, first
    assert "a..." not in first and "b" * 121 not in first


def test_a_urn_without_separators_is_its_own_name(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    doc = checkpoint("dev")
    doc["deployment"]["resources"].append({"type": "gcp:x:Y", "urn": "odd-urn"})
    exported(tmp_path, monkeypatch, doc)
    rc, _, err = run_cli(root, "destroy", "dev", "--yes")
    assert rc == 3, err
    assert err.startswith("mlinfra: refused: stack dev holds 1 resource(s) (gcp:x:Y "
                          "odd-urn), but"), err


def test_a_logical_name_holding_double_colons_is_shown_whole(fake_pulumi, tmp_path,
                                                             monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev", ("gcp:x:Y", "team::cache")))
    rc, _, err = run_cli(root, "destroy", "dev", "--yes")
    assert rc == 3
    assert "(gcp:x:Y team::cache), but" in err, err


def test_an_export_that_is_not_a_checkpoint_says_exactly_what_is_wrong(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, b'{"deployment": {"resources": [{"type": "t"}]}}')
    rc, out, err = run_cli(root, "destroy", "dev", "--yes")
    assert (rc, out) == (4, "")
    assert err == ("mlinfra: error: `pulumi stack export` did not print a checkpoint whose "
                   "deployment.resources is a list of resources with a type and a URN; "
                   "cannot tell which resources stack dev holds\n")


# prod's stores, topics, subscriptions and queues (not its IAM members), sorted
PROD_PROTECTED = "ml-session-storage, ml-training, ml-training-dlq, ml-training-dlq-sub, " \
                 "ml-training-metrics-exporter, ml-training-queue, ml-training-queue-dlq, " \
                 "ml-training-trainers"


def mlc601(reasons: str) -> str:
    return (f"mlinfra: refused: {reasons}; destroying it loses their data. Rerun with --yes "
            "--confirm prod if you mean it [MLC601]\n")


def test_destroy_of_production_recorded_as_production_gives_no_notes(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    recorded(tmp_path, monkeypatch, compiled(root, "prod"))
    rc, out, err = run_cli(root, "destroy", "prod", "--yes")
    assert (rc, out) == (3, "")
    assert err == mlc601(f"prod is a production environment and it protects {PROD_PROTECTED}")


def test_destroy_of_a_production_stack_never_deployed_gives_no_notes(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("prod"))  # empty: nothing recorded
    rc, out, err = run_cli(root, "destroy", "prod", "--yes")
    assert (rc, out) == (3, "")
    assert err == mlc601(f"prod is a production environment and it protects {PROD_PROTECTED}")


def test_destroy_names_protected_resources_by_where_they_are_protected(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    graph = compiled(root, "prod")
    next(r for r in graph["resources"] if r["name"] == "ml-training")["options"].pop("protect")
    graph["resources"].append({"name": "old-cache", "type": "gcp:redis/instance:Instance",
                               "args": {}, "options": {"protect": True}})
    recorded(tmp_path, monkeypatch, graph)
    rc, out, err = run_cli(root, "destroy", "prod", "--yes")
    assert (rc, out) == (3, "")
    assert err == mlc601("prod is a production environment and it protects "
                         "ml-session-storage, ml-training-dlq, ml-training-dlq-sub, "
                         "ml-training-metrics-exporter, ml-training-queue, "
                         "ml-training-queue-dlq, ml-training-trainers; "
                         "ml-training (set in the file); "
                         "old-cache (recorded by the last deploy)")


def test_protected_names_skips_what_is_not_a_named_resource():
    from mlinfra_compile.livestack import protected_names

    graph = {"resources": [1, "kept", None, ["kept"],
                           {"name": "kept", "options": {"protect": True}},
                           {"name": "free", "options": {"protect": False}},
                           {"name": "bare"},
                           {"name": "odd", "options": ["protect"]},
                           {"name": 5, "options": {"protect": True}}]}
    assert protected_names(graph) == {"kept"}
    assert protected_names(None) == set()
    assert protected_names({"resources": None}) == set()


@pytest.mark.parametrize("urn, name", [
    ("urn:pulumi:prod::ml-infra::aws:sqs/queue:Queue::mlTrainingQueue", "mlTrainingQueue"),
    # a name may hold `::` itself: all after the third (Pulumi's URN.Name)
    ("urn:pulumi:prod::ml-infra::gcp:x:Y::team::cache", "team::cache"),
    # a parent's type in the type part: still the fourth part
    ("urn:pulumi:prod::p::a:b:C$gcp:x:Y::child", "child"),
    ("mlTrainingQueue", "mlTrainingQueue"),  # no URN: as it is
    ("urn:pulumi:prod::short", "urn:pulumi:prod::short"),  # too few parts: as it is
])
def test_the_name_of_a_urn(urn, name):
    from mlinfra_compile.graph import urn_name

    assert urn_name(urn) == name


# --- `diff --against-stack`: the same export, the same backend, its own reason -------------

def test_diff_against_the_stack_reads_its_export_with_the_backend_mlinfra_chose(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, checkpoint("dev"))
    rc, out, err = run_cli(root, "diff", "dev", "--against-stack")
    assert rc == 0, err
    assert out.startswith("diff dev: stack dev as exported -> working tree\n"), out
    calls = fake_pulumi()
    assert [c["argv"] for c in calls] == [export_argv("dev", root)]
    assert calls[0]["env"]["PULUMI_BACKEND_URL"] == f"file://{root.resolve()}/.pulumi-state"


def test_an_export_for_diff_that_is_no_checkpoint_names_the_command(fake_pulumi, tmp_path,
                                                                     monkeypatch):
    root = copy_repo(tmp_path)
    exported(tmp_path, monkeypatch, {"version": 3, "deployment": {"resources": "none"}})
    rc, out, err = run_cli(root, "diff", "dev", "--against-stack")
    assert (rc, out) == (4, "")
    assert err == ("mlinfra: error: `pulumi stack export`: deployment.resources is not a "
                   "list\n")


def test_diff_against_the_stack_without_a_pulumi_project_names_the_stack(
        fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    (root / "Pulumi.yaml").unlink()
    rc, out, err = run_cli(root, "diff", "dev", "--against-stack")
    assert (rc, out) == (1, "")  # (the repository's setup: a configuration error)
    assert err.startswith(f"mlinfra: error: {root.resolve()} has no Pulumi.yaml, so there is "
                          "no Pulumi project for stack dev: "), err
    assert fake_pulumi() == []
