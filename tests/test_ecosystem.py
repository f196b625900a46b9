"""Fitting in: the pre-commit hook, check-jsonschema, scaffolding, connection settings."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.golden import CASES, REPO, run_cli

BIN = Path(sys.executable).parent


def copy_envs(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


# --- pre-commit --------------------------------------------------------------------------

HOOK = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]


def run_hook(root: Path, changed: list[str]) -> subprocess.CompletedProcess[str]:
    """What pre-commit does: filter the changed files by `files`, append them to `entry`,
    run it in the repository root."""
    files = [f for f in changed if re.search(HOOK["files"], f)]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([*shlex.split(HOOK["entry"]), *files], cwd=root, env=env,
                          capture_output=True, text=True, check=False)


def test_hook_definition():
    assert HOOK["id"] == "mlinfra-lint" and HOOK["language"] == "python"
    assert re.search(HOOK["files"], "environments/prod.yaml")
    assert re.search(HOOK["files"], "environments/_base.yml")
    assert not re.search(HOOK["files"], "docs/example.yaml")
    assert "additional_dependencies" not in HOOK  # the core package only


def test_hook_passes_good_files_and_ignores_others(tmp_path):
    root = copy_envs(tmp_path)
    proc = run_hook(root, ["environments/dev.yaml", "README.md"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hook_fails_on_a_bad_file_with_diagnostics(tmp_path):
    root = copy_envs(tmp_path)
    p = root / "environments" / "dev.yaml"
    p.write_text(p.read_text().replace("retention: 1h", "retention: 30s"))
    proc = run_hook(root, ["environments/dev.yaml"])
    assert proc.returncode == 1
    assert "environments/dev.yaml:14:5: error: queues.ml-training-queue.retention: 30s is " \
           "below the SQS minimum of 60s [MLC204]" in proc.stdout


def test_a_changed_base_rechecks_every_environment_built_on_it(tmp_path):
    root = copy_envs(tmp_path)
    base = root / "environments" / "_base.yaml"
    # Fine for the partial on its own, but production environments forbid it (MLC502).
    base.write_text(base.read_text().replace("    eviction_policy: allkeys-lru\n",
                                             "    eviction_policy: allkeys-lru\n"
                                             "    auth: false\n"))
    proc = run_hook(root, ["environments/_base.yaml"])
    assert proc.returncode == 1
    n = sum(1 for p in (root / "environments").iterdir() if p.suffix in (".yaml", ".yml"))
    assert f"{n} files checked" in proc.stderr
    # reported at the line in _base.yaml, once for each production stack built on it
    # (issue 26: naming the stack, and the file its waiver would go in)
    lines = proc.stdout.splitlines()
    assert [line.split(": in stack ")[0] for line in lines] == [
        "environments/_base.yaml:19:5: error: session_stores.ml-session-storage.auth"] * 2
    assert [line.split(": in stack ")[1].split(" ")[0] for line in lines] == ["prod",
                                                                             "staging"]
    assert all(line.endswith("[MLC502]") for line in lines)


def test_pre_commit_try_repo(tmp_path):
    # one run (try-repo installs the hook afresh each time, 12 s): the hook passes every
    # shipped file but the broken one
    root = copy_envs(tmp_path)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    bad = root / "environments" / "prod.yaml"
    bad.write_text(bad.read_text().replace("tier: standard_ha", "tier: gold"))
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    run = subprocess.run([str(BIN / "pre-commit"), "try-repo", str(REPO), "mlinfra-lint",
                          "--all-files"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 1, run.stdout + run.stderr
    diagnostics = [line for line in run.stdout.splitlines() if ": error: " in line]
    assert len(diagnostics) == 1, run.stdout
    assert diagnostics[0].startswith("environments/prod.yaml:")
    assert "'gold' is not one of: basic, standard_ha" in diagnostics[0]


# --- check-jsonschema ----------------------------------------------------------------------

def schema_only_cases() -> list[Path]:
    """Negative cases that the schema alone catches: some file reads as YAML (the same
    data check-jsonschema sees) and breaks the schema."""
    from mlinfra_compile.loader import LoadedFile, parse_bytes
    from mlinfra_compile.schema import validate

    out = []
    for d in sorted(CASES.iterdir()):
        if not d.name.startswith("err-"):
            continue
        for f in sorted((d / "environments").glob("*.yaml")):
            loaded = parse_bytes(f.read_bytes(), LoadedFile(f.name))
            if loaded.data is not None and validate(loaded):
                out.append(d)
                break
    return out


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "check-jsonschema"), "--schemafile",
                           str(REPO / "schemas" / "environment.schema.json"),
                           *map(str, files)], capture_output=True, text=True, check=False)


def test_check_jsonschema_accepts_the_shipped_files():
    proc = check_jsonschema(*sorted((REPO / "environments").glob("*.yaml")))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("case", schema_only_cases(), ids=lambda p: p.name)
def test_check_jsonschema_rejects_what_the_schema_alone_catches(case):
    proc = check_jsonschema(*sorted((case / "environments").glob("*.yaml")))
    assert proc.returncode == 1, proc.stdout


def test_there_are_schema_only_cases():
    assert len(schema_only_cases()) >= 10


# --- mlinfra new ----------------------------------------------------------------------------

def test_new_writes_a_commented_file_that_compiles_once_filled_in(tmp_path):
    root = copy_envs(tmp_path)
    rc, _, err = run_cli(root, "new", "qa")
    assert rc == 0 and "wrote environments/qa.yaml" in err
    text = (root / "environments" / "qa.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/environment.schema.json")
    assert "extends: _base\n" in text and "profile: development\n" in text
    assert "still to fill in or fix (mlinfra lint):" in err and "providers.gcp.project" in err
    (root / "environments" / "qa.yaml").write_text(
        text.replace('project: ""', "project: acme-ml-qa"))
    assert run_cli(root, "lint", "environments/qa.yaml")[0] == 0
    assert run_cli(root, "compile", "qa")[0] == 0


def test_new_never_overwrites(tmp_path):
    root = copy_envs(tmp_path)
    before = (root / "environments" / "prod.yaml").read_text()
    rc, _, err = run_cli(root, "new", "prod")
    assert rc == 2 and "never overwrites" in err
    assert (root / "environments" / "prod.yaml").read_text() == before


def test_new_from_a_sibling_takes_its_base_and_profile(tmp_path):
    root = copy_envs(tmp_path)
    assert run_cli(root, "new", "canary", "--from", "prod")[0] == 0
    text = (root / "environments" / "canary.yaml").read_text()
    assert "extends: _base\n" in text and "profile: production\n" in text
    assert 'project_number: ""' in text  # production Pub/Sub dead letters need it


def test_new_without_a_base(tmp_path):
    (tmp_path / "environments").mkdir()
    rc, _, err = run_cli(tmp_path, "new", "sandbox", "--profile", "production")
    assert rc == 0, err
    text = (tmp_path / "environments" / "sandbox.yaml").read_text()
    assert "\nextends:" not in text and "\nproviders:\n  gcp:" in text
    assert "profile: production" in text
    assert run_cli(tmp_path, "compile", "sandbox")[0] != 0  # the project is still to fill
    (tmp_path / "environments" / "sandbox.yaml").write_text(
        text.replace('project: ""', "project: acme-ml-sandbox"))
    assert run_cli(tmp_path, "compile", "sandbox")[0] == 0


@pytest.mark.parametrize("name", ["Prod", "_base", "a/b", "x" * 64])
def test_new_rejects_bad_names(tmp_path, name):
    (tmp_path / "environments").mkdir()
    rc, _, err = run_cli(tmp_path, "new", name)
    assert rc == 2 and "not an environment name" in err


# --- mlinfra outputs ------------------------------------------------------------------------

OUTPUTS = {
    "ml-session-storage": {"host": "10.0.0.3", "port": 6378, "auth_string": "s3cr3t"},
    "ml-training-queue": {"url": "https://sqs.us-east-1.amazonaws.com/1/q", "arn": "arn:x"},
    "ml-training": {"topic": "ml-training-1a2b", "subscriptions": {"trainers": "t-1"}},
    "DB_PASSWORD": "hunter2",  # a secret Pulumi knows about, whatever its name
    "_mlinfra_graph": "{}",
}
# What `pulumi stack output --json` prints without --show-secrets.
MASKED = {**OUTPUTS, "DB_PASSWORD": "[secret]",
          "ml-session-storage": {**OUTPUTS["ml-session-storage"], "auth_string": "[secret]"}}


@pytest.fixture
def fake_pulumi_outputs(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (tmp_path / "clear.json").write_text(json.dumps(OUTPUTS))
    (tmp_path / "masked.json").write_text(json.dumps(MASKED))
    exe = bindir / "pulumi"
    exe.write_text(f"#!{sys.executable}\nimport sys, json\n"
                   f"open({str(tmp_path / 'argv.jsonl')!r}, 'a').write("
                   "json.dumps(sys.argv[1:]) + '\\n')\n"
                   "name = 'clear.json' if '--show-secrets' in sys.argv else 'masked.json'\n"
                   f"print(open({str(tmp_path)!r} + '/' + name).read())\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


def _calls(tmp_path):
    return [json.loads(line) for line in (tmp_path / "argv.jsonl").read_text().splitlines()]


def test_outputs_dotenv_holds_back_what_pulumi_calls_secret(fake_pulumi_outputs):
    rc, out, _ = run_cli(REPO, "outputs", "prod")
    assert rc == 0
    assert out.splitlines() == [
        "ML_SESSION_STORAGE_HOST=10.0.0.3",
        "ML_SESSION_STORAGE_PORT=6378",
        "ML_TRAINING_QUEUE_ARN=arn:x",
        "ML_TRAINING_QUEUE_URL=https://sqs.us-east-1.amazonaws.com/1/q",
        "ML_TRAINING_SUBSCRIPTIONS_TRAINERS=t-1",
        "ML_TRAINING_TOPIC=ml-training-1a2b",
        "# DB_PASSWORD is a secret, not written; `mlinfra outputs --show-secrets` prints it",
        "# ML_SESSION_STORAGE_AUTH_STRING is a secret, not written; `mlinfra outputs "
        "--show-secrets` prints it",
    ]
    assert "hunter2" not in out and "s3cr3t" not in out
    (argv,) = _calls(fake_pulumi_outputs)  # never asked for the secrets
    assert argv[:4] == ["stack", "output", "--json", "--stack"] and argv[4] == "prod"
    assert "--show-secrets" not in argv


def test_outputs_json_and_yaml_with_secrets(fake_pulumi_outputs):
    rc, out, _ = run_cli(REPO, "outputs", "prod", "--format", "json", "--show-secrets")
    assert rc == 0 and json.loads(out)["ML_SESSION_STORAGE_AUTH_STRING"] == "s3cr3t"
    assert json.loads(out)["DB_PASSWORD"] == "hunter2"
    rc, out, err = run_cli(REPO, "outputs", "prod", "--format", "yaml")
    assert yaml.safe_load(out)["ML_SESSION_STORAGE_PORT"] == "6378"
    assert "DB_PASSWORD" not in out and "2 secret setting(s) not shown" in err


def test_outputs_without_the_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    rc, _, err = run_cli(REPO, "outputs", "prod")
    assert rc == 4 and "not on PATH" in err


HOSTILE_VALUES = {
    "BACKTICK": "https://x/`touch {m}`",
    "DOLLAR": "$(touch {m}) ${{HOME}} $HOME",
    "QUOTES": "it's \"quoted\" \\ back",
    "NEWLINES": "line1\nline2\r\nline3; touch {m}",
    "SEMICOLON": "a; touch {m}",
    "EMPTY": "",
    "UNICODE": "caf\u00e9 \u202e",
}


def test_dotenv_is_inert_when_sourced(tmp_path):
    import shutil
    import subprocess

    from mlinfra_compile.connections import connection_settings, render_settings

    marker = tmp_path / "PWNED"
    values = {k: v.format(m=marker) for k, v in HOSTILE_VALUES.items()}
    settings, hidden = connection_settings({"q": values, "caf\u00e9-host": "x"}, False)
    assert "CAF__HOST" in settings  # a key bash accepts
    env_file = tmp_path / "app.env"
    env_file.write_text(render_settings(settings, "dotenv", hidden))
    for shell in ("sh", "bash"):
        if shutil.which(shell) is None:
            continue
        script = (f"set -a; . {env_file}; " + "; ".join(
            f"printf '%s\\0' \"${k}\"" for k in settings))
        proc = subprocess.run([shell, "-c", script], capture_output=True, check=True)
        got = proc.stdout.decode().split("\0")[:-1]
        assert got == list(settings.values()), shell
        assert not marker.exists()
