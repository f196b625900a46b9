"""MLC406/MLC407 (repository.py) at the edges of what a stack claims: a resource claimed
by its import id alone (no physical name), a claiming resource after one that claims
nothing, and a `name` in a partial that a stack reaches through another partial.

The expected lines are written out by hand from the files each test writes (line and
column of each declaration, the stacks involved), in the wording of test_repository.py.
"""

from __future__ import annotations

from tests.golden import run_cli
from tests.test_repository import lines, write

TAIL = ("one cloud resource belongs to one stack, else each deploy overwrites the other's "
        "settings and destroying one deletes the other's; ")
NAME_FIX = "give each environment its own `name` (or a name_template with {{ env }}) [MLC406]"
IMPORT_FIX = "import it in one stack only [MLC406]"

# An AWS session store with no `name`: its replication group and its `<store>-clients`
# security group are auto-named (no physical name to claim); the map form of `import`
# adopts only the security group, by its id (sg- and 8 or 17 hex digits, per the EC2
# docs), a form that names no group name, so no `name` is needed to import it.
STORE = ("providers:\n"
         "  aws: {region: us-east-1, vpc_id: vpc-0123abcd, subnet_ids: [subnet-0a1b2c3d]}\n"
         "session_stores:\n"
         "  cache:\n"
         "    network: {allow_from: [10.0.0.0/16]}\n"
         "    import: {cache-clients: %s}\n")
SG = "sg-0123456789abcdef0"


def test_an_auto_named_group_imported_by_two_stacks_clashes_by_its_id(tmp_path):
    # The store's first resource (its replication group) claims nothing; the security
    # group after it claims its import id only: both stacks adopt one group.
    root = write(tmp_path, {"dev.yaml": STORE % SG, "prod.yaml": STORE % SG})
    rc, out, err = run_cli(root, "lint")
    assert (rc, err) == (1, "2 files checked, 2 errors\n")
    assert out.splitlines() == [
        "environments/dev.yaml:4:3: error: session_stores.cache: cache-clients of stack dev "
        f"imports '{SG}', and so does stack prod (environments/prod.yaml:4:3): "
        + TAIL + IMPORT_FIX,
        "environments/prod.yaml:4:3: error: session_stores.cache: cache-clients of stack "
        f"prod imports '{SG}', and so does stack dev (environments/dev.yaml:4:3): "
        + TAIL + IMPORT_FIX]


def test_two_auto_named_groups_imported_by_two_ids_are_two_groups(tmp_path):
    root = write(tmp_path, {"dev.yaml": STORE % SG,
                            "prod.yaml": STORE % "sg-0fedcba9876543210"})
    assert run_cli(root, "lint") == (0, "", "2 files checked, 0 errors\n")


QUEUES = ("providers:\n"
          "  aws: {region: us-east-1}\n"
          "queues:\n"
          "  aa: {}\n"  # auto-named: claims nothing, and comes first
          "  jobs: {name: ml-jobs}\n")


def test_a_named_queue_after_an_auto_named_one_still_clashes(tmp_path):
    root = write(tmp_path, {"dev.yaml": QUEUES, "prod.yaml": QUEUES})
    rc, out, _ = run_cli(root, "lint")
    assert rc == 1
    assert out.splitlines() == [
        "environments/dev.yaml:5:3: error: queues.jobs: jobs (aws:sqs/queue:Queue) of stack "
        "dev takes the physical name 'ml-jobs' in us-east-1, and so does stack prod "
        "(environments/prod.yaml:5:3): " + TAIL + NAME_FIX,
        "environments/prod.yaml:5:3: error: queues.jobs: jobs (aws:sqs/queue:Queue) of stack "
        "prod takes the physical name 'ml-jobs' in us-east-1, and so does stack dev "
        "(environments/dev.yaml:5:3): " + TAIL + NAME_FIX]


def test_names_in_two_partials_of_one_chain_are_each_mlc407(tmp_path):
    # dev and prod extend _mid, which extends _base: each partial fixes one queue's name,
    # and both stacks take both as written (_base's is reached through _mid).
    root = write(tmp_path, {
        "_base.yaml": "providers:\n  aws: {region: us-east-1}\nqueues:\n  jobs:\n"
                      "    name: ml-jobs\n",  # name at 5:5
        "_mid.yaml": "extends: _base\nqueues:\n  more:\n    name: ml-more\n",  # 4:5
        "dev.yaml": "extends: _mid\n", "prod.yaml": "extends: _mid\n"})
    rc, out, _ = run_cli(root, "lint")
    assert rc == 1
    fix = ("a physical name in a partial that stacks dev, prod take as written: each of "
           "them would claim the same cloud resource; write it in each environment's own "
           "file, or use a name_template with {{ env }} here [MLC407]")
    assert lines(out, "MLC407") == [
        "environments/_base.yaml:5:5: error: queues.jobs.name: " + fix,
        "environments/_mid.yaml:4:5: error: queues.more.name: " + fix]
    # and each stack's two queues clash with the other's, where the partials declare them
    assert [line.split(" and so does ")[0] for line in lines(out, "MLC406")] == [
        "environments/_base.yaml:4:3: error: queues.jobs: jobs (aws:sqs/queue:Queue) of "
        "stack dev takes the physical name 'ml-jobs' in us-east-1,",
        "environments/_base.yaml:4:3: error: queues.jobs: jobs (aws:sqs/queue:Queue) of "
        "stack prod takes the physical name 'ml-jobs' in us-east-1,",
        "environments/_mid.yaml:3:3: error: queues.more: more (aws:sqs/queue:Queue) of "
        "stack dev takes the physical name 'ml-more' in us-east-1,",
        "environments/_mid.yaml:3:3: error: queues.more: more (aws:sqs/queue:Queue) of "
        "stack prod takes the physical name 'ml-more' in us-east-1,"]


def test_a_named_imported_queue_claims_its_name_and_its_id_with_type_and_account(tmp_path):
    # claims_of's whole answer for one SQS queue with a name and an import: the name in
    # its scope (project, region, VPC per claims.SCOPE_ARGS: only the region is set), the
    # id itself; both carry the queue's type and the account its URL names (an SQS queue
    # URL is https://sqs.<region>.amazonaws.com/<12-digit account>/<name>).
    from mlinfra_compile.repository import Claim, claims_of
    from mlinfra_compile.resolve import Workspace, compile_environment

    url = "https://sqs.us-east-1.amazonaws.com/111111111111/ml-jobs"
    root = write(tmp_path, {"dev.yaml": "providers:\n  aws: {region: us-east-1}\n"
                                        "queues:\n  jobs:\n    name: ml-jobs\n"
                                        f"    import: {url}\n"})
    c = compile_environment(Workspace(str(root)), str(root / "environments" / "dev.yaml"))
    sqs = "aws:sqs/queue:Queue"
    at = ("environments/dev.yaml", "dev", "environments/dev.yaml:4:3", ("queues", "jobs"),
          "jobs", sqs, "111111111111")
    assert list(claims_of(c, "environments/dev.yaml")) == [
        Claim(("name", sqs, "ml-jobs", None, "us-east-1", None), *at),
        Claim(("import", url), *at)]
