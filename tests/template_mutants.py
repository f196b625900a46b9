"""Mutation testing of the package's Jinja templates, which mutmut (Python only) does not
mutate: `python -m tests.template_mutants [--all | BASE] [-j N] [--fresh] [--record]`.

Each mutant changes one thing on one line of one template, and is named by what it does:
`template:plan.md.j2:drop-filter:12:2` removes the second filter of line 12. The operators:

- drop-line: the line is deleted;
- empty-expr: a `{{ ... }}` prints nothing;
- drop-filter: a filter (`| code`, `| sort`, ...) is removed;
- negate: an `if` condition (a tag, an inline `a if c else b`, a `for ... if`) is negated;
- compare: `==` becomes `!=` and back;
- string: a string literal inside a tag gains `XX` at each end;
- text: the literal text of a line that also holds a tag gains `XX`.

A mutant that does not parse is not made (as mutmut drops mutants that do not compile).
The tests that render each template are found by running the suite once with the loader
watched (the `--record` step, cached in mutants/ until a test or template changes); each
mutant then runs those tests, fastest first, stopping at the first failure, in a child
forked from one process that has already imported them: the child's loader serves the
mutated text. Results go to mutants/templates.json; survivors are explained by id in
tests/mutation_survivors.txt like mutmut's, and `python -m tests.mutation_report` reads
both.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "mlinfra_compile" / "templates"
OUT = REPO / "mutants"
RESULTS = OUT / "templates.json"
COVERAGE = OUT / "templates-coverage.json"
RECORD_ENV = "MLINFRA_RECORD_TEMPLATES"

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
FILTER = re.compile(r"\s*\|\s*[A-Za-z_]\w*(?:\([^()]*\))?")
STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
IF_TAG = re.compile(r"^(\{%-?\s*(?:el)?if\s+)(.+?)(\s*-?%\})$")
FOR_IF = re.compile(r"^(\{%-?\s*for\s.+?\sif\s+)(.+?)(\s*-?%\})$")
INLINE_IF = re.compile(r"(\sif\s+)(.+?)(\s+else\s)")
COMPARE = re.compile(r"==|!=")


@dataclass(frozen=True)
class Mutant:
    id: str
    template: str
    line: int
    changed: str  # the line as the mutant has it ("" when deleted)
    source: str  # the whole mutated template


def templates() -> list[str]:
    return sorted(p.name for p in TEMPLATES.glob("*.j2"))


def _tag_edits(tag: str) -> list[tuple[str, str]]:
    """(operator, the tag as mutated) for each change inside one tag, in order."""
    edits: list[tuple[str, str]] = []
    if tag.startswith("{{"):
        edits.append(("empty-expr", ""))
    for m in FILTER.finditer(tag):
        if not _in_string(tag, m.start()):
            edits.append(("drop-filter", tag[:m.start()] + tag[m.end():]))
    for pattern in (IF_TAG, FOR_IF):
        if m := pattern.match(tag):
            edits.append(("negate", f"{m[1]}not ({m[2]}){m[3]}"))
    if tag.startswith("{{"):
        for m in INLINE_IF.finditer(tag):
            edits.append(("negate", f"{tag[:m.start()]}{m[1]}not ({m[2]}){m[3]}{tag[m.end():]}"))
    for m in COMPARE.finditer(tag):
        if not _in_string(tag, m.start()):
            flipped = "!=" if m[0] == "==" else "=="
            edits.append(("compare", tag[:m.start()] + flipped + tag[m.end():]))
    for m in STRING.finditer(tag):
        q = m[0][0]
        edits.append(("string", f"{tag[:m.start()]}{q}XX{m[0][1:-1]}XX{q}{tag[m.end():]}"))
    return edits


def _in_string(tag: str, at: int) -> bool:
    return any(m.start() < at < m.end() for m in STRING.finditer(tag))


def _line_edits(line: str) -> list[tuple[str, str]]:
    """(operator, the line as mutated) for every change of one line, in order."""
    edits: list[tuple[str, str]] = []
    tags = list(TAG.finditer(line))
    for m in tags:
        edits += [(op, line[:m.start()] + new + line[m.end():])
                  for op, new in _tag_edits(m[0])]
    if tags:
        text = _first_text(line, tags)
        if text is not None:
            edits.append(("text", line[:text] + "XX" + line[text:]))
    if line.strip():
        edits.insert(0, ("drop-line", None))
    return edits


def _first_text(line: str, tags: list[re.Match[str]]) -> int | None:
    """Where the first non-blank literal text of a line with tags starts, if any."""
    at = 0
    for m in [*tags, None]:
        end = m.start() if m else len(line)
        segment = line[at:end]
        if segment.strip():
            return at + len(segment) - len(segment.lstrip())
        if m is None:
            return None
        at = m.end()
    return None


def mutants(name: str, source: str | None = None) -> list[Mutant]:
    """Every mutant of one template (its text: `source`, else the file), in a stable
    order, each parsing as Jinja."""
    from jinja2 import Environment, TemplateSyntaxError

    env = Environment()
    if source is None:
        source = (TEMPLATES / name).read_text(encoding="utf-8")
    lines = source.split("\n")
    out: list[Mutant] = []
    seen = {source}
    for number, line in enumerate(lines, 1):
        counts: dict[str, int] = {}
        for op, new in _line_edits(line):
            counts[op] = counts.get(op, 0) + 1
            suffix = "" if op in ("drop-line", "text") else f":{counts[op]}"
            rest = lines[number:]
            text = "\n".join(lines[:number - 1] + ([] if new is None else [new]) + rest)
            if text in seen:
                continue
            seen.add(text)
            try:
                env.parse(text)
            except TemplateSyntaxError:
                continue
            out.append(Mutant(f"template:{name}:{op}:{number}{suffix}", name, number,
                              new or "", text))
    return out


def catalogue() -> dict[str, Mutant]:
    return {m.id: m for name in templates() for m in mutants(name)}


# --- which tests render which template (a pytest plugin: -p tests.template_mutants) ---


def serve(name: str, text: str) -> None:
    """Make every PackageLoader of the package return `text` for template `name`."""
    from jinja2 import PackageLoader

    real = PackageLoader.get_source

    def get_source(self, environment, template):  # type: ignore[no-untyped-def]
        if template == name and self.package_name == "mlinfra_compile":
            return text, str(TEMPLATES / name), lambda: False
        return real(self, environment, template)

    PackageLoader.get_source = get_source  # type: ignore[method-assign]
    from mlinfra_compile import markdown

    markdown._env.cache_clear()


_RENDERED: dict[str, set[str]] = {}
_DURATION: dict[str, float] = {}


def pytest_configure(config):  # type: ignore[no-untyped-def]
    if not os.environ.get(RECORD_ENV):
        return
    from jinja2 import Environment

    real = Environment.get_template

    def get_template(self, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
        if test and getattr(self.loader, "package_name", None) == "mlinfra_compile":
            _RENDERED.setdefault(name, set()).add(test)
        return real(self, name, *args, **kwargs)

    Environment.get_template = get_template  # type: ignore[method-assign]


def pytest_runtest_logreport(report):  # type: ignore[no-untyped-def]
    if os.environ.get(RECORD_ENV):
        _DURATION[report.nodeid] = _DURATION.get(report.nodeid, 0.0) + report.duration


def pytest_unconfigure(config):  # type: ignore[no-untyped-def]
    folder = os.environ.get(RECORD_ENV)
    if folder:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        data = {"rendered": {k: sorted(v) for k, v in _RENDERED.items()},
                "duration": _DURATION}
        Path(folder, f"{worker}.json").write_text(json.dumps(data), encoding="utf-8")


def mutation_pytest_args() -> list[str]:
    """The pytest arguments `make mutate` gives mutmut ([tool.mutmut]), without -x."""
    import tomllib

    conf = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    args = conf["tool"]["mutmut"]["pytest_add_cli_args"]
    return [a for a in args if a != "-x"]


def fingerprint() -> str:
    """What the recorded coverage depends on: the tests and the templates."""
    h = hashlib.sha256()
    for path in sorted([*REPO.glob("tests/**/*.py"), *TEMPLATES.glob("*.j2")]):
        h.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    h.update(json.dumps(mutation_pytest_args()).encode())
    return h.hexdigest()


def coverage(force: bool = False) -> dict:
    """{"rendered": template -> test ids, "duration": test id -> seconds}, recorded once
    per fingerprint by running the suite with the loader watched."""
    import shutil
    import tempfile

    want = fingerprint()
    if COVERAGE.exists() and not force:
        cached = json.loads(COVERAGE.read_text(encoding="utf-8"))
        if cached.get("fingerprint") == want:
            return cached
    folder = tempfile.mkdtemp(prefix="template-coverage-")
    env = {**os.environ, RECORD_ENV: folder}
    cmd = [sys.executable, "-m", "pytest", "-p", "tests.template_mutants", "-n", "2",
           *mutation_pytest_args(), "tests/"]
    subprocess.run(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, check=False)
    merged: dict = {"fingerprint": want, "rendered": {}, "duration": {}}
    for part in sorted(Path(folder).glob("*.json")):
        data = json.loads(part.read_text(encoding="utf-8"))
        for name, tests in data["rendered"].items():
            merged["rendered"][name] = sorted({*merged["rendered"].get(name, []), *tests})
        merged["duration"].update(data["duration"])
    shutil.rmtree(folder)
    OUT.mkdir(exist_ok=True)
    COVERAGE.write_text(json.dumps(merged, indent=1, sort_keys=True), encoding="utf-8")
    return merged


# --- running the mutants ---


def _child(mutant: Mutant, tests: list[str]) -> None:
    """In a forked child: serve the mutant, run its tests, exit with pytest's code."""
    import pytest

    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    serve(mutant.template, mutant.source)
    code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests])
    os._exit(int(code))


