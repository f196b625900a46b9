"""Issue 27, round 2: the Pulumi program registers only the resource types mlinfra's
services emit. A graph read back from a stack's state (`drift`) or handed over could name
any class of the SDKs (`aws:iam/user:User`); such a graph is refused, naming the type and
the resource, before anything is registered."""

from __future__ import annotations

import hashlib
import json

import pulumi
import pytest

from mlinfra_compile.backends import pulumi_program as backend
from mlinfra_compile.providers import CHANGES, MODULES, SHARED
from tests.golden import REPO
from tests.test_pulumi_backend import RecordingMocks

# Types no mlinfra service emits, though the SDKs have a class for each
FOREIGN = ["aws:iam/user:User", "gcp:compute/instance:Instance"]


def _prod_with(rtype: str) -> dict:
    """The shipped production graph plus one resource of `rtype`, named to sort last
    (so that everything before it would already be registered)."""
    graph = json.loads((REPO / "tests" / "golden" / "prod.json").read_text())
    graph["resources"].append({"name": "zz-intruder", "type": rtype, "args": {},
                               "options": {}, "source": "environments/prod.yaml:1:1"})
    return graph


@pytest.mark.parametrize("rtype", FOREIGN)
def test_a_type_no_service_registers_is_refused_before_anything_registers(rtype):
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="prod", preview=False)
    with pytest.raises(backend.GraphError) as info:
        backend.materialize(_prod_with(rtype), export=lambda k, v: None)
    assert str(info.value) == (
        f"resource 'zz-intruder' has type {rtype!r}, which no mlinfra service registers: "
        "the program registers only the types mlinfra compiles")
    assert m.created == []


@pytest.mark.parametrize("rtype", FOREIGN)
def test_the_program_stops_on_a_handed_over_graph_with_a_foreign_type(rtype, tmp_path,
                                                                      monkeypatch):
    text = json.dumps(_prod_with(rtype))
    path = tmp_path / "graph.json"
    path.write_text(text)
    monkeypatch.setenv("MLINFRA_GRAPH", str(path))
    monkeypatch.setenv("MLINFRA_GRAPH_SHA256", hashlib.sha256(text.encode()).hexdigest())
    m = RecordingMocks()
    pulumi.runtime.set_mocks(m, project="mlinfra", stack="prod", preview=False)
    with pytest.raises(pulumi.RunError) as info:
        backend.run()
    assert f"resource 'zz-intruder' has type {rtype!r}, which no mlinfra service " \
           "registers" in str(info.value)
    assert m.created == []


def test_every_type_a_service_registers_resolves_to_its_sdk_class():
    registered = {t for table in (*(s.CHANGES for s in MODULES), *SHARED) for t in table}
    assert registered == set(CHANGES) and registered
    for rtype in sorted(registered):
        backend.check_types([{"name": "r", "type": rtype}])  # accepted
        cls = backend.sdk_class(rtype)
        package, module, name = rtype.split(":")
        assert cls.__name__ == name, rtype
        assert cls.__module__.startswith(f"pulumi_{package}.{module.split('/')[0]}"), rtype


def test_a_type_without_a_name_or_not_a_string_is_refused():
    for r in ({"name": "a"}, {"name": "a", "type": ["aws:sqs/queue:Queue"]}):
        with pytest.raises(backend.GraphError, match="resource 'a' has type"):
            backend.check_types([r])
