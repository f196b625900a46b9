"""A forked child runs Pulumi's mocks on an event loop of its own, and computes the
package's cached values again.

Pulumi registers resources through the event loop's default thread pool
(`run_in_executor`, pulumi/runtime/resource.py). A child forked after a mock test ran
(mutmut's and the template mutator's children, one per mutant) inherits that loop with a
pool whose threads stayed in the parent: work the child hands it never runs, and a test
that fails inside an `apply` waits forever instead of failing (a mutant then costs
mutmut's whole CPU limit and is reported a timeout, not killed). The suite's conftest
imports this module, which gives every forked child a new event loop.

A value the package keeps in a functools cache (the compiled schema validator, the price
tables, the services of a kind and cloud) was computed in the parent, before the fork,
by the code as it was: a mutant of a function it calls (the validator's compiler) never
ran in a child, and survived whatever the tests said. mutmut mutates no decorated
function, so the cached functions themselves are not mutated; what they call is, and
runs again in the child once its cache is emptied."""

from __future__ import annotations

import asyncio
import os
import sys


def fresh_event_loop() -> None:
    """The current thread's event loop, replaced by a new one (the inherited one is left
    open: closing it would wait on the parent's threads)."""
    asyncio.set_event_loop(asyncio.new_event_loop())


def fresh_caches() -> None:
    """Every functools cache of the package's loaded modules, emptied."""
    for name, module in list(sys.modules.items()):
        if name == "mlinfra_compile" or name.startswith("mlinfra_compile."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


def fresh_caches_while_tracing() -> None:
    """fresh_caches, in mutmut's stats phase only (it names the mutant under test
    "stats" then): the suite itself keeps its caches from test to test."""
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        fresh_caches()


def in_mutmuts_copy() -> bool:
    """The package imported is mutmut's trampolined copy (in mutants/, in any of
    mutmut's phases): a test that starts a Python child of its own must not, since the
    child would import mutmut's trampolines under a mutant name of the test's choosing."""
    from mlinfra_compile import schema

    return hasattr(schema, "x_build_schema__mutmut_orig")


def after_fork() -> None:
    fresh_event_loop()
    fresh_caches()


os.register_at_fork(after_in_child=after_fork)
