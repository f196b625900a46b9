"""The maximum length of every string of the language (the schema's maxLength), so that
no value, and no copy of one an alias makes, is longer than what some cloud takes: the
provider's own limit where there is one, else a generous bound, each documented here.
Those of the cloud settings stand next to their patterns in clouds.py.
"""

from __future__ import annotations

from .units import MAX_LENGTH

UNITS_LENGTH = MAX_LENGTH  # durations and sizes written as text (units.py)

NAME_LENGTH = 40  # NAME_PATTERN
PHYSICAL_NAME_LENGTH = 255  # PHYSICAL_NAME_PATTERN
RESOURCE_NAME_LENGTH = 81  # RESOURCE_NAME_PATTERN
SUBSCRIPTION_KEY_LENGTH = 20  # SUBSCRIPTION_KEY_PATTERN
MEMBER_LENGTH = 512  # MEMBER_PATTERN
# A whole URN urn:pulumi:STACK::PROJECT::TYPE::NAME, as PREVIOUS_NAME_PATTERN bounds it.
PREVIOUS_NAME_LENGTH = len("urn:pulumi:") + 100 + 2 + 100 + 2 + 400 + 2 + 256
# The environment's name, a Pulumi stack name: "stack names are limited to 100 characters"
# (pulumi/pulumi pkg/backend/filestate/backend.go; the CLI's message since pulumi#10675).
STACK_NAME_LENGTH = 100
FILE_STEM_LENGTH = 255  # `extends`: a file name is at most 255 bytes on ext4, APFS and NTFS
# Labels are GCP labels or AWS tags: AWS takes keys of 1..128 characters and values of
# 0..256 (docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html), GCP 63 of each
# (clouds.py checks each cloud's own rule).
LABEL_KEY_LENGTH, LABEL_VALUE_LENGTH = 128, 256
# `kms:<key>`: an AWS KMS key id or ARN is at most 2048 characters ("Length Constraints:
# Maximum length of 2048", docs.aws.amazon.com/kms/latest/APIReference/
# API_KeyListEntry.html); a Cloud KMS key path is far shorter.
ENCRYPTION_LENGTH = len("kms:") + 2048
# a zone: a region (at most 63) and `-a`
REGION_ZONE_LENGTH = 65
# an ElastiCache user group id: "1..40 alphanumeric characters or hyphens" is the rule of
# replication groups; user group ids are not documented tighter, so 120 is generous
USER_GROUP_LENGTH = 120
NODE_TYPE_LENGTH = 64  # generous: the longest ElastiCache node type, cache.r6gd.16xlarge, is 19
# Generous bounds where no provider has one: a waiver's reason is a sentence or three; an
# output name and an export (DECLARATION.ATTRIBUTE, under 100 characters at the longest:
# a subscription's dead_letter_topic_name) fit in 128.
REASON_LENGTH = 1000
EXPORT_NAME_LENGTH = EXPORT_VALUE_LENGTH = 128
# pulumi_args: an SDK argument's name, and every string in its value (a JSON policy or
# filter is a few KiB at most).
SDK_NAME_LENGTH = 128
SDK_STRING_LENGTH = 65_536
