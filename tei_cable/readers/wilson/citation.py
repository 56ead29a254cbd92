"""The archive's citations and source references: what a published edition, an archival
reference and a translation's source are, as spans of the citation's own text.

A citation reads::

    "Title," Date, History and Public Policy Program Digital Archive, REFERENCES. ROLES. URL

``REFERENCES`` are one or more references joined by ``;`` or ``, and in``: an archival one
(``AVP RF, f. 07, op. 23a, d. 234, ll. 1-2``; ``Hungarian National Archives (MOL), Budapest,
XIX-J-1-j Korea, 1957, 11. doboz``) or a published edition (``Shen Zhihua, ed., Chaoxian
Zhanzheng (Taipei: Zhongyang Yanjiuyuan, 2003), vol. 1, pp. 12-13``), and ``translation from``
a further edition. ``ROLES`` are sentences such as ``Translated by …`` or ``Obtained by …``.
Every field is a :class:`Span` of the text, so a writer can mark it up without changing a
character; nothing is derived that the text does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CITATION_RE = re.compile(
    r"^(?P<q1>[\"“])(?P<title>.+?)(?P<q2>,?[\"”],?)\s*(?P<date>[^,]+(?:,\s*\d{4})?),\s*"
    r"(?P<publisher>[^,]*Digital Archive)\s*,?\s*(?P<rest>.*)$"
)
ROLE_RE = re.compile(
    r"(?P<resp>(?:Obtained|Translated|Transcribed|Contributed|Donated|Provided|Edited|Prepared|"
    r"Annotated)(?:\s+and\s+\w+)?\s+(?:for\s+[\w ]+?\s+)?by)\s+"
    r"(?P<who>(?:[A-Z]\.\s*)*[^.]+?)(?P<end>\.(?=\s|$)|$)"
)
URL_RE = re.compile(r"https?://\S+?(?=[.,;)]?(?:\s|$))")
TRANSLATION_FROM_RE = re.compile(r"(?:;\s*|\.\s+|,\s*)(?P<lead>[Tt]ranslation\s+from)\s+")
JOIN_RE = re.compile(r";\s*(?![Tt]ranslation\s+from)|,?\s+and\s+in\s+")
IMPRINT_RE = re.compile(r"\((?P<place>[^():;]+?):\s*(?P<publisher>[^()]+?),\s*(?P<year>\d{4})\)")
EDITORS_RE = re.compile(r"^(?P<editors>.+?),?\s+(?:eds?\.|\(eds?\.\)|editors?),\s*")
SCOPE_RE = re.compile(
    r"\b(?P<scope>(?:vol|vols|no|nos|book|pt|part)\.?\s*[\w\-–]+|pp?\.\s*[\d\-–]+(?:,\s*[\d\-–]+)*)"
)
BARE_PAGE_RE = re.compile(r"(?<=,\s)(?P<page>\d{1,4}(?:[\-–]\d{1,4})?)(?=\.?\s*$)")
SCOPE_UNITS = {
    "vol": "volume",
    "vols": "volume",
    "no": "issue",
    "nos": "issue",
    "book": "part",
    "pt": "part",
    "part": "part",
    "p": "page",
    "pp": "page",
}
#: abbreviations that do not end a reference's sentence
ABBREVIATIONS = frozenset("f op d l ll k p pp vol vols no nos ed eds trans ch pt fol".split())
ARCHIVE_WORDS_RE = re.compile(
    r"\b(?:Archives?|Archiv\w*|Arhiva|Arkiv\w*|Archivum|Records|Record\s+Group|RG\s*\d+|"
    r"Box|Folder|Fond|Opis|Delo|Collection|Papers|Library)\b|"
    r"\b(?:AVP\s?RF|APRF|RGASPI|RGANI|GARF|TsAMO|TsKhSD|RGAE|MOL|MNL|AMZV|AMAE|PA\s?AA|"
    r"SAPMO|BArch|AAN|AIPN|ANIC|AMAE|CWIHP|PRC\s?FMA|FMA)\b|"
    r"\b(?:f|op|d|l|ll|k)\.\s*\d"
)
COLLECTION_RE = re.compile(r"^(?:f\.|fond|fonds|Record\s+Group|RG)\s*\S+", re.IGNORECASE)
#: places an archival reference may state; only these are marked settlement or country
CITIES = frozenset(
    """Moscow Beijing Budapest Warsaw Berlin Prague Bucharest Sofia Belgrade Tirana Ulaanbaatar
    Pyongyang Seoul Tokyo Hanoi Havana London Paris Rome Washington Bonn Vienna Geneva Stockholm
    Nanjing Shanghai Taipei Kyiv Kiev Minsk Tbilisi Vilnius Riga Tallinn Delhi Jakarta Canberra
    Ottawa Bern""".split()
)
COUNTRIES = frozenset(
    """Russia Russian\u00a0Federation China Hungary Poland Germany Czech\u00a0Republic Romania
    Bulgaria Serbia Albania Mongolia Korea Japan Vietnam Cuba UK France Italy USA Austria
    Switzerland Sweden Ukraine Belarus Georgia Lithuania Latvia Estonia India Indonesia
    Australia Canada""".replace("\u00a0", "_").split()
)


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` of the text; ``kind`` is the TEI element to mark them with."""

    kind: str
    start: int
    end: int
    attrs: tuple[tuple[str, str], ...] = ()
    children: tuple[Span, ...] = ()


