"""Shapes of single units: signatures, closers, datelines, addressees, apparatus lines.

Each function looks at the text of one unit (or one sentence) and says what it is; the
structure builder decides where such units may stand.
"""

from __future__ import annotations

import re

from . import patterns as P
from .fields import match_field
from .units import looks_like_prose

NAME_TOKEN = r"(?:[A-Z\u0400-\u042f\u00c0-\u00de][\w'’\-]*\.?|[A-Z]\.)"
PARTICLES = r"(?:de|von|van|da|del|la|le|bin|al|ibn|y|of|the)"
SIG = (
    rf"(?:(?:{P.TITLES})\s+)?{NAME_TOKEN}(?:\s+(?:{NAME_TOKEN}|{PARTICLES})){{0,6}}"
    r"(?:\s*\[[^\]\n]{1,40}\])?(?:\s*\([^)\n]{1,40}\))?"
)
DATETIME_BODY = rf"(?:{P.TIME}\s+)?{P.DATE}(?:,?\s+{P.TIME}(?:\s*hrs?\.?)?)?"
SIG_DATE_RE = re.compile(rf"^(?P<sig>{SIG})(?P<sep>[.,]?\s+)(?P<date>{DATETIME_BODY})(?P<end>\W*)$")
TRAILING_SIG_DATE_RE = re.compile(
    rf"(?:(?<=[.!?;:)]\s)|(?<=[.!?][\"”’]\s))(?P<sig>{SIG})(?P<sep>[.,]?\s+)"
    rf"(?P<date>{DATETIME_BODY})(?P<end>\W*)$"
)
TRAILING_SIG_RE = re.compile(
    rf"(?<=[.!?]\s)(?P<sig>{NAME_TOKEN}(?:\s+(?:{NAME_TOKEN}|{PARTICLES})){{1,4}})(?P<end>\W*)$"
)
SIGNATURE_RE = re.compile(rf"^(?P<sig>{SIG})(?P<end>[.,]?)$")
PLACE_DATE_RE = re.compile(
    rf"^[A-Z\u0400-\u042f][\w'\-]+(?:[ -][A-Z][\w'\-]+)?,\s+{DATETIME_BODY}\.?$"
)
DATE_ONLY_RE = re.compile(rf"^{DATETIME_BODY}\.?$", re.IGNORECASE)
#: a date as closers write it when the year goes without saying: "16.11", "Nov 15, 1950."
SHORT_DATE_RE = re.compile(r"^\d{1,2}\.\d{1,2}\.?$")
#: a date line with an editor's remark before it: "[date not filled in] August 1949"
NOTED_DATE_RE = re.compile(
    rf"^\[[^\]]{{1,60}}\]\s*(?:{DATETIME_BODY}|(?:{P.MONTHS})\.?\s+\d{{4}})\.?$"
)
#: a date in Chinese numerals: "一九五〇年十月八日"
CJK_DATE_RE = re.compile(
    r"^[〇一二三四五六七八九零○0-9]{2,4}年[一二三四五六七八九十0-9]{1,3}月"
    r"(?:[一二三四五六七八九十0-9]{1,3}[日号])?$"
)
#: a heading in Chinese script naming the kind of document: "中央军委电报"
CJK_HEADING_RE = re.compile(
    r"^[\u4e00-\u9fff]{0,10}(?:电报|来电|去电|函|报告|纪要|备忘录|声明|日记|谈话记录)$"
)
#: a short name in Chinese script standing alone ("毛泽东"): a signature above a date
CJK_NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
#: a month and year alone: "August 1949"
MONTH_YEAR_RE = re.compile(rf"^(?:{P.MONTHS})\.?\s+\d{{4}}\.?$")
SENTENCE_END_RE = re.compile(r"[.!?。！？](?:[\"”’»)]*)(?:\s+|$)")
CONNECTORS = {"and", "of", "the", "to", "&", "de", "von", "van", "da", "in", "for", "on", "at"}
_WORD_RE = re.compile(r"[^\s,;]+")


