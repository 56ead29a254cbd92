"""``tei-cable entities``: the persons, places and organisations of TEI documents."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from ..diagnostics import TeiCableError


def registry_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--registry FILE`` (repeatable): TEI list files merged over the built-in registry."""
    return click.option(
        "--registry",
        "registry_files",
        multiple=True,
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="A TEI file of listPerson/listPlace/listOrg merged over the built-in registry "
        "(repeatable; later files win).",
    )(function)


def load_registry(files: tuple[str, ...], *, warn: bool = True) -> Any:
    """The built-in registry with ``files`` merged over it; conflicts are shown on stderr."""
    from ..entities import Registry

    try:
        registry = Registry.load(*files)
    except TeiCableError as exc:
        raise click.ClickException(str(exc)) from None
    if warn:
        for item in registry.conflict_diagnostics():
            click.echo(f"tei-cable: {item.format()}", err=True)
    return registry


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE.xml...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="How to print the inventory.",
)
def entities(files: tuple[str, ...], fmt: str) -> None:
    """List the persons, places and organisations of TEI documents.

    One row per entity: its id, type, preferred name, authority identifiers, how often the
    text names it and the letters it is named in; then the names that point at no entity,
    with the line of the XML file where they are. A document whose local pointers (@ref,
    @who, @corresp, @target… starting with #) do not resolve is reported, one line per
    pointer, and the exit status is 1.
    """
    from ..entities.inventory import inventory, load_document, unresolved_pointers

    documents = []
    failed = False
    for path in files:
        try:
            tree = load_document(path)
        except TeiCableError as exc:
            click.echo(f"tei-cable: error: {exc}", err=True)
            failed = True
            continue
        problems = unresolved_pointers(tree, path)
        if problems:
            for item in problems:
                click.echo(f"tei-cable: {item.format()}", err=True)
            failed = True
            continue
        documents.append((path, tree))
    if documents:
        result = inventory(documents)
        click.echo(_FORMATS[fmt](result), nl=False)
    if failed:
        sys.exit(1)


def _table(result: Any) -> str:
    out = io.StringIO()
    rows = [
        (
            e.id,
            e.kind,
            e.name,
            " ".join(e.identifiers) or ("-" if e.registered else "- (local entry)"),
            str(e.mentions),
            " ".join(e.letters) or "-",
        )
        for e in result.entities
    ]
    if rows:
        out.write(_aligned(("ID", "TYPE", "NAME", "IDENTIFIERS", "MENTIONS", "LETTERS"), rows))
        out.write("\n")
    else:
        out.write("No entities.\n")
    if result.unresolved:
        out.write("Unresolved names\n")
        out.write(
            _aligned(
                ("TYPE", "NAME", "WHERE", "LETTER"),
                [
                    (u.kind, u.name, f"{u.path}:{u.line or '?'}", u.letter)
                    for u in result.unresolved
                ],
            )
        )
    else:
        out.write("No unresolved names.\n")
    return out.getvalue()


def _aligned(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [
        max(len(h), *(len(r[k]) for r in rows)) if rows else len(h) for k, h in enumerate(header)
    ]
    lines = [header, *rows]
    return "".join(
        "  ".join(cell.ljust(widths[k]) for k, cell in enumerate(line)).rstrip() + "\n"
        for line in lines
    )


def _csv(result: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ("row", "id", "type", "name", "identifiers", "mentions", "letters", "file", "line")
    )
    for e in result.entities:
        writer.writerow(
            (
                "entity",
                e.id,
                e.kind,
                e.name,
                " ".join(e.identifiers),
                e.mentions,
                " ".join(e.letters),
                "",
                "",
            )
        )
    for u in result.unresolved:
        writer.writerow(("unresolved", "", u.kind, u.name, "", "", u.letter, u.path, u.line or ""))
    return out.getvalue()


def _json(result: Any) -> str:
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"


_FORMATS: dict[str, Callable[[Any], str]] = {"table": _table, "csv": _csv, "json": _json}
