"""Conversion: read a record, enrich the model, write TEI. The library's main entry point."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from .diagnostics import InputError
from .enrich import EnrichContext, Enricher, run_enrichers
from .enrich.pipeline import default_enrichers
from .findings import Finding
from .lossless import LosslessReport, check_record, check_source
from .model import Record
from .readers import read_records
from .writers.tei import HeaderOptions, write_tei
from .xmlio import serialize


@dataclass
class Conversion:
    """The outcome of converting one record: the model, the TEI and what was noticed."""

    record: Record
    tree: etree._ElementTree
    diagnostics: list[Finding] = field(default_factory=list)
    source: str | None = None  # the input the record was read from

    def to_bytes(self) -> bytes:
        """The TEI as UTF-8 bytes, pretty-printed and byte-identical on every run."""
        return serialize(self.tree)

    def lossless(self) -> LosslessReport:
        """Check that nothing of the record is lost (see :mod:`tei_cable.lossless`)."""
        lines = _lines(self.source) if self.source is not None else None
        return check_record(self.record, self.tree, lines)

    @property
    def name(self) -> str:
        """A file name stem for this record: its archive id where known (``wilson-117409``)."""
        return record_name(self.record)


class Conversions(list[Conversion]):
    """The records of one input, converted; :meth:`lossless` checks the input as a whole."""

    def __init__(self, items: Sequence[Conversion], source: str) -> None:
        super().__init__(items)
        self.source = source

    @property
    def diagnostics(self) -> list[Finding]:
        return [d for conversion in self for d in conversion.diagnostics]

    def lossless(self) -> LosslessReport:
        """Every line of the input in one record, every record's text in its TEI."""
        return check_source(self.source, [(c.record, c.tree) for c in self])

    def names(self, stem: str = "record") -> list[str]:
        """One distinct file name stem per record: from its record id or address, else
        ``STEM-N`` (its place in the input); ``-2``, ``-3`` … for an id given twice."""
        names: list[str] = []
        seen: dict[str, int] = {}
        for k, conversion in enumerate(self, 1):
            name = conversion.name or f"{stem}-{k}"
            seen[name] = seen.get(name, 0) + 1
            names.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
        return names

    def to_corpus(
        self, options: HeaderOptions | None = None, source: str | None = None
    ) -> etree._ElementTree:
        """One ``teiCorpus`` holding every record's TEI (identifiers made distinct)."""
        from .writers.tei.corpus import write_corpus

        return write_corpus(
            [c.tree for c in self],
            self.names(Path(source).stem if source else "record"),
            source=source,
            options=options,
        )

    def outputs(
        self,
        stem: str,
        *,
        out_dir: str | None = None,
        output: str | None = None,
        options: HeaderOptions | None = None,
        taken: set[str] | None = None,
        source: str | None = None,
    ) -> list[tuple[str | None, bytes]]:
        """What to write for this input: ``(path or None for standard output, bytes)``.

        One record: its TEI (``DIR/STEM.xml`` with ``out_dir``). Several: one file per record
        named from its record id with ``out_dir`` (``wilson-117409.xml``), else one
        ``teiCorpus``. ``taken`` (paths already written in this run) gets ``-2``, ``-3`` … added
        so that no record overwrites another.
        """
        taken = set() if taken is None else taken
        if len(self) != 1 and out_dir is None:
            corpus = self.to_corpus(options, source=source or stem)
            return [(output, serialize(corpus))]
        names = [stem] if len(self) == 1 else self.names(stem)
        out: list[tuple[str | None, bytes]] = []
        for conversion, name in zip(self, names, strict=True):
            if out_dir is None:
                out.append((output, conversion.to_bytes()))
                continue
            out.append((unique_target(out_dir, name, taken), conversion.to_bytes()))
        return out


def record_name(record: Record) -> str:
    """``wilson-117409`` from the record's id (``wilson-node-88057`` from a site node address);
    empty when the record has neither."""
    import re

    ident = record.identifier
    if not ident:
        node = re.search(r"/node/(\d+)", record.url)
        ident = f"node-{node.group(1)}" if node else ""
    ident = re.sub(r"[^\w.\-]+", "-", ident).strip("-.")
    return f"wilson-{ident}" if ident else ""


def _lines(text: str) -> list[str]:
    from .readers.wilson import split_lines

    return split_lines(text)


