"""A fan-out queue on AWS (an SNS topic delivering to one SQS queue per subscription):
the largest message it carries end to end, the limit on subscriptions of a topic that
carries large messages, and what each generated resource is (the kind and declaration
that plans, pictures and name clashes show).

Facts (pulumi-aws 7.51.1 `sns.Topic` docstring; Amazon SNS Developer Guide, "Publishing
large messages"; SetTopicAttributes, MaximumMessageSize): a topic carries 262,144 bytes
(256KiB) unless its maximum_message_size says more, up to 1,048,576 (1MiB); above 256KiB it
takes at most 100 subscriptions. SQS's max_message_size is 1KiB..1MiB. Every expected text
is written by hand.
"""

from __future__ import annotations

import pytest

from mlinfra_compile.resolve import Workspace, compile_environment

HEAD = """\
providers:
  aws: {region: us-east-1}
default_provider: aws
queues:
"""


def jobs(size: str, average: str) -> str:
    return HEAD + f"""\
  jobs:
    max_message_size: {size}
    usage: {{messages_per_month: 1000, average_message_size: {average}}}
    subscriptions:
      a: {{}}
"""


@pytest.mark.parametrize(("size", "average", "out"), [
    # out of SQS's range (MLC204): the topic carries its own default
    ("2MiB", "300KiB", [
        "environments/main.yaml:6:5: error: queues.jobs.max_message_size: 2MiB is above the "
        "SQS maximum of 1MiB [MLC204]",
        "environments/main.yaml:7:39: error: queues.jobs.usage.average_message_size: an "
        "average message of 300KiB is larger than what an SNS topic carries by default, "
        "256KiB [MLC327]"]),
    # SQS's smallest, 1KiB, is in range: the topic carries what the queue takes
    ("1KiB", "2KiB", [
        "environments/main.yaml:7:39: error: queues.jobs.usage.average_message_size: an "
        "average message of 2KiB is larger than the queue's max_message_size, 1KiB [MLC327]"]),
    ("1KiB", "1KiB", []),
], ids=["above-sqs", "smallest", "smallest-fits"])
def test_the_fanout_carries_its_queues_max_message_size(repo, size, average, out):
    repo.write("main.yaml", jobs(size, average))
    code, printed, _ = repo.run("lint")
    assert (code, printed.splitlines()) == (1 if out else 0, out)


def fanout(subscriptions: int, size: str) -> str:
    return HEAD + f"  jobs:\n    max_message_size: {size}\n    subscriptions:\n" + \
        "".join(f"      s{i}: {{}}\n" for i in range(subscriptions))


@pytest.mark.parametrize(("subscriptions", "size", "out"), [
    (101, "512KiB", [
        "environments/main.yaml:6:5: error: queues.jobs.max_message_size: an SNS topic "
        "carries messages above 256KiB to at most 100 subscriptions; this queue has 101: "
        "lower max_message_size or split the subscriptions [MLC311]"]),
    (100, "512KiB", []),
    (101, "256KiB", []),
], ids=["101-large", "100-large", "101-default"])
def test_a_topic_carrying_large_messages_takes_100_subscriptions(repo, subscriptions, size,
                                                                 out):
    repo.write("main.yaml", fanout(subscriptions, size))
    code, printed, _ = repo.run("lint")
    assert (code, printed.splitlines()) == (1 if out else 0, out)


def compiled(repo):
    c = compile_environment(Workspace(str(repo.root)),
                            str(repo.root / "environments" / "main.yaml"))
    assert c.graph is not None, c.diagnostics
    return c.graph.by_name()


def test_a_large_topic_size_comes_from_the_queues_field(repo):
    repo.write("main.yaml", fanout(1, "512KiB"))
    topic = compiled(repo)["jobs"]
    assert topic.args["maximum_message_size"] == 524288  # 512 * 1024
    o = topic.origins["maximum_message_size"]
    assert (o.kind, o.where) == ("set", "environments/main.yaml:6:5")


def test_each_resource_of_a_fanout_names_its_kind_and_declaration(repo):
    repo.write("main.yaml", HEAD + """\
  jobs:
    access:
      publishers: [arn:aws:iam::123456789012:role/api]
    subscriptions:
      a: {}
""")
    got = {name: (r.type, r.kind, r.declaration) for name, r in compiled(repo).items()}
    assert got == {
        "jobs": ("aws:sns/topic:Topic", "topic", "jobs"),
        "jobs-policy": ("aws:sns/topicPolicy:TopicPolicy", "access_policy", "jobs"),
        "jobs-a": ("aws:sqs/queue:Queue", "subscription", "a"),
        "jobs-a-policy": ("aws:sqs/queuePolicy:QueuePolicy", "access_policy", "a"),
        "jobs-a-subscription": ("aws:sns/topicSubscription:TopicSubscription",
                                "topic_subscription", "a"),
    }


def test_a_name_clash_with_a_fanouts_resource_names_what_generated_it(repo):
    repo.write("main.yaml", """\
providers:
  aws: {region: us-east-1, subnet_ids: [subnet-0a1b2c3d], vpc_id: vpc-0123abcd}
default_provider: aws
queues:
  jobs:
    access:
      publishers: [arn:aws:iam::123456789012:role/api]
    subscriptions:
      a: {}
  jobs-a-subscription: {}
  jobs-policy: {}
  cache-subnets:
    subscriptions:
      b: {}
session_stores:
  cache: {eviction_policy: allkeys-lru}
""")
    code, out, _ = repo.run("lint")
    assert (code, out.splitlines()) == (1, [
        "environments/main.yaml:10:3: error: queues.jobs-a-subscription: resource name "
        "'jobs-a-subscription' is generated twice: by topic subscription of 'a' "
        "(environments/main.yaml:9:7) and by queue of 'jobs-a-subscription' "
        "(environments/main.yaml:10:3); rename one declaration [MLC402]",
        "environments/main.yaml:11:3: error: queues.jobs-policy: resource name 'jobs-policy' "
        "is generated twice: by access policy of 'jobs' (environments/main.yaml:5:3) and by "
        "queue of 'jobs-policy' (environments/main.yaml:11:3); rename one declaration "
        "[MLC402]",
        "environments/main.yaml:12:3: error: queues.cache-subnets: resource name "
        "'cache-subnets' is generated twice: by subnet group of 'cache' "
        "(environments/main.yaml:16:3) and by topic of 'cache-subnets' "
        "(environments/main.yaml:12:3); rename one declaration [MLC402]"])
