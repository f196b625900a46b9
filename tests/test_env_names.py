"""No setting of `mlinfra outputs --format dotenv` changes how programs start (issue 27,
point 6): export names that would be PATH, LD_PRELOAD, BASH_ENV, PYTHONPATH and the like
are refused at the line that gives them; the dotenv writer leaves out any such exact name
a stack holds anyway. The names mlinfra derives from declarations cannot be one.

The oracle lists are hand-written; the dotenv file is read back by a real sh."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import fake_on_path
from tests.golden import run_cli, safe_id

AWS = "providers:\n  aws: {region: us-east-1}\n"

# the `mlinfra outputs` name each export name gives (upper case) is refused ...
REFUSED = ["PATH", "path", "LD_PRELOAD", "ld_library_path", "LD_AUDIT", "LD_X",
           "DYLD_INSERT_LIBRARIES", "BASH_ENV", "ENV", "PYTHONPATH", "PYTHONSTARTUP",
           "PYTHON_GIL", "NODE_OPTIONS", "PERL5OPT", "PERL5LIB", "RUBYOPT",
           "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "IFS", "PS4", "SHELLOPTS", "BASHOPTS",
           "PROMPT_COMMAND", "GCONV_PATH", "GLIBC_TUNABLES"]
# ... a name that only looks like one is not
ACCEPTED = ["PATHS", "MY_PATH", "CACHE_PATH", "LDAP_HOST", "OLD_PRELOAD", "LD", "ENV_NAME",
            "ENVIRONMENT", "IFS_HOST", "PS4_X", "NODE_HOST", "PERL_HOST", "RUBY_OPT",
            "BASH_ENV_NAME", "PYTHO_N", "DYLD", "XLD_PRELOAD"]


def _exporting(repo, name: str) -> tuple[int, str]:
    repo.write("main.yaml", AWS + "queues:\n  jobs: {}\n"
                                  f"exports:\n  {name}: jobs.url\n")
    rc, out, err = repo.run("lint")
    return rc, out + err


@pytest.mark.parametrize("name", REFUSED, ids=safe_id)
def test_an_export_name_programs_read_at_start_is_refused_at_its_line(repo, name):
    rc, out = _exporting(repo, name)
    assert rc == 1
    assert out.startswith(f"environments/main.yaml:6:3: error: exports.{name}: ")
    assert "[MLC323]" in out and name.upper() in out and "mlinfra outputs" in out


@pytest.mark.parametrize("name", ACCEPTED, ids=safe_id)
def test_a_name_that_only_looks_like_one_is_exported(repo, name):
    rc, out = _exporting(repo, name)
    assert rc == 0, out


# the names mlinfra derives, <DECLARATION>_<ATTRIBUTE>: an attribute (URL, HOST, ARN...)
# no loader or interpreter reads ends each, so a declaration of any name compiles: a
# queue named python-jobs (PYTHON_JOBS_URL) or ld-preload (LD_PRELOAD_URL) too
DERIVED = ["ld-preload", "ld-x", "dyld-cache", "python-jobs", "pythonic", "perl5-jobs",
           "path", "env", "ifs", "old-jobs", "ldap", "node-jobs", "bash-env"]


@pytest.mark.parametrize("name", DERIVED, ids=safe_id)
@pytest.mark.parametrize("kind", ["queues", "session_stores"])
def test_a_declaration_named_like_a_variable_compiles(repo, name, kind):
    repo.write("main.yaml", AWS + f"{kind}:\n  {name}: {{}}\n")
    rc, out, err = repo.run("lint")
    assert rc == 0, out + err


def test_no_attribute_makes_a_derived_name_an_exact_refused_one():
    """Why lint need not check derived names: each ends with an attribute mlinfra
    writes, and no refused name ends so (oracle: the attributes as outputs print them)."""
    from mlinfra_compile.envnames import EXACT

    # every attribute the shipped environments and the ok- cases compile to (read off
    # their graphs' outputs when this test was written); subscriptions come as
    # <QUEUE>_SUBSCRIPTIONS_<NAME>
    attributes = ["HOST", "PORT", "URL", "ARN", "TOPIC", "TOPIC_ARN", "READ_HOST",
                  "READ_PORT", "READER_HOST", "CA_CERTS", "AUTH_STRING", "DEAD_LETTER_URL",
                  "DEAD_LETTER_SUBSCRIPTION"]
    assert not [n for n in EXACT if any(n.endswith("_" + a) for a in attributes)
                or "_SUBSCRIPTIONS_" in n]


def test_the_dotenv_file_sets_no_such_name_a_stack_holds(tmp_path, monkeypatch):
    """A stack deployed by hand, or before this check, may hold such an output: the
    dotenv file says it left it out, and sourcing it changes neither PATH nor the
    loader's variables."""
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "main.yaml").write_text(AWS + "queues:\n  jobs: {}\n")
    outputs = {"PATH": "/evil", "LD_PRELOAD": "/evil.so", "path": "/lower",
               "jobs": {"url": "https://q"}, "ld-preload": {"url": "u"}}
    fake_on_path(tmp_path, monkeypatch, f"print({json.dumps(json.dumps(outputs))})\n")
    rc, out, err = run_cli(tmp_path, "outputs", "main", "--format", "dotenv")
    assert rc == 0, err
    lines = out.splitlines()
    assert "JOBS_URL=https://q" in lines
    assert not [x for x in lines if x.split("=")[0] in ("PATH", "LD_PRELOAD")], out
    assert any(x.startswith("# PATH ") for x in lines)
    assert any(x.startswith("# LD_PRELOAD ") for x in lines)
    assert "LD_PRELOAD_URL=u" in lines  # a queue's URL: no loader reads that name
    dotenv = tmp_path / "x.env"
    dotenv.write_text(out)
    sh = shutil.which("sh")
    assert sh is not None
    got = subprocess.run(
        [sh, "-c", 'set -a; . "$1"; printf "%s|%s|%s" "$PATH" "${LD_PRELOAD-unset}" '
                   '"$JOBS_URL"', "sh", str(dotenv)],
        env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True)
    assert got.stdout == "/usr/bin:/bin|unset|https://q"


def test_adopt_leaves_such_an_output_to_the_user(tmp_path):
    """A hand-written stack's output named PATH is not written as an export that lint
    would refuse: adopt lists it."""
    from tests.test_adopt import QUEUES_STATE, adopted, load, new_repo, write_state

    doc = load(QUEUES_STATE)
    outs = doc["deployment"]["resources"][0]["outputs"]
    outs["PATH"] = outs["ml_training_queue_url"]
    root = new_repo(tmp_path)
    rc, _, err = run_cli(root, "adopt", str(write_state(tmp_path, doc)), "queues")
    assert rc == 1
    (line,) = [x for x in err.splitlines() if x.startswith("mlinfra: not expressed: output PATH")]
    assert "PATH is where every shell looks up the commands it runs" in line, err
    exports = yaml.safe_load(adopted(root, "queues"))["exports"]
    assert "PATH" not in exports and exports["ml_training_queue_url"] == "ml-training-queue.url"
