"""What `mlinfra adopt` tells the user to do next, read whole for each of its four ways:
another stack takes the resources over (with or without resources left behind), or the
old stack itself becomes the environment's (renamed, or already so named).

The procedure (Pulumi's documentation): `pulumi stack rename` rewrites the stack's URNs
("pulumi stack rename": "the stack name is part of each resource's URN"), and with the old
logical names as aliases (previous_names) nothing is replaced; `pulumi stack rm --force`
removes a stack's state while leaving its resources running ("--force: ... even if it
still has resources")."""

from __future__ import annotations

from mlinfra_compile.adopt import _steps
from mlinfra_compile.state import Checkpoint


def _cp(stack: str, project: str) -> Checkpoint:
    return Checkpoint("state.json", (), (), (), {}, stack, project)


def test_another_stack_takes_over_and_the_old_one_is_forgotten():
    assert _steps(_cp("legacy", "old-ml"), "dev", False, "mlinfra", False) == (
        "next, stack dev takes over the resources the file declares (the comparison above "
        "shows what else it would create or delete):\n"
        "  1. `mlinfra deploy dev --preview`, then `mlinfra deploy dev`: imports each "
        "resource by its id\n"
        "  2. `pulumi stack rm --force legacy` in the old program's folder (stack legacy of "
        "project old-ml): forgets the old stack and leaves its resources running, (run no "
        "`pulumi up` or `pulumi destroy` there before)\n")


def test_with_resources_left_behind_the_old_stack_is_forgotten_only_once_emptied():
    text = _steps(_cp("legacy", "old-ml"), "dev", False, "mlinfra", True)
    assert text.endswith(
        "leaves its resources running, once it manages nothing but what is listed as "
        "staying with it (else those resources would be managed by no stack; delete or "
        "move them first)\n")


def test_the_old_stack_renamed_becomes_the_environments():
    assert _steps(_cp("legacy", "old-ml"), "dev", True, "mlinfra", False) == (
        "next, stack legacy of project old-ml becomes stack dev (nothing is created or "
        "deleted):\n"
        "  1. `pulumi stack rename organization/mlinfra/dev --stack legacy` in the old "
        "program's folder (Pulumi Cloud: your organization's name): Pulumi rewrites each URN "
        "to the second of its previous_names\n"
        "  2. `mlinfra diff dev --against-stack`: nothing created, replaced or deleted\n"
        "  3. `mlinfra deploy dev` here: the aliases carry each resource over and the stack "
        "records mlinfra's graph (a stack without one is deployed only when nothing it "
        "holds would be replaced or deleted)\n")


def test_a_stack_already_named_as_the_environment_needs_no_rename():
    # the same stack and project: two steps, numbered from 1
    assert _steps(_cp("dev", "mlinfra"), "dev", True, "mlinfra", False) == (
        "next, stack dev of project mlinfra becomes stack dev (nothing is created or "
        "deleted):\n"
        "  1. `mlinfra diff dev --against-stack`: nothing created, replaced or deleted\n"
        "  2. `mlinfra deploy dev` here: the aliases carry each resource over and the stack "
        "records mlinfra's graph (a stack without one is deployed only when nothing it "
        "holds would be replaced or deleted)\n")
    # the same stack name in another project is still a rename
    assert "stack rename organization/mlinfra/dev" in _steps(_cp("dev", "old-ml"), "dev",
                                                             True, "mlinfra", False)
