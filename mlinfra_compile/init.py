"""`mlinfra init [DIR]`: a team's own repository, ready for `make plan ENV=dev` once its
placeholders are filled (each is one diagnostic until then). Never overwrites a file."""

from __future__ import annotations

import os
import re

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
    """A Pulumi project name from the folder's: letters, digits, `-`, `_`, `.`."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", os.path.basename(os.path.realpath(folder)))
    return name.strip("-.") or "mlinfra"


def init(folder: str) -> tuple[list[str], list[str], str]:
    """(files written, files kept because they exist), as paths in the repository, and
    what the user must know of the pin written (or "")."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from .pin import installed_pin
    from .schema import schema_text

    env = Environment(loader=PackageLoader("mlinfra_compile", "templates"),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    pin = installed_pin()
    values = {"project": project_name(folder), **pin_values(pin)}
    contents = {path: env.get_template(t).render(**values) for path, t in FILES}
    contents[SCHEMA] = schema_text()  # (the bytes of `mlinfra schema`)
    written, kept = [], []
    for path, text in sorted(contents.items()):
        target = os.path.join(folder, path)
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        try:  # O_EXCL: never overwrite, even a file created a moment ago
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            kept.append(path)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        written.append(path)
    return written, kept, pin.note
