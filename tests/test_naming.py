"""name_template runs in a locked-down sandbox."""

from __future__ import annotations

import pytest

from mlinfra_compile.naming import TemplateError, render_name

VARS = {"env": "prod", "name": "jobs", "kind": "queue", "provider": "aws",
        "profile": "production"}


@pytest.mark.parametrize(("source", "expected"), [
    ("{{ env }}-{{ name }}", "prod-jobs"),
    ("ml-{{ name | upper }}", "ml-JOBS"),
    ("{{ env ~ '-' ~ name }}", "prod-jobs"),
    ("{{ name | replace('j', 'J') }}-{{ kind }}", "Jobs-queue"),
    ("{{ 'p' if profile == 'production' else 'd' }}-{{ name }}", "p-jobs"),
])
def test_renders(source, expected):
    assert render_name(source, **VARS) == expected


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{{ name.__class__ }}",
    "{{ name['__class__'] }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum }}",
    "{{ range(10) }}",
    "{% for a in name %}{% for b in name %}{{ a }}{% endfor %}{% endfor %}",
    "{{ name * 100000000 }}",
    "{{ 9 ** 999999 }}",
    "{{ name | center(999999999) }}",
    "{% macro m() %}{% endmacro %}",
    "{% include 'x' %}",
    "{{ config }}",
    "{{ env }",
])
def test_refuses_anything_but_simple_expressions(source):
    with pytest.raises(TemplateError):
        render_name(source, **VARS)
