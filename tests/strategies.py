"""Hypothesis strategies: environment documents shaped like the schema, with wrong values
mixed in at every level, so generated documents reach deep into the compiler."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import strategies as st

from mlinfra_compile.schema import build_schema

SCHEMA = build_schema()

WORDS = ["90s", "1d", "1h30m", "90 s", "256KiB", "1GiB", "2GB", "basic", "standard_ha", "gold",
         "gcp", "aws", "never", "7.2", "6.x", "MLC501", "MLC510", "allkeys-lru", "rdb-1h",
         "sqs-managed", "kms:alias/x", "kms:", "cache.r7g.large", "us-central1", "us-east-1",
         "acme-ml-test", "123456789012", "short", "a reason long enough", "_base", "-1"]
leaf = st.one_of(st.none(), st.booleans(), st.integers(-3, 2_000_000),
                 st.sampled_from([0, 1, 4, 5, 6, 9, 10, 35, 36, 1000, 1001, 1.0, 5.0, 5.5]),
                 st.floats(allow_nan=False, allow_infinity=False, width=32),
                 st.sampled_from(WORDS), st.text(max_size=8))
anything = st.recursive(leaf, lambda c: st.lists(c, max_size=3)
                        | st.dictionaries(st.sampled_from(["x", "memory", "tier"]), c,
                                          max_size=2), max_leaves=6)
NAMES = st.sampled_from(["cache", "ml-jobs", "q", "Bad_Name", "trailing-", "a" * 41, "jobs"])


def resolve(s: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in s:
        node: Any = SCHEMA
        for part in s["$ref"][2:].split("/"):
            node = node[part]
        return dict(node)
    return s


def from_schema(s: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Documents shaped like the schema, with wrong values mixed in at every level."""
    if s.get("$ref") == "#/$defs/sdk_value":  # (any JSON, defined by itself)
        return anything
    s = resolve(s)
    options: list[st.SearchStrategy[Any]] = [leaf]
    if "enum" in s:
        options.append(st.sampled_from(s["enum"]))
    props = s.get("properties", {})
    if props:
        optional = {k: from_schema(v) for k, v in props.items()}
        optional["unknown-key"] = anything
        options.append(st.fixed_dictionaries({}, optional=optional))
    extra = s.get("additionalProperties")
    if isinstance(extra, dict):
        options.append(st.dictionaries(NAMES, from_schema(extra), max_size=3))
    if "items" in s:
        options.append(st.lists(from_schema(s["items"]), max_size=3))
    return st.one_of(options)




# --- documents that mostly make sense, to reach the providers' rules -------------------

DURATIONS = [0, 5, 30, "0s", "10s", "90s", "601s", "10m", "1h", "12h", "13h", "1d", "2d",
             "4d", "7d", "14d", "15d", "31d", "32d"]
SIZES = [512, 1024, "1KiB", "256KiB", "1MiB", "2MiB", "512MiB", "1GiB", "4GiB", "5GiB",
         "14GiB", "301GiB", "500GiB"]


