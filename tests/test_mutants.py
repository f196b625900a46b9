"""Tests written against the mutants `make mutate` found alive: each pins a behaviour a
mutant changed without any other test noticing (see docs/testing.md)."""

from __future__ import annotations

from mlinfra_compile.diff import diff_graphs
from mlinfra_compile.difftext import diff_text
from mlinfra_compile.providers import aws_elasticache, aws_sqs, gcp_redis
from tests.golden import graph_doc, resource_doc

graph, res = graph_doc, resource_doc


def test_a_new_type_under_the_same_name_is_a_replacement_that_says_so():
    old = graph(res("cache", gcp_redis.TYPE, {"tier": "BASIC"}))
    new = graph(res("cache", aws_elasticache.TYPE, {"engine": "redis"}))
    (c,) = diff_graphs(old, new, "t").changes
    assert c.action == "replace" and c.type == aws_elasticache.TYPE
    a = c.args[0]
    assert (a.key, a.old, a.new, a.verdict, a.why) == (
        "type", gcp_redis.TYPE, aws_elasticache.TYPE, "replace",
        "another cloud: created there, deleted here")
    assert 'type: "gcp:redis/instance:Instance" -> ' \
           '"aws:elasticache/replicationGroup:ReplicationGroup"  REPLACE: another cloud: ' \
           "created there, deleted here" in diff_text(diff_graphs(old, new, "t"), set())
    # within one cloud, another type
    same = graph(res("cache", aws_sqs.TYPE, {}))
    (c,) = diff_graphs(same, new, "t").changes
    assert c.args[0].why == "a different resource type"


def test_an_alias_that_is_still_a_resource_is_not_a_rename():
    old = graph(res("a", aws_sqs.TYPE, {}), res("b", aws_sqs.TYPE, {}))
    new = graph(res("a", aws_sqs.TYPE, {}), res("b", aws_sqs.TYPE, {}, aliases=["a"]),
                res("c", aws_sqs.TYPE, {}, aliases=["zzz"]))
    d = diff_graphs(old, new, "t")
    assert [(c.name, c.action, c.renamed_from) for c in d.changes] == [("c", "create", None)]


def test_resources_without_options_still_match_their_aliases():
    old = graph({"name": "a", "type": aws_sqs.TYPE, "args": {}, "source": "x:1:1"})
    new = graph({"name": "a", "type": aws_sqs.TYPE, "args": {}, "source": "x:1:1"})
    assert diff_graphs(old, new, "t").changes == []


def _why(rtype, old, new):
    (c,) = diff_graphs(graph(res("x", rtype, old)), graph(res("x", rtype, new)), "t").changes
    return {a.key: (a.verdict, a.why) for a in c.args}


def test_the_reasons_of_conditional_verdicts_word_for_word():
    assert _why(gcp_redis.TYPE, {"redis_version": "REDIS_7_2"},
                {"redis_version": "REDIS_7_0"})["redis_version"] == (
        "replace", "a version downgrade forces replacement (the provider's "
                   "isRedisVersionDecreasing check)")
    assert _why(gcp_redis.TYPE, {"redis_version": "REDIS_7_0"},
                {"redis_version": "REDIS_6_X"})["redis_version"] == (
        "refused", "Memorystore cannot downgrade REDIS_7_0 to REDIS_6_X: the provider's "
                   "downgrade check does not parse REDIS_6_X, so it sends an in-place "
                   "update, which the API refuses; to run REDIS_6_X, declare a new store and "
                   "move clients to it")
    assert _why(gcp_redis.TYPE, {"redis_version": "REDIS_6_X"},
                {"redis_version": "REDIS_7_0"})["redis_version"] == ("update", "")
    assert _why(gcp_redis.TYPE, {"redis_version": "REDIS_7_0"},
                {"redis_version": "REDIS_9_9"})["redis_version"] == ("update", "")
    assert _why(gcp_redis.TYPE, {"read_replicas_mode": "READ_REPLICAS_ENABLED"},
                {})["read_replicas_mode"] == (
        "refused", "Memorystore cannot turn read replicas off once they are on (the API "
                   "refuses the update); keep replicas >= 1, or declare a new store without "
                   "replicas and move clients to it")
    ec = aws_elasticache.TYPE
    assert _why(ec, {"engine_version": "7.1"}, {"engine_version": "6.2"})["engine_version"] \
        == ("replace", "a version downgrade forces replacement")
    assert _why(ec, {"engine": "valkey", "engine_version": "8.0"},
                {"engine": "redis", "engine_version": "8.0"})["engine"] == (
        "replace", "moving from valkey to redis forces replacement (only redis -> valkey "
                   "is in place)")
    assert _why(ec, {"engine": "redis", "engine_version": "7.1"},
                {"engine": "valkey", "engine_version": "7.1"})["engine"] == (
        "refused", "moving a group to valkey needs a valkey engine_version in the same change")
    assert _why(ec, {"transit_encryption_enabled": False, "engine_version": "6.2"},
                {"transit_encryption_enabled": True, "engine_version": "6.2"}
                )["transit_encryption_enabled"] == (
        "replace", "the group runs engine 6.2; below 7.0.5 ElastiCache cannot change "
                   "transit encryption in place")
    assert _why(ec, {"transit_encryption_enabled": False, "engine_version": "7.0"},
                {"transit_encryption_enabled": True, "engine_version": "7.0"}
                )["transit_encryption_enabled"][1].endswith(
        "(a 7.0 group's patch is known only to the stack: deploy checks it)")
    assert _why(ec, {"transit_encryption_enabled": False, "engine_version": "7.1"},
                {"transit_encryption_enabled": True, "engine_version": "7.1"}
                )["transit_encryption_enabled"] == (
        "refused", "ElastiCache turns transit encryption on for a running group only with "
                   "transit_encryption_mode preferred: set `tls: preferred`, deploy, move "
                   "every client to TLS, then set `tls: true`")
    assert _why(ec, {"transit_encryption_enabled": True, "engine_version": "7.1",
                     "transit_encryption_mode": "required"},
                {"transit_encryption_enabled": False, "engine_version": "7.1"}
                )["transit_encryption_enabled"] == (
        "refused", "ElastiCache turns transit encryption off only from "
                   "transit_encryption_mode preferred: set `tls: preferred`, deploy, move "
                   "every client off TLS, then set `tls: false`")
    assert _why(ec, {"transit_encryption_enabled": True, "engine_version": "7.1",
                     "transit_encryption_mode": "preferred"},
                {"transit_encryption_enabled": True, "engine_version": "7.1",
                 "transit_encryption_mode": "required"})["transit_encryption_mode"] == (
        "update", "clients without TLS are refused from now on")
    assert _why(ec, {"transit_encryption_enabled": True, "engine_version": "6.2"},
                {"transit_encryption_enabled": True, "engine_version": "7.1",
                 "transit_encryption_mode": "preferred"})["transit_encryption_mode"] == (
        "refused", "the group runs engine 6.2: ElastiCache has transit_encryption_mode from "
                   "7.0.5; upgrade first, then set tls: preferred")
    assert _why(ec, {"transit_encryption_enabled": True, "engine_version": "6.2"},
                {"transit_encryption_enabled": True, "engine_version": "7.1",
                 "transit_encryption_mode": "required"})["transit_encryption_mode"] == (
        "update", "TLS was already required; the mode is now written down")
    assert _why(ec, {"transit_encryption_enabled": False, "engine_version": "7.1",
                     "apply_immediately": False},
                {"transit_encryption_enabled": True, "engine_version": "7.1",
                 "transit_encryption_mode": "preferred", "apply_immediately": False}
                )["transit_encryption_enabled"] == (
        "update", "in place if the group already runs engine 7.0.5 or newer; an upgrade "
                  "still waiting for the maintenance window makes it a replacement (deploy "
                  "checks the running version)")


