"""What `mlinfra adopt` reads from a checkpoint (adopt._read_all): the resources the
services read back; one line for each resource no service takes (the service's reason,
else that mlinfra does not manage its kind); one line for each adopted resource that
uses a provider other than its cloud's default (with the provider's settings, its
internal `__` inputs left out); one line for each resource that stays with the old stack
(a component, read-only or pending deletion). The checkpoint is written as `pulumi stack
export` prints one (tests/test_adopt.py) and read by state.checkpoint; every expected
line is written out by hand."""

from __future__ import annotations

from typing import Any

from mlinfra_compile.adopt import _read_all
from mlinfra_compile.state import checkpoint

OLD = "urn:pulumi:dev::old-ml::"
EAST = OLD + "pulumi:providers:aws::east"
GCP = OLD + "pulumi:providers:gcp::default_9_3_0"
QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-1"


def entry(kind: str, name: str, ident: str, inputs: dict[str, Any],
          provider: str = "", **flags: Any) -> dict[str, Any]:
    e = {"urn": f"{OLD}{kind}::{name}", "custom": True, "type": kind, "id": ident,
         "inputs": inputs, "outputs": inputs, **flags}
    if provider:
        e["provider"] = f"{provider}::{ident}-uuid"
    return e


STATE = {"version": 3, "deployment": {"resources": [
    entry("pulumi:providers:aws", "east", "east", {
        "__internal": {}, "region": "us-east-1", "profile": "ops", "version": "7.51.1"}),
    entry("pulumi:providers:gcp", "default_9_3_0", "gcp", {"project": "acme-ml-prod"}),
    entry("aws:sqs/queue:Queue", "jobs", QUEUE_URL, {"name": "jobs-1"}, EAST),
    entry("gcp:pubsub/subscription:Subscription", "orphan",
          "projects/acme-ml-prod/subscriptions/orphan",
          {"name": "orphan", "topic": "projects/acme-ml-prod/topics/gone"}, GCP),
    entry("gcp:storage/bucket:Bucket", "data", "data-7f", {"name": "data-7f"}, GCP),
    entry("my:index:Box", "box", "", {}, custom=False),
]}}


def test_what_is_read_back_what_is_not_and_what_stays():
    cp = checkpoint(STATE, "state.json")
    found, missing, left = _read_all(cp, False)
    assert [(a.section, a.provider, a.own.name) for a in found] == [("queues", "aws", "jobs")]
    assert missing == [
        "gcp:pubsub/subscription:Subscription orphan (id projects/acme-ml-prod/"
        "subscriptions/orphan): its topic projects/acme-ml-prod/topics/gone is not in the "
        "state: mlinfra declares a subscription with its topic",
        "gcp:storage/bucket:Bucket data (id data-7f): mlinfra does not manage this kind of "
        "resource",
        "aws:sqs/queue:Queue jobs: uses provider east (profile, region, version); mlinfra's "
        "resources use their cloud's default provider"]
    assert left == ["my:index:Box box: a component, a read-only resource or a pending "
                    "deletion: not moved; it stays with the old stack"]


def test_a_default_provider_is_no_line():
    doc = {"version": 3, "deployment": {"resources": [
        entry("pulumi:providers:aws", "default_7_51_1", "aws", {"region": "us-east-1"}),
        entry("aws:sqs/queue:Queue", "jobs", QUEUE_URL, {"name": "jobs-1"},
              OLD + "pulumi:providers:aws::default_7_51_1")]}}
    found, missing, left = _read_all(checkpoint(doc, "state.json"), False)
    assert [a.own.name for a in found] == ["jobs"]
    assert (missing, left) == ([], [])
