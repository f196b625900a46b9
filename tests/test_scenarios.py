"""Change-safety scenarios, the scope of rules and waivers, and hostile text in every
field of every machine format: the classes of planted bug the suite used to miss."""

from __future__ import annotations

import json
import re

from mlinfra_compile.diff import diff_graphs
from mlinfra_compile.graph import Graph, Resource
from tests.golden import REPO, edit, git, run_cli

HOSTILE = 'a"b\\c<d>&e|f`g\nh\ri::j[k](l)*m_n'




# --- change safety -----------------------------------------------------------------------

def test_a_pubsub_rename_with_previous_names_keeps_every_resource(repo_git):
    """The bug found by planting: the baseline's references must follow the renames, or
    the subscriptions read as REPLACE and production refuses."""
    for f in ("_base.yaml", "dev.yaml", "prod.yaml", "staging.yaml"):
        edit(repo_git, f, "  ml-training:\n",
             "  training-events:\n    previous_names: [ml-training]\n")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 0, out
    assert "REPLACE" not in out and "DELETE" not in out
    assert "0 to create, 8 to update in place, 0 to replace, 0 to delete" in out
    assert "~ training-events-trainers  gcp:pubsub/subscription:Subscription  update " \
           "(renamed from ml-training-trainers" in out


def test_a_profile_change_between_the_two_sides_is_production_if_either_is(repo_git):
    edit(repo_git, "prod.yaml", "profile: production", "profile: development")
    edit(repo_git, "prod.yaml", "    tier: standard_ha", "    tier: basic")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 3, out  # the baseline was production: replacing its store is refused
    assert "refused: prod is a production environment and this would replace " \
           "ml-session-storage (tier: forces replacement; transit_encryption_mode: " in out


def test_protect_changes_are_reported_in_place(repo_git):
    edit(repo_git, "dev.yaml", "queues:\n", "queues:\n  extra-jobs: {provider: aws}\n")
    git(repo_git, "commit", "-qam", "extra")
    edit(repo_git, "dev.yaml", "  extra-jobs: {provider: aws}\n",
         "  extra-jobs: {provider: aws, protect: true}\n")
    rc, out, _ = run_cli(repo_git, "diff", "dev")
    assert rc == 0
    assert "~ extra-jobs  aws:sqs/queue:Queue  update" in out
    assert "options.protect: false -> true  in place" in out


def test_generated_resources_follow_their_declaration(repo_git):
    """Turning dead letters on creates the dead-letter queue and changes the source's
    redrive policy in place; turning them off deletes the DLQ (refused in production)."""
    edit(repo_git, "prod.yaml", "    dead_letter:\n      max_receives: 5\n",
         "    dead_letter: false\n")
    edit(repo_git, "prod.yaml", "labels:\n  criticality: high\n",
         "labels:\n  criticality: high\nwaivers:\n  - {rule: MLC505, resource: "
         "ml-training-queue, reason: \"replayed from the data lake\"}\n")
    rc, out, _ = run_cli(repo_git, "diff", "prod")
    assert rc == 3
    assert "  - ml-training-queue-dlq  aws:sqs/queue:Queue  DELETE" in out
    assert "redrive_policy: json(" in out and "-> (unset)  in place" in out
    assert "would delete ml-training-queue-dlq" in out


def test_every_markdown_row_is_rendered(repo_git):
    """A create, an update, a replace, a delete, a rename, a refusal and a hint each have
    their row in the pull-request comment."""
    edit(repo_git, "dev.yaml", "queues:\n", "queues:\n  old-jobs: {provider: aws}\n"
                                            "  gone: {provider: aws}\n")
    git(repo_git, "commit", "-qam", "more")
    edit(repo_git, "dev.yaml", "  old-jobs: {provider: aws}\n  gone: {provider: aws}\n",
         "  new-jobs: {provider: aws, previous_names: [old-jobs]}\n"
         "  fresh: {provider: aws, fifo: true}\n")
    edit(repo_git, "_base.yaml", "    delay: 90s", "    delay: 120s")
    rc, out, _ = run_cli(repo_git, "diff", "dev", "--format", "markdown")
    assert rc == 0
    for row in ("| ➕ | `fresh` |", "| ✏️ | `ml-training-queue` |",
                "| 🗑️ | `gone` |", "**update** (renamed from `old-jobs`)",
                "| `delay_seconds` | `90` | `120` | in place |"):
        assert row in out, row
    assert "**Hint:**" in out


# --- scope of rules and waivers ------------------------------------------------------------

