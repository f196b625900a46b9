"""`mlinfra adopt` drops nothing it reads: for every argument of every resource type a
service adopts, a value mlinfra cannot express (a map, a list, a string or a number no
field takes) either appears in the declaration read back or is listed under its own key,
and never crashes the reading. (A sweep found three reads that kept quiet or crashed: a
serverless cache's version with another engine, a replication group's engine mlinfra
does not run, a zone distribution config with keys mlinfra does not write; an
engineVersion map raised TypeError.)

The physical name and the project are read by the command (adopt.py), which lists a
missing or malformed one; the sweep leaves them out."""

from __future__ import annotations

import json

import pytest

from mlinfra_compile.providers import ADOPT, MODULES, NAME_ARGS
from mlinfra_compile.state import StateResource

SENTINELS = [({"zzUnexpressible": 7}, "zzUnexpressible"),
             (["zzUnexpressible"], "zzUnexpressible"),
             ("zzUnexpressible", "zzUnexpressible"),
             (987654.321, "987654")]


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _arguments() -> list[tuple[str, str]]:
    seen: dict[str, set[str]] = {}
    for service in MODULES:
        for rtype, rules in service.CHANGES.items():
            seen.setdefault(rtype, set()).update(rules)
    skip = {"project"}
    return sorted((rtype, camel(arg)) for rtype, args in seen.items() for arg in args
                  if arg not in skip and arg != NAME_ARGS.get(rtype, "name"))


ARGUMENTS = _arguments()


def test_the_sweep_covers_every_adopted_type():
    types = {t for t, _ in ARGUMENTS}
    assert "aws:elasticache/serverlessCache:ServerlessCache" in types
    assert "gcp:memorystore/instance:Instance" in types
    assert len(ARGUMENTS) > 150


@pytest.mark.parametrize("passable", ["none", "sdk"])
@pytest.mark.parametrize(("rtype", "key"), ARGUMENTS, ids=[f"{t}.{k}" for t, k in ARGUMENTS])
def test_a_value_adopt_cannot_express_is_listed_under_its_key(rtype, key, passable,
                                                               monkeypatch):
    """With and without the SDK table (`mlinfra adopt` hands it in: an SDK argument
    mlinfra does not model becomes pulumi_args, its map's keys in snake_case)."""
    from mlinfra_compile import sdkargs
    from mlinfra_compile.providers import adopting

    monkeypatch.setattr(adopting, "PASSABLE", [sdkargs.passable if passable == "sdk" else None])
    for value, mark in SENTINELS:
        r = StateResource(urn=f"urn:pulumi:dev::p::{rtype}::thing", type=rtype, outputs={},
                          id="thing", inputs={key: value})
        for reverse in ADOPT:
            adopted, _left = reverse([r], True)
            for a in adopted:
                shown = json.dumps(a.fields, default=str)
                if mark in shown or mark.replace("zzU", "zz_u") in shown:
                    continue
                assert any(m.startswith((f"{key} = ", f"{key}.")) for m in a.missing), \
                    (value, a.fields, a.missing)
