"""What `mlinfra init` and `mlinfra new` write: byte for byte against the reviewed files
in tests/scaffold/ (`make golden` shows a change), and, read back by the tools that read
them (PyYAML, json, ast, GNU make), what each file must mean. Each side of each
condition in the templates has its file: a schema found or not, a file extended or not,
production or development, a list or a string to fill in."""

from __future__ import annotations

import ast
import json
import subprocess

import pytest
import yaml

from tests.golden import safe_id
from tests.scaffold_golden import SCAFFOLD, scaffold_outputs


@pytest.fixture(scope="module")
def made() -> dict[str, str]:
    return scaffold_outputs()


def test_init_and_new_write_the_reviewed_files(made):
    on_disk = {p.relative_to(SCAFFOLD).as_posix(): p.read_text(encoding="utf-8")
               for p in SCAFFOLD.rglob("*") if p.is_file()}
    assert sorted(made) == sorted(on_disk), "run `make golden` to review"
    for name, text in made.items():
        assert text == on_disk[name], f"{name} changed: run `make golden` to review"


def test_a_schema_in_the_repository_is_named_in_a_modeline_and_its_absence_explained(made):
    staging = made["new/staging.yaml"].splitlines()
    assert staging[0] == "# yaml-language-server: $schema=../schemas/environment.schema.json"
    solo = made["new/solo.yaml"]
    assert "$schema=" not in solo.splitlines()[0]
    assert "once the file names it: write it with\n# `mlinfra schema > schemas/" in solo
    assert "once the file names it" not in made["new/staging.yaml"]


def test_each_new_file_reads_as_the_environment_asked_for(made):
    solo = yaml.safe_load(made["new/solo.yaml"])
    assert solo == {"environment": "solo", "profile": "development",
                    "providers": {"gcp": {"project": "", "region": "us-central1"}}}
    staging = yaml.safe_load(made["new/staging.yaml"])
    assert staging == {"extends": "_base", "environment": "staging", "profile": "production",
                       "providers": {"gcp": {"project": "", "network": "",
                                             "project_number": ""}}}
    edge = yaml.safe_load(made["new/edge.yaml"])  # a list to fill in: [], not ""
    assert edge["providers"] == {"aws": {"subnet_ids": []}} and edge["extends"] == "_aws"
    copy = yaml.safe_load(made["new/copy.yaml"])
    assert copy["providers"] == solo["providers"] and "extends" not in copy


def test_the_commented_store_asks_production_for_high_availability(made):
    assert "#     tier: standard_ha\n" in made["new/staging.yaml"]
    assert "#     tier: basic\n" in made["new/solo.yaml"]
    for name in ("new/solo.yaml", "new/staging.yaml"):
        assert '# name_template: "{{ env }}-{{ name }}"' in made[name]
        assert "`mlinfra explain " + name[4:-5] + " KEY`" in made[name]
        assert f"`make plan ENV={name[4:-5]}`, `make deploy ENV={name[4:-5]}`" in made[name]