def test_the_running_version_wins_over_the_declared_one():
    ec = aws_elasticache.TYPE
    old = graph(res("x", ec, {"transit_encryption_enabled": False, "engine_version": "7.1"}))
    new = graph(res("x", ec, {"transit_encryption_enabled": True, "engine_version": "7.1",
                              "transit_encryption_mode": "preferred"}))
    (c,) = diff_graphs(old, new, "t", {"x": {"engine_version": "6.2.6"}}).changes
    assert c.action == "replace" and "runs engine 6.2.6" in c.args[0].why
    (c,) = diff_graphs(old, new, "t", {"x": {"engine_version": "7.1.0"}}).changes
    assert c.action == "update" and c.args[0].why == ""  # the stack says: no caveat
    (c,) = diff_graphs(old, new, "t", {"other": {"engine_version": "6.2.6"}}).changes
    assert c.action == "update"  # another resource's version is not this one's


def test_github_annotations_escape_percent_and_separators_exactly():
    from mlinfra_compile.diagnostics import Diagnostic

    d = Diagnostic("env/a%b,c:d\re\nf.yaml", 2, 3, "MLC204", "p%q", "m%n\r\no")
    assert d.render_github() == (
        "::error file=env/a%25b%2Cc%3Ad%0De%0Af.yaml,line=2,col=3,title=MLC204::"
        "p%25q: m%25n%0D%0Ao [MLC204]")


def test_sequential_brackets_are_not_nesting():
    from mlinfra_compile.naming import MAX_NESTING, compile_template

    flat = "{{ " + " ~ ".join(["(name)"] * (MAX_NESTING + 4)) + " }}"
    compile_template(flat)  # 12 groups side by side: depth 1
    deep = "{{ " + "(" * (MAX_NESTING + 1) + "name" + ")" * (MAX_NESTING + 1) + " }}"
    import pytest

    from mlinfra_compile.naming import TemplateError

    with pytest.raises(TemplateError, match=f"nested {MAX_NESTING + 1} deep"):
        compile_template(deep)
    compile_template("{{ " + "(" * MAX_NESTING + "name" + ")" * MAX_NESTING + " }}")


def test_rule_constructors_keep_what_they_are_given():
    from mlinfra_compile.providers.changes import Outcome, Step, depends, in_place, replaces

    def decide(s: Step) -> Outcome:
        return Outcome("refused", "because")

    def later(s: Step) -> bool:
        return True

    r = depends("the source", decide, "update", "refused", deferred=later)
    assert (r.verdict, r.source, r.verdicts, r.deferred) == (
        "update", "the source", ("update", "refused"), later)
    assert r.possible() == ("update", "refused")
    assert r.outcome(Step("k", 1, 2, {}, {})) == Outcome("refused", "because")
    r = replaces("src")
    assert (r.verdict, r.source, r.why, r.decide) == ("replace", "src", "forces replacement",
                                                      None)
    r = replaces("src", "why not")
    assert r.outcome(Step("k", 1, 2, {}, {})) == Outcome("replace", "why not")
    r = in_place("src", later)
    assert (r.verdict, r.source, r.why, r.deferred) == ("update", "src", "", later)


def test_tls_migration_boundary_is_7_0_5_exactly():
    ec = aws_elasticache.TYPE
    base = {"transit_encryption_enabled": True}
    new = {**base, "engine_version": "7.1", "transit_encryption_mode": "preferred"}
    for running, verdict in (("7.0.4", "refused"), ("7.0.5", "update"), ("7.0.6", "update")):
        (c,) = diff_graphs(graph(res("x", ec, {**base, "engine_version": "7.1"})),
                           graph(res("x", ec, new)), "t",
                           {"x": {"engine_version": running}}).changes
        (a,) = [a for a in c.args if a.key == "transit_encryption_mode"]
        assert a.verdict == verdict, running
    off = {"transit_encryption_enabled": False, "engine_version": "7.1"}
    on = {"transit_encryption_enabled": True, "engine_version": "7.1",
          "transit_encryption_mode": "preferred"}
    for running, verdict in (("7.0.4", "replace"), ("7.0.5", "update")):
        (c,) = diff_graphs(graph(res("x", ec, off)), graph(res("x", ec, on)), "t",
                           {"x": {"engine_version": running}}).changes
        (a,) = [a for a in c.args if a.key == "transit_encryption_enabled"]
        assert a.verdict == verdict, running


def test_the_running_version_falls_back_to_the_new_side_when_the_old_has_none():
    ec = aws_elasticache.TYPE
    (c,) = diff_graphs(graph(res("x", ec, {"transit_encryption_enabled": False})),
                       graph(res("x", ec, {"transit_encryption_enabled": True,
                                           "engine_version": "6.2"})), "t").changes
    (a,) = [a for a in c.args if a.key == "transit_encryption_enabled"]
    assert a.verdict == "replace" and "runs engine 6.2" in a.why
    (c,) = diff_graphs(graph(res("x", ec, {"transit_encryption_enabled": False})),
                       graph(res("x", ec, {"transit_encryption_enabled": True})), "t").changes
    assert "runs engine 0" in c.args[0].why  # nothing known: judged the oldest


def test_loaded_file_errors_point_at_the_value_or_the_key():
    from mlinfra_compile.loader import LoadedFile, parse_bytes

    f = parse_bytes(b"queues:\n  jobs: {delay: 5}\n", LoadedFile("e.yaml"))
    d = f.error("MLC204", ("queues", "jobs", "delay"), "too short")
    assert f.diagnostics[-1] is d
    assert (d.file, d.line, d.column, d.code, d.path, d.message) == (
        "e.yaml", 2, 17, "MLC204", "queues.jobs.delay", "too short")  # at the value
    k = f.error("MLC204", ("queues", "jobs", "delay"), "too short", key=True)
    assert (k.line, k.column) == (2, 10)  # at the key


def _lint(tmp_path, text):
    from tests.golden import run_cli

    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / "environments" / "main.yaml").write_text(text)
    return run_cli(tmp_path, "lint")[1]


