"""What a value of the language must look like, in words: the forms `mlinfra lint`'s
messages name (schema.py) and the editor's (editor.py), from the same tables, so that the
two say the same things."""

from __future__ import annotations

from typing import Any

from . import language as L
from .clouds import CLOUDS
from .units import DURATION_FORMS, SIZE_FORMS, whole

DECLARATION_NAME = "2..40 lowercase letters, digits and hyphens, starting with a letter " \
    "and not ending with a hyphen"
# What a pattern means, by the last keys of the path (the schema keeps the regex).
PATTERN_HELP: dict[tuple[str, ...], str] = {
    **{(c.name, key): text for c in CLOUDS.values() for key, text in c.pattern_help.items()},
    ("node_type",): "a node type: ElastiCache's such as cache.r7g.large, Memorystore for "
                    "Valkey's such as standard-small",
    ("zone",): "a zone of the region such as us-central1-a",
    ("user_group",): "an ElastiCache user group id such as ml-sessions-users (letters, digits "
                     "and hyphens, starting with a letter)",
    ("encryption",): "`managed` or `kms:<key>`",
    ("subnet_ids",): "a subnet id such as subnet-0a1b2c3d",
    ("security_group_ids",): "a security group id such as sg-0123456789abcdef0",
    ("vpc_id",): "a VPC id such as vpc-0123abcd",
    ("allow_from",): "an IPv4 CIDR such as 10.0.0.0/16 or a security group id such as "
                     "sg-0123456789abcdef0",
    ("network", "name"): "a network name, or projects/HOST/global/networks/NAME",
    ("start",): "a time of day HH:MM (UTC) such as 03:00",
    ("previous_names",): "a previous name (an earlier declaration name, a Pulumi logical "
                         "name such as mlTrainingQueue without control characters or `::`, "
                         "or a URN urn:pulumi:STACK::PROJECT::TYPE::NAME)",
    ("resource",): f"a declaration name: {DECLARATION_NAME}",
}
# ... and by the pattern itself, where the path does not tell (an export's value).
PATTERN_FORMS: dict[str, str] = {
    whole(L.EXPORT_VALUE_PATTERN): "DECLARATION.ATTRIBUTE, such as ml-session-storage.host",
    whole(L.PHYSICAL_NAME_PATTERN): "a cloud name: 1..255 letters, digits and . _ ~ + % -, "
                                    "starting with a letter or digit",
    whole(L.MEMBER_PATTERN): "a member or principal, without spaces "
                             "(serviceAccount:EMAIL, arn:aws:iam::ACCOUNT:role/NAME)",
}
# What a key must look like, by the pattern of propertyNames: (what it is, its rule).
KEY_RULES: dict[str, tuple[str, str]] = {
    whole(L.NAME_PATTERN): ("name", DECLARATION_NAME),
    whole(L.SUBSCRIPTION_KEY_PATTERN): ("subscription key", "1..20 lowercase letters, "
                                        "digits and hyphens, starting with a letter and not "
                                        "ending with a hyphen"),
    whole(L.EXPORT_NAME_PATTERN): ("output name", "letters, digits and `_`, not starting "
                                   "with a digit"),
    whole(L.RESOURCE_NAME_PATTERN): ("resource name", "lowercase letters, digits and "
                                     "hyphens, as `plan` shows them (jobs-dlq)"),
}


SIZE_WITH_UNIT_FORMS = "N followed by MiB or GiB (1GiB, 512MiB); units are binary, GiB not GB"
EXPIRY_FORMS = f"`never` or a duration ({DURATION_FORMS})"


def form_of(keys: tuple[str, ...], schema: dict[str, Any]) -> str:
    """What a value with a pattern must look like, in words: for lint's messages and the
    editor's (editor.py). `keys` are the last keys of its path."""
    title = schema.get("title")
    if title == "Duration":
        return DURATION_FORMS
    if title == "Size":
        return SIZE_FORMS
    if title == "Size with unit":
        return SIZE_WITH_UNIT_FORMS
    if keys[-1:] == ("expiry",):
        return EXPIRY_FORMS
    return PATTERN_HELP.get(keys[-2:]) or PATTERN_HELP.get(keys[-1:]) \
        or PATTERN_FORMS.get(schema["pattern"]) \
        or f"of the expected form {schema['pattern']}"
