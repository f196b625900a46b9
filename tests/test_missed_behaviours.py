"""Issue 30, item 2: the eight behaviours an audit broke without the suite noticing.

Each condition has a case for every side of it (the input where `or` and `and` differ),
and every expected value is written here by hand from the rule it checks (the issue, the
cloud's page, the escape notation), never read back from the code under test.
"""

from __future__ import annotations

import json
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pulumi  # make test installs the SDKs
import pytest
import yaml

from mlinfra_compile.backends import pulumi_program as backend
from mlinfra_compile.resolve import Workspace, compile_environment
from tests.conftest import fake_on_path
from tests.golden import REPO, run_cli
from tests.test_live_stack import (
    argvs,
    checkpoint,
    compiled,
    export_argv,
    exported,
    fake_pulumi,  # noqa: F401  (a fixture)
    flags,
    output_argv,
    recorded,
)


def write_env(root: Path, text: str, name: str = "main.yaml") -> Path:
    (root / "environments").mkdir(parents=True, exist_ok=True)
    (root / "environments" / name).write_text(text)
    return root


def codes(out: str, code: str) -> list[str]:
    return [line for line in out.splitlines() if line.endswith(f"[{code}]")]


# --- 1. destroy needs --confirm for a production stack OR one with protected resources ---

DESTROY_ENV = """\
profile: {profile}
providers:
  aws: {{region: us-east-1}}
queues:
  jobs:
    protect: {protect}
    dead_letter: {{max_receives: 5}}
"""
# (a production queue left unprotected is an error unless waived, MLC504)
WAIVED = "waivers:\n  - {rule: MLC504, resource: jobs, reason: \"a scratch queue\"}\n"


@pytest.mark.parametrize("profile, protect, needs_confirm", [
    ("development", True, True),    # protected only: `and` would let it go
    ("production", False, True),    # production only: `and` would let it go
    ("production", True, True),     # both
    ("development", False, False),  # neither: no --confirm needed
])
@pytest.mark.parametrize("deployed", ["recorded", "empty"])
def test_destroy_needs_confirm_for_production_or_protected(
        fake_pulumi, tmp_path, monkeypatch, profile, protect, needs_confirm,  # noqa: F811
        deployed):
    # recorded: the last deploy recorded the graph the file compiles to (both say the
    # same); empty: no graph recorded and a stack holding nothing, so the file alone decides
    root = tmp_path / "repo"
    text = DESTROY_ENV.format(profile=profile, protect=str(protect).lower())
    write_env(root, text + (WAIVED if profile == "production" and not protect else ""))
    (root / "Pulumi.yaml").write_text((REPO / "Pulumi.yaml").read_text())
    read = [output_argv("main", root)]
    if deployed == "recorded":
        recorded(tmp_path, monkeypatch, compiled(root, "main"))
    else:
        exported(tmp_path, monkeypatch, checkpoint("main"))
        read.append(export_argv("main", root))

    rc, _, err = run_cli(root, "destroy", "main", "--yes")
    if needs_confirm:
        assert rc == 3, err
        assert err.endswith("Rerun with --yes --confirm main if you mean it [MLC601]\n"), err
        assert ("main is a production environment" in err) == (profile == "production")
        assert ("it protects jobs, jobs-dlq" in err) == protect
        assert argvs(fake_pulumi) == read  # only read the stack: nothing destroyed
        rc, _, err = run_cli(root, "destroy", "main", "--yes", "--confirm", "main")
    assert rc == 0, err
    calls = argvs(fake_pulumi)
    assert calls[-1] == ["destroy", *flags("main", root), "--yes"]
    unprotect = ["state", "unprotect", "--all", "--yes", *flags("main", root)]
    assert (unprotect in calls) == protect  # protected resources are unprotected first
    assert len([c for c in calls if c[0] == "destroy"]) == 1


# --- 2. outputs never prints a secret in clear, even one Pulumi did not mark ---------------

