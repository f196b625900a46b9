"""The command line: exit codes, output streams, atomic writes, formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mlinfra_compile import commands
from tests.golden import REPO, environments, run_cli

GOOD = """\
providers:
  aws: {region: us-east-1}
queues:
  jobs: {delay: 90s}
"""


def test_shipped_environments_lint_clean():
    code, out, err = run_cli(REPO, "lint")
    assert (code, out) == (0, "")
    # however many environments a team keeps beside the shipped ones
    n = sum(1 for p in (REPO / "environments").iterdir() if p.suffix in (".yaml", ".yml"))
    assert f"{n} files checked, 0 errors" in err


@pytest.mark.parametrize("env", environments(REPO))
def test_shipped_environments_compile(env):
    code, out, _ = run_cli(REPO, "compile", env)
    assert code == 0
    assert json.loads(out)["environment"] == env


def test_prod_holds_what_the_issue_asks_for():
    doc = json.loads(run_cli(REPO, "compile", "prod")[1])
    res = {r["name"]: r for r in doc["resources"]}
    store = res["ml-session-storage"]
    assert store["type"] == "gcp:redis/instance:Instance"
    assert (store["args"]["tier"], store["args"]["memory_size_gb"], store["args"]["region"]) == \
        ("STANDARD_HA", 1, "us-central1")
    q = res["ml-training-queue"]["args"]
    assert (q["delay_seconds"], q["max_message_size"], q["message_retention_seconds"],
            q["receive_wait_time_seconds"], q["visibility_timeout_seconds"]) == \
        (90, 262144, 86400, 10, 30)
    assert res["ml-training"]["type"] == "gcp:pubsub/topic:Topic"
    subs = [r for r in doc["resources"] if r["type"] == "gcp:pubsub/subscription:Subscription"
            and r["args"]["topic"] == {"$ref": "ml-training", "attr": "name"}]
    assert subs


def test_compile_writes_atomically_and_never_a_partial_file(repo, tmp_path):
    repo.write("main.yaml", GOOD)
    out = tmp_path / "graph.json"
    assert repo.run("compile", "main", "-o", str(out))[0] == 0
    good = out.read_text()
    assert json.loads(good)["resources"][0]["name"] == "jobs"
    repo.write("main.yaml", GOOD.replace("90s", "5000s"))
    code, stdout, err = repo.run("compile", "main", "-o", str(out))
    assert code == 1 and stdout == ""
    assert "environments/main.yaml:4:10: error: queues.jobs.delay: 5000s is above the SQS " \
           "maximum of 900s [MLC204]" in err
    assert out.read_text() == good  # the previous output is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mlinfra-")] == []


def test_interrupted_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "graph.json"
    target.write_text("previous\n")

    def boom(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        commands.write_atomically(str(target), "new\n" * 1000)
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]


@pytest.mark.parametrize(("args", "code", "needle"), [
    (["compile", "nope"], 2, "no environment 'nope'"),
    (["compile", "prd"], 2, "did you mean 'prod'"),
    (["compile", "_base"], 2, "is a partial"),
    (["compile"], 2, "Missing argument"),
    (["frobnicate"], 2, "No such command"),
    (["lint", "--format", "xml"], 2, "Invalid value"),
    (["explain", "prod", "queues.nope.delay"], 2, "not set in prod"),
    (["lint", "no/such/file.yaml"], 2, "no such file"),
])
def test_usage_errors_exit_2(args, code, needle):
    rc, _out, err = run_cli(REPO, *args)
    assert rc == code
    assert needle in err
    assert "Traceback" not in err


def test_internal_errors_exit_70_with_a_report_line(monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("kaput")

    monkeypatch.setattr(commands, "compile_environment", boom)
    rc, _, err = run_cli(REPO, "compile", "prod")
    assert rc == 70
    assert "internal error: RuntimeError: kaput" in err and "please report" in err
    assert "Traceback" not in err


def test_lint_formats(repo):
    repo.write("main.yaml", GOOD.replace("{delay: 90s}", "{dely: 90s}"))
    # text
    rc, out, _ = repo.run("lint")
    assert rc == 1
    assert out.splitlines()[0].startswith("environments/main.yaml:")
    # json
    rc, out, _ = repo.run("lint", "--format", "json")
    doc = json.loads(out)
    assert rc == 1 and doc["format"] == "mlinfra.diagnostics/v1" and doc["errors"] >= 1
    assert set(doc["diagnostics"][0]) == {"file", "line", "column", "severity", "code",
                                          "path", "message"}
    # github
    rc, out, _ = repo.run("lint", "--format", "github")
    assert out.startswith("::error file=environments/main.yaml,line=")
    assert "title=MLC" in out


def test_lint_checks_partials_on_their_own_and_reports_once(repo):
    repo.write("_base.yaml", GOOD.replace("90s", "90 seconds"))
    repo.write("a.yaml", "extends: _base\n")
    repo.write("b.yaml", "extends: _base\n")
    rc, out, _ = repo.run("lint")
    lines = out.splitlines()
    assert rc == 1
    assert sum("MLC207" in line for line in lines) == 1  # once, though three files use it
    assert sum("MLC314" in line for line in lines) == 2


def test_lint_explicit_paths(repo):
    repo.write("main.yaml", GOOD)
    path = str(repo.root / "environments" / "main.yaml")
    assert repo.run("lint", path)[0] == 0


def test_symlink_out_of_the_repository_is_refused(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text(GOOD)
    os.symlink(outside, repo.root / "environments" / "main.yaml")
    rc, out, _ = repo.run("lint")
    assert rc == 1 and "[MLC115]" in out and "outside the repository" in out


def test_plan_marks_set_inherited_default_and_derived():
    rc, out, _ = run_cli(REPO, "plan", "prod")
    assert rc == 0
    line = next(x for x in out.splitlines() if x.strip().startswith("tier "))
    assert '"STANDARD_HA"' in line and " set " in line and "environments/prod.yaml:" in line
    assert any(" inherited " in x and "_base.yaml" in x for x in out.splitlines())
    assert any(" default " in x and "production default" in x for x in out.splitlines())
    assert any(" derived " in x for x in out.splitlines())
    assert "Outputs:" in out


def test_explain_names_the_winner_and_what_it_overrides(repo):
    repo.write("_base.yaml", "providers:\n  gcp: {project: acme-ml-test, region: us-central1,"
                             " network: ml}\nsession_stores:\n  cache: {tier: basic}\n")
    repo.write("prod.yaml", "extends: _base\nprofile: production\nsession_stores:\n"
                            "  cache: {tier: standard_ha}\n")
    rc, out, _ = repo.run("explain", "prod", "session_stores.cache.tier")
    assert rc == 0
    assert out.splitlines() == [
        'prod: session_stores.cache.tier = "standard_ha"',
        "  set at environments/prod.yaml:4:11",
        '  overrides environments/_base.yaml:4:11 ("basic")',
        '  overrides the production default ("standard_ha")',
        '  compiles to cache.tier = "STANDARD_HA"',
    ]
    rc, out, _ = repo.run("explain", "prod", "session_stores.cache.auth")
    assert out.splitlines()[:2] == [
        "prod: session_stores.cache.auth = true",
        "  production default; not set in environments/prod.yaml or environments/_base.yaml"]


def test_module_entry_point_and_console_script_agree():
    a = subprocess.run([sys.executable, "-m", "mlinfra_compile", "--root", str(REPO),
                        "compile", "prod"], capture_output=True, text=True, check=True)
    assert a.stdout == run_cli(REPO, "compile", "prod")[1]


@pytest.mark.parametrize("seed", ["0", "1", "4242"])
def test_output_is_byte_identical_across_hash_seeds(seed):
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-m", "mlinfra_compile", "--root", str(REPO),
                          "compile", "prod"], capture_output=True, env=env, check=True).stdout
    golden = (REPO / "tests" / "golden" / "prod.json").read_bytes()
    assert out == golden


def test_every_diagnostic_code_is_documented_and_every_documented_code_is_used():
    import re

    from mlinfra_compile.diagnostics import CODES

    used = set()
    for path in (REPO / "mlinfra_compile").rglob("*"):
        if path.suffix in (".py", ".j2") and path.name != "diagnostics.py":
            used |= set(re.findall(r"MLC\d{3}", path.read_text()))
    assert used == set(CODES)


def test_explain_a_subscription_value_inherited_from_its_queue():
    rc, out, _ = run_cli(REPO, "explain", "prod",
                         "queues.ml-training.subscriptions.trainers.retry")
    assert rc == 0
    assert out.splitlines()[1:3] == [
        "  set at environments/prod.yaml:31:5",
        "  written as queues.ml-training.retry, which every subscription of the queue inherits"]


@pytest.mark.parametrize(("target", "reason"), [("missing-folder/graph.json",
                                                 "No such file or directory"),
                                                (".", "Is a directory")])
def test_an_unwritable_output_is_an_error_naming_it(tmp_path, target, reason):
    out = str(tmp_path / target)
    rc, stdout, err = run_cli(REPO, "compile", "prod", "-o", out)
    assert rc == 2 and stdout == ""
    assert err == f"mlinfra: error: {out}: {reason}\n"
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary file left behind


def test_outside_any_repository_the_error_names_root(tmp_path):
    # (issue 26, a newcomer's trip) the way out of "no environment" is --root or init
    rc, _, err = run_cli(tmp_path, "plan", "dev")
    assert rc == 2
    assert f"{tmp_path.resolve()} has no environments/ folder, nor has any folder above it; " \
           "run mlinfra inside a repository, or name one with --root DIR" in err


@pytest.mark.parametrize("key, hint", [
    ("session_stores.ml-sesion-storage.tier",
     "(did you mean 'session_stores.ml-session-storage.tier'?)"),
    ("queues.zzz.retention", "; queues: ml-training, ml-training-queue;"),
])
def test_explain_names_the_declaration_it_may_mean(key, hint):
    # (issue 26, a newcomer's trip) a misspelled declaration gets a did-you-mean, a far
    # one the list of declarations
    rc, _, err = run_cli(REPO, "explain", "prod", key)
    assert rc == 2 and hint in err
