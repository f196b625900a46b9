"""Which compiles keep each argument's origin: only plan's and explain's show them, so
every other command compiles without (at 10,000 declarations they were 20 MiB of a
lint's peak). Observed where the compile itself reads the setting, `Context.add`, so
every path to a compile is seen whatever module calls it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlinfra_compile import adopt, stack
from mlinfra_compile.backends import pulumi_program
from mlinfra_compile.providers.decl import Context
from tests.golden import REPO, edit, run_cli
from tests.test_deploy import copy_repo

AWS = "providers:\n  aws: {region: us-east-1}\n"


@pytest.fixture
def kept(monkeypatch) -> list[object]:
    """The keep_origins of each compile that added a resource, in order, one per compile."""
    seen: list[object] = []
    real = Context.add

    def add(self, resource):
        if not seen or seen[-1][0] is not self:
            seen.append((self, self.keep_origins))
        return real(self, resource)

    monkeypatch.setattr(Context, "add", add)
    return seen


def _flags(kept: list[object]) -> list[object]:
    return [flag for _ctx, flag in kept]  # type: ignore[misc]


def test_plan_keeps_origins_and_compile_does_not(kept):
    assert run_cli(REPO, "plan", "dev")[0] == 0
    assert run_cli(REPO, "compile", "dev")[0] == 0
    assert _flags(kept) == [True, False]


def test_lint_of_one_file_compiles_the_stacks_that_could_clash_without_origins(tmp_path,
                                                                             kept):
    env = tmp_path / "environments"
    env.mkdir()
    for name in ("dev", "prod"):
        (env / f"{name}.yaml").write_text(AWS + "queues:\n  jobs: {name: jobs-" + name +
                                          "}\n")
    assert run_cli(tmp_path, "lint", str(env / "dev.yaml"))[0] == 0
    assert _flags(kept) == [False, False]  # dev, then prod for the checks across stacks


def test_diff_against_git_compiles_both_sides_without_origins(repo_git, kept):
    edit(repo_git, "_base.yaml", "  ml-training:\n",
         "  ml-training:\n    access: {publishers: ['domain:evil.example']}\n")
    assert run_cli(repo_git, "diff", "dev")[0] == 0
    assert _flags(kept) == [False, False]
    kept.clear()
    run_cli(repo_git, "diff", "--all")  # (every stack, now and at HEAD)
    assert len(kept) >= 2 and set(_flags(kept)) == {False}


@pytest.mark.parametrize("acts", [True, False], ids=["deploy", "preview"])
def test_the_stack_deploy_acts_on_is_compiled_without_origins(tmp_path, kept, acts):
    root = copy_repo(tmp_path)
    assert not isinstance(stack._deploy_target(str(root), "dev", acts=acts), int)
    assert set(_flags(kept)) == {False}


def test_the_pulumi_program_and_adopts_draft_compile_without_origins(kept):
    pulumi_program.compile_stack(REPO, "dev")
    adopt._draft("main", {"providers": {"aws": {"region": "us-east-1"}},
                          "queues": {"jobs": {}}})
    assert _flags(kept) == [False, False]


def test_adopt_compiles_its_draft_and_the_written_file_without_origins(tmp_path, kept):
    from tests.test_adopt import REDIS_STATE, new_repo

    root = new_repo(tmp_path)
    kept.clear()
    assert run_cli(root, "adopt", str(REDIS_STATE), "sessions")[0] == 0
    assert len(kept) >= 2 and set(_flags(kept)) == {False}


def test_compile_of_a_partial_says_what_it_is(capsys):
    code, out, err = run_cli(REPO, "compile", "_base")
    assert (code, out, err) == (
        2, "", "mlinfra: error: environments/_base.yaml is a partial (its name starts with "
               "`_`): it is shared by `extends` and is not an environment; lint checks it\n")


def test_compile_to_dash_writes_to_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(REPO, "compile", "dev", "-o", "-")
    assert code == 0 and out == run_cli(REPO, "compile", "dev")[1]
    assert not (tmp_path / "-").exists() and not Path(REPO / "-").exists()
