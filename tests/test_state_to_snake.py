"""state.to_snake: a checkpoint's properties (camelCase, as the state spells them) as the
graph spells arguments: property names in snake_case, but the keys of map-valued
arguments kept as the user wrote them (a label or tag key is data, not a property name:
pulumi-gcp redis/instance.py types labels and redis_configs Mapping[str, str], pulumi-aws
sqs/queue.py tags Mapping[str, str]), `__` keys (the bridge's __defaults) dropped and
integral JSON numbers read as integers."""

from __future__ import annotations

from mlinfra_compile.state import to_snake


def test_property_names_become_snake_case_and_bridge_keys_are_dropped():
    got = to_snake({"memorySizeGb": 1.0, "authorizedNetwork": "default",
                    "__defaults": ["name"], "maintenancePolicy": {"weeklyMaintenanceWindows": [
                        {"startTime": {"hours": 3.0}}]}})
    assert got == {"memory_size_gb": 1, "authorized_network": "default",
                   "maintenance_policy": {"weekly_maintenance_windows": [
                       {"start_time": {"hours": 3}}]}}
    assert type(got["memory_size_gb"]) is int


def test_the_keys_of_a_map_valued_argument_are_kept_as_written():
    got = to_snake({"tags": {"CostCenter": "ml-7", "Owner": "data"},
                    "redisConfigs": {"maxmemory-policy": "allkeys-lru"},
                    "labels": {"team": "ml", "tier": 2.0}})
    assert got == {"tags": {"CostCenter": "ml-7", "Owner": "data"},
                   "redis_configs": {"maxmemory-policy": "allkeys-lru"},
                   "labels": {"team": "ml", "tier": 2}}


def test_a_map_valued_argument_nested_in_an_object_keeps_its_keys():
    # pulumi-gcp pubsub/subscription.py: push_config.attributes is Mapping[str, str].
    got = to_snake({"pushConfig": {"pushEndpoint": "https://x.example/push",
                                   "attributes": {"x-goog-version": "v1", "someKey": "v"}}})
    assert got == {"push_config": {"push_endpoint": "https://x.example/push",
                                   "attributes": {"x-goog-version": "v1", "someKey": "v"}}}


def test_a_parameter_groups_parameters_are_objects_and_bridge_keys_leave_maps_too():
    """`parameters` is a list of objects (pulumi-aws 7.51.1 elasticache/parameter_group.py:
    Sequence[ParameterGroupParameterArgs]), not a map: the bridge's `__defaults` inside
    an item is dropped as it is anywhere in an object, and the one it writes into a map
    (tags) is no tag. Kept, either is a key the compiled graph never has, which a diff
    against the state would show as a change."""
    got = to_snake({"parameters": [{"__defaults": [], "name": "maxmemory-policy",
                                    "value": "volatile-lru"}],
                    "tags": {"__defaults": [], "team": "ml"}})
    assert got == {"parameters": [{"name": "maxmemory-policy", "value": "volatile-lru"}],
                   "tags": {"team": "ml"}}
