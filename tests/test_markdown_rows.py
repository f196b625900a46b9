"""Rows of the markdown reports that only some changes print, each in-process (what the
template mutants found unchecked): no change, an allowed downgrade, a provider's refusal,
a production deletion, a rename hint, a hostile base ref, a cost with usage and with
resources of several lines, waivers that waive nothing and one that does. The expected
lines are read off the shipped environments by hand; cmark-gfm (GitHub's renderer)
checks what a reader sees where the escaping matters."""

from __future__ import annotations

import shutil
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from tests.golden import CASES, edit, git, run_cli


def html(md: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)


@pytest.fixture
def shipped(repo_git: Path) -> Path:
    """The shipped environments, committed in a git repository of their own."""
    return repo_git


def diff_md(root: Path, env: str = "prod", *args: str) -> tuple[int, list[str]]:
    code, out, _ = run_cli(root, "diff", env, "--format", "markdown", *args)
    return code, out.splitlines()


def test_no_change_says_so_under_the_heading(shipped):
    code, lines = diff_md(shipped)
    assert code == 0
    assert lines[:4] == ["### mlinfra diff: `prod` against environments/prod.yaml at HEAD",
                         "", "No changes.",
                         "0 to create, 0 to update in place, 0 to replace, 0 to delete."]


def test_an_allowed_downgrade_opens_with_the_profile_change_and_what_it_drops(shipped):
    edit(shipped, "prod.yaml", "profile: production", "profile: development")
    code, lines = diff_md(shipped, "prod", "--allow-downgrade")
    assert code == 3  # (the store's replacement is still refused)
    assert lines[2].startswith(
        "**Profile:** `production` → `development` (a downgrade: it drops protect on "
        "ml-session-storage, ml-training, ")
    assert lines[2].endswith("the refusal of replacements and deletions of stateful "
                             "resources (MLC601) from the next change on)")
    assert lines[3:5] == ["", "| | resource | type | action |"]
    refused = ("> **Refused:** this production change would replace `ml-session-storage` "
               "(transit\\_encryption\\_mode: forces replacement) and lose its data. Rerun "
               "with `--allow-replace ml-session-storage` if that is intended. (MLC601)")
    assert refused in lines
    assert "(transit_encryption_mode: forces replacement)" in html(refused)  # (no emphasis)


def test_a_change_the_provider_refuses_names_its_argument_resource_and_reason(shipped):
    edit(shipped, "prod.yaml", "    memory: 1GiB", "    memory: 5GiB\n    replicas: 2")
    git(shipped, "commit", "-qam", "replicas")
    edit(shipped, "prod.yaml", "    replicas: 2", "    replicas: 0")
    code, lines = diff_md(shipped)
    assert code == 3
    assert lines[-1] == (
        "> **Refused:** the provider would reject the change of `read_replicas_mode` on "
        "`ml-session-storage`: Memorystore cannot turn read replicas off once they are on "
        "(the API refuses the update); keep replicas &gt;= 1, or declare a new store without "
        "replicas and move clients to it (MLC603)")


def test_a_production_deletion_is_refused_by_name(shipped):
    edit(shipped, "prod.yaml", "  ml-training-queue:\n    dead_letter:\n      max_receives: 5\n",
         "  ml-training-queue: null\n")
    code, lines = diff_md(shipped)
    assert code == 3
    assert lines[-2:] == [
        f"> **Refused:** this production change would delete `{name}` and lose its data. "
        f"Rerun with `--allow-replace {name}` if that is intended. (MLC601)"
        for name in ("ml-training-queue", "ml-training-queue-dlq")]


def test_a_rename_hint_is_text_whose_markup_shows_as_written(shipped):
    edit(shipped, "_base.yaml", "  ml-session-storage:", "  ml-session-cache:")
    code, lines = diff_md(shipped, "dev")
    assert code == 0
    hint = ("if ml-session-storage was renamed to ml-session-cache, add `previous_names: "
            "[ml-session-storage]` to the declaration of ml-session-cache: Pulumi then keeps "
            "its resources and their data instead of deleting them")
    assert lines[-1].startswith("> **Hint:** ")
    assert f"<blockquote>\n<p><strong>Hint:</strong> {hint}</p>\n</blockquote>" in \
        html("\n".join(lines))


def test_a_base_ref_holding_markup_is_shown_as_text(shipped):
    ref = "x|y_z@team`q"  # (a name git accepts: check-ref-format forbids none of these)
    git(shipped, "branch", ref)
    code, lines = diff_md(shipped, "dev", "--against", ref)
    assert code == 0
    rendered = html(lines[0])
    assert rendered == ("<h3>mlinfra diff: <code>dev</code> against environments/dev.yaml "
                        "at x|<code>y_z@team</code>`q</h3>\n")  # no mention, no broken code


def test_a_cost_with_usage_says_how_much_of_it_is_estimated(shipped):
    edit(shipped, "_base.yaml", "    visibility_timeout: 30s\n",
         "    visibility_timeout: 30s\n"
         "    usage: {messages_per_month: 5000000, average_message_size: 2KiB}\n")
    code, out, _ = run_cli(shipped, "cost", "prod", "--format", "markdown")
    assert code == 0
    # $46.72 (the store) + 5M messages x 3 requests (send, receive, delete) x $0.40/M
    assert out.splitlines()[2].startswith(
        "Estimated **\\$52.72/month**, \\$6.00 of it estimated from usage: (USD, ")
    assert "<p>Estimated <strong>$52.72/month</strong>, $6.00 of it estimated from usage:" \
        in html(out)


