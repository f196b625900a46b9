"""`make bench`: mlinfra lint / compile against check-jsonschema and a bare libyaml parse.

Generates a synthetic repository (environment files of about 20 declarations each, in
extends chains) in a temporary directory and times whole processes, as a user's commit
hook runs them: median of --runs runs each, peak RSS of the child from wait4().

    .venv/bin/python bench/run.py [--files 50,200,800] [--runs 5] [--decls 20]
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCHEMA = REPO / "schemas" / "environment.schema.json"

LIBYAML_FLOOR = """
import sys, yaml
for p in sys.argv[1:]:
    with open(p, 'rb') as fh:
        yaml.load(fh, Loader=yaml.CSafeLoader)
"""


def write_repo(root: Path, files: int, decls: int, named: bool = False) -> list[Path]:
    """`files` environment files: one partial base per 10 stacks, each stack extending
    its base, `decls` declarations per file across both clouds. `named`: each base sets
    a name_template, so every resource has a fixed physical name for the checks across
    stacks to index (and `lint FILE` reads every stack)."""
    env = root / "environments"
    env.mkdir(parents=True)
    paths = []
    for i in range(files):
        group = i // 10
        if i % 10 == 0:
            base = env / f"_base{group}.yaml"
            base.write_text(
                "# yaml-language-server: $schema=../schemas/environment.schema.json\n"
                "providers:\n"
                f"  gcp: {{project: acme-ml-{group:04d}, region: us-central1, "
                "project_number: \"123456789012\", network: ml-vpc}\n"
                "  aws: {region: us-east-1, subnet_ids: [subnet-0a1b2c3d, subnet-4e5f6a7b]}\n"
                "default_provider: gcp\n"
                "labels: {team: ml-platform, cost-center: research}\n"
                + ("name_template: \"{{ env }}-{{ name }}\"\n" if named else ""))
            paths.append(base)
            if len(paths) >= files:
                break
        lines = [
            "# yaml-language-server: $schema=../schemas/environment.schema.json",
            f"extends: _base{group}",
            f"profile: {'production' if i % 2 else 'development'}",
            "session_stores:",
        ]
        for d in range(decls // 4):
            lines += [f"  store-{d}:", f"    memory: {1 + d % 4}GiB",
                      "    eviction_policy: allkeys-lru",
                      f"    provider: {'aws' if d % 3 == 0 else 'gcp'}"]
        lines.append("queues:")
        for d in range(decls - decls // 4):
            if d % 2:
                lines += [f"  sqs-{d}:", "    provider: aws", "    delay: 90s",
                          "    max_message_size: 256KiB", "    retention: 1d",
                          "    receive_wait: 10s", "    visibility_timeout: 30s"]
            else:
                lines += [f"  topic-{d}:", "    visibility_timeout: 60s", "    subscriptions:",
                          "      trainers: {retention: 2d}", "      audit: {ordering: true}"]
        path = env / f"env{i:04d}.yaml"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
        if len(paths) >= files:
            break
    return paths[:files]


def measure(argv: list[str], runs: int, cwd: Path,
            ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(median seconds, peak RSS MiB) of `runs` whole-process runs."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode() if proc.stderr else ""
        if code not in ok:
            raise SystemExit(f"{' '.join(argv[:3])}... exited {code}:\n{err[-2000:]}")
        times.append(elapsed)
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


def bench(files: int, decls: int, runs: int) -> list[tuple[str, float, float]]:
    tmp = Path(tempfile.mkdtemp(prefix="mlinfra-bench-"))
    try:
        paths = write_repo(tmp, files, decls)
        rel = [str(p.relative_to(tmp)) for p in paths]
        stack = next(p.stem for p in paths if not p.stem.startswith("_"))
        one = next(r for r in rel if not Path(r).stem.startswith("_"))
        cj = [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA)]
        ml = [str(BIN / "mlinfra")]
        rows = [
            ("mlinfra lint (repo)", *measure([*ml, "lint"], runs, tmp)),
            ("check-jsonschema (repo)", *measure([*cj, *rel], runs, tmp)),
            ("libyaml parse (repo, floor)",
             *measure([sys.executable, "-c", LIBYAML_FLOOR, *rel], runs, tmp)),
            ("python -c pass (interpreter)", *measure([sys.executable, "-c", "pass"], runs, tmp)),
            (f"mlinfra compile {stack}", *measure([*ml, "compile", stack], runs, tmp)),
            ("mlinfra lint (1 file)", *measure([*ml, "lint", one], runs, tmp)),
            ("check-jsonschema (1 file)", *measure([*cj, one], runs, tmp)),
        ]
        named = tmp / "named"
        write_repo(named, files, decls, named=True)
        rows += [("mlinfra lint (repo, named)", *measure([*ml, "lint"], runs, named)),
                 ("mlinfra lint (1 file, named)", *measure([*ml, "lint", one], runs, named))]
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", default="50,200,800")
    ap.add_argument("--decls", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    sizes = [int(x) for x in args.files.split(",")]
    # As an installed package is: byte-compiled (pip compiles at install; an editable
    # install under PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on
    # every run, 20 ms of "parse work" that no user pays).
    import compileall

    compileall.compile_dir(str(REPO / "mlinfra_compile"), quiet=1)
    print(f"median of {args.runs} runs; {args.decls} declarations per file; "
          f"python {sys.version.split()[0]}; {os.cpu_count()} cores\n")
    totals: dict[int, float] = {}
    named: dict[int, float] = {}
    for n in sizes:
        rows = bench(n, args.decls, args.runs)
        t = {name: (s, rss) for name, s, rss in rows}
        print(f"## {n} files")
        print(f"{'command':<32} {'median s':>9} {'peak RSS MiB':>13}")
        for name, s, rss in rows:
            print(f"{name:<32} {s:>9.3f} {rss:>13.1f}")
        lint, cj = t["mlinfra lint (repo)"][0], t["check-jsonschema (repo)"][0]
        floor = t["libyaml parse (repo, floor)"][0]
        interp = t["python -c pass (interpreter)"][0]
        one, cj1 = t["mlinfra lint (1 file)"][0], t["check-jsonschema (1 file)"][0]
        rss = t["mlinfra lint (repo)"][1]

        def verdict(ok: bool) -> str:
            return "ok" if ok else "MISSED"

        print(f"lint / check-jsonschema, repo:    {lint / cj:5.2f}  target <= 0.5  "
              f"{verdict(lint <= 0.5 * cj)}")
        print(f"lint / check-jsonschema, 1 file:  {one / cj1:5.2f}  target <= 0.7  "
              f"{verdict(one <= 0.7 * cj1)}")
        print(f"lint / (4 x floor + start):       {lint / (4 * floor + interp):5.2f}  "
              f"target <= 1.0  {verdict(lint <= 4 * floor + interp)}")
        print(f"  stricter, parse work only: (lint - start) / (floor - start) = "
              f"{(lint - interp) / max(floor - interp, 1e-9):.2f} (<= 4 "
              f"{verdict(lint - interp <= 4 * (floor - interp))})")
        print(f"peak RSS {rss:.1f} MiB" + (f"  target <= 80 MiB at 200 files  "
                                           f"{verdict(rss <= 80)}" if n == 200 else ""))
        print(f"lint per file: {1000 * (lint - interp) / n:.2f} ms\n", flush=True)
        totals[n] = lint
        named[n] = t["mlinfra lint (repo, named)"][0]
    for label, series in (("", totals), (" (named)", named)):
        if len(series) >= 2:
            pairs = list(itertools.pairwise(sorted(series)))
            print(f"growth{label}: " + ", ".join(
                f"{a}->{b} files: {(series[b] - series[a]) / (b - a) * 1000:.2f} ms per "
                "added file" for a, b in pairs))
    if len(totals) >= 2:
        print("linear when these are about equal (fixed start-up cost excluded)")


if __name__ == "__main__":
    main()
