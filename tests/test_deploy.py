"""`mlinfra deploy` shells out to the Pulumi CLI; a fake `pulumi` on PATH records argv."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from tests.golden import REPO, run_cli

FAKE = """#!{python}
import json, os, sys
with open(os.environ["FAKE_PULUMI_LOG"], "a") as fh:
    fh.write(json.dumps({{"argv": sys.argv[1:], "env": {{
        k: os.environ.get(k) for k in ("PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE")}}}})
             + "\\n")
if sys.argv[1:3] == ["stack", "output"]:
    path = os.environ.get("FAKE_PULUMI_OUTPUTS")
    print(open(path).read() if path else "{{}}")
else:
    print("fake pulumi:", " ".join(sys.argv[1:]))
fail = os.environ.get("FAKE_PULUMI_FAIL_ON")
sys.exit(7 if fail and fail in sys.argv[1:] else 0)
"""


@pytest.fixture
def fake_pulumi(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "pulumi"
    exe.write_text(FAKE.format(python=sys.executable))
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_PULUMI_LOG", str(log))
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)

    def calls() -> list[dict]:
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    return calls


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
                                              ["preview", "--stack"]]
    assert calls[0]["argv"][2:6] == ["--create", "dev", "--cwd", cwd]
    assert calls[1]["argv"][2:5] == ["--json", "--stack", "dev"]
    assert calls[2]["argv"][:4] == ["preview", "--stack", "dev", "--cwd"]
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
    assert calls[2]["argv"][0] == "up" and "--yes" in calls[2]["argv"]
    assert {c["env"]["PULUMI_BACKEND_URL"] for c in calls} == {"s3://acme-pulumi-state"}
    assert not state_dir(root).exists()


def test_non_interactive_runs_say_so(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    monkeypatch.setenv("CI", "true")
    run_cli(root, "deploy", "dev", "--preview")
    calls = [c for c in fake_pulumi() if c["argv"][:2] != ["stack", "output"]]
    assert len(calls) == 2
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


def test_a_stack_without_a_recorded_graph_is_deployed_with_a_warning(fake_pulumi, tmp_path,
                                                                     monkeypatch):
    root = copy_repo(tmp_path)
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"ml-session-storage": {"host": "10.0.0.3"}}))
    monkeypatch.setenv("FAKE_PULUMI_OUTPUTS", str(path))
    rc, _, err = run_cli(root, "deploy", "dev", "--yes")
    assert rc == 0
    assert "has outputs but no recorded mlinfra graph" in err


def test_a_recorded_graph_that_is_not_a_graph_exits_4(fake_pulumi, tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"_mlinfra_graph": "[1, 2]"}))
    monkeypatch.setenv("FAKE_PULUMI_OUTPUTS", str(path))
    rc, _, err = run_cli(root, "deploy", "prod", "--yes")
    assert rc == 4 and "did not print JSON holding the graph" in err
    assert "Traceback" not in err
