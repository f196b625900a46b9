"""ElastiCache session stores' cloud and resource types, and what a change of each argument
does to a running replication group or its parameter group (CHANGES), judged where it
matters by the engine version the group runs (RUNNING)."""

from __future__ import annotations

from typing import Any

from .changes import AWS_REGION, ChangeTable, Outcome, Step, depends, in_place, replaces

PROVIDER = "aws"  # the service's cloud (providers.Service), re-exported by aws_elasticache
TYPE = "aws:elasticache/replicationGroup:ReplicationGroup"
PARAMETER_GROUP = "aws:elasticache/parameterGroup:ParameterGroup"


# What a change of each argument does to a running group. Sources:
# terraform-provider-aws internal/service/elasticache/replication_group.go (ForceNew
# fields; CustomizeDiff: customizeDiffEngineVersionForceNewOnDowngrade,
# customizeDiffEngineForceNewOnDowngrade and the transit encryption check, which compares
# the version the group runs, engine_version_actual), parameter_group.go, and the
# ElastiCache API reference of ModifyReplicationGroup (TransitEncryptionMode,
# ApplyImmediately), read 2026-11-28.
_RG = "terraform-provider-aws internal/service/elasticache/replication_group.go"
_FORCE_NEW = f"{_RG}: ForceNew: true"
_MODIFY = f"{_RG}: updated with ModifyReplicationGroup"
_PG = "terraform-provider-aws internal/service/elasticache/parameter_group.go"
TRANSIT_ENCRYPTION_IN_PLACE_FROM = (7, 0, 5)


def version_tuple(text: Any) -> tuple[int, ...]:
    """"7.1" -> (7, 1); "6.x" -> (6,). A part of more than 18 digits (a state file's text:
    Python reads no more than 4,300) counts as 10**18, above every real version."""
    return tuple(int(p) if len(p) <= 18 else 10**18 for p in str(text).split(".")
                 if p.isascii() and p.isdigit())


def _running(s: Step) -> str:
    """The engine version the group runs: what the stack reports (deploy), else the old
    side of the change (diff against git)."""
    return str(s.running.get("engine_version") or s.old_args.get("engine_version")
               or s.new_args.get("engine_version") or "0")


def _version_caveat(s: Step) -> str:
    """Against git, the old side is what was declared; with apply: maintenance_window an
    upgrade may not have reached the nodes yet."""
    if s.running or s.old_args.get("apply_immediately") is not False:
        return ""
    return ("in place if the group already runs engine 7.0.5 or newer; an upgrade still "
            "waiting for the maintenance window makes it a replacement (deploy checks the "
            "running version)")


def _engine_version_change(s: Step) -> Outcome:
    if s.old is not None and s.new is not None \
            and version_tuple(s.new) < version_tuple(s.old):
        return Outcome("replace", "a version downgrade forces replacement")
    return Outcome("update")


def _engine_change(s: Step) -> Outcome:
    if s.old == "redis" and s.new == "valkey":
        if s.old_args.get("engine_version") == s.new_args.get("engine_version"):
            return Outcome("refused", "moving a group to valkey needs a valkey "
                                      "engine_version in the same change")
        return Outcome("update")
    return Outcome("replace", f"moving from {s.old} to {s.new} forces replacement (only "
                              "redis -> valkey is in place)")


def _transit_encryption_change(s: Step) -> Outcome:
    running = _running(s)
    if version_tuple(running) < TRANSIT_ENCRYPTION_IN_PLACE_FROM:
        patch = " (a 7.0 group's patch is known only to the stack: deploy checks it)" \
            if version_tuple(running) == (7, 0) else ""
        return Outcome("replace", f"the group runs engine {running}; below 7.0.5 "
                                  "ElastiCache cannot change transit encryption in place"
                                  + patch)
    mode = s.new_args.get("transit_encryption_mode")
    old_mode = s.old_args.get("transit_encryption_mode")
    if s.new and mode != "preferred":
        return Outcome("refused", "ElastiCache turns transit encryption on for a running "
                                  "group only with transit_encryption_mode preferred: set "
                                  "`tls: preferred`, deploy, move every client to TLS, then "
                                  "set `tls: true`")
    if not s.new and old_mode != "preferred":
        return Outcome("refused", "ElastiCache turns transit encryption off only from "
                                  "transit_encryption_mode preferred: set `tls: preferred`, "
                                  "deploy, move every client off TLS, then set `tls: false`")
    return Outcome("update", _version_caveat(s))


def _transit_mode_change(s: Step) -> Outcome:
    running = _running(s)
    if s.new == "preferred" and version_tuple(running) < TRANSIT_ENCRYPTION_IN_PLACE_FROM \
            and s.old_args.get("transit_encryption_enabled") is not False:
        return Outcome("refused", f"the group runs engine {running}: ElastiCache has "
                                  "transit_encryption_mode from 7.0.5; upgrade first, then "
                                  "set tls: preferred")
    if s.new == "required" and s.old == "preferred":
        return Outcome("update", "clients without TLS are refused from now on")
    if s.new == "required" and s.old is None and s.old_args.get("transit_encryption_enabled"):
        return Outcome("update", "TLS was already required; the mode is now written down")
    return Outcome("update")


