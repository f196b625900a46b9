"""`service:` selects among a cloud's services for a kind (the registry by kind, cloud and
service name); a field another service of the cloud takes says which to select."""

from __future__ import annotations

import json

import pytest

from mlinfra_compile import providers
from tests.golden import run_cli

AWS = "profile: development\nproviders:\n  aws: {region: us-east-1}\n"
GCP = ("profile: development\nproviders:\n  gcp: {project: acme-ml, region: us-central1, "
       "project_number: '123456789012'}\n")


def compile_text(tmp_path, text):
    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / "environments" / "dev.yaml").write_text(text)
    code, out, err = run_cli(tmp_path, "compile", "dev")
    return code, (json.loads(out) if code == 0 else None), err


def test_every_kind_on_every_cloud_has_one_default_service_and_unique_names():
    for kind in ("session_store", "queue"):
        for cloud in ("gcp", "aws"):
            found = providers.services_for(kind, cloud)
            assert [s.IS_DEFAULT for s in found].count(True) == 1
            assert found[0].IS_DEFAULT and providers.SERVICES[(kind, cloud)] is found[0]
    names = [(s.KIND, s.PROVIDER, s.SERVICE) for s in providers.MODULES]
    assert len(names) == len(set(names)) == len(providers.REGISTRY)


@pytest.mark.parametrize(("head", "section", "service"), [
    (AWS, "session_stores", "elasticache"), (GCP, "session_stores", "memorystore-redis"),
    (AWS, "queues", "sqs"), (GCP, "queues", "pubsub")])
def test_naming_the_default_service_compiles_the_same_graph(tmp_path, head, section, service):
    code, plain, err = compile_text(tmp_path, f"{head}{section}:\n  thing: {{}}\n")
    assert code == 0, err
    code, named, err = compile_text(tmp_path,
                                    f"{head}{section}:\n  thing: {{service: {service}}}\n")
    assert code == 0, err
    assert named["resources"] == plain["resources"]


@pytest.mark.parametrize(("head", "section", "service", "said"), [
    (AWS, "session_stores", "memorystore-redis",
     "aws has no session store service 'memorystore-redis' (memorystore-redis runs on gcp); "
     "its services: elasticache, elasticache-serverless [MLC326]"),
    (GCP, "queues", "sqs", "gcp has no queue service 'sqs' (sqs runs on aws); its services: "
                           "pubsub [MLC326]"),
    # a name no service of the kind has: the schema's enum says so (every session store
    # service of the registry, by name)
    (AWS, "session_stores", "sqs", "'sqs' is not one of: " + ", ".join(sorted(
        s.SERVICE for s in providers.MODULES if s.KIND == "session_store")) + " [MLC203]"),
])
def test_a_service_the_cloud_has_not_is_an_error_at_the_key(tmp_path, head, section, service,
                                                             said):
    code, _g, err = compile_text(tmp_path, f"{head}{section}:\n  thing:\n    service: {service}\n")
    assert code == 1
    line = len(head.splitlines()) + 3
    assert err.splitlines()[0] == (f"environments/dev.yaml:{line}:5: error: "
                                   f"{section}.thing.service: {said}"), err


def test_the_schema_lists_each_kinds_service_names():
    from mlinfra_compile.schema import build_schema

    schema = build_schema()
    for kind, names in (("session_store", {"elasticache", "memorystore-redis"}),
                        ("queue", {"sqs", "pubsub"})):
        enum = schema["$defs"][kind]["properties"]["service"]["enum"]
        assert names <= set(enum) and None in enum
