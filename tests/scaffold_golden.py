"""What `mlinfra init` and `mlinfra new` write, byte for byte, as golden files under
tests/scaffold/ (reviewed with `make golden`, like every golden): the templates'
text, comments included, is what a team starts from.

The runs: `init team-infra` with the pin fixed (the installed one varies by install);
`new solo` where nothing else exists (no schema, nothing to extend); then, in the
initialised repository, `new staging --profile production` (the schema and `_base` found,
production's settings the base lacks asked for) and `new copy --from solo` (a sibling that
extends nothing, copied); and `new edge --from _aws --profile production` beside a
partial on aws, whose production settings include a list (subnet ids)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

from tests.golden import REPO, run_cli

SCAFFOLD = REPO / "tests" / "scaffold"
AWS_BASE = """\
providers:
  aws: {region: us-east-1}
default_provider: aws
session_stores:
  sessions: {memory: 1GiB}
"""
SKIP = {"schemas/environment.schema.json"}  # (`mlinfra schema`'s bytes: tests/golden too)


def scaffold_outputs() -> dict[str, str]:
    """Golden file name -> text: each file init writes (`init/PATH`, `/` as `__`, a leading
    `.` as `dot.`) and each
    environment `new` writes (`new/ENV.yaml`)."""
    from mlinfra_compile.pin import Pin

    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp, \
            mock.patch("mlinfra_compile.pin.installed_pin", lambda: Pin("==0.9.0", True)):
        lone = Path(tmp) / "lone"
        (lone / "environments").mkdir(parents=True)
        _new(lone, out, "solo")
        (lone / "environments" / "_aws.yaml").write_text(AWS_BASE, encoding="utf-8")
        _new(lone, out, "edge", "--from", "_aws", "--profile", "production")
        (lone / "environments" / "edge.yaml").unlink()
        root = Path(tmp) / "team-infra"
        code, _, err = run_cli(Path(tmp), "init", str(root))
        assert code == 0, err
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            if rel not in SKIP:
                name = rel.replace("/", "__")  # (no hidden file, no live .gitignore)
                out["init/" + ("dot" + name if name.startswith(".") else name)] = \
                    path.read_text(encoding="utf-8")
        _new(root, out, "staging", "--profile", "production")
        (root / "environments" / "solo.yaml").write_bytes(
            (lone / "environments" / "solo.yaml").read_bytes())
        _new(root, out, "copy", "--from", "solo")
    return out


def _new(root: Path, out: dict[str, str], env: str, *args: str) -> None:
    code, _, err = run_cli(root, "new", env, *args)
    assert code == 0, err
    out[f"new/{env}.yaml"] = (root / "environments" / f"{env}.yaml").read_text(encoding="utf-8")
