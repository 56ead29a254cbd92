"""An OAI-PMH 2.0 data provider over a folder of TEI: the protocol, without the web server.

:class:`Repository` answers one request (its arguments as a dict of lists) with the XML of
the response; :mod:`tei_cable.export.serve` puts it behind HTTP. What it offers:

- items: every ``*.xml`` file below the folder (hidden ones skipped), identified as
  ``oai:REPOSITORY-ID:PATH`` (the path below the folder, without ``.xml``), stamped with the
  file's modification time (UTC, to the second); the folder is looked at again on every
  request, and a document is read again only when its file changed;
- metadata formats: ``oai_dc`` (:mod:`~tei_cable.export.dc`), ``tei`` (the document itself)
  and ``cmif`` (:mod:`~tei_cable.export.cmif`, for documents that describe letters). A file
  that is not TEI has an identifier but no format (``noMetadataFormats``) and is not listed;
- sets: the sub-folders (``letters/1951`` is the set ``letters:1951`` inside ``letters``);
  a flat folder has no sets (``noSetHierarchy``);
- lists in pages of ``page_size`` with resumption tokens that say where the page ends (the
  last identifier), not an offset, so files added or removed between pages neither repeat
  nor skip the others; ``completeListSize`` and ``cursor`` on every token;
- every error of the protocol: ``badArgument``, ``badResumptionToken``, ``badVerb``,
  ``cannotDisseminateFormat``, ``idDoesNotExist``, ``noRecordsMatch``, ``noMetadataFormats``,
  ``noSetHierarchy``.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

from lxml import etree

from ..diagnostics import TeiCableError
from ..xmlio import serialize
from .cmif import letter_count, write_cmif
from .dc import OAI_DC, dc_element
from .options import Editor, ExportOptions
from .run import xml_files
from .teidoc import TeiDocument, load

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
TEI = "http://www.tei-c.org/ns/1.0"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str


FORMATS = {
    f.prefix: f
    for f in (
        MetadataFormat("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
        MetadataFormat(
            "tei", "https://tei-c.org/release/xml/tei/custom/schema/xsd/tei_all.xsd", TEI
        ),
        MetadataFormat(
            "cmif",
            "https://raw.githubusercontent.com/TEI-Correspondence-SIG/CMIF/master/schema/cmi-customization.rng",
            TEI,
        ),
    )
}
ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
_DOMAIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$")
_SET_PART = re.compile(r"[^A-Za-z0-9\-_.!~*'()]")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    """An OAI-PMH error condition: its code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Item:
    """A file of the folder: its identifier, path, time stamp and sets."""

    identifier: str
    path: str
    stamp: datetime
    sets: tuple[str, ...]
    key: tuple[int, int]
    document: TeiDocument | None = None
    problem: str = ""
    formats: tuple[str, ...] = ()


@dataclass
class Settings:
    """What the repository says of itself."""

    name: str = "TEI documents"
    repository_id: str = "tei-cable.localhost"
    admin_emails: tuple[str, ...] = ("nobody@localhost.localdomain",)
    page_size: int = 100
    editors: tuple[Editor, ...] = ()
    publisher: str = ""
    base_url: str = ""  # the address of the documents (dc:identifier), not of this endpoint