def _security_groups_change(s: Step) -> Outcome:
    """Update sends security_group_ids only when the new set is not empty (replication_
    group.go: `if v, ok := d.GetOk(...); ok && v.(*schema.Set).Len() > 0`): emptied, the old
    groups would stay attached while the stack says they are gone."""
    if s.old and not s.new:
        return Outcome("refused", "the provider never sends an empty security_group_ids, so "
                                  "the groups would stay attached: keep one group "
                                  "(network.security_group_ids) or detach them outside "
                                  "mlinfra first")
    return Outcome("update")


def _auth_token_change(s: Step) -> Outcome:
    """Removing the token sends ModifyReplicationGroup an empty AuthToken
    (replication_group.go Update: `if d.HasChange("auth_token")`); the API removes a token
    only with AuthTokenUpdateStrategy DELETE, "allowed only when transitioning to RBAC"
    (ModifyReplicationGroup, AuthTokenUpdateStrategy)."""
    if s.old is not None and s.new is None:
        return Outcome("refused", "ElastiCache removes an AUTH token only while moving the "
                                  "group to RBAC user groups, which mlinfra does not manage: "
                                  "keep `auth: true`, or declare a new store without AUTH "
                                  "and move clients to it")
    return Outcome("update")


def _family_change(s: Step) -> Outcome:
    """A new family (redis -> valkey, a major version) is a new parameter group. With a
    fixed name Pulumi must delete the old group first, which AWS refuses while the store
    uses it; auto-named, the new group is made first and the old one deleted last."""
    if s.new_args.get("name") is not None:
        return Outcome("refused", "the group has a fixed name, so Pulumi deletes it before "
                                  "making the new one, and AWS refuses to delete a group a "
                                  "store still uses: remove the parameter_group entry of "
                                  "name_template in this change (Pulumi then names the new "
                                  "group and deletes the old one last)")
    return Outcome("replace", "a new group is made and the store moved to it; the old one "
                              "is deleted last, which AWS refuses while the store's move "
                              "waits for its maintenance window: deploy with `apply: "
                              "immediately`")


def waits_for_window(s: Step) -> bool:
    """ModifyReplicationGroup applies changes to the nodes (engine version, node type,
    parameter group, transit encryption: the API's PendingModifiedValues) at the next
    maintenance window unless ApplyImmediately; the provider always applies replica-count
    and auth-token changes at once."""
    return s.new_args.get("apply_immediately") is False


# What a deployed group reports it runs, by argument: the program exports these outputs so
# that deploy judges a change by the running engine, not the one last declared.
RUNNING = {TYPE: {"engine_version": "engine_version_actual"}}

CHANGES: ChangeTable = {
    TYPE: {
        **{k: replaces(_FORCE_NEW) for k in (
            "replication_group_id", "at_rest_encryption_enabled", "kms_key_id", "port",
            "subnet_group_name", "security_group_names", "global_replication_group_id",
            "data_tiering_enabled", "snapshot_name", "snapshot_arns", "network_type")},
        # Not sent on update ("Ignored when updating"): a change only updates the state.
        "preferred_cache_cluster_azs": in_place(f"{_RG}: not ForceNew, not in Update"),
        "region": AWS_REGION,
        "engine": depends(f"{_RG}: customizeDiffEngineForceNewOnDowngrade (only redis -> "
                          "valkey is in place, with a new engine_version)", _engine_change,
                          "update", "replace", "refused", deferred=waits_for_window),
        "engine_version": depends(f"{_RG}: customizeDiffEngineVersionForceNewOnDowngrade",
                                  _engine_version_change, "update", "replace",
                                  deferred=waits_for_window),
        "transit_encryption_enabled": depends(
            f"{_RG}: ForceNew below engine_version_actual 7.0.5; ModifyReplicationGroup "
            "TransitEncryptionMode", _transit_encryption_change, "update", "replace",
            "refused", deferred=waits_for_window),
        "transit_encryption_mode": depends(f"{_MODIFY} (TransitEncryptionMode, from "
                                           "engine 7.0.5)", _transit_mode_change, "update",
                                           "refused", deferred=waits_for_window),
        **{k: in_place(_MODIFY, deferred=waits_for_window) for k in (
            "node_type", "parameter_group_name")},
        **{k: in_place(_MODIFY) for k in (
            "description", "automatic_failover_enabled", "multi_az_enabled",
            "num_cache_clusters", "snapshot_retention_limit",
            "snapshot_window", "maintenance_window", "user_group_ids", "apply_immediately",
            "auto_minor_version_upgrade",
            "notification_topic_arn", "ip_discovery")},
        "auth_token": depends(f"{_MODIFY} (AuthTokenUpdateStrategy DELETE only toward "
                              "RBAC)", _auth_token_change, "update", "refused"),
        "security_group_ids": depends(f"{_MODIFY}, only when not empty",
                                      _security_groups_change, "update", "refused"),
        "tags": in_place(f"{_RG}: tags are updated with AddTagsToResource"),
    },
    PARAMETER_GROUP: {
        **{k: replaces(f"{_PG}: ForceNew: true") for k in ("name", "description")},
        "family": depends(f"{_PG}: ForceNew: true; DeleteCacheParameterGroup refuses a group "
                          "in use (InvalidCacheParameterGroupState)", _family_change,
                          "replace", "refused"),
        "region": AWS_REGION,
        "parameters": in_place(f"{_PG}: updated with ModifyCacheParameterGroup"),
        "tags": in_place(f"{_PG}: tags are updated with AddTagsToResource"),
    },
}
