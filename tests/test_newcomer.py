"""Issue 26, point 8: three trips of a newcomer, each through `mlinfra lint`.

(a) a production rule fired in a partial names the stack it fails for, and its advice
    puts the waiver in that stack's file;
(b) a field moved out of its declaration's indentation is reported at the line that
    moved, with an indentation that, applied, lints clean;
(c) one schema error no longer hides the file's other, independent errors.

Every expected diagnostic is written out by hand.
"""

from __future__ import annotations

import re

import pytest

from mlinfra_compile.language import SESSION_STORE_FIELDS
from tests.golden import safe_id

# --- (a) production rules fired in a partial ----------------------------------------------

BASE = """\
providers:
  gcp: {project: acme-ml-test, region: us-central1, project_number: "123456789012", network: ml-vpc}
session_stores:
  cache:
    memory: 1GiB
    tier: basic
"""
PRODUCTION = "extends: _base\nprofile: production\n"
DEVELOPMENT = "extends: _base\nprofile: development\n"
TIER = ("production session stores must be standard_ha: a basic store has no replica to "
        "fail over to")


def _lint(repo) -> tuple[int, list[str]]:
    rc, out, _ = repo.run("lint")
    return rc, out.splitlines()


def _stacks(repo, base: str = BASE, **stacks: str) -> None:
    repo.write("_base.yaml", base)
    for name, text in stacks.items():
        repo.write(f"{name}.yaml", text)


def test_a_rule_fired_in_a_partial_names_each_stack_and_its_file(repo):
    _stacks(repo, prod=PRODUCTION, qa=PRODUCTION, dev=DEVELOPMENT)
    assert _lint(repo) == (1, [
        "environments/_base.yaml:6:5: error: session_stores.cache.tier: in stack prod "
        f"(profile production), which extends this file: {TIER}; to accept it there, add to "
        "environments/prod.yaml: waivers: [{rule: MLC501, resource: cache, reason: \"...\"}] "
        "[MLC501]",
        "environments/_base.yaml:6:5: error: session_stores.cache.tier: in stack qa "
        f"(profile production), which extends this file: {TIER}; to accept it there, add to "
        "environments/qa.yaml: waivers: [{rule: MLC501, resource: cache, reason: \"...\"}] "
        "[MLC501]",
    ])


def _advised(line: str, file: str) -> str:
    """The YAML a diagnostic advises adding to `file`, with a reason written in."""
    m = re.search(rf"add to {re.escape(file)}: (waivers: \[.*\]) \[MLC5\d\d\]$", line)
    assert m, line
    return m.group(1).replace('"..."', '"rebuilt nightly from BigQuery"') + "\n"


def test_the_advised_waiver_accepts_the_rule_in_that_stack_alone(repo):
    _stacks(repo, prod=PRODUCTION, qa=PRODUCTION, dev=DEVELOPMENT)
    first = _lint(repo)[1][0]
    repo.write("prod.yaml", PRODUCTION + _advised(first, "environments/prod.yaml"))
    # prod is waived; qa still fails; dev (development) reports no unused waiver
    assert _lint(repo) == (1, [
        "environments/_base.yaml:6:5: error: session_stores.cache.tier: in stack qa "
        f"(profile production), which extends this file: {TIER}; to accept it there, add to "
        "environments/qa.yaml: waivers: [{rule: MLC501, resource: cache, reason: \"...\"}] "
        "[MLC501]",
    ])


def test_a_rule_fired_in_the_stack_file_itself_keeps_this_file(repo):
    _stacks(repo, prod=PRODUCTION + "session_stores:\n  cache: {tier: basic}\n",
            base=BASE.replace("    tier: basic\n", ""))
    assert _lint(repo) == (1, [
        f"environments/prod.yaml:4:11: error: session_stores.cache.tier: {TIER}; to accept "
        "it, add to this file: waivers: [{rule: MLC501, resource: cache, reason: \"...\"}] "
        "[MLC501]",
    ])


