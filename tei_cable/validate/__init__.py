"""Validate TEI documents against RELAX NG, ISO Schematron and XSD, as a library.

>>> import tei_cable
>>> report = tei_cable.validate("letter.xml")                  # doctest: +SKIP
>>> report.valid, [i.format(p) for p, i in report.issues]      # doctest: +SKIP
>>> tei_cable.is_valid(tree, schema="tei_all")                 # doctest: +SKIP

``tei_cable.validate`` is this module, and calling it calls :func:`validate`. For many files,
build a :class:`Validator` once (schemas are compiled once) and call its ``run`` or
``validate_file``.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..findings import Issue

if TYPE_CHECKING:
    from .report import Report
    from .runner import Validator

_VALIDATORS: dict[tuple[object, ...], Validator] = {}


def validator(
    schema: str | os.PathLike[str] = "tei_cable",
    engines: Iterable[str] | str | None = None,
    *,
    source: str | None = None,
    fail_on: str = "error",
) -> Validator:
    """A compiled :class:`Validator`, shared by calls with the same arguments."""
    from .runner import Validator

    key = (
        os.fspath(schema),
        engines if isinstance(engines, str) else tuple(engines or ()),
        source,
        fail_on,
    )
    found = _VALIDATORS.get(key)
    if found is None:
        found = _VALIDATORS[key] = Validator(
            schema,
            list(engines) if engines and not isinstance(engines, str) else engines,
            source=source,
            fail_on=fail_on,
        ).compile()
    return found


def validate(
    source: object,
    schema: str | os.PathLike[str] = "tei_cable",
    *,
    engines: Iterable[str] | str | None = None,
    odd_source: str | None = None,
    fail_on: str = "error",
    jobs: int | None = 1,
) -> Report:
    """Validate a file, a folder, a list of them, bytes, or an lxml tree; return a Report.

    ``schema`` is ``"tei_cable"`` (default), ``"tei_all"``, or a ``.rng``, ``.sch``, ``.xsd``
    or ``.odd`` file (``odd_source``: the TEI P5 source an ODD is compiled against). ``engines``
    (``"rng"``, ``"sch"``, ``"xsd"``) defaults to RELAX NG and Schematron. Schemas are compiled
    once per process and reused by later calls. Raises ``SchemaError`` if the schema cannot be
    used and ``InputError`` for a path that does not exist.
    """
    import time

    from lxml import etree

    from .report import Report

    checker = validator(schema, engines, source=odd_source, fail_on=fail_on)
    if isinstance(source, etree._ElementTree | etree._Element):
        started = time.perf_counter()
        result = checker.validate_tree(source)
        return Report([result], time.perf_counter() - started)
    if isinstance(source, bytes):
        started = time.perf_counter()
        result = checker.validate_bytes(source, "<bytes>")
        return Report([result], time.perf_counter() - started)
    if isinstance(source, str | os.PathLike):
        return checker.run([source], jobs=jobs)
    return checker.run(list(source), jobs=jobs)  # type: ignore[call-overload]


def is_valid(
    source: object, schema: str | os.PathLike[str] = "tei_cable", **options: object
) -> bool:
    """Whether :func:`validate` finds ``source`` valid (same arguments).

    One document (a file, bytes or a tree) is checked only up to its first error, and no
    engine explains what it found; folders and lists of files are validated in full.
    """
    from lxml import etree

    single = isinstance(source, bytes | etree._ElementTree | etree._Element) or (
        isinstance(source, str | os.PathLike) and os.path.isfile(source)
    )
    if single and set(options) <= {"engines", "odd_source", "fail_on"}:
        checker = validator(
            schema,
            options.get("engines"),  # type: ignore[arg-type]
            source=options.get("odd_source"),  # type: ignore[arg-type]
            fail_on=str(options.get("fail_on", "error")),
        )
        return checker.is_valid(source)  # type: ignore[arg-type]
    return _validate(source, schema, **options).valid  # type: ignore[arg-type]


def __getattr__(name: str) -> object:
    """``Validator``, ``Report``, ``FileResult`` and ``SchemaError``, imported when first used."""
    if name == "Validator":
        from .runner import Validator

        return Validator
    if name in ("Report", "FileResult"):
        from . import report

        return getattr(report, name)
    if name == "SchemaError":
        from .engines import SchemaError

        return SchemaError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_validate = validate


class _CallableModule(types.ModuleType):
    """Lets ``tei_cable.validate(...)`` call :func:`validate` though it names this package."""

    def __call__(self, *args: object, **kwargs: object) -> Report:
        return _validate(*args, **kwargs)  # type: ignore[arg-type]


sys.modules[__name__].__class__ = _CallableModule
#: ``tei_cable.validate`` is this package however it is reached (``import tei_cable.validate``,
#: ``from tei_cable import validate``, ``from tei_cable.validate import validate``), and
#: calling it calls the function above
validate = sys.modules[__name__]  # type: ignore[assignment]

__all__ = [
    "FileResult",
    "Issue",
    "Report",
    "SchemaError",
    "Validator",
    "is_valid",
    "validate",
    "validator",
]
