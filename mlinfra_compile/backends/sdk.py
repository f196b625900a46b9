"""The SDK class of a graph's type token, importing only its module: what the Pulumi
program builds (pulumi_program.py) and what `python -m mlinfra_compile.sdkargs` reads the
keyword arguments of. Below both, so that the compiler's sdkargs needs nothing of the
program."""

from __future__ import annotations

import importlib
from typing import Any


class GraphError(Exception):
    """The graph names something the backend cannot build."""


def sdk_class(type_token: str) -> Any:
    """`gcp:redis/instance:Instance` -> pulumi_gcp.redis.Instance (importing only that)."""
    try:
        package, module_path, class_name = type_token.split(":")
    except ValueError:
        raise GraphError(f"malformed type token {type_token!r}") from None
    module_name = f"pulumi_{package}.{module_path.split('/')[0]}"
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise GraphError(f"cannot import {module_name} for {type_token}: {exc}; install "
                         "the Pulumi SDKs with `pip install 'mlinfra-compile[pulumi]'`") from None
    cls = getattr(module, class_name, None)
    if cls is None:
        raise GraphError(f"{module_name} has no class {class_name} ({type_token})")
    return cls
