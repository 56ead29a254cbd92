"""The lossless check: every character of the source is in the TEI, and where it is not, which line.

The whole source is covered:

- **the document**: the text of the source body, in order, is the text of the TEI ``text``.
  Whitespace is not compared (the TEI's layout puts line breaks between elements, and a break
  inside a paragraph is an element there). The format's own markup is accounted for: HTML tags
  such as ``<sup>`` and horizontal rules are taken out of the source, and ``**`` bold marks are
  put back around ``hi rend="bold"``. Editorial additions (``corr``, ``expan``, ``reg`` inside
  ``choice``) are left out of the TEI side, so the original reading must still be there.
- **the front matter**: each line of the title block and of every section (title, date,
  citation, summary, credits, languages, any other section; the bullet marks of lists aside),
  and every address, stands in the ``teiHeader``: in the text of one of its elements (a
  citation split into ``title``, ``date`` … is still one ``bibl``'s text) or, for an address,
  in an attribute.
- **the input**: every non-blank line of the input belongs to one record, and within a record
  to its title block, an address, a section or its document; a line the reader set aside is
  reported, whatever the TEI says.

Each loss names the source line and what is missing (or, for the document, what the TEI has
that the source does not).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from .readers.wilson.inline import TAG_RE
from .readers.wilson.patterns import RULE_RE
from .readers.wilson.sections import BULLET_RE, URL_LINE_RE
from .xmlio import TEI_NS, safe_parser, serialize

EDITORIAL_ADDITIONS = {f"{{{TEI_NS}}}{name}" for name in ("corr", "expan", "reg")}
HI = f"{{{TEI_NS}}}hi"
BREAKS = {f"{{{TEI_NS}}}{name}" for name in ("lb", "pb", "cb")}
#: a middle part of the document longer than this is reported as one span, not diffed
DIFF_LIMIT = 20_000


@dataclass(frozen=True)
class Loss:
    """Something of the source missing from the TEI (``kind="lost"``), or TEI text the source
    does not have (``kind="added"``); ``line`` is the source line (1-based, 0 if unknown)."""

    line: int
    part: str
    text: str
    kind: str = "lost"

    def format(self, path: str | None = None) -> str:
        where = f"{path}:{self.line}" if path else f"line {self.line}"
        text = self.text if len(self.text) <= 120 else self.text[:117] + "…"
        if self.kind == "added":
            return f"{where}: the TEI {self.part} has text the source does not: {text!r}"
        return f"{where}: lost from the {self.part}: {text!r}"


@dataclass(frozen=True)
class LosslessReport:
    """Whether nothing is lost, and each loss with its line.

    ``source`` and ``tei`` are the compared document texts (whitespace removed) and ``offset``
    where they first differ (-1 when they agree).
    """

    ok: bool
    source: str = ""
    tei: str = ""
    offset: int = -1
    losses: tuple[Loss, ...] = field(default=())

    def explain(self, path: str | None = None) -> str:
        if self.ok:
            return "nothing of the source is lost: the TEI holds all of it"
        return "\n".join(loss.format(path) for loss in self.losses)


def normalise(text: str) -> str:
    """Whitespace is not compared: the TEI's layout puts line breaks between elements."""
    return "".join(text.split())


def source_body_text(body: str) -> str:
    """The source body without the format's own markup, whitespace normalised."""
    return _source_chars(body, 1)[0]


def _source_chars(body: str, first_line: int) -> tuple[str, list[int]]:
    """The body's characters without markup and whitespace, and the line of each."""
    from .readers.wilson.units import make_units

    chars: list[str] = []
    lines: list[int] = []
    source_lines = body.split("\n")
    # a rule inside an editorial bracket spanning lines (a stamp) is text of the bracket
    bracketed = {
        number
        for unit in make_units(source_lines, 0)
        if "bracket" in unit.joins
        for number in unit.numbers
    }
    for k, line in enumerate(source_lines):
        if RULE_RE.match(line) and k not in bracketed:
            continue
        text = normalise(TAG_RE.sub("", line))
        chars.append(text)
        lines.extend([first_line + k] * len(text))
    return "".join(chars), lines


def tei_text(tree: etree._ElementTree | etree._Element) -> str:
    """The text content of the TEI ``text`` element, without editorial additions."""
    text_element = _root(tree).find(f"{{{TEI_NS}}}text")
    return _element_text(text_element) if text_element is not None else ""


def _root(tree: etree._ElementTree | etree._Element) -> etree._Element:
    # as serialised: block elements are separated by the line breaks pretty-printing puts there
    return etree.fromstring(serialize(tree), safe_parser(huge_tree=True))


def _element_text(element: etree._Element) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if (
            node.tag in EDITORIAL_ADDITIONS
            and node.getparent() is not None
            and node.getparent().tag == f"{{{TEI_NS}}}choice"
        ):
            return
        if node.tag in BREAKS and node.get("break") != "no":
            parts.append(" ")
        bold = node.tag == HI and node.get("rend") == "bold"
        if bold:
            parts.append("**")  # the format's bold marks, as the source wrote them
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if bold:
            parts.append("**")

    walk(element)
    return normalise(TAG_RE.sub("", "".join(parts)))


# -- the document -----------------------------------------------------------------------------


def check_lossless(
    body: str, tree: etree._ElementTree | etree._Element, *, first_line: int = 1
) -> LosslessReport:
    """Compare the source body (starting on line ``first_line``) with the TEI text."""
    source, lines = _source_chars(body, first_line)
    tei = tei_text(tree)
    if source == tei:
        return LosslessReport(True, source, tei)
    losses = _diff(source, lines, tei)
    offset = next(
        (k for k, (a, b) in enumerate(zip(source, tei, strict=False)) if a != b),
        min(len(source), len(tei)),
    )
    return LosslessReport(False, source, tei, offset, tuple(losses))


