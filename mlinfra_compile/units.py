"""Durations and sizes as users write them, parsed to seconds and bytes."""

from __future__ import annotations

import re
from functools import lru_cache

# Parts in a fixed order, no spaces: 90s, 1d, 1h30m, 2d12h. A bare integer is seconds.
DURATION_PATTERN = r"^(?=[0-9])(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?$"
SIZE_PATTERN = r"^[0-9]+(?:B|KiB|MiB|GiB)$"
DURATION_FORMS = "an integer number of seconds, or parts Nd Nh Nm Ns in that order (90s, 1d, 1h30m)"
SIZE_FORMS = "an integer number of bytes, or N followed by B, KiB, MiB or GiB (256KiB, 1GiB)"
# The longest duration or size written as text: the schema's maxLength of those fields, and
# what these functions read (a longer one is None, never a number). The longest any field
# takes is far shorter (31 days, Pub/Sub's longest retention, is 2678400 seconds: 7
# characters); Python refuses to read more than 4,300 digits (sys.get_int_max_str_digits).
MAX_LENGTH = 32


def whole(pattern: str) -> str:
    """`^...$` as a JSON Schema pattern that matches the whole value in ECMA-262 and in
    Python's re alike (see schema.whole_values)."""
    return pattern + r"(?!\n)" if pattern.endswith("$") and not pattern.endswith(
        r"\$") else pattern


_DURATION = re.compile(r"^(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$")
_SIZE = re.compile(r"^([0-9]+)(B|KiB|MiB|GiB)$")
_SIZE_UNITS = {"B": 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}
_DURATION_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))

KIB = 1024
MIB = 1024**2
GIB = 1024**3


def _count(value: object) -> int | None:
    """A bare number of seconds or bytes: a non-negative whole number, not a boolean."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    return None


def parse_duration(value: object) -> int | None:
    """Seconds, or None when `value` is not a duration (the schema reports the form)."""
    if not isinstance(value, str):
        return _count(value)
    return _duration_text(value)


@lru_cache(maxsize=1024)  # the same few durations recur in every file of a repository
def _duration_text(value: str) -> int | None:
    if not value or len(value) > MAX_LENGTH:
        return None
    m = _DURATION.fullmatch(value)
    if not m or not any(m.groups()):
        return None
    d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


def parse_size(value: object) -> int | None:
    """Bytes, or None when `value` is not a size."""
    if not isinstance(value, str):
        return _count(value)
    if len(value) > MAX_LENGTH:
        return None
    m = _SIZE.fullmatch(value)
    return int(m.group(1)) * _SIZE_UNITS[m.group(2)] if m else None


def format_duration(seconds: int) -> str:
    """The shortest canonical form: 5400 -> 1h30m, 0 -> 0s."""
    if seconds == 0:
        return "0s"
    out = ""
    for unit, size in _DURATION_UNITS:
        n, seconds = divmod(seconds, size)
        if n:
            out += f"{n}{unit}"
    return out


def format_size(n: int) -> str:
    for unit in ("GiB", "MiB", "KiB"):
        if n % _SIZE_UNITS[unit] == 0 and n >= _SIZE_UNITS[unit]:
            return f"{n // _SIZE_UNITS[unit]}{unit}"
    return f"{n}B"


# What people write instead of the accepted units, mapped to what they most likely mean.
_SIZE_WORDS = {"b": "B", "k": "KiB", "kb": "KiB", "ki": "KiB", "kib": "KiB", "m": "MiB",
               "mb": "MiB", "mi": "MiB", "mib": "MiB", "g": "GiB", "gb": "GiB", "gi": "GiB",
               "gib": "GiB"}
_DURATION_WORDS = {"d": "d", "day": "d", "days": "d", "h": "h", "hr": "h", "hrs": "h",
                   "hour": "h", "hours": "h", "m": "m", "min": "m", "mins": "m",
                   "minute": "m", "minutes": "m", "s": "s", "sec": "s", "secs": "s",
                   "second": "s", "seconds": "s"}


def suggest_size(text: str) -> str | None:
    """`1GB` -> `1GiB`, `512 mb` -> `512MiB`; None when there is no obvious reading."""
    if len(text) > 2 * MAX_LENGTH:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*([A-Za-z]+)\s*", text)
    if m is None:
        return None
    unit = _SIZE_WORDS.get(m.group(2).lower())
    return f"{_ascii(m.group(1))}{unit}" if unit else None


def _ascii(digits: str) -> str:
    """Digits of any script (`\\d` in Python's re: `２`, `٣`) as the ASCII ones the
    schema takes ([0-9], as JSON Schema's ECMA-262 `\\d` is)."""
    return "".join(str(int(d)) for d in digits)


def suggest_duration(text: str) -> str | None:
    """`1 day` -> `1d`, `1h 30m` -> `1h30m`, `90 seconds` -> `90s`."""
    if len(text) > 2 * MAX_LENGTH:  # ("1 day 2 hours 30 minutes 15 seconds" is 35)
        return None
    parts = re.findall(r"(\d+)\s*([A-Za-z]+)", text)
    rest = re.sub(r"(\d+)\s*([A-Za-z]+)|[\s,]|and", "", text)
    if not parts or rest:
        return None
    units = [_DURATION_WORDS.get(u.lower()) for _, u in parts]
    if None in units or len(set(units)) != len(units):
        return None
    order = "dhms"
    pairs = sorted(zip(units, (n for n, _ in parts), strict=True),
                   key=lambda p: order.index(str(p[0])))
    return "".join(f"{_ascii(n)}{u}" for u, n in pairs)


# The days of `maintenance.day`, Monday first (as ElastiCache's windows and Memorystore's
# DayOfWeek enum count them).
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
