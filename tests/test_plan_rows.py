"""A resource's rows in `mlinfra plan`: the argument, its value, the kind of its origin
and where it is written (FILE:LINE:COLUMN), or for a default or a derived value the note
that says which. The expected texts are written out here, column by column."""

from __future__ import annotations

from mlinfra_compile.graph import Origin, Resource
from mlinfra_compile.report import _resource_text


def _resource(origins: dict[str, Origin], **args: object) -> Resource:
    return Resource("cache", "gcp:redis/instance:Instance", dict(args), {"protect": True},
                    "environments/dev.yaml:4:3", origins)


def test_each_kind_of_origin_has_its_own_row_form():
    r = _resource({
        "a": Origin("set", "environments/dev.yaml", 5, 7),
        "bb": Origin("inherited", "environments/_base.yaml", 12, 3),
        "c": Origin("default", "environments/dev.yaml", 4, 3, "development default"),
        "d": Origin("derived", "environments/dev.yaml", 4, 3, "from the queue's name  "),
    }, a="x", bb=1, c=True, d={"k": None})
    assert _resource_text(r) == (
        "\n"
        "cache  gcp:redis/instance:Instance  [protect=true]  environments/dev.yaml:4:3\n"
        '  a   "x"        set        environments/dev.yaml:5:7\n'
        "  bb  1          inherited  environments/_base.yaml:12:3\n"
        "  c   true       default    development default\n"
        # (a note's trailing blanks are not kept: no row ends in one)
        "  d   {k: null}  derived    from the queue's name\n")


def test_a_value_without_origin_is_its_row_without_the_two_columns():
    """Only a resource made outside a compile lacks an origin (a compile gives every
    argument one): its row ends after the value, with no padding left behind."""
    r = _resource({"long_name": Origin("set", "f.yaml", 1, 1)}, long_name="v", b="w")
    assert _resource_text(r) == (
        "\n"
        "cache  gcp:redis/instance:Instance  [protect=true]  environments/dev.yaml:4:3\n"
        '  b          "w"\n'
        '  long_name  "v"  set        f.yaml:1:1\n')


def test_a_kind_of_origin_not_known_to_the_plan_is_still_padded_to_its_column():
    r = _resource({"a": Origin("imported", "f.yaml", 2, 9)}, a=7)
    assert _resource_text(r).splitlines()[-1] == "  a  7  imported   f.yaml:2:9"


def test_values_wider_than_48_characters_push_only_their_own_row():
    wide = "w" * 60
    r = _resource({"a": Origin("set", "f.yaml", 1, 1), "b": Origin("set", "f.yaml", 2, 1)},
                  a=wide, b="n")
    rows = _resource_text(r).splitlines()[2:]
    assert rows == [f'  a  "{wide}"  set        f.yaml:1:1',
                    '  b  "n"' + " " * 45 + "  set        f.yaml:2:1"]