AWS = "providers:\n  aws: {region: us-east-1}\n"


def test_tls_preferred_needs_engine_7(tmp_path):
    out = _lint(tmp_path, AWS + "session_stores:\n  cache: {version: 6.x, tls: preferred, "
                                "auth: false}\n")
    assert "environments/main.yaml:4:25: error: session_stores.cache.tls: tls: preferred " \
           "needs engine 7.0 or newer (this store runs 6.2): older engines have no " \
           "transit_encryption_mode [MLC311]" in out


def test_transit_encryption_mode_from_engine_7_0(tmp_path):
    import json

    from tests.golden import run_cli

    for version, mode in (("7.0", "required"), ("6.x", None)):
        (tmp_path / "environments").mkdir(exist_ok=True)
        (tmp_path / "environments" / "main.yaml").write_text(
            AWS + f"session_stores:\n  cache: {{version: '{version}', tls: true}}\n")
        _, out, _ = run_cli(tmp_path, "compile", "main")
        args = json.loads(out)["resources"][0]["args"]
        assert args.get("transit_encryption_mode") == mode, version


def test_a_version_of_the_other_engine_is_named(tmp_path):
    out = _lint(tmp_path, AWS + "session_stores:\n  cache: {version: '8.0'}\n")
    assert "ElastiCache redis offers versions 6.x, 7.0, 7.1, not 8.0; choose one of those " \
           "or engine: valkey [MLC328]" in out
    out = _lint(tmp_path, AWS + "session_stores:\n  cache: {engine: valkey, version: '7.1'}\n")
    assert "ElastiCache valkey offers versions 7.2, 8.0, 8.1, 8.2, 9.0, 9.1, not 7.1; choose " \
           "one of those or engine: redis [MLC328]" in out
    out = _lint(tmp_path, AWS + "session_stores:\n  cache: {engine: valkey, version: '6.x'}\n")
    assert "not 6.x; choose one of those or engine: redis [MLC328]" in out


def test_limits_in_messages_show_hours_from_one_hour():
    from mlinfra_compile.providers.base import human_seconds

    assert [human_seconds(n) for n in (59, 3599, 3600, 3660, 3661, 43200)] == [
        "59s", "3599s", "3600s (1h)", "3660s (1h1m)", "3661s", "43200s (12h)"]


def test_diff_text_of_nothing_and_of_a_deletion():
    d = diff_graphs(graph(res("q", aws_sqs.TYPE, {})), graph(res("q", aws_sqs.TYPE, {})), "t")
    assert diff_text(d, set()) == ("diff prod: t -> working tree\nno changes\n"
                                   "0 to create, 0 to update in place, 0 to replace, "
                                   "0 to delete\nmonthly cost: unchanged, $0.00/month\n"
                                   "  not included: 1 resource without a price\n")
    d = diff_graphs(graph(res("q", aws_sqs.TYPE, {})), graph(), "t")
    assert diff_text(d, set()).splitlines()[-1] == (
        "refused: prod is a production environment and this would delete q, losing its "
        "data; rerun with --allow-replace q if you mean it [MLC601]")


def test_allow_replace_names_the_old_name_of_a_renamed_resource_too():
    old = graph(res("old", aws_sqs.TYPE, {"fifo_queue": False}))
    new = graph(res("new", aws_sqs.TYPE, {"fifo_queue": True}, aliases=["old"]))
    d = diff_graphs(old, new, "t")
    assert [c.name for c in d.unsafe(set())] == ["new"]
    assert d.unsafe({"old"}) == [] and d.unsafe({"new"}) == []
    assert [c.name for c in d.unsafe({""})] == ["new"]


def test_an_in_place_reason_is_shown_after_in_place():
    ec = aws_elasticache.TYPE
    d = diff_graphs(graph(res("x", ec, {"transit_encryption_enabled": True,
                                        "engine_version": "7.1",
                                        "transit_encryption_mode": "preferred"})),
                    graph(res("x", ec, {"transit_encryption_enabled": True,
                                        "engine_version": "7.1",
                                        "transit_encryption_mode": "required"})), "t")
    assert 'transit_encryption_mode: "preferred" -> "required"  in place: clients without ' \
           "TLS are refused from now on" in diff_text(d, set())


def test_unknowns_propagate_into_lists():
    old = graph(res("t", "gcp:pubsub/topic:Topic", {"name": "a"}),
                res("s", "gcp:pubsub/subscription:Subscription",
                    {"labels": [{"$ref": "t", "attr": "id"}, "x"]}))
    new = graph(res("t", "gcp:pubsub/topic:Topic", {"name": "b"}),
                res("s", "gcp:pubsub/subscription:Subscription",
                    {"labels": [{"$ref": "t", "attr": "id"}, "x"]}))
    changes = {c.name: c for c in diff_graphs(old, new, "t").changes}
    (a,) = changes["s"].args
    assert a.new == [{"$unknown": "known after the replacement"}, "x"]


def test_memorystore_versions_and_replicas_each_way():
    def verdict(key, old, new):
        (c,) = diff_graphs(graph(res("x", gcp_redis.TYPE, {key: old})),
                           graph(res("x", gcp_redis.TYPE, {key: new})), "t").changes
        return c.args[0].verdict

    assert verdict("redis_version", "REDIS_7_0", "REDIS_7_0_X") == "update"  # unknown
    assert verdict("redis_version", None, "REDIS_7_0") == "update"
    assert verdict("redis_version", "REDIS_7_2", None) == "update"  # provider keeps it
    assert verdict("read_replicas_mode", "READ_REPLICAS_DISABLED",
                   "READ_REPLICAS_ENABLED") == "update"
    assert verdict("read_replicas_mode", None, "READ_REPLICAS_DISABLED") == "update"


def test_the_version_regex_reads_major_and_minor():
    from mlinfra_compile.providers.gcp_redis import _numbered

    assert _numbered("REDIS_7_2") == (7, 2) and _numbered("REDIS_6_X") is None


def test_a_file_missing_at_the_ref_is_mlc602(repo_git):
    from mlinfra_compile.gitref import GitWorkspace

    f = GitWorkspace(str(repo_git), "HEAD").read(str(repo_git / "environments" / "qa.yaml"))
    (d,) = f.diagnostics
    assert (d.file, d.line, d.column, d.code, d.path, d.message) == (
        "HEAD:environments/qa.yaml", 1, 1, "MLC602", "",
        "environments/qa.yaml does not exist at HEAD")
    assert GitWorkspace(str(repo_git), "HEAD").list_dir(str(repo_git / "nowhere")) == []


def test_policy_messages_name_the_default_they_come_from(tmp_path):
    out = _lint(tmp_path, "profile: production\nproviders:\n  gcp: {project: acme-ml-test, "
                          "region: us-central1}\nsession_stores:\n  cache: {auth: false}\n")
    assert "session_stores.cache.auth: production session stores must require AUTH; to " \
           "accept it" in out
    out = _lint(tmp_path, "profile: production\nproviders:\n  aws: {region: us-east-1}\n"
                          "queues:\n  jobs: {protect: false}\n")
    assert "queues.jobs.protect: production stateful resources must be protected from " \
           "deletion;" in out


