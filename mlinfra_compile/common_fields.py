"""The fields every declaration takes (COMMON_FIELDS), and the fragments that declarations
of several kinds share: the names a resource had before, encryption at rest."""

from __future__ import annotations

from . import lengths as N
from .fieldkit import (
    ENCRYPTION_PATTERN,
    PHYSICAL_NAME_PATTERN,
    PREVIOUS_NAME_PATTERN,
    PROVIDERS,
    RESOURCE_NAME_PATTERN,
    Field,
    boolean,
    enum,
    labels,
    string,
)

PREVIOUS_NAMES = {
    "type": ["array", "null"],
    "description": "Names this declaration's resource had before: an earlier declaration "
                   "name (a rename), the logical name a hand-written Pulumi program gave "
                   "it (`mlTrainingQueue`), or a whole URN for a resource of another stack "
                   "or project. They become Pulumi aliases, so the resources and their "
                   "data are kept instead of deleted and created anew.",
    "items": {"type": "string", "pattern": PREVIOUS_NAME_PATTERN,
              "maxLength": N.PREVIOUS_NAME_LENGTH},
    "uniqueItems": True,
    "default": None,
    "examples": [["ml-sessions"]],
}


COMMON_FIELDS: dict[str, Field] = {
    "provider": Field(enum(PROVIDERS, "Cloud for this declaration. Default: default_provider, "
                                      "or the only configured provider.")),
    "labels": Field(labels("Extra GCP labels / AWS tags for this declaration's resources, "
                           "merged over the environment's labels.")),
    "protect": Field(boolean("Pulumi `protect` (and a Memorystore instance's own "
                             "deletion_protection): refuse to delete "
                             "the resource. Default: false in development, true in "
                             "production.", False)),
    "previous_names": Field(PREVIOUS_NAMES),
    "name": Field(string("The physical name in the cloud; overrides name_template. "
                         "Resources generated for the declaration take theirs from it "
                         "(`<name>-dlq`, `<name>-<key>`). Checked by the provider's naming "
                         "rule. Needed to import an existing resource.",
                         "ml-session-storage", pattern=PHYSICAL_NAME_PATTERN,
                         max_length=N.PHYSICAL_NAME_LENGTH)),
    "import": Field({
        "type": ["string", "object", "null"],
        "description": "Adopt an existing cloud resource instead of creating it (Pulumi's "
                       "`import` option): a string imports the declaration's own resource; "
                       "a map names generated resources (`jobs-dlq: <id>`). Ids: Memorystore "
                       "projects/P/locations/R/instances/N, SQS the queue URL, Pub/Sub "
                       "projects/P/topics/T or projects/P/subscriptions/S, ElastiCache the "
                       "replication group id, SNS the topic ARN. Needs a fixed physical "
                       "name (`name` or name_template).",
        "minLength": 1,
        "maxLength": 1024,
        "propertyNames": {"pattern": RESOURCE_NAME_PATTERN, "maxLength": N.RESOURCE_NAME_LENGTH},
        "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 1024},
        "default": None,
        "examples": ["projects/acme-ml-prod/locations/us-central1/instances/ml-sessions"],
    }),
}

ENCRYPTION = string("Encryption at rest: `managed` (the provider's key, the default) or "
                    "`kms:<key>`: gcp a Cloud KMS key "
                    "projects/P/locations/L/keyRings/R/cryptoKeys/K (mlinfra grants the "
                    "service agent access to it); aws a KMS key (ElastiCache: its ARN; SQS: "
                    "id, ARN or alias). SQS also accepts `sqs-managed`.",
                    "managed", pattern=ENCRYPTION_PATTERN, max_length=N.ENCRYPTION_LENGTH,
                    default="managed")
