"""Issue 16: mlinfra from a team's own repository: the root found from any folder in it,
deploy refusing a folder with no Pulumi project, shell completion of commands and
environment names."""

from __future__ import annotations

import json
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
    assert f"{root.resolve()} has no Pulumi.yaml, so there is no Pulumi project for stack " \
           "dev" in r.stderr and "mlinfra init" in r.stderr
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


# --- 3. destroy and drift, with a fake `pulumi` that records argv -------------------------

FAKE = """#!{python}
import json, os, sys
with open(os.environ["FAKE_LOG"], "a") as fh:
    fh.write(json.dumps({{"argv": sys.argv[1:], "graph": os.environ.get("MLINFRA_GRAPH")
                          and open(os.environ["MLINFRA_GRAPH"]).read()}}) + "\\n")
answer = os.environ.get("FAKE_" + sys.argv[1].upper())
print(open(answer).read() if answer else "{{}}")
"""


def _fake(tmp_path, **answers):
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    exe = bindir / "pulumi"
    exe.write_text(FAKE.format(python=sys.executable))
    exe.chmod(0o755)
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
           "FAKE_LOG": str(tmp_path / "calls.jsonl")}
    env.pop("PULUMI_BACKEND_URL", None)
    for sub, text in answers.items():
        (tmp_path / f"{sub}.out").write_text(text)
        env[f"FAKE_{sub.upper()}"] = str(tmp_path / f"{sub}.out")
    return env


