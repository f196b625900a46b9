"""The regions each service is offered in: a region that is not in its table is almost
always a typo (`us-centrall1`, `us-east-9`), reported with the nearest real region.

Read 2026-11-28 from the sources named at each table. A region opened since: add it to its
table with the source and date (one line), or, until a release has it, list it in the
environment variable MLINFRA_EXTRA_REGIONS (comma-separated), which every table accepts.
"""

from __future__ import annotations

import difflib
import os

from .clouds import CLOUDS

# All public Google Cloud regions (Pub/Sub is global and offered in each). Source:
# GoogleCloudPlatform/gcping tools/terraform/regions.json at 85ed7a90 (2026-02-02; unchanged
# at the repository's head of 2026-07-27), matching the BigQuery locations table.
GCP_REGIONS = (
    "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2",
    "asia-northeast3", "asia-south1", "asia-south2", "asia-southeast1",
    "asia-southeast2", "asia-southeast3", "australia-southeast1",
    "australia-southeast2", "europe-central2", "europe-north1", "europe-north2",
    "europe-southwest1", "europe-west1", "europe-west10", "europe-west12",
    "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8",
    "europe-west9", "me-central1", "me-central2", "me-west1", "northamerica-northeast1",
    "northamerica-northeast2", "northamerica-south1", "southamerica-east1",
    "southamerica-west1", "us-central1", "us-east1", "us-east4", "us-east5",
    "us-south1", "us-west1", "us-west2", "us-west3", "us-west4",
    # Restricted regions, open to some projects only: the Cloud Billing catalogue prices
    # services there (Memorystore among them: doitintl/gcpinstances.info
    # public/data/memorystore-pricing.json at 0133443a), gcping does not list them.
    "us-central2", "us-east7", "us-west8",
)

# Memorystore for Redis: cloud.google.com/memorystore/docs/redis/regions (stored copy read
# 2026-11-28; its last rows from the Memorystore for Redis Cluster locations page). The
# page did not list asia-southeast3, europe-north2 or northamerica-south1: a store there is
# a warning (MLC318), not an error, as the list may lag the service.
MEMORYSTORE_REGIONS = (
    "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2",
    "asia-northeast3", "asia-south1", "asia-south2", "asia-southeast1",
    "asia-southeast2", "australia-southeast1", "australia-southeast2",
    "europe-central2", "europe-north1", "europe-southwest1", "europe-west1",
    "europe-west10", "europe-west12", "europe-west2", "europe-west3", "europe-west4",
    "europe-west6", "europe-west8", "europe-west9", "me-central1", "me-central2",
    "me-west1", "northamerica-northeast1", "northamerica-northeast2",
    "southamerica-east1", "southamerica-west1", "us-central1", "us-east1", "us-east4",
    "us-east5", "us-south1", "us-west1", "us-west2", "us-west3", "us-west4",
)

# SQS and ElastiCache are offered in the same regions: boto/botocore
# botocore/data/endpoints.json at f6c17390 (2026-08-07), partitions aws, aws-us-gov and
# aws-cn (opt-in regions included: they are real, the account opts in), and the isolated
# partitions aws-iso* and aws-eusc. Deprecated FIPS pseudo-regions are left out.
AWS_REGIONS = (
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
    "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
    "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1",
    "eu-central-1", "eu-central-2", "eu-isoe-west-1", "eu-north-1", "eu-south-1",
    "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "eusc-de-east-1",
    "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
    "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1",
    "us-iso-west-1", "us-isob-east-1", "us-isob-west-1", "us-isof-east-1",
    "us-isof-south-1", "us-west-1", "us-west-2",
)

TABLES = {k: frozenset(v) for k, v in (
    ("gcp", GCP_REGIONS), ("memorystore", MEMORYSTORE_REGIONS), ("aws", AWS_REGIONS),
    ("sqs", AWS_REGIONS), ("elasticache", AWS_REGIONS))}
CLOUD = {"gcp": "gcp", "memorystore": "gcp", "aws": "aws", "sqs": "aws", "elasticache": "aws"}


def _extra() -> set[str]:  # read when needed: only for a region not in the tables
    return {r.strip() for r in os.environ.get("MLINFRA_EXTRA_REGIONS", "").split(",")
            if r.strip()}


def listed_elsewhere(service: str, region: str) -> bool:
    """A real region of the cloud where the service's own list does not have it (yet)."""
    return region in TABLES[CLOUD[service]] and region not in TABLES[service]


def unknown(service: str, region: str) -> str | None:
    """The problem with `region` for `service`, None when it is offered there."""
    table = TABLES[service]
    if region in table or region in _extra():
        return None
    cloud = CLOUD[service]
    if service == "memorystore" and region in GCP_REGIONS:
        return (f"Memorystore for Redis is not listed in {region} (as of 2026-11-28); check "
                "`gcloud redis regions list`")
    names = sorted(TABLES[cloud])
    # Two letters typed the wrong way round first: difflib's ratio put `us-west-1` before
    # `us-east-1` for `us-esat-1`.
    close = [n for n in names if _swapped(region, n)] or \
        difflib.get_close_matches(region, names, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"{region!r} is not {CLOUDS[cloud].article} region{hint}; a region opened "
            "since 2026-11-28 can be added with MLINFRA_EXTRA_REGIONS")


def _swapped(a: str, b: str) -> bool:
    """`b` is `a` with two neighbouring characters exchanged."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
        and a[diff[1]] == b[diff[0]]
