"""`mlinfra deploy` shells out to the Pulumi CLI; a fake `pulumi` on PATH records argv."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest

from mlinfra_compile.child import ECHO
from tests.conftest import fake_on_path
from tests.golden import REPO, run_cli

FAKE = """\
import json, os, sys
graph = os.environ.get("MLINFRA_GRAPH")
with open(os.environ["FAKE_PULUMI_LOG"], "a") as fh:
    fh.write(json.dumps({{"argv": sys.argv[1:], "env": {{
        k: os.environ.get(k) for k in ("PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE",
                                       "MLINFRA_GRAPH", "MLINFRA_GRAPH_SHA256")}},
        "graph": open(graph).read() if graph else None}})
             + "\\n")
if sys.argv[1:3] == ["stack", "output"]:
    path = os.environ.get("FAKE_PULUMI_OUTPUTS")
    print(open(path).read() if path else "{{}}")
elif sys.argv[1:3] == ["stack", "export"]:  # an empty stack: a first deploy
    print(json.dumps({{"version": 3, "deployment": {{"manifest": {{}}}}}}))
else:
    print("fake pulumi:", " ".join(sys.argv[1:]))
fail = os.environ.get("FAKE_PULUMI_FAIL_ON")
sys.exit(7 if fail and fail in sys.argv[1:] else 0)
"""


@pytest.fixture
def fake_pulumi(tmp_path, monkeypatch):
    fake_on_path(tmp_path, monkeypatch, FAKE.format())
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("FAKE_PULUMI_LOG", str(log))
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)

    return lambda: logged_calls(log)


def logged_calls(log: Path) -> list[dict]:
    """What the fake CLI recorded, one JSON object a call."""
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def state_dir(root: Path) -> Path:
    return root / ".pulumi-state"


def copy_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "environments").mkdir(parents=True)
    for p in (REPO / "environments").iterdir():
        (root / "environments" / p.name).write_text(p.read_text())
    (root / "Pulumi.yaml").write_text((REPO / "Pulumi.yaml").read_text())
    return root


def test_preview_selects_the_stack_then_previews(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "correct horse")
    rc, _, err = run_cli(root, "deploy", "dev", "--preview")
    assert rc == 0, err
    calls = fake_pulumi()
    cwd = str(root.resolve())
    assert [c["argv"][:2] for c in calls] == [["stack", "select"], ["stack", "output"],
                                              ["stack", "export"], ["preview", "--stack"]]
    assert calls[0]["argv"][2:6] == ["--create", "dev", "--cwd", cwd]
    assert calls[1]["argv"][2:5] == ["--json", "--stack", "dev"]
    assert calls[3]["argv"][:4] == ["preview", "--stack", "dev", "--cwd"]
    for c in calls:
        assert c["env"]["PULUMI_BACKEND_URL"] == f"file://{state_dir(root.resolve())}"
        assert c["env"]["PULUMI_CONFIG_PASSPHRASE"] == "correct horse"
    assert state_dir(root).is_dir()


def test_up_with_yes_and_a_team_backend(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    monkeypatch.setenv("PULUMI_BACKEND_URL", "s3://acme-pulumi-state")
    rc, _, _ = run_cli(root, "deploy", "prod", "--yes")
    assert rc == 0
    calls = fake_pulumi()
    assert calls[3]["argv"][0] == "up" and "--yes" in calls[3]["argv"]
    assert {c["env"]["PULUMI_BACKEND_URL"] for c in calls} == {"s3://acme-pulumi-state"}
    assert not state_dir(root).exists()


def test_non_interactive_runs_say_so(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    monkeypatch.setenv("CI", "true")
    run_cli(root, "deploy", "dev", "--preview")
    calls = [c for c in fake_pulumi() if c["argv"][:2] != ["stack", "output"]]
    assert len(calls) == 3  # stack select, stack export, preview
    assert all("--non-interactive" in c["argv"] for c in calls)


def test_a_failing_pulumi_exits_4_and_stops(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    monkeypatch.setenv("FAKE_PULUMI_FAIL_ON", "select")
    rc, _, err = run_cli(root, "deploy", "dev")
    assert rc == 4
    assert "`pulumi stack select` failed with exit code 7" in err
    assert len(fake_pulumi()) == 1


def test_lint_errors_stop_before_pulumi_runs(fake_pulumi, tmp_path):
    root = copy_repo(tmp_path)
    (root / "environments" / "dev.yaml").write_text("extends: _base\nprofile: dev\n")
    rc, _, err = run_cli(root, "deploy", "dev")
    assert rc == 1
    assert "[MLC203]" in err
    assert fake_pulumi() == []


def test_missing_cli_exits_4_with_how_to_install(tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    rc, out, err = run_cli(root, "deploy", "dev", "--preview")
    assert rc == 4 and out == ""
    assert "Pulumi CLI (`pulumi`) is not on PATH" in err
    assert "get.pulumi.com" in err and "mlinfra plan ENV" in err
    assert "Traceback" not in err


def deployed(tmp_path, monkeypatch, graph_doc):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"_mlinfra_graph": json.dumps(graph_doc), "other": 1}))
    monkeypatch.setenv("FAKE_PULUMI_OUTPUTS", str(path))


def test_unsafe_production_deploy_is_refused_before_pulumi_up(fake_pulumi, tmp_path,
                                                               monkeypatch):
    root = copy_repo(tmp_path)
    graph = json.loads((REPO / "tests" / "golden" / "prod.json").read_text())
    store = next(r for r in graph["resources"] if r["name"] == "ml-session-storage")
    store["args"]["tier"] = "BASIC"  # what is deployed
    deployed(tmp_path, monkeypatch, graph)
    rc, _, err = run_cli(root, "deploy", "prod", "--yes")
    assert rc == 3
    assert 'tier: "BASIC" -> "STANDARD_HA"  REPLACE: forces replacement' in err
    assert "--allow-replace ml-session-storage" in err
    assert [c["argv"][0] for c in fake_pulumi()] == ["stack", "stack"]  # never `up`
    # preview shows the same diff but is harmless, so it runs
    rc, _, _ = run_cli(root, "deploy", "prod", "--preview")
    assert rc == 0 and fake_pulumi()[-1]["argv"][0] == "preview"
    rc, _, _ = run_cli(root, "deploy", "prod", "--yes", "--allow-replace",
                       "ml-session-storage")
    assert rc == 0 and fake_pulumi()[-1]["argv"][0] == "up"


def test_deploy_with_an_unchanged_stack_goes_ahead(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    deployed(tmp_path, monkeypatch,
             json.loads((REPO / "tests" / "golden" / "prod.json").read_text()))
    rc, _, err = run_cli(root, "deploy", "prod", "--yes")
    assert rc == 0 and "no changes" in err


def test_unreadable_stack_outputs_exit_4(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    monkeypatch.setenv("FAKE_PULUMI_FAIL_ON", "output")
    rc, _, err = run_cli(root, "deploy", "prod", "--yes")
    assert rc == 4 and "cannot check the change against what is deployed" in err


def test_an_empty_stack_without_a_recorded_graph_is_a_first_deploy(fake_pulumi, tmp_path,
                                                                    monkeypatch):
    # (a stack holding resources without a graph is refused: tests/test_live_stack.py)
    root = copy_repo(tmp_path)
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"ml-session-storage": {"host": "10.0.0.3"}}))
    monkeypatch.setenv("FAKE_PULUMI_OUTPUTS", str(path))
    rc, _, err = run_cli(root, "deploy", "dev", "--yes")
    assert rc == 0, err
    assert [c["argv"][0] for c in fake_pulumi()] == ["stack", "stack", "stack", "up"]


def test_a_recorded_graph_that_is_not_a_graph_exits_4(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"_mlinfra_graph": "[1, 2]"}))
    monkeypatch.setenv("FAKE_PULUMI_OUTPUTS", str(path))
    rc, _, err = run_cli(root, "deploy", "prod", "--yes")
    assert rc == 4 and "did not print JSON holding the graph" in err
    assert "Traceback" not in err


# --- deploy checks exactly what it deploys --------------------------------------------

@pytest.mark.parametrize("where", ["backup/prod.yaml", "environments/sub/prod.yaml",
                                   "prod-copy.yaml"])
def test_deploy_refuses_any_file_but_the_environments_own(fake_pulumi, tmp_path, where):
    root = copy_repo(tmp_path)
    other = root / where
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_text((root / "environments" / "prod.yaml").read_text()
                     .replace("extends: _base", "extends: _base\n"))
    rc, _, err = run_cli(root, "deploy", str(other), "--yes")
    assert rc == 2, err
    assert "deploy takes an environment of environments/ by its name" in err \
        or "no environment 'prod-copy'" in err
    assert fake_pulumi() == []


def test_deploy_accepts_the_environments_own_path(fake_pulumi, tmp_path):
    root = copy_repo(tmp_path)
    rc, _, err = run_cli(root, "deploy", str(root / "environments" / "dev.yaml"), "--yes")
    assert rc == 0, err
    assert fake_pulumi()[-1]["argv"][:3] == ["up", "--stack", "dev"]


def test_a_yml_twin_is_a_lint_error_and_stops_deploy(fake_pulumi, tmp_path):
    root = copy_repo(tmp_path)
    (root / "environments" / "prod.yml").write_text("profile: development\n")
    rc, out, _ = run_cli(root, "lint")
    assert rc == 1
    assert "environments/prod.yaml:1:1: error: environments/prod.yaml and " \
           "environments/prod.yml both exist: one name, one file; remove one of them " \
           "[MLC116]" in out
    assert "environments/prod.yml:1:1: error" in out
    for target in ("prod", "prod.yml", str(root / "environments" / "prod.yml")):
        rc, _, err = run_cli(root, "deploy", target, "--yes")
        assert rc in (1, 2) and fake_pulumi() == [], (target, err)


def test_a_twin_of_an_extended_file_is_an_error(tmp_path):
    root = copy_repo(tmp_path)
    (root / "environments" / "_base.yml").write_text("labels: {team: other}\n")
    rc, out, _ = run_cli(root, "lint", str(root / "environments" / "dev.yaml"))
    assert rc == 1 and "environments/dev.yaml:3:1: error: environments/_base.yaml and " \
        "environments/_base.yml both exist" in out


def test_the_program_gets_exactly_the_graph_deploy_checked(fake_pulumi, tmp_path):
    import hashlib

    root = copy_repo(tmp_path)
    rc, checked, _ = run_cli(root, "compile", "prod")
    rc, _, err = run_cli(root, "deploy", "prod", "--yes")
    assert rc == 0, err
    up = fake_pulumi()[-1]
    assert up["argv"][0] == "up"
    assert json.loads(up["graph"]) == json.loads(checked)
    assert up["env"]["MLINFRA_GRAPH_SHA256"] == hashlib.sha256(up["graph"].encode()).hexdigest()
    assert not Path(up["env"]["MLINFRA_GRAPH"]).exists()  # removed after the run
    assert all(c["graph"] is None for c in fake_pulumi()[:-1])  # only preview/up get it


def test_the_program_refuses_a_handed_over_graph_that_changed(tmp_path):
    import hashlib

    from mlinfra_compile.backends.pulumi_program import GraphError, handed_over_graph

    graph = (REPO / "tests" / "golden" / "prod.json").read_text()
    path = tmp_path / "graph.json"
    path.write_text(graph)
    digest = hashlib.sha256(graph.encode()).hexdigest()
    assert handed_over_graph(str(path), digest, "prod")["environment"] == "prod"
    with pytest.raises(GraphError, match="is not stack 'dev'"):
        handed_over_graph(str(path), digest, "dev")
    path.write_text(graph.replace("acme-ml-prod", "acme-ml-evil"))
    with pytest.raises(GraphError, match="SHA-256 differs"):
        handed_over_graph(str(path), digest, "prod")
    with pytest.raises(GraphError, match="SHA-256 differs"):
        handed_over_graph(str(path), None, "prod")


def test_a_change_the_api_refuses_stops_deploy_in_any_profile(fake_pulumi, tmp_path,
                                                              monkeypatch):
    root = copy_repo(tmp_path)
    graph = json.loads((REPO / "tests" / "golden" / "prod.json").read_text())
    store = next(r for r in graph["resources"] if r["name"] == "ml-session-storage")
    store["args"].update(read_replicas_mode="READ_REPLICAS_ENABLED", replica_count=1,
                         memory_size_gb=5)
    deployed(tmp_path, monkeypatch, graph)
    rc, _, err = run_cli(root, "deploy", "prod", "--yes", "--allow-replace",
                         "ml-session-storage")
    assert rc == 3
    assert "REFUSED: Memorystore cannot turn read replicas off" in err
    assert [c["argv"][0] for c in fake_pulumi()] == ["stack", "stack"]  # never `up`


def test_tls_and_an_upgrade_against_the_deployed_engine_exit_3(fake_pulumi, tmp_path,
                                                               monkeypatch):
    """The running version is the deployed graph's, not the new one."""
    root = copy_repo(tmp_path)
    rc, out, err = run_cli(root, "compile", "perf")
    assert rc == 0, err
    graph = json.loads(out)
    store = next(r for r in graph["resources"] if r["name"] == "ml-session-storage")
    store["args"].update(engine_version="6.2", transit_encryption_enabled=False)
    store["args"].pop("transit_encryption_mode")
    deployed(tmp_path, monkeypatch, graph)
    rc, _, err = run_cli(root, "deploy", "perf", "--yes")
    assert rc == 0  # perf is a development environment: reported, not refused
    assert "transit_encryption_enabled: false -> true  REPLACE: the group runs engine 6.2" \
        in err
    graph["profile"] = "production"  # as deployed by a production environment
    deployed(tmp_path, monkeypatch, graph)
    rc, _, err = run_cli(root, "deploy", "perf", "--yes")
    assert rc == 3 and "--allow-replace ml-session-storage" in err


