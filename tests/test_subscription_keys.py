"""How `mlinfra adopt` keys a Pub/Sub queue's subscriptions: `default` for its only one;
else each one's name in kebab case without the queue's, cut to 20 characters and
trimmed of hyphens; a key that is not a valid subscription key (or is taken, or is
`default` or `sub`) becomes `sub-<its place in name order, from 1>`."""

from __future__ import annotations

from mlinfra_compile.providers.adopting import SUBSCRIPTION_KEY, subscription_keys
from mlinfra_compile.state import StateResource

SUB = "gcp:pubsub/subscription:Subscription"


def _sub(name: str) -> StateResource:
    return StateResource(urn=f"urn:pulumi:dev::ml::{SUB}::{name}", type=SUB, id=name,
                         inputs={}, outputs={})


def test_a_queues_only_subscription_is_its_default():
    only = _sub("jobs-trainers")
    assert subscription_keys("jobs", [only]) == {"default": only}


def test_each_subscription_is_keyed_by_its_name_or_its_place():
    names = ["jobs-trainers", "jobs-default", "jobs-9lives",
             "jobs-abcdefghijklmnopqrs-tail", "jobs-a-very-long-subscription-name"]
    subs = {n: _sub(n) for n in names}
    keys = {k: s.name for k, s in subscription_keys("jobs", list(subs.values())).items()}
    # in name order: jobs-9lives (1), jobs-a-very-... (2), jobs-abcdef... (3),
    # jobs-default (4), jobs-trainers (5): '-' sorts before the letters
    assert keys == {
        "sub-1": "jobs-9lives",                           # starts with a digit
        "a-very-long-subscrip": "jobs-a-very-long-subscription-name",  # 20 characters
        "abcdefghijklmnopqrs": "jobs-abcdefghijklmnopqrs-tail",  # the cut's hyphen trimmed
        "sub-4": "jobs-default",                          # `default` is reserved
        "trainers": "jobs-trainers",
    }
    assert all(SUBSCRIPTION_KEY.fullmatch(k) for k in keys)
    # (the key pattern's limits, by hand: 20 characters at most, no trailing hyphen)
    assert SUBSCRIPTION_KEY.fullmatch("a" * 20) and not SUBSCRIPTION_KEY.fullmatch("a" * 21)
    assert not SUBSCRIPTION_KEY.fullmatch("abc-")


def test_a_key_taken_by_an_earlier_subscription_goes_by_its_place():
    a, b = _sub("jobs-x"), _sub("jobs_x")  # both kebab to `x`
    keys = subscription_keys("jobs", [b, a])
    assert keys == {"x": a, "sub-2": b}  # `jobs-x` sorts before `jobs_x`


def test_sub_is_reserved_as_the_implicit_subscriptions_resource_is_queue_sub():
    # a key `sub` would compile to the resource `jobs-sub`, the name of the implicit
    # `default` subscription's resource (its resource is `<queue>-sub`)
    audit, sub = _sub("jobs-audit"), _sub("jobs-sub")
    assert subscription_keys("jobs", [sub, audit]) == {"audit": audit, "sub-2": sub}
