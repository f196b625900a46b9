"""`make schema` and `make docs`: show how the generated files would change (the editor's
schema and the SDK-argument table; the language reference); `ACCEPT=1` (`--accept`)
writes them. As `make golden`: a regression is never blessed by running a target."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.golden import REPO, review


def planned(what: str) -> dict[Path, str | None]:
    """The generated files of `what` (schema | docs) whose text would change."""
    texts: dict[Path, str] = {}
    if what == "schema":
        from mlinfra_compile import sdkargs
        from mlinfra_compile.schema import schema_text

        texts[REPO / "schemas" / "environment.schema.json"] = schema_text()
        texts[REPO / "mlinfra_compile" / sdkargs.TABLE] = sdkargs.table_text(
            sdkargs.read_sdks())
    else:
        from mlinfra_compile.reference import render

        texts[REPO / "docs" / "language.md"] = render()
    return {p: t for p, t in texts.items()
            if not p.exists() or p.read_text(encoding="utf-8") != t}


def main(argv: list[str]) -> int:
    what = "docs" if "docs" in argv else "schema"
    changes = planned(what)
    if not changes:
        print(f"{what}: the generated files are up to date")
        return 0
    sys.stdout.write(review(changes))
    if "--accept" not in argv:
        print(f"\n{len(changes)} generated file(s) would change; review the diff above, "
              f"then `make {what} ACCEPT=1` to write them")
        return 1
    for path, text in changes.items():
        path.write_text(text or "", encoding="utf-8")
    print(f"\nwrote {len(changes)} generated file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