def _calls(tmp_path):
    import json

    log = tmp_path / "calls.jsonl"
    return [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []


def _with_project(tmp_path):
    root = _repo(tmp_path)
    (root / "Pulumi.yaml").write_text((REPO / "Pulumi.yaml").read_text())
    return root


def test_destroy_runs_pulumi_destroy_on_the_stack(tmp_path):
    root = _with_project(tmp_path)
    env = _fake(tmp_path)
    r = _mlinfra(root, "destroy", "dev", "--yes", env=env)
    assert r.returncode == 0, r.stderr
    output, export, call = _calls(tmp_path)  # (no recorded graph: is the stack empty?)
    assert [output["argv"][:2], export["argv"][:2]] == [["stack", "output"],
                                                        ["stack", "export"]]
    assert call["argv"][:3] == ["destroy", "--stack", "dev"] and "--yes" in call["argv"]


def test_destroy_refuses_production_and_protected_resources_without_confirmation(tmp_path):
    root = _with_project(tmp_path)
    env = _fake(tmp_path)
    for args in ([], ["--yes"], ["--yes", "--confirm", "dev"], ["--confirm", "prod"]):
        r = _mlinfra(root, "destroy", "prod", *args, env=env)
        assert r.returncode == 3, args
        assert "prod is a production environment and it protects ml-session-storage" \
               in r.stderr and "--yes --confirm prod" in r.stderr
    assert {tuple(c["argv"][:2]) for c in _calls(tmp_path)} == {
        ("stack", "output"), ("stack", "export")}  # pulumi only read the stack
    r = _mlinfra(root, "destroy", "prod", "--yes", "--confirm", "prod", env=env)
    assert r.returncode == 0, r.stderr
    unprotect, destroy = (c["argv"] for c in _calls(tmp_path)[-2:])
    assert unprotect[:4] == ["state", "unprotect", "--all", "--yes"]
    assert "prod" in unprotect and destroy[:3] == ["destroy", "--stack", "prod"]


def test_destroy_without_the_cli_exits_4(tmp_path):
    root = _with_project(tmp_path)
    env = {**os.environ, "PATH": str(tmp_path)}
    r = subprocess.run([sys.executable, "-m", "mlinfra_compile", "destroy", "dev", "--yes"],
                       cwd=root, env=env, capture_output=True, text=True, check=False)
    assert r.returncode == 4 and "not on PATH" in r.stderr


def _deployed_outputs(root):
    import json

    r = _mlinfra(root, "compile", "dev")
    return json.dumps({"_mlinfra_graph": json.dumps(json.loads(r.stdout))})


def test_drift_previews_the_deployed_graph_with_refresh_and_exits_5_on_a_difference(tmp_path):
    import json

    root = _with_project(tmp_path)
    changed = json.dumps({"steps": [
        {"op": "same", "urn": "urn:pulumi:dev::mlinfra::gcp:redis/instance:Instance::a"},
        {"op": "update", "urn": "urn:pulumi:dev::mlinfra::aws:sqs/queue:Queue::"
                                "ml-training-queue"}]})
    env = _fake(tmp_path, stack=_deployed_outputs(root), preview=changed)
    r = _mlinfra(root / "environments", "drift", "dev", env=env)
    assert r.returncode == 5, r.stderr
    assert "drift: update ml-training-queue" in r.stdout
    output, preview = _calls(tmp_path)
    assert output["argv"][:2] == ["stack", "output"]
    assert preview["argv"][:3] == ["preview", "--refresh", "--json"]
    assert "--stack" in preview["argv"] and "dev" in preview["argv"]
    # the program registers the graph the stack deployed, not today's files
    assert json.loads(preview["graph"]) == json.loads(
        json.loads(_deployed_outputs(root))["_mlinfra_graph"])


def test_drift_exits_0_when_the_cloud_matches(tmp_path):
    root = _with_project(tmp_path)
    env = _fake(tmp_path, stack=_deployed_outputs(root),
                preview='{"steps": [{"op": "same", "urn": "x"}]}')
    r = _mlinfra(root, "drift", "dev", env=env)
    assert r.returncode == 0 and "no drift" in r.stdout


def test_drift_of_a_stack_never_deployed_says_so(tmp_path):
    root = _with_project(tmp_path)
    r = _mlinfra(root, "drift", "dev", env=_fake(tmp_path))
    assert r.returncode == 1 and "no graph recorded by mlinfra deploy" in r.stderr


# --- 4. the language reference the product carries -----------------------------------------

def test_the_language_reference_is_current():
    from mlinfra_compile.reference import render

    assert (REPO / "docs" / "language.md").read_text() == render(), \
        "docs/language.md is out of date: run `make docs` (then ACCEPT=1)"


def test_the_reference_documents_every_field_with_its_defaults():
    from mlinfra_compile import language as L
    from mlinfra_compile.reference import render

    text = render()
    for fields in (L.SESSION_STORE_FIELDS, L.QUEUE_FIELDS, L.SUBSCRIPTION_FIELDS):
        for key in fields:
            assert f"| `{key}` |" in text, key
    assert "sqs development: `30s`; sqs production: `30s`" in text  # visibility_timeout
    assert ("memorystore-redis development: `basic`; memorystore-redis production: "
            "`standard_ha`") in text  # tier
    assert "| `max_data` | integer | elasticache-serverless |" in text


def test_nothing_in_the_product_points_outside_the_repository():
    product = [REPO / "README.md", REPO / "CONTRIBUTING.md", REPO / "CHANGELOG.md",
               REPO / "Makefile", *REPO.joinpath("docs").glob("*.md"),
               *REPO.joinpath("mlinfra_compile").rglob("*.py"),
               *REPO.joinpath("mlinfra_compile").rglob("*.j2")]
    for path in product:
        assert "../shared" not in path.read_text(encoding="utf-8"), path


# --- 1. mlinfra init: a team's own repository ---------------------------------------------

FILLED = {
    "environments/dev.yaml": [('project: ""                      # TODO: the GCP project '
                               'of dev', "project: acme-ml-dev")],
    "environments/prod.yaml": [
        ('project: ""                      # TODO: the GCP project of prod',
         "project: acme-ml-prod"),
        ('project_number: ""               # TODO: its number (Pub/Sub dead letters need '
         'it)', 'project_number: "123456789012"'),
        ('network: ""                      # TODO: the VPC Memorystore joins (a name, or',
         "network: ml-vpc  # (a name, or")],
}


def fill(root):
    """Fill what init leaves to fill: the TODOs of environments and, as this checkout is
    editable (init cannot pin it), the mlinfra source."""
    from mlinfra_compile.pin import PINNED_FILES, PLACEHOLDER

    for path, swaps in FILLED.items():
        text = (root / path).read_text()
        for old, new in swaps:
            assert old in text, (path, old)
            text = text.replace(old, new)
        (root / path).write_text(text)
    for path in PINNED_FILES:
        f = root / path
        f.write_text(f.read_text().replace(PLACEHOLDER, "git+https://example.org/m@" + "0" * 40))


def _init(tmp_path):
    root = tmp_path / "acme-ml"
    r = _mlinfra(tmp_path, "init", str(root))
    assert r.returncode == 0, r.stderr
    return root


def test_init_writes_a_repository_whose_placeholders_are_each_one_diagnostic(tmp_path):
    root = _init(tmp_path)
    for path in ("environments/_base.yaml", "environments/dev.yaml", "environments/prod.yaml",
                 "Pulumi.yaml", "program/__main__.py", "requirements.txt", "Makefile",
                 ".pre-commit-config.yaml", ".github/workflows/mlinfra.yml", ".gitignore",
                 "schemas/environment.schema.json", ".vscode/settings.json"):
        assert (root / path).is_file(), path
    vscode = json.loads((root / ".vscode" / "settings.json").read_text())
    assert vscode["yaml.yamlVersion"] == "1.1"
    assert vscode["yaml.schemas"] == {"./schemas/environment.schema.json": "environments/*.yaml"}
    assert (root / "schemas" / "environment.schema.json").read_text() == \
        _mlinfra(tmp_path, "schema").stdout
    assert 'name: "acme-ml"\n' in (root / "Pulumi.yaml").read_text()  # (a string, quoted)
    r = _mlinfra(root, "lint")
    errors = [line for line in r.stdout.splitlines() if ": error: " in line]
    assert r.returncode == 1 and len(errors) == 7, r.stdout
    assert [e.split(": error: ")[0].split(":")[0] for e in errors] == [
        ".github/workflows/mlinfra.yml", ".pre-commit-config.yaml", "environments/dev.yaml",
        "environments/prod.yaml", "environments/prod.yaml", "environments/prod.yaml",
        "requirements.txt"]
    assert [e.split(": error: ")[1].split(":")[0] for e in errors[2:6]] == [
        "providers.gcp.project", "providers.gcp.project", "providers.gcp.project_number",
        "providers.gcp.network"]
    assert [e[-8:] for e in errors] == ["[MLC117]"] * 2 + ["[MLC205]"] * 4 + ["[MLC117]"]


def test_init_never_overwrites(tmp_path):
    root = tmp_path / "repo"
    (root / "environments").mkdir(parents=True)
    (root / "environments" / "dev.yaml").write_text("# mine\n")
    r = _mlinfra(tmp_path, "init", str(root))
    assert r.returncode == 0 and "kept environments/dev.yaml, which exists" in r.stderr
    assert (root / "environments" / "dev.yaml").read_text() == "# mine\n"
    assert (root / "environments" / "prod.yaml").is_file()


def test_an_initialised_repository_lints_plans_diffs_and_deploys(tmp_path):
    root = _init(tmp_path)
    fill(root)
    assert _mlinfra(root, "lint").returncode == 0, _mlinfra(root, "lint").stdout
    r = _mlinfra(root / "environments", "plan", "dev")
    assert r.returncode == 0 and "from environments/dev.yaml" in r.stdout
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "i"],
                   cwd=root, check=True)
    r = _mlinfra(root, "diff", "prod")
    assert r.returncode == 0 and "no changes" in r.stdout
    env = _fake(tmp_path, stack="{}")
    r = _mlinfra(root / "environments", "deploy", "dev", "--preview", env=env)
    assert r.returncode == 0, r.stderr
    preview = _calls(tmp_path)[-1]
    assert preview["argv"][:3] == ["preview", "--stack", "dev"]
    assert str(root.resolve()) in preview["argv"]  # --cwd: the project init wrote


