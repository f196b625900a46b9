"""Issue 30: the schema's messages, one branch at a time, each read whole (the mutation
run showed no test read the branch for a wrongly typed duration, the folding of an enum
value's case, spaces and hyphens, an expiry, or where a YAML surprise stops being shown).

Each expected line was written from the rule it states, not copied from the code: the
forms of a duration and a size are the language's (docs/language.md), the enum is
Memorystore's maxmemory-policy list."""

from __future__ import annotations

import textwrap

import pytest

from mlinfra_compile.forms import KEY_RULES
from mlinfra_compile.schema import build_schema
from tests.golden import run_cli, schema_nodes

DURATION = ("an integer number of seconds, or parts Nd Nh Nm Ns in that order "
            "(90s, 1d, 1h30m)")
SIZE = "an integer number of bytes, or N followed by B, KiB, MiB or GiB (256KiB, 1GiB)"
POLICIES = ("volatile-lru, allkeys-lru, volatile-lfu, allkeys-lfu, volatile-random, "
            "allkeys-random, volatile-ttl, noeviction")
HEAD = "profile: development\nproviders: {aws: {region: us-east-1}, " \
       "gcp: {project: acme-ml-dev, region: us-central1}}\ndefault_provider: aws\n"


def _lint(tmp_path, body: str) -> list[str]:
    env = tmp_path / "environments"
    env.mkdir(exist_ok=True)
    (env / "dev.yaml").write_text(HEAD + textwrap.dedent(body))
    code, out, _ = run_cli(tmp_path, "lint")
    assert code == 1
    return [line.split(": error: ", 1)[1] for line in out.splitlines()]


@pytest.mark.parametrize("body, message", [
    # a type given as one name, not a list of them
    ("waivers: [just a string]\n",
     "waivers[0]: expected a mapping, got 'just a string' [MLC202]"),
    # null and a mapping in words (a null stays only inside a list: elsewhere it removes)
    ("queues:\n  jobs: {previous_names: [null]}\n",
     'queues.jobs.previous_names[0]: expected a string, got null (YAML reads `null` as '
     'null: quote it, "null", if you meant text) [MLC202]'),
    ("queues:\n  jobs: {previous_names: [{a: 1}]}\n",
     "queues.jobs.previous_names[0]: expected a string, got a mapping [MLC202]"),
    # two types besides null, each in words
    ("queues:\n  jobs: {dead_letter: [1]}\n",
     "queues.jobs.dead_letter: expected a mapping or true or false, got a list [MLC202]"),
    # a duration and a size say their forms, not "an integer or a string"
    ("queues:\n  jobs: {delay: [1]}\n",
     f"queues.jobs.delay: expected {DURATION}, got a list [MLC202]"),
    ("queues:\n  jobs: {max_message_size: [2]}\n",
     f"queues.jobs.max_message_size: expected {SIZE}, got a list [MLC202]"),
    ("session_stores:\n  cache: {provider: gcp, memory: [1]}\n",
     "session_stores.cache.memory: expected a size with a unit, N followed by MiB or GiB "
     "(1GiB, 512MiB), got a list [MLC202]"),
    # below zero: negative, with the forms
    ("queues:\n  jobs: {retention: -5}\n",
     f"queues.jobs.retention: -5 is negative; use {DURATION} [MLC207]"),
    ("queues:\n  jobs: {max_message_size: -1}\n",
     f"queues.jobs.max_message_size: -1 is negative; use {SIZE} [MLC207]"),
    # a duration nothing is near, and one that is
    ("queues:\n  jobs: {visibility_timeout: zzz}\n",
     f"queues.jobs.visibility_timeout: invalid duration 'zzz': use {DURATION} [MLC207]"),
    ("queues:\n  jobs: {receive_wait: 3 secs}\n",
     f"queues.jobs.receive_wait: invalid duration '3 secs': use {DURATION} "
     "(did you mean '3s'?) [MLC207]"),
    ("queues:\n  ps: {provider: gcp, subscriptions: {a: {expiry: sometimes}}}\n",
     "queues.ps.subscriptions.a.expiry: invalid expiry 'sometimes': use `never` or a "
     f"duration ({DURATION}) [MLC207]"),
    # a key off its pattern, by what the key names
    ("queues:\n  ps: {provider: gcp, subscriptions: {Bad_Key: {}}}\n",
     "queues.ps.subscriptions.Bad_Key: subscription key 'Bad_Key' must be 1..20 lowercase "
     "letters, digits and hyphens, starting with a letter and not ending with a hyphen "
     "[MLC205]"),
    ("exports:\n  1bad: cache.host\n",
     "exports.1bad: output name '1bad' must be letters, digits and `_`, not starting with "
     "a digit [MLC205]"),
    # a value off its pattern inside a list item
    ("waivers: [{rule: MLC501, resource: Bad Name, reason: because it is fine}]\n",
     "waivers[0].resource: 'Bad Name' is not a declaration name: 2..40 lowercase letters, "
     "digits and hyphens, starting with a letter and not ending with a hyphen [MLC205]"),
])
def test_each_schema_message_whole(tmp_path, body, message):
    assert _lint(tmp_path, body) == [message]


