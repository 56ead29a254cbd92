"""A record's front matter: the bold date-and-title block, addresses, ``**Label:**`` sections.

The grammar (one record)::

    record   = title-block? item* document trailing*
    item     = address | section
    address  = "<https://…>" on a line of its own
    section  = "**Label:**" newline content        (or "**Label:** value" for a known label)
    trailing = section                             (sections after the document, as the
                                                    archive's pages show them)

Items come in any order and number. A section's content runs to the next item; the last
section's content is what its grammar allows (:mod:`.sections`), and the document begins where
that ends. Where the decision rests on wording rather than shape, diagnostic ``R104`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...diagnostics import Severity, diagnostic
from ...findings import Finding
from ...model import Section
from . import sections as S
from .sections import BULLET_RE, URL_LINE_RE, Verdict

URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;)]")


@dataclass
class FrontMatter:
    """What one record's front matter says, and where its document lies (0-based lines).

    The record spans ``start:end``; its document ``body_start:body_end`` (sections after the
    document, if any, start at ``body_end``). ``next_start`` is set when sections after the
    document are followed by another document: a record without a title block begins there.
    """

    start: int = 0
    end: int = 0
    date: str = ""
    title: str = ""
    title_block: list[tuple[int, str]] = field(default_factory=list)
    addresses: list[tuple[int, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    body_start: int = 0
    body_end: int = 0
    next_start: int | None = None
    diagnostics: list[Finding] = field(default_factory=list)

    def section(self, *labels: str) -> Section | None:
        wanted = {label.lower() for label in labels}
        return next((s for s in self.sections if s.label.lower() in wanted and s.lines), None)


def _skip_blank(lines: Sequence[str], i: int, end: int) -> int:
    while i < end and not lines[i].strip():
        i += 1
    return i


def _is_item(line: str) -> bool:
    return S.heading(line) is not None or S.address(line) is not None


# -- records in one input ---------------------------------------------------------------------


def _twice(text: str, mark: str) -> bool:
    """``mark`` occurs at least twice in ``text`` (without overlapping), found in the time it
    takes to reach the second (a line of many marks is not counted whole for each)."""
    first = text.find(mark)
    return first >= 0 and text.find(mark, first + len(mark)) >= 0


#: lines a title block may span (a date line and a title that wraps, or holds a line break)
TITLE_BLOCK_LINES = 8


def title_block_end(lines: Sequence[str], i: int, end: int, *, strict: bool) -> int | None:
    """The line after a bold date-and-title block starting at ``i``, or None if there is none.

    The block is a paragraph of bold lines (``**July 11, 1951  `` / ``Cable, … to …**``, or
    ``**July 11, 1951**`` / ``**Cable, …**``): its lines up to a blank line or an item, at most
    :data:`TITLE_BLOCK_LINES`. It closes at the last of them that ends with a bold mark: bold
    marks inside the title are text of the title, not its end. ``strict`` asks that it closes.
    """
    if i >= end or not lines[i].lstrip().startswith("**") or S.heading(lines[i]):
        return None
    last = min(end, i + TITLE_BLOCK_LINES)
    closing = None
    j = i
    while j < last and lines[j].strip():
        if j > i and _is_item(lines[j]):
            break
        text = lines[j].rstrip()
        if text.endswith("**") and (j > i or _twice(text.strip(), "**")):
            closing = j
        j += 1
    if closing is not None:
        return closing + 1
    return None if strict else j


#: the date line that opens the archive's title blocks ("**July 11, 1951  ", "**c. 1950")
_TITLE_DATE_RE = re.compile(
    r"(?:c\.\s*)?\d{4}|[A-Z][a-z]+\s+\d{4}|(?:c\.\s*)?[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}"
)


def is_title_date(text: str) -> bool:
    """``text`` (a title block's first line without its bold marks) is a date as the archive
    writes it atop a record."""
    from .patterns import DATE_RE

    text = text.strip()
    return bool(_TITLE_DATE_RE.fullmatch(text) or DATE_RE.match(text))


class LineView(Sequence[str]):
    """The input's lines, with a line cut where two records run together inside it."""

    def __init__(self, lines: Sequence[str], cuts: dict[int, str] | None = None) -> None:
        self.lines = lines
        self.cuts = cuts or {}

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self.lines)))]
        return self.cuts.get(k, self.lines[k])