# --- signals: Ctrl-C lets Pulumi cancel cleanly ---------------------------------------

CANCELLING = """#!{python}
import os, signal, sys, time
log = os.environ["FAKE_PULUMI_LOG"]
def note(text):  # each line with when it happened, for a failure to show
    with open(log, "a") as fh:
        fh.write(f"{{text}}\\t{{time.monotonic():.3f}}\\n")
if sys.argv[1] != "up":
    print("{{}}" if sys.argv[1:3] in (["stack", "output"], ["stack", "export"]) else "ok")
    sys.exit(0)
got = []
def on_signal(signum, frame):
    got.append(signum)
    note(f"signal {{signal.Signals(signum).name}}")
    if len(got) > 1:
        note("forced")
        sys.exit(9)
signal.signal(signal.SIGINT, on_signal)
signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGHUP, on_signal)
note(f"started {{os.getpid()}}")
deadline = time.monotonic() + 120  # never outlive a broken test as an orphan
while not got and time.monotonic() < deadline:
    time.sleep(0.01)
time.sleep(0.8)  # cancelling (longer than ECHO): finishing the operations in flight
note("cancelled")
sys.exit(255)
"""


def _cancelling_repo(tmp_path):
    """A copy of the repository, a cancelling fake `pulumi` first on PATH, its log, and
    the environment to run `python -m mlinfra_compile` in."""
    root = copy_repo(tmp_path)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "pulumi"
    exe.write_text(CANCELLING.format(python=sys.executable))
    exe.chmod(0o755)
    log = tmp_path / "signals.log"
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
           "FAKE_PULUMI_LOG": str(log), "PYTHONPATH": str(REPO)}
    env.pop("PULUMI_BACKEND_URL", None)
    env.pop("CI", None)
    return root, log, env


