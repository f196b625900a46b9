"""A CIDR in an environment (providers.fields.check_cidr): an ElastiCache store's
network.allow_from entries and a Memorystore store's network.reserved_ip_range. A value
that is no IPv4 network (a prefix of 99 bits: IPv4 has 32) or has host bits set
(10.0.0.1/16: the network is 10.0.0.0/16) is one MLC319 and builds nothing from it: no
security group and no ingress rule (aws_network.clients: "None when an entry is wrong"),
no reserved_ip_range argument. Compiled in-process; every expected text is written out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mlinfra_compile.resolve import Compiled, Workspace, compile_environment

AWS = "providers:\n  aws: {region: us-east-1, vpc_id: vpc-0123abcd}\n"
GCP = "providers:\n  gcp: {project: acme-ml-dev, region: us-central1}\n"
GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
NOT_CIDR = "'10.0.0.0/99' is not an IPv4 CIDR such as 10.0.0.0/16"


def compiled(tmp_path: Path, text: str) -> Compiled:
    (tmp_path / "environments").mkdir()
    path = tmp_path / "environments" / "dev.yaml"
    path.write_text(text)
    return compile_environment(Workspace(str(tmp_path)), str(path))


def seen(c: Compiled) -> list[tuple[str, int, int, str, str, str]]:
    return [(d.file, d.line, d.column, d.code, d.path, d.message) for d in c.diagnostics]


@pytest.mark.parametrize("cidr, message", [
    ("10.0.0.0/99", NOT_CIDR),
    ("10.0.0.1/16", "10.0.0.1/16 has host bits set: the network is 10.0.0.0/16"),
], ids=["not-a-cidr", "host-bits"])
def test_a_wrong_allow_from_entry_is_one_error_and_makes_no_security_group(tmp_path, cidr,
                                                                          message):
    c = compiled(tmp_path, AWS + "session_stores:\n  cache:\n    network: {allow_from: ["
                 + cidr + "]}\n")
    # line 5 column 28: where the entry is written, after `    network: {allow_from: [`
    # (27 characters)
    assert seen(c) == [("environments/dev.yaml", 5, 28, "MLC319",
                        "session_stores.cache.network.allow_from[0]", message)]
    assert [(r.name, r.type) for r in c.context.resources] == [("cache", GROUP)]


def test_every_wrong_allow_from_entry_is_reported_where_it_is_written(tmp_path):
    """Two wrong entries around a right one and a security group: an error for each wrong
    one (not for the first alone), at its own column, and no group."""
    c = compiled(tmp_path, AWS + "session_stores:\n  cache:\n    network:\n      allow_from:"
                 "\n        - 10.0.0.0/99\n        - 10.1.0.0/16\n        - sg-0123abcd\n"
                 "        - 10.0.0.1/16\n")
    assert seen(c) == [
        ("environments/dev.yaml", 7, 11, "MLC319",
         "session_stores.cache.network.allow_from[0]", NOT_CIDR),
        ("environments/dev.yaml", 10, 11, "MLC319",
         "session_stores.cache.network.allow_from[3]",
         "10.0.0.1/16 has host bits set: the network is 10.0.0.0/16")]
    assert [(r.name, r.type) for r in c.context.resources] == [("cache", GROUP)]


def test_a_right_allow_from_entry_makes_the_group_and_its_rule(tmp_path):
    c = compiled(tmp_path, AWS + "session_stores:\n  cache:\n    network: {allow_from: "
                 "[10.0.0.0/16]}\n")
    assert seen(c) == []
    assert [(r.name, r.type) for r in c.context.resources] == [
        ("cache-clients", "aws:ec2/securityGroup:SecurityGroup"),
        ("cache-from-10-0-0-0-16",
         "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        ("cache", GROUP)]


@pytest.mark.parametrize("cidr, message, argument", [
    ("10.0.0.0/99", NOT_CIDR, None),
    ("10.0.0.1/29", "10.0.0.1/29 has host bits set: the network is 10.0.0.0/29", None),
    ("10.0.0.0/29", None, "10.0.0.0/29"),
], ids=["not-a-cidr", "host-bits", "right"])
def test_a_reserved_ip_range_is_passed_only_when_it_is_a_network(tmp_path, cidr, message,
                                                                 argument):
    c = compiled(tmp_path, GCP + "session_stores:\n  cache:\n    network: "
                 "{reserved_ip_range: " + cidr + "}\n")
    assert seen(c) == ([] if message is None else [
        ("environments/dev.yaml", 5, 15, "MLC319",
         "session_stores.cache.network.reserved_ip_range", message)])
    [store] = c.context.resources
    assert (store.name, store.args.get("reserved_ip_range")) == ("cache", argument)
