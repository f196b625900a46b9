"""A repository is one system (issue 24, points 1-3): no two stacks claim one cloud
resource, a partial several stacks extend fixes no name, `new --from` copies none.

The expected lines are written out by hand from the files each test writes: the line and
column of each declaration, the stacks that extend a partial, the scope a name lives in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fake_on_path
from tests.golden import run_cli

URL = "https://sqs.us-east-1.amazonaws.com/123456789012/ml-jobs"


def write(root: Path, files: dict[str, str]) -> Path:
    env = root / "environments"
    env.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (env / name).write_text(text)
    return root


def lines(out: str, code: str) -> list[str]:
    return [line for line in out.splitlines() if line.endswith(f"[{code}]")]


BASE_IMPORT = ("providers:\n"
               "  aws: {region: us-east-1}\n"
               "queues:\n"
               "  jobs:\n"
               "    name: ml-jobs\n"
               f"    import: {URL}\n")
EXTENDS = "extends: _base\n"


def test_an_import_in_base_makes_every_stack_adopt_one_queue(tmp_path):
    # The case: name + import in _base.yaml; dev, staging, prod and perf all
    # adopt the same SQS queue, and destroying dev would delete prod's.
    root = write(tmp_path, {"_base.yaml": BASE_IMPORT, "dev.yaml": EXTENDS,
                            "staging.yaml": EXTENDS, "perf.yaml": EXTENDS,
                            "prod.yaml": EXTENDS + "profile: production\nqueues:\n"
                                         "  jobs: {dead_letter: {max_receives: 5}}\n"})
    rc, out, _ = run_cli(root, "lint")
    assert rc == 1
    assert lines(out, "MLC407") == [
        "environments/_base.yaml:5:5: error: queues.jobs.name: a physical name in a partial "
        "that stacks dev, perf, prod, staging take as written: each of them would claim the same "
        "cloud resource; write it in each environment's own file, or use a name_template "
        "with {{ env }} here [MLC407]",
        "environments/_base.yaml:6:5: error: queues.jobs.import: an import in a partial "
        "that stacks dev, perf, prod, staging take as written: each of them would claim the same "
        "cloud resource; write it in the own file of the one environment that adopts it "
        "[MLC407]"]
    clashes = lines(out, "MLC406")
    # each stack's queue, at its declaration: dev, perf and staging inherit it from
    # _base.yaml:4:3; prod declares its own body at prod.yaml:4:3
    for stack in ("dev", "perf", "staging"):
        assert any(f"jobs (aws:sqs/queue:Queue) of stack {stack} takes the physical name "
                   "'ml-jobs' in us-east-1, and so does stack " in c and
                   c.startswith("environments/_base.yaml:4:3:") for c in clashes), stack
        assert any(f"jobs of stack {stack} imports '{URL}'" in c for c in clashes), stack
    prod = [c for c in clashes if c.startswith("environments/prod.yaml:4:3: ")]
    assert len(prod) == 2
    assert ("and so does stack dev (environments/_base.yaml:4:3), stack perf "
            "(environments/_base.yaml:4:3), stack staging (environments/_base.yaml:4:3): "
            "one cloud resource belongs to one stack") in prod[0]
    assert len(clashes) == 8  # 4 stacks x (name, import)


@pytest.mark.parametrize("dev", [
    "extends: _base\nqueues:\n  jobs: {name: dev-jobs, import: null}\n",  # overridden
    "extends: _base\nqueues:\n  jobs: null\n",  # the declaration dropped
])
def test_a_stack_that_overrides_the_partials_name_does_not_take_it(tmp_path, dev):
    root = write(tmp_path, {"_base.yaml": BASE_IMPORT, "prod.yaml": EXTENDS, "dev.yaml": dev})
    assert run_cli(root, "lint")[:2] == (0, "")


def test_a_partial_one_stack_extends_may_fix_a_name(tmp_path):
    # the other side of "more than one stack": one extender owns what the partial fixes
    root = write(tmp_path, {"_base.yaml": BASE_IMPORT, "prod.yaml": EXTENDS,
                            "dev.yaml": "providers:\n  aws: {region: us-east-1}\n"
                                        "queues:\n  jobs: {}\n"})
    rc, out, _ = run_cli(root, "lint")
    assert (rc, out) == (0, "")


OWN = ("providers:\n"
       "  aws: {region: %s}\n"
       "queues:\n"
       "  jobs:\n"
       "    name: %s\n")


def test_two_environments_naming_one_queue_clash_at_both(tmp_path):
    root = write(tmp_path, {"dev.yaml": OWN % ("us-east-1", "ml-jobs"),
                            "prod.yaml": OWN % ("us-east-1", "ml-jobs")})
    rc, out, _ = run_cli(root, "lint")
    assert rc == 1
    tail = ("one cloud resource belongs to one stack, else each deploy overwrites the "
            "other's settings and destroying one deletes the other's; give each "
            "environment its own `name` (or a name_template with {{ env }}) [MLC406]")
    assert out.splitlines() == [
        "environments/dev.yaml:4:3: error: queues.jobs: jobs (aws:sqs/queue:Queue) of stack "
        "dev takes the physical name 'ml-jobs' in us-east-1, and so does stack prod "
        "(environments/prod.yaml:4:3): " + tail,
        "environments/prod.yaml:4:3: error: queues.jobs: jobs (aws:sqs/queue:Queue) of stack "
        "prod takes the physical name 'ml-jobs' in us-east-1, and so does stack dev "
        "(environments/dev.yaml:4:3): " + tail]


@pytest.mark.parametrize("dev, prod", [
    (("eu-west-1", "ml-jobs"), ("us-east-1", "ml-jobs")),  # differ only by region: fine
    (("us-east-1", "ml-jobs-dev"), ("us-east-1", "ml-jobs")),  # only by name: fine
])
def test_what_differs_in_region_or_name_is_two_resources(tmp_path, dev, prod):
    root = write(tmp_path, {"dev.yaml": OWN % dev, "prod.yaml": OWN % prod})
    assert run_cli(root, "lint")[:2] == (0, "")


GCP = ("providers:\n"
       "  gcp: {project: %s, region: us-central1}\n"
       "queues:\n"
       "  events: {name: ml-events}\n")


@pytest.mark.parametrize("projects, clash", [(("acme-a", "acme-a"), True),
                                             (("acme-a", "acme-b"), False)])
def test_pubsub_names_are_unique_per_project(tmp_path, projects, clash):
    root = write(tmp_path, {"dev.yaml": GCP % projects[0], "prod.yaml": GCP % projects[1]})
    rc, out, _ = run_cli(root, "lint")
    # the topic ml-events and its subscription ml-events-sub, in each of the two stacks
    assert (rc, len(lines(out, "MLC406"))) == ((1, 4) if clash else (0, 0))
    if clash:
        assert ("events (gcp:pubsub/topic:Topic) of stack dev takes the physical name "
                "'ml-events' in acme-a, and so does stack prod") in out
        assert ("events-sub (gcp:pubsub/subscription:Subscription) of stack dev takes the "
                "physical name 'ml-events-sub' in acme-a") in out


def test_a_derived_name_clashes_with_a_declared_one(tmp_path):
    # dev's dead-letter queue is named `<name>-dlq` = ml-jobs-dlq, which prod declares
    root = write(tmp_path, {
        "dev.yaml": OWN % ("us-east-1", "ml-jobs") + "    dead_letter: {max_receives: 5}\n",
        "prod.yaml": OWN % ("us-east-1", "ml-jobs-dlq")})
    rc, out, _ = run_cli(root, "lint")
    assert rc == 1
    assert ("environments/dev.yaml:4:3: error: queues.jobs: jobs-dlq (aws:sqs/queue:Queue) "
            "of stack dev takes the physical name 'ml-jobs-dlq' in us-east-1, and so does "
            "stack prod (environments/prod.yaml:4:3)") in out
    assert len(lines(out, "MLC406")) == 2


IMPORTED = OWN + "    import: https://sqs.us-east-1.amazonaws.com/%s/ml-jobs\n"


@pytest.mark.parametrize("accounts, clash", [(("111111111111", "111111111111"), True),
                                             (("111111111111", "222222222222"), False)])
def test_import_ids_that_name_two_accounts_are_two_queues(tmp_path, accounts, clash):
    # An SQS URL names its account: the same name in the same region of two accounts is
    # two queues. (Where no id names the account, one region counts as one account.)
    root = write(tmp_path, {
        "dev.yaml": IMPORTED % ("us-east-1", "ml-jobs", accounts[0]),
        "prod.yaml": IMPORTED % ("us-east-1", "ml-jobs", accounts[1])})
    rc, out, _ = run_cli(root, "lint")
    assert (rc, len(lines(out, "MLC406"))) == ((1, 4) if clash else (0, 0))


def test_one_known_account_against_an_unknown_one_still_clashes(tmp_path):
    root = write(tmp_path, {"dev.yaml": IMPORTED % ("us-east-1", "ml-jobs", "111111111111"),
                            "prod.yaml": OWN % ("us-east-1", "ml-jobs")})
    rc, out, _ = run_cli(root, "lint")
    assert (rc, len(lines(out, "MLC406"))) == (1, 2)


STORE = ("providers:\n"
         "  aws: {region: us-east-1, vpc_id: %s, subnet_ids: [subnet-0a1b2c3d]}\n"
         "session_stores:\n"
         "  cache:\n"
         "    name: %s\n"
         "    network: {allow_from: [10.0.0.0/16]}\n")


def test_security_group_names_are_unique_within_a_vpc(tmp_path):
    # `<name>-clients` security groups: EC2 compares their names without case, per VPC
    root = write(tmp_path, {"dev.yaml": STORE % ("vpc-0123abcd", "ml-cache"),
                            "prod.yaml": STORE % ("vpc-0123abcd", "ml-cache")})
    rc, out, _ = run_cli(root, "lint")
    assert rc == 1
    assert "cache-clients (aws:ec2/securityGroup:SecurityGroup) of stack dev takes the " \
           "physical name 'ml-cache-clients' in us-east-1, vpc-0123abcd" in out
    other_vpc = write(tmp_path / "b", {"dev.yaml": STORE % ("vpc-0123abcd", "ml-cache"),
                                       "prod.yaml": STORE % ("vpc-4567cdef", "ml-cache")})
    _, out, _ = run_cli(other_vpc, "lint")
    assert "securityGroup" not in out  # another VPC: another namespace
    assert ("cache (aws:elasticache/replicationGroup:ReplicationGroup) of stack dev takes "
            "the physical name 'ml-cache' in us-east-1") in out  # the groups: one region


def test_security_group_name_case(tmp_path):
    from mlinfra_compile.claims import physical_key

    sg = "aws:ec2/securityGroup:SecurityGroup"
    args = {"name": "ML-Cache", "region": "us-east-1", "vpc_id": "vpc-1"}
    assert physical_key(sg, args) == physical_key(sg, {**args, "name": "ml-cache"})
    sqs = "aws:sqs/queue:Queue"  # SQS: "queue URLs and names are case-sensitive"
    assert physical_key(sqs, {"name": "Jobs", "region": "us-east-1"}) != \
        physical_key(sqs, {"name": "jobs", "region": "us-east-1"})
    assert physical_key(sqs, {"region": "us-east-1"}) is None  # auto-named


# --- lint FILE (the pre-commit form) ------------------------------------------------------


def test_lint_file_reads_the_other_stacks_it_may_clash_with(tmp_path):
    # dev and prod share no partial; pre-commit passes dev.yaml alone
    root = write(tmp_path, {"dev.yaml": OWN % ("us-east-1", "ml-jobs"),
                            "prod.yaml": OWN % ("us-east-1", "ml-jobs"),
                            "other.yaml": OWN % ("us-east-1", "ml-other")})
    rc, out, err = run_cli(root, "lint", str(root / "environments" / "dev.yaml"))
    assert rc == 1
    assert [line[:40] for line in out.splitlines()] == [
        "environments/dev.yaml:4:3: error: queues"]  # reported where the user is
    assert "and so does stack prod (environments/prod.yaml:4:3)" in out
    assert err == "1 file checked, 1 error\n"


def test_lint_file_of_a_partial_checks_the_stacks_that_extend_it(tmp_path):
    root = write(tmp_path, {"_base.yaml": BASE_IMPORT, "dev.yaml": EXTENDS,
                            "prod.yaml": EXTENDS})
    rc, out, _ = run_cli(root, "lint", str(root / "environments" / "_base.yaml"))
    assert rc == 1
    assert len(lines(out, "MLC407")) == 2 and len(lines(out, "MLC406")) == 4


def test_lint_file_without_fixed_names_reads_no_other_stack(tmp_path, monkeypatch):
    from mlinfra_compile import repository

    root = write(tmp_path, {"dev.yaml": "providers:\n  aws: {region: us-east-1}\n"
                                        "queues:\n  jobs: {}\n",
                            "prod.yaml": OWN % ("us-east-1", "ml-jobs")})
    peeked: list[str] = []
    real = repository.Workspace.peek
    monkeypatch.setattr(repository.Workspace, "peek",
                        lambda self, p: peeked.append(p) or real(self, p))
    assert run_cli(root, "lint", str(root / "environments" / "dev.yaml"))[:2] == (0, "")
    assert [os.path.basename(p) for p in peeked] == ["prod.yaml"]  # dependents' look only


def _lint_in_a_child(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mlinfra_compile", "--root", str(root),
                           "lint", *args], capture_output=True, text=True, timeout=60,
                          check=False)


def test_lint_file_keeps_the_read_limits_for_the_stacks_it_reads(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text(OWN % ("us-east-1", "ml-jobs"))
    root = write(tmp_path / "repo", {"dev.yaml": OWN % ("us-east-1", "ml-jobs"),
                                     "big.yaml": OWN % ("us-east-1", "ml-jobs")
                                     + "#" * (1024 * 1024) + "\n"})
    env = root / "environments"
    os.mkfifo(env / "fifo.yaml")  # a read would block: never opened for reading
    os.symlink(outside, env / "link.yaml")  # outside the repository: never read
    r = _lint_in_a_child(root, str(env / "dev.yaml"))
    assert r.returncode == 0, r.stdout + r.stderr  # nothing readable clashes
    assert r.stdout == "" and r.stderr == "1 file checked, 0 errors\n"


# --- mlinfra new --from ------------------------------------------------------------------


def test_new_from_copies_no_name_import_or_previous_name(tmp_path):
    root = write(tmp_path, {"prodx.yaml": "profile: production\n" + OWN % (
        "us-east-1", "ml-jobs") + f"    import: {URL}\n    previous_names: [old-jobs]\n"
        "    dead_letter: {max_receives: 5}\n    subscriptions:\n"
        "      a: {name: ml-jobs-a}\n"})
    rc, _, err = run_cli(root, "new", "sandbox", "--from", "prodx")
    assert rc == 0
    assert ("left out of the copy, as they belong to prodx's stack (a cloud resource has "
            "one owner): queues.jobs.name, queues.jobs.import, queues.jobs.previous_names, "
            "queues.jobs.subscriptions.a.name\n") in err
    import yaml

    text = (root / "environments" / "sandbox.yaml").read_text()
    assert yaml.safe_load(text)["queues"] == {"jobs": {
        "dead_letter": {"max_receives": 5}, "subscriptions": {"a": {}}}}
    assert "# left out: queues.jobs.import (it belongs to prodx's stack)\n" in text
    assert run_cli(root, "lint", str(root / "environments" / "sandbox.yaml"))[0] == 0


def test_new_from_a_partial_that_fixes_names_takes_none_of_them(tmp_path):
    root = write(tmp_path, {"_base.yaml": BASE_IMPORT, "prod.yaml": EXTENDS})
    rc, _, err = run_cli(root, "new", "sandbox", "--from", "_base")
    assert rc == 0
    assert ("not taken from _base, as they belong to the stacks that own them (a cloud "
            "resource has one owner): queues.jobs.name, queues.jobs.import; the new file "
            "sets them to null\n") in err
    import yaml

    data = yaml.safe_load((root / "environments" / "sandbox.yaml").read_text())
    assert data["queues"] == {"jobs": {"name": None, "import": None}}
    assert run_cli(root, "lint") == (0, "", "3 files checked, 0 errors\n")


def test_new_from_a_stack_built_on_another_stack_takes_none_of_its_names(tmp_path):
    # (found in review) prod-eu extends prod and renames what prod names; a new stack
    # --from prod-eu extends prod, and must not take prod's name and import with it
    root = write(tmp_path, {
        "prod.yaml": OWN % ("us-east-1", "ml-jobs") + f"    import: {URL}\n",
        "prod-eu.yaml": "extends: prod\nqueues:\n  jobs: {name: ml-jobs-eu, import: null}\n"})
    rc, _, err = run_cli(root, "new", "qa", "--from", "prod-eu")
    assert rc == 0
    assert "not taken from prod" in err and "queues.jobs.name, queues.jobs.import" in err
    assert run_cli(root, "lint")[:2] == (0, "")


# --- deploy and destroy act on the cloud: they check first ------------------------------


@pytest.mark.parametrize("command", [("deploy", "dev", "--yes"), ("destroy", "dev", "--yes"),
                                     ("deploy", "dev", "--preview")])
def test_deploy_and_destroy_refuse_a_stack_claiming_anothers_resource(tmp_path, monkeypatch,
                                                                     command):
    root = write(tmp_path, {"dev.yaml": OWN % ("us-east-1", "ml-jobs"),
                            "prod.yaml": OWN % ("us-east-1", "ml-jobs")})
    (root / "Pulumi.yaml").write_text("name: t\nruntime: python\n")
    log = tmp_path / "calls"
    fake_on_path(tmp_path, monkeypatch, f"open({str(log)!r}, 'a').write('called')\n")
    rc, _, err = run_cli(root, *command)
    assert rc == 1
    assert err.startswith("environments/dev.yaml:4:3: error: queues.jobs: jobs "
                          "(aws:sqs/queue:Queue) of stack dev takes the physical name")
    assert "[MLC406]" in err
    assert not log.exists()  # Pulumi never ran


def test_drift_only_reads_and_is_not_stopped_by_a_clash(tmp_path, monkeypatch):
    root = write(tmp_path, {"dev.yaml": OWN % ("us-east-1", "ml-jobs"),
                            "prod.yaml": OWN % ("us-east-1", "ml-jobs")})
    (root / "Pulumi.yaml").write_text("name: t\nruntime: python\n")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    rc, _, err = run_cli(root, "drift", "dev")
    assert rc == 4 and "MLC406" not in err  # it went on to look for the Pulumi CLI


def test_the_indexed_declaration_paths_agree_with_the_scan_for_every_case():
    # repository.py indexes the declarations once per stack; claims.declaration_path
    # (what MLC402 reports with) scans them: both must name the same declaration.
    from mlinfra_compile.claims import declaration_path
    from mlinfra_compile.repository import _declaration_paths
    from mlinfra_compile.resolve import Workspace, compile_environment
    from tests.golden import CASES, REPO

    checked = 0
    for root in [REPO, *sorted(p for p in CASES.iterdir() if p.is_dir())]:
        ws = Workspace(str(root))
        for path in ws.environment_files():
            c = compile_environment(ws, path)
            if c.graph is None:
                continue
            index = _declaration_paths(c)
            for r in c.graph.resources:
                assert index(r) == declaration_path(r, c.decls), (path, r.name)
                checked += 1
    assert checked > 100  # (counted when written: 151)


@pytest.mark.parametrize("spelled", [
    '    "n\\x61me": ml-jobs\n',  # an escape in a double-quoted key
    "    ? name\n    : ml-jobs\n",  # an explicit key
])
def test_lint_file_finds_a_name_however_yaml_spells_its_key(tmp_path, spelled):
    # (found in review) the text search that picks the stacks to read must not miss a
    # key the YAML parser reads as `name`
    other = "providers:\n  aws: {region: us-east-1}\nqueues:\n  jobs:\n" + spelled
    root = write(tmp_path, {"a.yaml": OWN % ("us-east-1", "ml-jobs"), "b.yaml": other})
    whole = run_cli(root, "lint")
    one = run_cli(root, "lint", str(root / "environments" / "a.yaml"))
    assert whole[0] == one[0] == 1
    assert lines(one[1], "MLC406") == [lines(whole[1], "MLC406")[0]]


# --- what mutation testing showed untested (make mutate) ----------------------------------


def test_a_clash_names_three_other_stacks_then_how_many_more(tmp_path):
    stacks = {f"s{i}.yaml": OWN % ("us-east-1", "ml-jobs") for i in range(5)}
    root = write(tmp_path, stacks)
    rc, out, _ = run_cli(root, "lint")
    assert rc == 1
    first = lines(out, "MLC406")[0]
    assert ("and so does stack s1 (environments/s1.yaml:4:3), stack s2 "
            "(environments/s2.yaml:4:3), stack s3 (environments/s3.yaml:4:3) and 1 more: "
            "one cloud resource") in first
    four = write(tmp_path / "four", {f"s{i}.yaml": OWN % ("us-east-1", "ml-jobs")
                                     for i in range(4)})
    assert "more:" not in run_cli(four, "lint")[1]  # three others: all named


def test_a_store_name_and_a_subscription_import_in_a_partial_are_shared_too(tmp_path):
    base = ("providers: {gcp: {project: acme-ml, region: us-central1}}\n"
            "session_stores:\n  cache: {name: ml-cache}\n"
            "queues:\n  events:\n    name: ml-events\n    subscriptions:\n"
            "      a:\n        name: ml-events-a\n"
            "        import: projects/acme-ml/subscriptions/ml-events-a\n")
    root = write(tmp_path, {"_base.yaml": base, "dev.yaml": EXTENDS, "prod.yaml": EXTENDS})
    _, out, _ = run_cli(root, "lint")
    assert [line.split(": error: ")[1].split(":")[0] for line in lines(out, "MLC407")] == [
        "session_stores.cache.name", "queues.events.name",
        "queues.events.subscriptions.a.name", "queues.events.subscriptions.a.import"]


def test_lint_of_a_partial_reaches_stacks_through_another_partial(tmp_path):
    # pre-commit passes _base.yaml alone: dev extends _mid, which extends _base
    root = write(tmp_path, {"_base.yaml": "providers: {aws: {region: us-east-1}}\n",
                            "_mid.yaml": "extends: _base\n",
                            "dev.yaml": "extends: _mid\nqueues:\n  jobs: {delay: 1000s}\n"})
    rc, out, err = run_cli(root, "lint", str(root / "environments" / "_base.yaml"))
    assert rc == 1 and "environments/dev.yaml:3:10: error: queues.jobs.delay" in out
    assert err == "3 files checked, 1 error\n"


def test_lint_of_a_broken_partial_still_reaches_the_stacks_on_it(tmp_path):
    # _mid does not load (a YAML error): dev's chain breaks at it, and still depends on it
    root = write(tmp_path, {"_mid.yaml": "queues: [\n", "dev.yaml": "extends: _mid\n",
                            "other.yaml": "providers: {aws: {region: us-east-1}}\n"})
    rc, out, err = run_cli(root, "lint", str(root / "environments" / "_mid.yaml"))
    assert rc == 1
    assert "environments/dev.yaml:1:1: error: extends: extends _mid, which has errors " \
           "[MLC314]" in out
    assert err.startswith("2 files checked")  # _mid and dev; not other


def test_a_colon_in_a_partials_name_keeps_each_diagnostic_at_its_place(tmp_path):
    # a source is FILE:LINE:COLUMN, and FILE may hold a colon itself
    root = write(tmp_path, {"_a:b.yaml": "providers: {aws: {region: us-east-1}}\n"
                                         "queues:\n  jobs: {name: ml-jobs}\n",
                            "dev.yaml": "extends: _a:b\n", "prod.yaml": "extends: _a:b\n"})
    rc, out, _ = run_cli(root, "lint")
    assert rc == 1
    assert [line.split(": error: ")[0] for line in out.splitlines()] == [
        "environments/_a:b.yaml:3:3", "environments/_a:b.yaml:3:3",
        "environments/_a:b.yaml:3:10"]


def test_a_declaration_path_is_found_by_name_and_place_then_either_then_neither():
    # four resources, one per fallback, over a queue and its subscription of one name
    from types import SimpleNamespace as N

    from mlinfra_compile.claims import declaration_path, declaration_paths

    queue, sub = ("queues", "jobs"), ("queues", "jobs", "subscriptions", "jobs")
    decls = {queue: N(name="jobs", origin=N(where="f.yaml:3:3")),
             sub: N(name="jobs", origin=N(where="f.yaml:7:7"))}
    cases = [
        (N(declaration="jobs", source="f.yaml:7:7"), sub),  # its name, written there
        (N(declaration="jobs-sub", source="f.yaml:3:3"), queue),  # implicit: the place
        (N(declaration="jobs", source="g.yaml:1:1"), queue),  # the name alone: the first
        (N(declaration="ghost", source="h.yaml:1:1"), ("ghost",)),  # neither
    ]
    index = declaration_paths(decls)  # type: ignore[arg-type]
    for r, expected in cases:
        assert declaration_path(r, decls) == expected  # type: ignore[arg-type]
        assert index(r) == expected
