"""diff's hint for a stack output that moved to a new key of the same output is about the
VALUE moving: a new key holding another value is not where the old one went, and of two new
keys only the one holding the old value is. (The other cases: tests/test_output_hints.py.)"""

from __future__ import annotations

from mlinfra_compile.diff import _output_hints

SUB = {"$ref": "q-sub", "attr": "name"}
OTHER = {"$ref": "q-other", "attr": "name"}
MOVED = ("stack output q.subscriptions.sub is now q.subscriptions.default: programs that "
         "read it by name (a StackReference) need the new name")


def _hints(old_outputs: dict, new_outputs: dict) -> list[str]:
    return _output_hints({"outputs": old_outputs}, {"outputs": new_outputs}, {})


def test_a_new_key_with_another_value_is_not_where_the_old_one_moved():
    old = {"q": {"subscriptions": {"sub": SUB}}}
    assert _hints(old, {"q": {"subscriptions": {"default": OTHER}}}) == []
    assert _hints({"q": {"port": 6379}}, {"q": {"tls_port": 6380}}) == []


def test_of_two_new_keys_the_one_holding_the_value_is_named():
    old = {"q": {"subscriptions": {"sub": SUB}}}
    new = {"q": {"subscriptions": {"default": SUB, "audit": OTHER}}}
    assert _hints(old, new) == [MOVED]