WAIVED_504 = "waivers:\n  - {rule: MLC504, resource: cache, reason: rebuilt nightly anyway}\n"


def test_a_stack_with_waivers_is_told_to_add_to_its_list(repo):
    _stacks(repo, base=BASE + "    protect: false\n", prod=PRODUCTION + WAIVED_504)
    line = ("environments/_base.yaml:6:5: error: session_stores.cache.tier: in stack prod "
            f"(profile production), which extends this file: {TIER}; to accept it there, add "
            "{rule: MLC501, resource: cache, reason: \"...\"} to the waivers list of "
            "environments/prod.yaml (line 3) [MLC501]")
    assert _lint(repo) == (1, [line])
    item = "  - {rule: MLC501, resource: cache, reason: \"a cache, rebuilt nightly\"}\n"
    repo.write("prod.yaml", PRODUCTION + WAIVED_504 + item)
    assert _lint(repo) == (0, [])


def test_a_stack_inheriting_waivers_is_told_its_list_replaces_them(repo):
    _stacks(repo, base=BASE + "    protect: false\n" + WAIVED_504, prod=PRODUCTION)
    assert _lint(repo) == (1, [
        "environments/_base.yaml:6:5: error: session_stores.cache.tier: in stack prod "
        f"(profile production), which extends this file: {TIER}; to accept it there, add to "
        "environments/prod.yaml: waivers: [{rule: MLC501, resource: cache, reason: \"...\"}] "
        "(that list replaces the waivers inherited from environments/_base.yaml: repeat "
        "those that still apply) [MLC501]",
    ])


WAIVED_501 = "waivers: [{rule: MLC501, resource: cache, reason: rebuilt nightly anyway}]\n"


def test_a_waiver_in_a_partial_that_waives_nothing_names_the_stack_and_why(repo):
    _stacks(repo, base=BASE + WAIVED_501, prod=PRODUCTION, dev=DEVELOPMENT,
            qa=PRODUCTION + "session_stores:\n  cache: {tier: standard_ha}\n")
    assert _lint(repo) == (0, [
        "environments/_base.yaml:7:11: warning: waivers[0]: waiver of MLC501 for 'cache' "
        "waives nothing in stack dev (profile development, where production rules do not "
        "apply): put a waiver in the file of the stack it is for [MLC506]",
        "environments/_base.yaml:7:11: warning: waivers[0]: waiver of MLC501 for 'cache' "
        "waives nothing in stack qa, which extends this file: remove it, or put it in the "
        "file of the stack it is for [MLC506]",
    ])


def test_a_waiver_in_the_stack_file_that_waives_nothing_keeps_its_words(repo):
    _stacks(repo, base=BASE.replace("basic", "standard_ha"), prod=PRODUCTION + WAIVED_501)
    assert _lint(repo) == (0, [
        "environments/prod.yaml:3:11: warning: waivers[0]: waiver of MLC501 for 'cache' "
        "waives nothing: remove it [MLC506]",
    ])


def test_a_waiver_in_a_partial_naming_nothing_names_the_stack(repo):
    _stacks(repo, base=BASE.replace("basic", "standard_ha")
            + WAIVED_501.replace("cache", "nothing-here"), prod=PRODUCTION)
    assert _lint(repo) == (1, [
        "environments/_base.yaml:7:11: error: waivers[0]: waiver names 'nothing-here', "
        "which is not a session store or queue of stack prod, which extends this file "
        "[MLC506]",
    ])


# --- (b) a field moved out of its declaration's indentation --------------------------------

HEAD = "providers:\n  gcp: {project: acme-ml-test, region: us-central1}\n"
SYNTAX = "YAML syntax error: "
ITS_OWN = "expected a mapping, got {value}: `{key}` reads as a {kind} of its own; to make it " \
    "a field of `{parent}`, indent it by {n} spaces, "

