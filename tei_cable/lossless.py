"""The lossless check: the text of the source body, in order, is the text of the TEI ``text``.

Whitespace is not compared (the TEI's layout puts line breaks between elements, and a break
inside a paragraph is an element there). The format's own markup is accounted for: HTML tags
such as ``<sup>`` and horizontal rules are taken out of the source, and ``**`` bold marks are put
back around ``hi rend="bold"``. Editorial additions (``corr``, ``expan``, ``reg`` inside
``choice``) are left out of the TEI side, so the original reading must still be there.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .readers.wilson.inline import TAG_RE
from .readers.wilson.patterns import RULE_RE
from .xmlio import TEI_NS, safe_parser, serialize

EDITORIAL_ADDITIONS = {f"{{{TEI_NS}}}{name}" for name in ("corr", "expan", "reg")}
HI = f"{{{TEI_NS}}}hi"
BREAKS = {f"{{{TEI_NS}}}{name}" for name in ("lb", "pb", "cb")}


@dataclass(frozen=True)
class LosslessReport:
    """Whether the texts agree, and where they first differ (with some context of each)."""

    ok: bool
    source: str
    tei: str
    offset: int = -1

    def explain(self) -> str:
        if self.ok:
            return "the TEI text is the source text"
        k = self.offset
        return (
            f"texts differ at character {k}: source …{self.source[max(0, k - 40) : k + 40]!r}… "
            f"TEI …{self.tei[max(0, k - 40) : k + 40]!r}…"
        )


def normalise(text: str) -> str:
    """Whitespace is not compared: the TEI's layout puts line breaks between elements."""
    return "".join(text.split())


def source_body_text(body: str) -> str:
    """The source body without the format's own markup, whitespace normalised."""
    lines = [line for line in body.split("\n") if not RULE_RE.match(line)]
    return normalise(TAG_RE.sub("", "\n".join(lines)))


def tei_text(tree: etree._ElementTree | etree._Element) -> str:
    """The text content of the TEI ``text`` element, without editorial additions."""
    # as serialised: block elements are separated by the line breaks pretty-printing puts there
    root = etree.fromstring(serialize(tree), safe_parser())
    text_element = root.find(f"{{{TEI_NS}}}text")
    if text_element is None:
        return ""
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        if (
            element.tag in EDITORIAL_ADDITIONS
            and element.getparent() is not None
            and element.getparent().tag == f"{{{TEI_NS}}}choice"
        ):
            return
        if element.tag in BREAKS and element.get("break") != "no":
            parts.append(" ")
        bold = element.tag == HI and element.get("rend") == "bold"
        if bold:
            parts.append("**")  # the format's bold marks, as the source wrote them
        if element.text and isinstance(element.tag, str):
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if bold:
            parts.append("**")

    walk(text_element)
    return normalise(TAG_RE.sub("", "".join(parts)))


def check_lossless(body: str, tree: etree._ElementTree | etree._Element) -> LosslessReport:
    """Compare the source body text with the TEI text (see the module docstring)."""
    source = source_body_text(body)
    tei = tei_text(tree)
    if source == tei:
        return LosslessReport(True, source, tei)
    offset = next(
        (k for k, (a, b) in enumerate(zip(source, tei, strict=False)) if a != b),
        min(len(source), len(tei)),
    )
    return LosslessReport(False, source, tei, offset)