_ATTACHED_BRACKET = re.compile(r"(?<=\w)\[([^\]\s]{1,15})\]|\[([^\]\s]{1,15})\](?=\w)")


def bare(text: str) -> str:
    """A unit's text for judging its shape: no opening quotation mark, and editorial brackets
    inside a word or before a line taken off ("Com[rade]" → "Comrade", "[to] Cde." → "to
    Cde."), so a supplied letter does not hide a title."""
    s = text.strip().lstrip("".join(P.OPENING_QUOTES))
    s = _ATTACHED_BRACKET.sub(lambda m: m.group(1) or m.group(2), s)
    s = re.sub(r"^\[(to|To|TO)\]\s+", r"\1 ", s)
    s = re.sub(r"^\[(\w+)\]\s+(?=[A-Z])", r"\1 ", s)  # "[Chinese] Foreign Ministry"
    return " ".join(s.split())


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def is_upper_dominant(text: str) -> bool:
    """Mostly capital letters: letterheads, classification marks, signatures in capitals."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    return sum(1 for c in letters if c.isupper()) / len(letters) >= 0.75


def name_like(text: str, *, skip: int = 0) -> bool:
    """Every word (after the first ``skip``) capitalised, a title, or a connector; an editor's
    note in brackets after a word ("[via Zakharov]", "(for Roshchin)") is not counted."""
    text = re.sub(r"(?<=\S)\s+[\[(][^\])\n]{1,60}[\])]", "", text)
    ws = [w.strip(".,;:!?\"“”'’()[]") for w in words(text)][skip:]
    ws = [w for w in ws if w]
    if not ws or len(ws) > 14:
        return False
    capitalised = 0
    for w in ws:
        if w[0].isupper() or w[0].isdigit() or w in ("N°", "№"):
            capitalised += 1
        elif w.lower() not in CONNECTORS and w.lower().rstrip(".") not in P.ABBREVIATIONS:
            return False
    return capitalised > 0


def is_signature(text: str) -> bool:
    """A signature line: a name (with title) of up to six words, nothing else."""
    text = text.strip()
    if not text or len(words(text)) > 7 or (looks_like_prose(text) and not name_like(text)):
        return False
    if re.fullmatch(r"\[[^\]]{1,40}\]", text):
        return "signature" in text.lower()
    if len(words(text)) == 1 and text.endswith(".") and not text.isupper():
        return False  # "End." is a sentence; "STALIN." or "Stalin" may sign
    if text.strip(".").casefold() in NOT_SIGNATURES:
        return False
    return bool(SIGNATURE_RE.match(text)) and name_like(text)


#: short lines that end a text without signing it
NOT_SIGNATURES = frozenset({"end", "ends", "the end", "end of text", "end of message", "fin"})


def is_dateline(text: str) -> bool:
    """A date (with a time or a place) standing alone."""
    text = text.strip()
    return bool(
        DATE_ONLY_RE.match(text)
        or PLACE_DATE_RE.match(text)
        or NOTED_DATE_RE.match(text)
        or MONTH_YEAR_RE.match(text)
        or CJK_DATE_RE.match(text)
    )


def is_number_line(text: str) -> bool:
    return bool(P.NUMBER_LINE_RE.match(text.strip()))


#: a signature with the outgoing number after it: "Pavlíček 388."
SIG_NUMBER_RE = re.compile(rf"^(?P<sig>{SIG})\s+(?:{P.NUMBER_MARK}\s*)?\d[\d/.\-]*\.?$")
#: an office signing between dashes, with its number: "– 160 – charge d’affaires –"
OFFICE_SIG_RE = re.compile(r"^[–—-]\s*\d+\s*[–—-]\s*[\w’'.\s]{2,40}?\s*[–—-]?$")
#: a name in parentheses under a signature: "(A. PUZANOV)", "(N. Fedorenko)"
PAREN_NAME_RE = re.compile(rf"^\((?P<name>{NAME_TOKEN}(?:\s+{NAME_TOKEN}){{0,4}})\)\.?$")
#: the mark of a signed copy: "(Sd)", "(Sd.)", "(signed)"
SIGNED_MARK_RE = re.compile(r"\(\s*(?:Sd|sd|signed|Signed)\.?\s*\)\.?$")


def closer_kind(text: str) -> str | None:
    """What closer part a whole unit is: ``signed``, ``signed-dated``, ``role`` (a title
    line or a bracketed description next to a signature), ``dateline``, ``number``,
    ``salute`` (a valediction) or ``addressee`` (an address at the foot)."""
    text = text.strip()
    if not text:
        return None
    shaped = bare(text)
    if is_dateline(text) or SHORT_DATE_RE.match(text):
        return "dateline"
    signed = SIG_DATE_RE.match(text)
    if signed and name_like(signed.group("sig")):
        return "signed-dated"
    if is_number_line(text):
        return "number"
    field = match_field(text)
    if field is not None and field.role == "signed":
        return "signed"
    if SIGNED_MARK_RE.fullmatch(shaped):
        return "role"  # "(Sd)." under a valediction: the mark of the signature below it
    if P.ADDRESSEE_RE.match(shaped) and name_like(shaped, skip=1):
        return "addressee"  # an address at the foot, after the signature
    if is_signature(shaped) or PAREN_NAME_RE.match(text) or OFFICE_SIG_RE.match(text):
        return "signed"
    number = SIG_NUMBER_RE.match(shaped)
    if number and name_like(number.group("sig")) and not looks_like_prose(text):
        return "signed"
    if re.fullmatch(r"\[[^\[\]]{1,80}\]", text) and re.search(r"[^\W\d_]", text):
        return "role"  # "[signature]", "[chairman of the National Commission …]"
    if (P.VALEDICTION_RE.match(shaped) or SIGNED_MARK_RE.search(shaped)) and len(words(text)) <= 8:
        return "salute"
    return None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of ``text``; abbreviations and initials do not end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_END_RE.finditer(text):
        end = match.end()
        # the word the mark ends (read back to the space before it, never from ``start``:
        # a paragraph of thousands of abbreviations stays linear)
        k = match.start() + 1
        while k > start and text[k - 1].isspace():
            k -= 1
        j = k
        while j > start and not text[j - 1].isspace():
            j -= 1
        token = text[j:k]
        bare = token.rstrip(".").lower()
        if match.group(0).startswith(".") and (
            bare in P.ABBREVIATIONS or (len(bare) == 1 and bare.isalpha()) or bare in ("n°", "№")
        ):
            continue
        if end < len(text) and not (
            text[end : end + 1].isupper()
            or text[end : end + 1] in '"“([«'
            or text[end : end + 1].isdigit()
        ):
            continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def opener_sentence_role(sentence: str) -> str | None:
    """Whether a leading sentence is an addressee, copies or salutation line."""
    s = bare(sentence)
    if len(words(s)) > 16:
        return None
    if P.COPIES_RE.match(s) and re.match(r"^\w+\s+to\b", s, re.I) and name_like(s, skip=2):
        return "copies"  # "Copies to Cde. X"; "Copies: X, Y" is a field (or a distribution)
    if P.ADDRESSEE_RE.match(s) and name_like(s, skip=1) and match_field(s) is None:
        return "addressee"
    if s.endswith("!") and P.SALUTE_RE.match(s) and len(words(s)) <= 8:
        return "salute"
    return None


def opener_unit_role(text: str) -> tuple[str, str | None] | None:
    """Whether a whole unit belongs to the opener: (role, field name)."""
    s = bare(text)
    field = match_field(s)
    if field and len(words(s)) <= 30 and field.role != "signed":
        return field.role, field.name
    role = opener_sentence_role(s)
    if role:
        return role, None
    if P.SENDER_LINE_RE.match(s) and name_like(s, skip=1) and not note_kind(s):
        return "sender", None
    if P.CJK_SALUTE_RE.match(s):
        return "salute", None
    if looks_like_prose(s) and not s.endswith(("!", ",", ":")):
        return None
    if P.SALUTE_RE.match(s) and len(words(s)) <= 10 and not P.ADDRESSEE_RE.match(s):
        return "salute", None
    if is_dateline(s):
        return "dateline", None
    return None


def org_address(text: str) -> bool:
    """An address line naming an organisation, ending in a comma: "Embassy in Yugoslavia along
    with all other embassies and consulates," (only where a letter begins)."""
    s = bare(text)
    return (
        s.endswith(",")
        and len(words(s)) <= 16
        and bool(re.match(rf"^(?:the\s+|To\s+the\s+)?(?:{NAME_TOKEN}\s+){{0,3}}{P.ORG_WORDS}\b", s))
    )


