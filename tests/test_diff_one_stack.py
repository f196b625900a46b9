"""`mlinfra diff ENV` against a git ref, in-process: the whole message when the
environment did not compile at the ref, and which forms of --allow-replace hold in the
stack compared (NAME, and STACK:NAME of that stack only: docs/design.md, the same rule
as `diff --all`)."""

from __future__ import annotations

import pytest

from tests.golden import edit, git, run_cli

REFUSED = ("refused: prod is a production environment and this would replace "
           "ml-session-storage (customer_managed_key: forces replacement; region: forces "
           "replacement), losing its data; rerun with --allow-replace ml-session-storage "
           "if you mean it [MLC601]")


def test_a_baseline_that_does_not_compile_is_named_with_its_diagnostics(repo_git):
    edit(repo_git, "prod.yaml", "profile: production\n", "profile: production\nregion_typo: x\n")
    git(repo_git, "commit", "-qam", "a typo")
    edit(repo_git, "prod.yaml", "region_typo: x\n", "")
    assert run_cli(repo_git, "diff", "prod") == (1, "", (
        "HEAD:environments/prod.yaml:6:1: error: region_typo: unknown key 'region_typo'; "
        "expected one of: extends, environment, profile, providers, default_provider, "
        "labels, name_template, waivers, exports, session_stores, queues [MLC201]\n"
        "mlinfra: error: prod at HEAD does not compile, so there is nothing to compare "
        "against\n"))


@pytest.mark.parametrize(("allow", "code"), [
    ([], 3),
    (["ml-session-storage"], 0),
    (["prod:ml-session-storage"], 0),  # this stack's
    (["staging:ml-session-storage"], 3),  # another stack's holds nothing here
    (["prod:ml-training", "staging:ml-session-storage"], 3),
])
def test_an_allowance_holds_by_name_or_for_this_stack(repo_git, allow, code):
    # a new region (and the key of that region) replaces prod's production store
    edit(repo_git, "prod.yaml", "    region: us-central1", "    region: us-east1")
    edit(repo_git, "prod.yaml", "locations/us-central1/", "locations/us-east1/")
    args = [a for name in allow for a in ("--allow-replace", name)]
    got, out, err = run_cli(repo_git, "diff", "prod", *args)
    assert (got, err) == (code, "")
    lines = out.splitlines()
    assert lines[0] == "diff prod: environments/prod.yaml at HEAD -> working tree"
    assert (lines[-1] == REFUSED) == (code == 3)
    assert REFUSED not in lines[:-1]
