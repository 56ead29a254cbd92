"""OASIS XML Catalogs: local copies of the files an ODD names by URL, so it compiles offline.

An ODD's external RELAX NG modules (``moduleRef/@url``, and the ``include``\\ s inside them)
and a TEI source given as a URL are looked up here before the user cache and the network.
Catalogs come from ``--catalog FILE`` (in that order), then the ``XML_CATALOG_FILES``
environment variable (space-separated files or ``file:`` URIs, as libxml2 reads it), then
tei-cable's own catalog (:data:`PACKAGED`): the W3C modules the TEI's Exemplars name (SVG 1.1,
MathML 2.0), shipped in ``data/modules`` with their licence.

Supported entries (OASIS XML Catalogs 1.1): ``uri``, ``rewriteURI``, ``uriSuffix``,
``system``, ``rewriteSystem``, ``systemSuffix``, ``nextCatalog``, ``delegateURI``,
``delegateSystem`` and ``group``, with ``xml:base``. A URL is tried as written and, since
catalogs and ODDs do not always agree on it, with ``http``/``https`` swapped. Catalog files are
parsed safely; one that cannot be read is an error naming it.
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import TeiCableError
from ..xmlio import safe_parser

CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
ENV = "XML_CATALOG_FILES"
#: tei-cable's own catalog of the external RELAX NG modules it ships (searched last)
PACKAGED = Path(__file__).resolve().parent / "data" / "modules" / "catalog.xml"


class CatalogError(TeiCableError):
    """A catalog file that cannot be read."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message, path=path, code="O114")


def _c(local: str) -> str:
    return f"{{{CATALOG_NS}}}{local}"


@dataclass
class Catalog:
    """The entries of one catalog file, in document order (``nextCatalog``\\ s last)."""

    path: str
    entries: list[tuple[str, str, str]] = field(default_factory=list)
    next: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: str) -> Catalog:
        try:
            root = etree.parse(path, safe_parser()).getroot()
        except (etree.XMLSyntaxError, OSError) as exc:
            raise CatalogError(f"XML catalog cannot be read: {exc}", path=path) from None
        if root.tag != _c("catalog"):
            raise CatalogError("not an OASIS XML catalog (root is not catalog)", path=path)
        catalog = cls(path)
        catalog._read(root, urllib.parse.urljoin(_as_url(path), root.get(XML_BASE) or ""))
        return catalog

    def _read(self, parent: etree._Element, base: str) -> None:
        """The entries of ``parent`` (a catalog or group), ``base`` its base URI."""
        for node in parent:
            if not isinstance(node.tag, str) or not node.tag.startswith(f"{{{CATALOG_NS}}}"):
                continue
            local = etree.QName(node).localname
            here = urllib.parse.urljoin(base, node.get(XML_BASE) or "")
            if local == "group":
                self._read(node, here)
            elif local in ("uri", "system"):
                key = node.get("name") if local == "uri" else node.get("systemId")
                if key and node.get("uri"):
                    self.entries.append(("exact", key, urllib.parse.urljoin(here, node.get("uri"))))
            elif local in ("rewriteURI", "rewriteSystem"):
                start = node.get("uriStartString") or node.get("systemIdStartString")
                prefix = node.get("rewritePrefix")
                if start and prefix:
                    self.entries.append(("rewrite", start, urllib.parse.urljoin(here, prefix)))
            elif local in ("uriSuffix", "systemSuffix"):
                suffix = node.get("uriSuffix") or node.get("systemIdSuffix")
                if suffix and node.get("uri"):
                    target = urllib.parse.urljoin(here, node.get("uri"))
                    self.entries.append(("suffix", suffix, target))
            elif local in ("delegateURI", "delegateSystem"):
                start = node.get("uriStartString") or node.get("systemIdStartString")
                if start and node.get("catalog"):
                    target = urllib.parse.urljoin(here, node.get("catalog"))
                    self.entries.append(("delegate", start, target))
            elif local == "nextCatalog" and node.get("catalog"):
                self.next.append(urllib.parse.urljoin(here, node.get("catalog")))


class Catalogs:
    """An ordered list of catalogs and the look-up of a URL in them."""

    def __init__(
        self,
        files: Iterable[str | os.PathLike[str]] = (),
        *,
        env: bool = True,
        packaged: bool = True,
    ) -> None:
        self.files = [os.fspath(f) for f in files]
        if env:
            self.files += [_as_path(f) for f in os.environ.get(ENV, "").split() if f]
        #: the user's catalogs and, last, tei-cable's own (when ``packaged``)
        self.searched = [*self.files, *([str(PACKAGED)] if packaged and PACKAGED.is_file() else [])]
        self._loaded: dict[str, Catalog] = {}

    def __bool__(self) -> bool:
        return bool(self.searched)

    def resolve(self, url: str) -> Path | None:
        """The local file a catalog gives for ``url``, if any and if it exists: the user's
        catalogs first (each URL as written, then with ``http``/``https`` swapped), then
        tei-cable's own."""
        for catalog in self.searched:
            for candidate in _variants(url):
                found = self._search([_as_url(catalog)], candidate, set())
                if found is not None:
                    path = Path(_as_path(found))
                    if path.is_file():
                        return path
        return None

    def _catalog(self, url: str) -> Catalog:
        path = _as_path(url)
        if path not in self._loaded:
            self._loaded[path] = Catalog.load(path)
        return self._loaded[path]

    def _search(self, catalogs: list[str], url: str, seen: set[str]) -> str | None:
        for catalog_url in catalogs:
            if catalog_url in seen:
                continue
            seen.add(catalog_url)
            catalog = self._catalog(catalog_url)
            found = _match(catalog, url)
            if isinstance(found, list):  # delegation: only those catalogs are searched
                return self._search(found, url, seen)
            if found is not None:
                return found
            deeper = self._search(catalog.next, url, seen)
            if deeper is not None:
                return deeper
        return None


def _match(catalog: Catalog, url: str) -> str | list[str] | None:
    """An exact entry first, then the longest rewrite prefix, then the longest suffix."""
    rewrite: tuple[int, str] | None = None
    suffix: tuple[int, str] | None = None
    delegates: list[tuple[int, str]] = []
    for kind, key, target in catalog.entries:
        if kind == "exact" and key == url:
            return target
        if kind == "rewrite" and url.startswith(key) and (rewrite is None or len(key) > rewrite[0]):
            rewrite = (len(key), target + url[len(key) :])
        if kind == "suffix" and url.endswith(key) and (suffix is None or len(key) > suffix[0]):
            suffix = (len(key), target)
        if kind == "delegate" and url.startswith(key):
            delegates.append((len(key), target))
    if rewrite is not None:
        return rewrite[1]
    if suffix is not None:
        return suffix[1]
    if delegates:
        return [target for _, target in sorted(delegates, key=lambda d: -d[0])]
    return None


def _variants(url: str) -> list[str]:
    if url.startswith("https://"):
        return [url, "http://" + url[len("https://") :]]
    if url.startswith("http://"):
        return [url, "https://" + url[len("http://") :]]
    return [url]


def _as_url(path_or_url: str) -> str:
    if "://" in path_or_url or path_or_url.startswith("file:"):
        return path_or_url
    return Path(path_or_url).resolve().as_uri()


def _as_path(url: str) -> str:
    if url.startswith("file:"):
        return urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
    return url