# What `pulumi stack output --json` prints when the program did not make auth_string a
# secret: every value in clear, with and without --show-secrets.
CLEAR = {
    "cache": {"host": "10.0.0.3", "port": 6378, "auth_string": "nested-s3cr3t"},
    "auth_string": "top-s3cr3t",                     # an output named auth_string itself
    "tokens": "[secret]",                            # what Pulumi masks, whatever its name
}
UNDER_SECRET = {"auth_string": {"primary": "prim-s3cr3t", "replica": "repl-s3cr3t"}}


@pytest.fixture
def unmasked_pulumi(tmp_path, monkeypatch):
    def answer(doc: dict) -> None:
        (tmp_path / "outputs.json").write_text(json.dumps(doc))

    fake_on_path(tmp_path, monkeypatch,
                 f"print(open({str(tmp_path / 'outputs.json')!r}).read())\n")
    return answer


@pytest.mark.parametrize("fmt", ["dotenv", "json", "yaml"])
def test_outputs_hold_back_auth_string_pulumi_did_not_mark_secret(unmasked_pulumi, fmt):
    unmasked_pulumi(CLEAR)
    rc, out, err = run_cli(REPO, "outputs", "prod", "--format", fmt)
    assert rc == 0, err
    for secret in ("nested-s3cr3t", "top-s3cr3t"):
        assert secret not in out + err, fmt
    # what is not secret is printed (the other side of the condition)
    assert "10.0.0.3" in out and "6378" in out
    for key in ("CACHE_AUTH_STRING", "AUTH_STRING", "TOKENS"):
        assert f"{key}=" not in out and f'"{key}"' not in out and f"\n{key}:" not in out
    if fmt == "dotenv":
        assert "# CACHE_AUTH_STRING is a secret, not written" in out
        assert "# AUTH_STRING is a secret, not written" in out
    else:
        assert "3 secret setting(s) not shown (AUTH_STRING, CACHE_AUTH_STRING, TOKENS)" in err


def test_a_map_under_a_secret_name_is_secret_throughout(unmasked_pulumi):
    unmasked_pulumi(UNDER_SECRET)  # the parent is secret, the keys under it are not named so
    rc, out, err = run_cli(REPO, "outputs", "prod", "--format", "json")
    assert rc == 0, err
    assert "s3cr3t" not in out + err
    assert json.loads(out) == {}
    assert "(AUTH_STRING_PRIMARY, AUTH_STRING_REPLICA)" in err


def test_show_secrets_prints_them(unmasked_pulumi):
    unmasked_pulumi(CLEAR)
    rc, out, err = run_cli(REPO, "outputs", "prod", "--format", "json", "--show-secrets")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["CACHE_AUTH_STRING"] == "nested-s3cr3t" and doc["AUTH_STRING"] == "top-s3cr3t"
    assert "TOKENS" not in doc  # still masked by Pulumi: nothing to print
    assert doc["CACHE_HOST"] == "10.0.0.3"


# --- 3. the Pulumi program passes delete_before_replace for fixed physical names ----------

FIXED_AND_AUTO = """\
default_provider: gcp
providers: {gcp: {project: acme-ml-test, region: us-central1}, aws: {region: us-east-1}}
queues:
  fixed: {name: ml-fixed}
  auto: {}
  sqsfixed: {provider: aws, name: ml-sqs}
  sqsauto: {provider: aws}
"""
# By hand: `name:` fixes the Pub/Sub topic, its default subscription (<name>-sub) and the
# SQS queue; the others are auto-named by Pulumi, so they can be created before deleted.
FIXED = {"fixed": "ml-fixed", "fixed-sub": "ml-fixed-sub", "sqsfixed": "ml-sqs"}
AUTO = {"auto", "auto-sub", "sqsauto"}


