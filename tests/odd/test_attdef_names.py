"""An attDef whose @ident is not an attribute name is an O107 error, never a broken grammar."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei_cable.odd import compile_odd
from tei_cable.resources import schemas_dir

TEI = "http://www.tei-c.org/ns/1.0"


@pytest.mark.parametrize("ident", [None, "", "two words", "1st"])
def test_attdef_without_a_name_is_reported_and_left_out(tmp_path: Path, ident) -> None:
    root = etree.parse(str(schemas_dir() / "tei_cable.odd")).getroot()
    spec = next(root.iter(f"{{{TEI}}}schemaSpec"))
    att = next(spec.iter(f"{{{TEI}}}attDef"))
    att.attrib.pop("mode", None)
    if ident is None:
        del att.attrib["ident"]
    else:
        att.set("ident", ident)
    odd = tmp_path / "broken.odd"
    odd.write_bytes(etree.tostring(root))
    written = next(etree.parse(str(odd)).getroot().iter(f"{{{TEI}}}attDef"))
    compiled = compile_odd(odd, strict=False, download=False)
    o107 = [d for d in compiled.diagnostics if d.code == "O107"]
    assert o107 and o107[0].line == written.sourceline
    assert "not an attribute name" in o107[0].message
    etree.RelaxNG(etree.fromstring(compiled.rng_bytes()))  # the grammar still loads