def test_enum_messages_spell_booleans_as_yaml_does(tmp_path):
    out = _lint(tmp_path, AWS + "session_stores:\n  cache: {tls: 'yes'}\n")
    assert "'yes' is not one of: true, false, preferred [MLC203]" in out


# --- second round (2026-11-28): survivors of the first complete run -----------------------

def test_json_diagnostics_are_indented_sorted_and_counted():
    from mlinfra_compile.diagnostics import WARNING, Diagnostic, render

    diags = [Diagnostic("b.yaml", 2, 1, "MLC318", "x", "lagging", WARNING),
             Diagnostic("a.yaml", 1, 3, "MLC204", "", "too big"),
             Diagnostic("a.yaml", 1, 3, "MLC204", "", "too big"),
             Diagnostic("a.yaml", 2, 3, "MLC204", "", "too big")]
    text = render(diags, "json")
    assert text.startswith('{\n  "diagnostics": [\n    {\n      "code": "MLC204",')
    assert text.endswith('  "errors": 2,\n  "format": "mlinfra.diagnostics/v1",\n'
                         '  "warnings": 1\n}\n')


def test_github_annotations_one_per_line_and_no_path_prefix_without_a_path():
    from mlinfra_compile.diagnostics import Diagnostic, render

    text = render([Diagnostic("a.yaml", 1, 1, "MLC103", "", "file is empty"),
                   Diagnostic("b.yaml", 2, 3, "MLC204", "q.delay", "too long")], "github")
    assert text == ("::error file=a.yaml,line=1,col=1,title=MLC103::file is empty [MLC103]\n"
                    "::error file=b.yaml,line=2,col=3,title=MLC204::q.delay: too long "
                    "[MLC204]\n")


def test_an_option_only_one_side_has_is_a_change():
    old = graph(res("q", aws_sqs.TYPE, {}))
    new = graph(res("q", aws_sqs.TYPE, {}, protect=True))
    (c,) = diff_graphs(old, new, "t").changes
    assert [(a.key, a.old, a.new, a.verdict) for a in c.args] == [
        ("options.protect", None, True, "update")]
    back = diff_graphs(new, old, "t").changes[0]
    assert [(a.key, a.old, a.new) for a in back.args] == [("options.protect", True, None)]


def test_options_that_are_equal_are_not_changes_and_the_rest_still_are():
    old = graph(res("q", aws_sqs.TYPE, {"delay_seconds": 0}, protect=True, aliases=["p"]))
    new = graph(res("q", aws_sqs.TYPE, {"delay_seconds": 5}, protect=True, aliases=["r"]))
    (c,) = diff_graphs(old, new, "t").changes
    assert [a.key for a in c.args] == ["delay_seconds"]  # aliases are not an argument


def test_rename_hints_pair_deletions_and_creations_in_name_order():
    old = graph(res("b-old", aws_sqs.TYPE, {}), res("a-old", aws_sqs.TYPE, {}))
    new = graph(res("z-new", aws_sqs.TYPE, {}), res("y-new", aws_sqs.TYPE, {}))
    hints = diff_graphs(old, new, "t").hints
    assert [h.split(",")[0] for h in hints] == ["if a-old was renamed to y-new",
                                                "if b-old was renamed to z-new"]
    assert hints[0] == ("if a-old was renamed to y-new, add `previous_names: [a-old]` to the "
                        "declaration of y-new: Pulumi then keeps its resources and their "
                        "data instead of deleting them")


def test_generated_resources_get_no_rename_hint_of_their_own():
    src = {"source": "environments/prod.yaml:4:3"}
    old = graph({**res("jobs", aws_sqs.TYPE, {}), **src},
                {**res("jobs-dlq", aws_sqs.TYPE, {}), **src})
    new = graph({**res("work", aws_sqs.TYPE, {}), **src},
                {**res("work-dlq", aws_sqs.TYPE, {}), **src})
    hints = diff_graphs(old, new, "t").hints
    assert len(hints) == 1 and hints[0].startswith("if jobs was renamed to work,")


def test_a_resource_sharing_a_prefix_but_not_a_source_is_a_declaration():
    old = graph({**res("jobs", aws_sqs.TYPE, {}), "source": "a.yaml:1:1"},
                {**res("jobs-x", aws_sqs.TYPE, {}), "source": "a.yaml:9:1"})
    new = graph({**res("work-x", aws_sqs.TYPE, {}), "source": "a.yaml:9:1"})
    hints = diff_graphs(old, new, "t").hints
    assert [h.split(",")[0] for h in hints] == ["if jobs was renamed to work-x"]


def test_production_is_read_from_the_new_graph_too():
    old = graph(res("q", aws_sqs.TYPE, {"fifo_queue": False}), profile="development")
    new = graph(res("q", aws_sqs.TYPE, {"fifo_queue": True}), profile="production")
    assert diff_graphs(old, new, "t").blocked(set())


def test_a_deferred_change_says_so_once_after_a_rename():
    from mlinfra_compile.diff import ArgChange, Change

    d = diff_graphs(graph(), graph(), "t")
    arg = ArgChange("maintenance_window", "a", "b", "update", "in place", deferred=True)
    d.changes.append(Change("c", aws_elasticache.TYPE, "update", [arg], renamed_from="b"))
    line = diff_text(d, set()).splitlines()[1]
    assert line.endswith("update (renamed from b, kept by its alias) (waits for the "
                         "maintenance window)")


def test_a_missing_ref_and_a_missing_git_are_told_apart(tmp_path, monkeypatch):
    import pytest

    from mlinfra_compile.gitref import GitWorkspace
    from mlinfra_compile.resolve import UsageError
    from tests.golden import git

    git(tmp_path, "init", "-q")
    (tmp_path / "f").write_text("x")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one")
    GitWorkspace(str(tmp_path), "HEAD")  # a commit: accepted
    with pytest.raises(UsageError, match=r"^'nope' is not a commit of the git repository"):
        GitWorkspace(str(tmp_path), "nope")
    with pytest.raises(UsageError, match=r"^'HEAD:f' is not a commit"):
        GitWorkspace(str(tmp_path), "HEAD:f")  # a blob: --verify ...^{commit} refuses it
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(UsageError) as exc:
        GitWorkspace(str(tmp_path), "HEAD")
    assert str(exc.value) == "git is not installed; diff reads the baseline with git"


def test_bracket_nesting_counts_closing_brackets():
    from mlinfra_compile.naming import _nesting

    assert [_nesting(s) for s in ("", "(a)(b)", "([x])", "(())((()))", "[(])", "a)b(c",
                                  "XX", "X)X")] == [0, 1, 2, 3, 2, 0, 0, 0]


