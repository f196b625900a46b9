"""`make bench`: what users run, timed as they run it, against the goals in docs/performance.md.

Every command is a whole process of the installed wheel (`make bench` builds it and
installs it into .venv-bench; run this file with that venv's python). Each comparison is
a pair of commands: one warm-up run of each, then the two alternate (A B, B A, A B, ...)
so a slow patch of the machine lands on both sides. Reported: median, spread (fastest
and slowest run) and peak RSS (wait4) of each side, and the ratio of the medians.

    .venv-bench/bin/python bench/run.py [--files 200,800] [--runs 9]
                                        [--scale 1000,10000,40000] [--scale-runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from repo import write_repo
from scale import write as write_scale

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCHEMA = REPO / "schemas" / "environment.schema.json"
MIB = 1024.0

FLOOR = """
import sys, yaml
for p in sys.argv[1:]:
    with open(p, 'rb') as fh:
        yaml.load(fh, Loader=yaml.CSafeLoader)
"""


@dataclass
class Sample:
    """The runs of one command."""

    label: str
    seconds: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)  # MiB

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.rss)

    def row(self) -> str:
        return (f"{self.label:<44} {self.median:>8.3f} {min(self.seconds):>7.3f}-"
                f"{max(self.seconds):<7.3f} {self.peak:>8.1f}")


def once(argv: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of one whole-process run."""
    # (stderr to a file, not a pipe: waiting on a child that fills a pipe never ends)
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"{' '.join(argv[:4])}... exited {code}:\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss / MIB


def alternate(commands: list[tuple[str, list[str]]], cwd: Path, runs: int,
              ok: tuple[int, ...] = (0,)) -> list[Sample]:
    """Each command once to warm up, then `runs` rounds, the order reversed every round."""
    samples = [Sample(label) for label, _ in commands]
    for _, argv in commands:
        once(argv, cwd, ok)
    order = list(range(len(commands)))
    for r in range(runs):
        for i in (order if r % 2 == 0 else order[::-1]):
            s, rss = once(commands[i][1], cwd, ok)
            samples[i].seconds.append(s)
            samples[i].rss.append(rss)
    return samples


def verdict(value: float, goal: float) -> str:
    return "met" if value <= goal else "MISSED"


def goal_line(name: str, value: float, goal: float, unit: str = "x") -> str:
    return f"  {name:<58} {value:>7.2f}{unit}  goal <= {goal:g}{unit}  {verdict(value, goal)}"


def repo_case(files: int, runs: int) -> list[str]:
    """Whole-repository and one-file lint against check-jsonschema and the parse floor."""
    tmp = Path(tempfile.mkdtemp(prefix="mlinfra-bench-"))
    try:
        paths = [str(p.relative_to(tmp)) for p in write_repo(tmp, files, 20)]
        one = next(r for r in paths if not Path(r).stem.startswith("_"))
        cj = [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA)]
        ml = [str(BIN / "mlinfra")]
        whole = alternate([("mlinfra lint (repo)", [*ml, "lint"]),
                           ("check-jsonschema (repo)", [*cj, *paths]),
                           ("libyaml parse (repo, the floor)",
                            [sys.executable, "-c", FLOOR, *paths])], tmp, runs)
        single = alternate([("mlinfra lint (1 file)", [*ml, "lint", one]),
                            ("check-jsonschema (1 file)", [*cj, one])], tmp, runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    lint, cj_all, floor = whole
    lint1, cj1 = single
    lines = [f"## {files} files", *(s.row() for s in [*whole, *single])]
    lines += [goal_line("whole-repo lint / check-jsonschema", lint.median / cj_all.median, 0.25),
              goal_line("one-file lint / check-jsonschema", lint1.median / cj1.median, 0.3),
              goal_line("whole-repo lint / libyaml parse floor", lint.median / floor.median, 2)]
    return lines


def _diff_ready(root: Path) -> None:
    """A git repository whose working tree changes one declaration of `big`."""
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "base")
    big = root / "environments" / "big.yaml"
    big.write_text(big.read_text().replace("{memory: 1GiB}", "{memory: 2GiB}", 1))


COMMANDS = ("lint", "plan", "cost", "diff")


def _environment(n: int, runs: int) -> list[Sample]:
    """lint, plan, cost and diff of the stack `big` of n declarations, alternated."""
    ml = [str(BIN / "mlinfra")]
    tmp = Path(tempfile.mkdtemp(prefix="mlinfra-scale-"))
    try:
        write_scale(tmp, n)
        _diff_ready(tmp)
        cmds = [(f"{c} (n={n:,})", [*ml, "--root", str(tmp), c, *([] if c == "lint" else
                                                                ["big"])])
                for c in COMMANDS]
        return alternate(cmds, tmp, runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def scale_case(sizes: list[int], runs: int) -> list[str]:
    """lint, plan, cost and diff of one environment of n declarations, for each n; the
    time per declaration counts from the same command on an environment of none."""
    empty = _environment(0, runs)
    base = {c: s.median for c, s in zip(COMMANDS, empty, strict=True)}
    lines = ["## one environment of n declarations", *(s.row() for s in empty)]
    per: dict[str, list[float]] = {}
    for n in sizes:
        samples = _environment(n, runs)
        lines += [s.row() for s in samples]
        for command, s in zip(COMMANDS, samples, strict=True):
            per.setdefault(command, []).append((s.median - base[command]) / n * 1000)
            if n == 10_000:
                goal = 2.0 if command == "diff" else 1.0
                lines.append(goal_line(f"{command} at 10,000 declarations", s.median, goal, "s"))
                if command != "diff":
                    lines.append(goal_line(f"{command} at 10,000 declarations, peak RSS",
                                           s.peak, 100, " MiB"))
    for command, ms in per.items():
        shown = ", ".join(f"{m:.3f}" for m in ms)
        lines.append(f"  {command} per declaration, beyond an empty environment (ms): {shown}")
        if len(ms) > 1:
            lines.append(goal_line(f"{command}: slowest / fastest per declaration",
                                   max(ms) / min(ms), 2))
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", default="200,800")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--scale", default="1000,10000,40000")
    ap.add_argument("--scale-runs", type=int, default=3)
    args = ap.parse_args()
    if not (BIN / "mlinfra").exists() or "site-packages" not in _where_installed():
        raise SystemExit("bench/run.py: run it with the python of a venv where mlinfra is "
                         "installed from its wheel (make bench does)")
    print(f"python {sys.version.split()[0]}; {os.cpu_count()} cores; mlinfra from "
          f"{_where_installed()}")
    print(f"{'command':<44} {'median s':>8} {'fastest-slowest':>15} {'peak MiB':>8}")
    for n in [int(x) for x in args.files.split(",") if x]:
        print("\n".join(repo_case(n, args.runs)), flush=True)
    sizes = [int(x) for x in args.scale.split(",") if x]
    if sizes:
        print("\n".join(scale_case(sizes, args.scale_runs)), flush=True)


def _where_installed() -> str:
    out = subprocess.run([sys.executable, "-c", "import mlinfra_compile; "
                          "print(mlinfra_compile.__file__)"], cwd="/", capture_output=True,
                         text=True, check=False)
    return out.stdout.strip()


if __name__ == "__main__":
    main()