class _Echo(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return [f"{args.name}-id", dict(args.inputs)]

    def call(self, args):
        return {}


@pulumi.runtime.test
def test_the_program_registers_fixed_names_delete_before_replace(tmp_path, monkeypatch):
    from pulumi.runtime import mocks as runtime_mocks

    sent: dict[str, tuple[bool, dict]] = {}  # what the engine receives, by logical name
    real = runtime_mocks.MockMonitor.RegisterResource

    def register(self, request):
        if request.type != "pulumi:pulumi:Stack":
            inputs = runtime_mocks.rpc.deserialize_properties(request.object)
            sent[request.name] = (request.deleteBeforeReplace, inputs)
        return real(self, request)

    monkeypatch.setattr(runtime_mocks.MockMonitor, "RegisterResource", register)
    monkeypatch.setattr(pulumi, "export", lambda *_: None)
    pulumi.runtime.set_mocks(_Echo(), project="mlinfra", stack="test", preview=False)
    write_env(tmp_path, FIXED_AND_AUTO)
    c = compile_environment(Workspace(str(tmp_path)),
                            str(tmp_path / "environments" / "main.yaml"))
    assert c.graph is not None, c.diagnostics
    built = backend.materialize(json.loads(c.graph.dumps()))

    def check(_):
        assert set(sent) == set(FIXED) | AUTO
        for name, physical in FIXED.items():
            dbr, inputs = sent[name]
            assert inputs["name"] == physical and dbr is True, name
        for name in AUTO:
            dbr, inputs = sent[name]
            assert "name" not in inputs and dbr is False, name

    return pulumi.Output.all(*[r.urn for r in built.values()]).apply(check)


# --- 4. init: prod is production, dev development, and the local state is ignored -------

def _init(tmp_path: Path, gitignore: str | None = None) -> Path:
    target = tmp_path / "team"
    if gitignore is not None:
        target.mkdir()
        (target / ".gitignore").write_text(gitignore)
    rc, _, err = run_cli(tmp_path, "init", str(target))
    assert rc == 0, err
    return target


@pytest.mark.parametrize("env, profile", [("prod", "production"), ("dev", "development")])
def test_init_writes_each_environment_with_its_profile(tmp_path, env, profile):
    doc = yaml.safe_load((_init(tmp_path) / "environments" / f"{env}.yaml").read_text())
    assert doc["environment"] == env and doc["profile"] == profile


def _ignored_by_git(root: Path, path: str) -> bool:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text("{}")
    subprocess.run(["git", "-C", str(root), "init", "-q"], check=True)
    return subprocess.run(["git", "-C", str(root), "check-ignore", "-q", path],
                          check=False).returncode == 0


@pytest.mark.parametrize("existing", [None, "node_modules/\n"], ids=["fresh", "appended"])
def test_init_ignores_the_local_pulumi_state(tmp_path, existing):
    root = _init(tmp_path, existing)
    lines = (root / ".gitignore").read_text().splitlines()
    assert ".pulumi-state/" in lines
    if existing:
        assert lines[0] == "node_modules/"  # the user's own lines are kept
    # the file backend's checkpoints (PULUMI_BACKEND_URL file://<root>/.pulumi-state)
    assert _ignored_by_git(root, ".pulumi-state/.pulumi/stacks/mlinfra/dev.json")
    assert not _ignored_by_git(root, "environments/dev.yaml")


# --- 5. a physical name is unique per region: same region clashes, another does not -------

ONE_STACK = """\
providers:
  aws: {{region: us-east-1}}
queues:
  one: {{name: shared}}
  two: {{name: shared, region: {region}}}
"""
STACK = "providers:\n  aws: {{region: {region}}}\nqueues:\n  jobs: {{name: ml-jobs}}\n"
STORES = """\
providers:
  gcp: {{project: acme-ml-test, region: us-central1}}
session_stores:
  one: {{name: shared-cache}}
  two: {{name: shared-cache, region: {region}}}
"""


@pytest.mark.parametrize("template, region, clash", [
    (ONE_STACK, "us-east-1", True), (ONE_STACK, "eu-west-1", False),
    (STORES, "us-central1", True), (STORES, "europe-west1", False),
], ids=["sqs-same", "sqs-other", "memorystore-same", "memorystore-other"])
def test_one_name_in_two_regions_of_one_stack_is_two_resources(tmp_path, template, region,
                                                                clash):
    write_env(tmp_path, template.format(region=region))
    rc, out, _ = run_cli(tmp_path, "lint")
    assert (rc, len(codes(out, "MLC402"))) == ((1, 1) if clash else (0, 0)), out


@pytest.mark.parametrize("regions, clash", [(("us-east-1", "us-east-1"), True),
                                            (("us-east-1", "eu-west-1"), False)])
def test_one_name_in_two_regions_of_two_stacks_is_two_resources(tmp_path, regions, clash):
    write_env(tmp_path, STACK.format(region=regions[0]), "dev.yaml")
    write_env(tmp_path, STACK.format(region=regions[1]), "prod.yaml")
    rc, out, _ = run_cli(tmp_path, "lint")
    assert (rc, len(codes(out, "MLC406"))) == ((1, 2) if clash else (0, 0)), out


# --- 6. a store's own network.subnet_ids win over providers.aws.subnet_ids -----------------

PROVIDER_SUBNETS = ["subnet-0aaa1111"]
OWN_SUBNETS = ["subnet-0bbb2222", "subnet-0ccc3333"]


def _store_env(service: str, provider: bool, own: bool, profile: str = "development") -> str:
    aws = "{region: us-east-1" + (f", subnet_ids: {PROVIDER_SUBNETS}" if provider else "") + "}"
    body = f"provider: aws, service: {service}"
    if own:
        body += f", network: {{subnet_ids: {OWN_SUBNETS}}}"
    return (f"profile: {profile}\nproviders:\n  aws: {aws}\n"
            f"session_stores:\n  cache: {{{body}}}\n")


@pytest.mark.parametrize("provider, own, expected", [
    (True, False, PROVIDER_SUBNETS),  # only the provider's: the default
    (True, True, OWN_SUBNETS),        # both: the store's own win
    (False, True, OWN_SUBNETS),       # only the store's
    (False, False, None),             # neither: the default VPC, no subnets
])
@pytest.mark.parametrize("service", ["elasticache", "elasticache-serverless"])
def test_a_stores_own_subnets_win_over_the_providers(tmp_path, service, provider, own,
                                                     expected):
    write_env(tmp_path, _store_env(service, provider, own))
    rc, out, err = run_cli(tmp_path, "compile", "main")
    assert rc == 0, err
    args = {r["name"]: r["args"] for r in json.loads(out)["resources"]}
    if service == "elasticache":  # a subnet group <name>-subnets holds them
        assert args.get("cache-subnets", {}).get("subnet_ids") == expected
        assert ("subnet_group_name" in args["cache"]) == (expected is not None)
    else:
        assert args["cache"].get("subnet_ids") == expected


@pytest.mark.parametrize("provider, own, needs_network", [
    (True, False, False), (True, True, False), (False, True, False), (False, False, True)])
@pytest.mark.parametrize("service", ["elasticache", "elasticache-serverless"])
def test_a_production_store_has_a_network_from_either_place(tmp_path, service, provider, own,
                                                            needs_network):
    write_env(tmp_path, _store_env(service, provider, own, "production"))
    _, out, _ = run_cli(tmp_path, "lint")
    assert bool(codes(out, "MLC507")) == needs_network, out


# --- 7. hostile text: each character class the escaper claims, shown, never raw -----------

# (character, how it is shown: \xNN up to U+00FF, else \uNNNN; tab, CR and ESC by name),
# by class, every character of each class (a range written out, not sampled)


def _shown(c: str) -> str:
    named = {"\t": "\\t", "\r": "\\r", "\x1b": "\\e"}
    return named.get(c, f"\\x{ord(c):02x}" if ord(c) <= 0xFF else f"\\u{ord(c):04x}")


def _every(first: int, last: int) -> list[tuple[str, str]]:
    return [(chr(n), _shown(chr(n))) for n in range(first, last + 1)]


CLASSES = {
    "c0-controls": _every(0x01, 0x09) + _every(0x0B, 0x1F),  # (NUL: no file name holds it)
    "bidi-embeddings-overrides": _every(0x202A, 0x202E),
    "bidi-isolates": _every(0x2066, 0x2069),
    "line-separator": _every(0x2028, 0x2028),
    "paragraph-separator": _every(0x2029, 0x2029),
    "byte-order-mark": _every(0xFEFF, 0xFEFF),
    "delete": _every(0x7F, 0x7F),
    "c1-controls": _every(0x80, 0x9F),
}
# Where a format writes a character its own inert way: markdown takes a carriage return for
# the line break CommonMark reads it as, a space inside a list item (markdown._flat); a
# GitHub workflow command escapes it %0D as GitHub's toolkit does (@actions/core,
# escapeProperty)
OWN_WAY = {("markdown", "\r"): " ", ("github", "\r"): "%0D"}
PROD_GCP = ("profile: production\nproviders:\n  gcp: {project: acme-ml-test, "
            "region: us-central1, network: ml}\nsession_stores:\n  cache: {tier: basic}\n")


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_plan_shows_each_hostile_character_of_a_waiver_reason_escaped(tmp_path, cls):
    reason = "single zone until Q3 " + "".join(f"q{c}" for c, _ in CLASSES[cls]) + "q"
    write_env(tmp_path, PROD_GCP + "waivers:\n  - {rule: MLC501, resource: cache, "
                                   f"reason: {json.dumps(reason)}}}\n")
    for fmt in ("text", "markdown"):
        rc, out, err = run_cli(tmp_path, "plan", "main", "--format", fmt)
        assert rc == 0, err
        for raw, shown in CLASSES[cls]:
            assert raw not in out + err, (fmt, hex(ord(raw)))
            shown = OWN_WAY.get((fmt, raw), shown)
            assert f"q{shown}q" in out.replace("\\\\", "\\"), (fmt, shown)


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_lint_shows_each_hostile_character_of_a_file_name_escaped(tmp_path, cls):
    name = "x" + "".join(f"q{c}" for c, _ in CLASSES[cls]) + "q" + ".yaml"
    write_env(tmp_path, "profile: nope\n", name)
    for fmt in ("text", "github"):  # (github writes itself: visible() alone escapes it)
        rc, out, err = run_cli(tmp_path, "lint", "--format", fmt)
        assert rc == 1, out + err
        for raw, shown in CLASSES[cls]:
            assert raw not in out + err, (fmt, hex(ord(raw)))
            assert f"q{OWN_WAY.get((fmt, raw), shown)}q" in out, (fmt, shown)


# --- 8. Pub/Sub bills by the TiB (2**40 bytes), at least 1000 bytes a request -------------

# https://cloud.google.com/pubsub/pricing: "The first 10 GiB are free. After that, the
# price is $40 per TiB"; at least 1000 bytes per publish, push or pull request; publishing
# and each subscription's delivery are billed. mlinfra counts one message a request and
# does not deduct the free 10 GiB (an account's, not a queue's).
PRICE_PER_TIB = Decimal(40)
TIB = 2 ** 40


@pytest.mark.parametrize("messages, size, billed_bytes", [
    (100_000_000, "10KiB", 10 * 1024),   # above the minimum: its own size
    (1_000_000_000, "200B", 1000),       # below: 1000 bytes a request
    (5_000_000, "2KiB", 2 * 1024),       # 9.5 GiB, under the free 10 GiB: still priced
])
def test_pubsub_is_priced_per_tib(repo, messages, size, billed_bytes):
    repo.write("main.yaml", "providers:\n  gcp: {project: acme-ml-dev, region: us-central1}\n"
                            f"queues:\n  tp:\n    usage: {{messages_per_month: {messages}, "
                            f"average_message_size: {size}}}\n"
                            "    subscriptions: {a: {}, b: {}}\n")
    rc, out, err = repo.run("cost", "main", "--format", "json")
    assert rc == 0, err
    each = (Decimal(messages * billed_bytes) / TIB * PRICE_PER_TIB).quantize(
        Decimal("0.01"), ROUND_HALF_UP)
    monthly = {r["name"]: r["monthly"] for r in json.loads(out)["resources"]}
    assert monthly == {"tp": float(each), "tp-a": float(each), "tp-b": float(each)}
    assert json.loads(out)["total_monthly"] == float(each * 3)


# --- three survivors the audit showed were not equivalent (issue 30) ------------------------

def _lint_lines(tmp_path, text):
    from tests.golden import run_cli

    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / "environments" / "dev.yaml").write_text(text)
    code, out, _err = run_cli(tmp_path, "lint")
    return code, [line for line in out.splitlines() if ": error: " in line]


