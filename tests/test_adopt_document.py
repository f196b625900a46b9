"""The document `mlinfra adopt` writes before the exports (adopt._document): the provider
settings, the default provider (the cloud most declarations use, when there are two),
each declaration by its name with `provider:` only where it is not the default and
`region:` only where it is not the provider's; and how each resource changes hands
(adopt._hand_over): its physical `name`, its `import` id when the id has the form the
provider imports, else a line saying why not. Import id forms: providers.IMPORT_IDS (the
SQS queue URL and the Memorystore and Pub/Sub resource paths, as the pulumi-aws and
pulumi-gcp docstrings' Import sections give them). Every expected value is written by
hand."""

from __future__ import annotations

from typing import Any

import pytest

from mlinfra_compile.adopt import _document, _hand_over
from mlinfra_compile.providers.adopting import Adopted, Part
from mlinfra_compile.state import Checkpoint, StateResource
from mlinfra_compile.workspace import UsageError

OLD = "urn:pulumi:dev::old-ml::"
QUEUE = "aws:sqs/queue:Queue"
REDIS = "gcp:redis/instance:Instance"
SUB = "gcp:pubsub/subscription:Subscription"
TOPIC = "gcp:pubsub/topic:Topic"


def url(name: str) -> str:
    return f"https://sqs.us-east-1.amazonaws.com/123456789012/{name}"


def res(kind: str, logical: str, ident: str, **inputs: Any) -> StateResource:
    return StateResource(f"{OLD}{kind}::{logical}", kind, ident, inputs, {})


def cp(found: list[Adopted]) -> Checkpoint:
    return Checkpoint("state.json", tuple(r for a in found for r in a.resources()), (), (),
                      {}, "dev", "old-ml")


def queue(name: str, region: str, **fields: Any) -> Adopted:
    r = res(QUEUE, name, url(name + "-1"), name=name + "-1", region=region)
    return Adopted("queues", "aws", r, {**fields, "region": region}, [])


def redis(name: str, project: str, region: str = "us-central1") -> Adopted:
    ident = f"projects/{project}/locations/{region}/instances/{name}"
    r = res(REDIS, name, ident, name=name, project=project, region=region)
    return Adopted("session_stores", "gcp", r, {"memory": "1GiB", "region": region},
                   ["authString = (secret): set it by hand"])


def test_one_cloud_has_no_default_provider_and_its_region_is_written_once():
    found = [queue("jobsQueue", "us-east-1", delay="90s"), queue("logs", "us-east-1")]
    missing: list[str] = []
    assert _document(cp(found), "dev", found, False, "mlinfra", missing) == {
        "providers": {"aws": {"region": "us-east-1"}},
        "queues": {
            "jobs-queue": {"delay": "90s", "name": "jobsQueue-1",
                           "import": url("jobsQueue-1")},
            "logs": {"name": "logs-1", "import": url("logs-1")}}}
    assert missing == []


def test_the_cloud_most_declarations_use_is_the_default():
    # two Memorystore instances (one in another project), one queue in another region
    found = [redis("cache", "acme-ml-prod"), redis("other", "side-proj"),
             queue("jobs", "eu-west-1")]
    missing: list[str] = []
    assert _document(cp(found), "dev", found, False, "mlinfra", missing) == {
        "providers": {"gcp": {"project": "acme-ml-prod", "region": "us-central1"},
                      "aws": {"region": "eu-west-1"}},
        "default_provider": "gcp",
        "session_stores": {
            "cache": {"memory": "1GiB", "name": "cache",
                      "import": "projects/acme-ml-prod/locations/us-central1/instances/"
                                "cache"},
            "other": {"memory": "1GiB", "name": "other",
                      "import": "projects/side-proj/locations/us-central1/instances/other"}},
        "queues": {"jobs": {"provider": "aws", "name": "jobs-1", "import": url("jobs-1")}}}
    assert missing == [
        f"{REDIS} other: project side-proj; an environment has one gcp project, acme-ml-prod",
        f"cache ({REDIS} cache): authString = (secret): set it by hand",
        f"other ({REDIS} other): authString = (secret): set it by hand"]


def test_a_subscription_without_a_name_is_imported_and_listed():
    topic = res(TOPIC, "jobs", "projects/acme-ml-prod/topics/jobs", name="jobs")
    sub = res(SUB, "jobsSub", "projects/acme-ml-prod/subscriptions/jobs-sub")
    found = [Adopted("queues", "gcp", topic, {}, [], {
        "default": Part(sub, {"ack_deadline": "20s"}, ["filter = x: not modelled"])})]
    missing: list[str] = []
    assert _document(cp(found), "dev", found, False, "mlinfra", missing) == {
        "providers": {"gcp": {}},
        "queues": {"jobs": {
            "name": "jobs", "import": "projects/acme-ml-prod/topics/jobs",
            "subscriptions": {"default": {
                "ack_deadline": "20s",
                "import": "projects/acme-ml-prod/subscriptions/jobs-sub"}}}}}
    assert missing == [
        f"jobs.subscriptions.default ({SUB} jobsSub): filter = x: not modelled",
        f"{SUB} jobsSub: the state holds no physical name, so mlinfra would name it anew "
        "(a replacement)"]


def test_a_name_with_a_backtick_is_refused():
    s = res(QUEUE, "jobs", url("jobs"), name="jobs`rm")
    with pytest.raises(UsageError) as e:
        _hand_over({}, s, "jobs", {}, None, [])
    assert str(e.value) == f"{QUEUE} jobs: its name jobs`rm holds control characters or " \
                           "backticks; mlinfra refuses to write it"


@pytest.mark.parametrize("physical", ["", 5], ids=["empty", "number"])
def test_no_string_name_is_no_name(physical):
    d: dict[str, Any] = {}
    missing: list[str] = []
    _hand_over(d, res(QUEUE, "jobs", url("jobs"), name=physical), "jobs", {}, None,
               missing)
    assert d == {"import": url("jobs")}
    assert missing == [f"{QUEUE} jobs: the state holds no physical name, so mlinfra would "
                       "name it anew (a replacement)"]


def test_an_id_not_in_the_form_imported_is_listed_with_the_form():
    d: dict[str, Any] = {}
    missing: list[str] = []
    _hand_over(d, res(QUEUE, "jobs", "jobs", name="jobs"), "jobs", {}, None, missing)
    assert d == {"name": "jobs"}
    assert missing == [f"{QUEUE} jobs: its id jobs is not the form mlinfra imports "
                       "(https://sqs.us-east-1.amazonaws.com/123456789012/ml-training-queue)"]


def test_a_type_mlinfra_does_not_import_keeps_its_name_and_has_no_form():
    # gcp:storage/bucket:Bucket: no service of mlinfra's; its name argument is `name`
    d: dict[str, Any] = {}
    missing: list[str] = []
    s = res("gcp:storage/bucket:Bucket", "data", "data-7f", name="data-7f")
    _hand_over(d, s, "data", {}, None, missing)
    assert d == {"name": "data-7f"}
    assert missing == ["gcp:storage/bucket:Bucket data: its id data-7f is not the form "
                       "mlinfra imports (none)"]
