"""Customer-managed keys on Google Cloud: the key a store or queue names, and
the grant its Google service agent needs on it. Shared by Memorystore and Pub/Sub; not a
service of its own (no declaration builds only a grant).

Facts, read 2026-11-28:
- A Cloud KMS key is `projects/P/locations/L/keyRings/R/cryptoKeys/K`; key ring and key
  names are 1..63 letters, digits, `_` and `-` (terraform-provider-google
  services/kms/kms_utils.go, the cryptoKeyId parser; Cloud KMS "Resource names").
- The service agent needs roles/cloudkms.cryptoKeyEncrypterDecrypter on the key before the
  resource is created (Memorystore "Customer-managed encryption keys": the agent
  service-<project number>@cloud-redis.iam.gserviceaccount.com; Pub/Sub "Configure message
  encryption": service-<project number>@gcp-sa-pubsub.iam.gserviceaccount.com).
- `gcp.kms.CryptoKeyIAMMember` (crypto_key_id, role, member): every field forces a new
  member (terraform-provider-google tpgiamresource/resource_iam_member.go: ForceNew on
  each field, no Update).
"""

from __future__ import annotations

import re

from ..clouds import GCP_PROJECT_ID
from ..graph import Resource
from . import pricing
from .base import Args, Decl, Value, derived
from .changes import ChangeTable, replaces

TYPE = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
KEY = re.compile(rf"projects/{GCP_PROJECT_ID}/locations/[a-z0-9-]+/keyRings/"
                 r"[A-Za-z0-9_-]{1,63}/cryptoKeys/[A-Za-z0-9_-]{1,63}")
KEY_FORM = "projects/P/locations/L/keyRings/R/cryptoKeys/K"

_IAM = "terraform-provider-google tpgiamresource/resource_iam_member.go: ForceNew, no Update"
CHANGES: ChangeTable = {TYPE: {k: replaces(_IAM) for k in ("crypto_key_id", "role", "member",
                                                          "condition")}}


def location(key: str) -> str:
    return key.split("/")[3]


def key_of(decl: Decl, service: str) -> Value | None:
    """The Cloud KMS key of `encryption: kms:<key>`, checked; None for `managed` (or a
    reported problem)."""
    enc = decl.get("encryption")
    if enc is None or enc.value == "managed":
        return None
    if not str(enc.value).startswith("kms:"):
        decl.err("MLC203", "encryption", f"{enc.value} is SQS's; on {service} use managed or "
                                         f"kms:{KEY_FORM}", enc)
        return None
    key = str(enc.value)[4:]
    if not KEY.fullmatch(key):
        decl.err("MLC320", "encryption", f"{key!r} is not a Cloud KMS key name: expected "
                                         f"{KEY_FORM}", enc)
        return None
    return Value(key, enc.origin)


def grant(decl: Decl, key: Value, agent_domain: str, service: str) -> str | None:
    """The name of the grant that lets the service agent use `key` (one per key and agent
    in an environment); None when the project number is missing (reported)."""
    ctx = decl.ctx
    number = ctx.provider_setting("gcp", "project_number")
    if number is None:
        decl.err("MLC312", "encryption", f"{service} with a customer-managed key needs "
                                         "providers.gcp.project_number, to grant the "
                                         f"{service} service agent use of the key", key)
        return None
    member = f"serviceAccount:service-{number.value}@{agent_domain}"
    found = ctx.key_grants.get((key.value, member))
    if found is not None:
        return found
    name = ctx.key_grants[(key.value, member)] = f"{decl.name}-key-access"
    g = Args()
    g.set("crypto_key_id", key.value, key.origin)
    g.set("role", ROLE, derived(decl, f"what {service} needs to use a customer-managed key"))
    g.set("member", member, derived(decl, f"the {service} service agent of the project"))
    ctx.add(Resource(name, TYPE, g.values, {}, decl.source, g.origins, "key_grant",
                     decl.name))
    return name


# What a month costs: the grant is an IAM binding, not billed (infracost lists
# google_kms_crypto_key_iam_member as free); the key itself is the team's, billed where
# it lives, and its use by the service is billed by Cloud KMS per operation.
COSTS: dict[str, pricing.Pricer] = {
    TYPE: pricing.free("an IAM binding on the key (the key and its operations are billed "
                       "by Cloud KMS, where the key lives)"),
}
