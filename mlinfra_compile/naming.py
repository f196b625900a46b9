"""`name_template`: physical names rendered in a locked-down Jinja2 sandbox.

A template may only print the five variables, string literals and a few string filters,
joined with `~` or conditional expressions. Anything else (attribute access, calls, loops,
arithmetic, macros, includes) is refused before rendering, so a template can neither reach
Python internals (`''.__class__`) nor spend unbounded time or memory. Rendering itself
still happens in Jinja2's ImmutableSandboxedEnvironment as a second line of defence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

VARIABLES = ("env", "name", "kind", "provider", "profile")
FILTERS = ("lower", "upper", "replace", "trim", "truncate", "default")
_ALLOWED_NODES = {
    "Template", "Output", "TemplateData", "Name", "Const", "Filter", "Concat", "CondExpr",
    "Compare", "Operand", "And", "Or", "Not", "Test",
}


AUTONAME_SUFFIX = 8


class TemplateError(Exception):
    pass


class NamingRule(NamedTuple):
    """A provider's rule for physical names (sources cited where each rule is defined)."""

    what: str
    pattern: str
    description: str
    forbidden_prefix: str = ""
    max_length: int = 0  # when set, auto-named resources are checked against it too

    def check_autoname(self, logical: str, suffix: str = "") -> str | None:
        """Pulumi auto-naming appends a hyphen and 7 random characters to the logical name
        (pulumi.com/docs/iac/concepts/resources/names; the bridge refuses a name "plus 7
        random chars" longer than the provider's maximum, pulumi/pulumi-aws#1781)."""
        if not self.max_length:
            return None
        length = len(logical) + AUTONAME_SUFFIX + len(suffix)
        if length <= self.max_length:
            return None
        room = self.max_length - AUTONAME_SUFFIX - len(suffix)
        return (f"Pulumi auto-naming makes {logical!r} {length} characters (it appends a "
                f"hyphen and 7 random characters), over the {self.max_length}-character "
                f"limit on {self.what} names: use a name of at most {room} characters or set "
                "name_template")

    def check(self, name: str) -> str | None:
        if not re.fullmatch(self.pattern, name):
            return f"{name!r} is not a valid {self.what} name: {self.description}"
        if self.forbidden_prefix and name.startswith(self.forbidden_prefix):
            return f"{name!r} is not a valid {self.what} name: it must not start with " \
                   f"{self.forbidden_prefix!r}"
        return None


# A physical name is at most a few hundred characters: longer templates, deeper nesting
# or longer intermediate values are a mistake or an attack (a chain of `replace("", name)`
# grows geometrically), refused before they cost memory.
MAX_TEMPLATE_CHARS = 200  # as the schema says (maxLength)
MAX_NESTING = 8
MAX_VALUE_CHARS = 512


def _bounded(name: str, fn: Any) -> Any:
    import functools

    @functools.wraps(fn)  # keeps Jinja's pass_eval_context marker
    def call(*args: Any, **kwargs: Any) -> Any:
        for a in (*args, *kwargs.values()):
            if isinstance(a, str) and len(a) > MAX_VALUE_CHARS:
                raise TemplateError(f"a value reaching filter {name!r} is longer than "
                                    f"{MAX_VALUE_CHARS} characters")
        texts = [a for a in args if isinstance(a, str)]
        if name == "replace" and len(texts) >= 3:
            value, _old, new = texts[:3]
            grown = len(value) + (len(value) + 1) * len(new)
            if grown > MAX_VALUE_CHARS:  # checked before the string is built
                raise TemplateError(f"filter 'replace' would build a value longer than "
                                    f"{MAX_VALUE_CHARS} characters")
        out = fn(*args, **kwargs)
        if isinstance(out, str) and len(out) > MAX_VALUE_CHARS:
            raise TemplateError(f"filter {name!r} builds a value longer than "
                                f"{MAX_VALUE_CHARS} characters")
        return out
    return call


def _nesting(source: str) -> int:
    depth = deepest = 0
    for c in source:
        if c in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif c in ")]":
            depth -= 1
    return deepest


@lru_cache(maxsize=1)
def _env() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.globals.clear()
    env.filters = {k: _bounded(k, v) for k, v in env.filters.items() if k in FILTERS}
    env.tests = {k: v for k, v in env.tests.items() if k in ("defined", "undefined", "none")}
    return env


@lru_cache(maxsize=256)
def compile_template(source: str) -> Any:
    """Parse and vet a template; raise TemplateError with a user-facing reason."""
    from jinja2 import TemplateSyntaxError, nodes

    env = _env()
    if len(source) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"the template is {len(source)} characters; the limit is "
                            f"{MAX_TEMPLATE_CHARS}")
    if _nesting(source) > MAX_NESTING:
        raise TemplateError(f"brackets are nested {_nesting(source)} deep; the limit is "
                            f"{MAX_NESTING}")
    try:
        ast = env.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"syntax error: {exc.message}") from None
    except RecursionError:
        raise TemplateError("the template is nested too deeply") from None
    for node in ast.find_all(nodes.Node):
        kind = type(node).__name__
        if kind not in _ALLOWED_NODES:
            what = {"Getattr": "attribute access", "Getitem": "indexing", "Call": "calls",
                    "For": "loops", "Mul": "arithmetic", "Pow": "arithmetic",
                    "Add": "arithmetic", "Macro": "macros"}.get(kind, f"`{kind}`")
            names = ", ".join("{{ " + v + " }}" for v in VARIABLES)
            raise TemplateError(
                f"{what} is not allowed; a name template may use only {names}, string "
                f"literals, `~` and the filters {', '.join(FILTERS)}")
        if isinstance(node, nodes.Name) and node.name not in VARIABLES:
            raise TemplateError(f"unknown variable {node.name!r}; available: "
                                f"{', '.join(VARIABLES)}")
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            raise TemplateError(f"filter {node.name!r} is not allowed; available: "
                                f"{', '.join(FILTERS)}")
        if isinstance(node, nodes.Const) and isinstance(node.value, int | float) \
                and not isinstance(node.value, bool) and abs(node.value) > 255:
            raise TemplateError(f"number {node.value} is too large for a name template")
    try:
        return env.from_string(source)
    except TemplateSyntaxError as exc:  # pragma: no cover - parse() already succeeded
        raise TemplateError(f"syntax error: {exc.message}") from None


def render_name(source: str, **variables: str) -> str:
    template = compile_template(source)
    from jinja2 import TemplateError as JinjaError

    try:
        out: str = template.render(**variables)
    # A filter called with arguments it refuses raises what it likes (`truncate(1)` an
    # AssertionError, `replace(1)` a TypeError): each is the template's fault.
    except (JinjaError, TypeError, ValueError, AssertionError) as exc:
        raise TemplateError(f"the template failed: {exc}") from None
    return out.strip()
