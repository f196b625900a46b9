"""sdkargs.passable and sdkargs.unknown on each side: what `pulumi_args` takes (an
argument of the SDK class, per the committed table, that mlinfra does not model) and how
an argument the class lacks is named. The oracle is the pulumi-gcp SDK's signatures as
the table records them: redis.Instance takes display_name (not modelled) and
memory_size_gb (what `memory` becomes); pubsub.Topic takes message_retention_duration,
which mlinfra sets only on subscriptions."""

from __future__ import annotations

import pytest

from mlinfra_compile.sdkargs import passable, unknown

REDIS, TOPIC = "gcp:redis/instance:Instance", "gcp:pubsub/topic:Topic"


@pytest.mark.parametrize(("rtype", "name", "takes"), [
    (REDIS, "display_name", True),
    (REDIS, "memory_size_gb", False),  # modelled: `memory`
    (REDIS, "no_such_argument", False),
    # a queue's `retention` is its subscriptions' message_retention_duration, never its
    # topic's: the topic's own is the user's to pass
    (TOPIC, "message_retention_duration", True),
    (TOPIC, "kms_key_name", False),  # modelled: `encryption`
    ("x:unknown/type:T", "anything", False),  # a type no service emits
])
def test_passable_takes_only_sdk_arguments_mlinfra_does_not_model(rtype, name, takes):
    assert passable(rtype, name) is takes


def test_an_unknown_argument_names_the_nearest_and_the_sdk_version_or_a_question_mark():
    known = ["memory_size_gb", "region"]
    assert unknown(REDIS, "memorySize", known, {}) == (
        "pulumi_gcp.redis.Instance has no argument 'memorySize' (did you mean "
        "'memory_size_gb'?); it takes 2 keyword arguments (pulumi_gcp ?)")
    assert unknown(REDIS, "zzz", known, {"pulumi_gcp": "9.4.0"}) == (
        "pulumi_gcp.redis.Instance has no argument 'zzz'; it takes 2 keyword arguments "
        "(pulumi_gcp 9.4.0)")
