"""How an ElastiCache session store protects its data: encryption at rest (always on, with
the key `encryption` names), in transit (`tls`) and an AUTH token (`auth`)."""

from __future__ import annotations

import re

from ..graph import secret
from .aws_elasticache_changes import version_tuple
from .base import Args, Decl, Value, derived

KEY_ARN = re.compile(r"arn:aws[a-z-]*:kms:([a-z0-9-]+):[0-9]{12}:key/[A-Za-z0-9-]+")


def auth_secret_key(name: str) -> str:
    """The Pulumi secret config key that holds a store's AUTH token."""
    return f"{name}-auth-token"


def _transit_encryption(decl: Decl, a: Args, tls: Value | None, engine_version: str) -> None:
    """tls: true | false | preferred -> transit_encryption_enabled, and from engine 7.0
    transit_encryption_mode (required, or preferred while clients move to TLS)."""
    if tls is None:
        return
    a.set("transit_encryption_enabled", bool(tls.value), tls.origin)
    modes = version_tuple(engine_version) >= (7, 0)
    if tls.value == "preferred" and not modes:
        decl.err("MLC311", "tls", f"tls: preferred needs engine 7.0 or newer (this store runs "
                                  f"{engine_version}): older engines have no "
                                  "transit_encryption_mode", tls)
    elif tls.value and modes:
        a.set("transit_encryption_mode",
              "preferred" if tls.value == "preferred" else "required", tls.origin)


def _protection(decl: Decl, a: Args, engine_version: str) -> None:
    """At-rest encryption (always on), tls -> transit encryption, auth -> auth_token."""
    a.set("at_rest_encryption_enabled", True,
          derived(decl, "always on: session data is encrypted at rest"))
    tls = decl.get("tls")
    _transit_encryption(decl, a, tls, engine_version)
    auth = decl.get("auth")
    if auth is not None and auth.value:
        if tls is not None and not tls.value:
            decl.err("MLC311", "auth", "ElastiCache AUTH tokens need tls: true (transit "
                                       "encryption)", auth)
        a.set("auth_token", secret(auth_secret_key(decl.name)), auth.origin)


def _encryption(decl: Decl, a: Args, region: Value | None) -> None:
    """encryption: kms:<key ARN> -> kms_key_id (at-rest encryption is always on). The
    group keeps the key's ARN, so any other form would read as a change, and replace the
    group, on every deploy (terraform-provider-aws#25713)."""
    enc = decl.get("encryption")
    if enc is None or enc.value == "managed":
        return
    if not str(enc.value).startswith("kms:"):
        decl.err("MLC203", "encryption", f"{enc.value} is SQS's; on ElastiCache use managed "
                                         "or kms:<key ARN>", enc)
        return
    key = str(enc.value)[4:]
    m = KEY_ARN.fullmatch(key)
    if m is None:
        decl.err("MLC320", "encryption", f"{key!r} is not a KMS key ARN "
                                         "(arn:aws:kms:REGION:ACCOUNT:key/ID): ElastiCache "
                                         "keeps the key's ARN, and any other form would "
                                         "replace the group on every deploy", enc)
    elif region is not None and m.group(1) != region.value:
        decl.err("MLC320", "encryption", f"the key is in {m.group(1)}; ElastiCache needs a "
                                         f"key in the group's region {region.value}", enc)
    else:
        a.set("kms_key_id", key, enc.origin)