def _start_deploy(tmp_path, wrapper=(), own_group=False):
    """mlinfra deploy (run by `wrapper`, e.g. `timeout`; in a process group of its own
    with `own_group`, as a CI runner or a shell starts a job), once Pulumi is running."""
    import subprocess
    import time

    root, log, env = _cancelling_repo(tmp_path)
    proc = subprocess.Popen([*wrapper, sys.executable, "-m", "mlinfra_compile", "--root",
                             str(root), "deploy", "dev", "--yes"], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=own_group)
    deadline = time.monotonic() + 60
    while "started" not in (log.read_text() if log.exists() else ""):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)
    return proc, log


def _lines(log):
    """What the fake Pulumi recorded, without the times."""
    return [line.split("\t")[0] for line in log.read_text().splitlines()]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_lets_pulumi_cancel_and_exits_with_its_status(tmp_path, sig):
    proc, log = _start_deploy(tmp_path)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    lines = _lines(log)
    # Pulumi got exactly one SIGINT (its graceful cancel), finished cancelling, and only
    # then did mlinfra exit, with Pulumi's status
    assert lines[1:] == ["signal SIGINT", "cancelled"], lines
    assert proc.returncode == 255, err
    assert "was interrupted; it cancelled and exited with 255" in err
    assert "Traceback" not in err