def test_a_filter_called_wrongly_is_a_diagnostic_not_an_internal_error(repo):
    """Found by the survivors of render_name: a TypeError escaped as MLC900."""
    repo.write("dev.yaml", """\
        providers: {aws: {region: us-east-1}}
        name_template: "{{ name | replace(1) }}"
        queues:
          jobs: {}
        """)
    rc, out, _ = repo.run("lint")
    assert rc == 1 and "MLC900" not in out
    assert "name_template: the template failed: " in out and "[MLC309]" in out


def test_a_filter_failing_at_render_time_keeps_its_reason():
    import pytest

    from mlinfra_compile.naming import TemplateError, render_name

    with pytest.raises(TemplateError) as exc:
        render_name("{{ name | truncate(1) }}", env="e", name="name-long", kind="k",
                    provider="p", profile="x")
    assert str(exc.value) == "the template failed: expected length >= 3, got 1"


def test_a_violation_caused_by_a_default_names_that_default():
    """No shipped production default violates a rule today; a future one must say so."""
    from mlinfra_compile.graph import Origin
    from mlinfra_compile.policy import production_violations
    from mlinfra_compile.providers.base import Context, Decl

    at = Origin("set", "p.yaml", 3, 5)
    ctx = Context("p", "production", {}, {}, None, lambda path: None)
    defaults = {**aws_elasticache.DEFAULTS["production"], "tier": ("basic", "a test default")}
    net = {"network": {"subnet_ids": ["subnet-0a1b2c3d"]}}
    decl = Decl("session_store", "cache", ("session_stores", "cache"), net, "aws", at, ctx,
                defaults)
    (v,) = production_violations([decl])
    d = v.diagnostic
    assert (d.file, d.line, d.column, d.code, d.path) == (
        "p.yaml", 3, 5, "MLC501", "session_stores.cache.tier")
    assert d.message.startswith("production session stores must be standard_ha: a basic "
                                "store has no replica to fail over to (a test default); ")
    written = Decl("session_store", "cache", ("session_stores", "cache"),
                   {"tier": "basic", **net}, "aws", at, ctx, defaults)
    assert "(a test default)" not in production_violations([written])[0].diagnostic.message


def test_an_unclassified_argument_is_never_deferred():
    from mlinfra_compile.providers.changes import Step, classify

    outcome, deferred = classify({}, aws_elasticache.TYPE,
                                 Step("x", 1, 2, {}, {"apply_immediately": False}))
    assert outcome.verdict == "may-replace" and deferred is False


# --- third round: the loader's limits and its messages -------------------------------------

def _parsed(raw: bytes):
    from mlinfra_compile.loader import LoadedFile, parse_bytes

    f = parse_bytes(raw, LoadedFile("x.yaml"))
    return [(d.line, d.column, d.code, d.path, d.message) for d in f.diagnostics], f.data


def test_yaml_errors_no_explanation_names_keep_their_context_and_position():
    assert _parsed(b"%YAML 1.1\n%YAML 1.1\n--- a\n")[0] == [
        (2, 1, "MLC104", "", "YAML syntax error: found duplicate %YAML directive")]
    assert _parsed(b"%FOO\n--- a\n")[0] == [
        (1, 5, "MLC104", "", "YAML syntax error: while scanning a directive: found unknown "
                             "directive name")]
    assert _parsed(b"a: @x\n")[0] == [
        (1, 4, "MLC104", "", "YAML syntax error: while scanning for the next token: found "
                             "character that cannot start any token")]


def test_a_byte_order_mark_is_dropped_only_at_the_start():
    assert _parsed(b"\xef\xbb\xbfa: 1\n") == ([], {"a": 1})
    assert _parsed(b"a: \xef\xbb\xbfb\n") == ([], {"a": "\ufeffb"})  # kept inside a value


def test_control_characters_and_bad_utf8_are_placed_exactly():
    assert _parsed(b"a: 1\nb: \x07\n")[0] == [
        (2, 4, "MLC104", "", "YAML syntax error: character U+0007 is not allowed in YAML "
                             "(control characters are not allowed)")]
    assert _parsed(b"a: 1\nb: \xff\n")[0] == [
        (2, 4, "MLC102", "", "file is not valid UTF-8 (byte 0xff); save it as UTF-8")]


def test_empty_scalar_and_list_files_are_told_apart():
    assert _parsed(b"# nothing\n")[0] == [
        (1, 1, "MLC103", "", "file is empty: an environment file is a mapping such as "
                             "`profile: development`")]
    assert _parsed(b"- a\n")[0] == [
        (1, 1, "MLC109", "", "the top level must be a mapping of keys, not a list")]
    assert _parsed(b"just text\n")[0] == [
        (1, 1, "MLC109", "", "the top level must be a mapping of keys, not the scalar "
                             "'just text'")]


def test_a_file_that_grows_after_it_was_measured_is_refused(tmp_path, monkeypatch):
    import os

    from mlinfra_compile import loader, reading

    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * loader.MAX_FILE_BYTES + b"\n")
    real = os.fstat

    class Small:
        def __init__(self, st):
            self.st_mode, self.st_size = st.st_mode, 10

    monkeypatch.setattr(reading.os, "fstat", lambda fd: Small(real(fd)))  # (the reader's)
    f = loader.read_file(str(path), "environments/big.yaml")
    assert [(d.file, d.line, d.column, d.code, d.path, d.message) for d in f.diagnostics] == [
        ("environments/big.yaml", 1, 1, "MLC101", "",
         "file is larger than 1048576 bytes (1 MiB)")]
    assert f.data is None


def test_a_file_exactly_at_the_limit_is_read(tmp_path):
    from mlinfra_compile import loader

    path = tmp_path / "edge.yaml"
    body = b"a: b\n# " + b"x" * (loader.MAX_FILE_BYTES - 8) + b"\n"
    assert len(body) == loader.MAX_FILE_BYTES
    path.write_bytes(body)
    f = loader.read_file(str(path), "e")
    assert f.diagnostics == [] and f.data == {"a": "b"}


def test_a_file_that_cannot_be_opened_is_mlc114_at_its_start(tmp_path):
    from mlinfra_compile import loader

    f = loader.read_file(str(tmp_path / "missing.yaml"), "environments/missing.yaml")
    assert [(d.file, d.line, d.column, d.code, d.path, d.message) for d in f.diagnostics] == [
        ("environments/missing.yaml", 1, 1, "MLC114", "",
         "cannot read file: No such file or directory")]


def test_dead_letter_true_means_five_deliveries_on_both_clouds(repo):
    import json

    repo.write("main.yaml", """\
        providers:
          gcp: {project: acme-ml-test, project_number: "123456789012"}
          aws: {region: us-east-1}
        default_provider: gcp
        queues:
          events: {dead_letter: true}
          jobs: {provider: aws, dead_letter: true}
        """)
    rc, out, _ = repo.run("compile", "main")
    doc = {r["name"]: r["args"] for r in json.loads(out)["resources"]}
    assert rc == 0
    assert doc["events-sub"]["dead_letter_policy"]["max_delivery_attempts"] == 5
    assert doc["jobs"]["redrive_policy"]["$json"]["maxReceiveCount"] == 5


