"""Authority identifiers: read from TEI ``idno`` or ``@ref``, one canonical URI per identifier.

TEI files give authority identifiers in many shapes: a bare number typed by ``@type``
(``<idno type="viaf">51699962</idno>``), a URI typed or not (``<idno type="gnd">https://d-nb.info/
gnd/118609807/</idno>``, ``<idno type="URL" subtype="wikidata">http://www.wikidata.org/entity/
Q2079</idno>``), or a URI straight in ``@ref``. :func:`authority` turns each into an
:class:`Authority` with one canonical URI (the form correspSearch's CMIF documentation uses), so
the same identifier written two ways is one identifier. A value that matches no known authority
stays a plain URI (kind ``"uri"``) when it is one, and is dropped when it is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Scheme:
    """One authority file: how its identifiers look bare and as URIs, and its canonical URI."""

    kind: str
    label: str
    bare: re.Pattern[str]
    url: re.Pattern[str]
    canonical: str  # format string with {id}
    page: str  # the human-readable page, format string with {id}


def _scheme(kind: str, label: str, bare: str, url: str, canonical: str, page: str) -> Scheme:
    return Scheme(kind, label, re.compile(bare), re.compile(url, re.I), canonical, page)


#: known authority files, in no particular order (preferences are per use, see PREFERENCES)
SCHEMES: dict[str, Scheme] = {
    s.kind: s
    for s in (
        _scheme(
            "viaf",
            "VIAF",
            r"^\d{1,22}$",
            r"^https?://(?:www\.)?viaf\.org/viaf/(\d{1,22})/?$",
            "http://viaf.org/viaf/{id}",
            "https://viaf.org/viaf/{id}",
        ),
        _scheme(
            "gnd",
            "GND",
            r"^(?:1[012]?\d{7}[0-9X]|[47]\d{6}-\d|[1-9]\d{0,7}-[0-9X]|3\d{7}[0-9X])$",
            r"^https?://d-nb\.info/gnd/([0-9X-]+)/?$",
            "http://d-nb.info/gnd/{id}",
            "https://d-nb.info/gnd/{id}",
        ),
        _scheme(
            "geonames",
            "GeoNames",
            r"^\d{1,10}$",
            r"^https?://(?:www\.|sws\.)?geonames\.org/(\d{1,10})(?:/.*)?$",
            "http://www.geonames.org/{id}",
            "https://www.geonames.org/{id}",
        ),
        _scheme(
            "wikidata",
            "Wikidata",
            r"^Q\d{1,12}$",
            r"^https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/(Q\d{1,12})/?$",
            "http://www.wikidata.org/entity/{id}",
            "https://www.wikidata.org/wiki/{id}",
        ),
        _scheme(
            "lc",
            "Library of Congress",
            r"^n[bors]?\d{8,10}$",
            r"^https?://id\.loc\.gov/authorities/names/(n[bors]?\d{8,10})(?:\.html)?/?$",
            "http://id.loc.gov/authorities/names/{id}",
            "https://id.loc.gov/authorities/names/{id}.html",
        ),
        _scheme(
            "bnf",
            "BnF",
            r"^cb\d{8}[0-9bcdfghjkmnpqrstvwxz]$",
            r"^https?://(?:data|catalogue)\.bnf\.fr/ark:/12148/(cb\d{8}[0-9bcdfghjkmnpqrstvwxz])",
            "https://data.bnf.fr/ark:/12148/{id}",
            "https://data.bnf.fr/ark:/12148/{id}",
        ),
        _scheme(
            "ndl",
            "NDL",
            r"^\d{8,9}$",
            r"^https?://id\.ndl\.go\.jp/auth/ndlna/(\d{8,9})/?$",
            "http://id.ndl.go.jp/auth/ndlna/{id}",
            "https://id.ndl.go.jp/auth/ndlna/{id}",
        ),
        _scheme(
            "isni",
            "ISNI",
            r"^\d{15}[0-9X]$",
            r"^https?://isni\.org/isni/(\d{15}[0-9X])/?$",
            "https://isni.org/isni/{id}",
            "https://isni.org/isni/{id}",
        ),
        _scheme(
            "orcid",
            "ORCID",
            r"^\d{4}-\d{4}-\d{4}-\d{3}[0-9X]$",
            r"^https?://orcid\.org/(\d{4}-\d{4}-\d{4}-\d{3}[0-9X])/?$",
            "https://orcid.org/{id}",
            "https://orcid.org/{id}",
        ),
    )
}

#: how ``@type``/``@subtype`` values name the schemes (lower-cased)
ALIASES: dict[str, str] = {
    "viaf": "viaf",
    "gnd": "gnd",
    "d-nb": "gnd",
    "dnb": "gnd",
    "pnd": "gnd",
    "geonames": "geonames",
    "geonames.org": "geonames",
    "wikidata": "wikidata",
    "wd": "wikidata",
    "qid": "wikidata",
    "lc": "lc",
    "lcnaf": "lc",
    "loc": "lc",
    "bnf": "bnf",
    "ndl": "ndl",
    "isni": "isni",
    "orcid": "orcid",
}

#: preferred authority kinds, first found wins (CMIF: VIAF, GND and the other library files
#: for persons and organisations, GeoNames for places; Wikidata where that is all there is)
PREFERENCES: dict[str, tuple[str, ...]] = {
    "person": ("viaf", "gnd", "lc", "bnf", "ndl", "wikidata"),
    "org": ("viaf", "gnd", "lc", "bnf", "ndl", "wikidata"),
    "place": ("geonames", "gnd", "wikidata"),
}

_URI = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$", re.I)


@dataclass(frozen=True, order=True)
class Authority:
    """An identifier in an authority file: its kind (``viaf``, ``gnd``… or ``uri``) and URI."""

    kind: str
    uri: str
    id: str = ""

    @property
    def label(self) -> str:
        scheme = SCHEMES.get(self.kind)
        return f"{scheme.label} {self.id}" if scheme else self.uri

    @property
    def page(self) -> str:
        """The address of the authority's page for people to read."""
        scheme = SCHEMES.get(self.kind)
        return scheme.page.format(id=self.id) if scheme else self.uri