STATUS = {0: "survived", 1: "killed", 5: "no tests"}


def run(todo: list[Mutant], cov: dict, jobs: int) -> dict[str, str]:
    """Run each mutant's tests in a forked child, `jobs` at a time; id -> status."""
    import pytest

    files = sorted({t.split("::")[0] for ts in cov["rendered"].values() for t in ts})
    with open(os.devnull, "w") as null:
        saved = os.dup(1), os.dup(2)
        os.dup2(null.fileno(), 1), os.dup2(null.fileno(), 2)
        pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *files])
        os.dup2(saved[0], 1), os.dup2(saved[1], 2)
    out: dict[str, str] = {}
    running: dict[int, tuple[Mutant, float]] = {}
    queue = list(todo)
    while queue or running:
        while queue and len(running) < jobs:
            mutant = queue.pop(0)
            tests = sorted(cov["rendered"].get(mutant.template, []),
                           key=lambda t: (cov["duration"].get(t, 0.0), t))
            if not tests:
                out[mutant.id] = "no tests"
                continue
            limit = 20 + 5 * sum(cov["duration"].get(t, 1.0) for t in tests)
            pid = os.fork()
            if pid == 0:
                _child(mutant, tests)
            running[pid] = (mutant, time.monotonic() + limit)
        _reap(running, out)
    return out