def test_a_second_interrupt_is_passed_on_to_force(tmp_path):
    import time

    proc, log = _start_deploy(tmp_path)
    proc.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 30
    while len(_lines(log)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    # (a repeat from the same sender within ECHO seconds is one signal delivered twice,
    # as `timeout` does: a person's second interrupt comes later)
    time.sleep(ECHO)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert _lines(log)[1:] == ["signal SIGINT", "signal SIGINT", "forced"]
    assert proc.returncode == 9


def _deploy_on_a_terminal(tmp_path, stdin_devnull=False):
    """mlinfra deploy as the foreground job of a pseudo-terminal, as a user runs it."""
    import pty
    import time

    root, log, env = _cancelling_repo(tmp_path)
    pid, master = pty.fork()
    if pid == 0:  # the child: a session leader whose controlling terminal is the pty
        if stdin_devnull:  # `mlinfra deploy dev --yes </dev/null`: still on the terminal
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.execve(sys.executable, [sys.executable, "-m", "mlinfra_compile", "--root",
                                   str(root), "deploy", "dev", "--yes"], env)
    deadline = time.monotonic() + 60
    while "started" not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return pid, master, log


def _finish(pid, master):
    output = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    os.close(master)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


@pytest.mark.parametrize("stdin_devnull", [False, True])
def test_ctrl_c_at_a_terminal_reaches_pulumi_once(tmp_path, stdin_devnull):
    pid, master, log = _deploy_on_a_terminal(tmp_path, stdin_devnull)
    os.write(master, b"\x03")  # the terminal sends SIGINT to the foreground group
    code, output = _finish(pid, master)
    assert _lines(log)[1:] == ["signal SIGINT", "cancelled"], (_lines(log), output)
    assert code == 255, output


def test_kill_int_of_a_foreground_deploy_is_forwarded(tmp_path):
    pid, master, log = _deploy_on_a_terminal(tmp_path)
    os.kill(pid, signal.SIGINT)  # to mlinfra alone, not the group
    code, output = _finish(pid, master)
    assert _lines(log)[1:] == ["signal SIGINT", "cancelled"], (_lines(log), output)
    assert code == 255, output


# Issue 27, round 2: a signal sent to the whole process group (`kill -- -PGID`, `timeout`,
# a CI runner cancelling a job) reaches Pulumi once, not directly and forwarded again (a
# second interrupt makes Pulumi stop at once, without cleaning up).

def _one_interrupt(proc, log):
    _, err = proc.communicate(timeout=60)
    raw = log.read_text()
    assert _lines(log)[1:] == ["signal SIGINT", "cancelled"], raw
    assert "was interrupted; it cancelled and exited with 255" in err, err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
                         ids=lambda s: s.name)
