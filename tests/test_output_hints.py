"""diff's hint for a stack output whose value moved to another key of the same output
(`q.subscriptions.sub`, now `q.subscriptions.default`). The new key must be new (not in
the old outputs) and dotted (a key inside the output, not the output itself): each side of
that `and` has its own case, on outputs written here."""

from __future__ import annotations

from mlinfra_compile.diff import _output_hints

REF = {"$ref": "q-sub", "attr": "name"}


def _hints(old_outputs: dict, new_outputs: dict) -> list[str]:
    return _output_hints({"outputs": old_outputs}, {"outputs": new_outputs}, {})


def test_a_value_moved_to_a_new_dotted_key_is_named():
    old = {"q": {"subscriptions": {"sub": REF}}}
    new = {"q": {"subscriptions": {"default": REF}}}
    assert _hints(old, new) == [
        "stack output q.subscriptions.sub is now q.subscriptions.default: programs that "
        "read it by name (a StackReference) need the new name"]


def test_a_key_that_was_there_before_is_not_where_a_value_moved():
    """`q.a` held the same value already: `q.sub` was dropped, not moved."""
    old = {"q": {"a": REF, "sub": REF}}
    new = {"q": {"a": REF}}
    assert _hints(old, new) == []


def test_an_output_that_became_the_value_itself_is_not_a_moved_key():
    """`q` is a new scalar output (not dotted) with the value `q.x` had."""
    old = {"q": {"x": REF}}
    new = {"q": REF}
    assert _hints(old, new) == []


def test_a_value_that_could_have_moved_to_two_keys_is_not_guessed():
    old = {"q": {"sub": REF}}
    new = {"q": {"a": REF, "b": REF}}
    assert _hints(old, new) == []
