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
