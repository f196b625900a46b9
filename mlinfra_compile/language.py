"""The environment language: every field a user can write, in one table.

The JSON Schema (schema.py) is generated from this table, and the resolver consults it to
report a field that the chosen provider cannot honour (with the nearest thing it offers).
The table is kept by kind: the fields of every declaration in common_fields.py, a session
store's in store_fields.py, a queue's and a subscription's in queue_fields.py, all written
with fieldkit.py's helpers. This module gathers them, with the environment's `exports`.
Adding a field means adding it to its kind's module, then teaching the provider modules
that support it.
"""

from __future__ import annotations

from . import lengths as N
from .common_fields import COMMON_FIELDS as COMMON_FIELDS
from .common_fields import ENCRYPTION as ENCRYPTION
from .common_fields import PREVIOUS_NAMES as PREVIOUS_NAMES
from .envnames import summary as refused_names
from .fieldkit import ALLOW_FROM_PATTERN as ALLOW_FROM_PATTERN
from .fieldkit import ENCRYPTION_PATTERN as ENCRYPTION_PATTERN
from .fieldkit import EXPORT_NAME_PATTERN as EXPORT_NAME_PATTERN
from .fieldkit import EXPORT_VALUE_PATTERN as EXPORT_VALUE_PATTERN
from .fieldkit import IPV4_CIDR as IPV4_CIDR
from .fieldkit import MEMBER_PATTERN as MEMBER_PATTERN
from .fieldkit import NAME_PATTERN as NAME_PATTERN
from .fieldkit import PHYSICAL_NAME_PATTERN as PHYSICAL_NAME_PATTERN
from .fieldkit import PREVIOUS_NAME_PATTERN as PREVIOUS_NAME_PATTERN
from .fieldkit import PROFILES as PROFILES
from .fieldkit import PROVIDERS as PROVIDERS
from .fieldkit import RESOURCE_NAME_PATTERN as RESOURCE_NAME_PATTERN
from .fieldkit import SDK_VALUE as SDK_VALUE
from .fieldkit import SUBSCRIPTION_KEY_PATTERN as SUBSCRIPTION_KEY_PATTERN
from .fieldkit import Field as Field
from .fieldkit import boolean as boolean
from .fieldkit import duration as duration
from .fieldkit import enum as enum
from .fieldkit import labels as labels
from .fieldkit import service_field as service_field
from .fieldkit import size as size
from .fieldkit import string as string
from .queue_fields import QUEUE_ACCESS as QUEUE_ACCESS
from .queue_fields import QUEUE_FIELDS as QUEUE_FIELDS
from .queue_fields import SUBSCRIPTION_ACCESS as SUBSCRIPTION_ACCESS
from .queue_fields import SUBSCRIPTION_FIELDS as SUBSCRIPTION_FIELDS
from .queue_fields import USAGE as USAGE
from .store_fields import EVICTION_POLICIES as EVICTION_POLICIES
from .store_fields import MAINTENANCE as MAINTENANCE
from .store_fields import NETWORK as NETWORK
from .store_fields import PERSISTENCE as PERSISTENCE
from .store_fields import REDIS_VERSIONS as REDIS_VERSIONS
from .store_fields import SESSION_STORE_FIELDS as SESSION_STORE_FIELDS

EXPORTS = {
    "type": ["object", "null"],
    "description": "Stack outputs under names of your choice, as DECLARATION.ATTRIBUTE "
                   "(`ml-session-storage.host`): what a stack's consumers already read. "
                   "Every declaration has id and name; stores host, port (gcp read_endpoint, "
                   "server_ca_cert, auth_string; aws arn, reader_host); queues url, arn, "
                   "dead_letter_url, dead_letter_arn (aws), topic_name, topic_id, "
                   "dead_letter_topic_name (gcp; aws fan-out topic_name, topic_arn) and "
                   "subscriptions.KEY.name / id / url / arn. " + refused_names(),
    "propertyNames": {"pattern": EXPORT_NAME_PATTERN, "maxLength": N.EXPORT_NAME_LENGTH},
    "additionalProperties": {"type": ["string", "null"], "pattern": EXPORT_VALUE_PATTERN,
                             "maxLength": N.EXPORT_VALUE_LENGTH},
    "default": None,
    "examples": [{"redis_instance_host": "ml-session-storage.host"}],
}
