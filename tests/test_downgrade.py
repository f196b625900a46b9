"""Downgrades are changes (issue 24, point 6): a profile change from production to
development is one line of every diff format and is refused (exit 3, MLC604) unless
--allow-downgrade."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import edit, git, run_cli

# An SQS queue with its dead letters written out: production and development compile the
# same resources, so the downgrade alone is what diff weighs (retention 14d -> 4d and
# protect true -> false are both in place).
QUEUE = ("providers:\n"
         "  aws: {region: us-east-1}\n"
         "profile: %s\n"
         "queues:\n"
         "  jobs: {dead_letter: {max_receives: 5}}\n")


def repo(tmp_path: Path, before: str, after: str) -> Path:
    root = tmp_path / "repo"
    (root / "environments").mkdir(parents=True)
    (root / "environments" / "prod.yaml").write_text(QUEUE % before)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "before")
    edit(root, "prod.yaml", f"profile: {before}", f"profile: {after}")
    return root


DROPS = ("protect on jobs, jobs-dlq; the production rules (MLC5xx: high availability, "
         "AUTH, TLS, protection, dead letters, a named network); the refusal of "
         "replacements and deletions of stateful resources (MLC601) from the next change on")


def test_a_downgrade_is_refused_and_says_what_it_drops(tmp_path):
    root = repo(tmp_path, "production", "development")
    rc, out, _ = run_cli(root, "diff", "prod")
    assert rc == 3
    lines = out.splitlines()
    assert lines[1] == f"profile: production -> development (a downgrade: it drops {DROPS})"
    assert lines[-1] == (f"refused: prod goes from production to development, which drops "
                         f"{DROPS}; rerun with --allow-downgrade if you mean it [MLC604]")
    assert "  ~ jobs  aws:sqs/queue:Queue  update" in lines
    assert "      message_retention_seconds: 1209600 -> 345600  in place" in lines


def test_allow_downgrade_lets_it_through_and_still_shows_it(tmp_path):
    root = repo(tmp_path, "production", "development")
    rc, out, _ = run_cli(root, "diff", "prod", "--allow-downgrade")
    assert rc == 0
    assert out.splitlines()[1].startswith("profile: production -> development (a downgrade")
    assert "MLC604" not in out


def test_an_upgrade_is_shown_and_not_refused(tmp_path):
    root = repo(tmp_path, "development", "production")
    rc, out, _ = run_cli(root, "diff", "prod")
    assert rc == 0
    assert out.splitlines()[1] == "profile: development -> production"
    assert "MLC604" not in out


def test_no_profile_line_without_a_profile_change(tmp_path):
    root = repo(tmp_path, "production", "production")
    rc, out, _ = run_cli(root, "diff", "prod")
    assert (rc, out.splitlines()[1]) == (0, "no changes")


def test_the_downgrade_is_one_line_of_the_markdown_comment(tmp_path):
    import cmarkgfm
    from cmarkgfm.cmark import Options

    root = repo(tmp_path, "production", "development")
    rc, md, _ = run_cli(root, "diff", "prod", "--format", "markdown")
    assert rc == 3
    html = cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)
    assert ("<p><strong>Profile:</strong> <code>production</code> → <code>development</code>"
            " (a downgrade: it drops protect on jobs, jobs-dlq; ") in html
    assert "<table>" in html  # the profile paragraph does not swallow the table
    assert ("<p><strong>Refused:</strong> <code>prod</code> goes from production to "
            "development. Rerun with <code>--allow-downgrade</code> if that is intended. "
            "(MLC604)</p>") in html


@pytest.mark.parametrize("old, new, downgrade", [
    ("production", "development", True), ("development", "production", False),
    ("development", "development", False), ("production", "production", False)])
def test_only_production_to_development_is_a_downgrade(old, new, downgrade):
    from mlinfra_compile.diff import ProfileChange

    assert ProfileChange(old, new).downgrade is downgrade
