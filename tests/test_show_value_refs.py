"""The plan's rendering of a reference to another resource's output (report.show_value) with
its two flags (graph.py: "secret": true stays a Pulumi secret, "pem": true makes a list of
certificates one PEM bundle), each alone, both, and neither."""

from __future__ import annotations

import pytest

from mlinfra_compile.report import show_value


@pytest.mark.parametrize(("flags", "shown"), [
    ({}, "${cache.server_ca_certs}"),
    ({"pem": True}, "pem(${cache.server_ca_certs})"),
    ({"secret": True}, "secret(${cache.server_ca_certs})"),
    ({"pem": True, "secret": True}, "secret(pem(${cache.server_ca_certs}))"),
    ({"pem": False, "secret": False}, "${cache.server_ca_certs}"),
])
def test_a_reference_shows_its_flags_outermost_secret(flags, shown):
    assert show_value({"$ref": "cache", "attr": "server_ca_certs", **flags}) == shown


def test_a_reference_inside_a_mapping_and_a_list():
    value = {"ca": {"$ref": "cache", "attr": "server_ca_certs", "pem": True},
             "auth": [{"$ref": "cache", "attr": "auth_string", "secret": True}]}
    assert show_value(value) == ("{auth: [secret(${cache.auth_string})], "
                                 "ca: pem(${cache.server_ca_certs})}")