# (the file after HEAD, the line moved, the diagnostic at it: column, path, message, code)
MOVED = [
    ("session_stores:\n  cache:\n  memory: 1GiB\n    tier: basic\n",
     5, "5:1: error: " + SYNTAX + "`memory` is indented 2 spaces, less than the keys "
        "around it: indent it by 4 spaces, like `tier` on line 6 [MLC104]"),
    ("session_stores:\n  cache:  # the sessions\n  memory: 1GiB\n    tier: basic\n",
     5, "5:1: error: " + SYNTAX + "`memory` is indented 2 spaces, less than the keys "
        "around it: indent it by 4 spaces, like `tier` on line 6 [MLC104]"),
    ("session_stores:\n  cache:\n    tier: basic\n  memory: 1GiB\n"
     "    eviction_policy: allkeys-lru\n",
     6, "6:1: error: " + SYNTAX + "`memory` is indented 2 spaces, less than the keys "
        "around it: indent it by 4 spaces, like `tier` on line 5 [MLC104]"),
    ("session_stores:\n  cache:\n    tier: basic\n  memory: 1GiB\n",
     6, "6:3: error: session_stores.memory: " + ITS_OWN.format(
         value="'1GiB'", key="memory", kind="session store", parent="cache", n=4)
     + "like `tier` on line 5 [MLC202]"),
    ("session_stores:\n  cache:\n    tier: basic\n    eviction_policy: allkeys-lru\n"
     "  memory: 1GiB\nqueues:\n  jobs: {}\n",
     7, "7:3: error: session_stores.memory: " + ITS_OWN.format(
         value="'1GiB'", key="memory", kind="session store", parent="cache", n=4)
     + "like `eviction_policy` on line 6 [MLC202]"),
    ("session_stores:\n  cache:\n    tier: basic\n  memory: 1GiB\n  other:\n    tier: basic\n",
     6, "6:3: error: session_stores.memory: " + ITS_OWN.format(
         value="'1GiB'", key="memory", kind="session store", parent="cache", n=4)
     + "like `tier` on line 5 [MLC202]"),
    ("session_stores:\n  cache:\n  memory: 1GiB\n",
     5, "5:3: error: session_stores.memory: " + ITS_OWN.format(
         value="'1GiB'", key="memory", kind="session store", parent="cache", n=4)
     + "2 more than `cache` on line 4 [MLC202]"),
    ("queues:\n  jobs:\n    retention: 1d\n  visibility_timeout: 60s\n",
     6, "6:3: error: queues.visibility_timeout: " + ITS_OWN.format(
         value="'60s'", key="visibility_timeout", kind="queue", parent="jobs", n=4)
     + "like `retention` on line 5 [MLC202]"),
    ("queues:\n  jobs:\n    subscriptions:\n      workers:\n        retention: 1d\n"
     "      visibility_timeout: 60s\n",
     8, "8:7: error: queues.jobs.subscriptions.visibility_timeout: " + ITS_OWN.format(
         value="'60s'", key="visibility_timeout", kind="subscription", parent="workers", n=8)
     + "like `retention` on line 7 [MLC202]"),
    ("queues:\n  jobs:\n    subscriptions:\n      workers:\n      visibility_timeout: 60s\n"
     "        retention: 1d\n",
     7, "7:1: error: " + SYNTAX + "`visibility_timeout` is indented 6 spaces, less than the "
        "keys around it: indent it by 8 spaces, like `retention` on line 8 [MLC104]"),
]


@pytest.mark.parametrize(("body", "line", "expected"), MOVED, ids=[safe_id(m[2][:60]) + str(i)
                                                                  for i, m in enumerate(MOVED)])
def test_a_moved_field_is_named_at_its_line_and_the_advice_lints_clean(repo, body, line,
                                                                         expected):
    path = repo.write("main.yaml", HEAD + body)
    assert _lint(repo) == (1, [f"environments/main.yaml:{expected}"])
    m = re.search(r"indent it by (\d+) spaces", expected)
    assert m
    lines = path.read_text().split("\n")
    lines[line - 1] = " " * int(m.group(1)) + lines[line - 1].lstrip(" ")
    path.write_text("\n".join(lines))
    assert _lint(repo) == (0, [])


