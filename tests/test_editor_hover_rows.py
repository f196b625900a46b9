"""editor.field_markdown: a field's hover is its description, then one table row per
cloud (defaults by profile, what it becomes, or why it is not offered); when no row has
anything to say, the description alone. Services and the clouds offering the field are
faked here so that each row's content is chosen by the test and the expected markdown
is written out whole."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from mlinfra_compile import editor, providers
from mlinfra_compile import language as L
from mlinfra_compile.editor import field_markdown

HEAD = "| cloud | development | production | becomes |\n|---|---|---|---|\n"


def service(title: str, dev: Any = None, prod: Any = None, becomes: str = "") -> Any:
    """A service as field_markdown reads it: TITLE, DEFAULTS by profile of (value,
    where it comes from), ARGUMENTS (what the field becomes)."""
    return SimpleNamespace(
        TITLE=title,
        DEFAULTS={"development": {} if dev is None else {"k": (dev, "development default")},
                  "production": {} if prod is None else {"k": (prod, "production default")}},
        ARGUMENTS={"k": becomes} if becomes else {})


def fake(monkeypatch: pytest.MonkeyPatch, offered: tuple[str, ...], gcp: Any,
         aws: Any) -> None:
    monkeypatch.setitem(providers.SERVICES, ("session_store", "gcp"), gcp)
    monkeypatch.setitem(providers.SERVICES, ("session_store", "aws"), aws)
    monkeypatch.setattr(editor, "offered_clouds", lambda kind, key: offered)


FIELD = L.Field(schema={"description": "A test field."})


@pytest.mark.parametrize(("dev", "prod", "gcp_row"), [
    ("30s", None, "| gcp (Memorystore) | `30s` |  |  |"),
    (None, "7d", "| gcp (Memorystore) |  | `7d` |  |"),
])
def test_one_profile_default_alone_makes_a_table(monkeypatch, dev, prod, gcp_row):
    # gcp: a default in one profile only, no argument; aws: offered, nothing to say
    fake(monkeypatch, ("gcp", "aws"), service("Memorystore", dev, prod),
         service("ElastiCache"))
    assert field_markdown("session_store", "k", FIELD) == (
        "**k**: A test field.\n\n" + HEAD + gcp_row + "\n| aws (ElastiCache) |  |  |  |")


def test_nothing_to_say_on_any_cloud_is_the_description_alone(monkeypatch):
    fake(monkeypatch, ("gcp", "aws"), service("Memorystore"), service("ElastiCache"))
    assert field_markdown("session_store", "k", FIELD) == "**k**: A test field."


def test_a_cloud_without_the_field_and_without_words_keeps_the_other_row(monkeypatch):
    # offered on gcp only; aws is not among its providers and the field says nothing
    # `instead` for it: an empty cell, and gcp's row still makes the table. A dict default
    # is shown with its keys sorted; a cell's `|` is escaped and its lines joined
    # (a markdown table cell is one line, `\|` its literal pipe)
    field = L.Field(schema={"description": "A test field."}, providers=("gcp",))
    fake(monkeypatch, ("gcp",),
         service("Memorystore", {"mode": "RDB", "hours": 1}, "none",
                 "`persistence_config`:\n  DISABLED | RDB"),
         service("ElastiCache"))
    assert field_markdown("session_store", "k", field) == (
        "**k**: A test field.\n\n" + HEAD
        + '| gcp (Memorystore) | `{"hours": 1, "mode": "RDB"}` | `none` | '
          "`persistence_config`: DISABLED \\| RDB |\n"
        + "| aws (ElastiCache) | not offered | |  |")


def test_a_field_no_cloud_offers_without_words_is_its_description():
    # the real services and clouds: no default service offers `access` on a store
    field = L.Field(schema={"description": "Who may connect."}, providers=())
    assert field_markdown("session_store", "access", field) == "**access**: Who may connect."
