"""Diagnostics: small sortable values, one renderer per output format.

Every stage of the pipeline returns its diagnostics instead of printing or raising, so a
bad file never stops the run and the CLI alone decides how to show them and what to exit.
"""

from __future__ import annotations

import json
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"

# Every code the compiler emits, with a one-line summary (shown by `--format json` and in
# docs). Ranges: 1xx reading YAML, 2xx schema, 3xx resolving, 4xx graph, 5xx policy,
# 6xx change safety.
CODES: dict[str, str] = {
    "MLC101": "file too large",
    "MLC102": "file is not valid UTF-8",
    "MLC103": "file is empty",
    "MLC104": "YAML syntax error",
    "MLC105": "unsafe or unsupported YAML tag",
    "MLC106": "duplicate key",
    "MLC107": "nesting too deep",
    "MLC108": "alias expansion budget exceeded",
    "MLC109": "top level is not a mapping",
    "MLC110": "more than one YAML document",
    "MLC111": "key is not a plain string",
    "MLC112": "value has no JSON equivalent (or is a number too large to read)",
    "MLC113": "YAML merge keys are not supported",
    "MLC114": "file cannot be read",
    "MLC115": "file is outside the repository",
    "MLC116": "two files for one environment (.yaml and .yml)",
    "MLC117": "mlinfra's install source is a placeholder",
    "MLC118": "the repository's schema is not this mlinfra's",
    "MLC119": "too many links in a row",
    "MLC201": "unknown key",
    "MLC202": "wrong type",
    "MLC203": "value not allowed",
    "MLC204": "value out of range",
    "MLC205": "name does not match the required pattern",
    "MLC206": "missing required key",
    "MLC207": "invalid duration or size",
    "MLC208": "schema violation",
    "MLC301": "extends names a missing file",
    "MLC302": "extends cycle",
    "MLC303": "extends value is a path",
    "MLC304": "environment does not match the file name",
    "MLC305": "provider not configured",
    "MLC306": "default_provider needed",
    "MLC307": "field not supported by the provider",
    "MLC308": "label violates GCP label rules",
    "MLC309": "name_template cannot be rendered",
    "MLC310": "generated name violates the provider's naming rule",
    "MLC311": "fields conflict",
    "MLC312": "project_number required",
    "MLC313": "size not supported by the provider",
    "MLC314": "extended file has errors",
    "MLC315": "declaration without a body declares nothing",
    "MLC316": "extends chain too long",
    "MLC317": "unknown region",
    "MLC318": "service not listed in the region",
    "MLC319": "invalid network setting",
    "MLC320": "invalid encryption key",
    "MLC321": "unknown node type",
    "MLC322": "invalid access member or principal",
    "MLC323": "unknown or clashing export",
    "MLC324": "import cannot be done as written",
    "MLC325": "unknown or modelled SDK argument",
    "MLC326": "no such service on the cloud",
    "MLC327": "usage hint larger than the largest message the queue carries",
    "MLC328": "version not offered by the provider",
    "MLC329": "environment file name is not an environment name",
    "MLC401": "declaration name used twice",
    "MLC402": "generated resource name collides",
    "MLC403": "reference to a missing resource",
    "MLC404": "reference cycle",
    "MLC405": "previous name is in use",
    "MLC406": "one cloud resource claimed by two stacks",
    "MLC407": "a physical name or import in a partial several stacks extend",
    "MLC501": "production session store is not standard_ha",
    "MLC502": "production session store without auth",
    "MLC503": "production session store without tls",
    "MLC504": "production stateful resource is not protected",
    "MLC505": "production queue without dead letters",
    "MLC506": "waiver is invalid or unused",
    "MLC507": "production session store without a network",
    "MLC508": "production grant to a whole account, domain or identity pool",
    "MLC510": "dead-letter queue keeps messages for less time than its source",
    "MLC511": "retry backoffs are out of order",
    "MLC512": "retention is shorter than the visibility timeout",
    "MLC513": "read replicas lack the memory they need",
    "MLC601": "a change replaces or deletes a stateful resource",
    "MLC602": "the environment cannot be read at the git ref",
    "MLC603": "a change the provider's API refuses",
    "MLC604": "a profile downgrade from production",
    "MLC605": "a stack holds resources mlinfra has no recorded graph of",
    "MLC900": "internal error while checking a file (please report it)",
}


# The longest message a diagnostic holds (the longest any check writes is under 1,000
# characters); beyond it the rest is cut, with the length, so that no value, however
# long and however often it is reported, makes the output huge. Values are cut where
# they are quoted (escape.cut); this is the backstop for the ones that are not.
MAX_MESSAGE = 2000


class _Finding(NamedTuple):
    file: str
    line: int
    column: int
    code: str
    path: str
    message: str
    severity: str = ERROR


class Diagnostic(_Finding):
    """One finding. Ordering is (file, line, column, ...), the order users read them in.
    (A NamedTuple, not a dataclass: see graph.Resource.)"""

    __slots__ = ()

    def __new__(cls, file: str, line: int, column: int, code: str, path: str, message: str,
                severity: str = ERROR) -> Diagnostic:
        if len(message) > MAX_MESSAGE:
            from .escape import cut_text

            message = cut_text(message, MAX_MESSAGE, MAX_MESSAGE)
        return super().__new__(cls, file, line, column, code, path, message, severity)

    def render_text(self) -> str:
        from .escape import visible

        where = f"{visible(self.path)}: " if self.path else ""
        return (
            f"{visible(self.file)}:{self.line}:{self.column}: {self.severity}: "
            f"{where}{visible(self.message)} [{self.code}]"
        )

    def render_github(self) -> str:
        # Workflow command syntax: properties are escaped differently from the message.
        # Written raw (formats.py), so it makes `##[` inert itself (escape.ci_value): the
        # runner decodes no escape that could spell `[` in a property or the message.
        def prop(value: str) -> str:
            return ci_value(visible(
                value.replace("%", "%25")
                .replace("\r", "%0D")
                .replace("\n", "%0A")
                .replace(":", "%3A")
                .replace(",", "%2C")
            ))

        from .escape import ci_value, visible

        msg = (f"{self.path}: " if self.path else "") + f"{self.message} [{self.code}]"
        msg = ci_value(visible(msg.replace("%", "%25").replace("\r", "%0D")
                               .replace("\n", "%0A")))
        return (
            f"::{self.severity} file={prop(self.file)},line={self.line},"
            f"col={self.column},title={self.code}::{msg}"
        )


def sort_unique(diags: list[Diagnostic]) -> list[Diagnostic]:
    """The same finding reached twice (a base file shared by two stacks) is shown once."""
    return sorted(set(diags))


def render(diags: list[Diagnostic], fmt: str) -> str:
    """Render diagnostics, sorted and without repeats, in a format of
    formats.DIAGNOSTICS."""
    from .formats import DIAGNOSTICS, render

    return render(DIAGNOSTICS, fmt, sort_unique(diags))


def render_text(ordered: list[Diagnostic]) -> str:
    return "".join(d.render_text() + "\n" for d in ordered)


def render_github(ordered: list[Diagnostic]) -> str:
    """GitHub workflow commands (`::error file=...::message`), escaped by each."""
    return "".join(d.render_github() + "\n" for d in ordered)


def render_json(ordered: list[Diagnostic]) -> str:
    doc = {
        "format": "mlinfra.diagnostics/v1",
        "diagnostics": [d._asdict() for d in ordered],
        "errors": sum(1 for d in ordered if d.severity == ERROR),
        "warnings": sum(1 for d in ordered if d.severity == WARNING),
    }
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity == ERROR for d in diags)
