"""Simple types for the XSD writer: attribute values and text-only element content.

A value pattern of the resolved grammar (``data`` with its parameters, ``value``, ``choice``,
``list``, ``text``, ``empty``) becomes an XSD simple type, exactly where XSD can say it:
``data`` is the XSD built-in of the same name (RELAX NG's XSD datatype library *is* XSD's
datatypes) with its parameters as facets (several ``pattern``\\ s, which RELAX NG requires all
to match, as one restriction per pattern, since patterns in one restriction are
alternatives); ``value``\\ s become enumerations of their type; a ``choice`` a union; a
``list`` an ``xs:list`` with length facets. What XSD cannot say is loosened and reported:
``data`` with ``except``, list items in a fixed order of different types, datatypes outside
the XSD library, and the identity types (``ID``, ``IDREF``, ``ENTITY``…) whose document-wide
checks RELAX NG validators do not make.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ..namespaces import XS, XSD_DATATYPES
from ..relaxng.patterns import Pattern
from .xsd_model import Loosening

_X = f"{{{XS}}}"

#: the built-in datatypes of XSD 1.0 (part 2, section 3)
BUILTINS = frozenset(
    (
        "string",
        "boolean",
        "decimal",
        "float",
        "double",
        "duration",
        "dateTime",
        "time",
        "date",
        "gYearMonth",
        "gYear",
        "gMonthDay",
        "gDay",
        "gMonth",
        "hexBinary",
        "base64Binary",
        "anyURI",
        "QName",
        "NOTATION",
        "normalizedString",
        "token",
        "language",
        "NMTOKEN",
        "NMTOKENS",
        "Name",
        "NCName",
        "ID",
        "IDREF",
        "IDREFS",
        "ENTITY",
        "ENTITIES",
        "integer",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "positiveInteger",
    )
)
#: identity datatypes: XSD checks them across the document, so they become their lexical form
IDENTITY = {
    "ID": "NCName",
    "IDREF": "NCName",
    "ENTITY": "NCName",
    "IDREFS": "NCName*",
    "ENTITIES": "NCName*",
    "NOTATION": "QName",
}
#: the facets RELAX NG's XSD datatype library allows as parameters
FACETS = frozenset(
    (
        "length",
        "minLength",
        "maxLength",
        "pattern",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "totalDigits",
        "fractionDigits",
    )
)
UNBOUNDED = -1


@dataclass
class SimpleType:
    """An XSD simple type: a named one (``name``: ``xs:token``, or a type of the schema) or
    a definition (``body`` is an ``xs:restriction``, ``xs:list`` or ``xs:union``)."""

    name: str | None = None
    body: etree._Element | None = None
    loosenings: list[Loosening] = field(default_factory=list)
    #: the type's values are checked as ``xs:list`` items (it cannot be a list's item)
    is_list: bool = False


def xs(local: str, **attrs: str) -> etree._Element:
    return etree.Element(_X + local, **attrs)


def builtin(local: str, notes: list[Loosening] | None = None) -> SimpleType:
    return SimpleType(name=f"xs:{local}", loosenings=notes or [])


STRING = "xs:string"
Share = Callable[[Pattern, SimpleType], SimpleType]


class SimpleTypes:
    """Builds simple types from value patterns. ``share`` sees every type defined for a
    pattern and may give it a name in the schema (it returns the type to use: the named
    one, or the definition as it is)."""

    def __init__(self, share: Share | None = None) -> None:
        self.share = share

    def convert(self, p: Pattern) -> SimpleType:
        result = self._convert(p)
        if result.body is not None and self.share is not None:
            return self.share(p, result)
        return result

    def _convert(self, p: Pattern) -> SimpleType:
        kind = p.kind
        if kind == "text":
            return builtin("string")
        if kind == "empty":
            return _empty_string()
        if kind == "data":
            return self._data(p)
        if kind == "value":
            return self._values([p])
        if kind == "choice":
            return self._choice(p)
        if kind == "list":
            return self._list(p)
        if kind == "optional":  # a value or nothing
            kid = self.convert(p.kids[0])
            if kid.name == STRING:
                return kid
            return self._union([kid, _empty_string()])
        return builtin("string", [Loosening("datatype", f"{p.kind} in a value is any string")])

    # -- data ------------------------------------------------------------------------------------
    def _data(self, p: Pattern) -> SimpleType:
        type_, library, params = p.data
        notes: list[Loosening] = []
        if library not in (XSD_DATATYPES, ""):
            return builtin(
                "string",
                [Loosening("datatype", f"datatype {type_} of library {library} is any string")],
            )
        if library == "":
            type_ = "token" if type_ == "token" else "string"
        if type_ not in BUILTINS:
            return builtin(
                "string",
                [Loosening("datatype", f"datatype {type_} is not an XSD datatype: any string")],
            )
        if p.kids:
            notes.append(
                Loosening("datatype", f"{type_} with except: the exception is not checked")
            )
        base = type_
        if type_ in IDENTITY:
            base = IDENTITY[type_]
            notes.append(
                Loosening(
                    "datatype",
                    f"{type_} is checked as {base.rstrip('*')} "
                    "(without XSD's document-wide identity checks)",
                )
            )
            if base.endswith("*"):
                body = xs("list", itemType=f"xs:{base[:-1]}")
                result = SimpleType(body=body, loosenings=notes, is_list=True)
                return self._facets(result, params) if params else result
        facets = [(n, v) for n, v in params if n in FACETS]
        if len(facets) != len(params):
            unknown = ", ".join(n for n, _ in params if n not in FACETS)
            notes.append(Loosening("datatype", f"{type_}: parameters {unknown} not checked"))
        result = builtin(base, notes)
        return self._facets(result, facets) if facets else result

    def _facets(
        self, base: SimpleType, params: tuple[tuple[str, str], ...] | list[tuple[str, str]]
    ) -> SimpleType:
        """``base`` restricted by ``params``: one restriction per ``pattern`` (RELAX NG
        requires every pattern to match; patterns of one XSD restriction are alternatives)."""
        patterns = [v for n, v in params if n == "pattern"]
        others = [(n, v) for n, v in params if n != "pattern"]
        steps: list[list[tuple[str, str]]] = []
        if others or patterns:
            steps.append(others + ([("pattern", patterns[0])] if patterns else []))
            steps += [[("pattern", v)] for v in patterns[1:]]
        current = base
        for facets in steps:
            body = xs("restriction")
            _set_base(body, current)
            for name, value in facets:
                body.append(xs(name, value=quick_pattern(value) if name == "pattern" else value))
            current = SimpleType(body=body, loosenings=current.loosenings, is_list=base.is_list)
        return current

    # -- values and choices ----------------------------------------------------------------------
    def _values(self, values: list[Pattern]) -> SimpleType:
        """Enumerations of ``values``, one restriction per value type (a union if several)."""
        by_type: dict[str, list[str]] = {}
        notes: list[Loosening] = []
        for value in values:
            type_, library, ns, text = value.data
            if library == "":
                base = "token" if type_ == "token" else "string"
            elif library == XSD_DATATYPES and type_ in BUILTINS:
                base = IDENTITY.get(type_, type_).rstrip("*")
            else:
                base = "string"
                notes.append(Loosening("datatype", f'value "{text}" of type {type_} is any string'))
                by_type.setdefault("string", [])
                continue
            if ns or base == "QName":
                notes.append(Loosening("datatype", f'QName value "{text}" is any QName'))
                by_type.setdefault("QName", [])
                continue
            by_type.setdefault(base, [])
            if text not in by_type[base]:
                by_type[base].append(text)
        members = []
        for base, texts in by_type.items():
            if not texts:
                members.append(builtin(base))
                continue
            body = xs("restriction", base=f"xs:{base}")
            for text in texts:
                body.append(xs("enumeration", value=text))
            members.append(SimpleType(body=body))
        result = members[0] if len(members) == 1 else self._union(members)
        result.loosenings = notes + result.loosenings
        return result

    def _choice(self, p: Pattern) -> SimpleType:
        values = [k for k in p.kids if k.kind == "value"]
        others = [self.convert(k) for k in p.kids if k.kind != "value"]
        members = ([self._values(values)] if values else []) + others
        if any(m.name == STRING for m in members):
            # text (any string) among the alternatives: the choice is any string
            return builtin("string", [n for m in members for n in m.loosenings])
        if len(members) == 1:
            return members[0]
        return self._union(members)

    def _union(self, members: list[SimpleType]) -> SimpleType:
        body = xs("union")
        names: list[str] = []
        notes: list[Loosening] = []
        for member in members:
            notes += member.loosenings
            if member.name is not None:
                if member.name not in names:
                    names.append(member.name)
            else:
                inline = xs("simpleType")
                assert member.body is not None
                inline.append(member.body)
                body.append(inline)
        if names:
            body.set("memberTypes", " ".join(names))
        return SimpleType(body=body, loosenings=notes, is_list=any(m.is_list for m in members))

    # -- lists ------------------------------------------------------------------------------------
    def _list(self, p: Pattern) -> SimpleType:
        items, low, high, exact = _list_shape(p.kids[0])
        notes: list[Loosening] = []
        if not exact:
            notes.append(
                Loosening(
                    "list",
                    f"list items {_describe(p.kids[0])}: their order "
                    "and number are checked as a count of items of "
                    "any of their types",
                )
            )
        if not items:
            body = xs("restriction", base="xs:string")
            body.append(xs("pattern", value=r"\s*"))
            return SimpleType(body=body, loosenings=notes)
        unique = list({i.uid: i for i in items}.values())
        item = self.convert(unique[0]) if len(unique) == 1 else self._choice_of(unique)
        notes += item.loosenings
        if item.is_list:
            notes.append(Loosening("list", "a list inside a list item is any string"))
            return builtin("string", notes)
        body = xs("list")
        if item.name is not None:
            body.set("itemType", item.name)
        else:
            inline = xs("simpleType")
            assert item.body is not None
            inline.append(item.body)
            body.append(inline)
        result = SimpleType(body=body, loosenings=notes, is_list=True)
        facets: list[tuple[str, str]] = []
        if low == high:
            facets.append(("length", str(low)))
        else:
            if low > 0:
                facets.append(("minLength", str(low)))
            if high != UNBOUNDED:
                facets.append(("maxLength", str(high)))
        return self._facets(result, facets) if facets else result

    def _choice_of(self, items: list[Pattern]) -> SimpleType:
        values = [k for k in items if k.kind == "value"]
        others = [self.convert(k) for k in items if k.kind != "value"]
        members = ([self._values(values)] if values else []) + others
        return members[0] if len(members) == 1 else self._union(members)


def _empty_string() -> SimpleType:
    body = xs("restriction", base="xs:string")
    body.append(xs("length", value="0"))
    return SimpleType(body=body)


#: Unicode's major general categories: every character is in exactly one
MAJOR_CATEGORIES = ("L", "M", "N", "P", "S", "Z", "C")
_NEGATED_CATEGORIES = re.compile(r"(?<!\\)\[\^((?:\\p\{[LMNPSZC]\})+)\]")


def quick_pattern(regex: str) -> str:
    r"""``regex`` with each class of the form ``[^\p{C}\p{Z}]`` (not in some major Unicode
    categories: TEI's ``teidata.enumerated`` and ``teidata.word``) written as the class of the
    other major categories, ``[\p{L}\p{M}\p{N}\p{P}\p{S}]``: the same characters, and a
    class ``xmlschema`` compiles several times faster than the complement of a large set."""

    def positive(match: re.Match[str]) -> str:
        excluded = set(re.findall(r"\\p\{(\w)\}", match.group(1)))
        kept = [c for c in MAJOR_CATEGORIES if c not in excluded]
        return "[" + "".join(f"\\p{{{c}}}" for c in kept) + "]" if kept else match.group(0)

    return _NEGATED_CATEGORIES.sub(positive, regex)


def _set_base(body: etree._Element, base: SimpleType) -> None:
    if base.name is not None:
        body.set("base", base.name)
    else:
        inline = xs("simpleType")
        assert base.body is not None
        inline.append(base.body)
        body.append(inline)


def _list_shape(p: Pattern) -> tuple[list[Pattern], int, int, bool]:
    """The items of a list pattern, the least and most of them (-1: any), and whether
    ``xs:list`` of their union with those bounds means the same."""
    kind = p.kind
    if kind in ("data", "value", "text"):
        return [p], 1, 1, True
    if kind == "choice":
        if all(k.kind in ("data", "value", "text") for k in p.kids):
            return [p], 1, 1, True
        parts = [_list_shape(k) for k in p.kids]
        items = [i for part in parts for i in part[0]]
        low = min(part[1] for part in parts)
        high = (
            UNBOUNDED
            if any(part[2] == UNBOUNDED for part in parts)
            else max(part[2] for part in parts)
        )
        return items, low, high, False
    if kind == "empty":
        return [], 0, 0, True
    if kind == "group":
        parts = [_list_shape(k) for k in p.kids]
        items = [i for part in parts for i in part[0]]
        low = sum(part[1] for part in parts)
        high = (
            UNBOUNDED
            if any(part[2] == UNBOUNDED for part in parts)
            else sum(part[2] for part in parts)
        )
        same = len({i.uid for i in items}) <= 1
        return items, low, high, same and all(part[3] for part in parts)
    if kind in ("optional", "zeroOrMore", "oneOrMore"):
        items, low, high, exact = _list_shape(p.kids[0])
        # a count range that starts at 0 or 1 stays a range when repeated or made optional
        exact = exact and low <= 1 and high != 0
        if kind == "optional":
            return items, 0, high, exact
        return items, 0 if kind == "zeroOrMore" else low, UNBOUNDED, exact
    return [], 0, UNBOUNDED, False


def _describe(p: Pattern) -> str:
    kind = p.kind
    if kind == "data":
        return p.data[0]
    if kind == "value":
        return f'"{p.data[3]}"'
    marks = {"optional": "?", "zeroOrMore": "*", "oneOrMore": "+"}
    if kind in marks:
        return f"{_describe(p.kids[0])}{marks[kind]}"
    sep = " | " if kind == "choice" else ", "
    return f"({sep.join(_describe(k) for k in p.kids)})"
