"""A child forked after a Pulumi mock test ran (as mutmut and the template mutator fork
one per mutant) fails a failing mock test instead of waiting forever (tests/forking.py).
Without the suite's fork hook the child below waits on its parent's thread pool until
killed (checked by hand: "child hung" after 30 s)."""

from __future__ import annotations

import subprocess
import sys

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