def test_sqs_retention_equal_to_visibility_passes_and_one_second_less_does_not(repo):
    repo.write("main.yaml", """\
        providers: {aws: {region: us-east-1}}
        queues:
          equal: {retention: 60s, visibility_timeout: 60s}
          short: {retention: 60s, visibility_timeout: 61s}
        """)
    _, out, _ = repo.run("lint")
    assert "queues.short.retention" in out and "queues.equal" not in out


def test_sqs_dead_letter_retention_bounds(repo):
    repo.write("main.yaml", """\
        providers: {aws: {region: us-east-1}}
        queues:
          low: {retention: 60s, dead_letter: {retention: 60s}}
          below: {retention: 60s, dead_letter: {retention: 59s}}
          top: {retention: 60s, dead_letter: {retention: 14d}}
          over: {retention: 60s, dead_letter: {retention: 1209601s}}
        """)
    _, out, _ = repo.run("lint")
    assert "queues.below.dead_letter.retention" in out and "queues.over.dead_letter" in out
    assert "queues.low" not in out and "queues.top" not in out


def test_pubsub_backoff_and_dead_letter_retention_bounds(repo):
    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test, project_number: "123456789012"}}
        queues:
          zero: {retry: {min_backoff: 0s, max_backoff: 600s}}
          top: {retry: {min_backoff: 600s, max_backoff: 600s}}
          over: {retry: {max_backoff: 601s}}
          same:
            retention: 1d
            dead_letter: {retention: 1d}
        """)
    _, out, _ = repo.run("lint")
    assert "queues.over.retry.max_backoff" in out
    assert "queues.zero" not in out and "queues.top" not in out and "queues.same" not in out


# --- fourth round: survivors of the second complete run -----------------------------------

def test_aliases_within_budget_pass_and_one_more_node_is_a_bomb():
    items = ", ".join(["x"] * 99)  # a list of 99 scalars: 100 nodes
    ok = f"a: &l [{items}]\n" + "".join(f"k{i}: *l\n" for i in range(100))
    assert _parsed(ok.encode())[0] == []
    bomb = ok + "k100: *l\n"
    assert _parsed(bomb.encode())[0] == [
        (102, 7, "MLC108", "k100", "aliases expand to more than 10000 values; this file "
                                   "looks like an alias bomb")]
    nested = "a: &m {b: [1, 2], c: {d: 3}}\n" + "".join(f"k{i}: *m\n" for i in range(1666))
    assert _parsed(nested.encode())[0] == []  # 6 nodes each: 9996
    assert _parsed((nested + "z1: *m\n").encode())[0][0][2] == "MLC108"


def test_an_undefined_alias_is_placed_at_the_alias():
    assert _parsed(b"a: &x 1\nb: *y\n")[0] == [
        (2, 4, "MLC104", "b", "alias *y names no anchor defined before it")]


def test_a_value_reached_through_an_alias_keeps_its_raw_text_and_position(repo):
    repo.write("main.yaml", """\
        providers: {aws: {region: us-east-1}}
        session_stores:
          one: &s {version: 7.0}
          two: *s
          three: {memory: &m 3GB}
          four: {memory: *m}
        """)
    _, out, _ = repo.run("lint")
    assert "main.yaml:3:12: error: session_stores.one.version: 7.0 is not one of" in out
    assert "main.yaml:3:12: error: session_stores.two.version: 7.0 is not one of" in out
    assert '(YAML reads `7.0` as 7.0: quote it, "7.0", if you meant text)' in \
        out.split("two.version")[1].split("\n")[0]
    assert "main.yaml:6:10: error: session_stores.four.memory: invalid size '3GB'" in out


def test_an_integer_duration_or_size_out_of_range_is_shown_in_units(repo):
    repo.write("main.yaml", """\
        providers: {aws: {region: us-east-1}}
        queues:
          jobs: {delay: 901, max_message_size: 1048577}
        """)
    _, out, _ = repo.run("lint")
    assert "queues.jobs.delay: 901s is above the SQS maximum of 900s" in out
    assert "queues.jobs.max_message_size: 1048577 bytes is above the SQS maximum of 1MiB" in out


def test_labels_a_declaration_removes_or_a_subscription_inherits(repo):
    import json

    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test}}
        labels: {team: ml, tier: gold}
        queues:
          events:
            labels: {tier: null, owner: data}
            subscriptions:
              readers: {labels: {reader: "yes"}}
        """)
    rc, out, _ = repo.run("compile", "main")
    doc = {r["name"]: r["args"] for r in json.loads(out)["resources"]}
    assert rc == 0
    assert doc["events"]["labels"] == {"environment": "main", "managed-by": "mlinfra",
                                       "owner": "data", "team": "ml"}
    assert doc["events-readers"]["labels"] == {
        "environment": "main", "managed-by": "mlinfra", "owner": "data", "reader": "yes",
        "team": "ml"}


def test_every_label_is_checked_after_a_reserved_or_null_one(repo):
    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test}}
        queues:
          events:
            labels: {environment: x, gone: null, Bad: y}
        """)
    _, out, _ = repo.run("lint")
    assert "labels.environment: label 'environment' is set by mlinfra" in out
    assert "GCP label key 'Bad'" in out


def test_a_lagging_region_warning_is_placed_at_the_region(repo):
    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test}}
        session_stores:
          cache: {region: europe-north2}
        """)
    _, out, _ = repo.run("lint")
    assert "main.yaml:3:11: warning: session_stores.cache.region: Memorystore for Redis " \
           "is not listed in europe-north2" in out


def test_replicas_zero_turn_read_replicas_off_and_a_fraction_stops_before_them(repo):
    import json

    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test, region: us-central1}}
        session_stores:
          off: {tier: standard_ha, replicas: 0}
        """)
    rc, out, _ = repo.run("compile", "main")
    assert rc == 0
    (r,) = json.loads(out)["resources"]
    assert r["args"]["read_replicas_mode"] == "READ_REPLICAS_DISABLED"
    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test, region: us-central1}}
        session_stores:
          odd: {tier: standard_ha, replicas: 1, memory: 1280MiB}
        """)
    _, out, _ = repo.run("lint")
    assert "1280MiB is not a whole number of GiB; Memorystore sizes instances in whole GiB " \
           "(nearest: 1GiB)" in out and "MLC513" not in out and "MLC900" not in out


def test_an_autoname_leaves_room_for_pulumi_and_the_suffix():
    from mlinfra_compile.naming import NamingRule

    rule = NamingRule("x", r".*", "anything", max_length=20)
    assert rule.check_autoname("a" * 7, ".fifo") is None  # 7 + 8 + 5 = 20
    assert rule.check_autoname("a" * 8, ".fifo") == (
        "Pulumi auto-naming makes 'aaaaaaaa' 21 characters (it appends a hyphen and 7 "
        "random characters), over the 20-character limit on x names: use a name of at most "
        "7 characters or set name_template")
    assert rule.check_autoname("a" * 12) is None and rule.check_autoname("a" * 13)


