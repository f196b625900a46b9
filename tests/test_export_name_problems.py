"""`exports` that lint refuses (MLC323), each message written out whole: a name in the
namespace of the outputs mlinfra writes itself (`_mlinfra...`, lower case, as
graph.GRAPH_OUTPUT and RUNNING_OUTPUT are), a target naming no declaration (in an
environment that has none), and an attribute the declaration does not have, with and
without a near one to suggest.

The attributes an SQS queue offers are listed by hand: its URL, ARN, name and id, and
the same four of the subscription an aws queue exports as `subscriptions.default`."""

from __future__ import annotations

AWS = "providers:\n  aws: {region: us-east-1}\n"
QUEUE_ATTRS = ("arn, id, name, subscriptions.default.arn, subscriptions.default.id, "
               "subscriptions.default.name, subscriptions.default.url, url")


def _lint(repo, text: str) -> tuple[int, str]:
    repo.write("main.yaml", AWS + text)
    rc, out, err = repo.run("lint")
    return rc, out + err


def test_an_export_named_like_mlinfra_s_own_outputs_is_refused(repo):
    # (not itself one of them: the whole `_mlinfra` prefix is mlinfra's)
    assert _lint(repo, "queues:\n  jobs: {}\nexports:\n  _mlinfra_jobs: jobs.url\n") == (1, (
        "environments/main.yaml:6:3: error: exports._mlinfra_jobs: '_mlinfra_jobs' is a "
        "stack output mlinfra writes itself; choose another name [MLC323]\n"
        "1 file checked, 1 error\n"))


def test_a_name_that_only_starts_like_it_is_exported(repo):
    # the other side: `mlinfra_jobs` (no leading underscore) is an ordinary name
    assert _lint(repo, "queues:\n  jobs: {}\nexports:\n  mlinfra_jobs: jobs.url\n") == (
        0, "1 file checked, 0 errors\n")


def test_a_target_in_an_environment_without_declarations_names_none(repo):
    assert _lint(repo, "exports:\n  cache_host: cache.host\n") == (1, (
        "environments/main.yaml:4:3: error: exports.cache_host: cache.host: there is no "
        "declaration 'cache'; declarations: none [MLC323]\n"
        "1 file checked, 1 error\n"))


def test_an_attribute_with_no_near_one_gets_no_suggestion(repo):
    assert _lint(repo, "queues:\n  jobs: {}\nexports:\n  jobs_zone: jobs.zone\n") == (1, (
        "environments/main.yaml:6:3: error: exports.jobs_zone: jobs.zone: jobs has no "
        f"attribute 'zone'; it has {QUEUE_ATTRS} [MLC323]\n"
        "1 file checked, 1 error\n"))


def test_an_attribute_with_a_near_one_gets_it_suggested(repo):
    assert _lint(repo, "queues:\n  jobs: {}\nexports:\n  jobs_uri: jobs.uri\n") == (1, (
        "environments/main.yaml:6:3: error: exports.jobs_uri: jobs.uri: jobs has no "
        f"attribute 'uri' (did you mean 'url'?); it has {QUEUE_ATTRS} [MLC323]\n"
        "1 file checked, 1 error\n"))
