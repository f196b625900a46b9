"""Networks of AWS session stores: an ElastiCache subnet group for the subnets a
store lives in, and a security group that admits the clients `allow_from` names.

Facts, read 2026-11-28 from terraform-provider-aws and the pulumi-aws 7.51.1 docstrings:
- `aws:elasticache/subnetGroup:SubnetGroup` (internal/service/elasticache/subnet_group.go):
  name ForceNew, stored lowercase, up to 255 letters, digits and hyphens; description,
  subnet_ids and tags are updated in place.
- `aws:ec2/securityGroup:SecurityGroup` (internal/service/ec2/vpc_security_group.go): name,
  name_prefix, description and vpc_id ForceNew; description up to 255 characters of
  a-zA-Z0-9, spaces and ._-:/()#,@[]+=&;{}!$*; the name must not start with `sg-`; tags in
  place. The provider removes AWS's default allow-all egress rule, so a group holds only
  the rules declared here (a store answers on its connections and needs no egress rule).
- `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`
  (internal/service/ec2/vpc_security_group_ingress_rule.go): security_group_id requires
  replacement, every other field is updated with ModifySecurityGroupRules; exactly one
  source (cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_security_group_id), and a change
  of source type replaces the rule.
- ElastiCache listens on 6379 (redis and valkey, with or without TLS).
"""

from __future__ import annotations

from ..graph import Origin, Resource, ref
from ..naming import NamingRule
from . import pricing
from .base import Args, Decl, ImportId, Value, check_cidr, derived
from .changes import AWS_REGION, ChangeTable, Outcome, Step, depends, in_place, replaces

SUBNET_GROUP = "aws:elasticache/subnetGroup:SubnetGroup"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
PORT = 6379

_SG = "terraform-provider-aws internal/service/elasticache/subnet_group.go"
_SEC = "terraform-provider-aws internal/service/ec2/vpc_security_group.go"
_RULE = "terraform-provider-aws internal/service/ec2/vpc_security_group_ingress_rule.go"


def _source_change(s: Step) -> Outcome:
    if s.old is None or s.new is None:
        return Outcome("replace", "the rule's source changes type (CIDR <-> security group)")
    return Outcome("update")


CHANGES: ChangeTable = {
    SUBNET_GROUP: {
        "name": replaces(f"{_SG}: ForceNew: true"),
        "region": AWS_REGION,
        **{k: in_place(f"{_SG}: updated with ModifyCacheSubnetGroup") for k in (
            "description", "subnet_ids")},
        "tags": in_place(f"{_SG}: tags are updated with AddTagsToResource"),
    },
    SECURITY_GROUP: {
        **{k: replaces(f"{_SEC}: ForceNew: true") for k in (
            "name", "name_prefix", "description", "vpc_id")},
        "region": AWS_REGION,
        "tags": in_place(f"{_SEC}: tags are updated with CreateTags / DeleteTags"),
        "revoke_rules_on_delete": in_place(f"{_SEC}: a provider setting"),
    },
    INGRESS_RULE: {
        "security_group_id": replaces(f"{_RULE}: RequiresReplace"),
        "region": AWS_REGION,
        **{k: depends(f"{_RULE}: ModifySecurityGroupRules; another source type replaces",
                      _source_change, "update", "replace")
           for k in ("cidr_ipv4", "referenced_security_group_id")},
        **{k: in_place(f"{_RULE}: updated with ModifySecurityGroupRules") for k in (
            "from_port", "to_port", "ip_protocol", "description", "tags")},
    },
}
NAME_ARGS = {SUBNET_GROUP: "name", SECURITY_GROUP: "name"}
# Physical names the cloud compares without case: security group names "are
# case-insensitive and must be unique within the VPC" (EC2 API CreateSecurityGroup,
# GroupName). The others mlinfra sets are lowercase by their naming rules, or
# case-sensitive (SQS CreateQueue: "queue URLs and names are case-sensitive").
CASE_FOLDED_NAMES = frozenset({SECURITY_GROUP})
# Import ids: the subnet group's name, the security group's id (pulumi-aws 7.51.1
# docstrings, "Import").
IMPORT_IDS = {
    SUBNET_GROUP: ImportId("ElastiCache subnet group", r"(?P<name>[a-z0-9-]{1,255})",
                           "ml-sessions-subnets"),
    SECURITY_GROUP: ImportId("security group", r"sg-([0-9a-f]{8}|[0-9a-f]{17})",
                             "sg-0123456789abcdef0"),
}

