"""The names `mlinfra adopt` writes: each declaration's (adopt._unique, from the kebab-case
logical name, which holds only a-z, 0-9 and inner `-`), the words an output's name is
matched by (adopt._words), the Pulumi project the new stack is in (adopt._project_name),
and the YAML text of the file (adopt._yaml). A declaration name is language.NAME_PATTERN:
a lowercase letter first, a letter or digit last, 2..40 characters."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mlinfra_compile.adopt import _project_name, _unique, _words, _yaml
from mlinfra_compile.workspace import Workspace


class Asked(set[str]):
    """A set of taken names that refuses to be asked more than 50 times: a loop looking
    for a free name ends (it fails the test instead of running for ever)."""

    def __init__(self, *names: str) -> None:
        super().__init__(names)
        self.asked = 0

    def __contains__(self, name: object) -> bool:
        self.asked += 1
        assert self.asked <= 50, "the search for a free name does not end"
        return super().__contains__(name)


@pytest.mark.parametrize("base, expected", [
    ("ml-training-queue", "ml-training-queue"),
    ("a9x", "a9x"),                            # a letter first: kept
    ("9lives", "r-9lives"),                    # a digit first: `r-` before it
    ("", "r-0"),                               # nothing left of the name: r, then -0
    ("a", "a-0"),                              # one letter is too short: -0
    ("ab", "ab"),                              # two are enough
    ("a" * 45, "a" * 40),                      # at most 40
    ("a" * 39 + "-bbb", "a" * 39),             # cut at 40, then no `-` last
], ids=["kept", "letter-first", "digit-first", "empty", "one", "two", "long", "cut-hyphen"])
def test_a_free_name_is_the_logical_name_made_a_declaration_name(base, expected):
    taken = Asked()
    assert _unique(base, taken) == expected
    assert set(taken) == {expected}


@pytest.mark.parametrize("base, taken, expected", [
    ("queue", ("queue", "queue-2"), "queue-3"),
    ("a" * 40, ("a" * 40,), "a" * 36 + "-2"),            # 36 characters, then -N
    ("a" * 35 + "-bbbb", ("a" * 35 + "-bbbb",), "a" * 35 + "-2"),  # no `-` before -N
], ids=["third", "long", "cut-hyphen"])
def test_a_taken_name_is_numbered(base, taken, expected):
    names = Asked(*taken)
    assert _unique(base, names) == expected
    assert set(names) == {*taken, expected}


def test_words_are_lowercase_and_singular():
    assert _words("Redis_Instances.host") == ["redi", "instance", "host"]
    assert _words("--ml__sessions-URLS.") == ["ml", "session", "url"]
    assert _words("") == []


def pulumi_yaml(tmp_path: Path, text: str | None) -> Workspace:
    (tmp_path / "environments").mkdir()
    if text is not None:
        (tmp_path / "Pulumi.yaml").write_text(text)
    return Workspace(str(tmp_path))


@pytest.mark.parametrize("text, expected", [
    ("name: MLInfra_2.x-a\nruntime: python\n", "MLInfra_2.x-a"),  # [A-Za-z0-9_.-]
    ("name: my project\n", "old-ml"),      # a space: not a Pulumi project name
    ("name: " + "a" * 101 + "\n", "old-ml"),  # longer than 100
    ("name: 5\n", "old-ml"),               # not a string
    ("runtime: python\n", "old-ml"),       # no name
    ("- name: mlinfra\n", "old-ml"),       # not a mapping
    ("name: [\n", "old-ml"),               # not YAML
    (None, "old-ml"),                      # no Pulumi.yaml
], ids=["valid", "space", "too-long", "number", "no-name", "list", "not-yaml", "no-file"])
def test_the_project_is_pulumi_yamls_name_else_the_old_one(tmp_path, text, expected):
    assert _project_name(pulumi_yaml(tmp_path, text), "old-ml") == expected


def test_nothing_to_write_is_no_text():
    assert _yaml({}) == ""


def test_the_file_is_block_yaml_in_the_documents_order():
    assert _yaml({"b": 1, "a": {"c": [1]}}) == "b: 1\na:\n  c:\n  - 1\n"


def test_lines_are_broken_only_past_4096_columns():
    # PyYAML breaks a plain scalar at a space that lies past `width` columns. "k: " and
    # 4093 a's put the space at column 4096 (counting from 0): the line stays whole; one
    # more a puts it at 4097: the value goes on in the next line (the same value, read).
    value = "a" * 4093 + " b"
    assert _yaml({"k": value}) == "k: " + value + "\n"
    value = "a" * 4094 + " b"
    text = _yaml({"k": value})
    assert text == "k: " + "a" * 4094 + "\n  b\n"
    assert yaml.safe_load(text) == {"k": value}


def test_a_character_outside_ascii_is_escaped():
    text = _yaml({"k": "\u00e9"})
    assert text == 'k: "\\xE9"\n'
    assert yaml.safe_load(text) == {"k": "\u00e9"}
