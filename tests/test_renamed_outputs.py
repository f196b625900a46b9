"""`mlinfra outputs` keeps a renamed setting under its old name too (exports.py): a gcp
queue's one subscription was the output `<queue>.subscriptions.sub` and is now
`<queue>.subscriptions.default`. Each side of each condition, on settings written here."""

from __future__ import annotations

from mlinfra_compile.exports import keep_old_names, old_output_names

OLD, NEW = "JOBS_SUBSCRIPTIONS_SUB", "JOBS_SUBSCRIPTIONS_DEFAULT"
OUTPUTS = {"jobs": {"topic": "t", "subscriptions": {"default": "s"}}}
NOTE = (f"mlinfra: {OLD} is the old name of {NEW}, still written for applications that "
        f"read it; read {NEW}\n")


def test_only_a_gcp_queue_with_a_default_and_no_sub_was_renamed():
    assert old_output_names(OUTPUTS) == {"jobs.subscriptions.sub": "jobs.subscriptions.default"}
    both = {"jobs": {"topic": "t", "subscriptions": {"default": "s", "sub": "x"}}}
    assert old_output_names(both) == {}
    sqs = {"jobs": {"topic_arn": "t", "subscriptions": {"default": "s"}}}
    assert old_output_names(sqs) == {}


def test_the_old_name_is_written_beside_the_new_one():
    settings, notes = keep_old_names({NEW: "v", "A": "1"}, [], OUTPUTS)
    assert (settings, notes) == ({"A": "1", NEW: "v", OLD: "v"}, [NOTE])


def test_a_secret_new_name_keeps_its_old_name_secret_too():
    hidden = [NEW, "A_SECRET"]
    settings, notes = keep_old_names({}, hidden, OUTPUTS)
    assert (settings, hidden, notes) == ({}, ["A_SECRET", NEW, OLD], [NOTE])


def test_an_old_name_already_there_is_kept_as_it_is():
    assert keep_old_names({OLD: "mine", NEW: "v"}, [], OUTPUTS) == ({NEW: "v", OLD: "mine"}, [])
    hidden = [OLD]
    assert keep_old_names({NEW: "v"}, hidden, OUTPUTS) == ({NEW: "v"}, [])
    assert hidden == [OLD]


def test_nothing_is_written_for_a_new_name_that_is_not_there():
    assert keep_old_names({"A": "1"}, [], OUTPUTS) == ({"A": "1"}, [])


def test_each_renamed_output_is_looked_at_after_one_that_is_skipped():
    outputs = {**OUTPUTS, "work": {"topic": "u", "subscriptions": {"default": "d"}}}
    settings = {OLD: "mine", NEW: "v", "WORK_SUBSCRIPTIONS_DEFAULT": "w"}
    got, notes = keep_old_names(settings, [], outputs)
    assert got["WORK_SUBSCRIPTIONS_SUB"] == "w" and len(notes) == 1
