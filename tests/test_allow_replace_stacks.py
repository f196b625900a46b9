"""diffall.allowed_in: which --allow-replace values hold in one stack. NAME holds in every
stack; STACK:NAME in STACK only, the stack being what comes before the FIRST `:` (stack
names are ENV_NAME, `[a-z0-9][a-z0-9_-]*`: never a `:`), the name all that follows it."""

from __future__ import annotations

from mlinfra_compile.diffall import allowed_in

GIVEN = {"cache", "prod:queue", "dev:topic", "prod:a:b", "prod:a:prod"}


def test_each_value_held_in_its_stack_split_at_the_first_colon():
    # prod:a:b is stack prod, name `a:b` (no declaration is called that, so it allows
    # nothing; split at the last `:` it would allow a declaration `b`)
    assert allowed_in("prod", GIVEN) == {"cache", "queue", "a:b", "a:prod"}
    assert allowed_in("dev", GIVEN) == {"cache", "topic"}
    assert allowed_in("staging", GIVEN) == {"cache"}
    assert allowed_in("prod", set()) == set()