def value_for(s: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Plausible values for one field (valid or just out of range), rarely anything."""
    s = resolve(s)
    title = s.get("title")
    if title == "Duration":
        good: st.SearchStrategy[Any] = st.sampled_from(DURATIONS)
    elif title == "Size":
        good = st.sampled_from(SIZES)
    elif title == "Size with unit":
        good = st.sampled_from([x for x in SIZES if isinstance(x, str)])
    elif "enum" in s:
        good = st.sampled_from([v for v in s["enum"] if v is not None])
    elif "properties" in s:
        need = set(s.get("required", ()))
        good = st.fixed_dictionaries(
            {k: value_for(v) for k, v in s["properties"].items() if k in need},
            optional={k: value_for(v) for k, v in s["properties"].items() if k not in need})
        if "boolean" in s.get("type", []):
            good = st.one_of(st.booleans(), good)
    elif "boolean" in s.get("type", []):
        good = st.booleans()
    elif "integer" in s.get("type", []):
        good = st.integers(s.get("minimum", 0), s.get("maximum", 100))
    elif "examples" in s:
        good = st.sampled_from(s["examples"])
    else:
        good = leaf
    # Junk in one field of about sixty (declarations gain fields with every issue): most
    # documents pass the schema and reach the provider rules; the schema-shaped strategy
    # above covers the junk.
    return st.integers(0, 59).flatmap(lambda i: leaf if i == 0 else good)


def declaration(defn: str, provider: str) -> st.SearchStrategy[dict[str, Any]]:
    """A declaration for one provider: its fields, rarely one the provider lacks."""
    from mlinfra_compile import language

    table = {"session_store": language.SESSION_STORE_FIELDS, "queue": language.QUEUE_FIELDS,
             "subscription": language.SUBSCRIPTION_FIELDS}[defn]
    props = SCHEMA["$defs"][defn]["properties"]
    fields = {k: value_for(v) for k, v in props.items()
              if k not in ("subscriptions", "previous_names", "labels", "provider")
              and (provider in table[k].providers or k == "region")}
    if defn == "queue":  # (on aws: an SNS fan-out)
        fields["subscriptions"] = st.dictionaries(
            st.sampled_from(["a", "trainers", "dlq", "sub"]),
            declaration("subscription", provider), max_size=3)
    fields["labels"] = st.dictionaries(st.sampled_from(["team", "Team", "environment", "x"]),
                                       st.sampled_from(["ml", "ml", "ml", "ML", "a/b", ""]),
                                       max_size=1)
    if "previous_names" in props:
        fields["previous_names"] = st.lists(st.sampled_from(["old-one", "jobs", "cache"]),
                                            max_size=2, unique=True)
    required = {"provider": st.just(provider)} if defn != "subscription" else {}
    return st.fixed_dictionaries(required, optional=fields)


# Stores and queues draw from separate pools: one name for both is MLC401, which would
# stop most documents before the providers' rules.
STORE_NAMES = st.sampled_from(["cache", "sessions", "features"])
QUEUE_NAMES = st.sampled_from(["jobs", "jobs-dlq", "events", "ml-training-queue"])
NAMES_OK = st.one_of(STORE_NAMES, QUEUE_NAMES)


@st.composite
def environments(draw: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    clouds = draw(st.sampled_from([("gcp",), ("aws",), ("gcp", "aws")]))
    providers: dict[str, Any] = {}
    if "gcp" in clouds:
        providers["gcp"] = draw(st.fixed_dictionaries(
            {"project": st.just("acme-ml-test")},
            optional={"region": st.just("us-central1"),
                      "project_number": st.just("123456789012")}))
    if "aws" in clouds:
        providers["aws"] = {"region": "us-east-1"}
    doc["providers"] = providers
    if len(clouds) == 2 and draw(st.booleans()):
        doc["default_provider"] = draw(st.sampled_from(clouds))
    doc["profile"] = draw(st.sampled_from(["development", "production"]))
    if draw(st.booleans()):
        doc["name_template"] = draw(st.sampled_from(
            ["{{ env }}-{{ name }}", "{{ name }}", "{{ env }}_{{ name | upper }}",
             "{{ env }}-{{ kind }}-{{ name }}-{{ provider }}-{{ profile }}"]))
    cloud = st.sampled_from(clouds)
    doc["session_stores"] = draw(st.dictionaries(
        STORE_NAMES, cloud.flatmap(lambda p: declaration("session_store", p)), min_size=1,
        max_size=2))
    doc["queues"] = draw(st.dictionaries(
        QUEUE_NAMES, cloud.flatmap(lambda p: declaration("queue", p)), min_size=1, max_size=3))
    if draw(st.booleans()):
        doc["waivers"] = draw(st.lists(st.fixed_dictionaries({
            "rule": st.sampled_from(["MLC501", "MLC502", "MLC503", "MLC504", "MLC505"]),
            "resource": NAMES_OK, "reason": st.just("a reason long enough")}), max_size=3))
    return doc


# How hard the fuzz tests look. In `make test` (and CI) each runs a third of its nominal
# examples (at least 20), the same ones on every run (derandomized: a failure names its
# falsifying example and reproduces); `make fuzz` (MLINFRA_FUZZ=1) runs ten times the
# nominal count, freshly random.
FUZZING = os.environ.get("MLINFRA_FUZZ") == "1"


def fuzz_settings(examples: int, **kw: object) -> object:
    """hypothesis settings for a fuzz test of `examples` nominal examples."""
    from hypothesis import settings

    n = examples * 10 if FUZZING else max(20, examples // 3)
    return settings(max_examples=n, deadline=None, derandomize=not FUZZING,
                    database=None if not FUZZING else settings.default.database, **kw)
