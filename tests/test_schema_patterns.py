"""Every pattern of the schema means the same to an editor as to mlinfra.

An editor checks the schema's patterns with an ECMA-262 engine (yaml-language-server, in
Node); mlinfra and jsonschema with Python's re. Their shorthand classes differ: Python's
\\d takes every script's digits (`２`, `٣`) and \\w every script's letters, where
ECMA-262's take ASCII only; Python's \\s takes U+001C..U+001F and not U+FEFF, ECMA-262's
the reverse. A value one side takes and the other refuses was found in `２KiB`, which
lint took as 2 KiB and an editor marked wrong. Here Node itself is the oracle: each
pattern and probe is tried in both engines."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest

from mlinfra_compile.schema import build_schema
from mlinfra_compile.units import parse_duration, parse_size
from tests.golden import run_cli
from tests.lsp import node


def _patterns(node_: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node_, dict):
        if isinstance(node_.get("pattern"), str):
            found.add(node_["pattern"])
        for value in node_.values():
            found |= _patterns(value)
    elif isinstance(node_, list):
        for value in node_:
            found |= _patterns(value)
    return found


PATTERNS = sorted(_patterns(build_schema()))
# Each valid form a pattern takes, with one character swapped for what the engines read
# differently: digits and letters of other scripts, and the spaces only one of them has.
ODD = ["\uff12", "\u0663", "\u00e9", "\ufeff", "\x1c", "\x1f", "\u00a0", "\u2028", "\u3000"]
SAMPLES = ["90s", "1h30m", "2KiB", "256KiB", "never", "kms:alias/ml", "managed",
           "user:ml@example.com", "arn:aws:iam::123456789012:root", "ml-training",
           "urn:pulumi:dev::mlinfra::aws:sqs/queue:Queue::jobs", "mlTrainingQueue",
           "10.0.0.0/16", "sg-0123456789abcdef0", "REDIS_7_0", "us-central1", "jobs.arn"]


def _probes() -> list[str]:
    out = list(SAMPLES)
    for sample in SAMPLES:
        for odd in ODD:
            out += [sample[:1] + odd + sample[1:], sample + odd, sample.replace("1", odd)]
    return out


_ECMA = """
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = input.patterns.map(p => { const re = new RegExp(p, "u");
  return input.probes.map(s => re.test(s)); });
process.stdout.write(JSON.stringify(out));
"""


def test_no_pattern_uses_a_shorthand_class():
    shorthand = re.compile(r"(?<!\\)(?:\\\\)*\\[dDsSwW]")
    assert [p for p in PATTERNS if shorthand.search(p)] == []


def test_an_editor_and_mlinfra_take_the_same_values():
    probes = _probes()
    ran = subprocess.run([node(), "-e", _ECMA], input=json.dumps(
        {"patterns": PATTERNS, "probes": probes}), capture_output=True, text=True,
        check=True, timeout=60)
    ecma = json.loads(ran.stdout)
    differ = [(p, s) for p, row in zip(PATTERNS, ecma, strict=True)
              for s, taken in zip(probes, row, strict=True) if bool(re.search(p, s)) != taken]
    assert differ == []
    assert len(PATTERNS) > 20 and sum(map(sum, ecma)) > 100  # (the probes do match)


@pytest.mark.parametrize("text", ["\uff12KiB", "\u0663s", "1\uff10s", "\uff11h30m"])
def test_digits_of_other_scripts_are_no_size_or_duration(text):
    assert parse_size(text) is None and parse_duration(text) is None


def test_lint_names_the_ascii_value_meant(repo):
    repo.write("dev.yaml", """\
        providers:
          aws: {region: us-east-1}
        queues:
          jobs:
            delay: "\uff19s"
            max_message_size: "\uff12KiB"
        """)
    rc, out, _ = run_cli(repo.root, "lint")
    assert rc == 1
    assert out.splitlines()[:2] == [
        "environments/dev.yaml:5:5: error: queues.jobs.delay: invalid duration '\uff19s': "
        "use an integer number of seconds, or parts Nd Nh Nm Ns in that order (90s, 1d, "
        "1h30m) (did you mean '9s'?) [MLC207]",
        "environments/dev.yaml:6:5: error: queues.jobs.max_message_size: invalid size "
        "'\uff12KiB': use an integer number of bytes, or N followed by B, KiB, MiB or GiB "
        "(256KiB, 1GiB) (did you mean '2KiB'?) [MLC207]"]
