"""Issue 16: mlinfra from a team's own repository: the root found from any folder in it,
deploy refusing a folder with no Pulumi project, shell completion of commands and
environment names."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.golden import REPO


def _repo(tmp_path):
    root = tmp_path / "team"
    shutil.copytree(REPO / "environments", root / "environments")
    (root / "environments" / "sub").mkdir()
    return root


def _mlinfra(cwd, *args, env=None):
    return subprocess.run([sys.executable, "-m", "mlinfra_compile", *args], cwd=cwd,
                          capture_output=True, text=True, env=env, check=False)


def test_every_command_finds_the_repository_from_a_folder_inside_it(tmp_path):
    root = _repo(tmp_path)
    for cwd in (root, root / "environments", root / "environments" / "sub"):
        r = _mlinfra(cwd, "plan", "dev")
        assert r.returncode == 0, (cwd, r.stderr)
        assert r.stdout.startswith("Environment dev (profile development) from "
                                   "environments/dev.yaml")
        assert _mlinfra(cwd, "lint").returncode == 0


def test_root_overrides_the_search(tmp_path):
    root = _repo(tmp_path)
    other = tmp_path / "elsewhere"
    (other / "environments").mkdir(parents=True)
    r = _mlinfra(root / "environments", "--root", str(other), "plan", "dev")
    assert r.returncode == 2 and "no environment 'dev' in environments/" in r.stderr


def test_outside_any_repository_the_message_says_where_it_looked(tmp_path):
    r = _mlinfra(tmp_path, "plan", "dev")
    assert r.returncode == 2 and "no environment 'dev' in environments/" in r.stderr


def test_deploy_refuses_a_repository_without_a_pulumi_project(tmp_path):
    root = _repo(tmp_path)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "pulumi.log"
    fake = bindir / "pulumi"
    fake.write_text(f"#!{sys.executable}\nopen({str(log)!r}, 'a').write('called')\n")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    r = _mlinfra(root / "environments", "deploy", "dev", "--preview", env=env)
    assert r.returncode != 0
    assert f"{root.resolve()} has no Pulumi.yaml, so there is no Pulumi project to deploy " \
           "stack dev with" in r.stderr
    assert not log.exists()  # pulumi never ran


def test_shell_completion_offers_commands_and_environments(tmp_path):
    root = _repo(tmp_path)
    env = {**os.environ, "_MLINFRA_COMPLETE": "bash_complete", "COMP_WORDS": "mlinfra pl",
           "COMP_CWORD": "1"}
    r = subprocess.run([sys.executable, "-c", "from mlinfra_compile.cli import run; run()"],
                       cwd=root / "environments", env=env, capture_output=True, text=True,
                       check=False)
    assert r.stdout.split() == ["plain,plan"]
    env.update(COMP_WORDS="mlinfra plan ", COMP_CWORD="2")
    r = subprocess.run([sys.executable, "-c", "from mlinfra_compile.cli import run; run()"],
                       cwd=root / "environments" / "sub", env=env, capture_output=True,
                       text=True, check=False)
    assert r.stdout.split() == ["plain,dev", "plain,perf", "plain,prod", "plain,staging"]
    env.update(COMP_WORDS="mlinfra diff pr", COMP_CWORD="2")
    r = subprocess.run([sys.executable, "-c", "from mlinfra_compile.cli import run; run()"],
                       cwd=root, env=env, capture_output=True, text=True, check=False)
    assert r.stdout.split() == ["plain,prod"]  # partials (_base) are never offered


# --- 7. mlinfra new in a team's repository ------------------------------------------------

def test_new_names_the_schema_only_where_it_resolves(tmp_path):
    (tmp_path / "environments").mkdir()
    assert _mlinfra(tmp_path, "new", "dev").returncode == 0
    text = (tmp_path / "environments" / "dev.yaml").read_text()
    assert "$schema=" not in text.splitlines()[0]
    assert "mlinfra schema > schemas/environment.schema.json" in text
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "environment.schema.json").write_text("{}")
    assert _mlinfra(tmp_path, "new", "qa").returncode == 0
    first = (tmp_path / "environments" / "qa.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/environment.schema.json"
    target = (tmp_path / "environments" / first.split("$schema=")[1]).resolve()
    assert target == (tmp_path / "schemas" / "environment.schema.json").resolve()


def test_new_leaves_no_placeholder_that_lints_clean(tmp_path):
    (tmp_path / "environments").mkdir()
    assert _mlinfra(tmp_path, "new", "sandbox").returncode == 0
    r = _mlinfra(tmp_path, "lint")
    assert r.returncode == 1
    errors = [line for line in r.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "providers.gcp.project" in errors[0], r.stdout
    text = (tmp_path / "environments" / "sandbox.yaml").read_text()
    (tmp_path / "environments" / "sandbox.yaml").write_text(
        text.replace('project: ""', "project: acme-ml-sandbox"))
    assert _mlinfra(tmp_path, "lint").returncode == 0


def test_new_from_an_environment_that_extends_nothing_copies_what_it_sets(tmp_path):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "solo.yaml").write_text(
        "profile: development\nproviders:\n  aws: {region: eu-west-1}\nlabels: {team: ml}\n"
        "queues:\n  jobs: {delay: 90s}\n")
    assert _mlinfra(tmp_path, "new", "solo2", "--from", "solo").returncode == 0
    r = _mlinfra(tmp_path, "compile", "solo2")
    assert r.returncode == 0, r.stderr
    import json

    doc = json.loads(r.stdout)
    (jobs,) = [x for x in doc["resources"] if x["name"] == "jobs"]
    assert (jobs["args"]["delay_seconds"], jobs["args"]["region"]) == (90, "eu-west-1")
    assert jobs["args"]["tags"]["team"] == "ml"
