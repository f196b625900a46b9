"""Hostile input: each is refused with a clear diagnostic, quickly, with bounded memory,
and never runs code. Run through the real command line, as a commit hook would."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from tests.golden import run_cli

LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]"
       for i in range(1, 10)]) + "\n"

HOSTILE: dict[str, tuple[bytes, str]] = {
    "billion-laughs": (LAUGHS.encode(), "[MLC108]"),
    "nesting-10000": (b"labels: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", "[MLC107]"),
    "nesting-900-block": (b"".join(b" " * i + b"k:\n" for i in range(900)), "[MLC107]"),
    "ten-megabytes": (b"# x\n" * 2_600_000, "[MLC101]"),
    "binary-garbage": (bytes(range(256)) * 40, "[MLC10"),
    "invalid-utf8": (b"labels:\n  team: \xff\xfe\n", "[MLC102]"),
    "python-object": (b"labels: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
                      "[MLC105]"),
    "python-name": (b"labels: !!python/name:os.system\n", "[MLC105]"),
    "template-internals": (b"providers: {gcp: {project: acme-ml-test, region: us-central1}}\n"
                           b"name_template: \"{{ ''.__class__.__mro__[1].__subclasses__() }}\"\n"
                           b"session_stores:\n  cache: {}\n", "[MLC309]"),
    "template-memory-bomb": (b"providers: {gcp: {project: acme-ml-test, region: us-central1}}\n"
                             b"name_template: \"{{ name * 999999999 }}\"\n"
                             b"session_stores:\n  cache: {}\n", "[MLC309]"),
    "extends-etc-passwd": (b"extends: ../../etc/passwd\n", "[MLC303]"),
    "extends-absolute": (b"extends: /etc/passwd\n", "[MLC303]"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_fast_and_small(tmp_path, name):
    content, needle = HOSTILE[name]
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "main.yaml").write_bytes(content)
    tracemalloc.start()
    code, out, err = run_cli(tmp_path, "lint")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 1, out + err
    assert needle in out
    assert "Traceback" not in out + err and "internal error" not in err
    assert peak < 64 * 1024 * 1024, f"{peak / 2**20:.0f} MiB"
    assert not Path("/tmp/pwned").exists()


def test_symlink_pointing_outside_is_refused(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("profile: production\n")
    (tmp_path / "repo" / "environments").mkdir(parents=True)
    os.symlink(outside, tmp_path / "repo" / "environments" / "main.yaml")
    code, out, _ = run_cli(tmp_path / "repo", "lint")
    assert code == 1 and "[MLC115]" in out
    code, _, err = run_cli(tmp_path / "repo", "compile", "main")
    assert code == 1 and "[MLC115]" in err


def test_extends_through_a_symlinked_partial_outside_is_refused(tmp_path):
    outside = tmp_path / "_evil.yaml"
    outside.write_text("providers: {aws: {region: us-east-1}}\n")
    env = tmp_path / "repo" / "environments"
    env.mkdir(parents=True)
    os.symlink(outside, env / "_base.yaml")
    (env / "main.yaml").write_text("extends: _base\n")
    code, out, _ = run_cli(tmp_path / "repo", "lint")
    assert code == 1 and "[MLC115]" in out and "[MLC314]" in out


GOOD = ("providers: {aws: {region: us-east-1}}\nqueues:\n" +
        "".join(f"  queue-{i:03d}: {{delay: {i}s}}\n" for i in range(300)))


@pytest.mark.parametrize("crash_at", ["write", "fsync", "replace", None])
def test_compile_killed_mid_write_leaves_the_previous_file(tmp_path, monkeypatch, crash_at):
    """A crash at each step of the write (deterministic, not a kill at a random moment):
    the target holds the previous graph or the whole new one, never half of one."""
    import mlinfra_compile.commands as commands

    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "main.yaml").write_text(GOOD)
    target = tmp_path / "graph.json"
    target.write_text("previous\n")
    _, full, _ = run_cli(tmp_path, "compile", "main")

    class Crash(BaseException):
        pass

    def crash(*_a, **_k):
        raise Crash

    if crash_at == "write":
        real_fdopen = os.fdopen

        class Half:  # the process dies with half the text written
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, text):
                self.fh.write(text[: len(text) // 2])
                self.fh.flush()
                raise Crash

        monkeypatch.setattr(commands.os, "fdopen", lambda *a, **k: Half(real_fdopen(*a, **k)))
    elif crash_at == "fsync":
        monkeypatch.setattr(commands.os, "fsync", crash)
    elif crash_at == "replace":
        monkeypatch.setattr(commands.os, "replace", crash)
    if crash_at is None:
        rc, _, _ = run_cli(tmp_path, "compile", "main", "-o", str(target))
        assert rc == 0 and target.read_text() == full
    else:
        with pytest.raises(Crash):
            commands.write_atomically(str(target), full)
        assert target.read_text() == "previous\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".mlinfra-")]


# Every class of character the escaper says it handles (escape.py's opening comment), each
# range written out here from Unicode's own tables: C0 controls but newline, DEL, C1, the
# line and paragraph separators, the bidi embeddings and overrides (U+202A..U+202E), the
# bidi isolates (U+2066..U+2069) and the byte-order mark.
CLASSES = {
    "C0 (but newline)": [c for c in range(0x00, 0x20) if c != 0x0A],
    "DEL": [0x7F],
    "C1": list(range(0x80, 0xA0)),
    "line and paragraph separators": [0x2028, 0x2029],
    "bidi embeddings and overrides": list(range(0x202A, 0x202F)),
    "bidi isolates": list(range(0x2066, 0x206A)),
    "byte-order mark": [0xFEFF],
}


def _escaped(c: int) -> str:
    """How a reader sees it: tab, return and escape by name, others by code point."""
    return {0x09: "\\t", 0x0D: "\\r", 0x1B: "\\e"}.get(
        c, f"\\u{c:04x}" if c > 0xFF else f"\\x{c:02x}")


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_every_character_the_escaper_claims_is_shown_not_sent(name):
    from mlinfra_compile.escape import terminal_safe, visible

    for c in CLASSES[name]:
        text = f"a{chr(c)}b"
        for shown in (visible(text), terminal_safe(text)):
            assert chr(c) not in shown, (name, hex(c))
            assert shown == f"a{_escaped(c)}b", (name, hex(c), shown)
    # and what is in none of the classes passes unchanged (the check has two sides)
    for c in (0x20, 0x41, 0xA0, 0x2027, 0x202F, 0x2065, 0x206A, 0xFEFE):
        assert visible(f"a{chr(c)}b") == f"a{chr(c)}b", hex(c)
