"""`pulumi_args`: keyword arguments of a declaration's own resource that mlinfra does not
model, checked at lint and merged into that resource's arguments.

The own (primary) resource is the one named `Decl.logical` among those the declaration's
service built: a store's Memorystore instance or ElastiCache replication group, a queue's
SQS queue, Pub/Sub topic or (aws, with subscriptions) SNS topic, a subscription's Pub/Sub
subscription or SQS queue. Each name given must be a keyword argument of that resource's
SDK class, read from `sdk_arguments.json` (package data, generated from the pinned SDKs by
`python -m mlinfra_compile.sdkargs --write`, which `make schema` runs), so lint never
imports the SDKs; the table is read only when some declaration has pulumi_args. An
argument mlinfra models is refused, naming the field that sets it. Values are plain
JSON, passed as written, with none of the graph's markers (`$ref`, `$json`, `$secret`).
`diff` classifies a change of one by the service's change table; one the table does not
list may replace the resource (providers/changes.py).
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from functools import lru_cache
from typing import Any

from . import language as L
from .graph import Origin
from .loader import Path
from .providers import CHANGES, Service, service_of
from .providers import aws_elasticache as _rg
from .providers import aws_sns as _sns
from .providers import aws_sqs as _sqs
from .providers import gcp_pubsub as _pubsub
from .providers import gcp_redis as _redis
from .providers.base import Context, Decl

TABLE = "sdk_arguments.json"
FORMAT = "mlinfra.sdk-arguments/v1"
SDKS = ("pulumi_aws", "pulumi_gcp")
CODE = "MLC325"
KEY = "pulumi_args"
# The graph's markers (graph.py): a reference, a JSON string built from references, a
# secret config value; and diff's value known only after a replacement. In pulumi_args
# they would reach into other resources or secrets, or be shown as what they are not.
MARKERS = ("$ref", "$json", "$secret", "$unknown")
# Arguments mlinfra sets on every resource that takes them: labels or tags (the
# environment's and the declaration's), the physical name, the provider's project and
# region.
ALWAYS = frozenset({"labels", "tags", "name", "project", "region"})
# Arguments mlinfra sets or decides on a type that no ARGUMENTS text names, with the
# field that does it ("" for none): Memorystore's read-replica range comes with replicas;
# a fan-out topic is FIFO with `fifo`; a Pub/Sub subscription's topic is its queue's; SQS
# and SNS policies are mlinfra's QueuePolicy / TopicPolicy (`access`); `name_prefix` is
# the physical name; ElastiCache's write-only token is the one `auth` sets.
SETS: dict[str, dict[str, str]] = {
    _redis.TYPE: {"secondary_ip_range": "replicas"},
    _pubsub.SUBSCRIPTION: {"topic": ""},
    _sns.TOPIC: {"fifo_topic": "fifo", "policy": "access", "name_prefix": "name"},
    _sqs.TYPE: {"policy": "access", "name_prefix": "name"},
    _rg.TYPE: {"auth_token_wo": "auth", "auth_token_wo_version": "auth"},
}
# Arguments an ARGUMENTS text names that its field never sets on this type: a gcp queue's
# `retention` is its subscriptions' message_retention_duration, not its topic's.
NOT_HERE: dict[str, frozenset[str]] = {_pubsub.TOPIC: frozenset({"message_retention_duration"})}


# The declaration's own resource, by kind and cloud (an aws queue with subscriptions: its
# SNS topic), for what editors show.
PRIMARY: dict[tuple[str, str], tuple[str, ...]] = {
    ("session_store", "gcp"): (_redis.TYPE,), ("session_store", "aws"): (_rg.TYPE,),
    ("queue", "gcp"): (_pubsub.TOPIC,), ("queue", "aws"): (_sqs.TYPE, _sns.TOPIC),
    ("subscription", "gcp"): (_pubsub.SUBSCRIPTION,), ("subscription", "aws"): (_sqs.TYPE,),
}
FIELDS = {"session_store": L.SESSION_STORE_FIELDS, "queue": L.QUEUE_FIELDS,
          "subscription": L.SUBSCRIPTION_FIELDS}


def becomes(kind: str, cloud: str) -> str:
    """What pulumi_args of a declaration becomes on one cloud, in words."""
    own, *fanout = (f"`{class_name(t)}`" for t in PRIMARY[(kind, cloud)])
    also = f" (with subscriptions: {fanout[0]})" if fanout else ""
    return f"keyword arguments of {own}{also}"


# --- the table of arguments -------------------------------------------------------------

def read_sdks() -> dict[str, Any]:
    """The table, read from the installed SDKs: every type mlinfra emits (the keys of the
    change tables) -> the keyword arguments of its class (those of `_internal_init`, the
    one signature pulumi_gcp and pulumi_aws both spell out)."""
    import inspect
    import warnings
    from importlib.metadata import version

    from .backends.sdk import sdk_class

    skip = {"__self__", "resource_name", "opts", "__props__"}
    types = {}
    for rtype in sorted(CHANGES):
        with warnings.catch_warnings():  # (an SDK module may warn of its other classes)
            warnings.simplefilter("ignore", DeprecationWarning)
            init = sdk_class(rtype)._internal_init
        types[rtype] = sorted(p for p in inspect.signature(init).parameters if p not in skip)
    return {"format": FORMAT,
            "about": "Keyword arguments of each resource class mlinfra emits, read from the "
                     "SDKs below; written by `python -m mlinfra_compile.sdkargs --write` "
                     "(make schema). Lint checks pulumi_args against it.",
            "sdks": {name: version(name) for name in SDKS},
            "types": types}


def table_text(doc: dict[str, Any]) -> str:
    """Byte-stable: sorted keys, two-space indent, a final newline."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@lru_cache(maxsize=1)
