"""`mlinfra outputs ENV` run in this process (stack.outputs), with a fake `pulumi` on PATH
that records how it was called: the exact command asked of Pulumi, and exit 4 with the
install advice when there is no Pulumi at all."""

from __future__ import annotations

import json
import os
import shutil

from mlinfra_compile import stack
from tests.conftest import fake_on_path
from tests.golden import REPO

RECORDS = """
import json, os, sys
with open(os.environ["RECORD"], "a") as f:
    f.write(json.dumps(sys.argv[1:]) + "\\n")
print(json.dumps({"ml-cache": {"host": "10.0.0.3", "port": 6379}}))
"""


def test_outputs_asks_pulumi_for_the_stacks_outputs_as_json(tmp_path, monkeypatch, capsys):
    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    fake_on_path(tmp_path, monkeypatch, RECORDS)
    monkeypatch.setenv("RECORD", str(tmp_path / "argv"))
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    assert stack.outputs(str(root), "dev", "dotenv", False) == 0
    calls = [json.loads(line) for line in (tmp_path / "argv").read_text().splitlines()]
    assert calls == [["stack", "output", "--json", "--stack", "dev", "--cwd",
                      os.path.realpath(root), "--non-interactive"]]
    assert capsys.readouterr().out == "ML_CACHE_HOST=10.0.0.3\nML_CACHE_PORT=6379\n"


def test_outputs_without_pulumi_exits_4_with_how_to_install_it(tmp_path, monkeypatch, capsys):
    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert stack.outputs(str(root), "dev", "dotenv", False) == 4
    got = capsys.readouterr()
    assert got.out == "" and got.err == stack.PULUMI_INSTALL
    assert got.err.startswith("mlinfra: error: the Pulumi CLI (`pulumi`) is not on PATH")


ANSWERS = """
import json, os, sys
with open(os.environ["RECORD"], "a") as f:
    f.write(json.dumps([sys.argv[1:], os.environ.get("PULUMI_BACKEND_URL")]) + "\\n")
print(os.environ["ANSWER"])
"""


def run_outputs(tmp_path, monkeypatch, answer, *, secrets=False, fmt="dotenv"):
    root = tmp_path / "repo"
    if not root.exists():
        shutil.copytree(REPO / "environments", root / "environments")
    fake_on_path(tmp_path, monkeypatch, ANSWERS)
    monkeypatch.setenv("RECORD", str(tmp_path / "argv"))
    monkeypatch.setenv("ANSWER", json.dumps(answer))
    monkeypatch.delenv("PULUMI_BACKEND_URL", raising=False)
    code = stack.outputs(str(root), "dev", fmt, secrets)
    calls = [json.loads(line) for line in (tmp_path / "argv").read_text().splitlines()]
    return code, calls, root


def test_secrets_are_asked_for_again_with_show_secrets_in_the_repositorys_backend(
        tmp_path, monkeypatch, capsys):
    answer = {"ml-cache": {"host": "h", "auth_string": "s3cret"}}
    code, calls, root = run_outputs(tmp_path, monkeypatch, answer, secrets=True)
    state = "file://" + os.path.realpath(root / ".pulumi-state")
    assert code == 0 and [c[1] for c in calls] == [state, state]
    assert calls[1][0] == [*calls[0][0], "--show-secrets"]
    assert capsys.readouterr().out == "ML_CACHE_AUTH_STRING=s3cret\nML_CACHE_HOST=h\n"


def test_a_secret_held_back_is_named_with_how_to_print_it(tmp_path, monkeypatch, capsys):
    answer = {"ml-cache": {"host": "h", "auth_string": "s3cret"}}
    code, calls, _ = run_outputs(tmp_path, monkeypatch, answer)  # (dotenv: in the file)
    got = capsys.readouterr()
    assert code == 0 and len(calls) == 1 and got.err == ""
    assert got.out == ("ML_CACHE_HOST=h\n# ML_CACHE_AUTH_STRING is a secret, not written; "
                       "`mlinfra outputs --show-secrets` prints it\n")
    code, _, _ = run_outputs(tmp_path, monkeypatch, answer, fmt="json")  # (json: on stderr)
    got = capsys.readouterr()
    assert code == 0 and json.loads(got.out) == {"ML_CACHE_HOST": "h"}
    assert got.err == ("mlinfra: 1 secret setting(s) not shown (ML_CACHE_AUTH_STRING); "
                       "--show-secrets prints them\n")


