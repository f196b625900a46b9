"""budget.MAX_NUMBER_TEXT: the longest text an integer of a file may be written as before
it is read at all is 400 characters (4 x MAX_NUMBER_DIGITS); 401 is refused unread
(MLC112). Hand-worked: `0b` and 398 binary digits is 2 + 398 = 400 characters; with
leading zeros it is the number 1, far below 100 digits, so only its length can refuse
it."""

from __future__ import annotations

from mlinfra_compile.budget import MAX_NUMBER_TEXT, too_large
from tests.test_limits import parsed

AT_LIMIT = "0b" + "0" * 397 + "1"  # 400 characters: the number 1
OVER = "0b" + "0" * 398 + "1"  # 401 characters: the number 1


def test_the_limit_is_400_characters():
    assert (MAX_NUMBER_TEXT, len(AT_LIMIT), len(OVER)) == (400, 400, 401)


def test_a_number_written_in_exactly_400_characters_is_read():
    assert too_large(AT_LIMIT) is False
    assert too_large(AT_LIMIT, 1) is False
    assert parsed(f"n: {AT_LIMIT}\n") == []


def test_a_number_written_in_401_characters_is_refused_unread():
    assert too_large(OVER) is True
    shown = "'0b000000000000000000000000000000…' (401 characters)"
    assert parsed(f"n: {OVER}\n") == [
        (1, 4, "MLC112", "n", f"{shown} is a number too large to read: numbers here have "
                              "at most 100 digits; quote it if you meant text")]