def from_uri(value: str) -> Authority | None:
    """The authority a URI names, canonicalised; ``kind="uri"`` for other http(s) URIs."""
    value = value.strip()
    for scheme in SCHEMES.values():
        found = scheme.url.match(value)
        if found:
            return Authority(scheme.kind, scheme.canonical.format(id=found[1]), found[1])
    if value.lower().startswith(("http://", "https://")) and _URI.match(value):
        return Authority("uri", value, value)
    return None


def authority(value: str, *types: str | None) -> Authority | None:
    """An identifier from an ``idno``'s text and its ``@type``/``@subtype`` values.

    A URI is recognised by its form whatever the type says; a bare value needs a type naming
    a known authority and must have that authority's shape (``Q5816`` for Wikidata).
    """
    value = " ".join(value.split())
    if not value:
        return None
    if "://" in value:
        return from_uri(value)
    for given in types:
        kind = ALIASES.get((given or "").strip().lower())
        if kind is None:
            continue
        scheme = SCHEMES[kind]
        candidate = value.upper() if kind == "wikidata" else value
        if scheme.bare.match(candidate):
            return Authority(kind, scheme.canonical.format(id=candidate), candidate)
    return None


def preferred(authorities: tuple[Authority, ...] | list[Authority], kind: str) -> Authority | None:
    """The identifier to give where one is wanted (CMIF ``@ref``), by :data:`PREFERENCES`."""
    for wanted in PREFERENCES.get(kind, PREFERENCES["person"]):
        for item in authorities:
            if item.kind == wanted:
                return item
    return None
