"""Inline parsing: superscripts, bold, editorial brackets, footnote markers and quoted speech.

Every character of the input ends up in the returned spans, in order; marks that cannot be
paired (an unbalanced quotation mark, a stray ``<sup>``) stay as plain text and are reported.
Constructs nest at most :data:`MAX_INLINE_DEPTH` deep: a mark that would open a deeper one
stays plain text, and so does its partner (``R206``), so no input nests the model or the TEI
without bound.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ...diagnostics import diagnostic
from ...findings import Finding
from ...model import Bracketed, Break, Choice, Emph, Inline, NoteRef, Quoted, Sup, Text
from . import patterns as P

#: an HTML tag of the format, written as the archive writes it, without spaces: "<sup" ending
#: a line and ">" beginning the next are text (the lossless check reads the source line by
#: line, and a section's lines are joined by a space in the header)
TAG_RE = re.compile(r"<(?P<close>/?)(?P<name>sup|sub|i|em|b|strong|u)>", re.IGNORECASE)
TAG_RENDS = {
    "sub": "subscript",
    "i": "italic",
    "em": "italic",
    "b": "bold",
    "strong": "bold",
    "u": "underline",
}
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
#: the closed vocabulary of gap reasons, by words of the bracket
GAP_REASONS = (
    ("redacted", ("not declassified", "redacted", "sanitized", "excised")),
    ("deleted", ("deleted", "crossed out")),
    ("damaged", ("torn", "damaged")),
    ("omitted", ("omitted",)),
)


#: how deep brackets, quotation marks, bold and HTML tags nest inside one another, at most
MAX_INLINE_DEPTH = 24
#: how many characters before and after a bracket its classification reads (the words next
#: to it; a bound, so that a line of thousands of brackets is read in linear time)
CONTEXT = 160


@dataclass
class _Frame:
    kind: str  # root | tag | bold | quote
    mark: str
    start: int
    children: list[Inline] = field(default_factory=list)
    tag: str = ""


def _append_text(children: list[Inline], text: str) -> None:
    if not text:
        return
    if children and isinstance(children[-1], Text):
        children[-1] = Text(children[-1].text + text)
    else:
        children.append(Text(text))


_LAST_WORD_RE = re.compile(r"([^\W_][\w'’\-]*)(\s?)$")


def _mark_sic(children: list[Inline]) -> None:
    """The word a ``[sic]`` qualifies (right before it) becomes a reading kept as written
    (``Choice`` with the source only: TEI ``sic``)."""
    if not children or not isinstance(children[-1], Text):
        return
    m = _LAST_WORD_RE.search(children[-1].text)
    if m is None:
        return
    head = children[-1].text[: m.start()]
    children.pop()
    if head:
        children.append(Text(head))
    children.append(Choice(sic=[Text(m.group(1))], corr=[]))
    if m.group(2):
        children.append(Text(m.group(2)))


def _bracket_pairs(text: str) -> dict[int, int]:
    """Each ``[`` of ``text`` and the ``]`` that closes it (``-1`` if none), in one pass: a
    line of thousands of unclosed brackets costs no more than its length."""
    pairs: dict[int, int] = {}
    open_at: list[int] = []
    for k, ch in enumerate(text):
        if ch == "[":
            open_at.append(k)
            pairs[k] = -1
        elif ch == "]" and open_at:
            pairs[open_at.pop()] = k
    return pairs


#: an editor's description of a redaction ("[Paragraph's first line … redacted]")
REDACTION_RE = re.compile(
    r"\b(?:redacted|not\s+declassified|sanitized|sanitised|excised|withheld|"
    r"remains?\s+classified|classified\s+(?:text|material|passage))\b",
    re.IGNORECASE,
)
#: an editor's remark that a person is not identified ("Lopez [not further identified]")
UNIDENTIFIED_RE = re.compile(
    r"^(?:not\s+(?:further\s+)?identified|unidentified|identity\s+unknown)\b", re.IGNORECASE
)
#: words after which a capitalised bracket is supplied text, not another form of a name
_NOT_GLOSSED = frozenset(
    """the a an this that these those his her their its our my your to of and or in on at by
    for from with comrade comrades cde cdes mr mrs ms dr messrs""".split()
)
_NAME_LIKE_RE = re.compile(r"^(?:[^\W\d_][\w'’.\-]*)(?:\s+[^\W\d_][\w'’.\-]*){0,7}$")


def _another_form(inner: str, before: str, after: str) -> bool:
    """ "Ri Jong-mok [Ri Jong Mok]", "KULJA [Ghulja]", "Minfar’s [Ministry of …]": a bracket
    after a capitalised word, holding capitalised words, that ends the phrase (what follows
    is not a capitalised word continuing a name, as in "Korean [People's] Army")."""
    previous = re.search(r"([^\W\d_][\w'’.\-]*)\s?$", before)
    if previous is None or not previous.group(1)[:1].isupper():
        return False
    if previous.group(1).rstrip(".’'").casefold() in _NOT_GLOSSED:
        return False
    if not _NAME_LIKE_RE.match(inner):
        return False
    words = [w for w in inner.split() if w.casefold() not in ("of", "the", "and", "for", "on")]
    if not all(w[:1].isupper() for w in words):
        return False
    following = after.lstrip(" ")
    if following[:1].isalpha() and following[:1].isupper():
        return False
    # another form of the same name begins as one of its words does ("Pak Seong-cheol [Pak
    # Song Chol]", "Minfar’s [Ministry …]"); "Chen [Yi]" supplies the missing given name
    run = re.search(r"((?:[^\W\d_][\w'’.\-]*\s){0,2}[^\W\d_][\w'’.\-]*)\s?$", before)
    initials = {w[0].casefold() for w in run.group(1).split()} if run else set()
    return inner[0].casefold() in initials


def classify_bracket(content: str, before: str, after: str) -> tuple[str, str | None]:
    """What an editorial bracket is, from its content and the characters around it."""
    inner = content.strip()
    if P.FOOTNOTE_MARK_RE.match(inner) and not before[-1:].isdigit():
        return "noteref", None
    if P.SIC_RE.match(inner):
        return "sic", None
    if REDACTION_RE.search(inner):
        return "gap", "redacted"
    if UNIDENTIFIED_RE.match(inner):
        return "note", None
    gap = P.GAP_WORDS_RE.match(inner)
    if gap:
        word = inner.lower()
        if word in ("...", "…") or set(word) == {"."}:
            return "gap", "omitted"
        for reason in ("signature", "stamp", "seal", "initials"):
            if reason in word:
                return "gap", reason
        if "illegible" in word or "unclear" in word:
            return "gap", "illegible"
        for reason, words in GAP_REASONS:
            if any(w in word for w in words):
                return "gap", reason
        return "gap", "missing"
    if P.NOTE_WORDS_RE.match(inner):
        return "note", None
    if _LETTER_OR_DIGIT.match(before[-1:] or " ") or _LETTER_OR_DIGIT.match(after[:1] or " "):
        return "supplied", None  # part of a word or number: Gro[myko], 195[1]
    previous = re.search(r"([^\W\d_][\w'’.-]*)\s$", before)
    if previous and inner[:1].isupper():
        word = previous.group(1).rstrip(".")
        if word[:1].isupper() and (word.isupper() != inner.isupper()):
            return "gloss", None  # FILIPPOV [Stalin]
    if re.match(r"^(?:i\.\s?e\.|=|that is|meaning)\s", inner, re.IGNORECASE):
        return "gloss", None
    if _another_form(inner, before, after):
        return "gloss", None
    return "supplied", None


class InlineParser:
    """Parse one string into spans; collects diagnostics with the given line number."""

    def __init__(
        self,
        line: int = 0,
        path: str | None = None,
        *,
        quotes: bool = True,
        depth: int = 0,
        offset: int = 0,
    ) -> None:
        self.line = line
        self.offset = offset  # the column of the text parsed, in its line (inside brackets)
        self.path = path
        self.quotes = quotes
        self.depth = depth  # how deep the text parsed is nested already (inside brackets)
        self.diagnostics: list[Finding] = []
        #: marks kept as text because they would open a construct too deep, by (kind, mark);
        #: as many of their closing marks stay text too
        self.flat: Counter[tuple[str, str]] = Counter()

    def _too_deep(self, stack: list[_Frame], kind: str, mark: str, column: int) -> bool:
        """Whether a construct opened here would nest deeper than allowed (reported once)."""
        if self.depth + len(stack) - 1 < MAX_INLINE_DEPTH:
            return False
        if not any(d.code == "R206" for d in self.diagnostics):
            self._report(
                "R206",
                f"brackets, quotation marks or tags nested more than {MAX_INLINE_DEPTH} deep "
                f"at column {self.offset + column + 1}: the deeper ones are kept as plain text",
            )
        self.flat[(kind, mark)] += 1
        return True

    def _flat_close(self, kind: str, mark: str) -> bool:
        """A closing mark whose opening one was kept as text: it stays text too."""
        if self.flat[(kind, mark)] > 0:
            self.flat[(kind, mark)] -= 1
            return True
        return False

    def parse(self, text: str) -> list[Inline]:
        stack = [_Frame("root", "", 0)]
        brackets = _bracket_pairs(text)
        i = 0
        n = len(text)
        plain_start = 0

        def flush(upto: int) -> None:
            _append_text(stack[-1].children, text[plain_start:upto])

        while i < n:
            ch = text[i]
            if ch == "<":
                match = TAG_RE.match(text, i)
                if match:
                    name = match.group("name").lower()
                    closing = bool(match.group("close"))
                    if (closing and self._flat_close("tag", name)) or (
                        not closing and self._too_deep(stack, "tag", name, i)
                    ):
                        i = match.end()  # stays plain text
                        continue
                    flush(i)
                    if not closing:
                        stack.append(_Frame("tag", match.group(0), i, tag=name))
                    elif any(f.kind == "tag" and f.tag == name for f in stack[1:]):
                        self._close_to(
                            stack, lambda f, name=name: f.kind == "tag" and f.tag == name
                        )
                        frame = stack.pop()
                        node: Inline = (
                            Sup(frame.children)
                            if name == "sup"
                            else Emph(TAG_RENDS[name], frame.children)
                        )
                        stack[-1].children.append(node)
                    else:
                        _append_text(stack[-1].children, match.group(0))
                    i = match.end()
                    plain_start = i
                    continue
            elif ch == "*" and text.startswith("**", i):
                bold_open = any(f.kind == "bold" for f in stack[1:])
                if (not bold_open and self._flat_close("bold", "**")) or (
                    not bold_open and self._too_deep(stack, "bold", "", i)
                ):
                    i += 2  # stays plain text
                    continue
                flush(i)
                if bold_open:
                    self._close_to(stack, lambda f: f.kind == "bold")
                    frame = stack.pop()
                    stack[-1].children.append(Emph("bold", frame.children))
                else:
                    stack.append(_Frame("bold", "**", i))
                i += 2
                plain_start = i
                continue
            elif ch == "[":
                end = brackets[i]
                if end > i + 1 and self._too_deep(stack, "bracket", "[", i):
                    self.flat[("bracket", "[")] -= 1  # the whole bracket stays plain text
                    i = end + 1
                    continue
                if end > i + 1:
                    flush(i)
                    content = text[i + 1 : end]
                    kind, reason = classify_bracket(
                        content, text[max(0, i - CONTEXT) : i], text[end + 1 : end + 1 + CONTEXT]
                    )
                    if kind == "noteref":
                        stack[-1].children.append(NoteRef(content.strip(), text[i : end + 1]))
                    elif kind == "sic":
                        _mark_sic(stack[-1].children)
                        stack[-1].children.append(Bracketed(kind, [Text(content)], reason))
                    else:
                        inner = InlineParser(
                            self.line,
                            self.path,
                            depth=self.depth + len(stack),
                            offset=self.offset + i + 1,
                        )
                        children = inner.parse(content)
                        self.diagnostics.extend(inner.diagnostics)
                        stack[-1].children.append(Bracketed(kind, children, reason))
                    i = end + 1
                    plain_start = i
                    continue
                if end < 0:
                    self._report("R204", f"'[' at column {self.offset + i + 1} is not closed")
            elif self.quotes and (ch in P.OPENING_QUOTES or ch in P.CLOSING_QUOTES):
                handled = self._quote(text, i, stack, flush)
                if handled:
                    i += 1
                    plain_start = i
                    continue
            i += 1
        flush(n)
        while len(stack) > 1:
            self._unwind(stack)
        return stack[0].children

    # -- quotation marks ---------------------------------------------------------------------

    def _quote(self, text: str, i: int, stack: list[_Frame], flush) -> bool:
        ch = text[i]
        open_quote = next((f for f in reversed(stack) if f.kind == "quote"), None)
        flat_partner = next(
            (
                mark
                for (kind, mark), n in self.flat.items()
                if kind == "quote" and n > 0 and P.QUOTE_PAIRS.get(mark) == ch
            ),
            None,
        )
        if (
            flat_partner is not None
            and (ch != '"' or self._closing_position(text, i))
            and self._flat_close("quote", flat_partner)
        ):
            return False  # its opening mark stayed text: so does it
        if (
            open_quote is not None
            and P.QUOTE_PAIRS.get(open_quote.mark) == ch
            and (ch != '"' or self._closing_position(text, i))
        ):
            flush(i)
            self._close_to(stack, lambda f: f is open_quote)
            frame = stack.pop()
            stack[-1].children.append(Quoted(frame.children, frame.mark, ch))
            return True
        if ch in P.OPENING_QUOTES and self._opening_position(text, i):
            if self._too_deep(stack, "quote", ch, i):
                return False
            flush(i)
            stack.append(_Frame("quote", ch, i))
            return True
        return False

    @staticmethod
    def _opening_position(text: str, i: int) -> bool:
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if text[i] != '"':
            return True
        return (before.isspace() or before in "([{—–-:/" or i == 0) and not after.isspace()

    @staticmethod
    def _closing_position(text: str, i: int) -> bool:
        before = text[i - 1] if i else " "
        return not before.isspace()

    # -- unbalanced constructs ---------------------------------------------------------------

    def _close_to(self, stack: list[_Frame], target) -> None:
        while len(stack) > 1 and not target(stack[-1]):
            self._unwind(stack)

    def _unwind(self, stack: list[_Frame]) -> None:
        """An unclosed construct: its mark goes back into the text as it was written."""
        frame = stack.pop()
        if frame.kind == "quote":
            self._report(
                "R203",
                f"quotation mark {frame.mark} at column {self.offset + frame.start + 1} "
                "is not closed in this paragraph; kept as written",
            )
        elif frame.kind == "tag":
            column = self.offset + frame.start + 1
            self._report("R205", f"{frame.mark} at column {column} is not closed")
        parent = stack[-1].children
        _append_text(parent, frame.mark)
        for child in frame.children:
            if isinstance(child, Text):
                _append_text(parent, child.text)
            else:
                parent.append(child)

    def _report(self, code: str, message: str) -> None:
        self.diagnostics.append(diagnostic(code, message, line=self.line, path=self.path))


def parse_lines(
    lines: list[str],
    numbers: list[int],
    joins: list[str],
    path: str | None = None,
    *,
    quotes: bool = True,
) -> tuple[list[Inline], list[Finding]]:
    """Parse the lines of one unit, keeping the breaks between them as :class:`Break` spans."""
    out: list[Inline] = []
    diagnostics: list[Finding] = []
    for k, line in enumerate(lines):
        parser = InlineParser(numbers[k] if k < len(numbers) else 0, path, quotes=quotes)
        spans = parser.parse(line.strip())
        diagnostics.extend(parser.diagnostics)
        if k:
            kind = joins[k - 1] if k - 1 < len(joins) else "line"
            out.append(
                Break(
                    "page" if kind.startswith("page") else "line", inword=kind.endswith("-inword")
                )
            )
        for span in spans:
            if isinstance(span, Text) and out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + span.text)
            else:
                out.append(span)
    return out, diagnostics