def test_a_replaced_reference_is_named_as_the_reason(tmp_path):
    old = graph(res("jobs-dlq", aws_sqs.TYPE, {"fifo_queue": False}),
                res("jobs", aws_sqs.TYPE, {"redrive_policy": {"$json": {
                    "deadLetterTargetArn": {"$ref": "jobs-dlq", "attr": "arn"}}}}))
    new = graph(res("jobs-dlq", aws_sqs.TYPE, {"fifo_queue": True}),
                res("jobs", aws_sqs.TYPE, {"redrive_policy": {"$json": {
                    "deadLetterTargetArn": {"$ref": "jobs-dlq", "attr": "arn"}}}}))
    text = diff_text(diff_graphs(old, new, "t"), set())
    assert "(known after the replacement)" in text


def test_option_changes_after_aliases_are_still_seen():
    old = graph(res("q", aws_sqs.TYPE, {}, aliases=["a"], protect=False))
    new = graph(res("q", aws_sqs.TYPE, {}, aliases=["b"], protect=True))
    (c,) = diff_graphs(old, new, "t").changes
    assert [a.key for a in c.args] == ["options.protect"]


def test_a_graph_without_options_diffs(tmp_path):
    old = graph({"name": "q", "type": aws_sqs.TYPE, "args": {"delay_seconds": 0},
                 "source": "x:1:1"})
    new = graph({"name": "q", "type": aws_sqs.TYPE, "args": {"delay_seconds": 5},
                 "source": "x:1:1", "options": {"protect": True}})
    (c,) = diff_graphs(old, new, "t").changes
    assert [a.key for a in c.args] == ["delay_seconds", "options.protect"]
    back = diff_graphs(new, old, "t").changes[0]
    assert [a.key for a in back.args] == ["delay_seconds", "options.protect"]


def test_a_renamed_store_keeps_references_inside_lists(repo_git):
    from tests.golden import edit, git, run_cli

    edit(repo_git, "perf.yaml", "  ml-session-storage:\n",
         "  ml-session-storage:\n")
    text = (repo_git / "environments" / "perf.yaml").read_text()
    assert "allow_from" in text
    for f in ("_base.yaml", "perf.yaml", "prod.yaml", "staging.yaml"):
        edit(repo_git, f, "  ml-session-storage:\n",
             "  sessions:\n    previous_names: [ml-session-storage]\n")
    git(repo_git, "add", "-A")
    rc, out, _ = run_cli(repo_git, "diff", "perf")
    assert rc == 0, out
    assert "DELETE" not in out
    # Nothing is replaced: the parameter group's ForceNew description names no store any
    # more, and Pulumi ignores the description a group made by an earlier version has.
    replaced = [line.split()[1] for line in out.splitlines() if line.startswith("-/+")]
    assert replaced == [], out
    assert "~ sessions  aws:elasticache/replicationGroup:ReplicationGroup  update" in out
    assert "security_group_ids" not in out  # the reference inside the list was renamed


# --- fifth round: survivors of the third complete run (after issue 14) ---------------------

def _arg(old_args, new_args, key, rtype=aws_elasticache.TYPE, running=None):
    from mlinfra_compile.diff import CHANGES
    from mlinfra_compile.providers.changes import Step, classify

    step = Step(key, old_args.get(key), new_args.get(key), old_args, new_args, running or {})
    outcome, _ = classify(CHANGES, rtype, step)
    return outcome.verdict, outcome.why


def test_preferred_on_an_old_engine_is_refused_only_where_tls_was_on():
    old = {"engine_version": "6.2", "transit_encryption_enabled": False}
    new = {"engine_version": "6.2", "transit_encryption_enabled": True,
           "transit_encryption_mode": "preferred"}
    assert _arg(old, new, "transit_encryption_mode") == ("update", "")
    old_on = {**old, "transit_encryption_enabled": True}
    assert _arg(old_on, new, "transit_encryption_mode")[0] == "refused"


def test_only_a_mode_written_down_for_a_group_already_on_tls_says_so():
    on = {"engine_version": "7.1", "transit_encryption_enabled": True}
    assert _arg(on, {**on, "transit_encryption_mode": "required"},
                "transit_encryption_mode") == (
        "update", "TLS was already required; the mode is now written down")
    off = {"engine_version": "7.1", "transit_encryption_enabled": False}
    assert _arg(off, {**on, "transit_encryption_mode": "required"},
                "transit_encryption_mode") == ("update", "")
    assert _arg({**on, "transit_encryption_mode": "required"},
                {**on, "transit_encryption_mode": "preferred"},
                "transit_encryption_mode") == ("update", "")


def test_the_running_version_removes_the_maintenance_window_caveat():
    old = {"engine_version": "7.1", "apply_immediately": False,
           "transit_encryption_enabled": False}
    new = {**old, "transit_encryption_enabled": True, "transit_encryption_mode": "preferred"}
    assert _arg(old, new, "transit_encryption_enabled",
                running={"engine_version": "7.1.0"}) == ("update", "")
    assert _arg(old, new, "transit_encryption_enabled")[1].startswith("in place if the group")


def test_a_reference_to_a_replaced_resource_is_unknown_and_says_why():
    from mlinfra_compile.providers import gcp_pubsub

    sub = {"topic": {"$ref": "t", "attr": "name"}}
    old = graph(res("t", gcp_pubsub.TOPIC, {"name": "a"}), res("s", gcp_pubsub.SUBSCRIPTION, sub))
    new = graph(res("t", gcp_pubsub.TOPIC, {"name": "b"}), res("s", gcp_pubsub.SUBSCRIPTION, sub))
    d = diff_graphs(old, new, "t")
    (a,) = next(c for c in d.changes if c.name == "s").args
    assert (a.verdict, a.why) == ("replace", "its value comes from a replaced resource")
    assert "topic: ${t.name} -> (known after the replacement)  REPLACE: its value comes " \
           "from a replaced resource" in diff_text(d, set())


def test_a_new_resource_without_options_still_diffs():
    old = graph(res("q", aws_sqs.TYPE, {"delay_seconds": 0}))
    new = graph({"name": "q", "type": aws_sqs.TYPE, "args": {"delay_seconds": 5},
                 "source": "x:1:1"})
    (c,) = diff_graphs(old, new, "t").changes
    assert [a.key for a in c.args] == ["delay_seconds"]


def test_closing_brackets_between_opening_ones():
    from mlinfra_compile.naming import _nesting

    assert _nesting("((X(") == 3 and _nesting("(X)(") == 1


