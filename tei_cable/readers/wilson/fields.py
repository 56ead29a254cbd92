"""Labelled fields of a document's head: ``FROM: Beijing``, ``Date: 06.03.1976/03:00``,
``Arrived: 28.11.62 19:25``, ``发报人：…``, and blocks whose value stands on the next lines
(``To:`` / ``The Prime Minister`` / ``Tokyo``).

Each label has a name (written as ``seg/@subtype``) and a role in the opener: ``sender``,
``addressee``, ``copies``, ``dateline`` (the date sent), ``subject``, ``number``, ``signed`` (a
signature field at the foot) or ``field`` (anything else: classification, priority, the date
received).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: label spellings → (field name, role); English labels match in any case
LABELS: tuple[tuple[str, str, str], ...] = (
    (r"sender|originator", "sender", "sender"),
    (r"from|发报人|发电人|发报单位|发电单位|发文单位|来电单位|发件人", "from", "sender"),
    (r"addressee|recipients?", "addressee", "addressee"),
    (r"to|收报人|收电人|收报单位|收电单位|收件人|受文单位|发往|主送", "to", "addressee"),
    (r"copies|copy|cc|copies\s+to|抄送|抄报", "copies", "copies"),
    (
        r"date\s+sent|time\s+sent|sent|发报时间|发电时间|发报日期|发出时间",
        "date-sent",
        "dateline",
    ),
    (
        r"date\s+received|time\s+received|received|arrived|收报时间|收电时间|到达时间|收到时间",
        "date-received",
        "field",
    ),
    (r"dispatched|forwarded|distributed", "dispatched", "field"),
    (r"date|日期|时间", "date", "dateline"),
    (r"time", "time", "dateline"),
    (r"place|地点", "place", "dateline"),
    (r"subject|re|concerning|事由|主题|标题", "subject", "subject"),
    (r"no\.?|n°|nº|№|number|编号", "number", "number"),
    (r"classification|密级", "classification", "field"),
    (r"urgency|priority|precedence|等级|急缓", "priority", "field"),
    (r"processed|deciphered|处理", "processed", "field"),
    (r"signed|签发人|签发", "signed", "signed"),
    (r"present|attendees|出席", "present", "field"),
)
_LABEL = "|".join(f"(?:{spelling})" for spelling, _, _ in LABELS)
#: a labelled field with its value on the same line: "Date: 16 March 1977", "FROM  Beijing"
FIELD_RE = re.compile(
    rf"^(?P<label>(?i:{_LABEL}))(?P<sep>\s*[:：]|\t|\s{{2,}}|(?<=[Rr]e)\.(?=\s))\s*(?P<value>\S.*)?$"
)
#: a label alone on its line, its value on the next lines: "To:", "FROM", "DATE SENT"
LABEL_LINE_RE = re.compile(
    rf"^(?P<label>(?i:{_LABEL})\s*[:：]|(?:FROM|TO|DATE\s+SENT|DATE\s+RECEIVED|SUBJECT|CC))\s*$"
)
_BY_SPELLING = tuple((re.compile(rf"^(?:{s})$", re.I), name, role) for s, name, role in LABELS)


@dataclass(frozen=True)
class Field:
    """A field found at the start of a line: its label as printed, its name and role."""

    label: str
    name: str
    role: str
    value_start: int  # where the value begins in the line (its length when it has none)


def _classify(label: str) -> tuple[str, str]:
    key = " ".join(label.rstrip(":：").split())
    for pattern, name, role in _BY_SPELLING:
        if pattern.match(key):
            return name, role
    return "-".join(key.lower().split()), "field"


def match_field(line: str) -> Field | None:
    """The labelled field a line starts with (a bare word such as "To" needs a colon, a tab or
    two spaces after it, or to stand alone in capitals)."""
    text = line.strip()
    match = FIELD_RE.match(text)
    if match is None:
        match = LABEL_LINE_RE.match(text)
        if match is None:
            return None
        name, role = _classify(match.group("label"))
        return Field(match.group("label"), name, role, len(text))
    label = match.group("label")
    spaced = match.group("sep").strip() == ""
    if spaced and not label.isupper() and not re.search(r"[^\x00-\x7f]", label):
        return None  # "To  the Minister" with two spaces is not a field unless in capitals
    name, role = _classify(label)
    start = match.start("value") if match.group("value") else len(text)
    return Field(label, name, role, start)


def is_label_line(line: str) -> bool:
    """A line that is only a label: its value follows on the next lines."""
    return bool(LABEL_LINE_RE.match(line.strip()))