SUBNET_GROUP_RULE = NamingRule("ElastiCache subnet group", r"[a-z0-9-]{1,255}",
                               "1..255 lowercase letters, digits and hyphens")
SECURITY_GROUP_RULE = NamingRule("security group", r"(?!sg-)[A-Za-z0-9 ._:/()#,@\[\]+=&;{}!$*-]"
                                 r"{1,255}", "1..255 letters, digits, spaces and "
                                 "._-:/()#,@[]+=&;{}!$*, not starting with sg-")


def subnet_group(decl: Decl, subnets: Value, region: Value | None,
                 tags: tuple[dict[str, str], Origin]) -> str:
    """`<name>-subnets` over the given subnets; its name, for subnet_group_name."""
    ctx = decl.ctx
    name = f"{decl.name}-subnets"
    g = Args()
    g.set("subnet_ids", list(subnets.value), subnets.origin)
    g.set("description", f"mlinfra: subnets of session store {decl.name} ({ctx.env})",
          derived(decl, "default description"))
    _add(decl, g, name, SUBNET_GROUP, "subnet_group", SUBNET_GROUP_RULE, region, tags)
    return name


def _add(decl: Decl, g: Args, name: str, rtype: str, kind: str, rule: NamingRule,
         region: Value | None, tags: tuple[dict[str, str], Origin]) -> None:
    """Region, tags and physical name (when name_template sets one), then the resource."""
    g.put("region", region)
    g.set("tags", tags[0], tags[1])
    g.put("name", decl.ctx.physical_name(decl, name, kind, rule))
    decl.ctx.add(Resource(name, rtype, g.values, {}, decl.source, g.origins, kind,
                          decl.name))


def _rule_name(decl: Decl, source: str) -> str:
    return f"{decl.name}-from-" + source.replace(".", "-").replace("/", "-")


def clients(decl: Decl, allow: Value, vpc: Value | None, region: Value | None,
            tags: tuple[dict[str, str], Origin]) -> str | None:
    """`<name>-clients`, a security group in the VPC with one ingress rule on the store's
    port per allow_from entry; its name, or None when an entry is wrong (reported)."""
    ctx = decl.ctx
    path = (*decl.where("network"), "allow_from")
    if vpc is None:
        ctx.error("MLC319", path, "allow_from creates a security group, which needs a VPC: "
                                  "set network.vpc_id or providers.aws.vpc_id", allow.origin)
        return None
    entries = [str(e) for e in allow.value]
    # every entry checked, each wrong one reported where it is written (not the first alone)
    wrong = [i for i, e in enumerate(entries) if not e.startswith("sg-") and not check_cidr(
        decl, (*path, i), Value(e, ctx.origin_of((*path, i)) or allow.origin))]
    if wrong:
        return None
    name = f"{decl.name}-clients"
    g = Args()
    g.set("vpc_id", vpc.value, vpc.origin)
    # ForceNew, so without the store's name: a rename (previous_names) keeps the group.
    g.set("description", f"mlinfra: clients of a session store ({ctx.env})",
          derived(decl, "default description, the same after a rename"))
    _add(decl, g, name, SECURITY_GROUP, "security_group", SECURITY_GROUP_RULE, region, tags)
    for entry in sorted(entries):
        r = Args()
        r.set("security_group_id", ref(name, "id"), derived(decl, f"the group {name}"))
        r.set("ip_protocol", "tcp", derived(decl, "Redis speaks TCP"))
        r.set("from_port", PORT, derived(decl, "the store's port"))
        r.set("to_port", PORT, derived(decl, "the store's port"))
        r.set("cidr_ipv4" if not entry.startswith("sg-") else "referenced_security_group_id",
              entry, allow.origin)
        r.set("description", f"{ctx.env}: {entry} to session store {decl.name}",
              derived(decl, "who this rule admits"))
        r.put("region", region)
        r.set("tags", tags[0], tags[1])
        ctx.add(Resource(_rule_name(decl, entry), INGRESS_RULE, r.values, {},
                         decl.source, r.origins, "ingress_rule", decl.name))
    return name


# What a month costs: nothing; these are configuration of the VPC and of
# ElastiCache (aws.amazon.com/vpc/pricing charges no security groups; infracost lists
# all three types as free).
COSTS: dict[str, pricing.Pricer] = {
    SUBNET_GROUP: pricing.free("a subnet group is configuration"),
    SECURITY_GROUP: pricing.free("security groups are not billed"),
    INGRESS_RULE: pricing.free("security group rules are not billed"),
}
