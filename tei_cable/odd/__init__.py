"""The ODD compiler: a TEI customization (ODD) and the TEI source in, schemas out.

Public API::

    from tei_cable.odd import compile_odd

    compiled = compile_odd("schemas/tei_cable.odd", source=None)  # -> CompiledOdd
    compiled.to_rng()        # lxml tree: the RELAX NG grammar (XML syntax)
    compiled.rng_bytes()     # the same, serialised (deterministic)
    compiled.to_odd()        # lxml tree: the compiled ODD (see below)
    compiled.diagnostics     # warnings (and errors, with strict=False): file:line, O1xx codes
    compiled.grammar         # the resolved grammar, for other writers (the XSD writer):
                             #   .elements {define name: element Pattern}, .start, .names,
                             #   .ns; patterns are interned (tei_cable.relaxng.patterns)
    compiled.customization   # the selected and merged specs (lxml elements), in ODD order

``compile_odd`` raises :class:`OddError` listing *every* error of the ODD (``O1xx`` codes, see
:data:`tei_cable.odd.problems.CODES`), each as ``file:line: message``;
:func:`tei_cable.odd.api.build` writes the derived files and :func:`tei_cable.odd.api.check`
says which committed ones are stale (``tei-cable schema build`` / ``schema check``). The TEI
source is found as :mod:`tei_cable.odd.source` describes (``--source``, ``@source``, user
cache, bundled TEI P5 4.9.0, download); external RELAX NG modules (``moduleRef/@url``) as
:mod:`tei_cable.odd.modules` does. How the RELAX NG is shaped for libxml2 and Jing:
``tei_cable/odd/LIBXML2.md``.

The compiled ODD
----------------
A TEI document: the ODD with its ``schemaSpec`` replaced by the resolved one (the shape of
the TEI Stylesheets' ``odd2odd`` output). The compiled ``schemaSpec`` keeps the original's
attributes (``@ident``, ``@start``, ``@source``, ``@prefix``…) and contains:

- ``elementSpec``, ``classSpec``, ``macroSpec`` and ``dataSpec`` for every spec in the schema,
  in full (``@ident``, ``@module``; ``gloss``/``desc``; ``classes/memberOf/@key`` for each
  class an element or class belongs to; ``content``; ``attList`` with ``attDef``\\ s), after
  every ``add``/``change``/``replace``/``delete`` of the customization; no ``@mode`` left on
  specs. Attributes an element inherits stay in their ``classSpec``; an element's change to
  an inherited attribute is an ``attDef`` with ``@mode`` (``change``/``delete``/``replace``)
  in the element's ``attList``;
- each spec's ``constraintSpec``\\ s inside it (and inside its ``attDef``\\ s), unchanged, so
  a constraint's context is its enclosing spec's ``@ident`` and kind;
- the schemaSpec's own ``constraintSpec``\\ s and ``sch:ns``;
- the ``moduleSpec`` of each module used.

There is no ``moduleRef`` and no ``specGrpRef`` in it; unused classes, macros and datatypes
are gone and memberships of classes that are gone removed. Elements that the start cannot
reach, or that no document could satisfy, are still specified there but not in the RELAX NG.
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> the module that defines it (imported on first use, so that a validation
#: that only needs the TEI source or a cached schema does not load the whole compiler)
_LAZY = {
    "CompiledOdd": "compiler",
    "compile_odd": "compiler",
    "CODES": "problems",
    "OddError": "problems",
    "SourceError": "source",
    "TeiSource": "source",
    "load_source": "source",
    "resolve_source": "source",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tei_cable.odd' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
