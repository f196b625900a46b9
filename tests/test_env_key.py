"""connections.env_key: the name `mlinfra outputs --format dotenv` gives a setting. It must
be a shell variable name (POSIX XBD 3.235 "Name": letters, digits and underscores, not
beginning with a digit), so a path beginning with a digit, or one with no characters at
all, gets a leading underscore; every other character that is not an ASCII letter or
digit becomes `_`. Expected names worked out by hand."""

from __future__ import annotations

import re

import pytest

from mlinfra_compile.connections import env_key

POSIX_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

ROWS = [
    ("ml-session-storage.host", "ML_SESSION_STORAGE_HOST"),
    ("1a.host", "_1A_HOST"),  # a digit, then a letter: still a leading digit
    ("9", "_9"),
    ("42.port", "_42_PORT"),
    ("", "_"),  # no characters at all
    ("a1.b", "A1_B"),  # a digit later on is fine
    ("_x", "_X"),
    ("-1", "_1"),  # `-` becomes `_`, which is a valid first character
    ("é.host", "__HOST"),  # non-ASCII letters are not in the portable set
]


@pytest.mark.parametrize(("path", "key"), ROWS)
def test_every_key_is_a_shell_name(path, key):
    assert env_key(path) == key
    assert POSIX_NAME.fullmatch(key)
