"""The front matter of a record: the bold date-and-title block and the ``**Label:**`` sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...diagnostics import Diagnostic, InputError, Severity, diagnostic
from ...model import Section

SECTION_RE = re.compile(r"^\s*\*\*(?P<label>[^*\n]{1,60}?)\s*(?::\s*\*\*|\*\*\s*:)\s*$")
BULLET_RE = re.compile(r"^\s*[-*•]\s+(?P<item>\S.*)$")
URL_LINE_RE = re.compile(r"^\s*<(?P<url>https?://[^>\s]+)>\s*$")
URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;)]")
#: sections whose content is one line even when the body follows without a blank line
SINGLE_LINE = {"original language", "original languages", "language", "record id", "date"}
KNOWN = {
    "citation",
    "summary",
    "credits",
    "original language",
    "original languages",
    "contents",
    "associated people & organizations",
    "associated places",
    "associated topics",
    "subjects discussed",
    "keywords",
    "record id",
    "date",
    "author",
    "authors",
    "source",
    "original archive",
    "language",
    "collection",
    "rights",
    "record type",
}


@dataclass
class FrontMatter:
    """What the front matter says, and where the document itself begins (0-based line index)."""

    date: str = ""
    title: str = ""
    sections: list[Section] = field(default_factory=list)
    body_start: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def section(self, *labels: str) -> Section | None:
        wanted = {label.lower() for label in labels}
        return next((s for s in self.sections if s.label.lower() in wanted), None)


def _is_section(line: str) -> re.Match[str] | None:
    match = SECTION_RE.match(line)
    if match and len(match.group("label").split()) <= 6:
        return match
    return None


def _skip_blank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def read_front_matter(lines: list[str], path: str | None = None) -> FrontMatter:
    """Read the title block and sections; raise :class:`InputError` if there is neither."""
    front = FrontMatter()
    i = _skip_blank(lines, 0)
    if i < len(lines) and lines[i].lstrip().startswith("**") and not _is_section(lines[i]):
        i = _read_title_block(lines, i, front)
    else:
        front.diagnostics.append(
            diagnostic(
                "R101",
                "no bold date-and-title block at the top of the record",
                line=i + 1,
                path=path,
            )
        )
    headings = [j for j in range(i, len(lines)) if _is_section(lines[j])]
    starts: list[int] = []
    for j in headings:
        if not starts:
            if not _only_blank(lines, i, j):
                break  # text before the first heading: there are no sections
        else:
            label = _is_section(lines[j]).group("label").strip().lower()  # type: ignore[union-attr]
            end = _last_section_end(lines, starts[-1])
            # a section goes on to the next heading when only blank lines or, for a known
            # label, further paragraphs of the section lie between; otherwise the document began
            if not (_only_blank(lines, end, j) or label in KNOWN):
                break
        starts.append(j)
    if not starts and not front.title:
        raise InputError(
            "no recognisable record: expected a bold date-and-title block (**…**) or sections "
            "such as **Citation:**; is this a record of the Wilson Center Digital Archive?",
            path=path,
            line=i + 1 if i < len(lines) else None,
            code="R100",
        )
    for n, start in enumerate(starts):
        label = _is_section(lines[start]).group("label").strip()  # type: ignore[union-attr]
        if n + 1 < len(starts):
            end = starts[n + 1]
            content = [ln.strip() for ln in lines[start + 1 : end] if ln.strip()]
        else:
            end = _last_section_end(lines, start)
            content = [ln.strip() for ln in lines[start + 1 : end] if ln.strip()]
        if label.lower() not in KNOWN:
            front.diagnostics.append(
                diagnostic(
                    "R103",
                    f"section '{label}' is not one this reader knows; kept as it is",
                    severity=Severity.INFO,
                    line=start + 1,
                    path=path,
                )
            )
        front.sections.append(Section(label=label, lines=content, line=start + 1))
        front.body_start = end
    if not starts:
        front.body_start = i
        front.diagnostics.append(
            diagnostic(
                "R102",
                "no front-matter sections (**Citation:**, **Summary:** …)",
                line=i + 1,
                path=path,
            )
        )
    return front


def _only_blank(lines: list[str], start: int, end: int) -> bool:
    return all(not ln.strip() for ln in lines[start:end])


def _read_title_block(lines: list[str], i: int, front: FrontMatter) -> int:
    """The bold block: a date line and a title line (either may be missing)."""
    block: list[str] = []
    j = i
    while j < len(lines):
        block.append(lines[j].strip())
        if lines[j].rstrip().endswith("**") and (j > i or lines[j].strip().count("**") >= 2):
            break
        if j > i and not lines[j].strip():
            break
        j += 1
    text_lines = [ln.strip("*").strip() for ln in block if ln.strip("*").strip()]
    from .patterns import DATE_RE  # local: the pattern module is the format's vocabulary

    if text_lines and (
        DATE_RE.match(text_lines[0])
        or re.match(r"^(?:c\.\s*)?\d{4}\b", text_lines[0])
        or re.match(r"^[A-Z][a-z]+\s+\d{4}$", text_lines[0])
    ):
        front.date = text_lines[0]
        text_lines = text_lines[1:]
    front.title = " ".join(text_lines)
    return j + 1


def _last_section_end(lines: list[str], start: int) -> int:
    """Where the last section's content ends: after its bullet list or first paragraph."""
    label = _is_section(lines[start]).group("label").strip().lower()  # type: ignore[union-attr]
    j = _skip_blank(lines, start + 1)
    if j >= len(lines):
        return len(lines)
    if label in SINGLE_LINE:
        return j + 1
    if BULLET_RE.match(lines[j]):
        end = j
        k = j
        while k < len(lines):
            if BULLET_RE.match(lines[k]):
                end = k + 1
                k += 1
            elif not lines[k].strip():
                nxt = _skip_blank(lines, k)
                if nxt < len(lines) and BULLET_RE.match(lines[nxt]):
                    k = nxt
                else:
                    break
            else:
                break
        return end
    k = j
    while k < len(lines) and lines[k].strip() and not _is_section(lines[k]):
        k += 1
    # an address in angle brackets after the paragraph belongs to it (a citation's URL)
    nxt = _skip_blank(lines, k)
    while nxt < len(lines) and URL_LINE_RE.match(lines[nxt]):
        k = nxt + 1
        nxt = _skip_blank(lines, k)
    return k


def find_url(sections: list[Section]) -> str:
    """The record's address: an angle-bracketed URL, else the first URL in the citation."""
    for section in sections:
        for line in section.lines:
            match = URL_LINE_RE.match(line)
            if match:
                return match.group("url")
    for section in sections:
        for line in section.lines:
            match = URL_RE.search(line)
            if match:
                return match.group(0)
    return ""


def record_identifier(url: str) -> str:
    """The archive's record id: the last path segment of its document address."""
    match = re.search(r"/document/([^/?#\s]+)", url)
    return match.group(1) if match else ""


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
