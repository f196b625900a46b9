"""`mlinfra init [DIR]`: a team's own repository, ready for `make plan ENV=dev` once its
placeholders are filled (each is one diagnostic until then). Never overwrites a file; an
existing .gitignore gets the ignore lines it lacks, appended."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from .pin import Pin

# (path in the repository, template in mlinfra_compile/templates)
FILES = (
    ("environments/_base.yaml", "init-base.yaml.j2"),
    ("environments/dev.yaml", "init-dev.yaml.j2"),
    ("environments/prod.yaml", "init-prod.yaml.j2"),
    ("Pulumi.yaml", "init-Pulumi.yaml.j2"),
    ("program/__main__.py", "init-program.py.j2"),
    ("requirements.txt", "init-requirements.txt.j2"),
    ("Makefile", "init-Makefile.j2"),
    (".pre-commit-config.yaml", "init-pre-commit-config.yaml.j2"),
    (".github/workflows/mlinfra.yml", "init-workflow.yml.j2"),
    (".gitignore", "init-gitignore.j2"),
    # VS Code reads YAML as mlinfra does (1.1) and knows the schema (README "In your editor")
    (".vscode/settings.json", "init-vscode-settings.json.j2"),
)
SCHEMA = "schemas/environment.schema.json"


def pin_values(pin: Pin) -> dict[str, str]:
    """What the templates write of the pin: with the Pulumi SDKs (requirements.txt, for
    `make` and the Pulumi program), the core alone (the hook and CI lint and diff), and
    why it is not a pin others can install, if it is not."""
    import textwrap

    note = textwrap.fill(pin.note, 88, initial_indent="# ", subsequent_indent="# ")
    return {"requirement": pin.requirement("pulumi"), "core": pin.requirement(),
            "pin_note": note}


def project_name(folder: str) -> str:
    """A Pulumi project name from the folder's: 1..100 letters, digits, `-`, `_`, `.`
    (pulumi/pulumi sdk/go/common/tokens/project.go ValidateProjectName, names.go IsName;
    names_test.go accepts a digit first, `0num`). Pulumi.yaml quotes it: `name` must be
    a string (sdk/go/common/workspace/project.json), and a folder named `true`, `null`
    or `123` would otherwise be read as a boolean, null or number."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", os.path.basename(os.path.realpath(folder)))
    return name[:100].strip("-.") or "mlinfra"


@dataclass
class Initialised:
    written: list[str]  # paths in the repository
    kept: list[str]  # because they exist
    added: list[str]  # lines added to an existing .gitignore
    note: str  # what the user must know of the pin written (or "")


def init(folder: str) -> tuple[list[str], list[str], str]:
    """(files written, files kept because they exist), as paths in the repository, and
    what the user must know of the pin written (or "")."""
    done = initialise(folder)
    return done.written, done.kept, done.note


def initialise(folder: str) -> Initialised:
    """Write the repository into `folder` through safewrite: nothing through a link or
    into a special file (all checked before the first write), never over a file; an
    existing .gitignore gets the lines it lacks."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from . import safewrite
    from .pin import installed_pin
    from .schema import schema_text

    env = Environment(loader=PackageLoader("mlinfra_compile", "templates"),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    pin = installed_pin()
    values = {"project": project_name(folder), **pin_values(pin)}
    contents = {path: env.get_template(t).render(**values) for path, t in FILES}
    contents[SCHEMA] = schema_text()  # (the bytes of `mlinfra schema`)
    os.makedirs(folder, exist_ok=True)  # (the target itself, as the user named it)
    exists = {path: safewrite.check(folder, path) for path in sorted(contents)}
    done = Initialised([], [], [], pin.note)
    for path, text in sorted(contents.items()):
        if path == GITIGNORE and exists[path]:
            done.added = safewrite.append_missing(folder, path, _ignored(text), _ignore_key)
            if not done.added:
                done.kept.append(path)
            continue
        try:  # O_EXCL: never overwrite, even a file created a moment ago
            safewrite.create(folder, path, text)
        except FileExistsError:
            done.kept.append(path)
            continue
        done.written.append(path)
    return done


GITIGNORE = ".gitignore"


def _ignored(text: str) -> list[str]:
    """The patterns of init's .gitignore (the local state, the certificates `outputs`
    writes, the virtualenv): an existing .gitignore must have them too."""
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _ignore_key(line: str) -> str:
    """`.mlinfra/`, `/.mlinfra` and `.mlinfra` all ignore the repository's .mlinfra."""
    return line.strip().strip("/")
