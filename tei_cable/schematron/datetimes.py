"""Whether a string casts to an XSD date or time type, as XPath 2.0's ``castable as`` says.

The rules are XSD 1.0's as elementpath applies them in its XPath 2.0 parser (the engine's
reference): the value is stripped of surrounding whitespace; years have four digits or more
(no leading zero beyond four), are never ``0000`` and may be negative; the day must exist in
that month of that year (negative years follow the same leap rule as positive ones); hours
run to 23, or 24 with zero minutes and seconds; fractions of a second take any number of
digits; a time zone is ``Z`` or an offset up to 14:00; a year beyond 2**31 does not cast.
"""

from __future__ import annotations

import re

_TZ = r"(?P<tzinfo>Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$"
_YEAR = r"(?P<year>-?[0-9]*[0-9]{4})"
_TIME = r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?"
_SOURCES = {
    "dateTime": rf"^{_YEAR}-(?P<month>[0-9]{{2}})-(?P<day>[0-9]{{2}})(T{_TIME}){_TZ}",
    "date": rf"^{_YEAR}-(?P<month>[0-9]{{2}})-(?P<day>[0-9]{{2}}){_TZ}",
    "gYearMonth": rf"^{_YEAR}-(?P<month>[0-9]{{2}}){_TZ}",
    "gYear": rf"^{_YEAR}{_TZ}",
    "time": rf"^{_TIME}{_TZ}",
}
TYPES = frozenset(_SOURCES)
_PATTERNS: dict[str, re.Pattern[str]] = {}  # compiled when first used


def castable(value: str, type_name: str) -> bool:
    """Whether ``value`` casts to ``xs:type_name`` (one of :data:`TYPES`)."""
    pattern = _PATTERNS.get(type_name)
    if pattern is None:
        pattern = _PATTERNS[type_name] = re.compile(_SOURCES[type_name])
    found = pattern.match(value.strip())
    if found is None:
        return False
    parts = found.groupdict()
    year = 2000
    if parts.get("year") is not None:
        digits = parts["year"].lstrip("-")
        if digits.startswith("0") and len(digits) > 4:
            return False
        year = int(parts["year"])
        if year == 0:
            return False
        if abs(year) > 2**31:
            return False
    month = int(parts["month"]) if parts.get("month") is not None else 1
    day = int(parts["day"]) if parts.get("day") is not None else 1
    if not 1 <= month <= 12:
        return False
    if not 1 <= day <= _days_in_month(year, month):
        return False
    if parts.get("hour") is not None:
        hour, minute, second = (int(parts[k]) for k in ("hour", "minute", "second"))
        fraction = int((parts["fraction"] or "0")[:6])
        if hour == 24 and minute == second == fraction == 0:
            return True
        if hour > 23 or minute > 59 or second > 59:
            return False
    return True


def _days_in_month(year: int, month: int) -> int:
    """Days in ``month`` of the proleptic Gregorian ``year`` (XSD's calendar)."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31
