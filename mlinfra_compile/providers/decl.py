"""The declaration core every provider service works with: values that carry their origin
(Value), declarations whose fields carry theirs (Decl), the keyword arguments of one
resource (Args), the id `import` takes (ImportId), and the build context that collects
resources and diagnostics (Context)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from ..diagnostics import Diagnostic
from ..graph import NO_ORIGINS, Origin, Resource, new
from ..loader import Path, dotted
from ..naming import NamingRule, TemplateError, render_name
from ..units import format_duration, parse_duration, parse_size


class Value(NamedTuple):
    value: Any
    origin: Origin


class ImportId(NamedTuple):
    """The id `import` takes for one resource type: what it is, its form (with
    named groups `name`, `project`, `region` that must agree with the resource's own
    arguments, and `account` where the id names the AWS account), and an example for the
    diagnostic (docs/design.md, Physical names and imports)."""

    what: str
    pattern: str
    example: str

    def account(self, rid: object) -> str | None:
        """The AWS account id `rid` names, if it has this form and its form names one."""
        m = re.fullmatch(self.pattern, rid) if isinstance(rid, str) else None
        return m.groupdict().get("account") if m else None


# field -> (value, why) per profile; `why` is shown by plan and explain.
Defaults = dict[str, tuple[Any, str]]
# attribute -> (resource, output), and which attributes are secret and which PEM bundles
Attributes = tuple[dict[str, tuple[str, str]], tuple[str, ...], tuple[str, ...]]
# Fields a subscription never takes from its queue: its cloud name and import id are its
# own (generated names derive from the queue's `name` in fixed_name), and its access adds
# to the queue's rather than replacing it; its pulumi_args are its own resource's.
OWN_FIELDS = frozenset({"name", "import", "access", "previous_names", "subscriptions",
                        "pulumi_args"})


def human_seconds(n: int) -> str:
    return f"{n}s" if n < 3600 or n % 60 else f"{n}s ({format_duration(n)})"


# The options most resources have, one dict for all that have them: nothing changes a
# resource's options once it is added (resource_options makes new ones). 22,500
# `{"protect": False}` and 7,500 `{}` were 4 MiB of a compile of 10,000 declarations.
NO_OPTIONS: dict[str, Any] = {}
PROTECT_ONLY: dict[bool, dict[str, Any]] = {False: {"protect": False}, True: {"protect": True}}


class Context:
    """One environment being compiled: its settings, and what the build produces.
    (A plain class, as every record a lint makes: see graph.Resource.)"""

    def __init__(self, env: str, profile: str, providers: dict[str, dict[str, Value]],
                 labels: dict[str, Value], name_template: Value | None,
                 origin_of: Callable[[Path], Origin | None]) -> None:
        self.env = env
        self.profile = profile
        self.providers = providers
        self.labels = labels
        self.name_template = name_template
        self.origin_of = origin_of
        self.resources: list[Resource] = []
        self.diagnostics: list[Diagnostic] = []
        self.outputs: dict[str, Any] = {}
        # declaration -> what `exports` may name on it, filled by each service's build
        # when `keep_attributes` (the environment has exports, or adopt asks: at 10,000
        # declarations they are 9 MiB) and read through `exportable`
        self.attributes: dict[str, Attributes] = {}
        self.keep_attributes = True
        # resource -> the `usage:` hints of the queue whose messages it carries,
        # for `mlinfra cost`; nothing is deployed from them
        self.usage: dict[str, dict[str, int]] = {}
        # (crypto key, member) -> the grant resource giving it (gcp_kms.grant: one per key
        # and service agent, looked up per declaration, so a dict rather than a scan)
        self.key_grants: dict[tuple[Any, str], str] = {}
        # the labels (and their note) of a resource whose declaration sets none, made
        # once (fields.resource_labels)
        self.label_base: tuple[dict[str, str], str] | None = None
        # False: each resource's argument origins are let go as it is added (only plan
        # and explain show them; at 10,000 declarations they are a sixth of a lint's
        # memory)
        self.keep_origins = True

    def error(self, code: str, path: Path, message: str, at: Origin) -> None:
        self.diagnostics.append(Diagnostic(at.file, at.line, at.column, code, dotted(path),
                                           message))

    def add(self, resource: Resource) -> None:
        r = resource
        options, origins = r[3], r[5]
        if not options:
            options = NO_OPTIONS
        elif len(options) == 1 and type(options.get("protect")) is bool:
            options = PROTECT_ONLY[options["protect"]]
        if not self.keep_origins and origins:
            origins = NO_ORIGINS
        if options is not r[3] or origins is not r[5]:
            # (not r._replace: a keyword dict and a second tuple each)
            resource = new(Resource, (r[0], r[1], r[2], options, r[4], origins, r[6], r[7]))
        self.resources.append(resource)

    def provider_setting(self, provider: str, key: str) -> Value | None:
        return self.providers[provider].get(key)  # built only on a configured cloud

    def physical_name(self, decl: Decl, logical: str, kind: str, rule: NamingRule,
                      suffix: str = "") -> Value | None:
        """The physical name of one resource, checked against `rule`: derived from the
        `name` the declaration (or its queue) sets, else the rendered name_template; None
        when there is neither (Pulumi auto-names) or it failed (reported)."""
        fixed = fixed_name(decl, logical, suffix)
        if fixed is not None:
            value, at, path = fixed
            problem = rule.check(value.value)
            if problem:
                self.error("MLC310", path, problem if value.value == at.value else
                           f"name {at.value!r} gives {problem}", at.origin)
                return None
            return value
        tpl = self.name_template
        if tpl is None:
            problem = rule.check_autoname(logical, suffix)
            if problem:
                self.error("MLC310", decl.path, problem, decl.origin)
            return None
        try:
            name = render_name(tpl.value, env=self.env, name=logical, kind=kind,
                               provider=decl.provider, profile=self.profile) + suffix
        except TemplateError as exc:
            self.error("MLC309", ("name_template",), str(exc), tpl.origin)
            return None
        problem = rule.check(name)
        if problem:
            self.error("MLC310", decl.path, f"name_template gives {problem}", decl.origin)
            return None
        return Value(name, Origin("derived", tpl.origin.file, tpl.origin.line,
                                  tpl.origin.column, "rendered from name_template"))


def fixed_name(decl: Decl, logical: str, suffix: str) -> tuple[Value, Value, Path] | None:
    """(the physical name, the `name` it comes from, that name's path) for a resource of
    `decl` when `decl` or its queue sets `name`: the resource the name was set
    on takes it as written; resources generated for it append what their logical name
    appends (`<name>-dlq`), before a FIFO `.fifo`."""
    d: Decl | None = decl
    while d is not None:
        given = d.data.get("name")
        if isinstance(given, str):
            base = d.logical
            path = (*d.path, "name")
            at = Value(given, d.ctx.origin_of(path) or d.origin)
            tail = logical[len(base):]  # (a generated name starts with its declaration's)
            if not tail:
                return at, at, path
            stem = given.removesuffix(suffix)
            o = at.origin
            return Value(stem + tail + suffix, Origin("derived", o.file, o.line, o.column,
                                                      f"from name {given}")), at, path
        d = d.parent
    return None


class Decl:
    """A session store, queue or subscription with its merged fields and their origins."""

    __slots__ = ("_source", "ctx", "data", "defaults", "kind", "name", "origin", "parent",
                 "path", "provider", "resource")

    def __init__(self, kind: str, name: str, path: Path, data: dict[str, Any],
                 provider: str, origin: Origin, ctx: Context, defaults: Defaults,
                 parent: Decl | None = None, resource: str = "") -> None:
        self.kind = kind  # session_store | queue | subscription
        self.name = name
        self.path = path
        self.data = data
        self.provider = provider
        self.origin = origin  # where the declaration itself is written
        self.ctx = ctx
        self.defaults = defaults
        self.parent = parent  # a subscription's queue, whose fields are its defaults
        # the logical name of the declaration's own resource, when not the usual one (a
        # Pub/Sub queue's `default` subscription is the implicit `<queue>-sub`)
        self.resource = resource
        self._source = ""

    @property
    def source(self) -> str:
        """Where the declaration is written, FILE:LINE:COLUMN: the `source` of each of its
        resources, one string for them all (made per resource, they were a megabyte of a
        plan of 10,000 declarations)."""
        if not self._source:
            p = self.parent  # (a queue's implicit subscription is written where it is)
            self._source = p.source if p is not None and p.origin is self.origin else \
                self.origin.where
        return self._source

    @property
    def logical(self) -> str:
        """The logical name of the declaration's own resource: `<name>`, and for a
        subscription `<queue>-<key>`."""
        if self.resource:
            return self.resource
        return self.name if self.parent is None else f"{self.parent.name}-{self.name}"

    def given(self, key: str) -> Value | None:
        """The value written in a file (this declaration's or, for the fields a
        subscription inherits, its queue's), if any."""
        value = self.data.get(key)
        if value is not None:
            return new(Value, (value, self.ctx.origin_of((*self.path, key)) or self.origin))
        if self.parent is not None and key not in OWN_FIELDS:
            return self.parent.given(key)
        return None

    def get(self, key: str) -> Value | None:
        """The value in force: written, else the profile default, else None."""
        v = self.given(key)
        if v is not None:
            return v
        # (made on each ask, not kept: most are asked once, and a kept value and origin per
        # declaration and field were 11 MB of a compile of 10,000 declarations)
        default = self.defaults.get(key)
        if default is None:
            return None
        o = self.origin
        return new(Value, (default[0], new(Origin, ("default", o.file, o.line, o.column,
                                                   default[1]))))

    def where(self, key: str) -> Path:
        """The path of a field as the user wrote it (on the queue, for inherited fields)."""
        if key in self.data or self.parent is None:
            return self.path + (key,)
        return self.parent.where(key)

    def err(self, code: str, key: str, message: str, v: Value | None = None) -> None:
        at = v.origin if v is not None else self.origin
        path = self.where(key)
        if v is not None and v.origin.kind == "default":
            message += f" (this is the {v.origin.note})"
        self.ctx.error(code, path, message, at)

    # Typed accessors that check ranges; they report and return None on a bad value.
    def seconds(self, key: str, lo: int, hi: int, service: str) -> tuple[int, Origin] | None:
        v = self.get(key)
        if v is None:
            return None
        n = parse_duration(v.value)
        if n is None:  # the schema already reported the form
            return None
        shown = v.value if isinstance(v.value, str) else f"{n}s"
        if n < lo:
            self.err("MLC204", key, f"{shown} is below the {service} minimum of "
                                    f"{human_seconds(lo)}", v)
            return None
        if n > hi:
            self.err("MLC204", key, f"{shown} is above the {service} maximum of "
                                    f"{human_seconds(hi)}", v)
            return None
        return n, v.origin

    def bytes_(self, key: str, lo: int, hi: int, service: str,
               show: Callable[[int], str]) -> tuple[int, Origin] | None:
        v = self.get(key)
        if v is None:
            return None
        n = parse_size(v.value)
        if n is None:
            return None
        shown = v.value if isinstance(v.value, str) else f"{n} bytes"
        if n < lo:
            self.err("MLC204", key, f"{shown} is below the {service} minimum of {show(lo)}", v)
            return None
        if n > hi:
            self.err("MLC204", key, f"{shown} is above the {service} maximum of {show(hi)}", v)
            return None
        return n, v.origin


class Args:
    """Keyword arguments of one resource, each with its origin."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.origins: dict[str, Origin] = {}

    def set(self, key: str, value: Any, origin: Origin) -> None:
        self.values[key] = value
        self.origins[key] = origin

    def put(self, key: str, v: Value | None,
            convert: Callable[[Any], Any] | None = None) -> None:
        if v is not None:  # (no identity function called for the values most puts keep)
            self.values[key] = v.value if convert is None else convert(v.value)
            self.origins[key] = v.origin
