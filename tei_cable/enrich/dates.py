"""Dates and times: find them in the model and normalise them to ISO 8601 (``When`` spans).

Recognised (in English translations, with Chinese ``年月日`` dates):

- full dates: "11 July 1951", "July 11, 1951", "11th of July 1951", "11.07.1951", "1951-07-11";
  months and years: "July 1951", "in 1951";
- day and month without a year: "10 July", "July 10" (the year comes from the context);
- military date-times: "1750 11 July 1951", "1145 10 July", "1500 on 10 July", "00:35 on
  [17 December]", "20 hours 30 minutes local time 15.11";
- times: "at 0912", "at 10 o'clock", "at 10:30", "3 p.m.", "1500 hours", "06 hours 10
  minutes", dated by context;
- parts of a day: "the morning of 10 July 1951" (the day);
- ranges: "10–12 July 1951", "July 10–12", "from 10 to 12 July" (``from``/``to``), "between 10
  and 12 July" and "not later than 15 July" (``notBefore``/``notAfter``), "1950–1953".

Document numbers are never dates: the numbers enricher has already made them ``Number`` spans,
which no date crosses, and a number right after a number mark (``N°``, ``№``, ``No.``) or a slash
is never read as a time.

**Context.** A date without a year, or a time without a date, takes it from the letter it stands
in: the letter's own date (its closer or opener dateline, completed if need be), else the first
full date of its archival apparatus, else the date of the letter quoting it, else the record's
date. The year chosen puts the date nearest the context date, a day after it counting double
(letters mostly look back); ``cert`` says how sure that is (``high`` within a month,
``medium`` within half a year, ``low`` beyond), and
``evidence="internal"`` marks every value completed from the context.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..entities.inline import SEP, Stream, default_atomic, nested_lists
from ..model import Inline, Letter, Name, Record, When
from . import EnrichContext, FunctionEnricher
from .entities import Position, _letter_lists

# ------------------------------------------------------------------------------ patterns
MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_FULL_MONTHS = [m for m in MONTHS if len(m) > 4 or m in ("may", "june", "july")]
_ABBREVIATIONS = [m for m in MONTHS if m not in _FULL_MONTHS]
#: full month names (a full stop after them ends the sentence) and abbreviations ("Sept.")
_MONTH_ALT = "|".join(
    [
        *sorted((m.capitalize() for m in _FULL_MONTHS), key=len, reverse=True),
        *sorted((m.upper() for m in _FULL_MONTHS if len(m) > 3), key=len, reverse=True),
        *(rf"{m.capitalize()}\.?" for m in sorted(_ABBREVIATIONS, key=len, reverse=True)),
    ]
)
_ROMAN_MONTHS = {
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "VI": 6,
    "VII": 7,
    "VIII": 8,
    "IX": 9,
    "X": 10,
    "XI": 11,
    "XII": 12,
}
_CJK_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CJK_NUMBER = "[〇零一二三四五六七八九十]"


def _month(name: str) -> str:
    return rf"(?P<{name}>{_MONTH_ALT})"


def _day(name: str) -> str:
    return rf"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"


def _year(name: str) -> str:
    return rf"(?P<{name}>1[89]\d\d|20\d\d)"


_HHMM = r"(?P<hh>[01]\d|2[0-3])(?P<mm>[0-5]\d)"
_HH_MM = r"(?P<hh>[01]?\d|2[0-3])[:.](?P<mm>[0-5]\d)"
_NB = r"(?<![\w/.,№°#-])"  # not glued to a number, a slash or a number mark
_NA = r"(?![\w/°-]|\.\d)"  # not followed by more of a number
_DMY = rf"{_day('d')}\s+(?:of\s+)?{_month('m')}(?:,?\s+{_year('y')})?"
_MDY = rf"{_month('m')}\s+{_day('d')}(?:st|nd|rd|th)?(?:,?\s+{_year('y')})?"
_HOURS = r"(?:\s*(?:hrs?\.?|hours))"
#: a time in words: "06 hours 10 minutes" (a line may break inside it)
_HOURS_MINUTES = (
    r"(?P<hh>[01]?\d|2[0-3])\s+(?:hours?|HOURS?)\s+(?P<mm>[0-5]?\d)\s+(?:minutes?|MINUTES?)\b"
)

_PART_OF_DAY = r"(?:(?:the|The)\s+)?(?:morning|afternoon|evening|night)\s+of\s+"
_WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|MONDAY|TUESDAY|WEDNESDAY|"
    r"THURSDAY|FRIDAY|SATURDAY|SUNDAY),?\s+"
)
_TO = r"(?:[-–—]|to|until|till|through|thru)"
_HHMM2 = r"(?P<hh>[01]\d|2[0-3])[:.](?P<mm>[0-5]\d)"

#: (name, pattern); groups: d, m, y (date), hh, mm (time), d2, m1, m2, y1 (ranges), ap (a.m.,
#: p.m.); when a pattern has a group ``t``, only that group becomes the date ("at 0912")
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        # 1750 11 July 1951 · 1145 10 July · 1500 on 10 July · 1500 hours on July 10
        ("military", rf"{_NB}{_HHMM}{_HOURS}?\s+(?:on\s+)?{_DMY}{_NA}"),
        ("military-mdy", rf"{_NB}{_HHMM}{_HOURS}?\s+on\s+{_MDY}{_NA}"),
        # 00:35 on [17 December] · 19:35 [16 December] (a date an editor supplied)
        (
            "military-colon",
            rf"{_NB}{_HH_MM}{_HOURS}?\s+(?:on\s+)?(?P<open>\[)?{_DMY}(?(open)\]){_NA}",
        ),
        # 20 hours 30 minutes local time 15.11 · 06 hours 10 minutes
        (
            "hours-minutes-date",
            rf"{_NB}{_HOURS_MINUTES}(?:\s+local\s+time)?\s+"
            rf"(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)(?:\.(?P<y>1[89]\d\d|20\d\d))?{_NA}",
        ),
        # 10 July 1951, 15.00 · 10 July 1951 at 15:00 · 10 July 1951 1500 hrs
        ("date-time", rf"{_NB}{_DMY},?\s+(?:at\s+)?{_HHMM2}{_HOURS}?{_NA}"),
        ("date-time-hours", rf"{_NB}{_DMY},?\s+(?:at\s+)?{_HHMM}{_HOURS}{_NA}"),
        # the morning of 10 July 1951 · the evening of July 10
        ("part-of-day", rf"{_PART_OF_DAY}{_DMY}{_NA}"),
        # Wednesday, 9 March · Monday, July 10
        ("weekday-dmy", rf"{_WEEKDAY}{_DMY}{_NA}"),
        ("weekday-mdy", rf"{_WEEKDAY}{_MDY}{_NA}"),
        # 28.11.62 19:25 · 06.03.1976/03:00
        (
            "numeric-time",
            rf"{_NB}(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>1[89]\d\d|20\d\d|\d\d)(?:\s+|/)"
            rf"{_HH_MM}{_NA}",
        ),
        # between 1000 and 1130 hours · from 1000 to 1130 hours
        (
            "time-range",
            rf"(?:between|Between|from|From)\s+{_HHMM}\s+(?:and|to|until|till)\s+"
            rf"(?P<hh2>[01]\d|2[0-3])(?P<mm2>[0-5]\d){_HOURS}?{_NA}",
        ),
        ("part-of-day-mdy", rf"{_PART_OF_DAY}{_MDY}{_NA}"),
        # ranges
        (
            "range-dm",
            rf"{_NB}(?:from\s+)?{_day('d')}\s*{_TO}\s*{_day('d2')}"
            rf"\s+{_month('m')}(?:,?\s+{_year('y')})?{_NA}",
        ),
        (
            "range-md",
            rf"{_NB}{_month('m')}\s+{_day('d')}\s*[-–—]\s*{_day('d2')}"
            rf"(?:,?\s+{_year('y')})?{_NA}",
        ),
        (
            "range-dmdm",
            rf"{_NB}(?:from\s+)?{_day('d')}\s+{_month('m1')}(?:\s+{_year('y1')})?"
            rf"\s*{_TO}\s*{_day('d2')}\s+{_month('m')}"
            rf"(?:,?\s+{_year('y')})?{_NA}",
        ),
        (
            "between",
            rf"(?:between|Between)\s+{_day('d')}(?:\s+{_month('m1')})?\s+and\s+"
            rf"{_day('d2')}\s+{_month('m')}(?:,?\s+{_year('y')})?{_NA}",
        ),
        ("not-after", rf"(?:not|no|Not|No)\s+later\s+than\s+{_DMY}{_NA}"),
        ("not-before", rf"(?:not|no|Not|No)\s+earlier\s+than\s+{_DMY}{_NA}"),
        ("range-years", rf"{_NB}{_year('y1')}\s*[-–—]\s*{_year('y')}{_NA}"),
        # dates
        ("dmy", rf"{_NB}{_DMY}{_NA}"),
        ("mdy", rf"{_NB}{_MDY}{_NA}"),
        ("numeric", rf"{_NB}(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>1[89]\d\d|20\d\d|\d\d){_NA}"),
        ("iso", rf"{_NB}(?P<y>1[89]\d\d|20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d){_NA}"),
        ("cjk", r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
        (
            "cjk-numerals",
            rf"(?:(?P<y>{_CJK_NUMBER}{{4}})年)?(?P<m>{_CJK_NUMBER}{{1,2}})月"
            rf"(?P<d>{_CJK_NUMBER}{{1,3}})[日号]",
        ),
        (
            "roman-month",
            rf"{_NB}(?P<d>[0-3]?\d)\.(?P<m>XII|XI|IX|X|VIII|VII|VI|IV|V|III|II|I)\."
            rf"(?P<y>1[89]\d\d|20\d\d|\d\d){_NA}",
        ),
        ("month-year", rf"{_NB}{_month('m')},?\s+{_year('y')}{_NA}"),
        # January this year
        ("month-this-year", rf"{_NB}{_month('m')}\s+(?:of\s+)?this\s+year\b"),
        # until 1900: a year, or in a letter of 1960 seven in the evening
        (
            "year-or-time",
            rf"(?<![\w])(?:until|till|by|before|after|since|Until|By|Before|After)\s+"
            rf"(?P<t>{_year('y')})(?!{_HOURS}|[\w/°-]|\.\d)",
        ),
        (
            "year",
            rf"(?<![\w])(?:in|In|of|Since|during|from|From)\s+"
            rf"(?P<t>{_year('y')})(?!{_HOURS}|[\w/°-]|\.\d)",
        ),
        # times
        ("at-time", rf"(?<![\w])(?:at|At|AT)\s+(?P<t>{_HHMM}{_HOURS}?){_NA}"),
        ("at-time-colon", rf"(?<![\w])(?:at|At|AT)\s+(?P<t>{_HH_MM}{_HOURS}?){_NA}"),
        ("oclock", rf"{_NB}(?P<hh>[01]?\d|2[0-3])\s+o['’]clock"),
        (
            "ampm",
            rf"{_NB}(?P<hh>1[0-2]|0?[1-9])(?:[:.](?P<mm>[0-5]\d))?\s*"
            r"(?P<ap>a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b)",
        ),
        ("hours", rf"{_NB}{_HHMM}{_HOURS}{_NA}"),
        ("hours-minutes", rf"{_NB}{_HOURS_MINUTES}"),
    )
)
_TIMES = frozenset({"at-time", "at-time-colon", "oclock", "ampm", "hours", "hours-minutes"})
#: number marks: what follows them is a document number, never a date or time
NUMBER_MARK_RE = re.compile(r"(?:N°|№|Nº|No\.?|Nr\.?|#)$")


# ------------------------------------------------------------------------------ parsed values
@dataclass(slots=True)
class Parsed:
    """A date or time as found: its parts, and what it is (point, range, bound)."""

    kind: str  # date | time
    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    end: Parsed | None = None  # the end of a range
    mode: str = "point"  # point | range | between | not-after | not-before
    weekday: int | None = None  # 0 Monday … 6 Sunday, where the text names the day

    @property
    def has_date(self) -> bool:
        return self.month is not None or self.year is not None

    @property
    def full(self) -> bool:
        return None not in (self.year, self.month, self.day)


@dataclass(slots=True)
class Found:
    """One date or time of a letter: the ``When`` node it became and its parsed value."""

    node: When
    parsed: Parsed
    role: str | None
    group: int = 0  # the inline list it stands in: a time takes a date written before it there


def _after_number_mark(text: str, start: int) -> bool:
    """A number mark ends just before ``start`` (spaces between): read back from ``start``
    only, never the whole text before it (a paragraph of thousands of dates stays linear)."""
    k = start
    while k > 0 and text[k - 1].isspace():
        k -= 1
    return NUMBER_MARK_RE.search(text, max(0, k - 3), k) is not None


def find_dates(text: str) -> list[tuple[int, int, Parsed]]:
    """Dates and times in ``text``: ``(start, end, parsed)``, not overlapping, leftmost and
    then longest first."""
    candidates: list[tuple[int, int, Parsed]] = []
    for name, pattern in PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span("t") if "t" in pattern.groupindex else m.span()
            if _after_number_mark(text, start):
                continue
            parsed = _parse(name, m)
            if parsed is not None:
                candidates.append((start, end, parsed))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    kept: list[tuple[int, int, Parsed]] = []
    for cand in candidates:
        if (not kept or cand[0] >= kept[-1][1]) and SEP not in text[cand[0] : cand[1]]:
            kept.append(cand)
    return kept


def _group(m: re.Match[str], *names: str) -> str | None:
    for name in names:
        if name in m.re.groupindex and m.group(name) is not None:
            return m.group(name)
    return None


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    if value.isdigit() and value.isascii():
        return int(value)
    return _cjk_int(value)


def _cjk_int(value: str) -> int | None:
    """一九五〇 → 1950 (digit by digit); 十五 → 15, 二十八 → 28 (with 十)."""
    if "十" not in value:
        digits = [_CJK_DIGITS.get(c) for c in value]
        if None in digits:
            return None
        return int("".join(str(d) for d in digits))
    tens, _, units = value.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    tens_value = _CJK_DIGITS.get(tens, 0) if tens else 1
    return tens_value * 10 + (_CJK_DIGITS.get(units, 0) if units else 0)


def _month_number(value: str | None) -> int | None:
    if value is None:
        return None
    if value in _ROMAN_MONTHS:
        return _ROMAN_MONTHS[value]
    if value.isdigit() and value.isascii():
        return int(value)
    number = MONTHS.get(value.rstrip(".").casefold())
    return number if number is not None else _cjk_int(value)


def _parse(name: str, m: re.Match[str]) -> Parsed | None:
    day = _int(_group(m, "d"))
    month = _month_number(_group(m, "m"))
    year = _int(_group(m, "y"))
    if name in ("numeric", "numeric-time", "roman-month") and year is not None and year < 100:
        year += 1900
    hour = _int(_group(m, "hh"))
    minute = _int(_group(m, "mm"))
    if name == "oclock":
        minute = 0
    if name == "ampm":
        minute = minute or 0
        pm = m.group("ap").lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)  # type: ignore[operator]
    kind = "time" if name in _TIMES else "date"
    parsed = Parsed(kind, year, month, day, hour, minute)
    if name in ("range-dm", "range-md", "range-dmdm", "between"):
        parsed.month = _month_number(_group(m, "m1")) or month
        parsed.year = _int(_group(m, "y1")) or year
        parsed.end = Parsed("date", year, month, _int(m.group("d2")))
        parsed.mode = "between" if name == "between" else "range"
    elif name == "range-years":
        parsed.year = _int(m.group("y1"))
        parsed.end = Parsed("date", year)
        parsed.mode = "range"
    elif name in ("not-after", "not-before"):
        parsed.mode = name
    elif name == "time-range":
        parsed.kind = "time"
        parsed.end = Parsed("time", hour=_int(m.group("hh2")), minute=_int(m.group("mm2")))
        parsed.mode = "range"
    elif name == "month-this-year":
        parsed.mode = "this-year"
    elif name == "year-or-time":
        text = m.group("t")
        parsed.hour, parsed.minute = int(text[:2]), int(text[2:])
        parsed.mode = "year-or-time"
        if parsed.hour > 23 or parsed.minute > 59:
            parsed.hour = parsed.minute = None
            parsed.mode = "point"
    if name.startswith("weekday-"):
        parsed.weekday = _WEEKDAYS.index(m.group().split()[0].rstrip(",").casefold())
    if not _valid(parsed) or (parsed.end is not None and not _valid(parsed.end)):
        return None
    if parsed.weekday is not None and parsed.full and _as_date(parsed).weekday() != parsed.weekday:
        return None  # a weekday that does not fit the date: not read as one
    return parsed


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _valid(p: Parsed) -> bool:
    if p.month is not None and not 1 <= p.month <= 12:
        return False
    if p.day is not None:
        if p.month is None or not 1 <= p.day <= 31:
            return False
        try:
            dt.date(p.year or 2000, p.month, p.day)  # 2000: a leap year, for 29 February
        except ValueError:
            return False
    return p.hour is None or (0 <= p.hour <= 23 and 0 <= (p.minute or 0) <= 59)


#: a number that is a year in one document and a time of day in another ("until 1900") is a
#: time when the year would lie this many years or more from the document's date
YEAR_OR_TIME_DISTANCE = 25


# ------------------------------------------------------------------------------ the enricher
def mark_dates(record: Record, context: EnrichContext | None = None) -> None:
    """Mark and normalise the dates and times of every letter of ``record``."""
    found: dict[int, list[Found]] = {}
    for letter in record.letters():
        items: list[Found] = []
        for inlines, position in _letter_lists(letter):
            _mark_list(inlines, position, items)
        found[id(letter)] = items
    for note in record.footnotes:  # notes are dated like the document they annotate
        _mark_list(note.children, Position("note", note.line), found[id(record.document)])
    record_date = _record_date(record)
    _resolve(record.document, found, record_date)


#: the enricher, for :func:`tei_cable.enrich.run_enrichers`
ENRICHER = FunctionEnricher("dates", 400, mark_dates)


def _atomic(node: Inline) -> str:
    """Names are never part of a date; superscripts and supplied text are ("195[1]")."""
    if isinstance(node, Name):
        return SEP
    return default_atomic(node)


def _mark_list(inlines: list[Inline], position: Position, items: list[Found]) -> None:
    """Dates of a list, outermost first: a date that runs into a supplied part ("00:35 on
    [17 December]") is one date; a date wholly inside a bracket stays inside it."""

    def visit(spans: list[Inline]) -> list[Inline]:
        stream = Stream(spans, _atomic)
        made: list[tuple[int, int, Callable[[list[Inline]], Inline]]] = []
        for start, end, parsed in find_dates(stream.text):
            if stream.can_wrap(start, end) and not _inside_one_node(stream, start, end):
                made.append((start, end, _maker(parsed, position, items, id(spans))))
        return stream.wrap(made) if made else spans

    _outer_first(inlines, visit)


def _outer_first(inlines: list[Inline], visit: Callable[[list[Inline]], list[Inline]]) -> None:
    inlines[:] = visit(inlines)
    for node in inlines:
        if not isinstance(node, When):
            for children in nested_lists(node):
                _outer_first(children, visit)


def _inside_one_node(stream: Stream, start: int, end: int) -> bool:
    """The span lies within one node that is not text (found again in its own list)."""
    piece = stream.piece_at(start)
    return piece is not None and not piece.splittable and end <= piece.end


def _maker(
    parsed: Parsed, position: Position, items: list[Found], group: int
) -> Callable[[list[Inline]], Inline]:
    def make(nodes: list[Inline]) -> Inline:
        node = When(parsed.kind, nodes)
        items.append(Found(node, parsed, position.role, group))
        return node

    return make


def _record_date(record: Record) -> dt.date | None:
    for _start, _end, parsed in find_dates(record.date or ""):
        if parsed.full:
            return dt.date(parsed.year, parsed.month, parsed.day)  # type: ignore[arg-type]
    return None


@dataclass
class _Context:
    date: dt.date | None
    items: list[Found] = field(default_factory=list)


def _resolve(
    letter: Letter, found: dict[int, list[Found]], outer: dt.date | None, quoted: bool = False
) -> None:
    """Complete and write the values of one letter's dates, then of the letters it quotes.

    A quoted letter is not later than the letter quoting it: the year its own date (its
    dateline) takes from the context is one that keeps it so."""
    items = found.get(id(letter), [])
    # the year anchor: the first full date of the letter's datelines, then of its apparatus
    ranked = sorted(items, key=lambda f: _RANK.get(f.role, 9))
    anchor = next((f for f in ranked if f.parsed.full), None)
    reference = _as_date(anchor.parsed) if anchor else outer
    # the letter's own date: its dateline, completed from the reference
    own = next((f for f in ranked if f.role in ("dateline",) and f.parsed.has_date), None)
    latest = outer if quoted else None
    letter_date = _complete(own.parsed, reference, latest)[0] if own else None
    context_date = letter_date or reference
    section: dt.date | None = None  # a dated heading (a diary entry) dates what follows it
    written: dict[int, dt.date] = {}  # the last full date of each inline list
    for item in items:
        if item.role == "heading" and item.parsed.full and item.parsed.mode == "point":
            section = _as_date(item.parsed)
        before = written.get(item.group) if not item.parsed.has_date else None
        _write(
            item,
            section or reference,
            before or section or context_date,
            latest if item.role == "dateline" else None,
        )
        if item.parsed.full and item.parsed.mode == "point":
            written[item.group] = _as_date(item.parsed)
    for child in letter.nested():
        _resolve(child, found, context_date, quoted=True)


_RANK = {"dateline": 0, "apparatus": 1}


def _as_date(p: Parsed) -> dt.date:
    return dt.date(p.year, p.month, p.day)  # type: ignore[arg-type]


def _complete(
    p: Parsed, reference: dt.date | None, latest: dt.date | None = None
) -> tuple[dt.date | None, str | None]:
    """The day of ``p`` with a year from ``reference`` if it lacks one (not after ``latest``),
    and how sure."""
    if p.month is None or p.day is None:
        return None, None
    if p.year is not None:
        return dt.date(p.year, p.month, p.day), None
    if reference is None:
        return None, None
    best: tuple[int, int, dt.date] | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            day = dt.date(year, p.month, p.day)
        except ValueError:
            continue
        if p.weekday is not None and day.weekday() != p.weekday:
            continue  # "Wednesday, 9 March": only a year where 9 March is a Wednesday
        if latest is not None and day > latest:
            continue  # a quoted letter's date: not after the letter quoting it
        delta = (day - reference).days
        # letters mostly look back: a day ahead of the context counts double
        score = 2 * delta if delta > 0 else -delta
        if best is None or score < best[0]:
            best = (score, abs(delta), day)
    if best is None:
        return None, None
    cert = "high" if best[1] <= 31 else "medium" if best[1] <= 183 else "low"
    return best[2], cert


def _iso(
    p: Parsed, reference: dt.date | None, context: dt.date | None, latest: dt.date | None = None
) -> tuple[str | None, str | None, bool]:
    """ISO value of one point, its cert, and whether part of it came from the context."""
    time = f"{p.hour:02d}:{p.minute or 0:02d}:00" if p.hour is not None else None
    if not p.has_date:
        if time is None:
            return None, None, False
        if context is None:
            return time, None, False
        return f"{context.isoformat()}T{time}", "medium", True
    if p.day is None:
        if p.year is None:  # "January this year"
            if context is None:
                return None, None, False
            return f"{context.year:04d}-{p.month:02d}", None, True
        value = f"{p.year:04d}" if p.month is None else f"{p.year:04d}-{p.month:02d}"
        return value, None, False
    day, cert = _complete(p, reference, latest)
    if day is None:
        return None, None, False
    value = day.isoformat() if time is None else f"{day.isoformat()}T{time}"
    return value, cert, cert is not None


def _write(
    item: Found,
    reference: dt.date | None,
    context: dt.date | None,
    latest: dt.date | None = None,
) -> None:
    p, node = item.parsed, item.node
    if p.mode == "year-or-time":
        near = context or reference
        if near is not None and abs((p.year or 0) - near.year) >= YEAR_OR_TIME_DISTANCE:
            node.kind = "time"
            p = Parsed("time", hour=p.hour, minute=p.minute)
        else:
            p = Parsed("date", year=p.year)
        item.parsed = p
    value, cert, inferred = _iso(p, reference, context, latest)
    if value is None:
        return
    if p.end is not None:
        end_ref = _complete(p, reference)[0] or reference
        end_value, end_cert, end_inferred = _iso(p.end, end_ref, context)
        if end_value is None:
            return
        if p.mode == "between":
            node.not_before, node.not_after = value, end_value
        else:
            node.from_, node.to = value, end_value
        cert = _weakest(cert, end_cert)
        inferred = inferred or end_inferred
    elif p.mode == "not-after":
        node.not_after = value
    elif p.mode == "not-before":
        node.not_before = value
    else:
        node.when = value
    node.cert = cert
    node.evidence = "internal" if inferred else None


def _weakest(a: str | None, b: str | None) -> str | None:
    order = {"low": 0, "medium": 1, "high": 2}
    values = [v for v in (a, b) if v is not None]
    return min(values, key=order.__getitem__) if values else None