def note_kind(text: str) -> str | None:
    """The kind of an archival apparatus line, by its first words."""
    s = text.strip()
    for kind, pattern in P.NOTE_KINDS:
        if pattern.search(s) if kind == "copy" else pattern.match(s):
            return kind
    return None


def is_stamp(text: str) -> bool:
    return bool(re.match(r"^\[\s*(?:Stamp|STAMP|Seal|SEAL|Stamped|Rubber\s+stamp)\b", text.strip()))


def is_whole_bracket(text: str) -> bool:
    s = text.strip()
    return s.startswith("[") and s.endswith("]") and s.count("[") == s.count("]")


_HANDWRITTEN_RE = re.compile(
    r"^\[\s*(?:handwritten|handwriting|hand-written|in\s+(?:pencil|ink)|marginal|margin)\b",
    re.IGNORECASE,
)


def bracket_note_kind(text: str) -> str:
    """What a line that is one editor's bracket describes: ``handwritten`` ("[handwritten:
    …]", "[in pencil: …]") or an ``editorial`` remark."""
    return "handwritten" if _HANDWRITTEN_RE.match(text.strip()) else "editorial"


def apparatus_kind(text: str) -> str | None:
    """An archival line at the head of a document: what kind, or None for running text."""
    s = text.strip()
    if is_stamp(s):
        return "stamp"
    if is_whole_bracket(s) and len(words(s)) <= 30:
        return bracket_note_kind(s)
    first = s.split("[")[0].strip()
    if len(s) > len(first) and first and is_upper_dominant(first) and len(words(first)) <= 8:
        return "letterhead"  # "USSR EMBASSY IN THE DPRK [faded USSR TOP SECRET …]"
    if (
        len(words(s)) <= 14
        and not s.endswith((".", ",", ";", ":", "!", "?"))
        and re.search(rf"\b{P.ORG_WORDS}\b", s)
        and name_like(s)
    ):
        return "letterhead"  # "GDR Embassy to the DPRK", "8th Department of the General Staff"
    if re.match(
        r"^(?:Attachment|Annex|Appendix|Enclosure|Supplement)\s+(?:No\.\s*)?[\dIVX]+\.?$", s
    ):
        return "heading"
    if looks_like_prose(s) and not P.APPARATUS_START_RE.match(s):
        return None
    kind = note_kind(s)
    if kind:
        return kind
    if P.LETTER_SPACED_RE.match(s) and len(s) >= 7:
        return "heading"
    if re.match(r"^(?:\S ){3,}\S(?:\s|$)", s):
        return "heading"  # "P R O T O C O L  No. 7"
    if CJK_HEADING_RE.match(s):
        return "heading"  # "中央军委电报"
    if is_upper_dominant(s) and len(words(s)) <= 16:
        if any(pattern.search(s) for _, pattern in P.DOCUMENT_KINDS):
            return "heading"
        return "letterhead"
    return None


def document_kind(text: str) -> str | None:
    """A document kind named in a title, heading or introducing sentence (the first one)."""
    if P.LETTER_SPACED_RE.match(text.strip()):
        text = text.replace(" ", "")
    best: tuple[int, str] | None = None
    for kind, pattern in P.DOCUMENT_KINDS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind)
    return best[1] if best else None
