"""The clouds mlinfra compiles to: one `Cloud` entry each (as check-jsonschema's
SCHEMA_CATALOG), read by the schema (`providers.<cloud>`), the resolver (required
settings, labels) and the region check. A third cloud is one more entry here plus its
service modules in `providers/` and its region table in `regions.py`.

This module imports nothing of mlinfra: the language table takes its provider names from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple


class Cloud(NamedTuple):  # (a NamedTuple: cheaper to define than a dataclass at start-up)
    name: str  # the key under `providers:` and the value of `provider:`
    article: str  # "a Google Cloud": for "... is not a Google Cloud region"
    description: str  # of `providers.<name>` in the schema
    settings: dict[str, dict[str, Any]]  # JSON Schema of each setting under providers.<name>
    example: dict[str, str]
    # settings every resource of this cloud needs, so that no stack configuration is
    required: tuple[str, ...]
    # what each setting's pattern means, for the diagnostic that quotes no regex
    pattern_help: dict[str, str]
    # (key, value) -> the problems this cloud has with a label (GCP) or tag (AWS)
    label_problems: Callable[[str, str], list[str]]
    # who may be granted access to a queue: member -> the problem, or None
    access_problem: Callable[[str], str | None]
    # a valid member that is a whole class of principals (a whole account, domain or
    # identity pool): (member, the stack's own accounts) -> what it is, or None; a
    # production rule (MLC508)
    broad_grant: Callable[[str, frozenset[str]], str | None] = lambda member, own: None

    def settings_schema(self) -> dict[str, Any]:
        return {
            "type": ["object", "null"],
            "description": self.description,
            "additionalProperties": False,
            "properties": self.settings,
            "default": None,
            "examples": [self.example],
        }


# Network identifiers. AWS resource ids are a prefix and 8 or 17 characters (17 since
# 2018); AWS documents "letters and numbers", every id it issues is lowercase hex.
# Source: docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
SUBNET_ID_PATTERN = r"^subnet-([0-9a-f]{8}|[0-9a-f]{17})$"
SECURITY_GROUP_ID_PATTERN = r"^sg-([0-9a-f]{8}|[0-9a-f]{17})$"
VPC_ID_PATTERN = r"^vpc-([0-9a-f]{8}|[0-9a-f]{17})$"
# A GCP network: a name (RFC 1035, 1..63) in the project, or the path of one in another
# project (a shared VPC host). Source: terraform-provider-google
# tpgresource/self_link_helpers.go and the Compute Engine naming rules.
# A project id: 6..30 lowercase letters, digits and hyphens, starting with a letter; a
# domain-scoped project's id is `DOMAIN:ID` ("Creating and managing projects", "Project
# ID": `example.com:my-project`), the domain a DNS name of at most 63 characters.
GCP_PROJECT_ID = r"([a-z0-9][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]"
GCP_PROJECT_LENGTH = 63 + 1 + 30
GCP_NETWORK_PATTERN = (rf"^([a-z]([-a-z0-9]{{0,61}}[a-z0-9])?|projects/{GCP_PROJECT_ID}"
                       r"/global/networks/[a-z]([-a-z0-9]{0,61}[a-z0-9])?)$")
# The longest of each (every string of the language has a maxLength, language.py): an id
# is its prefix and 17 characters; a network path is 9 + 30 + 17 + 63 characters.
SUBNET_ID_LENGTH, SECURITY_GROUP_ID_LENGTH, VPC_ID_LENGTH = 7 + 17, 3 + 17, 4 + 17
GCP_NETWORK_LENGTH = len("projects/") + GCP_PROJECT_LENGTH + len("/global/networks/") + 63
# A region's name: GCP regions are Compute Engine resources, whose names are RFC 1035
# labels of at most 63 characters (cloud.google.com/compute/docs/naming-resources
# #resource-name-format); AWS documents no bound: the same, generous one (its longest
# today, us-gov-west-1, is 13 characters).
REGION_LENGTH = 63


def id_list(description: str, pattern: str, example: str, max_length: int) -> dict[str, Any]:
    return {"type": ["array", "null"], "description": description,
            "items": {"type": "string", "pattern": pattern, "maxLength": max_length},
            "uniqueItems": True, "default": None, "examples": [[example]]}


def _text(description: str, example: str, pattern: str, max_length: int) -> dict[str, Any]:
    """A string setting (the same shape as language.string)."""
    return {"type": ["string", "null"], "description": description, "default": None,
            "examples": [example], "pattern": pattern, "maxLength": max_length}


# GCP label rules: keys 1..63 characters, lowercase letters, digits, `_` and `-`, starting
# with a lowercase letter; values 0..63 of the same characters; at most 64 labels.
# Source: cloud.google.com/resource-manager/docs/labels-overview#requirements
_GCP_LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_GCP_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")


def _gcp_label_problems(key: str, value: str) -> list[str]:
    out = []
    if not _GCP_LABEL_KEY.fullmatch(key):
        out.append(f"GCP label key {key!r} must start with a lowercase letter and hold at "
                   "most 63 lowercase letters, digits, `_` and `-`")
    if not _GCP_LABEL_VALUE.fullmatch(value):
        out.append(f"GCP label value {value!r} may hold at most 63 lowercase letters, "
                   "digits, `_` and `-`")
    return out


def _aws_tag_char(c: str) -> bool:
    """AWS tag keys and values match ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$ (same source)."""
    import unicodedata

    return c in "_.:/=+-@" or unicodedata.category(c)[0] in "LNZ"


# AWS tags: keys 1..128, values 0..256 characters; the `aws:` prefix is reserved.
# Source: docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
def _aws_tag_problems(key: str, value: str) -> list[str]:
    out = []
    if key.lower().startswith("aws:") or len(key) > 128 or not key:
        out.append(f"AWS tag key {key!r} must be 1..128 characters and not start with `aws:`")
    if len(value) > 256:
        out.append("AWS tag values are at most 256 characters")
    bad = sorted({c for c in key + value if not _aws_tag_char(c)})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        out.append(f"AWS tags hold letters, digits, spaces and _ . : / = + - @ only, not "
                   f"{shown}")
    return out


# Who a Pub/Sub IAM member may be. The forms of google.iam.v1 Binding.members:
# serviceAccount:, user:, group: (an email), domain:, and workforce / workload identity
# principal:// and principalSet:// (Google Cloud IAM "Principal identifiers");
# terraform-provider-google tpgiamresource/resource_iam_member.go validateIAMMember refuses
# `deleted:` members. allUsers and allAuthenticatedUsers are public, never least privilege.
_EMAIL = r"[A-Za-z0-9.!#$%&'*+/=?^_{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"  # ASCII only
_POOLS = (r"(locations/global/workforcePools"
          r"|projects/[0-9]+/locations/global/workloadIdentityPools)")
_POOL = _POOLS + r"/[a-z0-9-]+/[\x21-\x7e]+"
_GCP_MEMBER = re.compile(rf"(serviceAccount|user|group):{_EMAIL}"
                         r"|domain:[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
                         rf"|principal(Set)?://iam\.googleapis\.com/{_POOL}")
_GCP_PREFIXES = ("serviceAccount:", "user:", "group:", "domain:", "principal:",
                 "principalSet:")
# Who an SQS or SNS resource policy may name: IAM role and user ARNs and account
# ids (IAM User Guide, "AWS JSON policy elements: Principal"; IAM names take \w+=,.@-).
_PARTITION = r"arn:aws(-cn|-us-gov|-iso|-iso-[bef]|-eusc)?"  # (aws_access.PARTITIONS)
_AWS_PRINCIPAL = re.compile(_PARTITION + r":iam::[0-9]{12}:((role|user)"
                            r"/[A-Za-z0-9_+=,.@/-]{1,512}|root)|[0-9]{12}")


# Members that are a whole class of principals (Google Cloud IAM "Principal identifiers"):
# `domain:DOMAIN` is every account of a Google Workspace or Cloud Identity domain, and
# `principalSet://iam.googleapis.com/.../POOL_ID/*` "all identities in a workforce
# identity pool" or "in a workload identity pool". The page lists no wildcard email form:
# `user:*@gmail.com` asks, at best, for every account the `*` was meant to stand for.
_WHOLE_POOL = re.compile(rf"principalSet://iam\.googleapis\.com/{_POOLS}"
                         r"/(?P<pool>[a-z0-9-]+)/\*")


def _gcp_broad_grant(member: str, own: frozenset[str]) -> str | None:
    kind, _, rest = member.partition(":")
    if kind == "domain":
        return f"{member} is every account of the domain {rest}"
    if kind in ("user", "group", "serviceAccount") and "*" in rest:
        return (f"{member} is a wildcard (IAM's principal identifiers have none): name the "
                "account, group or service account")
    pool = _WHOLE_POOL.fullmatch(member)
    return f"{member} is every identity of the pool {pool['pool']}" if pool else None


def _gcp_access_problem(member: str) -> str | None:
    if _GCP_MEMBER.fullmatch(member):
        return None
    if member in ("allUsers", "allAuthenticatedUsers"):
        return f"{member} is everyone: grant named members only"
    hint = " (an AWS principal: this queue is on gcp)" if member.startswith("arn:") or \
        member.isdigit() else ""
    return (f"{member!r} is not a Google Cloud member{hint}: use serviceAccount:EMAIL, "
            "user:EMAIL, group:EMAIL, domain:DOMAIN, or a workforce or workload identity "
            "pool's principal://iam.googleapis.com/... or principalSet://...")


# An account id, or its ARN `arn:aws:iam::ID:root`, "delegates authority to the account":
# every role and user in it that the account's own policies allow, not its root user
# only (IAM User Guide, "AWS JSON policy elements: Principal", AWS account principals).
_WHOLE_ACCOUNT = re.compile(r"(?P<id>[0-9]{12})"
                            r"|" + _PARTITION + r":iam::(?P<arn>[0-9]{12}):root")


def _aws_broad_grant(principal: str, own: frozenset[str]) -> str | None:
    m = _WHOLE_ACCOUNT.fullmatch(principal)
    account = (m["id"] or m["arn"]) if m else None
    if account is None or account in own:
        return None
    return (f"{principal} is the whole AWS account {account}, every role and user in it "
            "that its own policies allow: name the role or user")


def _aws_access_problem(principal: str) -> str | None:
    if _AWS_PRINCIPAL.fullmatch(principal):
        return None
    hint = " (a Google Cloud member: this queue is on aws)" \
        if principal.startswith(_GCP_PREFIXES) else ""
    return (f"{principal!r} is not an IAM role or user ARN or an account id{hint}: use "
            "arn:aws:iam::123456789012:role/NAME, arn:aws:iam::123456789012:user/NAME, "
            "123456789012 or arn:aws:iam::123456789012:root")


GCP = Cloud(
    name="gcp",
    article="a Google Cloud",
    description="Google Cloud settings shared by every gcp resource.",
    settings={
        "project": _text("Project id; every gcp resource gets it.", "acme-ml-prod",
                         f"^{GCP_PROJECT_ID}$", GCP_PROJECT_LENGTH),
        "region": _text("Default region of Memorystore instances.", "us-central1",
                        r"^[a-z]+-[a-z]+[0-9]+$", REGION_LENGTH),
        "project_number": {
            "type": ["string", "integer", "null"],
            "pattern": r"^[0-9]{6,20}$",
            "maxLength": 20,
            "minimum": 0,
            "default": None,
            "description": "Project number; needed for Pub/Sub dead letters (the Pub/Sub "
                           "service agent is "
                           "service-<project_number>@gcp-sa-pubsub.iam.gserviceaccount.com).",
            "examples": ["123456789012"],
        },
        "network": _text("The VPC network of every Memorystore instance (authorized_network): "
                         "a name in the project, or projects/HOST/global/networks/NAME on a "
                         "shared VPC. Default: the project's `default` network.",
                         "projects/acme-host/global/networks/shared", GCP_NETWORK_PATTERN,
                         GCP_NETWORK_LENGTH),
    },
    example={"project": "acme-ml-prod", "region": "us-central1"},
    required=("project",),
    pattern_help={
        "project": "a GCP project id: 6..30 lowercase letters, digits and hyphens, "
                   "starting with a letter",
        "project_number": "a GCP project number: 6..20 digits",
        "region": "a GCP region such as us-central1",
        "network": "a network name, or projects/HOST/global/networks/NAME",
    },
    label_problems=_gcp_label_problems,
    access_problem=_gcp_access_problem,
    broad_grant=_gcp_broad_grant,
)

AWS = Cloud(
    name="aws",
    article="an AWS",
    description="AWS settings shared by every aws resource.",
    settings={
        "region": _text("Region of every aws resource (pulumi_aws 7 takes it per resource, "
                        "so no stack configuration is needed).", "us-east-1",
                        # every partition's regions (aws_access.PARTITIONS)
                        r"^[a-z]{2,4}(-gov|-iso[bef]?|-de)?-[a-z]+-[0-9]+$", REGION_LENGTH),
        "subnet_ids": id_list("Subnets of every ElastiCache store (a subnet group per store). "
                           "Default: the default VPC's.", SUBNET_ID_PATTERN, "subnet-0a1b2c3d",
                           SUBNET_ID_LENGTH),
        "vpc_id": _text("The VPC of the security groups `allow_from` creates.", "vpc-0123abcd",
                        VPC_ID_PATTERN, VPC_ID_LENGTH),
    },
    example={"region": "us-east-1"},
    required=("region",),
    pattern_help={"region": "an AWS region such as us-east-1",
                  "vpc_id": "a VPC id such as vpc-0123abcd"},
    label_problems=_aws_tag_problems,
    access_problem=_aws_access_problem,
    broad_grant=_aws_broad_grant,
)

CLOUDS: dict[str, Cloud] = {c.name: c for c in (GCP, AWS)}