def _diff(source: str, lines: list[int], tei: str) -> list[Loss]:
    """What the TEI text lacks (or has in excess), span by span, with source lines."""
    prefix = 0
    limit = min(len(source), len(tei))
    while prefix < limit and source[prefix] == tei[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < limit - prefix and source[len(source) - 1 - suffix] == tei[len(tei) - 1 - suffix]
    ):
        suffix += 1
    src_mid = source[prefix : len(source) - suffix]
    tei_mid = tei[prefix : len(tei) - suffix]

    def line_at(k: int) -> int:
        if not lines:
            return 0
        return lines[min(max(k, 0), len(lines) - 1)]

    if len(src_mid) + len(tei_mid) > DIFF_LIMIT:
        ops = [("replace", 0, len(src_mid), 0, len(tei_mid))]
    else:
        ops = difflib.SequenceMatcher(None, src_mid, tei_mid, autojunk=False).get_opcodes()
    losses: list[Loss] = []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            continue
        if i2 > i1:
            losses.append(Loss(line_at(prefix + i1), "document", src_mid[i1:i2]))
        if j2 > j1:
            losses.append(Loss(line_at(prefix + i1), "document", tei_mid[j1:j2], "added"))
    return losses


# -- the front matter and the whole input -----------------------------------------------------


def front_matter_items(record: object) -> list[tuple[int, str, str, bool]]:
    """The record's front matter as (line, part, text, is an address), in source order."""
    items: list[tuple[int, str, str, bool]] = []
    for line, text in getattr(record, "title_block", []):
        items.append((line, "title block", text, False))
    for line, url in getattr(record, "addresses", []):
        items.append((line, "address", url, True))
    for section in getattr(record, "sections", []):
        part = f"section '{section.label}'"
        if not _known(section.label):
            items.append((section.line, part, section.label, False))
        for k, text in enumerate(section.lines):
            line = section.line_numbers[k] if k < len(section.line_numbers) else section.line
            url = URL_LINE_RE.match(text)
            if url:
                items.append((line, part, url.group("url"), True))
                continue
            bullet = BULLET_RE.match(text)
            items.append((line, part, bullet.group("item") if bullet else text, False))
    return sorted(items, key=lambda item: item[0])


def _known(label: str) -> bool:
    from .readers.wilson.sections import is_known

    return is_known(label)


def check_front_matter(record: object, tree: etree._ElementTree | etree._Element) -> list[Loss]:
    """Each line of the front matter in the ``teiHeader`` (see the module docstring)."""
    root = _root(tree)
    header = root.find(f"{{{TEI_NS}}}teiHeader")
    texts: list[str] = []
    attributes: set[str] = set()
    if header is not None:
        for element in header.iter():
            if isinstance(element.tag, str):
                # the format's HTML tags are markup whether the header kept them or not
                texts.append(normalise(TAG_RE.sub("", "".join(element.itertext()))))
                attributes.update(element.attrib.values())
    losses = []
    for line, part, text, is_address in front_matter_items(record):
        wanted = normalise(TAG_RE.sub("", text))
        if not wanted:
            continue
        if is_address and text in attributes:
            continue
        if not any(wanted in value for value in texts):
            losses.append(Loss(line, part, text))
    return losses


def check_coverage(record: object, lines: Sequence[str]) -> list[Loss]:
    """Non-blank lines of the record's span that are in neither its front matter nor its body."""
    first, last = getattr(record, "span", (0, 0))
    if not first:
        return []
    accounted: set[int] = {line for line, *_ in front_matter_items(record)}
    accounted.update(section.line for section in getattr(record, "sections", []))
    body_line = getattr(record, "body_line", 0)
    body_count = len(getattr(record, "body_text", "").split("\n")) if body_line else 0
    accounted.update(range(body_line, body_line + body_count))
    return [
        Loss(k, "record", lines[k - 1].strip())
        for k in range(first, min(last, len(lines)) + 1)
        if lines[k - 1].strip() and k not in accounted
    ]


def check_record(
    record: object,
    tree: etree._ElementTree | etree._Element,
    lines: Sequence[str] | None = None,
) -> LosslessReport:
    """Everything of one record in its TEI: front matter in the header, the document in text.

    With the input's ``lines``, also that the reader accounted for every line of the record.
    """
    body = check_lossless(
        getattr(record, "body_text", ""), tree, first_line=getattr(record, "body_line", 1) or 1
    )
    losses = [*body.losses, *check_front_matter(record, tree)]
    if lines is not None:
        losses.extend(check_coverage(record, lines))
    losses.sort(key=lambda loss: (loss.line, loss.kind))
    return LosslessReport(not losses, body.source, body.tei, body.offset, tuple(losses))


def check_source(
    text: str, conversions: Iterable[tuple[object, etree._ElementTree | etree._Element]]
) -> LosslessReport:
    """A whole input against the TEI of its records: every record, and every line in one."""
    from .readers.wilson import split_lines

    lines = split_lines(text)
    losses: list[Loss] = []
    covered: set[int] = set()
    for record, tree in conversions:
        losses.extend(check_record(record, tree, lines).losses)
        first, last = getattr(record, "span", (0, 0))
        covered.update(range(first, last + 1))
    losses.extend(
        Loss(k + 1, "input", line.strip(), "lost")
        for k, line in enumerate(lines)
        if line.strip() and k + 1 not in covered
    )
    losses.sort(key=lambda loss: (loss.line, loss.kind))
    return LosslessReport(not losses, losses=tuple(losses))
