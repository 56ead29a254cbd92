"""Reading an ODD file as the TEI's pipeline reads it, safely.

- Parsed with :func:`~tei_cable.xmlio.safe_parser` (no DTD, no external entity, no network).
- A repeated ``xml:id`` is a warning (``O119``), not a refusal: Saxon never checks it and the
  TEI Stylesheets compile such ODDs; lxml would refuse the whole file.
- XInclude (``xi:include``, as ODDs that keep their specs in separate files use it) is
  resolved here, never by libxml2: local files only, relative to the including file (or its
  ``xml:base``); ``parse="xml"`` (the default, with an ``xpointer`` naming an ``xml:id``, or
  ``element()``, ``xmlns()`` and ``xpointer()`` parts as libxml2 reads them: the TEI's
  ``tei_allPlus`` takes specs from other Exemplars with ``xpointer(//t:elementSpec)``) and
  ``parse="text"``; ``xi:fallback`` when the target cannot be read.
  A target that is missing, on the network, not well-formed, or includes itself is an error
  (``O120``) with the file and line of the ``xi:include``; it is never skipped in silence.

Included elements keep their own file and line for every later message
(:meth:`Problems.include`).
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import urllib.parse
from pathlib import Path

from lxml import etree

from ..diagnostics import InputError, TeiCableError
from ..xmlio import parse_xml, safe_parser
from .problems import Problems

XI = "http://www.w3.org/2001/XInclude"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_ID_ERRORS = {"DTD_ID_REDEFINED", "DTD_XMLID_VALUE"}
#: XIncludes nested deeper than this are taken for a runaway chain
MAX_DEPTH = 50


def read_odd(path: str | os.PathLike[str], problems: Problems) -> etree._ElementTree:
    """Parse an ODD, report its repeated ``xml:id``\\ s and resolve its XIncludes."""
    name = os.fspath(path)
    tree = _parse(name, problems)
    root = tree.getroot()
    problems.register(root, name)
    resolve_xincludes(root, name, problems)
    return tree


def _parse(path: str, problems: Problems) -> etree._ElementTree:
    """Parse ``path``; a repeated or malformed ``xml:id`` is reported, not fatal."""
    try:
        return parse_xml(path)
    except InputError as first:
        parser = safe_parser()
        with contextlib.suppress(etree.XMLSyntaxError, OSError):
            etree.parse(path, parser)
        serious = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
        if not serious or any(e.type_name not in _ID_ERRORS for e in serious):
            raise first from None
        tree = etree.parse(path, safe_parser(recover=True))
    seen: dict[str, int] = {}
    for node in tree.getroot().iter():
        value = node.get(XML_ID) if isinstance(node.tag, str) else None
        if value is None:
            continue
        if value in seen:
            problems.warning(
                "O119",
                f"xml:id {value!r} is used again (first on line {seen[value]}); "
                "references to it find the first",
                path=path,
                line=node.sourceline,
            )
        else:
            seen[value] = node.sourceline or 0
    return tree


def resolve_xincludes(
    root: etree._Element, path: str, problems: Problems, _stack: tuple[str, ...] = ()
) -> None:
    """Replace every ``xi:include`` under ``root`` (read from ``path``) by what it names."""
    stack = (*_stack, str(Path(path).resolve()))
    for include in list(root.iter(f"{{{XI}}}include")):
        if include.getparent() is None and include is not root:
            continue  # inside a fallback already replaced
        _resolve_one(include, path, problems, stack)


def _resolve_one(
    include: etree._Element, path: str, problems: Problems, stack: tuple[str, ...]
) -> None:
    line = include.sourceline
    href = (include.get("href") or "").strip()
    parse = include.get("parse") or "xml"
    try:
        if parse not in ("xml", "text"):
            raise _Fault(f'parse="{parse}" (XInclude knows "xml" and "text")', fallback=False)
        if len(stack) > MAX_DEPTH:
            raise _Fault(f"more than {MAX_DEPTH} nested XIncludes", fallback=False)
        target = _target(include, href, path) if href else Path(path)
        if not href and parse == "xml" and not include.get("xpointer"):
            raise _Fault("xi:include without @href or @xpointer", fallback=False)
        if parse == "text":
            nodes: list[etree._Element | str] = [_read_text(target, include.get("encoding"))]
        else:
            nodes = _include_xml(include, target, href, path, problems, stack)
    except _Fault as fault:
        fallback = include.find(f"{{{XI}}}fallback")
        if fault.fallback and fallback is not None:
            inner = list(fallback.iter(f"{{{XI}}}include"))
            _replace(include, [*([fallback.text] if fallback.text else []), *list(fallback)])
            for nested in inner:
                _resolve_one(nested, path, problems, stack)
            return
        problems.error("O120", f"xi:include {href or '(no href)'}: {fault}", path=path, line=line)
        _replace(include, [])
        return
    _replace(include, nodes)


class _Fault(Exception):
    def __init__(self, message: str, *, fallback: bool = True) -> None:
        super().__init__(message)
        self.fallback = fallback


def _target(include: etree._Element, href: str, path: str) -> Path:
    """The local file ``href`` names, relative to the including file (or its xml:base)."""
    parsed = urllib.parse.urlsplit(href)
    if parsed.scheme and parsed.scheme != "file" and not re.fullmatch(r"[A-Za-z]", parsed.scheme):
        raise _Fault(f"only local files are included, not {parsed.scheme}: resources")
    if parsed.fragment:
        raise _Fault("a fragment identifier (#) is not allowed in @href; use @xpointer")
    local = urllib.parse.unquote(parsed.path) if parsed.scheme == "file" else href
    base = Path(path).parent
    for ancestor in include.iterancestors():
        xml_base = ancestor.get(XML_BASE)
        if xml_base and "://" not in xml_base:
            base = Path(path).parent / Path(xml_base).parent
            break
    target = Path(local)
    if not target.is_absolute():
        target = base / target
    if not target.is_file():
        raise _Fault(f"no such file: {target}")
    return target


def _read_text(target: Path, encoding: str | None) -> str:
    try:
        return target.read_text(encoding=encoding or "utf-8")
    except (OSError, LookupError, UnicodeDecodeError) as exc:
        raise _Fault(f"cannot read {target} as text: {exc}") from None


def _include_xml(
    include: etree._Element,
    target: Path,
    href: str,
    path: str,
    problems: Problems,
    stack: tuple[str, ...],
) -> list[etree._Element | str]:
    resolved = str(target.resolve())
    xpointer = include.get("xpointer")
    if href and resolved in stack and not xpointer:
        raise _Fault(f"{target} includes itself", fallback=False)
    if not href:
        doc_root = include.getroottree().getroot()
    else:
        try:
            tree = _parse(str(target), problems)
        except TeiCableError as exc:
            raise _Fault(f"{target}: {exc}", fallback=False) from None
        doc_root = tree.getroot()
        problems.register(doc_root, str(target))
        resolve_xincludes(doc_root, str(target), problems, stack)
    chosen = _select(doc_root, xpointer) if xpointer else [doc_root]
    if not chosen:
        raise _Fault(f"xpointer {xpointer!r} selects nothing in {target}", fallback=False)
    if not href or len(chosen) > 1:
        chosen = [_copy_in_place(node) for node in chosen]
    for node in chosen:
        problems.include(node, str(target))
    return list(chosen)


def _copy_in_place(node: etree._Element) -> etree._Element:
    new = copy.deepcopy(node)
    new.tail = None
    return new


def _select(root: etree._Element, xpointer: str) -> list[etree._Element]:
    """The elements an ``xpointer`` names, in document order: a bare ``xml:id``, or pointer
    parts tried from left to right until one selects something: ``element(x/1/2)`` /
    ``element(/1/2)``, ``xpointer(XPath)`` (as libxml2 evaluates it: ``xpointer(id('x'))``,
    ``xpointer(//t:elementSpec|//t:macroSpec)``) with the prefixes of the ``xmlns()`` parts
    before it. XPath runs on the local document already parsed; it reads nothing else."""
    xpointer = xpointer.strip()
    if re.fullmatch(r"[^\s()/^]+", xpointer):
        return [n for n in root.iter() if n.get(XML_ID) == xpointer][:1]
    namespaces: dict[str, str] = {}
    parts = _pointer_parts(xpointer)
    for scheme, body in parts:
        if scheme == "xmlns":
            prefix, _, uri = body.partition("=")
            namespaces[prefix.strip()] = uri.strip()
        elif scheme == "element":
            found = _element_scheme(root, body)
            if found is not None:
                return [found]
        elif scheme in ("xpointer", "xpath1"):
            try:
                result = root.getroottree().xpath(body, namespaces=namespaces)
            except etree.XPathError as exc:
                raise _Fault(f"xpointer {xpointer!r}: {exc}", fallback=False) from None
            nodes = result if isinstance(result, list) else []
            elements = [n for n in nodes if isinstance(n, etree._Element)]
            if len(elements) != len(nodes):
                raise _Fault(f"xpointer {xpointer!r} selects something other than elements")
            if elements:
                return elements
        else:
            raise _Fault(
                f"xpointer {xpointer!r}: the scheme {scheme}() is not supported "
                "(xml:id names, element(), xmlns() and xpointer() are)"
            )
    return []


def _pointer_parts(xpointer: str) -> list[tuple[str, str]]:
    """``scheme(body)`` parts of an XPointer (``^`` escapes a parenthesis or ``^``)."""
    parts: list[tuple[str, str]] = []
    at = 0
    while at < len(xpointer):
        match = re.compile(r"\s*([A-Za-z_][\w.:-]*)\(").match(xpointer, at)
        if not match:
            if xpointer[at:].strip():
                raise _Fault(f"xpointer {xpointer!r}: not an XPointer", fallback=False)
            break
        depth, body, i = 1, [], match.end()
        while i < len(xpointer) and depth:
            char = xpointer[i]
            if char == "^" and i + 1 < len(xpointer):
                body.append(xpointer[i + 1])
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth:
                body.append(char)
            i += 1
        if depth:
            raise _Fault(f"xpointer {xpointer!r}: unbalanced parentheses", fallback=False)
        parts.append((match.group(1), "".join(body)))
        at = i
    return parts


def _element_scheme(root: etree._Element, body: str) -> etree._Element | None:
    """``element(x/1/2)`` or ``element(/1/2)``."""
    first, *steps = body.split("/")
    node: etree._Element | None
    if first:
        node = next((n for n in root.iter() if n.get(XML_ID) == first), None)
    else:  # /1 is the document element
        if not steps or steps[0] != "1":
            return None
        node, steps = root, steps[1:]
    for step in steps:
        if node is None or not step.isdigit():
            return None
        kids = [k for k in node if isinstance(k.tag, str)]
        index = int(step) - 1
        node = kids[index] if 0 <= index < len(kids) else None
    return node


def _replace(include: etree._Element, nodes: list[etree._Element | str]) -> None:
    """Put ``nodes`` where ``include`` stands, keeping the text around it."""
    parent = include.getparent()
    if parent is None:
        return
    tail = include.tail or ""
    previous = include.getprevious()
    index = parent.index(include)
    parent.remove(include)

    def add_text(text: str) -> None:
        nonlocal previous
        if not text:
            return
        if previous is None:
            parent.text = (parent.text or "") + text
        else:
            previous.tail = (previous.tail or "") + text

    for node in nodes:
        if isinstance(node, str):
            add_text(node)
            continue
        node.tail = None
        parent.insert(index, node)
        index += 1
        previous = node
    add_text(tail)


def local_inputs(path: str | os.PathLike[str]) -> list[Path]:
    """Every local file compiling the ODD at ``path`` reads besides it: XIncluded files,
    specGrp files, a local ``@source`` (and what a library ODD there reads), local external
    modules. For cache keys: a change in any of them must recompile the ODD."""
    found: dict[Path, None] = {}
    todo = [Path(path)]
    while todo:
        current = todo.pop()
        try:
            tree = _parse(str(current), Problems())
        except TeiCableError:
            continue
        root = tree.getroot()
        refs: list[str] = []
        for node in root.iter(f"{{{XI}}}include"):
            refs.append(node.get("href") or "")
        for node in root.iter("{http://www.tei-c.org/ns/1.0}specGrpRef"):
            refs.append(node.get("target") or "")
        for node in root.iter("{http://www.tei-c.org/ns/1.0}schemaSpec"):
            refs.append(node.get("source") or "")
        for node in root.iter("{http://www.tei-c.org/ns/1.0}moduleRef"):
            refs.append(node.get("url") or "")
        for ref in refs:
            ref = ref.strip()
            if not ref or ref.startswith(("#", "tei:", "http:", "https:")):
                continue
            target = Path(urllib.parse.unquote(ref[5:]) if ref.startswith("file:") else ref)
            if not target.is_absolute():
                target = current.parent / target
            if target.is_file() and target not in found and target != Path(path):
                found[target] = None
                if target.suffix != ".rng":
                    todo.append(target)
    return sorted(found)
