"""livestack.pulumi_json when Pulumi prints more than mlinfra reads: the whole message,
for each output that passed the cap. Pulumi is never run: `reading.run` is replaced by a
stand-in answering what reading.run answers for a command it stopped (reading.Ran with
`overflow` naming the output, that output empty, the returncode of a killed process)."""

from __future__ import annotations

import pytest

from mlinfra_compile import livestack, reading
from mlinfra_compile.commands import TOOL

ARGV = ["pulumi", "stack", "export", "--stack", "dev"]
# state.MAX_BYTES is 64 * 1024 * 1024 bytes: 64 MiB
HEAD = "mlinfra: error: `pulumi stack export` printed more than 64 MiB"
TAIL = ", more than mlinfra reads; it was stopped; the reason\n"


@pytest.mark.parametrize("overflow, where", [
    ("stdout", ""),
    ("stderr", " on its error output"),
])
def test_an_output_past_the_cap_is_named_and_tool_returned(overflow, where, monkeypatch,
                                                          capsys):
    asked: list[tuple[list[str], int]] = []

    def stopped(argv, cap, env=None, stdin=None):
        asked.append((argv, cap))
        return reading.Ran(-9, b"", b"", overflow)

    monkeypatch.setattr(reading, "run", stopped)
    got = livestack.pulumi_json(ARGV, {"PATH": "/bin"}, "; the reason")
    assert got == TOOL == 4
    assert asked == [(ARGV, 64 * 1024 * 1024)]
    assert capsys.readouterr() == ("", HEAD + where + TAIL)
