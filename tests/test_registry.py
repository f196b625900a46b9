"""The three registries a newcomer extends (issue 13): provider services, clouds and output
formats. Each test swaps or adds one registry entry and checks that the pipeline follows
it with no other edit, which is what makes the next service, cloud or format one module."""

from __future__ import annotations

import json
import types
from typing import Any

import click
import pytest

from mlinfra_compile import formats, language, providers
from mlinfra_compile.cli import cli
from mlinfra_compile.clouds import CLOUDS, Cloud
from mlinfra_compile.providers import aws_elasticache, aws_sqs, gcp_pubsub, gcp_redis
from mlinfra_compile.schema import build_schema
from tests.golden import REPO

# the contract, read from the protocol itself: its attributes and its functions
CONTRACT = (*providers.Service.__annotations__,
            *(k for k, v in vars(providers.Service).items()
              if callable(v) and not k.startswith("_")))

AWS_QUEUE = """\
    profile: production
    providers: {aws: {region: us-east-1}}
    queues:
      jobs: {}
      events: {}
    """


def _wrapped(service: Any, **changes: Any) -> types.SimpleNamespace:
    """A copy of a service module with some of its contract replaced."""
    ns = types.SimpleNamespace(**{k: getattr(service, k) for k in CONTRACT})
    for k, v in changes.items():
        setattr(ns, k, v)
    return ns


# --- 1. one service contract, one registry -----------------------------------------------

def test_every_service_module_defines_the_whole_contract():
    import ast
    import importlib

    # every module of providers/ that names its service (SERVICE = ...) is registered
    folder = REPO / "mlinfra_compile" / "providers"
    builders = {importlib.import_module(f"mlinfra_compile.providers.{p.stem}")
                for p in folder.glob("*.py")
                if any(isinstance(n, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "SERVICE" for t in n.targets)
                    for n in ast.parse(p.read_text()).body)}
    assert set(providers.MODULES) == builders
    assert {"build", "adopt", "KIND", "SERVICE", "ACCEPTS"} <= set(CONTRACT)
    for s in providers.MODULES:
        missing = [k for k in CONTRACT if not hasattr(s, k)]
        assert not missing, (s.__name__, missing)
        assert s.KIND in ("session_store", "queue") and s.PROVIDER in CLOUDS
        assert set(s.DEFAULTS) == set(language.PROFILES), s.__name__
        assert set(s.CHANGES) >= s.STATEFUL, s.__name__  # every stateful type is classified
        assert set(s.NAME_ARGS) <= set(s.CHANGES), s.__name__
        for rtype, arg in s.NAME_ARGS.items():
            assert arg in s.CHANGES[rtype], (rtype, arg)  # a rename has a verdict


def test_every_kind_on_every_cloud_has_exactly_one_service():
    assert set(providers.SERVICES) == {(k, p) for k in ("session_store", "queue")
                                       for p in language.PROVIDERS}
    owners: dict[str, str] = {}
    for s in providers.MODULES:
        for rtype in s.CHANGES:
            assert rtype not in owners, f"{rtype} is claimed by {owners[rtype]} and {s}"
            owners[rtype] = s.__name__


def test_the_tables_diff_and_resolve_read_are_the_union_of_the_services():
    from mlinfra_compile import diff
    from mlinfra_compile.providers import aws_network, gcp_kms

    tables = [s.CHANGES for s in providers.MODULES] + [gcp_kms.CHANGES, aws_network.CHANGES]
    assert {t: r for table in tables for t, r in table.items()} == diff.CHANGES
    # the types that hold data, written out (a fact, not read from the tables under test)
    assert {gcp_redis.TYPE, aws_elasticache.TYPE, aws_sqs.TYPE,
            gcp_pubsub.TOPIC, gcp_pubsub.SUBSCRIPTION,
            "aws:elasticache/serverlessCache:ServerlessCache"} <= diff.STATEFUL
    assert {t for s in providers.MODULES for t in s.STATEFUL} == diff.STATEFUL
    assert providers.NAME_ARGS[aws_elasticache.TYPE] == "replication_group_id"
    assert providers.RUNNING == {aws_elasticache.TYPE: {"engine_version":
                                                        "engine_version_actual"}}


def test_resolve_builds_every_declaration_through_the_registry(repo, monkeypatch):
    built: list[str] = []

    def build(decl):
        built.append(decl.name)
        return aws_sqs.build(decl)

    monkeypatch.setitem(providers.SERVICES, ("queue", "aws"), _wrapped(aws_sqs, build=build))
    repo.write("prod.yaml", AWS_QUEUE)
    rc, out, err = repo.run("compile", "prod")
    assert rc == 0, err
    assert built == ["events", "jobs"]
    assert {r["name"] for r in json.loads(out)["resources"]} >= {"jobs", "events"}


def test_policy_asks_the_service_where_consumers_read(repo, monkeypatch):
    """MLC505 follows Service.delivers, not a provider name written in policy.py."""
    repo.write("prod.yaml", AWS_QUEUE.replace("jobs: {}", "jobs: {dead_letter: false}"))
    rc, out, _ = repo.run("lint")
    assert rc == 1 and "MLC505" in out
    monkeypatch.setitem(providers.SERVICES, ("queue", "aws"),
                        _wrapped(aws_sqs, delivers=lambda decl: False))
    rc, out, _ = repo.run("lint")
    assert rc == 0 and "MLC505" not in out


