"""While mutmut runs one mutant's tests, they run fastest first.

mutmut runs a mutant's tests with `-x`: the first failure ends the run, so a killed
mutant costs the tests that ran before its first failing one. mutmut names them in no
order (a set). Here, when MUTANT_UNDER_TEST names a mutant, the suite's conftest orders
them by mutmut's own timings (`duration_by_test` of mutmut-stats.json, in mutmut's
working folder `mutants/`): each test file's tests fastest first, and the files by their
fastest test. Files stay whole so a module's fixtures (the editor's language server) are
set up once. The timings are read once, when conftest is imported in mutmut's fork
server, so each child inherits them rather than reading 27 MB again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

STATS = Path("mutmut-stats.json")  # (relative: mutmut runs pytest inside mutants/)


def _durations() -> dict[str, float]:
    try:
        with STATS.open(encoding="utf-8") as f:
            return dict(json.load(f)["duration_by_test"])
    except (OSError, ValueError, KeyError):
        return {}


DURATIONS = _durations()


def running_a_mutant() -> bool:
    return "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", "")


def fastest_first(items: list[Any], durations: dict[str, float]) -> None:
    """items (pytest's, with .nodeid) reordered in place: files by their fastest test,
    each file's tests fastest first; a test mutmut has no timing for counts as 0."""
    def took(item: Any) -> float:
        return durations.get(item.nodeid, 0.0)

    by_file: dict[str, list[Any]] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    groups = [sorted(group, key=took) for group in by_file.values()]
    groups.sort(key=lambda group: took(group[0]))
    items[:] = [item for group in groups for item in group]