def test_an_over_indented_line_is_still_told_to_line_up_with_the_key_above(repo):
    # (the other side: the line above holds its place among its siblings)
    repo.write("main.yaml", HEAD + "session_stores:\n  cache:\n    tier: basic\n"
               "    memory: 1GiB\n      eviction_policy: allkeys-lru\n")
    assert _lint(repo) == (1, [
        "environments/main.yaml:7:1: error: YAML syntax error: this line is indented more "
        "than `memory` above it, whose value is already on its own line: indent it as that "
        "key (4 spaces) [MLC104]"])


def test_a_declaration_of_a_field_s_name_after_a_flow_mapping_keeps_the_type_error(repo):
    # (the other side: `cache: {...}` takes no indented field, so no indentation is advised)
    repo.write("main.yaml", HEAD + "session_stores:\n  cache: {tier: basic}\n  memory: 1GiB\n")
    assert _lint(repo) == (1, [
        "environments/main.yaml:5:3: error: session_stores.memory: expected a mapping, got "
        "'1GiB' [MLC202]"])


# --- (c) one schema error no longer hides the others ---------------------------------------

GCP_TEST = ('providers:\n  gcp: {project: acme-ml-test, region: us-central1, '
            'project_number: "123456789012"}\n')
# (the keys a store takes, in the language's order: what the message lists)
COLOUR = ("session_stores.cache.colour: unknown key 'colour'; expected one of: "
          + ", ".join(SESSION_STORE_FIELDS) + " [MLC201]")
REGION = ("providers.gcp.region: 'us-centrall1' is not a Google Cloud region (did you mean "
          "'us-central1'?); a region opened since 2026-11-28 can be added with "
          "MLINFRA_EXTRA_REGIONS [MLC317]")
PUBSUB = "queues:\n  events:\n    retry: {min_backoff: 60s, max_backoff: 10s}\n"
BACKOFF = "queues.events.retry: min_backoff 60s is longer than max_backoff 10s [MLC511]"


def test_a_schema_error_no_longer_hides_the_region_and_pub_sub_errors(repo):
    repo.write("main.yaml", GCP_TEST.replace("us-central1", "us-centrall1")
               + "session_stores:\n  cache:\n    memory: 1GiB\n    colour: blue\n" + PUBSUB)
    assert _lint(repo) == (1, [
        f"environments/main.yaml:2:32: error: {REGION}",
        f"environments/main.yaml:6:5: error: {COLOUR}",
        f"environments/main.yaml:9:5: error: {BACKOFF}",
    ])


def test_an_error_in_a_setting_every_declaration_reads_still_stops_the_file(repo):
    # (the other side: the project is every gcp resource's, so nothing is compiled)
    repo.write("main.yaml", GCP_TEST.replace("acme-ml-test", "Acme")
               + "session_stores:\n  cache:\n    memory: 1GiB\n    colour: blue\n" + PUBSUB)
    assert _lint(repo) == (1, [
        "environments/main.yaml:2:9: error: providers.gcp.project: 'Acme' is not a GCP "
        "project id: 6..30 lowercase letters, digits and hyphens, starting with a letter "
        "[MLC205]",
        f"environments/main.yaml:6:5: error: {COLOUR}",
    ])


PRODUCTION_PARTS = """\
profile: production
providers:
  gcp: {project: acme-ml-test, region: us-central1, project_number: "123456789012", network: ml-vpc}
labels:
  team: [ml, platform]
  cost-center: research
exports:
  CACHE_HOST: cache.host
  SESSION_HOST: other.hots
waivers:
  - {rule: MLC501, resource: cache, reason: rebuilt nightly from BigQuery}
  - {rule: MLC505, resource: jobs, reason: short}
session_stores:
  cache:
    tier: basic
    colour: blue
  other:
    tier: basic
queues:
  jobs:
    dead_letter: false
  events:
    dead_letter: false
"""


