"""Which file `deploy` (and destroy) acts on: stack._deploy_target, called in this process.
The Pulumi program knows only the stack name and always compiles
environments/<stack>.yaml, so any other file of the same stem is refused with a usage
error that names the command to run instead; the environment's own file, by name or by
path, is compiled."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlinfra_compile import stack
from mlinfra_compile.resolve import Compiled, UsageError
from tests.test_deploy import copy_repo


def _copy_of_prod(root: Path, where: str) -> Path:
    other = root / where
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_text((root / "environments" / "prod.yaml").read_text())
    return other


@pytest.mark.parametrize("where", ["backup/prod.yaml", "environments/sub/prod.yaml"])
@pytest.mark.parametrize("acts", [True, False], ids=["deploy", "no-acts"])
def test_a_copy_of_an_environment_elsewhere_is_refused_with_the_whole_message(
        tmp_path, where, acts):
    root = copy_repo(tmp_path)
    other = _copy_of_prod(root, where)
    with pytest.raises(UsageError) as caught:
        stack._deploy_target(str(root), str(other), acts=acts)
    assert str(caught.value) == (
        "deploy takes an environment of environments/ by its name (`mlinfra deploy prod`), "
        f"not {other}: the Pulumi stack prod always deploys environments/prod.yaml")


def test_a_link_elsewhere_to_the_environments_own_file_is_that_file(tmp_path):
    # (the same file, whatever it is called by: realpath, not the path as written)
    root = copy_repo(tmp_path)
    (root / "backup").mkdir()
    link = root / "backup" / "dev.yaml"
    link.symlink_to(root / "environments" / "dev.yaml")
    c = stack._deploy_target(str(root), str(link))
    assert isinstance(c, Compiled) and c.env == "dev"


@pytest.mark.parametrize("how", ["name", "path"])
def test_the_environments_own_file_is_compiled_by_name_or_path(tmp_path, how):
    root = copy_repo(tmp_path)
    env = "dev" if how == "name" else str(root / "environments" / "dev.yaml")
    c = stack._deploy_target(str(root), env)
    assert isinstance(c, Compiled)
    assert (c.env, c.graph is not None) == ("dev", True)


@pytest.mark.parametrize("where", ["environments/Prod.yaml", "backup/Prod.yaml"])
@pytest.mark.parametrize("acts", [True, False], ids=["deploy", "no-acts"])
def test_a_file_whose_stem_cannot_be_a_stack_is_refused_for_its_name(tmp_path, where, acts):
    # (the name rule, resolve.ENV_NAME, is lint's MLC329; the old message suggested the
    # command just run, `mlinfra deploy Prod`, whose name can never be a stack)
    root = copy_repo(tmp_path)
    other = _copy_of_prod(root, where)
    with pytest.raises(UsageError) as caught:
        stack._deploy_target(str(root), str(other), acts=acts)
    assert str(caught.value) == (
        f"'Prod' ({where}) cannot name a Pulumi stack: an environment's name, its file's "
        "stem, is 1..63 lowercase letters, digits, `_` and `-` (MLC329); rename the file")
