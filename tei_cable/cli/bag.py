"""``tei-cable bag``: a BagIt bag of TEI documents and their exports."""

from __future__ import annotations

import sys

import click

from ..diagnostics import TeiCableError
from .export import build_options, export_options


@click.command("bag")
@click.argument("inputs", nargs=-1, required=True, metavar="DIR|FILE...")
@click.option("-o", "--output", required=True, type=click.Path(), help="The bag folder to write.")
@click.option("--force", is_flag=True, help="Replace the bag if it exists.")
@export_options
def bag(inputs, output, force, **options) -> None:
    """Write a BagIt 1.0 bag (RFC 8493) of TEI files and their exports with checksums.

    The bag holds the TEI, its Dublin Core, JSON-LD and HTML exports and, with --url and
    --editor, a CMIF file of all letters. Inputs that are not TEI are reported on one line
    each and left out (exit status 1); the bag appears whole or not at all.
    """
    from ..export.bag import make_bag
    from ..export.options import ExportError

    try:
        result = make_bag(
            inputs,
            output,
            options=build_options(**options),
            force=force,
            report=lambda exc: click.echo(f"tei-cable: error: {exc}", err=True),
        )
    except ExportError as exc:
        raise click.UsageError(str(exc)) from None
    except TeiCableError as exc:
        click.echo(f"tei-cable: error: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"tei-cable: bag {result.path}: {result.documents} documents, {result.files} files, "
        f"{result.bytes} bytes",
        err=True,
    )
    if not result.ok:
        total = result.documents + len(result.failures)
        click.echo(f"tei-cable: {len(result.failures)} of {total} inputs failed", err=True)
        sys.exit(1)
