"""Two lookups of a checkpoint that adopt and `diff --against-state` lean on:
Checkpoint.provider_of (the explicit provider a resource names) and StateResource.attr
(an output the graph names, `id` being the resource's own id)."""

from __future__ import annotations

from mlinfra_compile.state import StateResource, checkpoint

STACK = "urn:pulumi:dev::mlinfra::pulumi:pulumi:Stack::mlinfra-dev"
EU = "urn:pulumi:dev::mlinfra::pulumi:providers:gcp::eu"
DEFAULT = "urn:pulumi:dev::mlinfra::pulumi:providers:gcp::default_9_3_0"
REDIS = "urn:pulumi:dev::mlinfra::gcp:redis/instance:Instance::"
EU_ID = "0b6a9c2e-5a41-4a8e-9f3c-1d2e3f4a5b6c"
DEFAULT_ID = "7c1d2e3f-0000-4000-8000-000000000001"


def _export(*resources: dict) -> dict:
    return {"version": 3, "deployment": {"manifest": {}, "resources": [
        {"urn": STACK, "type": "pulumi:pulumi:Stack", "custom": False},
        {"urn": EU, "type": "pulumi:providers:gcp", "custom": True, "id": EU_ID,
         "inputs": {"project": "ml-eu", "region": "europe-west1"}},
        {"urn": DEFAULT, "type": "pulumi:providers:gcp", "custom": True, "id": DEFAULT_ID},
        *resources]}}


def _redis(name: str, provider: str | None) -> dict:
    r = {"urn": REDIS + name, "type": "gcp:redis/instance:Instance", "custom": True,
         "id": f"projects/ml-eu/locations/europe-west1/instances/{name}"}
    return r if provider is None else {**r, "provider": provider}


def test_a_resource_s_provider_is_the_one_its_reference_names():
    # A provider reference is the provider's URN, "::", its id (pulumi/pulumi
    # sdk/go/common/resource/plugin/providers/reference.go, Reference.String), and a
    # URN's name may itself hold "::" (urn.go): the id is what follows the last "::".
    odd = "urn:pulumi:dev::mlinfra::pulumi:providers:gcp::eu::west"
    cp = checkpoint(_export(
        {"urn": odd, "type": "pulumi:providers:gcp", "custom": True, "id": "odd-id"},
        _redis("a", f"{EU}::{EU_ID}"),
        _redis("b", f"{DEFAULT}::{DEFAULT_ID}"),
        _redis("c", f"{odd}::odd-id"),
        _redis("d", None),
        _redis("e", "urn:pulumi:dev::mlinfra::pulumi:providers:gcp::gone::1234")),
        "state.json")
    assert [p.urn for p in cp.providers] == [EU, DEFAULT, odd]
    eu, default, odd_provider = cp.providers
    found = {r.name: cp.provider_of(r) for r in cp.resources}
    assert found == {"a": eu, "b": default, "c": odd_provider, "d": None, "e": None}
    assert eu.inputs == {"project": "ml-eu", "region": "europe-west1"}


def test_attr_id_is_the_resource_s_id_and_other_names_read_its_outputs():
    r = StateResource(REDIS + "cache", "gcp:redis/instance:Instance",
                      "projects/p/locations/r/instances/cache", {},
                      {"host": "10.0.0.3", "port": 6379.0, "readEndpointPort": 6380,
                       "currentLocationId": "europe-west1-b"})
    # (outputs without an `id`: the checkpoint's `id` field is the one to use)
    assert r.attr("id") == "projects/p/locations/r/instances/cache"
    assert r.attr("host") == "10.0.0.3"
    port = r.attr("port")  # a JSON number the state holds as 6379.0 is the graph's 6379
    assert (port, type(port)) == (6379, int)
    assert r.attr("read_endpoint_port") == 6380
    assert r.attr("current_location_id") == "europe-west1-b"
    assert r.attr("reserved_ip_range") is None


def test_attr_id_ignores_an_output_called_id():
    r = StateResource(REDIS + "cache", "gcp:redis/instance:Instance", "the-id", {},
                      {"id": "an-output-id"})
    assert r.attr("id") == "the-id"