def test_a_resource_of_several_lines_names_itself_once(tmp_path):
    shutil.copytree(CASES / "ok-cost-every-price" / "environments", tmp_path / "environments")
    code, out, _ = run_cli(tmp_path, "cost", "main", "--format", "markdown")
    assert code == 0
    rows = out.splitlines()
    at = rows.index("| `fifo-fanout` | `aws:sns/topic:Topic` | 1 million requests | "
                    "\\$0.30 per million requests | \\$0.30 |")
    # the payload line: 1M messages x 1 KiB = 1.024e9 bytes = 0.953674 x 2^30
    assert rows[at + 1] == "|  |  | 0.953674 GB | \\$0.017 per GB | \\$0.02 |"


def test_a_waiver_from_a_partial_that_waives_nothing_says_so(shipped):
    edit(shipped, "_base.yaml", "session_stores:",
         'waivers:\n  - {rule: MLC501, resource: ml-session-storage, reason: "budget *later*"}'
         "\nsession_stores:")
    code, out, _ = run_cli(shipped, "plan", "prod", "--format", "markdown")
    assert code == 0
    assert out.splitlines()[-1] == ("- MLC501 for `ml-session-storage`: budget \\*later\\* "
                                    "(environments/\\_base.yaml:15:5) (waives nothing)")


def test_a_waiver_that_waives_a_finding_says_nothing_more(shipped):
    code, out, _ = run_cli(shipped, "plan", "staging", "--format", "markdown")
    assert code == 0
    assert out.splitlines()[-1] == (
        "- MLC505 for `ml-training`: the metrics exporter is best-effort; a poison message "
        "may be dropped (environments/staging.yaml:13:5)")


def test_diff_all_shows_a_removed_and_a_broken_stack_in_sections_of_their_own(shipped):
    (shipped / "environments" / "perf.yaml").unlink()
    edit(shipped, "staging.yaml", "extends: _base", "extends: _base\nregion_typo: x\nzone_typo: y")
    code, out, _ = run_cli(shipped, "diff", "--all", "--format", "markdown")
    assert code == 1
    assert out.split("\n### ")[1:] == [
        "`perf`: removed\n\nenvironments/perf.yaml is gone: its stack and resources stay "
        "until destroyed, by pulumi destroy --stack perf.\n",
        "`staging`: error\n\nenvironments/staging.yaml does not compile.\n\n"
        "- environments/staging.yaml:4:1: error: region\\_typo: unknown key "
        "'region\\_typo'; expected one of: extends, environment, profile, providers, "
        "default\\_provider, labels, name\\_template, waivers, exports, session\\_stores, "
        "queues \\[MLC201\\]\n"
        "- environments/staging.yaml:5:1: error: zone\\_typo: unknown key "
        "'zone\\_typo'; expected one of: extends, environment, profile, providers, "
        "default\\_provider, labels, name\\_template, waivers, exports, session\\_stores, "
        "queues \\[MLC201\\]\n"]


def test_diff_all_takes_an_allowance_in_the_stack_it_names_only(shipped):
    # moving the region replaces ml-session-storage in prod and in staging (both
    # production); the allowance names prod's
    edit(shipped, "_base.yaml", "region: us-central1", "region: us-east1")
    edit(shipped, "prod.yaml", "    region: us-central1", "    region: us-east1")
    edit(shipped, "prod.yaml", "locations/us-central1/", "locations/us-east1/")
    code, out, _ = run_cli(shipped, "diff", "--all", "--format", "markdown",
                           "--allow-replace", "prod:ml-session-storage")
    assert code == 3
    sections = {s.split("`")[1]: s for s in out.split("### mlinfra diff: ")[1:]}
    refused = "> **Refused:** this production change would replace `ml-session-storage` ("
    assert refused not in sections["prod"] and refused in sections["staging"]
    code, out, _ = run_cli(shipped, "diff", "--all", "--format", "markdown")
    assert code == 3  # (without the allowance, prod's is refused too)
    sections = {s.split("`")[1]: s for s in out.split("### mlinfra diff: ")[1:]}
    assert refused in sections["prod"] and refused in sections["staging"]


def _first_waiver(root, env: str) -> str:
    code, out, _ = run_cli(root, "plan", env)
    assert code == 0
    lines = out.splitlines()
    return lines[lines.index("Waivers:") + 1]


def test_plan_text_says_which_waivers_waive_nothing(shipped):
    # the text plan's Waivers block: `RULE for RESOURCE: reason  [file:line:col]`, and two
    # spaces and "(waives nothing)" after one that waives nothing
    edit(shipped, "_base.yaml", "session_stores:",
         'waivers:\n  - {rule: MLC501, resource: ml-session-storage, reason: "budget later"}'
         "\nsession_stores:")
    assert _first_waiver(shipped, "prod") == (
        "  MLC501 for ml-session-storage: budget later  [environments/_base.yaml:15:5]  "
        "(waives nothing)")
    assert _first_waiver(shipped, "staging") == (
        "  MLC505 for ml-training: the metrics exporter is best-effort; a poison message may "
        "be dropped  [environments/staging.yaml:13:5]")
