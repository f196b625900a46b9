"""Issue 27, round 2: compiling, costing, planning and diffing stay linear in the number
of queues. Each lookup made per declaration or per resource (is this queue some queue's
dead-letter queue? is there a grant on this key already?) is an index built once per run,
never a scan of every resource. The large cases run in a child process under resource
limits, so that a quadratic regression fails fast; their totals are the figures of a
small case worked out by hand from the price tables' literals."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from mlinfra_compile.cost import estimate
from mlinfra_compile.providers import aws_sqs, gcp_pubsub, pricing
from tests.golden import REPO, git, graph_doc, resource_doc

_CHILD = textwrap.dedent("""\
    import resource, sys
    cpu = int(sys.argv.pop(1))
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # 3 GiB of address space
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))  # seconds of CPU
    from mlinfra_compile.cli import main
    sys.exit(main(sys.argv[1:]))
    """)


# Large enough that a scan per queue cannot finish under the CPU limit (10,000 SQS queues
# took 289 s of CPU to plan before the index, so 4,000 about 46 s; after it 20,000 plan
# in 6.5 s, 4,000 in about 1.3 s), small enough to keep the suite quick.
MANY = 4_000


def limited(root: Path, *args: str, cpu: int = 15) -> tuple[int, str, str]:
    """mlinfra in a child under 3 GiB of address space and `cpu` seconds of CPU (a child
    over a limit is killed: a negative return code)."""
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(cpu), "--root", str(root),
                           *args], capture_output=True, text=True, cwd=REPO, timeout=300,
                          check=False)
    return proc.returncode, proc.stdout, proc.stderr


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- the small cases, by hand ---------------------------------------------------------

# prices/aws_sqs.json, from https://aws.amazon.com/sqs/pricing/ (first tier, us-east-1):
# $0.40 per million requests (standard), $0.50 (FIFO); each 64 KiB chunk of a message is
# a request; mlinfra counts 3 requests a message (send, receive, delete).
SQS_STANDARD, SQS_FIFO = Decimal("0.40"), Decimal("0.50")
SQS_QUEUES = {
    # name: (text, messages a month, chunks of 64 KiB, price per million requests)
    "qa": ("{dead_letter: true, usage: {messages_per_month: 5000000, "
           "average_message_size: 2KiB}}", 5_000_000, 1, SQS_STANDARD),
    "qb": ("{dead_letter: true, usage: {messages_per_month: 1000000, "
           "average_message_size: 100KiB}}", 1_000_000, 2, SQS_STANDARD),
    "qc": ("{dead_letter: true, fifo: true, usage: {messages_per_month: 2000000, "
           "average_message_size: 1KiB}}", 2_000_000, 1, SQS_FIFO),
}
# 5,000,000 x 3 x $0.40/M = $6.00; 1,000,000 x 2 x 3 x $0.40/M = $2.40;
# 2,000,000 x 3 x $0.50/M = $3.00
SQS_TOTAL = Decimal("11.40")

# prices/gcp_pubsub.json, from https://cloud.google.com/pubsub/pricing: $40 per TiB
# (2**40 bytes) published and per subscription delivered, at least 1000 bytes a message.
PUBSUB_TIB = Decimal(40)
PUBSUB_QUEUES = {
    # name: (text, messages a month, billed bytes a message, subscriptions)
    "qa": ("{dead_letter: true, usage: {messages_per_month: 1000000, "
           "average_message_size: 200B}, subscriptions: {x: {}, y: {}}}",
           1_000_000, 1000, ("qa-x", "qa-y")),
    "qb": ("{dead_letter: true, usage: {messages_per_month: 3000000, "
           "average_message_size: 4KiB}}", 3_000_000, 4096, ("qb-sub",)),
}
# qa: 1,000,000 x 1000 B / 2**40 x $40 = $0.0364 -> $0.04, for the topic and each of its
# two subscriptions; qb: 3,000,000 x 4096 B / 2**40 x $40 = $0.4470 -> $0.45, twice
PUBSUB_TOTAL = Decimal("1.02")

SQS_HEAD = "providers:\n  aws: {region: us-east-1}\ndefault_provider: aws\nqueues:\n"
PUBSUB_HEAD = ("providers:\n  gcp: {project: acme-ml-dev, region: us-central1, "
               "project_number: \"123456789012\"}\ndefault_provider: gcp\nqueues:\n")


def test_the_small_cases_worked_by_hand():
    sqs = sum(cents(Decimal(n * chunks * 3) / 1_000_000 * price)
              for _, n, chunks, price in SQS_QUEUES.values())
    assert sqs == SQS_TOTAL
    pubsub = sum(cents(Decimal(n * size) / Decimal(2**40) * PUBSUB_TIB) * (1 + len(subs))
                 for _, n, size, subs in PUBSUB_QUEUES.values())
    assert pubsub == PUBSUB_TOTAL


def _environment(root: Path, head: str, hinted: dict[str, tuple], plain: int) -> None:
    """The hand-worked queues and `plain` more with dead letters and no usage hints."""
    text = head + "".join(f"  {name}: {spec[0]}\n" for name, spec in hinted.items())
    text += "".join(f"  p{i:05d}: {{dead_letter: true}}\n" for i in range(plain))
    assert len(text.encode()) <= 1 << 20  # within the loader's limit a file
    (root / "environments").mkdir(parents=True, exist_ok=True)
    (root / "environments" / "big.yaml").write_text(text, encoding="utf-8")


def _check_cost_and_plan(root: Path, total: Decimal, left_out: str) -> None:
    rc, out, err = limited(root, "cost", "big", "--format", "json")
    assert rc == 0, (rc, err[-2000:])
    assert Decimal(str(json.loads(out)["total_monthly"])) == total
    rc, out, err = limited(root, "plan", "big")
    assert rc == 0, (rc, err[-2000:])
    assert f"Estimated cost: ${total}/month (${total} of it estimated from the queues' " \
           f"usage; not included: {left_out})" in out


def test_the_small_sqs_case_costs_what_the_hand_says(tmp_path):
    _environment(tmp_path, SQS_HEAD, SQS_QUEUES, 1)
    _check_cost_and_plan(tmp_path, SQS_TOTAL, "1 resource priced by use with no usage "
                                              "given, 4 dead-letter resources never "
                                              "estimated")


def test_many_sqs_queues_with_dead_letters_cost_and_plan_in_linear_time(tmp_path):
    _environment(tmp_path, SQS_HEAD, SQS_QUEUES, MANY - len(SQS_QUEUES))
    # every queue's `-dlq` is a dead-letter queue: MANY of them, found one by one
    _check_cost_and_plan(tmp_path, SQS_TOTAL, f"{MANY - 3:,} resources priced by use with "
                                              f"no usage given, {MANY:,} dead-letter "
                                              "resources never estimated")


def test_the_small_pubsub_case_costs_what_the_hand_says(tmp_path):
    _environment(tmp_path, PUBSUB_HEAD, PUBSUB_QUEUES, 1)
    # the unhinted queue's topic and subscription; each queue's dead-letter topic and the
    # subscription that keeps its messages
    _check_cost_and_plan(tmp_path, PUBSUB_TOTAL, "2 resources priced by use with no usage "
                                                 "given, 6 dead-letter resources never "
                                                 "estimated")


def test_pubsub_topics_with_subscriptions_cost_and_plan_in_linear_time(tmp_path):
    plain = MANY // 2 - len(PUBSUB_QUEUES)
    _environment(tmp_path, PUBSUB_HEAD, PUBSUB_QUEUES, plain)
    _check_cost_and_plan(tmp_path, PUBSUB_TOTAL,
                         f"{2 * plain:,} resources priced by use with no usage given, "
                         f"{MANY:,} dead-letter resources never estimated")


def test_diff_of_many_sqs_queues_prices_both_sides_in_linear_time(tmp_path):
    _environment(tmp_path, SQS_HEAD, SQS_QUEUES, MANY - len(SQS_QUEUES))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    path = tmp_path / "environments" / "big.yaml"
    # qa's traffic doubles: 10,000,000 x 3 x $0.40/M = $12.00, $6.00 more
    path.write_text(path.read_text().replace("messages_per_month: 5000000",
                                             "messages_per_month: 10000000"))
    rc, out, err = limited(tmp_path, "diff", "big")
    assert rc == 0, (rc, err[-2000:])
    assert "monthly cost: +$6.00/month" in out
    assert f"estimated total: ${SQS_TOTAL} -> ${SQS_TOTAL + 6} a month" in out


KMS_GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"


def test_11000_queues_with_their_own_keys_compile_in_linear_time(tmp_path):
    # two queues a key: the second of each pair takes the first one's grant (one grant
    # per key and service agent); 11,000 queues with 5,500 keys
    key = "kms:projects/acme-ml-dev/locations/x/keyRings/r/cryptoKeys/k"
    text = PUBSUB_HEAD + "".join(f"  p{i:05d}: {{encryption: \"{key}{i // 2}\"}}\n"
                                 for i in range(11_000))
    assert len(text.encode()) <= 1 << 20
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "big.yaml").write_text(text)
    rc, out, err = limited(tmp_path, "compile", "big", cpu=15)
    assert rc == 0, (rc, err[-2000:])
    resources = {r["name"]: r for r in json.loads(out)["resources"]}
    grants = [r for r in resources.values() if r["type"] == KMS_GRANT]
    assert len(grants) == 5_500
    assert resources["p00000"]["options"]["depends_on"] == ["p00000-key-access"]
    assert resources["p00001"]["options"]["depends_on"] == ["p00000-key-access"]
    assert resources["p10999"]["options"]["depends_on"] == ["p10998-key-access"]
    assert resources["p10998-key-access"]["args"]["crypto_key_id"] == \
        "projects/acme-ml-dev/locations/x/keyRings/r/cryptoKeys/k5499"


def test_renaming_many_queues_gives_each_its_rename_hint_in_linear_time(tmp_path):
    _environment(tmp_path, SQS_HEAD, SQS_QUEUES, MANY - len(SQS_QUEUES))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    path = tmp_path / "environments" / "big.yaml"
    path.write_text(path.read_text().replace("  p", "  r"))  # p00000 -> r00000, ...
    rc, out, err = limited(tmp_path, "diff", "big")
    assert rc == 0, (rc, err[-2000:])
    hints = [line for line in out.splitlines() if "was renamed to" in line]
    # each deleted queue pairs with the first created one of its type, in name order; a
    # dead-letter queue is generated for its queue, not declared: no hint of its own
    assert len(hints) == MANY - 3
    for i in (0, 1, MANY - 4):
        assert f"if p{i:05d} was renamed to r{i:05d}, add `previous_names: [p{i:05d}]`" \
               in out
    assert "p00000-dlq was renamed" not in out


def test_8000_generated_name_clashes_are_each_reported_in_linear_time(tmp_path):
    # `qNNNNN-dlq` is both a declaration and qNNNNN's dead-letter queue: 8,000 clashes,
    # each reported at the declaration it comes from (found in an index, not a scan)
    text = SQS_HEAD + "".join(f"  q{i:05d}: {{dead_letter: true}}\n  q{i:05d}-dlq: {{}}\n"
                              for i in range(8_000))
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "big.yaml").write_text(text)
    rc, out, err = limited(tmp_path, "lint")
    assert rc == 1, (rc, err[-2000:])
    assert out.count("[MLC402]") == 8_000
    head = len(SQS_HEAD.splitlines()) + 1  # the line of q00000; the next is its `-dlq`
    assert f"environments/big.yaml:{head + 1}:3: error: queues.q00000-dlq: resource name " \
           "'q00000-dlq' is generated twice: by dead letter queue of 'q00000' " \
           f"(environments/big.yaml:{head}:3) and by queue of 'q00000-dlq' " \
           f"(environments/big.yaml:{head + 1}:3); rename one declaration [MLC402]" in out


# --- the index itself: built once per estimate, on any graph --------------------------

def _sqs_graph(n: int) -> dict:
    """n queues, each with its dead-letter queue, as the graph records them."""
    out = []
    for i in range(n):
        dlq = {"$json": {"deadLetterTargetArn": {"$ref": f"q{i}-dlq", "attr": "arn"},
                         "maxReceiveCount": 5}}
        out += [resource_doc(f"q{i}", aws_sqs.TYPE, {"region": "us-east-1",
                                                     "redrive_policy": dlq}),
                resource_doc(f"q{i}-dlq", aws_sqs.TYPE, {"region": "us-east-1"})]
    return graph_doc(*out, profile="development")


def test_the_dead_letter_index_is_built_once_per_estimate(monkeypatch):
    from mlinfra_compile.providers import lines

    calls = []
    real = lines.dig  # (the index digs with lines.dig; pricing re-exports it)
    monkeypatch.setattr(lines, "dig", lambda *a: calls.append(1) or real(*a))
    e = estimate(_sqs_graph(300))
    kinds = [i.kind for i in e.items]
    assert kinds.count(pricing.DEAD_LETTERS) == 300  # every q<i>-dlq
    assert kinds.count(pricing.USAGE_BASED) == 300  # every q<i>
    # one look at each of the 600 queues for the index (a scan per queue: 360,000)
    assert len(calls) == 600


def test_the_index_reads_any_graph_without_failing():
    sub = gcp_pubsub.SUBSCRIPTION
    graph = graph_doc(
        # a state graph's subscription: its topic a plain name, no dead-letter policy
        resource_doc("s1", sub, {"topic": "projects/p/topics/t"}),
        resource_doc("s2", sub, {"topic": {"$ref": "t2", "attr": "name"},
                                 "dead_letter_policy": "not a mapping"}),
        {"name": "odd", "type": sub, "args": ["not", "a", "mapping"], "options": {},
         "source": "x:1:1"},
        resource_doc("t2", gcp_pubsub.TOPIC, {}),
        profile="development")
    kinds = {i.name: i.kind for i in estimate(graph).items}
    # nothing names a dead-letter topic: no resource is dead letters (a topic that is
    # no reference is not "the same" as a policy that names none)
    assert kinds == {"s1": pricing.USAGE_BASED, "s2": pricing.USAGE_BASED,
                     "odd": pricing.USAGE_BASED, "t2": pricing.USAGE_BASED}
