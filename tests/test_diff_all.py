"""`mlinfra diff --all` (issue 24, point 7): every stack whose graph changed since a ref,
in one report (text, markdown, json), exit the worst of them; the PR comment of the
workflow the docs ship and `mlinfra init` writes.

Which stacks a change to _base.yaml reaches is read by hand from the shipped files: dev
and staging take the store's memory from _base.yaml, prod and perf set their own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.golden import REPO, edit, git, run_cli


@pytest.fixture
def repo(repo_git: Path) -> Path:
    return repo_git


def html_of(md: str) -> str:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    return cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)


def test_a_partial_change_shows_in_each_stack_that_takes_it(repo):
    edit(repo, "_base.yaml", "memory: 1GiB", "memory: 2GiB")
    rc, out, _ = run_cli(repo, "diff", "--all")
    assert rc == 0
    assert out.splitlines()[0] == ("diff --all against HEAD: 2 changed (dev, staging), "
                                   "2 unchanged")
    for env in ("dev", "staging"):
        assert f"diff {env}: environments/{env}.yaml at HEAD -> working tree" in out
    assert out.count("      memory_size_gb: 1 -> 2  in place") == 2
    # dev is basic (M1 $0.049 per GiB-hour x 730 h = $35.77 a GiB), staging standard
    # ($0.064 x 730 = $46.72): each doubles
    assert "monthly cost: +$35.77/month" in out and "monthly cost: +$46.72/month" in out
    assert "diff prod:" not in out and "diff perf:" not in out


def test_the_same_report_in_markdown_and_json(repo):
    edit(repo, "_base.yaml", "memory: 1GiB", "memory: 2GiB")
    rc, md, _ = run_cli(repo, "diff", "--all", "--format", "markdown")
    assert rc == 0
    html = html_of(md)
    assert html.startswith("<h2>mlinfra diff --all against <code>HEAD</code></h2>\n"
                           "<p>2 changed (dev, staging), 2 unchanged.</p>")
    assert html.count("<h3>mlinfra diff: <code>") == 2
    # the cost change rides in the comment the workflow posts (figures as in the test above)
    assert "<strong>Monthly cost: +$35.77/month" in html
    assert "<strong>Monthly cost: +$46.72/month" in html
    rc, text, _ = run_cli(repo, "diff", "--all", "--format", "json")
    doc = json.loads(text)
    assert (rc, doc["format"], doc["against"], doc["exit"]) == (0, "mlinfra.diff-all/v1",
                                                              "HEAD", 0)
    assert [(s["environment"], s["status"], s["exit"]) for s in doc["stacks"]] == [
        ("dev", "changed", 0), ("staging", "changed", 0)]
    assert doc["unchanged"] == ["perf", "prod"]
    store = doc["stacks"][0]["diff"]["changes"][0]
    assert (store["name"], store["action"]) == ("ml-session-storage", "update")
    assert store["args"] == [{"key": "memory_size_gb", "old": 1, "new": 2,
                              "verdict": "update", "why": store["args"][0]["why"],
                              "deferred": False}]


def test_added_removed_and_broken_stacks_are_listed_and_the_worst_exit_wins(repo):
    (repo / "environments" / "perf.yaml").unlink()
    (repo / "environments" / "qa.yaml").write_text(
        (repo / "environments" / "dev.yaml").read_text().replace("environment: dev\n", ""))
    edit(repo, "staging.yaml", "extends: _base", "extends: _base\nregion_typo: x")
    rc, out, _ = run_cli(repo, "diff", "--all")
    assert rc == 1  # staging cannot be compared
    assert out.splitlines()[0] == ("diff --all against HEAD: 1 added (qa), 1 error "
                                   "(staging), 1 removed (perf), 2 unchanged")
    assert ("perf: environments/perf.yaml is gone: its stack and resources stay until "
            "destroyed, by pulumi destroy --stack perf") in out
    assert "staging: environments/staging.yaml does not compile\n" \
           "environments/staging.yaml:" in out
    assert "[MLC201]" in out  # the unknown key, in the report itself
    assert "diff qa: environments/qa.yaml at HEAD -> working tree" in out
    # a refused change anywhere (3) is worse than a stack that cannot be compared (1)
    edit(repo, "prod.yaml", "profile: production", "profile: development")
    rc, out, _ = run_cli(repo, "diff", "--all")
    assert rc == 3 and "[MLC604]" in out
    rc, _, _ = run_cli(repo, "diff", "--all", "--allow-downgrade",
                       "--allow-replace", "ml-session-storage",
                       "--allow-replace", "ml-training-dlq",
                       "--allow-replace", "ml-training-dlq-sub")
    assert rc == 1  # back to the broken stack


def test_nothing_changed_is_exit_0_and_says_so(repo):
    rc, out, _ = run_cli(repo, "diff", "--all")
    assert (rc, out) == (0, "diff --all against HEAD: 4 unchanged\n")


@pytest.mark.parametrize("args", [("diff",), ("diff", "prod", "--all")])
def test_one_environment_or_all(repo, args):
    rc, _, err = run_cli(repo, *args)
    assert rc == 2 and "name one environment (`mlinfra diff prod`) or --all" in err


def test_one_diff_as_json(repo):
    edit(repo, "prod.yaml", "profile: production", "profile: development")
    rc, text, _ = run_cli(repo, "diff", "prod", "--format", "json")
    doc = json.loads(text)
    assert rc == 3
    assert list(doc) == ["format", "environment", "baseline", "production", "profile",
                         "changes", "counts", "hints", "monthly_cost", "refusals", "blocked"]
    assert doc["profile"]["old"] == "production" and doc["profile"]["downgrade"] is True
    assert doc["blocked"] is True
    assert doc["refusals"][0].endswith("[MLC604]")
    # (the deletions include the queue's and its dead-letter queue's TLS-deny policies,
    # which only production has: issue 27)
    assert doc["counts"] == {"create": 0, "import": 0, "update": 5, "replace": 1,
                             "delete": 7}


def test_hostile_text_in_a_broken_stack_stays_text_in_the_comment(repo):
    edit(repo, "dev.yaml", "extends: _base", "extends: _base\n"
         "\"</details><h2>safe to merge</h2>`x`\": 1")
    rc, md, _ = run_cli(repo, "diff", "--all", "--format", "markdown")
    assert rc == 1
    html = html_of(md)
    assert "<h2>safe" not in html and "</details><h2>" not in html
    assert "&lt;/details&gt;&lt;h2&gt;safe to merge&lt;/h2&gt;" in html


def test_the_workflows_post_diff_all_as_the_comment(tmp_path):
    from mlinfra_compile.init import init

    init(str(tmp_path / "team"))
    docs = [yaml.safe_load((REPO / "docs" / "github-actions.yml").read_text()),
            yaml.safe_load((tmp_path / "team" / ".github" / "workflows" /
                            "mlinfra.yml").read_text())]
    for doc in docs:
        steps = [s for job in doc["jobs"].values() for s in job["steps"]]
        runs = [s["run"] for s in steps if "run" in s]
        assert any('mlinfra diff --all --against "origin/$BASE_REF" --format markdown '
                   "> review.md" in r for r in runs)
        assert not any("${{" in r for r in runs)  # never expanded into a shell
        comment = next(s for s in steps if "sticky-pull-request-comment" in s.get("uses", ""))
        assert comment["with"]["path"] == "review.md"
        assert any(r == 'exit "$STATUS"' for r in runs)  # the refusal still fails the job


def test_allow_replace_can_name_the_stack_it_holds_in(repo):
    # (found in review) _base gives every stack the same declaration names: moving the
    # region replaces ml-session-storage in prod and in staging, both production
    edit(repo, "_base.yaml", "region: us-central1", "region: us-east1")
    edit(repo, "prod.yaml", "    region: us-central1", "    region: us-east1")
    edit(repo, "prod.yaml", "locations/us-central1/", "locations/us-east1/")  # its KMS key
    rc, out, _ = run_cli(repo, "diff", "--all")
    assert rc == 3
    refused = [line for line in out.splitlines() if "[MLC601]" in line
               and "replace ml-session-storage" in line]
    assert [line.split(" is a ")[0] for line in refused] == ["refused: prod",
                                                              "refused: staging"]
    rc, out, _ = run_cli(repo, "diff", "--all", "--allow-replace", "prod:ml-session-storage")
    assert rc == 3 and "refused: prod is" not in out and "refused: staging is" in out
    rc, _, _ = run_cli(repo, "diff", "--all", "--allow-replace", "prod:ml-session-storage",
                       "--allow-replace", "staging:ml-session-storage")
    assert rc == 0
    assert run_cli(repo, "diff", "--all", "--allow-replace", "ml-session-storage")[0] == 0


def test_the_ref_is_read_as_the_working_tree_is(repo):
    # (found in review) a link between environments, a partial whose name git would
    # quote, and the size limit, at the ref as in the working tree
    env = repo / "environments"
    (env / "_bäse.yaml").write_text((env / "_base.yaml").read_text())
    edit(repo, "dev.yaml", "extends: _base", "extends: _bäse")
    (repo / "stacks").mkdir()
    (repo / "stacks" / "qa.yaml").write_text(
        (env / "dev.yaml").read_text().replace("environment: dev\n", ""))
    (env / "qa.yaml").symlink_to("../stacks/qa.yaml")
    (env / "big.yaml").write_text("#" * (1024 * 1024 + 1) + "\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "links, names, sizes")
    (env / "big.yaml").write_text((repo / "stacks" / "qa.yaml").read_text())  # now small
    rc, out, _ = run_cli(repo, "diff", "--all")
    assert rc == 1, out
    # qa (the link) and dev compile at the ref and now: unchanged
    assert out.splitlines()[0] == ("diff --all against HEAD: 1 error (big), 5 unchanged")
    assert "big: big at HEAD does not compile" in out
    assert "[MLC101]" in out and "the limit is 1048576 bytes (1 MiB)" in out


def test_a_link_out_of_the_repository_is_not_read_at_the_ref(repo, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text((repo / "environments" / "dev.yaml").read_text())
    (repo / "environments" / "qa.yaml").symlink_to(outside)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a link out")
    rc, out, _ = run_cli(repo, "diff", "--all")
    assert rc == 1
    assert "outside the repository" in out and "[MLC115]" in out


def test_text_output_shows_control_characters_in_names(repo):
    env = repo / "environments"
    (env / "dev.yaml").rename(env / "x\n::error::forged.yaml")
    rc, out, _ = run_cli(repo, "diff", "--all")
    assert rc == 1
    assert "\n::error::" not in out and "::error::forged" in out


def test_no_environments_anywhere_is_an_error(tmp_path):
    root = tmp_path / "empty"
    (root / "environments").mkdir(parents=True)
    (root / "README").write_text("x")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "x")
    rc, out, err = run_cli(root, "diff", "--all")
    assert (rc, out) == (2, "")
    assert "no environment files in environments/, now or at HEAD" in err


# --- the JSON formats, whole (make mutate showed keys and layout untested) ---------------

OLD = {"environment": "prod", "profile": "production", "resources": [
    {"name": "a", "type": "aws:sqs/queue:Queue", "options": {"protect": True},
     "args": {"delay_seconds": 0, "region": "us-east-1"}},
    {"name": "t", "type": "gcp:pubsub/topic:Topic", "args": {"name": "x", "project": "p"},
     "options": {}}]}
NEW = {"environment": "prod", "profile": "development", "resources": [
    {"name": "b", "type": "aws:sqs/queue:Queue", "options": {"aliases": ["a"]},
     "args": {"delay_seconds": 90, "region": "us-east-1"}},
    {"name": "c", "type": "aws:sqs/queue:Queue", "args": {"name": "c", "region": "us-east-1"},
     "options": {"import": "https://sqs.us-east-1.amazonaws.com/123456789012/c"}},
    {"name": "g", "type": "gcp:pubsub/topicIAMMember:TopicIAMMember", "options": {},
     "args": {"member": "user:ä@b.c", "role": "roles/x", "topic": "x", "project": "p"}},
    {"name": "t", "type": "aws:sns/topic:Topic", "args": {"name": "x", "region": "us-east-1"},
     "options": {}}]}
RULES = ("the production rules (MLC5xx: high availability, AUTH, TLS, protection, dead "
         "letters, a named network)")
NEXT = ("the refusal of replacements and deletions of stateful resources (MLC601) from the "
        "next change on")


def test_one_diff_as_json_holds_every_field_of_every_change():
    # read from the two graphs by hand: a renamed queue updated in place (and unprotected
    # by the downgrade), an import, a grant created, a topic moved to the other cloud
    from mlinfra_compile.diff import diff_graphs
    from mlinfra_compile.diffall import diff_json

    text = diff_json(diff_graphs(OLD, NEW, "t"), set())
    arg = {"verdict": "update", "why": "", "deferred": False}
    moved = "another cloud: created there, deleted here"
    none = {"renamed_from": None, "imported": None, "grant": None, "old_type": None}
    assert json.loads(text) == {
        "format": "mlinfra.diff/v1", "environment": "prod", "baseline": "t",
        "production": True,
        "profile": {"old": "production", "new": "development", "downgrade": True,
                    "drops": ["protect on b", RULES, NEXT]},
        "changes": [
            {"name": "b", "type": "aws:sqs/queue:Queue", "action": "update", **none,
             "renamed_from": "a",
             "args": [{"key": "delay_seconds", "old": 0, "new": 90, **arg},
                      {"key": "options.protect", "old": True, "new": None, **arg}]},
            {"name": "c", "type": "aws:sqs/queue:Queue", "action": "import", **none,
             "imported": "https://sqs.us-east-1.amazonaws.com/123456789012/c", "args": []},
            {"name": "g", "type": "gcp:pubsub/topicIAMMember:TopicIAMMember",
             "action": "create", **none, "grant": "roles/x for user:ä@b.c", "args": []},
            {"name": "t", "type": "aws:sns/topic:Topic", "action": "replace", **none,
             "old_type": "gcp:pubsub/topic:Topic",
             "args": [{"key": "type", "old": "gcp:pubsub/topic:Topic",
                       "new": "aws:sns/topic:Topic", "verdict": "replace", "why": moved,
                       "deferred": False}]}],
        "counts": {"create": 1, "import": 1, "update": 1, "replace": 1, "delete": 0},
        "hints": [],
        "monthly_cost": "+$0.00/month (1 change not known: no figure on one side)",
        "refusals": [
            f"refused: prod goes from production to development, which drops protect on b; "
            f"{RULES}; {NEXT}; rerun with --allow-downgrade if you mean it [MLC604]",
            f"refused: prod is a production environment and this would replace t (type: "
            f"{moved}), losing its data; rerun with --allow-replace t if you mean it "
            "[MLC601]"],
        "blocked": True}
    # two-space indent, keys in the order people read them, UTF-8 as it is, a newline
    assert text.startswith('{\n  "format": "mlinfra.diff/v1",\n  "environment": "prod",')
    assert '"grant": "roles/x for user:ä@b.c"' in text and text.endswith("}\n")


def test_the_report_as_json_for_each_kind_of_stack(repo):
    env = repo / "environments"
    (env / "perf.yaml").unlink()
    (env / "qa.yaml").write_text((env / "dev.yaml").read_text().replace(
        "environment: dev\n", ""))
    (env / "staging.yaml").write_text("extends: _base\nlabels: {team: é}\n")
    rc, text, _ = run_cli(repo, "diff", "--all", "--format", "json")
    doc = json.loads(text)
    assert rc == doc["exit"] == 1
    by = {s["environment"]: s for s in doc["stacks"]}
    assert by["perf"] == {"environment": "perf", "status": "removed", "exit": 0,
                          "note": "environments/perf.yaml is gone: its stack and resources "
                                  "stay until destroyed, by pulumi destroy --stack perf",
                          "errors": [], "diff": None}
    assert (by["qa"]["status"], by["qa"]["exit"], by["qa"]["note"], by["qa"]["errors"]) == \
        ("added", 0, None, [])
    assert by["qa"]["diff"]["counts"]["create"] == len(by["qa"]["diff"]["changes"]) > 0
    assert (by["staging"]["status"], by["staging"]["exit"], by["staging"]["diff"]) == \
        ("error", 1, None)
    assert by["staging"]["note"] == "environments/staging.yaml does not compile"
    assert any("label value 'é'" in e or "'é'" in e for e in by["staging"]["errors"])
    assert "é" in text and text.startswith('{\n  "format": "mlinfra.diff-all/v1",\n')
    assert doc["unchanged"] == ["dev", "prod"]


def test_the_text_report_is_one_block_per_stack(repo):
    edit(repo, "_base.yaml", "memory: 1GiB", "memory: 2GiB")
    _, out, _ = run_cli(repo, "diff", "--all")
    blocks = out.split("\n\n")
    assert blocks[0] == "diff --all against HEAD: 2 changed (dev, staging), 2 unchanged"
    assert blocks[1].startswith("diff dev: ") and blocks[2].startswith("diff staging: ")


def test_the_json_report_weighs_each_stack_with_its_own_allowances(repo):
    # (make mutate) prod's refusal is lifted by prod:NAME in the JSON too, staging's not
    edit(repo, "_base.yaml", "region: us-central1", "region: us-east1")
    edit(repo, "prod.yaml", "    region: us-central1", "    region: us-east1")
    edit(repo, "prod.yaml", "locations/us-central1/", "locations/us-east1/")
    rc, text, _ = run_cli(repo, "diff", "--all", "--format", "json",
                          "--allow-replace", "prod:ml-session-storage")
    by = {s["environment"]: s for s in json.loads(text)["stacks"]}
    assert rc == 3
    assert (by["prod"]["exit"], by["prod"]["diff"]["blocked"], by["prod"]["diff"]["refusals"]) \
        == (0, False, [])
    assert by["staging"]["exit"] == 3 and by["staging"]["diff"]["refusals"][0].startswith(
        "refused: staging is a production environment and this would replace "
        "ml-session-storage")


def test_a_ref_before_any_environment_shows_every_stack_added(tmp_path):
    # (make mutate) environments now, none at the ref: every stack is added, no error
    root = tmp_path / "r"
    root.mkdir()
    (root / "README").write_text("x")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "before environments")
    import shutil

    shutil.copytree(REPO / "environments", root / "environments")
    rc, out, _ = run_cli(root, "diff", "--all")
    assert rc == 0
    assert out.splitlines()[0] == ("diff --all against HEAD: 4 added (dev, perf, prod, "
                                   "staging), 0 unchanged")
