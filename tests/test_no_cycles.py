"""Issue 31: the console script runs without the cyclic garbage collector
(failures.one_command), which is safe only while a command leaves no garbage in
reference cycles that grows with its input: reference counts free everything else.

The oracle is the collector itself: in a fresh interpreter with collection off, a
command runs, and `gc.collect()` under DEBUG_SAVEALL keeps whatever only it could have
freed. The count must not grow with the input. (A closure that called itself in
check_references kept every compile's graph edges in a cycle: 52,677 lists after a lint
of 800 files.)"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bench.repo import write_repo
from bench.scale import write
from tests.golden import REPO

_COUNT = textwrap.dedent("""\
    import contextlib, gc, io, sys
    gc.disable()
    from mlinfra_compile.cli import main
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(sys.argv[1:])
    gc.collect()
    print(len(gc.garbage))
    """)


def _garbage(root: Path, *args: str) -> int:
    r = subprocess.run([sys.executable, "-c", _COUNT, "--root", str(root), *args],
                       capture_output=True, text=True, cwd=REPO, timeout=300, check=True)
    return int(r.stdout)


@pytest.mark.parametrize("command", [["lint"], ["plan", "big"], ["cost", "big"],
                                     ["compile", "big"], ["graph", "big"],
                                     ["explain", "big", "queues.sqs000000.delay"]])
def test_an_environment_ten_times_larger_leaves_no_more_cyclic_garbage(tmp_path, command):
    small, large = tmp_path / "small", tmp_path / "large"
    write(small, 20)
    write(large, 200)
    assert _garbage(large, *command) == _garbage(small, *command)


def test_a_repository_ten_times_larger_leaves_no_more_cyclic_garbage(tmp_path):
    small, large = tmp_path / "small", tmp_path / "large"
    write_repo(small, 4, 8)
    write_repo(large, 40, 8)
    assert _garbage(large, "lint") == _garbage(small, "lint")
