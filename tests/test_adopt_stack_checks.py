"""`mlinfra adopt`'s own checks, called in-process (adopt.adopt_stack): what it refuses
before writing anything (an environment name that is none, a Pulumi project name that
is none, as pulumi/pulumi sdk/go/common/tokens spells names: [A-Za-z0-9_.-]), and the
project a repository without a Pulumi.yaml deploys to (the old stack's own). The state
is the Memorystore reference program (tests/test_adopt.py): stack dev of project
ml-session-storage, one redis instance ml-session-storage."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from mlinfra_compile.adopt import adopt_stack
from mlinfra_compile.state import read_checkpoint
from mlinfra_compile.workspace import UsageError, Workspace
from tests.test_adopt import REDIS_STATE, new_repo

NAME_RULE = ("is not an environment name: use 1..63 lowercase letters, digits, `_` and `-` "
             "(a leading `_` marks a partial)")


@pytest.mark.parametrize("env", ["Sessions", "_base", ""], ids=["upper", "partial", "empty"])
def test_a_name_that_is_no_environment_name_is_refused(tmp_path, env):
    root = new_repo(tmp_path)
    with pytest.raises(UsageError) as e:
        adopt_stack(Workspace(str(root)), read_checkpoint(str(REDIS_STATE)), env,
                    same_stack=False)
    assert str(e.value) == f"{env!r} {NAME_RULE}"
    assert list((root / "environments").iterdir()) == []


def test_a_project_name_that_is_no_pulumi_name_is_refused(tmp_path):
    root = new_repo(tmp_path)
    cp = dataclasses.replace(read_checkpoint(str(REDIS_STATE)), project="ml session")
    with pytest.raises(UsageError) as e:
        adopt_stack(Workspace(str(root)), cp, "sessions", same_stack=False)
    assert str(e.value) == (f"{cp.shown}: the project name ml session in its URNs is not "
                            "a Pulumi project name (letters, digits, `_`, `.`, `-`)")
    assert list((root / "environments").iterdir()) == []


def test_without_a_pulumi_yaml_the_stack_stays_in_the_old_project(tmp_path: Path):
    root = new_repo(tmp_path)
    (root / "Pulumi.yaml").unlink()
    written = adopt_stack(Workspace(str(root)), read_checkpoint(str(REDIS_STATE)),
                          "sessions", same_stack=True)
    doc = yaml.safe_load((root / "environments" / "sessions.yaml").read_text())
    kind = "gcp:redis/instance:Instance::ml-session-storage"
    assert doc["session_stores"]["ml-session-storage"]["previous_names"] == [
        f"urn:pulumi:dev::ml-session-storage::{kind}",
        f"urn:pulumi:sessions::ml-session-storage::{kind}"]
    assert "  1. `pulumi stack rename organization/ml-session-storage/sessions --stack dev`" \
           " in the old program's folder" in written.steps