def test_a_signal_to_mlinfras_process_group_reaches_pulumi_once(tmp_path, sig):
    proc, log = _start_deploy(tmp_path, own_group=True)
    os.killpg(proc.pid, sig)  # kill -INT -- -PGID: every process of mlinfra's group
    _one_interrupt(proc, log)
    assert proc.returncode == 255


def test_a_hangup_to_mlinfra_alone_is_passed_on_once(tmp_path):
    proc, log = _start_deploy(tmp_path, own_group=True)
    os.kill(proc.pid, signal.SIGHUP)  # the terminal went away: Pulumi cancels cleanly
    _one_interrupt(proc, log)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_timeout_cancelling_mlinfra_reaches_pulumi_once(tmp_path, sig):
    import shutil

    if shutil.which("timeout") is None:
        pytest.skip("needs GNU timeout")
    # `timeout` puts itself and mlinfra in a group of their own. When it fires, or gets a
    # signal itself (a CI runner cancelling the job; the same cleanup), it sends the
    # signal to mlinfra and then again to the whole group (coreutils src/timeout.c,
    # cleanup): mlinfra gets it once or twice, Pulumi must get one interrupt.
    proc, log = _start_deploy(tmp_path, wrapper=("timeout", "600"))
    proc.send_signal(sig)  # to timeout, which passes it on
    _one_interrupt(proc, log)
    assert proc.returncode == 255