def _starts_record(lines: Sequence[str], i: int, end: int, *, dated: bool = False) -> int | None:
    """The end of the title block at ``i`` if it begins a record (an address or a section
    follows it), else None; ``dated`` asks that the block opens with a date line of its own."""
    block_end = title_block_end(lines, i, end, strict=True)
    if block_end is None:
        return None
    if not any(lines[k].replace("*", "").strip() for k in range(i, block_end)):
        return None  # bold marks with nothing between them ("****") title no record
    if dated and (block_end - i < 2 or not is_title_date(lines[i].strip().strip("*"))):
        return None
    nxt = _skip_blank(lines, block_end, end)
    return block_end if nxt < end and _is_item(lines[nxt]) else None


def record_starts(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Where records begin, as (line, column): each title block that opens with its date line,
    as the archive writes it (``**July 11, 1951  `` / ``Cable, … to …**``), followed by an
    address or a section.

    The first record begins at the top of the input whatever it holds. Files run together
    (``cat a.txt b.txt``) need no blank line between them, and a file without a final newline
    puts the next title block inside its last line: that record begins at its column. Inside a
    line a record begins only as the archive's records begin, with the date line of a title
    block (``text**July 11, 1951  `` / ``Cable, … to …**``); any other bold mark inside a line
    is text, and no record begins inside a title block.
    """
    end = len(lines)
    starts = [(0, 0)]
    text_since = False  # text since the last start: a title block before any is the first's
    i = 0
    while i < end:
        line = lines[i]
        if i and lines[i - 1].strip():
            text_since = True
        if line.lstrip().startswith("**"):
            later = bool(text_since and i)
            block_end = _starts_record(lines, i, end, dated=later)
            if block_end is not None:
                if later:
                    starts.append((i, 0))
                i = block_end  # the title's own lines begin no record
                continue
        block_end = _start_inside(lines, i, starts)
        i = i + 1 if block_end is None else block_end
    return starts


def _start_inside(lines: Sequence[str], i: int, starts: list[tuple[int, int]]) -> int | None:
    """A record that begins inside line ``i`` (after text without its final newline): append
    it to ``starts`` and return the line after its title block."""
    line, end = lines[i], len(lines)
    for mark in _OPENING_MARK_RE.finditer(line, 1):
        column = mark.start()
        if line[:column].strip() and is_title_date(line[column:].strip("*")):
            block_end = _starts_record(LineView(lines, {i: line[column:]}), i, end, dated=True)
            if block_end is not None:
                starts.append((i, column))
                return block_end
    return None


#: two bold marks before a character that is not one ("text****July": the last two open)
_OPENING_MARK_RE = re.compile(r"\*\*(?!\*)")


# -- one record -------------------------------------------------------------------------------


def read_front_matter(
    lines: Sequence[str], path: str | None = None, start: int = 0, end: int | None = None
) -> FrontMatter:
    """Read the front matter of the record at ``lines[start:end]``."""
    end = len(lines) if end is None else end
    reader = _Reader(lines, path, start, end)
    front = reader.read(position_rule=True)
    if not _has_text(lines, front.body_start, front.body_end) and reader.absorbed_body:
        # the paragraphs kept in a section because another section followed were the document
        reader = _Reader(lines, path, start, end)
        front = reader.read(position_rule=False)
    return front


def _has_text(lines: Sequence[str], start: int, end: int) -> bool:
    return any(line.strip() for line in lines[start:end])


class _Reader:
    def __init__(self, lines: Sequence[str], path: str | None, start: int, end: int) -> None:
        self.lines = lines
        self.path = path
        self.start = start
        self.end = end
        self.absorbed_body = False

    def note(self, code: str, message: str, line: int, severity=Severity.WARNING) -> None:
        self.front.diagnostics.append(
            diagnostic(code, message, severity=severity, line=line + 1, path=self.path)
        )

    def read(self, *, position_rule: bool) -> FrontMatter:
        lines, end = self.lines, self.end
        self.front = front = FrontMatter(start=self.start, end=end)
        i = _skip_blank(lines, self.start, end)
        block_end = title_block_end(lines, i, end, strict=False)
        if block_end is not None:
            self._title(i, block_end)
            i = block_end
        else:
            self.note("R101", "no bold date-and-title block at the top of the record", i)
        i, body_started = self._items(i, position_rule=position_rule)
        front.body_start = _skip_blank(lines, i, end) if not body_started else i
        front.body_end = end
        self._trailing()
        if not front.sections:
            self.note("R102", "no front-matter sections (**Citation:**, **Summary:** …)", i)
        return front

    # -- title block

    def _title(self, i: int, block_end: int) -> None:
        from .patterns import DATE_RE  # the format's vocabulary of dates

        block = [(k, self.lines[k].strip().strip("*").strip()) for k in range(i, block_end)]
        # every line of the block is the block's, a line of bold marks alone too
        self.front.title_block = [(k + 1, text) for k, text in block]
        block = [(k, text) for k, text in block if text]
        texts = [text for _, text in block]
        if texts and (
            DATE_RE.match(texts[0])
            or re.match(r"^(?:c\.\s*)?\d{4}\b", texts[0])
            or re.match(r"^[A-Z][a-z]+\s+\d{4}$", texts[0])
        ):
            self.front.date = texts[0]
            texts = texts[1:]
        self.front.title = " ".join(texts)

    # -- items before the document

    def _items(self, i: int, *, position_rule: bool, trailing: bool = False) -> tuple[int, bool]:
        """Read addresses and sections from ``i``; return where the document starts."""
        lines, end = self.lines, self.end
        while True:
            j = _skip_blank(lines, i, end)
            if j >= end:
                return end, False
            url = S.address(lines[j])
            if url:
                self.front.addresses.append((j + 1, url))
                i = j + 1
                continue
            head = S.heading(lines[j])
            if head is None:
                return j, True
            i, stopped = self._section(j, *head, position_rule=position_rule, trailing=trailing)
            if stopped:
                return i, True

    def _next_item(self, j: int) -> int | None:
        for k in range(j, self.end):
            if _is_item(self.lines[k]):
                return k
        return None

    def _section(
        self, j: int, label: str, value: str | None, *, position_rule: bool, trailing: bool
    ) -> tuple[int, bool]:
        """Read the section whose heading is line ``j``; return (where it ends, body began).

        After the document (``trailing``) only a shape that opens a document ends a section.
        """
        lines = self.lines
        kind = S.kind_of(label)
        section = Section(label=label, lines=[], line=j + 1)
        self.front.sections.append(section)
        if not S.is_known(label):
            self.note(
                "R103",
                f"section '{label}' is not one this reader knows; kept as it is",
                j,
                Severity.INFO,
            )
        following = self._next_item(j + 1)
        stop = self.end if following is None else following
        units = self._units(j + 1, stop, kind)

        def take(unit: list[int]) -> None:
            for k in unit:
                section.lines.append(lines[k].strip())
                section.line_numbers.append(k + 1)

        if value is not None:
            section.lines.append(value)
            section.line_numbers.append(j + 1)
        elif units:
            take(units.pop(0)[0])
        for n, (unit, same_block) in enumerate(units):
            verdict, why = S.classify(
                kind,
                [lines[k] for k in unit],
                same_block=same_block,
                block_goes_on=n + 1 < len(units) and units[n + 1][1],
            )
            if verdict is Verdict.SECTION:
                take(unit)
                continue
            if verdict is Verdict.BODY:
                return unit[0], True
            if trailing:
                take(unit)
                continue
            later_text = any(_has_text(lines, u[0], u[-1] + 1) for u, _ in units[n + 1 :])
            if following is not None and position_rule:
                if verdict is Verdict.LIKELY_BODY:
                    self.absorbed_body = True
                    self.note(
                        "R104",
                        f"line {unit[0] + 1} does not read as part of section '{label}' ({why}) "
                        f"but is kept in it because another section follows on line "
                        f"{following + 1}",
                        unit[0],
                    )
                take(unit)
                continue
            if verdict is Verdict.LIKELY_SECTION and (later_text or following is not None):
                self.note(
                    "R104",
                    f"uncertain where section '{label}' ends: line {unit[0] + 1} is read as part "
                    f"of it ({why})",
                    unit[0],
                )
                take(unit)
                continue
            if kind == "paragraphs":
                self.note(
                    "R104",
                    f"uncertain where section '{label}' ends: the document is taken to begin on "
                    f"line {unit[0] + 1} ({why})",
                    unit[0],
                )
            return unit[0], True
        return stop, False

    def _units(self, start: int, stop: int, kind: str) -> list[tuple[list[int], bool]]:
        """The section's candidate content as units: (line indexes, follows without a blank).

        A unit is a paragraph: a line and the lines that wrap it (a line that does not end a
        sentence goes on in the next). A bullet list is one unit per item; for one-line
        sections every line is a unit.
        """
        lines = self.lines
        units: list[tuple[list[int], bool]] = []
        previous_blank = True
        for k in range(start, stop):
            text = lines[k].strip()
            if not text:
                previous_blank = True
                continue
            wraps = (
                not previous_blank
                and units
                and kind in ("paragraph", "paragraphs")
                and S.wraps(lines[units[-1][0][-1]], text)
            )
            if wraps:
                units[-1][0].append(k)
            else:
                units.append(([k], not previous_blank))
            previous_blank = False
        if kind == "list" and units:
            # the first unit of a list is its bullets (blank lines between them or not), or
            # the lines of its first block
            bullets = bool(BULLET_RE.match(lines[units[0][0][0]]))
            first = units.pop(0)[0]
            while units and (BULLET_RE.match(lines[units[0][0][0]]) if bullets else units[0][1]):
                first.extend(units.pop(0)[0])
            units.insert(0, (first, False))
        return units

    # -- sections after the document

    def _trailing(self) -> None:
        """Known sections after the document: this record's, or the start of the next one."""
        lines, front = self.lines, self.front
        for k in range(front.body_start + 1, self.end):
            head = S.heading(lines[k])
            if head is None or not S.is_known(head[0]) or lines[k - 1].strip():
                continue
            reader = _Reader(lines, self.path, k, self.end)
            reader.front = FrontMatter(start=k, end=self.end)
            after, body_began = reader._items(k, position_rule=True, trailing=True)
            if body_began and _has_text(lines, after, self.end):
                front.end = front.body_end = k
                front.next_start = k
                return
            front.body_end = k
            front.sections.extend(reader.front.sections)
            front.addresses.extend(reader.front.addresses)
            front.diagnostics.extend(d for d in reader.front.diagnostics if d.code != "R104")
            front.diagnostics.append(
                diagnostic(
                    "R105",
                    "front-matter sections after the document: read as this record's",
                    severity=Severity.INFO,
                    line=k + 1,
                    path=self.path,
                )
            )
            return


# -- what the sections say --------------------------------------------------------------------


def find_url(addresses: list[tuple[int, str]], sections: list[Section]) -> str:
    """The record's address: the first address line, else the first URL in the citation."""
    if addresses:
        return addresses[0][1]
    for section in sections:
        for line in section.lines:
            match = URL_LINE_RE.match(line)
            if match:
                return match.group("url")
    for section in sections:
        if section.label.lower() != "citation":
            continue
        for line in section.lines:
            match = URL_RE.search(line)
            if match:
                return match.group(0)
    return ""


def record_identifier(url: str, sections: list[Section] | None = None) -> str:
    """The archive's record id: the ``Record ID`` section, else the address's last segment."""
    for section in sections or []:
        if section.label.lower() == "record id" and section.lines:
            value = section.lines[0].strip().strip(".")
            if re.fullmatch(r"[\w.\-]+", value):
                return value
    match = re.search(r"/document/([^/?#\s]+)", url)
    return match.group(1) if match else ""


def sections_labelled(sections: list[Section], *labels: str) -> list[Section]:
    wanted = {label.lower() for label in labels}
    return [s for s in sections if s.label.lower() in wanted]


def section_text(section: Section | None) -> str:
    """A section's lines as one paragraph, without angle-bracketed addresses."""
    if section is None:
        return ""
    return " ".join(ln for ln in section.lines if not URL_LINE_RE.match(ln)).strip()


def section_items(section: Section | None) -> list[str]:
    """A section's bullet items (or lines) as a list of strings."""
    if section is None:
        return []
    items = []
    for line in section.lines:
        match = BULLET_RE.match(line)
        items.append(match.group("item").strip() if match else line.strip())
    return [item for item in items if item]


def split_languages(text: str) -> list[str]:
    """``"Russian, Chinese and Korean"`` → the three names."""
    parts = re.split(r"\s*(?:,|;|/|\band\b|&)\s*", text)
    return [p.strip() for p in parts if p.strip()]