def _reap(running: dict[int, tuple[Mutant, float]], out: dict[str, str]) -> None:
    import signal

    time.sleep(0.02)
    for pid, (mutant, deadline) in list(running.items()):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            out[mutant.id] = STATUS.get(code, f"error {code}")
            del running[pid]
        elif time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            out[mutant.id] = "timeout"
            del running[pid]
            print(f"timeout {mutant.id}", file=sys.stderr)


def results() -> dict[str, dict]:
    """id -> {"status", "sha"} from the last runs (mutants/templates.json)."""
    if not RESULTS.exists():
        return {}
    return json.loads(RESULTS.read_text(encoding="utf-8"))


def _sha(mutant: Mutant) -> str:
    return hashlib.sha256(mutant.source.encode()).hexdigest()[:16]


def changed_templates(base: str) -> list[str]:
    out = subprocess.run(["git", "diff", "--name-only", base, "--", str(TEMPLATES)],
                         capture_output=True, text=True, cwd=REPO, check=True).stdout
    return sorted({Path(p).name for p in out.splitlines()} & set(templates()))


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.template_mutants")
    parser.add_argument("base", nargs="?", default="HEAD~1")
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="rerun killed mutants too")
    parser.add_argument("--record", action="store_true", help="record coverage again")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    names = templates() if args.all else changed_templates(args.base)
    if not names:
        print("template mutants: no template changed since", args.base)
        return 0
    known = results()
    made = [m for n in names for m in mutants(n)]
    todo = [m for m in made if args.fresh or known.get(m.id, {}).get("sha") != _sha(m)
            or known[m.id]["status"] not in ("killed", "timeout")]
    start = time.monotonic()
    done = run(todo, coverage(args.record), args.jobs) if todo else {}
    for m in todo:
        known[m.id] = {"status": done[m.id], "sha": _sha(m)}
    live = set(catalogue())
    known = {k: v for k, v in sorted(known.items()) if k in live}
    OUT.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(known, indent=1), encoding="utf-8")
    counts: dict[str, int] = {}
    for m in made:
        counts[known[m.id]["status"]] = counts.get(known[m.id]["status"], 0) + 1
    print(f"template mutants of {len(names)} templates: {len(made)} made, {len(todo)} run "
          f"in {time.monotonic() - start:.0f} s: "
          + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
