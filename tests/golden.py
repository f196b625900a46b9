"""Golden files: what `mlinfra lint` and `mlinfra compile` print for a repository.

A case is a folder tests/cases/<name>/ holding `environments/` (the input) and
`expected/` (the output): `lint.txt` (lint's diagnostics and exit code) and `<env>.json`
(the graph of each environment that compiles). The shipped environments are a case too,
rooted at the repository, with `plan-<env>.txt` besides. `make golden` shows how every
expected/ file would change, and writes them only with ACCEPT=1.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mlinfra_compile.cli import main

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "cases"
SHIPPED = REPO / "tests" / "golden"


def safe_id(value: object) -> str:
    """A test id a command line can name again (mutmut passes ids to pytest): no
    newlines, quotes, brackets or braces."""
    import re

    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(value)).strip("-")[:40] or "empty"


def run_cli(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *args])
    return code, out.getvalue(), err.getvalue()


def environments(root: Path) -> list[str]:
    folder = root / "environments"
    return sorted(p.stem for p in folder.iterdir()
                  if p.suffix in (".yaml", ".yml") and not p.stem.startswith("_"))


def expected_outputs(root: Path, *, plans: bool = False) -> dict[str, str]:
    cwd = os.getcwd()
    os.chdir(root)  # paths in diagnostics are relative to the root either way
    try:
        files: dict[str, str] = {}
        code, out, _ = run_cli(root, "lint")
        files["lint.txt"] = out + f"exit: {code}\n"
        for env in environments(root):
            code, out, _ = run_cli(root, "compile", env)
            if code == 0:
                files[f"{env}.json"] = out
            if plans and code == 0:
                files[f"cost-{env}.txt"] = run_cli(root, "cost", env)[1]
                if root == REPO:  # (the formats, once: each case has its text)
                    for fmt, suffix in (("json", "json"), ("markdown", "md")):
                        files[f"cost-{env}.{suffix}"] = run_cli(root, "cost", env,
                                                                "--format", fmt)[1]
                files[f"plan-{env}.txt"] = run_cli(root, "plan", env)[1]
                files[f"plan-{env}.md"] = run_cli(root, "plan", env, "--format", "markdown")[1]
                files[f"graph-{env}.mmd"] = run_cli(root, "graph", env)[1]
                files[f"graph-{env}.dot"] = run_cli(root, "graph", env, "--format", "dot")[1]
        return files
    finally:
        os.chdir(cwd)


def all_cases() -> list[tuple[str, Path, Path, bool]]:
    """(id, root, expected folder, with plans) of every golden case. A case that
    compiles (`ok-*`) also keeps its plans and pictures: they show where every value came
    from, which the compiled JSON does not."""
    cases = [("shipped", REPO, SHIPPED, True)]
    for d in sorted(CASES.iterdir()):
        if (d / "environments").is_dir():
            cases.append((d.name, d, d / "expected", d.name.startswith("ok-")))
    return cases


DIFF_EXAMPLE = REPO / "tests" / "diff" / "expected.md"
COST_EXAMPLE = REPO / "tests" / "diff" / "memory-doubled.md"


def graph_doc(*resources: dict, profile: str = "production") -> dict:
    """A graph document (mlinfra.graph/v1) of stack prod holding `resources`."""
    return {"format": "mlinfra.graph/v1", "environment": "prod", "profile": profile,
            "resources": [dict(r) for r in resources], "outputs": {}}


def resource_doc(name: str, rtype: str, args: dict, **options: object) -> dict:
    return {"name": name, "type": rtype, "args": args, "options": options,
            "source": f"environments/prod.yaml:1:{len(name)}"}


def git(root: Path, *args: str) -> None:
    import subprocess

    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@e",
                    *args], check=True, capture_output=True)


def committed_repo(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """tmp_path/repo, a git repository whose first commit holds `files` under
    environments/ (by name)."""
    root = tmp_path / "repo"
    (root / "environments").mkdir(parents=True)
    for name, data in files.items():
        target = root / "environments" / name
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "head")
    return root


def edit(root: Path, name: str, old: str, new: str) -> None:
    """Replace text in environments/NAME, insisting that it is there."""
    p = root / "environments" / name
    text = p.read_text()
    assert old in text, f"{old!r} not in {name}"
    p.write_text(text.replace(old, new))


def _diff_example(before: list[tuple[str, str, str]],
                  after: list[tuple[str, str, str]]) -> tuple[int, str]:
    """`diff prod --format markdown` in a throwaway git copy of the shipped environments:
    the `before` edits (file, old, new) committed, then the `after` edits."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(REPO / "environments", root / "environments")
        for name, old, new in before:
            edit(root, name, old, new)
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "base")
        for name, old, new in after:
            edit(root, name, old, new)
        code, out, _ = run_cli(root, "diff", "prod", "--format", "markdown")
        return code, out