def test_a_principal_without_a_region_is_one_error_not_two(tmp_path):
    """(aws_access.principals with no region: the partition it assumes must be `aws`, or an
    ARN principal draws a second, false MLC322 beside the missing region's MLC305)"""
    code, errors = _lint_lines(tmp_path, "profile: development\nproviders:\n  aws: {}\n"
                               "queues:\n  jobs:\n    access: {publishers: "
                               "[\"arn:aws:iam::123456789012:role/api\", \"123456789012\"]}\n")
    assert code == 1 and len(errors) == 1 and "[MLC305]" in errors[0], errors


@pytest.mark.parametrize("cidr", ["10.0.0.1/16", "10.0.0.0/99"])
def test_a_bad_cidr_is_one_error_and_makes_no_rule(tmp_path, cidr):
    """A bad CIDR is one error (no follow-on diagnostic), and a good one makes one rule."""
    from tests.golden import run_cli

    text = ("profile: development\nproviders:\n  aws: {region: us-east-1, vpc_id: "
            f"vpc-0123abcd}}\nsession_stores:\n  cache:\n    network: {{allow_from: "
            f"[\"{cidr}\"]}}\n")
    code, errors = _lint_lines(tmp_path, text)
    assert code == 1 and len(errors) == 1, errors
    assert "[MLC319]" in errors[0] or "[MLC205]" in errors[0], errors
    (tmp_path / "environments" / "dev.yaml").write_text(text.replace(cidr, "10.0.0.0/16"))
    code, out, err = run_cli(tmp_path, "compile", "dev")
    assert code == 0, err
    assert sum(r["type"].endswith("SecurityGroupIngressRule")
               for r in json.loads(out)["resources"]) == 1


@pytest.mark.parametrize("service", [None, "elasticache-serverless"])
def test_an_empty_security_group_list_sets_no_argument(tmp_path, service):
    """(`security_group_ids: []` with no allow_from: nothing to attach, so no argument; an
    empty list would be written as one, which the provider never sends, so the stack would
    say groups are gone while they stay attached)"""
    from tests.golden import run_cli

    chosen = f"    service: {service}\n" if service else ""
    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / "environments" / "dev.yaml").write_text(
        "profile: development\nproviders:\n  aws: {region: us-east-1}\nsession_stores:\n"
        f"  cache:\n{chosen}    network: {{security_group_ids: []}}\n")
    code, out, err = run_cli(tmp_path, "compile", "dev")
    assert code == 0, err
    store = next(r for r in json.loads(out)["resources"] if r["name"] == "cache")
    assert "security_group_ids" not in store["args"]