def load_table() -> dict[str, Any]:
    """The committed table (read once per process, and only for pulumi_args)."""
    from importlib.resources import files

    doc: dict[str, Any] = json.loads(files(__package__).joinpath(TABLE).read_text("utf-8"))
    return doc


def class_name(rtype: str) -> str:
    """`gcp:pubsub/subscription:Subscription` -> `pulumi_gcp.pubsub.Subscription`."""
    package, module, cls = rtype.split(":")
    return f"pulumi_{package}.{module.split('/')[0]}.{cls}"


# --- checking and applying --------------------------------------------------------------

def apply_pulumi_args(ctx: Context, first: int, decls: list[Decl]) -> None:
    """Merge each declaration's pulumi_args into its own resource (among those built from
    index `first` on), each argument with the origin of its key; report what cannot be
    passed (MLC325) and pass nothing of it."""
    mine = {ctx.resources[i].name: i for i in range(first, len(ctx.resources))}
    for decl in decls:
        given = decl.data.get(KEY)
        i = mine.get(decl.logical)
        if not isinstance(given, dict) or not given or i is None:
            continue  # (no resource: its service reported why)
        r = ctx.resources[i]
        args, origins = dict(r.args), dict(r.origins)
        for name, value in sorted(given.items()):
            path: Path = (*decl.path, KEY, name)
            at = ctx.origin_of(path) or decl.origin
            problem = name_problem(decl, r.type, name, emitted=name in r.args)
            if problem is not None:
                ctx.error(CODE, path, problem, at)
            elif not _markers(ctx, path, value, at):
                args[name] = copy.deepcopy(value)  # (YAML anchors share their values)
                origins[name] = at
        ctx.resources[i] = r._replace(args=args, origins=origins)


def name_problem(decl: Decl, rtype: str, name: str, emitted: bool) -> str | None:
    """Why `name` cannot be passed to `rtype` (None: it can); `emitted` says the service
    set it on this resource."""
    table = load_table()
    known: list[str] | None = table["types"].get(rtype)
    if known is None:  # (the table is generated from every type mlinfra emits)
        return f"mlinfra has no list of the arguments of {rtype}; regenerate {TABLE}"
    if name not in known:
        return unknown(rtype, name, known, table["sdks"])
    fields = modelled(service_of(decl), rtype, name, emitted)
    if fields is None:
        return None
    if not fields:
        return f"{name!r} is modelled by mlinfra: mlinfra sets it"
    own = FIELDS[decl.kind]
    named = " or ".join(f if f in own else f"{f} (on the queue)" for f in fields)
    return f"{name!r} is modelled by mlinfra: set the field {named} instead"


def passable(rtype: str, name: str) -> bool:
    """Whether `pulumi_args` would take `name` on a resource of `rtype` (an argument of
    its SDK class that mlinfra does not model): what `mlinfra adopt` writes there."""
    from .providers import MODULES

    known = load_table()["types"].get(rtype) or []
    owner = next((s for s in MODULES if rtype in s.CHANGES), None)
    return name in known and owner is not None and modelled(owner, rtype, name) is None


def unknown(rtype: str, name: str, known: list[str], sdks: dict[str, str]) -> str:
    """An argument the class does not take, with the nearest it does (a camelCase name
    as the SDK spells it in snake_case)."""
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    close = [snake] if snake in known else difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    package = f"pulumi_{rtype.split(':')[0]}"
    return (f"{class_name(rtype)} has no argument {name!r}{hint}; it takes {len(known)} "
            f"keyword arguments ({package} {sdks.get(package, '?')})")


def modelled(service: Service, rtype: str, arg: str, emitted: bool = False) -> list[str] | None:
    """The fields that set `arg` of `rtype` (found by the service's ARGUMENTS, whose text
    names each SDK argument a field becomes), [] when mlinfra sets it itself, None when
    mlinfra does not model it."""
    fields = [] if arg in NOT_HERE.get(rtype, ()) else [
        key for key, text in service.ARGUMENTS.items() if arg in re.findall(r"`([^`]+)`", text)]
    also = SETS.get(rtype, {}).get(arg)
    if also and also not in fields:
        fields.append(also)
    if fields or also is not None or arg in ALWAYS or emitted:
        return fields
    return None


def _markers(ctx: Context, path: Path, value: Any, at: Origin) -> bool:
    """Report every graph marker used as a key inside `value`; True when there is one."""
    found = False
    if isinstance(value, dict):
        for k, v in value.items():
            if k in MARKERS:
                where = (*path, k)
                ctx.error(CODE, where, f"{k!r} is a key mlinfra reserves for the markers of "
                                       f"its graph ({', '.join(MARKERS)}); pulumi_args values "
                                       "are plain JSON, passed as written",
                          ctx.origin_of(where) or at)
                found = True
            else:
                found = _markers(ctx, (*path, k), v, at) or found
    elif isinstance(value, list):
        for n, v in enumerate(value):
            found = _markers(ctx, (*path, n), v, at) or found
    return found


def main(argv: list[str] | None = None) -> int:
    """`python -m mlinfra_compile.sdkargs [--write]`: print the table read from the
    installed SDKs, or write it over the package's."""
    import argparse
    import os
    from pathlib import Path as FsPath

    parser = argparse.ArgumentParser(prog="python -m mlinfra_compile.sdkargs")
    parser.add_argument("--write", action="store_true", help=f"write {TABLE}")
    write = parser.parse_args(argv).write
    text = table_text(read_sdks())
    if not write:
        print(text, end="")
        return 0
    target = FsPath(__file__).with_name(TABLE)
    tmp = target.with_name(f".{TABLE}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
