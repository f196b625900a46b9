"""`mlinfra adopt` called in-process (adopt.adopt_stack) on a stack with outputs: each
output becomes an export when a declaration attribute holds its value, and what cannot
(a name exports cannot give, a secret, a value no attribute holds, a name the dotenv
writer refuses, or an environment that does not compile) is listed, one line each, in
the file's header and in Written.missing. Every expected text is written out by hand.

The state is the Memorystore reference program (tests/test_adopt.py: stack dev of
project ml-session-storage, one redis instance ml-session-storage, host 10.128.0.3)
moved to another region, with outputs added to its stack resource.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlinfra_compile.adopt import adopt_stack
from mlinfra_compile.state import read_checkpoint
from mlinfra_compile.workspace import Workspace
from tests.test_adopt import REDIS_STATE, new_repo, write_state

# A Pulumi secret as `pulumi stack export` writes it (the signature key and value of
# pulumi/pulumi sdk/go/common/resource/sig: 4dabf181... = 1b470612...).
SECRET_VALUE = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                "ciphertext": "v1:c2VjcmV0:c2VjcmV0"}
COMPONENT = {"urn": "urn:pulumi:dev::ml-session-storage::acme:index:Sessions::sessions",
             "custom": False, "type": "acme:index:Sessions"}
KIND = "gcp:redis/instance:Instance::ml-session-storage"


def state_in(tmp_path: Path, region: str, outputs: dict[str, Any],
             others: list[dict[str, Any]]) -> Path:
    doc = json.loads(REDIS_STATE.read_text().replace("us-central1", region))
    doc["deployment"]["resources"][0]["outputs"].update(outputs)
    doc["deployment"]["resources"] += others
    return write_state(tmp_path, doc)


def test_outputs_become_exports_or_are_listed_and_the_component_stays(tmp_path):
    # asia-southeast3 is a real region the Memorystore regions page did not list: a
    # warning (MLC318 at providers.gcp.region), so the environment compiles with one
    # diagnostic outside exports. Outputs in sorted order: XXXX and home hold the host,
    # `bad name` is no output name, token a secret, zone a value no attribute has.
    # `home` would be HOME for `mlinfra outputs --format dotenv` (envnames.EXACT).
    st = state_in(tmp_path, "asia-southeast3",
                  {"XXXX": "10.128.0.3", "bad name": "x", "home": "10.128.0.3",
                   "token": SECRET_VALUE, "zone": "asia-southeast3-z"}, [COMPONENT])
    root = new_repo(tmp_path)
    written = adopt_stack(Workspace(str(root)), read_checkpoint(str(st)), "sessions",
                          same_stack=True)
    missing = [
        "output bad name: not a name exports can give",
        "output token: a secret, which mlinfra cannot compare; export it by hand",
        "output zone = asia-southeast3-z: no declaration attribute has this value",
        "output home: ml-session-storage.host is refused: 'home' would be HOME in "
        "`mlinfra outputs --format dotenv`, which applications source, and HOME is where "
        "programs read their startup files from; choose another name"]
    left = ["acme:index:Sessions sessions: a component, a read-only resource or a pending "
            "deletion: not moved; it stays with the old stack"]
    assert (written.missing, written.left) == (missing, left)
    assert len(str(st)) <= 200  # (the header cuts a longer path)
    assert (root / "environments" / "sessions.yaml").read_text() == (
        "# yaml-language-server: $schema=../schemas/environment.schema.json\n"
        "# sessions: adopted with `mlinfra adopt` from stack dev of project "
        "ml-session-storage\n"
        f"# ({st}): 1 resource, each with the arguments it runs with;\n"
        "# `mlinfra diff sessions --against-state FILE` compares them again.\n"
        "# The old stack becomes this one: previous_names holds each resource's URN.\n"
        "# Not expressed here (mlinfra does not model it; add it by hand or keep it in "
        "the old stack):\n"
        + "".join(f"#   {m}\n" for m in missing) +
        "# Left with the old stack:\n"
        f"#   {left[0]}\n"
        "providers:\n  gcp:\n    project: acme-ml-prod\n    region: asia-southeast3\n"
        "exports:\n"
        "  XXXX: ml-session-storage.host\n"
        "  redis_instance_host: ml-session-storage.host\n"
        "  redis_instance_id: ml-session-storage.id\n"
        "session_stores:\n  ml-session-storage:\n    memory: 1GiB\n    tier: basic\n"
        "    version: '7.2'\n    auth: false\n    tls: false\n    persistence: none\n"
        "    protect: false\n    name: ml-session-storage-5c8e1f2\n    previous_names:\n"
        f"    - urn:pulumi:dev::ml-session-storage::{KIND}\n"
        f"    - urn:pulumi:sessions::mlinfra::{KIND}\n")


def test_outputs_of_an_environment_that_does_not_compile_are_each_listed(tmp_path,
                                                                         monkeypatch):
    # a region none of mlinfra's tables lists (made up: us-north9) is an error (MLC317)
    # unless MLINFRA_EXTRA_REGIONS names it: no output can be matched.
    monkeypatch.delenv("MLINFRA_EXTRA_REGIONS", raising=False)
    st = state_in(tmp_path, "us-north9", {}, [])
    root = new_repo(tmp_path)
    written = adopt_stack(Workspace(str(root)), read_checkpoint(str(st)), "sessions",
                          same_stack=False)
    assert written.missing == [
        "output redis_instance_host: not matched, as the environment does not compile",
        "output redis_instance_id: not matched, as the environment does not compile"]
    text = (root / "environments" / "sessions.yaml").read_text()
    assert "exports" not in text
    assert text.splitlines()[4:8] == [
        "# A new stack takes them over: `import` adopts each by its id, `name` keeps its "
        "name.",
        "# Not expressed here (mlinfra does not model it; add it by hand or keep it in "
        "the old stack):",
        "#   output redis_instance_host: not matched, as the environment does not compile",
        "#   output redis_instance_id: not matched, as the environment does not compile"]


@pytest.mark.parametrize("same_stack", [True, False])
def test_a_stack_without_outputs_gets_no_exports(tmp_path, same_stack):
    st = state_in(tmp_path, "us-central1", {}, [])
    doc = json.loads(st.read_text())
    doc["deployment"]["resources"][0]["outputs"] = {}
    st.write_text(json.dumps(doc))
    root = new_repo(tmp_path)
    written = adopt_stack(Workspace(str(root)), read_checkpoint(str(st)), "sessions",
                          same_stack=same_stack)
    assert (written.missing, written.left) == ([], [])
    assert "exports" not in (root / "environments" / "sessions.yaml").read_text()
