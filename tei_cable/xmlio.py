"""Safe XML parsing, deterministic serialisation and atomic writes.

Every XML file tei-cable reads goes through :func:`safe_parser`: no external entities, no DTD
loading, no network, no entity expansion beyond libxml2's own limits.

Keep libxml2's ID collection on (lxml's ``collect_ids=False``): with it off, libxml2 reads a
document's external DTD subset (``<!DOCTYPE TEI SYSTEM "x.dtd">``) and external parameter
entities even though DTD loading is off. With it on, a repeated ``xml:id`` or one that is not
an NCName is a parse error, as the xml:id Recommendation says it is.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from .diagnostics import InputError, OutputError
from .namespaces import TEI, XML

TEI_NS = TEI
XML_NS = XML


#: characters XML 1.0 cannot carry (not even as character references): C0 controls other than
#: tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF
NOT_XML_CHAR_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_xml_chars(text: str, *, path: str | None = None, what: str = "the input") -> None:
    """Refuse text holding a character no XML document can carry, with its line and column.

    Such characters (``U+0001`` … ``U+001F`` but tab and line breaks, ``U+FFFE``, ``U+FFFF``)
    are debris of transmission or conversion, not text; rather than drop or replace them the
    converter names the first one and how many there are, so the source can be corrected.
    """
    match = NOT_XML_CHAR_RE.search(text)
    if match is None:
        return
    start = match.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    count = len(NOT_XML_CHAR_RE.findall(text))
    more = f" ({count} such characters in {what})" if count > 1 else ""
    raise InputError(
        f"control character U+{ord(match.group()):04X} in {what}, which XML cannot carry"
        f"{more}; remove or replace it in the source",
        path=path,
        line=line,
        column=column,
        code="I001",
    )


def safe_parser(
    *,
    remove_blank_text: bool = False,
    huge_tree: bool = False,
    internal_entities: bool = False,
    recover: bool = False,
) -> etree.XMLParser:
    """An lxml parser that never reads an external entity or DTD and never touches the network.

    ``internal_entities`` expands entities declared in the document's internal DTD subset
    (libxml2 caps their expansion, so "billion laughs" fails fast); otherwise references stay
    as entity nodes. ``recover`` keeps parsing after errors (the validator uses it only for
    documents whose sole errors are ``xml:id`` ones, to report them and check the rest).
    """
    return etree.XMLParser(
        resolve_entities="internal" if internal_entities else False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=huge_tree,
        remove_blank_text=remove_blank_text,
        recover=recover,
    )


def parse_xml(
    source: str | os.PathLike[str] | bytes, *, name: str | None = None
) -> etree._ElementTree:
    """Parse a file path or bytes safely; errors become one-line :class:`InputError`."""
    try:
        if isinstance(source, bytes):
            root = etree.fromstring(source, safe_parser())
            return root.getroottree()
        return etree.parse(os.fspath(source), safe_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        msg = exc.msg or "not well-formed XML"
        raise InputError(
            _strip_position(msg), path=name or _name(source), line=line, column=column
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot read: {exc.strerror or exc}", path=name or _name(source)
        ) from None


def _name(source: object) -> str | None:
    return None if isinstance(source, bytes) else os.fspath(source)  # type: ignore[arg-type]


def _strip_position(msg: str) -> str:
    """libxml2 messages end in ', line N, column M'; the position is reported separately."""
    head, sep, tail = msg.rpartition(", line ")
    return head if sep and tail.replace(", column ", "").replace(" ", "").isdigit() else msg


def serialize(tree: etree._ElementTree | etree._Element, *, pretty: bool = True) -> bytes:
    """UTF-8 bytes with an XML declaration; identical input gives identical bytes."""
    if isinstance(tree, etree._Element):
        tree = tree.getroottree()
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def write_atomic(path: str | os.PathLike[str], data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A reader of ``path`` sees the old file or the new one, never a half-written one. Without
    ``force`` an existing file is left alone and :class:`OutputError` is raised.
    """
    target = Path(path)
    if target.exists() and not force:
        raise OutputError("output exists; use --force to overwrite it", path=str(target))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError("output folder does not exist", path=str(folder))
    try:
        import tempfile  # (only where a file is written: not on a validation's start-up)

        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=str(target)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror}", path=str(target)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_keeping_text(node: etree._Element, *, blank: bool = False) -> None:
    """Remove ``node`` from its parent; text after it (its tail) stays where it was.

    A tail of whitespace only is dropped with the node unless ``blank`` is true.
    """
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    previous = node.getprevious()
    parent.remove(node)
    if tail and (blank or tail.strip()):
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
