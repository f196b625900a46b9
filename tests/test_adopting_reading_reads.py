"""adopting.Reading's typed reads, read whole: which of a state resource's values a read
takes (the program's input, else the output it runs with; with `given`, the input alone),
the message for a value mlinfra does not read, the labels mlinfra sets itself, and what
`pulumi_args` takes. Expected values are written by hand from the state file's shape
(state.py: inputs and outputs in camelCase, a secret read as "(secret)")."""

from __future__ import annotations

from mlinfra_compile.providers import adopting
from mlinfra_compile.providers.adopting import Reading
from mlinfra_compile.state import SECRET, StateResource

URN = "urn:pulumi:dev::acme::gcp:redis/instance:Instance::cache"


def resource(inputs: dict, outputs: dict, defaults: frozenset[str] = frozenset()) -> \
        StateResource:
    return StateResource(urn=URN, type="gcp:redis/instance:Instance", id="cache",
                         inputs=inputs, outputs=outputs, defaults=defaults)


# --- boolean ---------------------------------------------------------------------------

def test_boolean_reads_the_output_when_the_program_gave_no_input():
    # authEnabled left to the provider: the instance runs with it on (its output).
    a = Reading(resource({}, {"authEnabled": True}))
    assert a.boolean("authEnabled") is True
    assert a.missing == []


def test_boolean_given_reads_the_input_alone():
    a = Reading(resource({}, {"authEnabled": True}))
    assert a.boolean("authEnabled", given=True) is None
    assert a.missing == []
    b = Reading(resource({"authEnabled": False}, {"authEnabled": True}))
    assert b.boolean("authEnabled", given=True) is False


def test_boolean_lists_a_value_of_another_type():
    a = Reading(resource({"authEnabled": "yes"}, {}))
    assert a.boolean("authEnabled") is None
    assert a.missing == ["authEnabled = yes: a string: mlinfra reads true or false"]


# --- integer ---------------------------------------------------------------------------

def test_integer_given_reads_the_input_alone():
    a = Reading(resource({}, {"memorySizeGb": 5}))
    assert a.integer("memorySizeGb", given=True) is None
    assert a.integer("memorySizeGb") == 5  # (without `given`: the output it runs with)
    assert a.missing == []


def test_integer_without_bounds_names_no_bound():
    a = Reading(resource({"memorySizeGb": "five"}, {}))
    assert a.integer("memorySizeGb") is None
    assert a.missing == ["memorySizeGb = five: a string: mlinfra reads a whole number"]


def test_integer_bounds_are_named_as_given():
    a = Reading(resource({"a": 0, "b": 0, "c": 2.5, "d": 301}, {}))
    assert [a.integer("a", 1, 300), a.integer("b", 1), a.integer("c"),
            a.integer("d", hi=300)] == [None, None, None, None]
    assert a.missing == ["a = 0: out of range: mlinfra reads a whole number in 1..300",
                         "b = 0: out of range: mlinfra reads a whole number of at least 1",
                         "c = 2.5: a fraction: mlinfra reads a whole number",
                         "d = 301: out of range: mlinfra reads a whole number of at most 300"]


# --- labels ----------------------------------------------------------------------------

def test_labels_read_the_input_alone():
    # Labels only in the outputs are the provider's (effective labels), not the program's.
    a = Reading(resource({}, {"labels": {"team": "ml"}}))
    assert a.labels() is None
    assert a.missing == []


def test_labels_list_mlinfras_own_label_of_another_value_and_a_secret():
    a = Reading(resource({"labels": {"environment": "prod", "managed-by": "mlinfra",
                                     "owner": SECRET, "team": "ml"}}, {}))
    assert a.labels() == {"team": "ml"}
    assert a.missing == [
        "labels.environment = prod: mlinfra sets this label itself (environment: dev)",
        "labels.owner = (secret): mlinfra cannot read it back"]


# --- pulumi_args -----------------------------------------------------------------------

def test_pulumi_args_takes_no_bookkeeping_and_keeps_a_maps_keys(monkeypatch):
    # The most lenient table (every input is an SDK argument the resource takes): the
    # provider's `__defaults` list, the inputs it names and what mlinfra handles are still
    # not pulumi_args; a map-valued argument (state.MAPS: `tags`) keeps the user's keys
    # as written, while an object argument's keys become the SDK's snake_case.
    monkeypatch.setattr(adopting, "PASSABLE", [lambda rtype, name: True])
    r = resource({"__defaults": ["name"], "name": "cache-1a2b3c4", "project": "acme",
                  "displayName": "Feature cache", "tags": {"costCenter": "ml"},
                  "maintenancePolicy": {"weeklyWindow": 1}}, {},
                 defaults=frozenset({"name"}))
    a = Reading(r)
    assert a.pulumi_args() == {"pulumi_args": {
        "display_name": "Feature cache", "maintenance_policy": {"weekly_window": 1},
        "tags": {"costCenter": "ml"}}}
    assert a.rest() == []