def test_the_workflow_passes_the_base_branch_and_the_status_through_the_environment(made):
    flow = yaml.safe_load(made["init/dot.github__workflows__mlinfra.yml"])
    assert flow["env"] == {"MLINFRA": "mlinfra-compile==0.9.0"}
    steps = {s.get("name", s.get("run", s.get("uses"))): s for s in flow["jobs"]["review"]["steps"]}
    review = steps["diff every stack"]
    assert review["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert '--against "origin/$BASE_REF"' in review["run"] and "${{" not in review["run"]
    fail = steps["fail on a refused change"]
    assert fail["env"] == {"STATUS": "${{ steps.review.outputs.status }}"}
    assert fail["run"] == 'exit "$STATUS"' and fail["if"] == "steps.review.outputs.status != '0'"
    assert flow["jobs"]["review"]["if"] == "github.event_name == 'pull_request'"
    lint = [s.get("run") for s in flow["jobs"]["lint"]["steps"]]
    assert lint[-2:] == ['python -m pip install "$MLINFRA"', "mlinfra lint --format github"]


def test_the_other_files_read_as_their_tools_read_them(made):
    pulumi = yaml.safe_load(made["init/Pulumi.yaml"])
    assert pulumi == {"name": "team-infra", "description": pulumi["description"],
                      "runtime": {"name": "python", "options": {"toolchain": "pip",
                                                                "virtualenv": ".venv"}},
                      "main": "program/"}
    assert json.loads(made["init/dot.vscode__settings.json"]) == {
        "yaml.yamlVersion": "1.1",
        "yaml.schemas": {"./schemas/environment.schema.json": "environments/*.yaml"}}
    program = ast.parse(made["init/program____main__.py"])
    assert [ast.unparse(n) for n in program.body[1:]] == [
        "from mlinfra_compile.backends.pulumi_program import run", "run()"]
    hook = yaml.safe_load(made["init/dot.pre-commit-config.yaml"])["repos"][0]["hooks"][0]
    assert (hook["entry"], hook["additional_dependencies"], hook["pass_filenames"]) == (
        "mlinfra lint", ["mlinfra-compile==0.9.0"], False)
    assert made["init/requirements.txt"].splitlines()[-1] == "mlinfra-compile[pulumi]==0.9.0"
    assert made["init/dot.gitignore"].splitlines() == [
        ".venv/", ".pulumi-state/", ".mlinfra/", "__pycache__/"]


MAKE_CASES = [
    (["plan", "ENV=dev"], ".venv/bin/mlinfra plan \"$MLINFRA_ENV\""),
    (["preview", "ENV=prod"], ".venv/bin/mlinfra deploy \"$MLINFRA_ENV\" --preview"),
    (["lint"], ".venv/bin/mlinfra lint"),
    (["schema"], ".venv/bin/mlinfra schema > schemas/environment.schema.json"),
]


@pytest.mark.parametrize("args,command", MAKE_CASES, ids=safe_id)
def test_make_runs_the_mlinfra_command_of_each_target(made, tmp_path, args, command):
    (tmp_path / "Makefile").write_text(made["init/Makefile"], encoding="utf-8")
    (tmp_path / "requirements.txt").write_text(made["init/requirements.txt"])
    run = subprocess.run(["make", "-n", "-C", str(tmp_path), *args], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "python3 -m venv .venv" in run.stdout  # (the venv first, from requirements.txt)
    assert command in run.stdout


def test_make_refuses_an_env_that_is_not_a_name_before_running_anything(made, tmp_path):
    (tmp_path / "Makefile").write_text(made["init/Makefile"], encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / "requirements.txt").write_text("")
    (tmp_path / ".venv" / ".installed").write_text("")  # (newer than requirements.txt)
    run = subprocess.run(["make", "-C", str(tmp_path), "plan", "ENV=$(touch x)"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "ENV must be an environment's name" in run.stderr
    assert not (tmp_path / "x").exists()
    helped = subprocess.run(["make", "--no-print-directory", "-C", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert helped.stdout.splitlines()[-2:] == [
        "make lint | plan ENV=x | compile ENV=x | preview ENV=x | deploy ENV=x",
        "make drift ENV=x | destroy ENV=x | outputs ENV=x | schema | test"]


def test_a_copy_keeps_the_sources_order_and_text_and_names_what_it_left(made):
    mirror = made["new/mirror.yaml"]
    copied = mirror[mirror.index("# Copied from prodlike.yaml:"):mirror.index("\n\n# labels")]
    assert copied.splitlines()[1:4] == [
        f"# left out: {p} (it belongs to prodlike's stack)" for p in (
            "session_stores.sessions.name", "session_stores.sessions.previous_names",
            "queues.jobs.subscriptions.workers.import")]
    data = yaml.safe_load(copied)
    assert list(data) == ["providers", "labels", "session_stores", "queues"]  # (as written)
    assert list(data["providers"]["gcp"]) == ["project", "region", "project_number",
                                              "network"]
    assert data["labels"] == {"team": "ml-platform", "owner": "zoë"}
    assert "owner: zoë\n" in copied and "{" not in copied.replace("workers: {}", "")
    assert data["session_stores"] == {"sessions": {"tier": "standard_ha", "memory": "1GiB"}}
    assert yaml.safe_load(mirror)["profile"] == "production"  # (the source's profile)


def test_what_a_partial_names_or_adopts_is_set_to_null_in_the_new_file(made):
    for env in ("shop", "kid"):
        data = yaml.safe_load(made[f"new/{env}.yaml"])
        assert data["session_stores"] == {"sessions": {"name": None}}
        assert data["queues"] == {"jobs": {"subscriptions": {"workers": {"import": None}}}}
    assert yaml.safe_load(made["new/kid.yaml"])["profile"] == "production"  # (sib's)
    assert yaml.safe_load(made["new/shop.yaml"])["profile"] == "development"


def test_production_asks_only_for_the_settings_the_chain_lacks(made):
    # _gcp_only sets project and network, has no default_provider and one cloud: its
    # queue is on gcp, whose Pub/Sub dead letters need the project number
    assert yaml.safe_load(made["new/gprod.yaml"])["providers"] == {
        "gcp": {"project_number": ""}}


@pytest.mark.parametrize(("args", "message"), [
    (["new", "Bad"], "'Bad' is not an environment name: use 1..63 lowercase letters, digits, "
                     "`_` and `-` (a leading `_` marks a partial)"),
    (["new", "_p"], "'_p' is not an environment name: use 1..63 lowercase letters, digits, "
                    "`_` and `-` (a leading `_` marks a partial)"),
    (["new", "sib"], "environments/sib.yaml exists; mlinfra new never overwrites"),
    (["new", "y", "--from", "_missing"], "no partial '_missing' in environments/"),
    (["new", "x", "--from", "lost"], "no partial '_gone' in environments/"),
    (["new", "y", "--from", "nothere"], "no environment 'nothere' in environments/; "
                                        "environments: astray, hollow, lost, odd, "
                                        "prodlike, sib"),
    (["new", "x", "--from", "astray"], "no environment 'gone' in environments/; "
                                       "environments: astray, hollow, lost, odd, prodlike, "
                                       "sib"),
], ids=safe_id)
def test_new_refuses_with_what_is_wrong(tmp_path, args, message):
    from tests.golden import run_cli
    from tests.scaffold_golden import OTHERS

    (tmp_path / "environments").mkdir()
    files = {**OTHERS, "lost.yaml": "extends: _gone\nenvironment: lost\n",
             "astray.yaml": "extends: gone\nenvironment: astray\n"}
    for name, text in files.items():
        (tmp_path / "environments" / name).write_text(text, encoding="utf-8")
    code, out, err = run_cli(tmp_path, *args)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == f"mlinfra: error: {message}"
