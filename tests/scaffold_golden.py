"""What `mlinfra init` and `mlinfra new` write, byte for byte, as golden files under
tests/scaffold/ (reviewed with `make golden`, like every golden): the templates'
text, comments included, is what a team starts from.

The runs: `init team-infra` with the pin fixed (the installed one varies by install);
`new solo` where nothing else exists (no schema, nothing to extend); then, in the
initialised repository, `new staging --profile production` (the schema and `_base` found,
production's settings the base lacks asked for) and `new copy --from solo` (a sibling that
extends nothing, copied); and `new edge --from _aws --profile production` beside a
partial on aws, whose production settings include a list (subnet ids); and the four
cases of OTHERS below, with what the command said (`new/ENV.out`)."""

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
        _from_others(Path(tmp) / "others", out)
    return out


# What `new --from` leaves behind, each in its own file: a partial naming and adopting
# cloud resources (released as nulls), a production sibling that extends nothing (copied:
# its order, a non-ASCII label, a null declaration, what only its stack owns left out), a
# sibling extending that
# partial (its profile taken), a partial with no default_provider (production settings of
# its one cloud asked for, the one it sets not); and three files with nothing to take: an
# empty sibling, an empty partial, a sibling whose `extends` names no file.
OTHERS = {
    "_named.yaml": """\
providers:
  gcp: {project: acme-ml-dev, region: us-central1, network: default}
session_stores:
  sessions: {memory: 1GiB, name: sessions-prod}
queues:
  jobs:
    subscriptions:
      workers: {import: projects/acme-ml-dev/subscriptions/workers}
""",
    "prodlike.yaml": """\
environment: prodlike
profile: production
providers:
  gcp: {project: acme-ml-prod, region: us-central1, project_number: "123456789012",
        network: default}
labels: {team: ml-platform, owner: "zoë"}
session_stores:
  sessions: {tier: standard_ha, memory: 1GiB, name: sessions-prod, previous_names: [cache]}
queues:
  jobs:
    dead_letter: {max_receives: 5}
    subscriptions:
      workers: {import: projects/acme-ml-prod/subscriptions/workers}
  retired: null
""",
    "sib.yaml": "extends: _named\nenvironment: sib\nprofile: production\n",
    "hollow.yaml": "",  # (an empty sibling: nothing to copy or extend)
    "_empty.yaml": "",  # (an empty partial: extended, nothing released)
    "odd.yaml": "extends: 5\nenvironment: odd\n",  # (extends no file: copied)
    "_gcp_only.yaml": """\
providers:
  gcp: {project: acme-ml-dev, region: us-central1, network: default}
queues:
  jobs: {}
""",
}


def _from_others(root: Path, out: dict[str, str]) -> None:
    (root / "environments").mkdir(parents=True)
    for name, text in OTHERS.items():
        (root / "environments" / name).write_text(text, encoding="utf-8")
    for env, *args in (("shop", "--from", "_named"), ("mirror", "--from", "prodlike"),
                       ("kid", "--from", "sib"),
                       ("gprod", "--from", "_gcp_only", "--profile", "production"),
                       ("hollow2", "--from", "hollow"), ("empty2", "--from", "_empty"),
                       ("odd2", "--from", "odd")):
        _new(root, out, env, *args)


def _new(root: Path, out: dict[str, str], env: str, *args: str) -> None:
    """`new ENV ARGS...` in `root`: the file written and what the command said."""
    code, said, err = run_cli(root, "new", env, *args)
    out[f"new/{env}.yaml"] = (root / "environments" / f"{env}.yaml").read_text(
        encoding="utf-8")
    out[f"new/{env}.out"] = f"exit {code}\n--- stdout\n{said}--- stderr\n{err}"