def test_the_program_init_writes_registers_the_graph_under_mocks(tmp_path, monkeypatch):
    import pulumi

    from tests.test_pulumi_backend import RecordingMocks

    root = _init(tmp_path)
    text = (root / "environments" / "dev.yaml").read_text()
    (root / "environments" / "dev.yaml").write_text(text.replace(*FILLED[
        "environments/dev.yaml"][0]))
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="acme-ml", stack="dev", preview=False)
    monkeypatch.chdir(root)
    monkeypatch.setattr(pulumi, "export", lambda k, v: None)
    monkeypatch.delenv("MLINFRA_GRAPH", raising=False)
    source = (root / "program" / "__main__.py").read_text()

    from mlinfra_compile.backends import pulumi_program

    built: dict = {}
    real_run = pulumi_program.run
    monkeypatch.setattr(pulumi_program, "run", lambda: built.update(real_run()))

    @pulumi.runtime.test
    def program():
        exec(compile(source, "program/__main__.py", "exec"), {})  # the file init wrote
        graph = pulumi_program.compile_stack(root, "dev")

        def check(_):
            assert sorted(a.name for a in m.created) == sorted(
                r["name"] for r in graph["resources"]) == sorted(built)

        return pulumi.Output.all(*[r.urn for r in built.values()]).apply(check)

    program()


# --- 5. a package that installs without warnings ------------------------------------------

