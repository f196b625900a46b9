"""What a whole-repository `lint` checks beyond the environments: the files `mlinfra init`
wrote that must be kept in step with mlinfra. Each is read within the workspace's limits
(`Workspace.peek`: size, no FIFO, nothing outside the repository)."""

from __future__ import annotations

import os

from .diagnostics import WARNING, Diagnostic
from .pin import PINNED_FILES, PLACEHOLDER
from .resolve import Workspace

SCHEMA_FILE = "schemas/environment.schema.json"


def check(ws: Workspace) -> list[Diagnostic]:
    return [*placeholders(ws), *stale_schema(ws)]


def placeholders(ws: Workspace) -> list[Diagnostic]:
    """MLC117 for each PLACEHOLDER left in the files init pins mlinfra in (a comment that
    names it is not one)."""
    found = []
    for rel in PINNED_FILES:
        text = ws.peek(os.path.join(ws.root, rel))
        if PLACEHOLDER not in text:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            col = line.find(PLACEHOLDER) + 1
            if col and not line.lstrip().startswith("#"):
                found.append(Diagnostic(rel, n, col, "MLC117", "", (
                    f"{PLACEHOLDER} stands where mlinfra is installed from: replace it "
                    "with a source your team and CI can install, such as "
                    "git+URL@COMMIT (the same in requirements.txt, "
                    ".pre-commit-config.yaml and .github/workflows/mlinfra.yml)")))
    return found


def stale_schema(ws: Workspace) -> list[Diagnostic]:
    """MLC118 (a warning) when the repository keeps a schema for editors that is not this
    mlinfra's: editors would offer fields lint refuses, or miss new ones."""
    path = os.path.join(ws.root, SCHEMA_FILE)
    if not os.path.lexists(path):
        return []
    from .schema import schema_text

    if ws.peek(path) == schema_text():
        return []
    return [Diagnostic(SCHEMA_FILE, 1, 1, "MLC118", "", (
        "this schema is not the one this mlinfra checks with, so editors complete and "
        "flag fields differently from lint; `mlinfra schema > "
        f"{SCHEMA_FILE}` rewrites it"), WARNING)]