@pytest.mark.parametrize("written", [
    "ALLKEYS LRU",  # case and a space: the same words
    "ALLKEYS-LRU",  # case only (too far from any value for a spelling match)
    "allkeys_lru",  # an underscore for the hyphen
])
def test_an_enum_value_in_other_case_or_separators_is_the_value_meant(tmp_path, written):
    assert _lint(tmp_path, f"session_stores:\n  cache: {{provider: gcp, eviction_policy: "
                           f"{written}}}\n") == [
        f"session_stores.cache.eviction_policy: {written!r} is not one of: {POLICIES} "
        "(did you mean 'allkeys-lru'?) [MLC203]"]


def test_an_enum_value_near_none_gets_no_guess(tmp_path):
    assert _lint(tmp_path, "session_stores:\n  cache: {provider: gcp, eviction_policy: "
                           "qqq}\n") == [
        f"session_stores.cache.eviction_policy: 'qqq' is not one of: {POLICIES} [MLC203]"]


@pytest.mark.parametrize("digits, shown", [(64, True), (65, False)])
def test_a_yaml_surprise_is_explained_up_to_64_characters(tmp_path, digits, shown):
    raw = "1" * digits
    hint = (f" (YAML reads `{raw}` as {raw}: quote it, \"{raw}\", if you meant text)"
            if shown else "")
    assert _lint(tmp_path, f"name_template: {raw}\n") == [
        f"name_template: expected a string, got {raw}{hint} [MLC202]"]


def test_every_key_pattern_of_the_schema_has_its_words():
    found = {n["propertyNames"]["pattern"] for n in schema_nodes(build_schema())
             if isinstance(n.get("propertyNames"), dict) and "pattern" in n["propertyNames"]}
    assert found and found <= set(KEY_RULES)


def test_the_schema_bounds_are_those_the_messages_word():
    """The out-of-bounds words cover minimum and maximum; the schema sets no exclusive
    bound (an `exclusiveMinimum` would need its own words, and a test here)."""
    text = str(build_schema())
    assert "'minimum'" in text and "'maximum'" in text
    assert "exclusiveMinimum" not in text and "exclusiveMaximum" not in text


# --- a field written one level too far out reads as a declaration (misplaced.py) ---------

ADVICE = ("queues.retention: expected a mapping, got '2d': `retention` reads as a queue of "
          "its own; to make it a field of `jobs`, indent it by 4 spaces, like `{field}` on "
          "line {line} [MLC202]")


def test_a_field_out_of_its_declaration_is_advised_back_under_its_last_field(tmp_path):
    # (lines: 4 queues, 5 jobs, 6 delay, 7 visibility_timeout, 8 retention)
    assert _lint(tmp_path, "queues:\n  jobs:\n    delay: 10s\n    visibility_timeout: 1m\n"
                           "  retention: 2d\n") == [
        ADVICE.format(field="visibility_timeout", line=7)]


