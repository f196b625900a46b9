"""The loader: safe YAML, a source map, and every limit as a diagnostic."""

from __future__ import annotations

import tracemalloc

import pytest

from mlinfra_compile.loader import MAX_FILE_BYTES, LoadedFile, parse_bytes, read_file


def load(text: str | bytes) -> LoadedFile:
    raw = text.encode() if isinstance(text, str) else text
    return parse_bytes(raw, LoadedFile("env.yaml"))


def codes(f: LoadedFile) -> list[str]:
    return [d.code for d in f.diagnostics]


def test_values_and_positions():
    f = load("profile: production\nqueues:\n  jobs:\n    delay: 90s\n    fifo: true\n")
    assert f.data == {"profile": "production",
                      "queues": {"jobs": {"delay": "90s", "fifo": True}}}
    assert f.key_loc(("queues", "jobs", "delay")) == (4, 5)
    assert f.value_loc(("queues", "jobs", "delay")) == (4, 12)
    assert f.loc(("queues", "jobs", "missing"), key=True) == (3, 3)  # nearest enclosing
    assert f.key_loc(("queues", "jobs", "missing")) is None
    assert f.value_loc(("queues", "missing")) is None


def test_a_position_past_a_million_columns_keeps_its_line():
    """Positions are kept packed in one int; the last column of a file at the size limit
    must not spill into the line."""
    from mlinfra_compile.loader import MAX_FILE_BYTES

    pad = "x" * (MAX_FILE_BYTES - 40)
    f = load(f"a: 1\nb: {{c: {pad}, d: 2}}\n")
    assert f.value_loc(("b", "d")) == (2, len("b: {c: ") + len(pad) + len(", d: ") + 1)
    assert f.key_loc(("b", "d")) == (2, len("b: {c: ") + len(pad) + len(", ") + 1)
    assert f.loc(("b", "d")) == f.value_loc(("b", "d"))


def test_plain_keys_are_text_and_plain_values_remember_their_text():
    f = load("on: 1\n07: x\nversion: 7.0\nregion: no\nname: 'no'\n")
    assert f.data == {"on": 1, "07": "x", "version": 7.0, "region": False, "name": "no"}
    assert f.plain[("region",)] == "no"
    assert f.plain[("version",)] == "7.0"
    assert ("name",) not in f.plain  # quoted: what was meant is what was read


def test_timestamps_stay_text():
    assert load("d: 2024-01-01\n").data == {"d": "2024-01-01"}


def test_alias_copies_keep_positions_of_the_original():
    f = load("a: &x {b: 1}\nc: *x\n")
    assert f.data == {"a": {"b": 1}, "c": {"b": 1}}
    assert f.key_loc(("c", "b")) == f.key_loc(("a", "b")) == (1, 8)


@pytest.mark.parametrize(("text", "code"), [
    ("a: 1\na: 2\n", "MLC106"),
    ("a: !!python/object/apply:os.system ['true']\n", "MLC105"),
    ("a: !!python/name:os.system\n", "MLC105"),
    ("a: !!binary aGVsbG8=\n", "MLC105"),
    ("a: !include other.yaml\n", "MLC105"),
    ("a: !!set {x}\n", "MLC105"),
    ("", "MLC103"),
    ("# only a comment\n", "MLC103"),
    ("~\n", "MLC103"),
    ("- 1\n", "MLC109"),
    ("just text\n", "MLC109"),
    ("a: 1\n---\nb: 2\n", "MLC110"),
    ("a: [1\n", "MLC104"),
    ("a:\n\tb: 1\n", "MLC104"),
    ("a: *nothing\n", "MLC104"),
    ("? [a]\n: 1\n", "MLC111"),
    ("~: 1\n", "MLC111"),
    ("x: &d {a: 1}\ny:\n  <<: *d\n", "MLC113"),
    ("a: .nan\n", "MLC112"),
    ("a: -.inf\n", "MLC112"),
    ("a: b\x00\n", "MLC104"),
])
def test_each_bad_input_is_one_precise_diagnostic(text, code):
    f = load(text)
    assert f.data is None
    assert codes(f) == [code]
    d = f.diagnostics[0]
    assert d.line >= 1 and d.column >= 1
    assert d.render_text().startswith(f"env.yaml:{d.line}:{d.column}: error: ")


def test_invalid_utf8_points_at_the_byte():
    f = load(b"a: 1\nb: caf\xe9\n")
    assert codes(f) == ["MLC102"]
    assert (f.diagnostics[0].line, f.diagnostics[0].column) == (2, 7)


def test_bom_is_accepted():
    assert load("\ufeffa: 1\n".encode()).data == {"a": 1}


def test_duplicate_key_names_the_first_line():
    f = load("queues:\n  jobs: {}\n  jobs: {}\n")
    assert "first defined at line 2" in f.diagnostics[0].message
    assert f.diagnostics[0].path == "queues.jobs"


def test_nesting_limit_is_enforced_without_recursion():
    import sys

    text = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(120)  # deterministic: a recursive builder would fail here
    try:
        f = load(text)
    finally:
        sys.setrecursionlimit(limit)
    assert codes(f) == ["MLC107"]


def test_64_levels_are_fine_65_are_not():
    ok = "a: " + "[" * 63 + "]" * 63 + "\n"  # the top-level mapping is level 1
    assert load(ok).data is not None
    assert codes(load("a: " + "[" * 64 + "]" * 64 + "\n")) == ["MLC107"]


def test_billion_laughs_is_refused_fast_with_little_memory():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    tracemalloc.start()
    f = load("\n".join(lines) + "\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert codes(f) == ["MLC108"]
    assert peak < 20 * 1024 * 1024  # the budget stops expansion, not the clock


def test_file_size_limit(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES + 10) + b"\n")
    f = read_file(str(big), "big.yaml")
    assert codes(f) == ["MLC101"]


def test_ten_megabyte_file_is_refused_quickly(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * 1_000_000)
    tracemalloc.start()
    assert codes(read_file(str(big), "big.yaml")) == ["MLC101"]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1024 * 1024  # refused from its size, never read


def test_unreadable_file(tmp_path):
    assert codes(read_file(str(tmp_path / "missing.yaml"), "missing.yaml")) == ["MLC114"]


def test_binary_garbage_is_a_diagnostic():
    import random

    rnd = random.Random(7)
    for _ in range(50):
        blob = bytes(rnd.randrange(256) for _ in range(200))
        f = load(blob)
        assert f.data is not None or f.diagnostics


@pytest.mark.parametrize("text", [
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: no, e: 0755, f: 7.0, g: ~}\n",
    "on: 1\n07: x\n", "a: &x {b: 1}\nc: *x\n", "a: 1\na: 2\n", "~: 1\n",
    "x: &d {a: 1}\ny:\n  <<: *d\n", "a: [1\n", "a: !!python/object:os.system x\n",
])
def test_libyaml_and_the_pure_python_parser_agree(text, monkeypatch):
    import yaml

    from mlinfra_compile import loader

    fast = load(text)
    monkeypatch.setattr(loader, "_LOADER", yaml.SafeLoader)
    slow = load(text)
    assert fast.data == slow.data
    assert fast.plain == slow.plain and fast.key_locs == slow.key_locs
    assert [(d.code, d.line) for d in fast.diagnostics] == \
        [(d.code, d.line) for d in slow.diagnostics]