def test_a_waiver_covers_its_resource_and_rule_only(tmp_path):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "prod.yaml").write_text(
        "profile: production\nproviders:\n  gcp: {project: acme-ml-test, region: "
        "us-central1}\nsession_stores:\n  aa: {tier: basic, auth: false}\n"
        "  bb: {tier: basic}\nwaivers:\n  - {rule: MLC501, resource: aa, "
        "reason: rebuilt nightly}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    lines = out.splitlines()
    assert not any("session_stores.aa.tier" in line for line in lines)  # waived
    assert any("session_stores.bb.tier" in line and "[MLC501]" in line for line in lines)
    assert any("session_stores.aa.auth" in line and "[MLC502]" in line for line in lines)


def test_a_waiver_in_a_partial_does_not_waive_the_stacks(tmp_path):
    env = tmp_path / "environments"
    env.mkdir()
    (env / "_base.yaml").write_text("waivers:\n  - {rule: MLC501, resource: aa, "
                                    "reason: rebuilt nightly}\n")
    (env / "prod.yaml").write_text(
        "extends: _base\nprofile: production\nproviders:\n  gcp: {project: acme-ml-test, "
        "region: us-central1}\nsession_stores:\n  aa: {tier: basic}\nwaivers: []\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1 and "[MLC501]" in out


def test_one_store_breaking_a_rule_does_not_flag_the_others(tmp_path):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "prod.yaml").write_text(
        "profile: production\nproviders:\n  aws: {region: us-east-1}\nqueues:\n"
        "  aa: {dead_letter: false}\n  bb: {}\n  cc: {dead_letter: {max_receives: 3}}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert [line.split(": ")[2] for line in out.splitlines() if "[MLC505]" in line] == \
        ["queues.aa.dead_letter"]


# --- hostile text in every field of the machine formats -----------------------------------

def _graph(name: str = HOSTILE) -> Graph:
    a = Resource(name, "gcp:pubsub/topic:Topic", {"labels": {"k": name}}, {"protect": True},
                 f"environments/{name}.yaml:1:1", kind="topic", declaration=name)
    b = Resource("sub", "gcp:pubsub/subscription:Subscription",
                 {"topic": {"$ref": name, "attr": "name"}}, {}, "environments/x.yaml:1:1",
                 kind="subscription", declaration=name)
    return Graph(name, "production", (a, b), {})


def test_mermaid_and_dot_keep_hostile_names_inside_their_labels():
    from mlinfra_compile.picture import dot, mermaid

    text = mermaid(_graph())
    for line in text.splitlines()[1:]:
        outside = re.sub(r'"[^"\n]*"', "LABEL", line)  # each label closes on its line
        assert '"' not in outside and "<" not in outside, line
        assert re.fullmatch(r'  r\d+\[LABEL\]|  r\d+ -->\|LABEL\| r\d+', outside), line
    assert "#quot;" in text and "#lt;d#gt;" in text
    text = dot(_graph())
    assert text.count("\n") == len(text.splitlines())  # no raw newline from a name
    for line in text.splitlines()[3:-1]:
        outside = re.sub(r'"(?:[^"\\]|\\.)*"', "Q", line)
        assert '"' not in outside, line


def test_github_annotations_escape_every_field():
    from mlinfra_compile.diagnostics import Diagnostic

    d = Diagnostic(f"environments/{HOSTILE}.yaml", 3, 4, "MLC204", HOSTILE, HOSTILE)
    line = d.render_github()
    assert "\n" not in line and "\r" not in line
    head, _, message = line.partition("::")[2].partition("::")
    assert head.startswith("error file=environments/a")
    props = dict(p.split("=", 1) for p in head.removeprefix("error ").split(","))
    assert set(props) == {"file", "line", "col", "title"}  # no `,` or `:` broke out
    assert "%0A" in message and "%0D" in message


def test_json_diagnostics_round_trip_hostile_text():
    from mlinfra_compile.diagnostics import Diagnostic, render

    d = Diagnostic(HOSTILE, 1, 2, "MLC204", HOSTILE, HOSTILE)
    doc = json.loads(render([d], "json"))
    assert doc["diagnostics"] == [{"file": HOSTILE, "line": 1, "column": 2, "code": "MLC204",
                                   "path": HOSTILE, "message": HOSTILE, "severity": "error"}]


def test_a_graph_against_itself_is_no_change():
    _, out, _ = run_cli(REPO, "compile", "prod")
    g = json.loads(out)
    assert diff_graphs(g, json.loads(json.dumps(g)), "t").changes == []
