"""The provider settings `mlinfra adopt` writes under `providers:` (adopt._settings): the
gcp project and region and the aws region most adopted resources have (a tie goes to the
first in sorted order), each resource's setting read from its own arguments, else from
its provider's inputs (adopt._setting). An environment has one gcp project: a resource in
another is listed. Every expected value is worked out by hand from the inputs below."""

from __future__ import annotations

from typing import Any

import pytest

from mlinfra_compile.adopt import _setting, _settings
from mlinfra_compile.providers.adopting import Adopted
from mlinfra_compile.state import Checkpoint, StateResource

OLD = "urn:pulumi:dev::old-ml::"
AWS = StateResource(OLD + "pulumi:providers:aws::default_7_51_1", "pulumi:providers:aws",
                    "uuid-aws", {"region": "us-east-1"}, {"region": "us-east-1"})
GCP = StateResource(OLD + "pulumi:providers:gcp::default_9_3_0", "pulumi:providers:gcp",
                    "uuid-gcp", {"project": "acme-ml-prod"}, {"project": "acme-ml-prod"})


def res(kind: str, name: str, provider: StateResource | None = None,
        **inputs: Any) -> StateResource:
    return StateResource(f"{OLD}{kind}::{name}", kind, f"id-{name}", inputs, {},
                         provider=f"{provider.urn}::{provider.id}" if provider else "")


def queue(name: str, **inputs: Any) -> StateResource:
    return res("aws:sqs/queue:Queue", name, AWS, **inputs)


def redis(name: str, **inputs: Any) -> StateResource:
    return res("gcp:redis/instance:Instance", name, GCP, **inputs)


def cp(*resources: StateResource) -> Checkpoint:
    return Checkpoint("state.json", resources, (AWS, GCP), (), {}, "dev", "old-ml")


@pytest.mark.parametrize("inputs, expected", [
    ({}, "us-east-1"),                     # none of its own: its provider's
    ({"region": "eu-west-1"}, "eu-west-1"),  # its own first
    ({"region": ""}, None),                # its own, empty: no setting
    ({"region": 5}, None),                 # its own, not a string: no setting
])
def test_a_setting_is_the_resources_own_else_its_providers(inputs, expected):
    q = queue("jobs", **inputs)
    assert _setting(cp(q), q, "region") == expected


def test_without_a_provider_a_resource_has_only_its_own_settings():
    q = res("aws:sqs/queue:Queue", "jobs")
    assert _setting(cp(q), q, "region") is None


def adopted(provider: str, *resources: StateResource) -> list[Adopted]:
    section = "queues" if provider == "aws" else "session_stores"
    return [Adopted(section, provider, r, {}, []) for r in resources]


def test_the_region_most_resources_have_is_the_providers():
    # eu-west-1 once (first), us-east-1 twice (once from the provider's inputs)
    found = adopted("aws", queue("a", region="eu-west-1"), queue("b", region="us-east-1"),
                    queue("c"))
    missing: list[str] = []
    assert _settings(cp(*(a.own for a in found)), found, missing) == \
        {"aws": {"region": "us-east-1"}}
    assert missing == []


def test_a_tie_goes_to_the_first_in_sorted_order():
    found = adopted("aws", queue("a", region="us-west-2"), queue("b", region="eu-west-1"))
    assert _settings(cp(*(a.own for a in found)), found, []) == \
        {"aws": {"region": "eu-west-1"}}


def test_one_gcp_project_and_region_and_the_resource_in_another_is_listed():
    found = adopted("gcp", redis("a", region="us-central1"),
                    redis("b", project="other-proj", region="us-central1"),
                    redis("c", project="acme-ml-prod", region="europe-west1")) + \
        adopted("aws", queue("q"))
    missing: list[str] = []
    assert _settings(cp(*(a.own for a in found)), found, missing) == {
        "gcp": {"project": "acme-ml-prod", "region": "us-central1"},
        "aws": {"region": "us-east-1"}}
    assert missing == ["gcp:redis/instance:Instance b: project other-proj; an environment "
                       "has one gcp project, acme-ml-prod"]


def test_a_cloud_with_no_setting_has_an_empty_entry_and_none_without_resources():
    r = res("gcp:redis/instance:Instance", "a")  # no provider, no project or region
    found = adopted("gcp", r)
    missing: list[str] = []
    assert _settings(cp(r), found, missing) == {"gcp": {}}
    assert missing == []


def test_a_project_on_an_aws_resource_is_no_gcp_project():
    # no aws resource takes a `project` (pulumi-aws sqs/queue.py QueueArgs has none), but
    # a state is any JSON: one that holds it is not checked against a gcp project
    found = adopted("aws", queue("q", project="stray"))
    missing: list[str] = []
    assert _settings(cp(found[0].own), found, missing) == {"aws": {"region": "us-east-1"}}
    assert missing == []
