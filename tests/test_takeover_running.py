"""deploy takes over a stack without a recorded graph only when nothing would be replaced,
and judges that by what the stack's groups run (engine_version_actual), not by what was
declared: a 7.0 group that runs 7.0.7 turns transit encryption to `preferred` in place;
one that runs 7.0.4 cannot (below 7.0.5 ElastiCache replaces the group: terraform-provider
-aws internal/service/elasticache/replication_group.go, the transit encryption check)."""

from __future__ import annotations

import json

import pytest

from mlinfra_compile.livestack import takes_over
from mlinfra_compile.resolve import Workspace, compile_environment
from mlinfra_compile.state import camel

GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"


def _graph(tmp_path) -> dict:
    (tmp_path / "environments").mkdir()
    path = tmp_path / "environments" / "s.yaml"
    path.write_text("providers: {aws: {region: us-east-1}}\nsession_stores:\n"
                    "  cache: {provider: aws, version: \"7.0\", tls: preferred}\n")
    compiled = compile_environment(Workspace(str(tmp_path)), str(path))
    assert compiled.graph is not None, compiled.diagnostics
    graph = json.loads(compiled.graph.dumps())
    assert [r["type"] for r in graph["resources"]] == [GROUP]
    return graph


def _stack_holding(graph: dict, actual: str) -> dict:
    """A checkpoint whose group is the graph's, without transit encryption yet, running
    engine `actual`."""
    [r] = graph["resources"]
    inputs = {camel(k): v for k, v in r["args"].items() if k != "transit_encryption_mode"}
    inputs["transitEncryptionEnabled"] = False
    return {"version": 3, "deployment": {"manifest": {}, "resources": [
        {"urn": "urn:pulumi:s::mlinfra::pulumi:pulumi:Stack::mlinfra-s", "custom": False,
         "type": "pulumi:pulumi:Stack", "outputs": {}},
        {"urn": f"urn:pulumi:s::mlinfra::{GROUP}::cache", "custom": True, "type": GROUP,
         "id": "cache-x", "inputs": inputs,
         "outputs": {**inputs, "engineVersionActual": actual}}]}}


@pytest.mark.parametrize(("actual", "taken"), [("7.0.7", True), ("7.0.4", False)])
def test_the_version_a_group_runs_decides_whether_deploy_takes_the_stack_over(
        tmp_path, capsys, actual, taken):
    graph = _graph(tmp_path)
    result = takes_over("s", _stack_holding(graph, actual), graph)
    assert (result is not None) is taken
    if taken:
        _, running = result
        assert running == {"cache": {"engine_version": actual}}
    assert ("this deploy takes them over" in capsys.readouterr().err) is taken