def convert_records(
    text: str,
    *,
    path: str | None = None,
    format: str = "wilson",
    registry: object = None,
    enrichers: Sequence[Enricher] | None = None,
    options: HeaderOptions | None = None,
) -> Conversions:
    """Convert every record of an input (the archive exports search results as one file).

    Text XML cannot carry (a control character) raises :class:`InputError` (``I001``)."""
    _check_options(options)
    records = read_records(text, format=format, path=path)
    return Conversions(
        [_convert(record, text, path, registry, enrichers, options) for record in records],
        text,
    )


def convert_record(
    text: str,
    *,
    path: str | None = None,
    format: str = "wilson",
    registry: object = None,
    enrichers: Sequence[Enricher] | None = None,
    options: HeaderOptions | None = None,
) -> Conversion:
    """Convert the text of one record; the result keeps the model and the diagnostics.

    An input of several records raises :class:`InputError` (``R106``): use
    :func:`convert_records`.
    """
    _check_options(options)
    records = read_records(text, format=format, path=path)
    if len(records) > 1:
        from .readers.wilson import several_records_error

        raise several_records_error(records, path)
    return _convert(records[0], text, path, registry, enrichers, options)


def _check_options(options: HeaderOptions | None) -> None:
    from .xmlio import check_xml_chars

    if options is not None and options.publisher:
        check_xml_chars(options.publisher, what="the publisher's name")


def _convert(
    record: Record,
    text: str,
    path: str | None,
    registry: object,
    enrichers: Sequence[Enricher] | None,
    options: HeaderOptions | None,
) -> Conversion:
    context = EnrichContext(registry=registry)
    run_enrichers(record, default_enrichers() if enrichers is None else enrichers, context)
    tree = write_tei(record, registry=context.registry, options=options)
    diagnostics = sorted(
        [*record.diagnostics, *(_with_path(d, path) for d in context.diagnostics)],
        key=lambda d: (d.line or 0, d.column or 0, d.code),
    )
    return Conversion(record, tree, diagnostics, text)


def convert(text: str, **kwargs: object) -> etree._ElementTree:
    """Convert the text of one record to a TEI document (an lxml tree)."""
    return convert_record(text, **kwargs).tree  # type: ignore[arg-type]


def read_source(path: str | Path) -> str:
    """Read a record file as UTF-8; a one-line :class:`InputError` for anything else."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a record file", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    return decode_source(data, name)


def decode_source(data: bytes, name: str) -> str:
    """Decode a record's bytes as UTF-8, saying what the bytes look like when they are not."""
    if not data.strip():
        raise InputError("the file is empty; a record needs a title block and its text", path=name)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("this is a binary file, not a text record", path=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = _guess_encoding(data)
        hint = f" (it looks like {guess})" if guess else ""
        raise InputError(
            f"not UTF-8{hint}: byte 0x{data[exc.start]:02x} cannot be decoded; "
            "convert the file to UTF-8 first (e.g. iconv -f ENCODING -t UTF-8)",
            path=name,
            line=line,
            column=column,
        ) from None


def _guess_encoding(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for encoding in ("cp1251", "gb18030", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        letters = [c for c in text if c.isalpha()] or [" "]
        if (
            encoding == "cp1251"
            and sum("\u0400" <= c <= "\u04ff" for c in letters) > len(letters) / 2
        ):
            return "Windows-1251 (Cyrillic)"
        if (
            encoding == "gb18030"
            and sum("\u4e00" <= c <= "\u9fff" for c in letters) > len(letters) / 2
        ):
            return "GB18030 (Chinese)"
        if encoding == "cp1252":
            return "Windows-1252 or Latin-1"
    return None


def _with_path(d: Finding, path: str | None) -> Finding:
    if d.path or not path:
        return d
    return replace(d, path=path)


def unique_target(out_dir: str | os.PathLike[str], name: str, taken: set[str]) -> str:
    """``out_dir/name.xml``, or ``name-2.xml``, ``name-3.xml`` … if a path in ``taken`` (written
    earlier in this run) has it; the path chosen is added to ``taken``."""
    target = str(Path(out_dir) / f"{name}.xml")
    n = 1
    while target in taken:
        n += 1
        target = str(Path(out_dir) / f"{name}-{n}.xml")
    taken.add(target)
    return target
