"""What reading one environment file may cost besides its size (loader.py): how much text
its aliases may copy, and how large a number it may hold.

An alias is charged what it copies: every value (the count budget, loader.py's
MAX_ALIAS_EXPANSION) and every byte of text, keys and strings (MAX_ALIAS_BYTES). A count
alone let one 800 KB string aliased 10,000 times through as 8 GB of label values, each
then quoted by a check, and a 450 KB waiver reason aliased as often made `plan` write
2 GiB. With both, the data of a file is at most its own 1 MiB plus 1 MiB of copies.
"""

from __future__ import annotations

from typing import Any

# Bytes of text (UTF-8) that aliases may copy, in total, per file: as much again as the
# file itself may hold. Real files alias a label map or a subscription's settings, a few
# hundred bytes, a few dozen times.
MAX_ALIAS_BYTES = 1024 * 1024
ALIAS_BYTES_MESSAGE = (f"aliases expand to more than {MAX_ALIAS_BYTES // 2**20} MiB of text "
                       f"({MAX_ALIAS_BYTES} bytes); this file looks like an alias bomb")

# The most digits an integer of a file may have. No field takes more than 20 (a GCP
# project number); Python refuses to turn more than 4,300 into a number or back into text
# (sys.get_int_max_str_digits), and a number of 100 digits is read and shown at no cost.
MAX_NUMBER_DIGITS = 100
# The longest text an integer may be written as before it is read at all: 100 digits in
# binary (0b and 333 bits) or with `_` between every digit fit in it.
MAX_NUMBER_TEXT = 4 * MAX_NUMBER_DIGITS
_LARGEST = 10**MAX_NUMBER_DIGITS


def text_bytes(text: str) -> int:
    """UTF-8 bytes of `text` (an ASCII string, the usual case, is not encoded)."""
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def size(value: Any) -> tuple[int, int]:
    """(values, bytes of text) that a copy of `value` holds: each scalar, list and mapping
    is a value; strings and keys count their UTF-8 bytes, other scalars the length of
    their JSON text (numbers are at most MAX_NUMBER_DIGITS digits by then)."""
    if isinstance(value, dict):
        values, nbytes = 1, 0
        for k, v in value.items():
            n, b = size(v)
            values, nbytes = values + n, nbytes + b + text_bytes(k)
        return values, nbytes
    if isinstance(value, list):
        values, nbytes = 1, 0
        for v in value:
            n, b = size(v)
            values, nbytes = values + n, nbytes + b
        return values, nbytes
    if isinstance(value, str):
        return 1, text_bytes(value)
    if value is None:
        return 1, 4  # null
    if isinstance(value, bool):
        return 1, 5 if not value else 4
    return 1, len(repr(value))


def too_large(text: str, value: int | None = None) -> bool:
    """Whether an integer written as `text` (and read as `value`, once it has been read)
    is beyond MAX_NUMBER_DIGITS digits."""
    if len(text) > MAX_NUMBER_TEXT:
        return True
    return value is not None and not -_LARGEST < value < _LARGEST
