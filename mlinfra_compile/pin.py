"""Where this mlinfra was installed from, as a requirement others can install: what
`mlinfra init` writes into a team repository's requirements, pre-commit hook and CI
workflow, so all three run the mlinfra that wrote them.

The source is the installed distribution's `direct_url.json` (PEP 610, "Recording the
Direct URL Origin of installed distributions": https://peps.python.org/pep-0610/):
`vcs_info` (a git URL and the commit it resolved to), `archive_info` (a wheel or sdist,
with its hash), `dir_info` (a local folder, `editable` for `pip install -e`). No such file
means the distribution came from an index, pinned by its version. An editable checkout is
a folder whose contents change under the pin, so it is never written as one: init writes
PLACEHOLDER instead, which `mlinfra lint` reports until someone replaces it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# The distribution's name: `mlinfra` on PyPI is an unrelated project with its own
# `mlinfra` command, so this one installs as mlinfra-compile (the command stays mlinfra).
DISTRIBUTION = "mlinfra-compile"
# What init writes where it cannot pin: one token, in every file that installs mlinfra.
PLACEHOLDER = "TODO-mlinfra-source"
# A requirement is written into YAML, a requirements file and a CI step's environment:
# only characters none of them interprets ($, quotes, spaces, braces, newlines excluded).
SAFE = re.compile(r"[A-Za-z0-9._~:/@+=#%,!\[\]-]+")


@dataclass(frozen=True)
class Pin:
    """`spec` follows the distribution name (" @ URL" or "==VERSION"); `shared`: another
    machine can install it too; `note`: what init tells the user about it, or ""."""

    spec: str
    shared: bool
    note: str = ""

    def requirement(self, extras: str = "") -> str:
        name = f"{DISTRIBUTION}[{extras}]" if extras else DISTRIBUTION
        if self.spec == PLACEHOLDER:
            return f"{name} @ {PLACEHOLDER}"
        return f"{name}{self.spec}"

    @property
    def placeholder(self) -> bool:
        return self.spec == PLACEHOLDER


UNSHAREABLE = ("it names a path on this machine: CI runners and teammates cannot install "
               "it. For a pin others can use, install mlinfra from a commit "
               "(pip install \"mlinfra-compile @ git+URL@COMMIT\") and run init again, or "
               "edit the three lines")


def pin_from(direct: dict[str, Any] | None, version: str) -> Pin:
    """The pin for a distribution of `version` whose direct_url.json holds `direct`
    (None: installed from an index)."""
    if not direct:
        return Pin(f"=={version}", True)
    url = direct.get("url")
    if not isinstance(url, str) or not re.match(r"[a-z][a-z0-9+.-]*://", url):
        return _unpinnable(f"mlinfra's install record (direct_url.json) names no URL: "
                           f"{json.dumps(direct, sort_keys=True)[:200]}")
    pin = _direct(direct, url)
    if not pin.placeholder and not SAFE.fullmatch(pin.spec.removeprefix(" @ ")):
        return Pin(PLACEHOLDER, False, f"mlinfra was installed from {url!r}, which holds "
                   "characters that cannot be written safely into a requirements file, "
                   f"YAML and a CI step; replace {PLACEHOLDER} with a URL of the source")
    return pin


def _direct(direct: dict[str, Any], url: str) -> Pin:
    vcs = direct.get("vcs_info")
    local = url.startswith("file:")
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id")
        if vcs.get("vcs") != "git" or not isinstance(commit, str) or not commit:
            return _unpinnable(f"mlinfra was installed from {url} with no git commit "
                               "recorded")
        spec = f" @ git+{url}@{commit}{_subdirectory(direct)}"
        return Pin(spec, not local, UNSHAREABLE if local else "")
    archive = direct.get("archive_info")
    if isinstance(archive, dict):
        return Pin(f" @ {url}{_hash(archive)}", not local, UNSHAREABLE if local else "")
    info = direct.get("dir_info")
    if isinstance(info, dict) and info.get("editable"):
        return _unpinnable(f"mlinfra is installed editable from {url}: the files there "
                           "change under any pin")
    if isinstance(info, dict):
        return Pin(f" @ {url}{_subdirectory(direct)}", False, UNSHAREABLE)
    return _unpinnable(f"mlinfra's install record (direct_url.json) is not one pip writes: "
                       f"{json.dumps(direct, sort_keys=True)[:200]}")


def _unpinnable(why: str) -> Pin:
    return Pin(PLACEHOLDER, False, f"{why}. Replace {PLACEHOLDER} in requirements.txt, "
               ".pre-commit-config.yaml and .github/workflows/mlinfra.yml with where your "
               "team installs mlinfra from (git+URL@COMMIT)")


def _subdirectory(direct: dict[str, Any]) -> str:
    sub = direct.get("subdirectory")
    return f"#subdirectory={sub}" if isinstance(sub, str) and sub else ""


def _hash(archive: dict[str, Any]) -> str:
    """The archive's hash as pip checks it (`#sha256=...`): PEP 610 `hashes` first, then
    the older single `hash` field ("sha256=...")."""
    hashes = archive.get("hashes")
    if isinstance(hashes, dict) and isinstance(hashes.get("sha256"), str):
        return f"#sha256={hashes['sha256']}"
    single = archive.get("hash")
    return f"#{single}" if isinstance(single, str) and "=" in single else ""


def installed_pin() -> Pin:
    """The pin of the mlinfra that is running."""
    from importlib import metadata

    dist = metadata.distribution(DISTRIBUTION)
    raw = dist.read_text("direct_url.json")
    if raw is None and dist.read_text("INSTALLER") is None:
        # metadata no installer wrote: an .egg-info beside the sources (python -m in a
        # checkout), not an installed copy whose version an index would serve
        return _unpinnable(f"mlinfra runs from its source folder ({dist.locate_file('')}), "
                           "not from an installed copy")
    try:
        direct = json.loads(raw) if raw else None
    except ValueError:
        direct = {"unreadable": raw}
    return pin_from(direct if isinstance(direct, dict) or direct is None
                    else {"unreadable": direct}, dist.version)



# The files init writes that install mlinfra, each holding the pin (or PLACEHOLDER).
PINNED_FILES = ("requirements.txt", ".pre-commit-config.yaml", ".github/workflows/mlinfra.yml")
