"""Issue 27, round 2: aliases charged by the text they expand to, a maximum length for
every string of the language, values in diagnostics cut short, and numbers too large to
read. Size and time cases run in a child process under resource limits, so that a
regression fails fast instead of eating the machine."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from mlinfra_compile.loader import LoadedFile, parse_bytes
from tests.golden import REPO, run_cli

PUBLISHED = json.loads((REPO / "schemas" / "environment.schema.json").read_text())

_CHILD = textwrap.dedent("""\
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB of address space
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))  # 20 s of CPU
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 20, 64 << 20))  # 64 MiB of output
    from mlinfra_compile.cli import main
    sys.exit(main(sys.argv[1:]))
    """)


def limited(root: Path, *args: str) -> tuple[int, str, str]:
    """mlinfra in a child under 1 GiB of address space, 20 s of CPU and 64 MiB of output
    (a child over a limit is killed: a negative return code)."""
    out, err = root / "stdout.txt", root / "stderr.txt"
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.run([sys.executable, "-c", _CHILD, "--root", str(root), *args],
                              stdout=o, stderr=e, cwd=REPO, timeout=120, check=False)
    return (proc.returncode, out.read_text("utf-8", "replace"),
            err.read_text("utf-8", "replace"))


def write(root: Path, text: str, name: str = "main.yaml") -> None:
    (root / "environments").mkdir(exist_ok=True)
    (root / "environments" / name).write_text(text, encoding="utf-8")


def parsed(text: str) -> list[tuple[int, int, str, str, str]]:
    f = parse_bytes(text.encode(), LoadedFile("x.yaml"))
    return [(d.line, d.column, d.code, d.path, d.message) for d in f.diagnostics]


GCP = "providers: {gcp: {project: acme-ml-test, region: us-central1, network: ml}}\n"
PRODUCTION = "profile: production\n" + GCP + "session_stores:\n  cache: {tier: basic}\n"


def _no_traceback(out: str, err: str) -> None:
    assert "Traceback" not in out + err and "internal error" not in out + err, err[-2000:]


# --- the two attacks of the issue --------------------------------------------------------

def test_a_long_string_aliased_10000_times_is_one_diagnostic_in_bounded_memory(tmp_path):
    # 800 KB aliased 10,000 times: 8 GB of label values, each once in a diagnostic.
    text = GCP + "labels:\n  k: &a " + "a" * 800_000 + "\n" + \
        "".join(f"  k{i}: *a\n" for i in range(10_000))
    assert len(text.encode()) < 1024 * 1024
    write(tmp_path, text)
    rc, out, err = limited(tmp_path, "lint")
    _no_traceback(out, err)
    assert rc == 1, (rc, err[-2000:])
    assert "[MLC108]" in out and "aliases expand to more than 1 MiB of text" in out
    assert len(out) < 4096


def test_a_long_waiver_reason_aliased_10000_times_stops_plan_quickly(tmp_path):
    # Lint-clean before: plan --format markdown wrote 2 GiB in 131 s with 8.8 GB.
    text = PRODUCTION + "waivers:\n" + \
        "  - {rule: MLC501, resource: cache, reason: &r " + "b" * 450_000 + "}\n" + \
        "".join("  - {rule: MLC501, resource: cache, reason: *r}\n" for _ in range(9_999))
    assert len(text.encode()) < 1024 * 1024
    write(tmp_path, text)
    rc, out, err = limited(tmp_path, "plan", "main", "--format", "markdown")
    _no_traceback(out, err)
    assert rc == 1, (rc, err[-2000:])
    assert "[MLC108]" in out + err
    assert len(out) + len(err) < 4096


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_plan_of_a_file_of_long_strings_within_the_limits_is_bounded(tmp_path, fmt):
    # The longest reason (1000 characters) aliased as often as the text budget allows, a
    # label of the longest value on 50 declarations: lint-clean, and plan's output is of
    # the order of the data, not a product of it.
    reason = "r" * 1000
    text = PRODUCTION.replace("session_stores:\n", "labels: {team: " + "t" * 63 + "}\n"
                              "session_stores:\n") + \
        "".join(f"  c{i}: {{tier: basic}}\n" for i in range(50)) + "waivers:\n" + \
        f"  - {{rule: MLC501, resource: cache, reason: &r {reason}}}\n" + \
        "".join(f"  - {{rule: MLC501, resource: c{i % 50}, reason: *r}}\n" for i in range(1000))
    write(tmp_path, text)
    rc, out, err = limited(tmp_path, "lint")
    assert rc == 0, out + err[-2000:]
    rc, out, err = limited(tmp_path, "plan", "main", "--format", fmt)
    _no_traceback(out, err)
    assert rc == 0, err[-2000:]
    assert reason in out
    assert len(out) < 4 * 1024 * 1024, len(out)


# --- the alias budget: values and bytes, both sides ------------------------------------

def test_aliases_within_the_text_budget_pass_and_one_byte_more_is_a_bomb():
    # 16 aliases of a 65,536-byte string: exactly 1 MiB of expanded text.
    ok = "a: &s " + "x" * 65_536 + "\n" + "".join(f"k{i}: *s\n" for i in range(16))
    assert parsed(ok) == []
    over = "a: &s " + "x" * 65_537 + "\n" + "".join(f"k{i}: *s\n" for i in range(16))
    assert parsed(over) == [
        (17, 6, "MLC108", "k15", "aliases expand to more than 1 MiB of text (1048576 "
                                 "bytes); this file looks like an alias bomb")]


def test_the_text_budget_counts_keys_and_utf8_bytes_of_collections():
    # {k: "é" x 32,768}: 1 byte of key and 65,536 bytes (not 32,768 characters) of value
    value = "é" * 32_768  # 65,536 bytes of UTF-8, 32,768 characters
    ok = f"a: &m {{k: {value}}}\n" + "".join(f"c{i}: *m\n" for i in range(15))
    assert parsed(ok) == []  # 15 x (1 + 65,536) bytes
    over = f"a: &m {{k: {value}}}\n" + "".join(f"c{i}: *m\n" for i in range(16))
    assert [d[2] for d in parsed(over)] == ["MLC108"]  # 16 x 65,537 > 1,048,576


def test_a_copy_is_charged_its_values_and_the_bytes_of_its_json_text():
    from mlinfra_compile.budget import size

    # 1 mapping + 1 list + 6 scalars; "é" is 2 bytes, null 4, true 4, false 5, 12 is 2,
    # 1.5 is 3, "ab" 2
    assert size({"é": [None, True, False, 12, 1.5, "ab"]}) == (8, 2 + 4 + 4 + 5 + 2 + 3 + 2)
    assert size("x" * 10) == (1, 10) and size([]) == (1, 0) and size({}) == (1, 0)
    assert (size(True), size(False)) == ((1, 4), (1, 5))  # (each its own: the sum above
    # is the same with the two swapped)


def test_the_value_count_budget_still_holds():
    items = ", ".join(["x"] * 99)  # 100 values a copy
    ok = f"a: &l [{items}]\n" + "".join(f"k{i}: *l\n" for i in range(100))
    assert parsed(ok) == []
    assert parsed(ok + "k100: *l\n")[0][2:4] == ("MLC108", "k100")


# --- every string of the language has a maximum length ------------------------------------

def _strings(node: Any, path: str = "#") -> list[tuple[str, dict[str, Any]]]:
    """Every schema node that takes a string (a string type, or any value at all), and
    every `propertyNames` (keys are strings too)."""
    out: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        types = node.get("type")
        types = types if isinstance(types, list) else [types] if types else []
        anything = not types and "enum" not in node and "$ref" not in node and \
            not {"properties", "if", "then", "not", "anyOf", "allOf"} & set(node) and \
            path.rsplit("/", 1)[-1] in ("items", "additionalProperties", "propertyNames")
        if "string" in types or anything:
            out.append((path, node))
        if "object" in types and "additionalProperties" not in node:
            out.append((path + "/additionalProperties(missing)", {}))
        if "object" in types and node.get("additionalProperties") is not False and \
                "propertyNames" not in node:
            out.append((path + "/propertyNames(missing)", {}))
        for k, v in node.items():
            # (an `if` is a condition on the value, not what it may be)
            if k not in ("examples", "default", "defaultSnippets", "enum", "const", "if"):
                out.extend(_strings(v, f"{path}/{k}"))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_strings(v, f"{path}/{i}"))
    return out


def test_every_string_of_the_published_schema_has_a_maximum_length():
    found = _strings(PUBLISHED)
    assert len(found) > 50
    unbounded = [p for p, node in found if not isinstance(node.get("maxLength"), int)]
    assert unbounded == []


# The limits, by hand, each from the provider's documentation or a documented bound.
LIMITS: dict[str, int] = {
    "#/properties/extends": 255,
    "#/properties/environment": 100,
    "#/properties/name_template": 200,
    # a project id is 30 characters; a domain-scoped one is `DOMAIN:ID`, the domain a DNS
    # name of at most 63 ("Creating and managing projects"): 63 + 1 + 30
    "#/properties/providers/properties/gcp/properties/project": 94,
    "#/properties/providers/properties/gcp/properties/region": 63,
    "#/properties/providers/properties/gcp/properties/project_number": 20,
    # projects/ + a project id (94) + /global/networks/ + a network name (63)
    "#/properties/providers/properties/gcp/properties/network": 9 + 94 + 17 + 63,
    "#/properties/providers/properties/aws/properties/region": 63,
    "#/properties/providers/properties/aws/properties/subnet_ids/items": 24,
    "#/properties/providers/properties/aws/properties/vpc_id": 21,
    "#/properties/labels/additionalProperties": 256,
    "#/properties/labels/propertyNames": 128,
    "#/properties/waivers/items/properties/resource": 40,
    "#/properties/waivers/items/properties/reason": 1000,
    "#/properties/exports/propertyNames": 128,
    "#/properties/exports/additionalProperties": 128,
    "#/properties/session_stores/propertyNames": 40,
    "#/properties/queues/propertyNames": 40,
    "#/$defs/session_store/properties/name": 255,
    "#/$defs/session_store/properties/description": 255,
    "#/$defs/session_store/properties/import": 1024,
    "#/$defs/session_store/properties/import/propertyNames": 81,
    "#/$defs/session_store/properties/previous_names/items": 873,
    "#/$defs/session_store/properties/encryption": 2052,
    "#/$defs/session_store/properties/memory": 32,
    "#/$defs/session_store/properties/region": 63,
    "#/$defs/session_store/properties/node_type": 64,
    "#/$defs/session_store/properties/maintenance/properties/start": 5,
    "#/$defs/session_store/properties/network/properties/name": 9 + 94 + 17 + 63,
    "#/$defs/session_store/properties/network/properties/reserved_ip_range": 63,
    "#/$defs/session_store/properties/network/properties/allow_from/items": 20,
    "#/$defs/session_store/properties/network/properties/security_group_ids/items": 20,
    "#/$defs/session_store/properties/access/properties/publishers/items": 512,
    "#/$defs/queue/properties/delay": 32,
    "#/$defs/queue/properties/expiry": 32,
    "#/$defs/queue/properties/max_message_size": 32,
    "#/$defs/queue/properties/usage/properties/average_message_size": 32,
    "#/$defs/queue/properties/subscriptions/propertyNames": 20,
    "#/$defs/queue/properties/pulumi_args/propertyNames": 128,
    "#/$defs/sdk_value": 65_536,
    "#/$defs/sdk_value/propertyNames": 128,
}


def _node(pointer: str) -> dict[str, Any]:
    node: Any = PUBLISHED
    for part in pointer[2:].split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part]
    assert isinstance(node, dict)
    return node


@pytest.mark.parametrize("pointer", sorted(LIMITS))
def test_each_limit_is_the_documented_one(pointer):
    assert _node(pointer).get("maxLength") == LIMITS[pointer]


@pytest.mark.parametrize("pointer", sorted({p for p, _ in _strings(PUBLISHED)
                                            if "(missing)" not in p}))
def test_both_sides_of_every_maximum_length(pointer):
    from jsonschema import Draft202012Validator  # (a real validator, not fastschema)

    node = _node(pointer)
    limit = node.get("maxLength")
    assert isinstance(limit, int), pointer
    validator = Draft202012Validator({**node, "$defs": PUBLISHED["$defs"]})

    def length_errors(value: str) -> list[str]:
        return [e.validator for e in validator.iter_errors(value)
                if e.validator == "maxLength"]

    assert length_errors("a" * limit) == []
    assert length_errors("a" * (limit + 1)) == ["maxLength"]


@pytest.mark.parametrize(("length", "ok"), [(1000, True), (1001, False)])
def test_a_waiver_reason_is_at_most_1000_characters(tmp_path, length, ok):
    write(tmp_path, PRODUCTION + "waivers:\n  - {rule: MLC501, resource: cache, reason: "
                    + "w" * length + "}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    if ok:
        assert rc == 0, out
    else:
        assert rc == 1
        assert "environments/main.yaml:6:37: error: waivers[0].reason: is 1,001 characters, " \
               "longer than the maximum of 1000 [MLC204]\n" in out


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("k" * 128, "v" * 256, None),
    ("k" * 129, "v", "labels['kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…' (129 characters)]: key is "
                     "129 characters, longer than the maximum of 128 [MLC204]"),
    ("team", "v" * 257, "labels.team: is 257 characters, longer than the maximum of 256 "
                        "[MLC204]"),
])
def test_labels_keys_and_values_have_the_aws_limits(tmp_path, key, value, expected):
    write(tmp_path, "providers: {aws: {region: us-east-1}}\nlabels:\n  " + key + ": " + value
          + "\nqueues:\n  jobs: {}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    if expected is None:
        assert rc == 0, out
    else:
        assert rc == 1 and expected in out, out


def test_a_long_value_is_one_diagnostic_not_a_pattern_error_too(tmp_path):
    write(tmp_path, GCP + "session_stores:\n  cache: {memory: " + "9" * 5000 + "GB}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert out.splitlines()[0] == ("environments/main.yaml:3:11: error: "
                                   "session_stores.cache.memory: is 5,002 characters, longer "
                                   "than the maximum of 32 [MLC204]")
    assert out.count("[MLC") == 1


def test_a_value_short_enough_to_quote_keeps_the_pattern_message_that_says_more(tmp_path):
    write(tmp_path, GCP + "session_stores:\n  cache: {memory: " + "9" * 40 + "GB}\n")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert out.splitlines()[0] == (
        "environments/main.yaml:3:11: error: session_stores.cache.memory: invalid size '"
        + "9" * 40 + "GB': write N followed by MiB or GiB (1GiB, 512MiB); units are binary, "
        "GiB not GB (did you mean '" + "9" * 40 + "GiB'?) [MLC207]")
    assert out.count("[MLC") == 1


# --- values in diagnostics are cut short --------------------------------------------------

def test_cut_shows_short_values_whole_and_long_ones_cut_with_their_length():
    from mlinfra_compile.escape import cut

    assert cut("a" * 64) == repr("a" * 64)
    assert cut("a" * 65) == "'" + "a" * 32 + "…' (65 characters)"
    assert cut("a" * 800_000) == "'" + "a" * 32 + "…' (800,000 characters)"
    assert cut("it's" + "x" * 100).startswith('"it\'s') and "(104 characters)" in \
        cut("it's" + "x" * 100)


def test_cut_text_shows_64_characters_whole_and_65_cut_with_their_length():
    from mlinfra_compile.escape import cut_text

    assert cut_text("a" * 64) == "a" * 64
    assert cut_text("a" * 65) == "a" * 32 + "… (65 characters)"


@pytest.mark.parametrize(("text", "expected"), [
    ("profile: " + "p" * 100_000 + "\n",
     "profile: 'pppppppppppppppppppppppppppppppp…' (100,000 characters) is not one of: "
     "development, production [MLC203]"),
    ("k" * 1000 + ": 1\n",  # (YAML takes a key of at most 1024 characters without `? `)
     "error: ['kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…' (1,000 characters)]: unknown key "
     "'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…' (1,000 characters); expected one of:"),
    ("a: b: " + "x" * 100_000 + "\n", 'quote the value, e.g. a: "b: '
                                     'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (100,003 characters)"'),
    ("labels: " + "x" * 100_000 + "\n",
     "labels: expected a mapping, got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (100,000 characters)"),
    ("d" * 70 + ": 1\n" + "d" * 70 + ": 2\n",
     "duplicate key 'dddddddddddddddddddddddddddddddd…' (70 characters)"),
    ('"' + "s" * 100_000 + '"\n', "not the scalar 'ssssssssssssssssssssssssssssssss…' "
                                  "(100,000 characters)"),
], ids=["enum", "unknown-key", "wrong-type", "yaml-syntax", "duplicate-key", "top-level"])
def test_diagnostics_show_long_values_cut_short(tmp_path, text, expected):
    write(tmp_path, text)
    rc, out, _ = run_cli(tmp_path, "lint")
    assert rc == 1
    assert expected in out, out[:3000]
    assert max(len(line) for line in out.splitlines()) < 2000


def test_a_diagnostic_message_is_capped():
    from mlinfra_compile.diagnostics import MAX_MESSAGE, Diagnostic

    d = Diagnostic("f.yaml", 1, 1, "MLC208", "x", "m" * 1_000_000)
    assert len(d.message) <= MAX_MESSAGE + 40
    assert d.message.endswith("(1,000,000 characters)")
    short = Diagnostic("f.yaml", 1, 1, "MLC208", "x", "m" * MAX_MESSAGE)
    assert short.message == "m" * MAX_MESSAGE


# --- numbers too large to read (Python's 4,300 digits) ------------------------------------

BIG = "1" * 5000
BIG_SHOWN = "'11111111111111111111111111111111…' (5,000 characters) is a number too large to " \
    "read: numbers here have at most 100 digits; quote it if you meant text [MLC112]"


@pytest.mark.parametrize(("text", "where"), [
    (GCP + f"session_stores:\n  cache: {{memory: {BIG}}}\n", "3:19: error: "
                                                             "session_stores.cache.memory"),
    ("providers: {aws: {region: us-east-1}}\n" + f"queues:\n  jobs: {{delay: {BIG}}}\n",
     "3:17: error: queues.jobs.delay"),
    (GCP + f"labels: {{team: {BIG}}}\n", "2:16: error: labels.team"),
    (GCP + f"queues:\n  jobs: {{retention: {BIG}}}\n", "3:21: error: queues.jobs.retention"),
])
def test_a_5000_digit_integer_is_a_diagnostic(tmp_path, text, where):
    write(tmp_path, text)
    rc, out, err = run_cli(tmp_path, "lint")
    _no_traceback(out, err)
    assert rc == 1
    assert out.startswith(f"environments/main.yaml:{where}: {BIG_SHOWN}\n"), out[:500]


@pytest.mark.parametrize(("field", "value"), [
    ("delay", BIG + "s"), ("retention", "1d" + BIG + "h"),
    ("max_message_size", BIG + "B"), ("visibility_timeout", BIG),
])
def test_a_5000_digit_duration_or_size_is_a_diagnostic(tmp_path, field, value):
    write(tmp_path, "providers: {aws: {region: us-east-1}}\n"
                    f"queues:\n  jobs: {{{field}: \"{value}\"}}\n")
    rc, out, err = run_cli(tmp_path, "lint")
    _no_traceback(out, err)
    assert rc == 1
    assert f"queues.jobs.{field}: is {len(value):,} characters, longer than the maximum of " \
           "32 [MLC204]" in out, out[:500]


@pytest.mark.parametrize("text", [
    "n: " + "9" * 100 + "\n",  # 100 digits: the most a number may have
    "n: -" + "9" * 100 + "\n",
    "n: 0x" + "f" * 80 + "\n",  # 97 decimal digits
], ids=["100-digits", "minus-100-digits", "hex-97-digits"])
def test_numbers_of_up_to_100_digits_are_read(text):
    assert parsed(text) == []


@pytest.mark.parametrize("text", [
    "n: 1" + "0" * 100 + "\n",  # 101 digits
    "n: -1" + "0" * 100 + "\n",
    "n: 0x" + "f" * 5000 + "\n",  # hexadecimal: int() takes it, str() of it fails
    "n: 0" + "7" * 5000 + "\n",  # YAML 1.1 octal
    "n: 0b" + "1" * 20000 + "\n",
    "n: 1_" + "0" * 5000 + "\n",
    "n: 1" + ":59" * 3000 + "\n",  # sexagesimal: a 5,000-digit number from short parts
    "n: 1" + ":59" * 60 + "\n",  # 181 characters, 107 digits
    "n: 0x" + "f" * 90 + "\n",  # 92 characters, 109 digits
], ids=["101-digits", "minus-101-digits", "hex-5000", "octal-5000", "binary-20000",
        "underscores", "sexagesimal-9001-characters", "sexagesimal-107-digits",
        "hex-109-digits"])
def test_larger_numbers_in_any_yaml_form_are_a_diagnostic(text):
    found = parsed(text)
    assert [(d[2], d[3]) for d in found] == [("MLC112", "n")]
    assert "is a number too large to read" in found[0][4]


def test_a_float_of_5000_digits_is_a_diagnostic():
    found = parsed("n: " + "9" * 5000 + ".5\n")
    assert [d[2] for d in found] == ["MLC112"]
    assert "(5,002 characters)" in found[0][4] and len(found[0][4]) < 300


def test_units_read_no_number_longer_than_the_schema_takes():
    from mlinfra_compile.units import MAX_LENGTH, parse_duration, parse_size

    assert MAX_LENGTH == 32
    assert parse_duration("9" * 31 + "s") == int("9" * 31)
    assert parse_size("9" * 31 + "B") == int("9" * 31)
    assert parse_duration("9" * 32 + "s") is None  # longer than the schema takes
    assert parse_size("9" * 32 + "B") is None
    assert parse_duration(BIG + "s") is None and parse_size(BIG + "GiB") is None
    assert parse_duration("1d" + BIG + "h") is None


def test_a_version_of_5000_digits_in_a_state_file_is_compared_not_an_internal_error():
    from mlinfra_compile.providers.aws_elasticache import version_tuple

    assert version_tuple("7.1") == (7, 1) and version_tuple("6.x") == (6,)
    assert version_tuple("7." + "9" * 18) == (7, int("9" * 18))
    assert version_tuple("7." + "9" * 5000) == (7, 10**18)  # above every real version
    assert version_tuple("7.1" + "\u00b2") == (7,)  # a superscript is no digit int() reads