def test_what_names_a_part_left_out_is_not_checked_and_the_rest_is(repo):
    # cache is left out: its export and its waiver are not checked, nor its rules; the
    # waiver of jobs failed, so jobs' rules are not told; other and events are checked
    repo.write("main.yaml", PRODUCTION_PARTS)
    waive = "to the waivers list of this file (line 10) [{}]"
    assert _lint(repo) == (1, [
        "environments/main.yaml:5:3: error: labels.team: expected a string, got a list "
        "[MLC202]",
        "environments/main.yaml:9:3: error: exports.SESSION_HOST: other.hots: other has no "
        "attribute 'hots' (did you mean 'host'?); it has auth_string, host, id, name, port, "
        "server_ca_cert [MLC323]",
        "environments/main.yaml:12:36: error: waivers[1].reason: is shorter than the minimum "
        "of 10 characters [MLC204]",
        f"environments/main.yaml:16:5: error: {COLOUR}",
        f"environments/main.yaml:18:5: error: session_stores.other.tier: {TIER}; to accept "
        "it, add {rule: MLC501, resource: other, reason: \"...\"} " + waive.format("MLC501"),
        "environments/main.yaml:23:5: error: queues.events.dead_letter: production queues "
        "must have dead letters (queue has none); to accept it, add {rule: MLC505, resource: "
        "events, reason: \"...\"} " + waive.format("MLC505"),
    ])


def test_a_waiver_naming_no_resource_that_fails_leaves_every_rule_untold(repo):
    repo.write("main.yaml", PRODUCTION_PARTS.replace("resource: jobs, reason: short",
                                                     "reason: no resource named here"))
    assert _lint(repo) == (1, [
        "environments/main.yaml:5:3: error: labels.team: expected a string, got a list "
        "[MLC202]",
        "environments/main.yaml:9:3: error: exports.SESSION_HOST: other.hots: other has no "
        "attribute 'hots' (did you mean 'host'?); it has auth_string, host, id, name, port, "
        "server_ca_cert [MLC323]",
        "environments/main.yaml:12:5: error: waivers[1]: 'resource' is a required property "
        "[MLC206]",
        f"environments/main.yaml:16:5: error: {COLOUR}",
    ])


def test_a_declaration_left_out_is_left_out_whole_with_what_it_inherits(repo):
    # main's cache patches _base's: the whole store is left out, not compiled from _base's
    # half; _base's queue is compiled and its error reported
    repo.write("_base.yaml", GCP_TEST + "session_stores:\n  cache: {memory: 1GiB}\n" + PUBSUB)
    repo.write("main.yaml", "extends: _base\nsession_stores:\n  cache:\n    colour: blue\n")
    assert _lint(repo) == (1, [
        f"environments/_base.yaml:7:5: error: {BACKOFF}",
        f"environments/main.yaml:4:5: error: {COLOUR}",
    ])
    rc, _, err = repo.run("explain", "main", "session_stores.cache.memory")
    assert (rc, err) == (1, f"environments/_base.yaml:7:5: error: {BACKOFF}\n"
                            f"environments/main.yaml:4:5: error: {COLOUR}\n")
    rc, out, _ = repo.run("explain", "main", "queues.events.retention")
    assert rc == 0 and out.startswith("main: queues.events.retention = ")


def test_a_partial_with_a_schema_error_still_stops_the_stacks_on_it(repo):
    # (the other side: only the environment's own file is compiled in part)
    repo.write("_base.yaml", GCP_TEST + "session_stores:\n  cache:\n    colour: blue\n")
    repo.write("main.yaml", "extends: _base\n" + PUBSUB)
    assert _lint(repo) == (1, [
        "environments/_base.yaml:5:5: error: " + COLOUR,
        "environments/main.yaml:1:1: error: extends: extends _base, which has errors "
        "[MLC314]",
    ])