def test_a_stack_without_outputs_says_to_deploy_it_first(tmp_path, monkeypatch, capsys):
    code, _, _ = run_outputs(tmp_path, monkeypatch, {})
    assert (code, capsys.readouterr().err) == (
        1, "mlinfra: error: stack dev has no outputs; deploy it first (`make deploy ENV=dev`)\n")


def test_every_renamed_setting_gets_its_own_note(tmp_path, monkeypatch, capsys):
    answer = {q: {"topic": "t", "subscriptions": {"default": "s"}} for q in ("jobs", "work")}
    code, _, _ = run_outputs(tmp_path, monkeypatch, answer)
    err = capsys.readouterr().err.splitlines()
    assert code == 0 and err == [
        f"mlinfra: {q.upper()}_SUBSCRIPTIONS_SUB is the old name of "
        f"{q.upper()}_SUBSCRIPTIONS_DEFAULT, still written for applications that read it; "
        f"read {q.upper()}_SUBSCRIPTIONS_DEFAULT" for q in ("jobs", "work")]


FAILS = """
import json, os, sys
if os.environ["FAIL_WHEN"] in ("always", *sys.argv[1:]):
    sys.stderr.write("error: no stack named dev\\n")
    sys.exit(255)
print(os.environ["ANSWER"])
"""


def test_a_failing_pulumi_is_named_with_its_exit_code(tmp_path, monkeypatch, capsys):
    # the first question and the second (--show-secrets), each failing on its own
    root = tmp_path / "repo"
    shutil.copytree(REPO / "environments", root / "environments")
    fake_on_path(tmp_path, monkeypatch, FAILS)
    monkeypatch.setenv("ANSWER", json.dumps({"ml-cache": {"host": "h"}}))
    for fail_when, secrets in (("always", False), ("--show-secrets", True)):
        monkeypatch.setenv("FAIL_WHEN", fail_when)
        assert stack.outputs(str(root), "dev", "dotenv", secrets) == 4
        got = capsys.readouterr()
        assert (got.out, got.err) == ("", "error: no stack named dev\nmlinfra: error: "
                                          "`pulumi stack output` failed with exit code 255\n")


def test_a_multiline_value_goes_to_a_file_its_setting_names(tmp_path, monkeypatch, capsys):
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    code, _, root = run_outputs(tmp_path, monkeypatch, {"ml-cache": {"ca": pem}})
    got = capsys.readouterr()
    assert code == 0
    key, _, rel = got.out.strip().partition("=")
    assert key == "ML_CACHE_CA_FILE"
    path = os.path.join(os.path.realpath(root), rel.strip("'\""))
    with open(path, encoding="utf-8") as fh:
        assert fh.read() == pem
    assert got.err == (f"mlinfra: wrote {os.path.relpath(path, os.path.realpath(root))} "
                       "(named by its _FILE setting)\n")


def test_dotenv_is_written_as_its_own_escaping_leaves_it(tmp_path, monkeypatch, capsys):
    # dotenv escapes for itself: the terminal escaping on top of it would change what a
    # shell reads back (the oracle: bash sourcing the text)
    import subprocess

    value = "a\x1bb\x07c"
    code, _, _ = run_outputs(tmp_path, monkeypatch, {"ml-cache": {"host": value}})
    text = capsys.readouterr().out
    assert code == 0
    env_file = tmp_path / "settings.env"
    env_file.write_text(text)
    read = subprocess.run(["bash", "-c", f'set -a; . "{env_file}"; printf %s "$ML_CACHE_HOST"'],
                          capture_output=True, text=True, check=True).stdout
    assert read == value
