"""Connection settings for applications (`mlinfra outputs`): a stack's outputs as
environment-style names, secrets held back, written as dotenv, JSON or YAML. Pure text:
stack.py asks Pulumi for the outputs."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from .graph import GRAPH_OUTPUT, RUNNING_OUTPUT

# Masked by name as well, whatever Pulumi says: an AUTH string is always a secret.
SECRET_OUTPUTS = frozenset({"auth_string"})
# What `pulumi stack output --json` prints for a secret value without --show-secrets.
MASKED = "[secret]"


def env_key(path: str) -> str:
    """ml-session-storage.host -> ML_SESSION_STORAGE_HOST: a name sh, bash and docker
    accept (ASCII letters, digits, `_`; not starting with a digit)."""
    key = "".join(c if c.isascii() and c.isalnum() else "_" for c in path).upper()
    return "_" + key if key[:1].isdigit() or not key else key


def connection_settings(outputs: dict[str, Any], show_secrets: bool) -> \
        tuple[dict[str, str], list[str]]:
    """Stack outputs -> (flat settings, the keys held back as secret)."""
    flat: dict[str, str] = {}
    hidden: list[str] = []

    def walk(prefix: str, value: Any, secret: bool) -> None:
        pem = pem_bundle(value)  # (None unless a list of PEM certificates, whatever its name)
        if pem is not None:
            flat[env_key(prefix)] = pem
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}_{k}", v, secret or k in SECRET_OUTPUTS)
            return
        key = env_key(prefix)
        if value == MASKED or (secret and not show_secrets):
            hidden.append(key)
            return
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        flat[key] = value if isinstance(value, str) else json_text(value)

    for name, value in sorted(outputs.items()):
        if name not in (GRAPH_OUTPUT, RUNNING_OUTPUT):
            walk(name, value, name in SECRET_OUTPUTS)
    return dict(sorted(flat.items())), sorted(set(hidden))


def pem_bundle(value: Any) -> str | None:
    """Memorystore's server_ca_certs ([{cert: PEM, ...}]) -> the PEM bundle clients trust."""
    if not isinstance(value, list) or not value:
        return None
    certs = [c.get("cert") for c in value if isinstance(c, dict)]
    if len(certs) != len(value) or not all(isinstance(c, str) and
                                           c.startswith("-----BEGIN CERTIFICATE-----")
                                           for c in certs):
        return None
    return "".join(str(c).strip() + "\n" for c in certs)


def files_for_multiline(settings: dict[str, str], root: str, stack: str) -> \
        tuple[dict[str, str], list[str]]:
    """A format of one line per setting (dotenv) cannot hold a PEM bundle: each multi-line
    value goes to a file under .mlinfra/<stack>/ and the setting `<KEY>_FILE` names it.
    Returns the settings and the files written. The folder is the repository's, which
    may hold committed links: safewrite refuses one (`.mlinfra -> ~/.ssh`) on the way."""
    from . import safewrite

    out: dict[str, str] = {}
    written: list[str] = []
    for key, value in settings.items():
        if "\n" not in value:
            out[key] = value
            continue
        path = safewrite.replace(os.path.realpath(root), f".mlinfra/{stack}/{key.lower()}.pem",
                                 value)
        out[key + "_FILE"] = path
        written.append(path)
    return dict(sorted(out.items())), written


def json_text(value: Any) -> str:

    return json.dumps(value, sort_keys=True)


_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@+,")


def dotenv_value(value: str) -> str:
    """Inert when sourced by sh or bash: plain when every character is plain (docker
    --env-file reads those the same), else single-quoted, where nothing expands."""
    if value and all(c in _PLAIN for c in value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def render_settings(settings: dict[str, str], fmt: str,
                    hidden: tuple[str, ...] | list[str] = ()) -> str:
    """Settings in a format of formats.OUTPUTS; `hidden` names the secrets held back."""
    from . import formats

    return formats.render(formats.OUTPUTS, fmt, settings, hidden)


def settings_json(settings: dict[str, str], hidden: Sequence[str]) -> str:

    return json.dumps(settings, indent=2, sort_keys=True) + "\n"


def settings_yaml(settings: dict[str, str], hidden: Sequence[str]) -> str:
    import yaml

    return str(yaml.safe_dump(settings, sort_keys=True, default_flow_style=False))


def settings_dotenv(settings: dict[str, str], hidden: Sequence[str]) -> str:
    from .envnames import refusal  # (lint refuses such names; a stack may hold them anyway)

    lines = [f"{k}={dotenv_value(v)}" if refusal(k, prefixes=False) is None else
             f"# {k} is not written: {refusal(k, prefixes=False)}; rename the output"
             for k, v in settings.items()]
    lines += [f"# {k} is a secret, not written; `mlinfra outputs --show-secrets` prints it"
              for k in hidden]
    return "\n".join(lines) + "\n"