def diff_markdown_example() -> tuple[int, str]:
    """A production tier change (basic -> standard_ha) and a _base edit."""
    return _diff_example(
        [("prod.yaml", "labels:\n  criticality: high\n",
          "labels:\n  criticality: high\nwaivers:\n  - {rule: MLC501, resource: "
          "ml-session-storage, reason: \"single zone until the HA budget lands\"}\n"),
         ("prod.yaml", "    tier: standard_ha", "    tier: basic")],
        [("prod.yaml", "    tier: basic", "    tier: standard_ha"),
         ("_base.yaml", "    delay: 90s", "    delay: 120s")])


def cost_markdown_example() -> tuple[int, str]:
    """The production store's memory doubled, and traffic declared for the SQS queue: the
    pull-request comment says what each costs a month."""
    return _diff_example([], [
        ("prod.yaml", "    memory: 1GiB\n", "    memory: 2GiB\n"),
        ("_base.yaml", "    visibility_timeout: 30s\n", "    visibility_timeout: 30s\n"
         "    usage: {messages_per_month: 5000000, average_message_size: 2KiB}\n")])


def planned_changes() -> dict[Path, str | None]:
    """Every expected file whose content would change: path -> new text (None: delete)."""
    changes: dict[Path, str | None] = {}
    for path, make in ((DIFF_EXAMPLE, diff_markdown_example),
                       (COST_EXAMPLE, cost_markdown_example)):
        example = make()[1]
        if not path.exists() or path.read_text(encoding="utf-8") != example:
            changes[path] = example
    from tests.scaffold_golden import SCAFFOLD, scaffold_outputs

    scaffold = scaffold_outputs()
    for stale in (p for p in SCAFFOLD.rglob("*") if p.is_file()):
        if stale.relative_to(SCAFFOLD).as_posix() not in scaffold:
            changes[stale] = None
    for fname, text in scaffold.items():
        path = SCAFFOLD / fname
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changes[path] = text
    for _name, root, expected, plans in all_cases():
        files = expected_outputs(root, plans=plans)
        if expected.is_dir():
            for stale in expected.iterdir():
                if stale.name not in files:
                    changes[stale] = None
        for fname, text in files.items():
            path = expected / fname
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                changes[path] = text
    return changes


def review(changes: dict[Path, str | None]) -> str:
    """A unified diff of every planned change, as `cargo insta review` shows one."""
    import difflib

    out = []
    for path, new in sorted(changes.items()):
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        rel = str(path.relative_to(REPO))
        out.extend(difflib.unified_diff(old.splitlines(keepends=True),
                                        (new or "").splitlines(keepends=True),
                                        f"a/{rel}", f"b/{rel}" if new is not None
                                        else "/dev/null"))
    return "".join(out)


def regenerate(accept: bool = False) -> int:
    """`make golden`: show what would change; write it only with `accept`
    (`make golden ACCEPT=1`). Exit 1 when there were changes and they were not written,
    so a script cannot bless a regression by accident."""
    import sys

    changes = planned_changes()
    if not changes:
        print("golden files are up to date")
        return 0
    sys.stdout.write(review(changes))
    if not accept:
        print(f"\n{len(changes)} golden file(s) would change; review the diff above, then "
              "`make golden ACCEPT=1` to write them")
        return 1
    for path, text in changes.items():
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    print(f"\nwrote {len(changes)} golden file(s)")
    return 0


def schema_nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping of a JSON Schema document (or any JSON value), depth first."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from schema_nodes(v)
    elif isinstance(node, list):
        for v in node:
            yield from schema_nodes(v)
