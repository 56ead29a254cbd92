"""RELAX NG datatypes: the built-in library and XML Schema's, as libxml2 judges them.

:class:`Datatype` says whether a string is in a datatype's lexical space (``data``) and
whether two strings denote the same value (``value``); :func:`describe_xsd_type` names a type
the way messages do ("an ISO date (YYYY-MM-DD)").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from ..namespaces import RNG, XSD_DATATYPES

RNG_NS = RNG
XSD_LIBRARY = XSD_DATATYPES

_XML_SPACE = re.compile(r"[ \t\r\n]+")


def xml_split(value: str) -> list[str]:
    """Tokens separated by XML whitespace (not by a no-break space, as ``str.split`` does)."""
    return [t for t in _XML_SPACE.split(value) if t]


def is_xml_space(value: str) -> bool:
    """Whether ``value`` is empty or only XML whitespace."""
    return not value.strip(" \t\r\n")


class Datatype:
    """A datatype from a library (built-in or XSD) with its parameters.

    XSD values are checked by libxml2 itself (a one-element RELAX NG grammar per datatype), so
    a value is valid here exactly when it is valid for the engine that gave the verdict. Plain
    forms of the commonest types (``2024-05-01``, ``1950``, ``p12``, ``#ref``) are accepted
    without asking libxml2; anything else is asked.
    """

    __slots__ = ("_fast", "_memo", "library", "name", "params")

    def __init__(self, library: str, name: str, params: tuple[tuple[str, str], ...]) -> None:
        self.library = library
        self.name = name
        self.params = params
        self._memo: dict[str, bool] = {}
        self._fast = _fast_check(name, params) if library == XSD_LIBRARY else None

    @property
    def trivial(self) -> bool:
        """Every string is allowed (built-in types, XSD string types without facets)."""
        if not self.library:
            return True
        return not self.params and self.name in ("string", "token", "normalizedString")

    def allows(self, value: str) -> bool:
        """Whether ``value`` is in the datatype's lexical space."""
        if self.trivial:
            return True
        found = self._memo.get(value)
        if found is None:
            if self._fast is not None and self._fast(value):
                return True
            if len(self._memo) > 50_000:
                self._memo.clear()
            found = self._memo[value] = self._check(
                f'<data type="{_attr(self.name)}">' + self._param_xml() + "</data>", value
            )
        return found

    def equal(self, value: str, other: str, context: dict[str, str]) -> bool:
        """Whether two lexical values denote the same value (``value`` patterns)."""
        if not self.library:
            if self.name == "string":
                return value == other
            return xml_split(value) == xml_split(other)
        if self.name in ("string",):
            return value == other
        if self.name in ("token", "NCName", "NMTOKEN", "ID", "IDREF", "language", "Name"):
            return xml_split(value) == xml_split(other)
        key = f"={other}"
        found = self._memo.get(key + "\0" + value)
        if found is None:
            found = self._check(f'<value type="{_attr(self.name)}">{_text(value)}</value>', other)
            self._memo[key + "\0" + value] = found
        return found

    def _param_xml(self) -> str:
        return "".join(f'<param name="{_attr(n)}">{_text(v)}</param>' for n, v in self.params)

    def _check(self, pattern: str, value: str) -> bool:
        key = (self.library, pattern)
        checker = _CHECKERS.get(key, False)
        if checker is False:
            grammar = (
                f'<element xmlns="{RNG_NS}" datatypeLibrary="{_attr(self.library)}" '
                f'name="v">{pattern}</element>'
            )
            try:
                checker = etree.RelaxNG(etree.fromstring(grammar))
            except (etree.RelaxNGParseError, etree.XMLSyntaxError):
                checker = None
            _CHECKERS[key] = checker
        if checker is None:
            return True  # a datatype libxml2 does not know: do not second-guess it
        element = etree.Element("v")
        try:
            element.text = value
        except ValueError:
            return False
        return bool(checker.validate(element))

    def describe(self) -> str:
        """How Jing says it: "a year", "an ISO date", "a string matching ..."."""
        if not self.library:
            return "a string" if self.name == "string" else "a token"
        text = _DESCRIPTIONS.get(self.name, f"a value of type xsd:{self.name}")
        pattern = dict(self.params).get("pattern")
        if pattern is not None:
            base = "a string" if self.name in ("string", "token", "normalizedString") else text
            text = f'{base} matching the regular expression "{pattern}"'
        facets = [f"{n} {v}" for n, v in self.params if n != "pattern"]
        return text + (f" ({', '.join(facets)})" if facets else "")


_CHECKERS: dict[tuple[str, str], etree.RelaxNG | None] = {}

# Values that are certainly valid (a subset of each lexical space: ASCII, the usual forms).
# They only ever say yes; a value they do not recognise goes to libxml2.
_YEAR = r"(?!0000)\d{4}"
_MONTH = r"(?:0[1-9]|1[0-2])"
_PLAIN = {
    "gYear": re.compile(_YEAR),
    "gYearMonth": re.compile(f"{_YEAR}-{_MONTH}"),
    "date": re.compile(f"({_YEAR})-({_MONTH})-(0[1-9]|[12]\\d|3[01])"),
    "gMonth": re.compile(f"--{_MONTH}"),
    "gMonthDay": re.compile(f"--{_MONTH}-(?:0[1-9]|1\\d|2[0-8])"),
    "gDay": re.compile(r"---(?:0[1-9]|[12]\d|3[01])"),
    "time": re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d"),
    "dateTime": re.compile(
        f"{_YEAR}-{_MONTH}-(?:0[1-9]|1\\d|2[0-8])T(?:[01]\\d|2[0-3]):[0-5]\\d:"
        r"[0-5]\d"
    ),
    "integer": re.compile(r"-?\d{1,18}"),
    "nonNegativeInteger": re.compile(r"\d{1,18}"),
    "positiveInteger": re.compile(r"0*[1-9]\d{0,17}"),
    "decimal": re.compile(r"-?\d{1,15}(?:\.\d{1,15})?"),
    "double": re.compile(r"-?\d{1,15}(?:\.\d{1,15})?"),
    "float": re.compile(r"-?\d{1,6}(?:\.\d{1,6})?"),
    "boolean": re.compile(r"true|false|1|0"),
    "NCName": re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*"),
    "ID": re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*"),
    "IDREF": re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*"),
    "Name": re.compile(r"[A-Za-z_:][A-Za-z0-9_.:-]*"),
    "NMTOKEN": re.compile(r"[A-Za-z0-9_.:-]+"),
    "language": re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*"),
    "anyURI": re.compile(
        r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?[A-Za-z0-9_.~/?=&+@!$*,;-]*"
        r"(?:#[A-Za-z0-9_.~/?=&+@!$*,;:-]*)?"
    ),
    "token": re.compile(r"(?:[!-~]+(?: [!-~]+)*)?"),
    "string": re.compile(r"[ -~]*"),
    "normalizedString": re.compile(r"[ -~]*"),
}
#: XSD ``pattern`` facets the TEI uses everywhere, as ASCII-only certainties
_PLAIN_PATTERNS = {
    r"\S+": re.compile(r"[!-~]+"),
    r"[^\p{C}\p{Z}]+": re.compile(r"[!-~]+"),
    r"(\p{L}|\p{N}|\p{P}|\p{S})+": re.compile(r"[!-~]+"),
}
_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _fast_check(name: str, params: tuple[tuple[str, str], ...]) -> Callable[[str], bool] | None:
    """A check that says yes to plain valid values of an XSD type (else ``None``)."""
    plain = _PLAIN.get(name)
    if plain is None:
        return None
    patterns = []
    for param, value in params:
        if param != "pattern" or value not in _PLAIN_PATTERNS:
            return None  # other facets (lengths, bounds): always ask libxml2
        patterns.append(_PLAIN_PATTERNS[value])

    def check(value: str) -> bool:
        found = plain.fullmatch(value)
        if found is None or not all(p.fullmatch(value) for p in patterns):
            return False
        if name == "date":  # the day must exist in that month of that year
            year, month, day = (int(g) for g in found.groups())
            leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
            return day <= (_DAYS[month] if month != 2 else 29 if leap else 28)
        return True

    return check


def describe_xsd_type(name: str) -> str:
    """How an XSD built-in type is named in messages: "an ISO date (YYYY-MM-DD)"."""
    return _DESCRIPTIONS.get(name, f"a value of type xsd:{name}")


_DESCRIPTIONS = {
    "string": "a string",
    "normalizedString": "a string",
    "token": "a token",
    "anyURI": "a URI",
    "NCName": "an XML name without colons",
    "Name": "an XML name",
    "QName": "a qualified name",
    "ID": "an XML name without colons",
    "IDREF": "an XML name without colons",
    "IDREFS": "a list of XML names without colons",
    "NMTOKEN": "a name token",
    "NMTOKENS": "a list of name tokens",
    "language": "a language tag",
    "boolean": 'a boolean ("true", "false", "1" or "0")',
    "decimal": "a decimal number",
    "integer": "an integer",
    "nonNegativeInteger": "a non-negative integer",
    "positiveInteger": "a positive integer",
    "nonPositiveInteger": "a non-positive integer",
    "negativeInteger": "a negative integer",
    "long": "an integer",
    "int": "an integer",
    "short": "an integer",
    "byte": "an integer",
    "unsignedLong": "a non-negative integer",
    "unsignedInt": "a non-negative integer",
    "double": "a floating-point number",
    "float": "a floating-point number",
    "date": "an ISO date (YYYY-MM-DD)",
    "dateTime": "an ISO date and time",
    "time": "an ISO time",
    "gYear": "a year (YYYY)",
    "gYearMonth": "an ISO year and month (YYYY-MM)",
    "gMonth": "an ISO month (--MM)",
    "gDay": "an ISO day of the month (---DD)",
    "gMonthDay": "an ISO month and day (--MM-DD)",
    "duration": "an ISO duration",
    "hexBinary": "hexadecimal binary data",
    "base64Binary": "base64 binary data",
}


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
