"""providers.decl.Context as built: what a service build records before resolve.py sets
the environment's own choices (a Context made elsewhere, as adopt's or a test's, keeps
what `exports` could name on each declaration)."""

from __future__ import annotations

from mlinfra_compile.graph import Origin
from mlinfra_compile.providers.decl import Context, Decl
from mlinfra_compile.providers.fields import attributes


def test_a_new_context_keeps_each_declarations_attributes():
    at = Origin("set", "dev.yaml", 3, 3)
    ctx = Context("dev", "development", {}, {}, None, lambda path: at)
    assert ctx.keep_attributes is True and ctx.keep_origins is True
    decl = Decl("queue", "jobs", ("queues", "jobs"), {}, "aws", at, ctx, {})
    attributes(decl, {"url": ("jobs", "url")}, secret=("url",))
    assert ctx.attributes == {"jobs": ({"url": ("jobs", "url")}, ("url",), ())}


def test_a_context_told_not_to_keeps_none():
    at = Origin("set", "dev.yaml", 3, 3)
    ctx = Context("dev", "development", {}, {}, None, lambda path: at)
    ctx.keep_attributes = False
    decl = Decl("queue", "jobs", ("queues", "jobs"), {}, "aws", at, ctx, {})
    attributes(decl, {"url": ("jobs", "url")})
    assert ctx.attributes == {}