def test_two_ctrl_cs_at_a_terminal_reach_pulumi_as_two(tmp_path):
    import time

    pid, master, log = _deploy_on_a_terminal(tmp_path)
    os.write(master, b"\x03")
    deadline = time.monotonic() + 30
    while len(_lines(log)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.write(master, b"\x03")  # the user's force: Pulumi stops at once
    code, output = _finish(pid, master)
    assert _lines(log)[1:] == ["signal SIGINT", "signal SIGINT", "forced"], \
        (log.read_text(), output)
    assert code == 9, output


def _perf_graph(root, **args):
    rc, out, err = run_cli(root, "compile", "perf")
    assert rc == 0, err
    graph = json.loads(out)
    store = next(r for r in graph["resources"] if r["name"] == "ml-session-storage")
    store["args"].update(args)
    return graph


def _deployed_running(tmp_path, monkeypatch, graph, running):
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"_mlinfra_graph": json.dumps(graph),
                                "_mlinfra_running": running}))
    monkeypatch.setenv("FAKE_PULUMI_OUTPUTS", str(path))


def test_deploy_judges_tls_by_the_engine_the_group_runs(fake_pulumi, tmp_path, monkeypatch):
    """Declared 7.1 but the upgrade still waits for the window: the group runs 6.2.6."""
    root = copy_repo(tmp_path)
    graph = _perf_graph(root, transit_encryption_enabled=False)
    store = next(r for r in graph["resources"] if r["name"] == "ml-session-storage")
    store["args"].pop("transit_encryption_mode", None)
    edit = root / "environments" / "perf.yaml"
    edit.write_text(edit.read_text().replace("tls: true", "tls: preferred"))
    _deployed_running(tmp_path, monkeypatch, graph,
                      {"ml-session-storage": {"engine_version": "6.2.6"}})
    rc, _, err = run_cli(root, "deploy", "perf", "--yes")
    assert "transit_encryption_enabled: false -> true  REPLACE: the group runs engine 6.2.6" \
        in err, err
    _deployed_running(tmp_path, monkeypatch, graph,
                      {"ml-session-storage": {"engine_version": "7.1.0"}})
    rc, _, err = run_cli(root, "deploy", "perf", "--yes")
    assert rc == 0
    assert "transit_encryption_enabled: false -> true  in place" in err


def test_a_7_0_group_on_a_recent_patch_turns_tls_on_in_place(fake_pulumi, tmp_path,
                                                            monkeypatch):
    root = copy_repo(tmp_path)
    edit = root / "environments" / "perf.yaml"
    text = edit.read_text().replace("tls: true", "tls: preferred")
    edit.write_text(text.replace("    engine: valkey\n", "") if "engine: valkey" in text
                    else text)
    graph = _perf_graph(root, transit_encryption_enabled=False, engine_version="7.0")
    store = next(r for r in graph["resources"] if r["name"] == "ml-session-storage")
    store["args"].pop("transit_encryption_mode", None)
    _deployed_running(tmp_path, monkeypatch, graph,
                      {"ml-session-storage": {"engine_version": "7.0.7"}})
    rc, _, err = run_cli(root, "deploy", "perf", "--yes")
    assert rc == 0 and "transit_encryption_enabled: false -> true  in place" in err, err
