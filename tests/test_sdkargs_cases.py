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


def test_pulumi_args_of_a_declaration_the_schema_drops_are_not_checked(repo):
    # `jobs` is dropped before any service builds it (its name is no cloud name): its
    # pulumi_args have no resource to go to and are not checked; `empty`'s are empty:
    # nothing is passed, nothing else said
    repo.write("dev.yaml", """\
        providers:
          aws: {region: us-east-1}
        default_provider: aws
        queues:
          jobs:
            name: "bad name"
            pulumi_args: {no_such_argument: 1}
          empty:
            pulumi_args: {}
        """)
    code, out, _ = repo.run("lint")
    assert code == 1
    assert [line.split(": error: ")[1].split(":")[0] for line in out.splitlines()
            if ": error: " in line] == ["queues.jobs.name"]


class _Decl:
    """What name_problem reads of a declaration: its kind, provider, data and parent."""

    def __init__(self, kind: str, provider: str) -> None:
        self.kind, self.provider, self.data, self.parent = kind, provider, {}, None


def test_an_argument_the_service_sets_itself_is_refused_even_if_no_field_models_it():
    from mlinfra_compile.sdkargs import name_problem

    store = _Decl("session_store", "gcp")
    # display_name: an argument of redis.Instance that no field models (passable, above)
    assert name_problem(store, REDIS, "display_name", emitted=False) is None
    assert name_problem(store, REDIS, "display_name", emitted=True) == (
        "'display_name' is modelled by mlinfra: mlinfra sets it")
