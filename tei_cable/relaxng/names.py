"""RELAX NG name classes: one encoding, read from the XML syntax, tested against names.

A name class is a plain tuple:

- ``("name", ns, local)``: one name;
- ``("anyName", except)``: any name but those of ``except`` (a name class or ``None``);
- ``("nsName", ns, except)``: any name in namespace ``ns`` but those of ``except``;
- ``("nameChoice", (nc, ...))``: any name of one of the name classes.

A name is ``(ns, local)``; ``ns`` is ``""`` for no namespace.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..namespaces import RNG, XML

NameClass = tuple[Any, ...]
QName = tuple[str, str]

_R = f"{{{RNG}}}"


class NameClassError(ValueError):
    """A name class the reader cannot follow (an undeclared prefix, an unknown element)."""


def contains(nc: NameClass, qn: QName) -> bool:
    """Whether name class ``nc`` contains the name ``qn``."""
    kind = nc[0]
    if kind == "name":
        return nc[1] == qn[0] and nc[2] == qn[1]
    if kind == "anyName":
        return nc[1] is None or not contains(nc[1], qn)
    if kind == "nsName":
        return nc[1] == qn[0] and (nc[2] is None or not contains(nc[2], qn))
    return any(contains(part, qn) for part in nc[1])


def parts(nc: NameClass) -> list[NameClass]:
    """The simple parts of a name class, exceptions left out: ``("name", ns, local)``,
    ``("anyName",)`` and ``("nsName", ns)``."""
    kind = nc[0]
    if kind == "name":
        return [nc]
    if kind == "anyName":
        return [("anyName",)]
    if kind == "nsName":
        return [("nsName", nc[1])]
    return [part for sub in nc[1] for part in parts(sub)]


def qualified(name: str, node: etree._Element, ns: str, *, strict: bool = False) -> NameClass:
    """The name class of a name as written in ``@name`` or ``<name>``: ``prefix:local``
    through the namespaces in scope at ``node`` (``xml`` always bound), else ``local`` in
    ``ns``. An undeclared prefix stands for no namespace, or (``strict``) is an error."""
    name = name.strip()
    prefix, colon, local = name.partition(":")
    if not colon:
        return ("name", ns, name)
    if prefix == "xml":
        return ("name", XML, local)
    uri = node.nsmap.get(prefix)
    if uri is None:
        if strict:
            raise NameClassError(f"undeclared prefix {prefix!r}")
        uri = ""
    return ("name", uri, local)


def read(node: etree._Element, ns: str, *, strict: bool = False) -> NameClass:
    """The name class written by the name-class element ``node`` (``name``, ``anyName``,
    ``nsName``, ``choice``), ``ns`` being the ``ns`` inherited where it stands (section 4.8
    of RELAX NG: a name class element's own ``ns`` is in force within it)."""
    ns = node.get("ns", ns)
    tag = node.tag if isinstance(node.tag, str) else ""
    local = tag[len(_R) :] if tag.startswith(_R) else ""
    kids = [k for k in node if isinstance(k.tag, str) and k.tag.startswith(_R)]
    if local == "name":
        return qualified(node.text or "", node, ns, strict=strict)
    if local in ("anyName", "nsName"):
        excepted = [
            read(k, ns, strict=strict)
            for e in kids
            if e.tag == _R + "except"
            for k in e
            if isinstance(k.tag, str) and k.tag.startswith(_R)
        ]
        except_: NameClass | None = None
        if len(excepted) == 1:
            except_ = excepted[0]
        elif excepted:
            except_ = ("nameChoice", tuple(excepted))
        return ("anyName", except_) if local == "anyName" else ("nsName", ns, except_)
    if local == "choice":
        return ("nameChoice", tuple(read(k, ns, strict=strict) for k in kids))
    raise NameClassError(f"unsupported name class {local or tag!r}")