def test_policy_asks_the_service_which_tls_values_it_compiles(repo, monkeypatch):
    repo.write("prod.yaml", """\
        profile: production
        providers: {aws: {region: us-east-1}}
        session_stores:
          cache: {tls: preferred}
        """)
    _, out, _ = repo.run("lint")
    assert "MLC503" in out
    monkeypatch.setitem(providers.SERVICES, ("session_store", "aws"),
                        _wrapped(aws_elasticache, TLS_VALUES=(True, False)))
    _, out, _ = repo.run("lint")
    assert "MLC503" not in out


def test_subscriptions_a_service_returns_are_checked_by_policy(repo):
    repo.write("prod.yaml", """\
        profile: production
        providers: {gcp: {project: acme-ml-prod, project_number: "123456789012"}}
        queues:
          events:
            subscriptions:
              audit: {dead_letter: false}
              trainers: {}
        """)
    rc, out, _ = repo.run("lint")
    assert rc == 1
    assert "queues.events.subscriptions.audit.dead_letter" in out and "MLC505" in out
    assert "trainers" not in out


# --- 2. a table of clouds ----------------------------------------------------------------

def test_the_schema_lists_every_cloud_with_its_settings():
    props = build_schema()["properties"]["providers"]["properties"]
    assert list(props) == list(CLOUDS) == list(language.PROVIDERS)
    for name, cloud in CLOUDS.items():
        assert set(props[name]["properties"]) == set(cloud.settings)
        for key in cloud.required:
            assert key in cloud.settings


def test_labels_follow_the_rules_of_their_own_cloud(monkeypatch):
    """A third cloud gets its own label rules, not AWS's by default."""
    from mlinfra_compile.graph import Origin
    from mlinfra_compile.providers.base import Context, check_labels

    acme = Cloud("acme", "an Acme", "Acme settings.", {}, {}, (), {},
                 lambda k, v: [f"acme refuses {k}"] if k.startswith("x") else [],
                 lambda member: None)
    monkeypatch.setitem(CLOUDS, "acme", acme)
    at = Origin("set", "f.yaml", 1, 1)
    ctx = Context("dev", "development", {}, {}, None, lambda path: at)
    check_labels(ctx, {"xy": "A" * 300, "ok": "aws:fine"}, ("labels",), "acme")
    assert [d.message for d in ctx.diagnostics] == ["acme refuses xy"]


def test_required_settings_come_from_the_cloud_table(repo, monkeypatch):
    repo.write("dev.yaml", """\
        providers: {aws: {region: us-east-1}}
        queues:
          jobs: {}
        """)
    assert repo.run("lint")[0] == 0
    aws = CLOUDS["aws"]._replace(required=("region", "account"))
    monkeypatch.setitem(CLOUDS, "aws", aws)
    rc, out, _ = repo.run("lint")
    assert rc == 1 and "providers.aws.account is required" in out


def test_a_cloud_pattern_help_reaches_the_diagnostic(repo):
    repo.write("dev.yaml", """\
        providers: {gcp: {project: Acme}}
        queues:
          jobs: {}
        """)
    rc, out, _ = repo.run("lint")
    assert rc == 1 and CLOUDS["gcp"].pattern_help["project"] in out


# --- 3. one registry per output format ---------------------------------------------------

def _choices(command: str) -> list[str]:
    cmd = cli.commands[command]
    opt = next(p for p in cmd.params if p.name == "fmt")
    assert isinstance(opt.type, click.Choice)
    return list(opt.type.choices)


@pytest.mark.parametrize("command, table", [
    ("lint", formats.DIAGNOSTICS), ("plan", formats.PLAN), ("graph", formats.PICTURE),
    ("diff", formats.DIFF), ("outputs", formats.OUTPUTS),
])
def test_the_cli_offers_exactly_the_formats_of_each_registry(command, table):
    assert _choices(command) == list(table)
    for fmt in table.values():
        assert callable(fmt.load())


def test_a_new_plan_format_is_one_function_and_one_registry_entry(monkeypatch):
    from mlinfra_compile import commands, report

    monkeypatch.setattr(report, "plan_count", lambda c: f"{len(c.graph.resources)} resources\n",
                        raising=False)
    monkeypatch.setitem(formats.PLAN, "count", formats.Format("report", "plan_count"))
    out: list[str] = []
    monkeypatch.setattr(commands, "out", lambda text, *a, **k: out.append(text))
    assert commands.plan(str(REPO), "dev", "count") == 0
    assert out == ["4 resources\n"]


def test_diagnostic_formats_say_whether_they_are_raw_and_annotated():
    assert formats.DIAGNOSTICS["github"].raw and not formats.DIAGNOSTICS["text"].raw
    assert formats.DIAGNOSTICS["text"].notes and not formats.DIAGNOSTICS["json"].notes
    assert formats.OUTPUTS["dotenv"].raw and not formats.OUTPUTS["dotenv"].notes
