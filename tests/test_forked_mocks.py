"""A child forked after a Pulumi mock test ran (as mutmut and the template mutator fork
one per mutant) fails a failing mock test instead of waiting forever (tests/forking.py).
Without the suite's fork hook the child below waits on its parent's thread pool until
killed (checked by hand: "child hung" after 30 s)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import tests.forking
from tests.golden import REPO

_SCRIPT = """
import os, sys, time
import tests.conftest  # the suite as pytest loads it
import pulumi
from pulumi_aws import sqs

class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return [args.name + "_id", args.inputs]
    def call(self, args):
        return {}

def program(queues, fail):
    @pulumi.runtime.test
    def check():
        names = pulumi.Output.all(*[sqs.Queue(f"q{i}", name=f"q{i}").name
                                    for i in range(queues)])
        def planted(values):
            assert not fail, "the planted failure"
        return names.apply(planted)
    pulumi.runtime.set_mocks(Mocks(), project="p", stack="s", preview=False)
    check()

program(20, False)  # the parent's run: Pulumi's thread pool now has threads
pid = os.fork()
if pid == 0:
    try:
        program(3, True)
    except AssertionError as exc:
        os._exit(3 if "the planted failure" in str(exc) else 4)
    os._exit(0)
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        print("child exit", os.waitstatus_to_exitcode(status))
        break
    time.sleep(0.05)
else:
    os.kill(pid, 9)
    print("child hung")
"""


def test_a_forked_child_fails_a_failing_mock_test_at_once():
    proc = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=REPO, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.stdout.strip() == "child exit 3", (proc.stdout, proc.stderr[-2000:])


_CACHES = """
import os
import tests.conftest  # the suite as pytest loads it
from mlinfra_compile import schema
from mlinfra_compile.providers import pricing, services_for

schema._validator(); pricing.table("aws_sqs"); services_for("queue", "aws")
caches = (schema._validator, pricing.table, services_for)
assert all(c.cache_info().currsize for c in caches)  # computed in the parent
pid = os.fork()
if pid == 0:
    os._exit(sum(1 for c in caches if c.cache_info().currsize))
print("child kept", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"""


def test_a_forked_child_computes_the_cached_values_again():
    """A mutant of the schema validator's compiler, or of what a price table or the
    service registry is read with, runs in mutmut's child only if the child does not reuse
    what its parent cached."""
    r = subprocess.run([sys.executable, "-c", _CACHES], capture_output=True, text=True,
                       cwd=REPO, timeout=60, check=True)
    assert r.stdout == "child kept 0\n", r.stderr


_TRACED = """
from mlinfra_compile import schema


def test_first():
    schema._validator()
    assert schema._validator.cache_info().currsize == 1


def test_second():
    print("validator kept:", schema._validator.cache_info().currsize)
"""


@pytest.mark.parametrize("phase, kept", [("stats", 0), ("", 1),
                                         ("mlinfra_compile.x_f__mutmut_1", 1)])
def test_the_suite_empties_caches_per_test_only_while_mutmut_traces(tmp_path, phase, kept):
    """mutmut's stats phase runs every test in one process: a cache filled by the first
    test would tie what the cached function calls to that test alone. The suite's own
    fixture (conftest.py) empties them before each test then, and only then."""
    if tests.forking.in_mutmuts_copy():
        pytest.skip("the package here is mutmut's; the child would run its trampolines")
    case = tmp_path / "test_traced.py"
    case.write_text(_TRACED, encoding="utf-8")
    env = {**os.environ, "MUTANT_UNDER_TEST": phase, "PYTHONPATH": str(REPO)}
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                        "-p", "tests.conftest", "--rootdir", str(tmp_path), str(case)],
                       capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert r.returncode == 0 and f"validator kept: {kept}" in r.stdout, r.stdout[-2000:]