@dataclass
class Reference:
    """One reference: ``archival`` or ``published``, with its parts as spans."""

    kind: str
    start: int
    end: int
    parts: list[Span] = field(default_factory=list)


@dataclass
class Citation:
    """A parsed citation (or a source section): its marked spans and its references."""

    text: str
    spans: list[Span] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)

    def archival(self) -> list[Reference]:
        return [r for r in self.references if r.kind == "archival"]


def parse_citation(text: str) -> Citation:
    """The archive's citation: quoted title, date, the archive, then references and roles."""
    citation = Citation(text)
    match = CITATION_RE.match(text)
    if not match:
        _tail(citation, 0, len(text))
        return citation
    citation.spans.append(Span("title", match.start("title"), match.end("title")))
    date_end = match.end("date")
    citation.spans.append(Span("date", match.start("date"), date_end))
    citation.spans.append(Span("publisher", match.start("publisher"), match.end("publisher")))
    _tail(citation, match.start("rest"), len(text))
    return citation


def parse_source(text: str) -> Citation:
    """A ``**Source:**`` section: references and roles, without the citation's head."""
    citation = Citation(text)
    _tail(citation, 0, len(text))
    return citation


def _tail(citation: Citation, start: int, end: int) -> None:
    text = citation.text
    cut = end
    for match in ROLE_RE.finditer(text, start, end):
        # a role sentence begins the text or follows a sentence end
        before = text[start : match.start()].rstrip()
        if before and not before.endswith((".", ";")):
            continue
        cut = min(cut, match.start())
        who = match.group("who").strip()
        citation.roles.append((match.group("resp"), who))
        citation.spans.append(
            Span(
                "respStmt",
                match.start(),
                match.end("who"),
                children=(
                    Span("resp", match.start("resp"), match.end("resp")),
                    Span("name", match.start("who"), match.end("who")),
                ),
            )
        )
    url = URL_RE.search(text, start, end)
    if url and url.start() < cut:
        cut = url.start()
    cut = min(cut, _first_sentence_end(text, start, cut))
    refs_end = cut
    translation = TRANSLATION_FROM_RE.search(text, start, refs_end)
    if translation:
        ref_start = translation.end()
        ref_end = _strip_end(text, ref_start, refs_end)
        reference = _reference(text, ref_start, ref_end)
        citation.spans.append(
            Span("bibl", ref_start, ref_end, (("type", "translation"),), tuple(reference.parts))
        )
        refs_end = translation.start()
    for piece_start, piece_end in _pieces(text, start, refs_end):
        reference = _reference(text, piece_start, piece_end)
        citation.references.append(reference)
        if reference.kind == "published":
            citation.spans.append(
                Span(
                    "bibl",
                    piece_start,
                    piece_end,
                    (("type", "edition"),),
                    tuple(reference.parts),
                )
            )
    citation.spans.sort(key=lambda s: s.start)


