"""The editor's words and rules, function by function: editor._words walks every place a
schema can hold another (a list of schemas, `then`, `allOf`) and writes each typed value's
message; editor_services.service_rules adds one rule per non-default service, whether or
not the declaration had rules before; editor_services.why_not is empty for a field the
cloud's default service takes."""

from __future__ import annotations

import copy

from mlinfra_compile.editor import _words
from mlinfra_compile.editor_services import service_rules, why_not
from mlinfra_compile.schema import build_schema

BOOLEAN = {"type": ["boolean", "null"]}
INTEGER = {"type": ["integer", "null"]}
TIER = {"enum": ["basic", "standard_ha", None]}


def test_words_reach_lists_then_and_all_of():
    node = [{"properties": {"tier": copy.deepcopy(TIER)},
             "then": {"properties": {"fifo": copy.deepcopy(BOOLEAN)}},
             "allOf": [{"properties": {"replicas": copy.deepcopy(INTEGER)}}]}]
    _words(node, ())
    assert node == [{
        # an enum with no description: the values (null is "unset"), and nothing after
        "properties": {"tier": {**TIER, "errorMessage": "Expected one of: basic, "
                                                        "standard_ha."}},
        "then": {"properties": {"fifo": {**BOOLEAN,
                                         "errorMessage": "Expected true or false."}}},
        "allOf": [{"properties": {"replicas": {**INTEGER,
                                               "errorMessage": "Expected a whole number."}}}],
    }]


def test_an_enum_with_a_version_and_a_description_says_both():
    node = {"enum": ["7.2", "6.x", None], "description": "The Redis version."}
    _words(node, ("version",))
    assert node["errorMessage"] == (
        "Expected one of: 7.2, 6.x. Quote a version: '7.2' (unquoted, YAML reads 7.2 as a "
        "number). The Redis version.")


# ElastiCache Serverless (pulumi_aws.elasticache.ServerlessCache) takes cache_usage_limits
# (max_data, max_ecpu) and user_group_id, and no node type, replicas, maintenance window,
# parameter group (eviction) or apply_immediately; Memorystore for Valkey
# (pulumi_gcp.memorystore.Instance) takes node_type, shard_count, mode (cluster_mode) and
# zone_distribution_config, and no memory size or tier. "R": refused (the why is lint's).
SERVERLESS = {"maintenance": "R", "memory": "R", "tier": "R", "apply": "R", "replicas": "R",
              "persistence": "R", "eviction_policy": "R", "node_type": "R", "shards": "R",
              "cluster_mode": "R", "zone": "R", "max_data": None, "max_ecpu": None,
              "user_group": None}
VALKEY = {"memory": "R", "tier": "R", "apply": "R", "engine": "R", "node_type": None,
          "shards": None, "cluster_mode": None, "zone": None, "max_data": "R",
          "max_ecpu": "R", "user_group": "R", "snapshot_retention_days": "R",
          "description": "R"}


def _expected(properties: dict, service: str, fields: dict) -> dict:
    """The rule of `service`: a refused field is `refused`'s; a proposed one the field's
    own schema without `examples` and `doNotSuggest` (None in the tables above)."""
    then = {key: mark or {k: v for k, v in properties[key].items()
                          if k not in ("examples", "doNotSuggest")}
            for key, mark in fields.items()}
    return {"if": {"required": ["service"], "properties": {"service": {"const": service}}},
            "then": {"properties": then}}


def test_service_rules_are_added_with_or_without_rules_before():
    properties = build_schema()["$defs"]["session_store"]["properties"]
    expected = [_expected(properties, "elasticache-serverless", SERVERLESS),
                _expected(properties, "memorystore-valkey", VALKEY)]
    for before in ([], [{"if": {"required": ["provider"]}}]):
        node = {"properties": copy.deepcopy(properties)}
        if before:
            node["allOf"] = copy.deepcopy(before)
        service_rules("session_store", node, lambda key, why: "R")
        assert node == {"properties": properties, "allOf": [*before, *expected]}


def test_why_not_is_empty_for_a_field_the_default_service_takes():
    # SQS takes DelaySeconds (pulumi_aws.sqs.Queue delay_seconds): nothing to say
    assert why_not("queue", "delay", "aws") == ""
    # node_type: Memorystore for Redis sizes by memory_size_gb, Valkey by node type
    assert why_not("session_store", "node_type", "gcp") == (
        "node_type is a memorystore-valkey field: set service: memorystore-valkey")