@pytest.mark.parametrize("body, message", [
    # a key that is no field name: a queue of the wrong type, nothing to advise
    ("queues:\n  jobs:\n    delay: 10s\n  jobz: 2d\n",
     "queues.jobz: expected a mapping, got '2d' [MLC202]"),
    # the declaration above is a list: no field to line it up with
    ("queues:\n  jobs: [{delay: 10s}]\n  retention: 2d\n",
     "queues.jobs: expected a mapping, got a list [MLC202]\n"
     "queues.retention: expected a mapping, got '2d' [MLC202]"),
    # a wrong type inside a list item inside a list: no declaration to read it as
    ("waivers: [{rule: MLC501, resource: jobs, reason: [1]}]\n",
     "waivers[0].reason: expected a string, got a list [MLC202]"),
])
def test_no_advice_where_no_field_was_moved(tmp_path, body, message):
    assert _lint(tmp_path, body) == message.split("\n")


# --- a change's reason in a markdown table cell -----------------------------------------

@pytest.mark.parametrize("verdict", ["refused", "update"])
def test_a_reason_in_a_markdown_diff_renders_as_the_text_it_is(verdict):
    """A reason may carry a user's value (a version, a name): in the markdown diff's table
    it must stay one cell of plain text. The oracle is GitHub's renderer, cmark-gfm."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    from mlinfra_compile.diff import ArgChange
    from mlinfra_compile.markdown import _effect

    why = "from <b>x</b> | *y* to [z](http://e.com)"
    cell = _effect(ArgChange("engine_version", "a", "b", verdict, why))
    html = cmarkgfm.github_flavored_markdown_to_html(
        f"| effect |\n|---|\n| {cell} |\n", options=Options.CMARK_OPT_UNSAFE)
    assert html.count("<td>") == 1 and "<b>" not in html and "<em>" not in html
    assert "<a " not in html and "&lt;b&gt;x&lt;/b&gt; | *y* to [z](http://e.com)" in html


@pytest.mark.parametrize("names, repeat", [
    ("[a-one, old, old]", "'old'"),  # the repeat, not the first item
    ("[old, a-one, old]", "'old'"),
    # 1 and 1.0 are one JSON number (jsonschema's uniqueItems: equal as JSON), written
    # differently: the later one, as written (each is also not a string)
    ("[1, 1.0]", "1.0"),
    # a repeated mapping, as JSON text with its keys sorted (the repeat is written b
    # first), cut where a long one would flood the line: 64 characters are shown whole
    # ('{"k": "' and '"}' are 9 of them), 65 cut to 64 and "..."
    ("[{a: x, b: 1}, {b: 1, a: x}]", '{"a": "x", "b": 1}'),
    (f"[{{k: {'v' * 55}}}, {{k: {'v' * 55}}}]", '{"k": "' + "v" * 55 + '"}'),
    (f"[{{k: {'v' * 56}}}, {{k: {'v' * 56}}}]", '{"k": "' + "v" * 56 + '"...'),
    (f"[{{k: {'v' * 200}}}, {{k: {'v' * 200}}}]", '{"k": "' + "v" * (64 - len('{"k": "')) + "..."),
])
def test_a_list_that_repeats_an_item_names_the_repeat(tmp_path, names, repeat):
    out = _lint(tmp_path, f"queues:\n  jobs: {{previous_names: {names}}}\n")
    assert out[0] == f"queues.jobs.previous_names: lists {repeat} twice [MLC208]"


def test_two_bad_keys_of_one_mapping_each_get_their_own_best_message(tmp_path):
    # a key too long to quote whole says its length; a short key off the pattern says the
    # pattern: the two are told apart by the key itself, both errors being the mapping's
    out = _lint(tmp_path, "queues:\n  " + "A" * 300 + ": {}\n  Bad: {}\n")
    assert [line.rsplit(" [", 1)[1] for line in out] == ["MLC204]", "MLC205]"]
    assert out[0].endswith("key is 300 characters, longer than the maximum of 40 [MLC204]")
    assert out[1].startswith("queues.Bad: name 'Bad' must be 2..40 lowercase letters")