def test_a_window_early_on_sunday_stays_on_sunday(repo):
    import json

    repo.write("main.yaml", """\
        providers: {aws: {region: us-east-1}}
        session_stores:
          cache: {maintenance: {day: sunday, start: "00:03"}}
        """)
    rc, out, _ = repo.run("compile", "main")
    (r,) = json.loads(out)["resources"]
    assert rc == 0 and r["args"]["maintenance_window"] == "sun:00:03-sun:01:03"


def test_provider_and_profile_reach_the_name_template(repo):
    import json

    repo.write("main.yaml", """\
        providers: {aws: {region: us-east-1}}
        profile: development
        name_template: "{{ provider }}-{{ profile }}-{{ name }}"
        queues:
          jobs: {}
        """)
    rc, out, _ = repo.run("compile", "main")
    (r,) = json.loads(out)["resources"]
    assert rc == 0 and r["args"]["name"] == "aws-development-jobs"


def test_pubsub_dead_letter_retention_bounds_and_default_attempts(repo):
    import json

    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test, project_number: "123456789012"}}
        queues:
          low: {retention: 600s, dead_letter: {retention: 600s}}
          top: {dead_letter: {retention: 31d}}
          below: {dead_letter: {retention: 599s}}
          over: {dead_letter: {retention: 2678401s}}
        """)
    _, out, _ = repo.run("lint")
    assert "queues.below.dead_letter.retention" in out and "queues.over.dead_letter" in out
    assert "queues.low" not in out and "queues.top" not in out
    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test, project_number: "123456789012"}}
        queues:
          events: {retention: 1d, dead_letter: {retention: 1d}}
        """)
    _rc, out, _ = repo.run("compile", "main")
    doc = {r["name"]: r["args"] for r in json.loads(out)["resources"]}
    assert doc["events-sub"]["dead_letter_policy"]["max_delivery_attempts"] == 5


def test_a_pubsub_queue_with_subscriptions_takes_dead_letters_on_them(repo):
    repo.write("main.yaml", """\
        profile: production
        providers: {gcp: {project: acme-ml-test, project_number: "123456789012"}}
        queues:
          events:
            dead_letter: false
            subscriptions:
              readers: {dead_letter: {max_receives: 5}}
        """)
    rc, out, _ = repo.run("lint")
    assert rc == 0, out


def test_an_oversized_or_irregular_file_is_reported_at_its_start(tmp_path):
    import os

    from mlinfra_compile import loader

    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" + b"#" * loader.MAX_FILE_BYTES)
    f = loader.read_file(str(big), "environments/big.yaml")
    assert [(d.file, d.line, d.column, d.code, d.path) for d in f.diagnostics] == [
        ("environments/big.yaml", 1, 1, "MLC101", "")]
    assert f.diagnostics[0].message == \
        f"file is {loader.MAX_FILE_BYTES + 5} bytes; the limit is 1048576 bytes (1 MiB)"
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    f = loader.read_file(str(fifo), "environments/pipe.yaml")
    assert [(d.file, d.line, d.column, d.code, d.path) for d in f.diagnostics] == [
        ("environments/pipe.yaml", 1, 1, "MLC114", "")]


def test_a_created_resource_without_options_is_a_creation():
    new = graph({"name": "q", "type": aws_sqs.TYPE, "args": {}, "source": "x:1:1"})
    (c,) = diff_graphs(graph(), new, "t").changes
    assert (c.name, c.action) == ("q", "create")


def test_sqs_dead_letter_true_and_an_empty_mapping_both_mean_five(repo):
    import json

    repo.write("main.yaml", """\
        providers: {aws: {region: us-east-1}}
        queues:
          jobs: {dead_letter: {retention: 14d}}
        """)
    rc, out, _ = repo.run("compile", "main")
    doc = {r["name"]: r["args"] for r in json.loads(out)["resources"]}
    assert rc == 0 and doc["jobs"]["redrive_policy"]["$json"]["maxReceiveCount"] == 5


def test_a_node_exactly_as_big_as_the_memory_is_enough(repo):
    repo.write("main.yaml", """\
        providers: {aws: {region: us-east-1}}
        session_stores:
          cache: {node_type: cache.t4g.micro, memory: 512MiB}
        """)
    assert repo.run("lint")[0] == 0


def test_a_null_network_entry_leaves_the_others(repo):
    import json

    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test, region: us-central1}}
        session_stores:
          cache: {network: {reserved_ip_range: null, connect_mode: private_service_access}}
        """)
    rc, out, _ = repo.run("compile", "main")
    (r,) = json.loads(out)["resources"]
    assert rc == 0 and r["args"]["connect_mode"] == "PRIVATE_SERVICE_ACCESS"


def test_replicas_zero_says_where_it_was_set(repo):
    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test, region: us-central1}}
        session_stores:
          cache: {tier: standard_ha, replicas: 0}
        """)
    _, out, _ = repo.run("plan", "main")
    line = next(x for x in out.splitlines() if x.strip().startswith("read_replicas_mode"))
    assert "set" in line and "environments/main.yaml:3:" in line


def test_the_missing_project_number_is_shown_where_dead_letters_were_asked_for(repo):
    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test}}
        queues:
          events:
            subscriptions:
              a: {}
              b: {dead_letter: true}
        """)
    _, out, _ = repo.run("lint")
    assert "main.yaml:6:11: error: queues.events.dead_letter: Pub/Sub dead letters need " \
           "providers.gcp.project_number, to grant Pub/Sub's service agent access to the " \
           "dead-letter topic [MLC312]" in out
    repo.write("main.yaml", """\
        profile: production
        providers: {gcp: {project: acme-ml-test}}
        queues:
          events: {}
        """)
    _, out, _ = repo.run("lint")
    assert "main.yaml:4:3: error: queues.events.dead_letter: Pub/Sub dead letters need " \
           "providers.gcp.project_number, to grant Pub/Sub's service agent access to the " \
           "dead-letter topic (the production default)" in out


def test_a_subscription_keeping_messages_for_the_maximum_outlives_a_shorter_dead_letter(repo):
    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test, project_number: "123456789012"}}
        queues:
          events: {retention: 31d, dead_letter: {retention: 30d}}
        """)
    _, out, _ = repo.run("lint")
    assert "[MLC510]" in out


def test_a_default_dead_letter_says_so_in_the_plan(repo):
    repo.write("main.yaml", """\
        profile: production
        providers: {aws: {region: us-east-1}}
        queues:
          jobs: {}
        """)
    _, out, _ = repo.run("plan", "main")
    line = next(x for x in out.splitlines() if x.strip().startswith("redrive_policy"))
    assert line.rstrip().endswith("default    production default")


def test_a_subscription_expiry_equal_to_its_retention_is_refused(repo):
    repo.write("main.yaml", """\
        providers: {gcp: {project: acme-ml-test}}
        queues:
          equal: {retention: 2d, expiry: 2d}
          longer: {retention: 1d, expiry: 2d}
        """)
    _, out, _ = repo.run("lint")
    assert "queues.equal.expiry: expiry 2d must be longer than the" in out
    assert "queues.longer" not in out
