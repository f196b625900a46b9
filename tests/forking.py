"""A forked child runs Pulumi's mocks on an event loop of its own.

Pulumi registers resources through the event loop's default thread pool
(`run_in_executor`, pulumi/runtime/resource.py). A child forked after a mock test ran
(mutmut's and the template mutator's children, one per mutant) inherits that loop with a
pool whose threads stayed in the parent: work the child hands it never runs, and a test
that fails inside an `apply` waits forever instead of failing (a mutant then costs
mutmut's whole CPU limit and is reported a timeout, not killed). The suite's conftest
imports this module, which gives every forked child a new event loop."""

from __future__ import annotations

import asyncio
import os


def fresh_event_loop() -> None:
    """The current thread's event loop, replaced by a new one (the inherited one is left
    open: closing it would wait on the parent's threads)."""
    asyncio.set_event_loop(asyncio.new_event_loop())


os.register_at_fork(after_in_child=fresh_event_loop)
