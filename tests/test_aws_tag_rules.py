"""AWS tag rules as lint applies them to labels on AWS (CLOUDS["aws"].label_problems):
keys of 1 to 128 characters, not starting with `aws:`; values of at most 256; letters,
digits, spaces and _ . : / = + - @ only. Source: "Tag naming limits and requirements",
docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html. Each boundary has a case on
either side."""

from __future__ import annotations

import pytest

from mlinfra_compile.clouds import CLOUDS

problems = CLOUDS["aws"].label_problems


def _key_problem(key: str) -> str:
    return f"AWS tag key {key!r} must be 1..128 characters and not start with `aws:`"


@pytest.mark.parametrize(("key", "bad"), [
    ("", True),            # (shorter than 1)
    ("k", False),
    ("k" * 128, False),
    ("k" * 129, True),
    ("aws:team", True),
    ("AWS:team", True),    # (the prefix in any case)
    ("team-aws:", False),
])
def test_a_key_is_1_to_128_characters_and_not_aws_prefixed(key, bad):
    assert problems(key, "v") == ([_key_problem(key)] if bad else [])


@pytest.mark.parametrize(("size", "bad"), [(0, False), (256, False), (257, True)])
def test_a_value_is_at_most_256_characters(size, bad):
    assert problems("team", "v" * size) == \
        (["AWS tag values are at most 256 characters"] if bad else [])


def test_each_character_outside_the_set_is_named_once_in_order():
    assert problems("te#am", "a!b#c @_.:/=+-é 9") == [
        "AWS tags hold letters, digits, spaces and _ . : / = + - @ only, not '!', '#'"]


def test_every_rule_broken_at_once_gives_every_message():
    assert problems("aws:" + "k" * 125 + "$", "v" * 257) == [
        _key_problem("aws:" + "k" * 125 + "$"),
        "AWS tag values are at most 256 characters",
        "AWS tags hold letters, digits, spaces and _ . : / = + - @ only, not '$'"]
