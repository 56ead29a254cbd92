"""Write the compiled ODD: the customization's TEI document with its schema resolved.

The document is the ODD itself (header, prose and all) with its schemaSpec replaced by the
compiled one, which holds, in this order:

- every spec of the schema in full, as selected and merged (``elementSpec``, ``classSpec``,
  ``macroSpec``, ``dataSpec``, each with ``@module``; their ``constraintSpec``\\ s inside them,
  attribute classes' attributes in the classSpecs, elements' memberships in
  ``classes/memberOf``; per-element changes of class attributes as ``attDef`` with
  ``@mode`` in the element's ``attList``);
- the schemaSpec's other children (its own ``constraintSpec``\\ s, ``sch:ns``…);
- a copy of the ``moduleSpec`` of each module the specs come from.

It has no ``moduleRef`` and no ``specGrpRef`` left: ``specGrp``\\ s elsewhere in the document
become a short summary table (as in the TEI Stylesheets' ``odd2odd``), and other schemaSpecs
of the ODD are dropped. Specs that come from the TEI source carry their English glosses and
descriptions but not their examples and remarks (see :mod:`tei_cable.odd.source`).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from lxml import etree

from ..namespaces import SCH, SPEC_TAGS, TEI, tei
from ..xmlio import remove_keeping_text

if TYPE_CHECKING:
    from .compiler import CompiledOdd


def write_compiled_odd(compiled: CompiledOdd) -> etree._ElementTree:
    cust = compiled.customization
    root = copy.deepcopy(cust.odd_root)
    old_specs = list(root.iter(tei("schemaSpec")))
    selected_index = list(cust.odd_root.iter(tei("schemaSpec"))).index(cust.schema_spec)
    target = old_specs[selected_index]
    schema = etree.Element(tei("schemaSpec"), dict(target.attrib), nsmap=target.nsmap)
    schema.text = "\n"
    declared = _source_namespaces(cust.source.root, root)
    if len(declared):
        schema.append(declared)
    for spec in cust.specs:
        part = copy.deepcopy(spec)
        part.tail = "\n"
        schema.append(part)
    for other in cust.others:
        if other.tag == tei("moduleRef"):
            continue
        part = copy.deepcopy(other)
        part.tail = "\n"
        schema.append(part)
    modules = []
    for spec in cust.specs:
        module = spec.get("module")
        if module and module not in modules:
            modules.append(module)
    for module in modules:
        found = cust.source.modules.get(module)
        if found is not None:
            part = copy.deepcopy(found)
            part.tail = "\n"
            schema.append(part)
    schema.tail = target.tail
    parent = target.getparent()
    if parent is None:  # the ODD is a bare schemaSpec: the compiled one is the whole document
        root = schema
    else:
        parent.replace(target, schema)
    for other in old_specs:
        if other is not target and other.getparent() is not None:
            remove_keeping_text(other)
    for group in list(root.iter(tei("specGrp"))):
        _summarise(group)
    for ref in list(root.iter(tei("specGrpRef"))):
        remove_keeping_text(ref)
    tree = root.getroottree()
    version = etree.ProcessingInstruction("TEIVERSION", cust.source.edition)
    root.addprevious(version)
    return tree


def _source_namespaces(source: etree._Element, odd: etree._Element) -> etree._Element:
    """A ``constraintDecl`` with the source's ``sch:ns`` whose prefixes the ODD leaves free.

    The TEI's constraints use the prefixes its header declares (``sch1x``, ``rng``, ``rna``…);
    the compiled ODD carries them, so its Schematron can be extracted from it alone.
    """
    bound = {
        ns.get("prefix")
        for decl in odd.iter(tei("constraintDecl"))
        for ns in decl.iter(f"{{{SCH}}}ns")
    }
    decl = etree.Element(tei("constraintDecl"), scheme="schematron")
    decl.text = "\n"
    decl.tail = "\n"
    for found in source.iter(tei("constraintDecl")):
        if found.get("scheme", "schematron") not in ("schematron", "isoschematron"):
            continue
        for ns in found.iter(f"{{{SCH}}}ns"):
            prefix, uri = ns.get("prefix"), ns.get("uri")
            if prefix and uri and prefix not in bound:
                bound.add(prefix)
                etree.SubElement(decl, f"{{{SCH}}}ns", prefix=prefix, uri=uri).tail = "\n"
    return decl


def _summarise(group: etree._Element) -> None:
    """A specGrp becomes a table listing what it declared (its specs live in the schemaSpec)."""
    table = etree.Element(tei("table"), rend="specGrpSummary")
    if group.get("{http://www.w3.org/XML/1998/namespace}id"):
        table.set(
            "{http://www.w3.org/XML/1998/namespace}id",
            group.get("{http://www.w3.org/XML/1998/namespace}id", ""),
        )
    for child in group:
        if not isinstance(child.tag, str):
            continue
        if child.tag in SPEC_TAGS:
            row = etree.SubElement(table, tei("row"))
            kind = etree.QName(child).localname.replace("Spec", "")
            etree.SubElement(row, tei("cell")).text = f"{kind} {child.get('ident', '')}"
            etree.SubElement(row, tei("cell")).text = child.get("mode") or "add"
        elif child.tag == tei("moduleRef"):
            row = etree.SubElement(table, tei("row"))
            module = child.get("key") or child.get("url")
            etree.SubElement(row, tei("cell")).text = f"module {module}"
            etree.SubElement(row, tei("cell"))
        elif child.tag == tei("specGrpRef"):
            row = etree.SubElement(table, tei("row"))
            etree.SubElement(row, tei("cell")).text = f"reference {child.get('target', '')}"
            etree.SubElement(row, tei("cell"))
    table.tail = group.tail
    parent = group.getparent()
    if parent is not None:
        if len(table):
            parent.replace(group, table)
        else:
            remove_keeping_text(group)


_ = TEI