@dataclass
class Repository:
    """A folder of TEI as an OAI-PMH repository."""

    folder: Path
    settings: Settings = field(default_factory=Settings)
    warn: Callable[[str], None] | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        self._items: dict[str, Item] = {}
        self._lock = threading.Lock()

    # -- the folder

    def items(self) -> list[Item]:
        """Every file of the folder, sorted by identifier; read again where it changed."""
        with self._lock:
            found: dict[str, Item] = {}
            for path in xml_files(self.folder):
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                relative = Path(os.path.relpath(path, self.folder)).with_suffix("").as_posix()
                identifier = f"oai:{self.settings.repository_id}:{quote(relative, safe='/')}"
                key = (info.st_mtime_ns, info.st_size)
                old = self._items.get(identifier)
                if old is not None and old.key == key and old.path == path:
                    found[identifier] = old
                    continue
                folders = Path(relative).parts[:-1]
                sets = tuple(
                    ":".join(_set_part(p) for p in folders[: n + 1]) for n in range(len(folders))
                )
                stamp = datetime.fromtimestamp(int(info.st_mtime), UTC)
                found[identifier] = self._read(Item(identifier, path, stamp, sets, key))
            self._items = found
            return [found[k] for k in sorted(found)]

    def _read(self, item: Item) -> Item:
        try:
            document = load(item.path)
            item.document = document
            formats = ["oai_dc", "tei"]
            if letter_count([document]):
                formats.append("cmif")
            item.formats = tuple(formats)
        except TeiCableError as exc:
            where = ":".join(str(p) for p in (exc.line, exc.column) if p is not None)
            item.problem = f"line {where}: {exc.message}" if where else exc.message
            if self.warn is not None:
                self.warn(f"{exc} (served without metadata)")
        return item

    def sets(self) -> dict[str, str]:
        """setSpec -> setName of every sub-folder holding documents."""
        found: dict[str, str] = {}
        for item in self.items():
            folders = Path(os.path.relpath(item.path, self.folder)).parts[:-1]
            for n, spec in enumerate(item.sets):
                found.setdefault(spec, "/".join(folders[: n + 1]))
        return dict(sorted(found.items()))

    # -- requests

    def respond(self, arguments: dict[str, list[str]], base_url: str) -> bytes:
        """The response to one request, as UTF-8 XML."""
        root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
        root.set(
            f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
        )
        _sub(root, "responseDate", self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"))
        request = _sub(root, "request", base_url)
        self._payloads: list[tuple[etree._Element, etree._Element]] = []
        try:
            verb, args = self._check(arguments)
            for name, value in sorted(args.items()):
                request.set(name, value)
            request.set("verb", verb)
            getattr(self, f"_{verb}")(root, args, base_url)
        except OaiError as error:
            if error.code in ("badVerb", "badArgument"):
                request.attrib.clear()
            _sub(root, "error", error.message, code=error.code)
        etree.indent(root, space="  ")
        # payloads go in after indenting: the TEI's own white space is kept as it is
        for metadata, payload in self._payloads:
            metadata.append(payload)
        self._payloads = []
        return serialize(root)

    def _check(self, arguments: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
        verbs = arguments.get("verb", [])
        if len(verbs) != 1:
            raise OaiError("badVerb", "the verb argument is missing or repeated")
        verb = verbs[0]
        if verb not in ARGUMENTS:
            raise OaiError("badVerb", f"{verb!r} is not an OAI-PMH verb")
        required, optional = ARGUMENTS[verb]
        args: dict[str, str] = {}
        for name, values in arguments.items():
            if name == "verb":
                continue
            if name not in required | optional:
                raise OaiError("badArgument", f"{verb} takes no argument {name!r}")
            if len(values) != 1:
                raise OaiError("badArgument", f"the argument {name!r} is repeated")
            args[name] = values[0]
        if "resumptionToken" in args:
            if len(args) > 1:
                raise OaiError("badArgument", "resumptionToken is an exclusive argument")
            return verb, args
        missing = sorted(required - set(args))
        if missing:
            raise OaiError("badArgument", f"{verb} needs the argument {missing[0]!r}")
        return verb, args

    def _Identify(self, root, args, base_url) -> None:
        node = _sub(root, "Identify")
        _sub(node, "repositoryName", self.settings.name)
        _sub(node, "baseURL", base_url)
        _sub(node, "protocolVersion", "2.0")
        for email in self.settings.admin_emails:
            _sub(node, "adminEmail", email)
        items = self.items()
        earliest = min((i.stamp for i in items), default=datetime(1970, 1, 1, tzinfo=UTC))
        _sub(node, "earliestDatestamp", _stamp(earliest))
        _sub(node, "deletedRecord", "no")
        _sub(node, "granularity", GRANULARITY)
        if _DOMAIN.match(self.settings.repository_id):
            desc = _sub(node, "description")
            ident = etree.SubElement(desc, f"{{{OAI_ID}}}oai-identifier", nsmap={None: OAI_ID})
            ident.set(
                f"{{{XSI}}}schemaLocation",
                f"{OAI_ID} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
            )
            for name, value in (
                ("scheme", "oai"),
                ("repositoryIdentifier", self.settings.repository_id),
                ("delimiter", ":"),
                (
                    "sampleIdentifier",
                    items[0].identifier if items else f"oai:{self.settings.repository_id}:letter",
                ),
            ):
                etree.SubElement(ident, f"{{{OAI_ID}}}{name}").text = value

    def _ListMetadataFormats(self, root, args, base_url) -> None:
        prefixes = list(FORMATS)
        if "identifier" in args:
            item = self._item(args["identifier"])
            prefixes = list(item.formats)
            if not prefixes:
                raise OaiError(
                    "noMetadataFormats",
                    f"{args['identifier']} cannot be disseminated: {item.problem}",
                )
        node = _sub(root, "ListMetadataFormats")
        for prefix in prefixes:
            fmt = _sub(node, "metadataFormat")
            _sub(fmt, "metadataPrefix", prefix)
            _sub(fmt, "schema", FORMATS[prefix].schema)
            _sub(fmt, "metadataNamespace", FORMATS[prefix].namespace)

    def _ListSets(self, root, args, base_url) -> None:
        if "resumptionToken" in args:
            raise OaiError("badResumptionToken", "the list of sets comes in one piece")
        sets = self.sets()
        if not sets:
            raise OaiError("noSetHierarchy", "this repository has no sets (no sub-folders)")
        node = _sub(root, "ListSets")
        for spec, name in sets.items():
            item = _sub(node, "set")
            _sub(item, "setSpec", spec)
            _sub(item, "setName", name)

    def _GetRecord(self, root, args, base_url) -> None:
        item = self._item(args["identifier"])
        prefix = args["metadataPrefix"]
        if prefix not in item.formats:
            raise OaiError(
                "cannotDisseminateFormat",
                f"{args['identifier']} is not available as {prefix!r}"
                + (f": {item.problem}" if item.problem else ""),
            )
        self._record(_sub(root, "GetRecord"), item, prefix, base_url)

    def _ListIdentifiers(self, root, args, base_url) -> None:
        self._list(root, args, base_url, records=False)

    def _ListRecords(self, root, args, base_url) -> None:
        self._list(root, args, base_url, records=True)

    def _list(self, root, args, base_url, *, records: bool) -> None:
        query = _decode_token(args["resumptionToken"]) if "resumptionToken" in args else dict(args)
        prefix = query.get("metadataPrefix", "")
        if prefix not in FORMATS:
            raise OaiError("cannotDisseminateFormat", f"no metadata format {prefix!r}")
        start, end = _window(query.get("from"), query.get("until"))
        wanted = query.get("set")
        if wanted and not self.sets():
            raise OaiError("noSetHierarchy", "this repository has no sets (no sub-folders)")
        matching = [
            item
            for item in self.items()
            if prefix in item.formats
            and (start is None or item.stamp >= start)
            and (end is None or item.stamp <= end)
            and (not wanted or wanted in item.sets)
        ]
        after = query.get("after", "")
        cursor = int(query.get("cursor", 0))
        if after:
            remaining = [item for item in matching if item.identifier > after]
            cursor = len(matching) - len(remaining)
        else:
            remaining = matching
        if not matching:
            raise OaiError("noRecordsMatch", "no record matches these arguments")
        page = remaining[: self.settings.page_size]
        node = _sub(root, "ListRecords" if records else "ListIdentifiers")
        for item in page:
            if records:
                self._record(node, item, prefix, base_url)
            else:
                self._header(node, item)
        more = len(remaining) > len(page)
        if "resumptionToken" in args or more:
            token = _sub(
                node, "resumptionToken", completeListSize=str(len(matching)), cursor=str(cursor)
            )
            if more:
                following = dict(query)
                following.pop("resumptionToken", None)
                following.update(after=page[-1].identifier, cursor=str(cursor + len(page)))
                token.text = _encode_token(following)

    def _record(self, parent, item: Item, prefix: str, base_url: str) -> None:
        record = _sub(parent, "record")
        self._header(record, item)
        metadata = _sub(record, "metadata")
        self._payloads.append((metadata, self._payload(item, prefix, base_url)))

    def _header(self, parent, item: Item) -> None:
        header = _sub(parent, "header")
        _sub(header, "identifier", item.identifier)
        _sub(header, "datestamp", _stamp(item.stamp))
        for spec in item.sets:
            _sub(header, "setSpec", spec)

    def _payload(self, item: Item, prefix: str, base_url: str) -> etree._Element:
        assert item.document is not None
        options = ExportOptions(
            editors=self.settings.editors or (Editor("", self.settings.admin_emails[0]),),
            publisher=self.settings.publisher or self.settings.name,
            url=f"{base_url}?"
            + urlencode(
                {"verb": "GetRecord", "metadataPrefix": "cmif", "identifier": item.identifier}
            ),
            base_url=self.settings.base_url,
            date=_stamp(item.stamp),
        )
        if prefix == "oai_dc":
            return dc_element(item.document, options)
        if prefix == "tei":
            return copy.deepcopy(item.document.root)
        return etree.fromstring(write_cmif([item.document], options))

    def _item(self, identifier: str) -> Item:
        for item in self.items():
            if item.identifier == identifier:
                return item
        raise OaiError("idDoesNotExist", f"no item {identifier!r} in this repository")


def _sample(items: list[Item], repository_id: str) -> str:
    served = [item.identifier for item in items if item.formats]
    return served[0] if served else f"oai:{repository_id}:letter"


def _window(start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
    parsed = []
    kinds = set()
    for value, last in ((start, False), (end, True)):
        if value is None:
            parsed.append(None)
            continue
        if _DAY.match(value):
            kinds.add("day")
            text = value + ("T23:59:59Z" if last else "T00:00:00Z")
        elif _SECOND.match(value):
            kinds.add("second")
            text = value
        else:
            raise OaiError(
                "badArgument", f"{value!r} is not a date of this repository's granularity"
            )
        try:
            parsed.append(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC))
        except ValueError:
            raise OaiError("badArgument", f"{value!r} is not a valid date") from None
    if len(kinds) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity")
    if parsed[0] and parsed[1] and parsed[0] > parsed[1]:
        raise OaiError("badArgument", "from is later than until")
    return parsed[0], parsed[1]


def _encode_token(query: dict[str, str]) -> str:
    data = json.dumps(query, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _decode_token(token: str) -> dict[str, str]:
    try:
        padded = token + "=" * (-len(token) % 4)
        query = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(query, dict) or "metadataPrefix" not in query or "after" not in query:
            raise ValueError
        int(query.get("cursor", 0))
        return {str(k): str(v) for k, v in query.items()}
    except (ValueError, UnicodeError, TypeError):
        raise OaiError(
            "badResumptionToken", "the resumption token is not one this repository gave"
        ) from None


def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _set_part(name: str) -> str:
    return _SET_PART.sub("_", name) or "_"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{OAI}}}{tag}", attrs)
    if text:
        node.text = text
    return node