def test_building_the_package_prints_no_packaging_warnings(tmp_path):
    """What `pip install .` builds (with build isolation, as users get it): no
    deprecation or packaging warning from setuptools, and the templates are inside."""
    import zipfile

    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w",
                        str(tmp_path), str(REPO)], capture_output=True, text=True,
                       check=False)
    assert r.returncode == 0, r.stderr
    noise = [line for line in (r.stdout + r.stderr).splitlines()
             if "Warning" in line and "Location 'file:" not in line]
    assert noise == [], noise
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mlinfra_compile/templates/init-Makefile.j2" in names
    assert "mlinfra_compile/py.typed" in names
    # the price tables `mlinfra cost` reads (issue 17), every one of them
    shipped = {f"mlinfra_compile/prices/{p.name}" for p in (REPO / "mlinfra_compile" /
                                                            "prices").glob("*.json")}
    # (each read by the provider module of its name: the set follows the services)
    modules = {p.stem for p in (REPO / "mlinfra_compile" / "providers").glob("*.py")}
    assert {name.rsplit("/", 1)[1].removesuffix(".json") for name in shipped} <= modules
    assert len(shipped) >= 5 and shipped <= set(names)


def test_the_distribution_has_its_own_name_and_the_command_stays_mlinfra():
    import re
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["name"] == "mlinfra-compile"  # `mlinfra` on PyPI is another project
    assert project["scripts"] == {"mlinfra": "mlinfra_compile.entry:run"}
    r = _mlinfra(REPO, "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"mlinfra, version {project['version']}"
    bare = re.compile(r"pip install ['\"]?mlinfra(?![-\w])")
    for path in (REPO / "README.md", REPO / "docs" / "github-actions.yml",
                 *REPO.joinpath("docs").glob("*.md"),
                 *REPO.joinpath("mlinfra_compile").rglob("*.py"),
                 *REPO.joinpath("mlinfra_compile").rglob("*.j2")):
        assert not bare.search(path.read_text()), path
    # no snippet pins a tag: there are none (tags do not travel with main); a commit
    for path in (REPO / "README.md", REPO / "docs" / "ci.md", REPO / ".pre-commit-hooks.yaml"):
        assert set(re.findall(r"rev: (\S+)", path.read_text())) == {"COMMIT"}, path


def test_init_pins_mlinfra_by_its_distribution_name(tmp_path):
    root = _init(tmp_path)
    lines = [line for line in (root / "requirements.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert len(lines) == 1 and lines[0].startswith("mlinfra-compile[pulumi] @ ")


def test_the_makefile_init_writes_works(tmp_path):
    """`make lint` and `make plan ENV=dev` of an initialised repository, with its .venv
    standing in for the install (tests/test_install.py installs one for real and runs
    the hook)."""
    root = _init(tmp_path)
    fill(root)
    bindir = root / ".venv" / "bin"
    bindir.mkdir(parents=True)
    (bindir / "mlinfra").write_text(f"#!/bin/sh\nexec {sys.executable} -m mlinfra_compile "
                                    '"$@"\n')
    (bindir / "mlinfra").chmod(0o755)
    (root / ".venv" / ".installed").touch()
    # (under `make mutate`'s statistics run, the child would record calls outside the
    # mutants folder and fail: it runs the code as it is instead)
    env = {**{k: v for k, v in os.environ.items()
              if (k, v) != ("MUTANT_UNDER_TEST", "stats")}, "PYTHONPATH": str(REPO)}
    r = subprocess.run(["make", "lint"], cwd=root, env=env, capture_output=True, text=True,
                       check=False)
    assert r.returncode == 0 and "3 files checked, 0 errors" in r.stdout + r.stderr, r.stderr
    r = subprocess.run(["make", "plan", "ENV=dev"], cwd=root, env=env, capture_output=True,
                       text=True, check=False)
    assert r.returncode == 0 and "Environment dev (profile development)" in r.stdout, r.stderr
    r = subprocess.run(["make", "plan", "ENV=dev; touch x"], cwd=root, env=env,
                       capture_output=True, text=True, check=False)
    assert r.returncode != 0 and not (root / "x").exists()


def test_drift_says_so_when_pulumi_prints_something_else(tmp_path):
    root = _with_project(tmp_path)
    for answer in ('{"steps": 5}', "[1, 2]", "not json"):
        env = _fake(tmp_path, stack=_deployed_outputs(root), preview=answer)
        r = _mlinfra(root, "drift", "dev", env=env)
        assert r.returncode == 4 and "Traceback" not in r.stderr, (answer, r.stderr)
        assert "cannot tell whether the stack drifted" in r.stderr, r.stderr