def _first_sentence_end(text: str, start: int, end: int) -> int:
    """Where the references' sentence ends: a full stop before a capital, after a number, a
    bracket or a word, not after an abbreviation or an initial (``f. 45``, ``Dep. II``,
    ``V. Zubok``)."""
    for match in re.finditer(r"\.\s+(?=[A-Z])", text[start:end]):
        before = text[start : start + match.start()].split()
        token = before[-1] if before else ""
        word = token.lower().strip("([")
        if word in ABBREVIATIONS or not (
            token[-1:].isdigit() or token.endswith(")") or (len(word) >= 4 and word.isalpha())
        ):
            continue
        if re.match(r"[Tt]ranslation\s+from\b", text[start + match.end() : end]):
            continue
        return start + match.start() + 1
    return end


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " .;,":
        end -= 1
    return end


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The references of a tail: split at ``;`` and ``, and in``; trailing stops dropped."""
    pieces = []
    position = start
    for match in JOIN_RE.finditer(text, start, end):
        pieces.append((position, match.start()))
        position = match.end()
    pieces.append((position, end))
    out = []
    for a, b in pieces:
        while a < b and text[a] in " ,;":
            a += 1
        b = _strip_end(text, a, b)
        if b > a:
            out.append((a, b))
    return out


def _reference(text: str, start: int, end: int) -> Reference:
    piece = text[start:end]
    imprint = IMPRINT_RE.search(piece)
    editors = EDITORS_RE.match(piece)
    published_marks = imprint or editors or re.search(r"\b(?:vol|pp?)\.\s*\d", piece)
    if imprint or editors or (published_marks and not ARCHIVE_WORDS_RE.search(piece)):
        return Reference("published", start, end, _published(text, start, end))
    if ARCHIVE_WORDS_RE.search(piece):
        return Reference("archival", start, end, _archival(text, start, end))
    return Reference("unknown", start, end)


def _published(text: str, start: int, end: int) -> list[Span]:
    piece = text[start:end]
    parts: list[Span] = []
    title_start = 0
    editors = EDITORS_RE.match(piece)
    imprint = IMPRINT_RE.search(piece)
    if editors:
        names = editors.group("editors")
        for name in re.finditer(r"[^,]+?(?=\s*(?:,|\band\b|$))", names):
            value = name.group(0).strip()
            value = re.sub(r"^and\s+", "", value)
            if not value:
                continue
            offset = name.start() + name.group(0).find(value)
            parts.append(Span("editor", start + offset, start + offset + len(value)))
        title_start = editors.end()
    first_scope = None
    for scope in SCOPE_RE.finditer(piece, title_start):
        if imprint and imprint.start() <= scope.start() < imprint.end():
            continue
        first_scope = first_scope if first_scope is not None else scope.start()
        unit = SCOPE_UNITS.get(re.match(r"[a-z]+", scope.group(0).lower()).group(0), "page")
        parts.append(
            Span("biblScope", start + scope.start(), start + scope.end(), (("unit", unit),))
        )
    if imprint is not None and first_scope is None:
        bare = BARE_PAGE_RE.search(piece, imprint.end())
        if bare:
            parts.append(
                Span("biblScope", start + bare.start(), start + bare.end(), (("unit", "page"),))
            )
            first_scope = bare.start()
    ends = [e for e in (imprint.start() if imprint else None, first_scope) if e is not None]
    title_end = min(ends) if ends else len(piece)
    head = piece[title_start:title_end].rstrip(" ,")
    if not editors and imprint:
        author = re.match(r"^(?P<name>(?:[A-Z][\w'’\-]*\.?\s+){1,3}[A-Z][\w'’\-]*),\s+", head)
        if author:
            parts.append(
                Span("author", start + title_start, start + title_start + len(author.group("name")))
            )
            title_start += author.end()
            head = piece[title_start:title_end].rstrip(" ,")
    # a title closes at a scope written without its comma: "..., vol. 1"
    head = re.sub(r",\s*$", "", head)
    if head.strip():
        lead = len(piece[title_start:]) - len(piece[title_start:].lstrip())
        parts.append(Span("title", start + title_start + lead, start + title_start + len(head)))
    if imprint:
        parts.append(Span("pubPlace", start + imprint.start("place"), start + imprint.end("place")))
        parts.append(
            Span("publisher", start + imprint.start("publisher"), start + imprint.end("publisher"))
        )
        parts.append(Span("date", start + imprint.start("year"), start + imprint.end("year")))
    return sorted(parts, key=lambda s: s.start)


def _archival(text: str, start: int, end: int) -> list[Span]:
    """Repository, settlement/country (where stated), collection and shelfmark of a reference."""
    parts: list[Span] = []
    pieces = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^,]+", text[start:end])]
    pieces = [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in pieces]
    pieces = [(a, _strip_end(text, a, b)) for a, b in pieces]
    repository_done = False
    shelf_start = None
    for a, b in pieces:
        value = text[a:b]
        if value in CITIES and shelf_start is None:
            parts.append(Span("settlement", a, b))
        elif value.replace(" ", "_") in COUNTRIES and shelf_start is None:
            parts.append(Span("country", a, b))
        elif not repository_done and shelf_start is None and not re.search(r"\d", value):
            parts.append(Span("repository", a, b))
            repository_done = True
        elif COLLECTION_RE.match(value) and shelf_start is None:
            parts.append(Span("collection", a, b))
        else:
            shelf_start = a if shelf_start is None else shelf_start
    if shelf_start is not None and pieces:
        parts.append(Span("idno", shelf_start, pieces[-1][1], (("type", "shelfmark"),)))
    return parts
