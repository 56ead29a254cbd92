"""``tei-cable export``: TEI to CMIF, Dublin Core, JSON-LD or HTML."""

from __future__ import annotations

import sys

import click

from ..diagnostics import TeiCableError
from ..export.formats import FORMATS
from .batch import Interrupted, executor_options, open_executor, stop_on_signals


def export_options(function):
    """Options shared by ``export`` and ``bag``: who publishes, where, when."""
    decorators = [
        click.option(
            "--editor",
            "editors",
            multiple=True,
            metavar="'NAME <EMAIL>'",
            help="Contact person for the export (CMIF titleStmt/editor); repeatable.",
        ),
        click.option("--publisher", metavar="NAME", help="Who publishes the export."),
        click.option(
            "--url",
            metavar="URL",
            help="Where the export will be published (CMIF's own address, publicationStmt/idno).",
        ),
        click.option(
            "--base-url",
            metavar="URL",
            help="Where the documents are published; their identifiers are BASE-URL/NAME.",
        ),
        click.option("--title", metavar="TEXT", help="Title of a CMIF file."),
        click.option(
            "--date",
            metavar="ISO",
            help="Time stamp of the export; default $SOURCE_DATE_EPOCH or the newest input's.",
        ),
        click.option(
            "--licence",
            type=click.Choice(["cc-by", "cc0"]),
            default="cc-by",
            show_default=True,
            help="Licence of a CMIF file (CC BY 4.0 or CC0).",
        ),
        click.option(
            "--validate",
            metavar="SCHEMA",
            help="Export only inputs valid against SCHEMA (tei_cable, tei_all or a file).",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def build_options(editors, publisher, url, base_url, title, date, licence, validate):
    from ..export import Editor, ExportOptions

    return ExportOptions(
        title=title or "",
        editors=tuple(Editor.parse(e) for e in editors),
        publisher=publisher or "",
        url=url or "",
        base_url=base_url or "",
        date=date or "",
        licence=licence,
        validate=validate or "",
    )


@click.command("export")
@click.argument("inputs", nargs=-1, required=True, metavar="FILE|DIR...")
@click.option(
    "--to",
    "to",
    required=True,
    type=click.Choice(sorted(FORMATS)),
    help="The format: " + "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values()),
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False),
    help="Write into this folder (one file per input for dc, jsonld and html).",
)
@click.option("--force", is_flag=True, help="Overwrite output files that exist.")
@export_options
@executor_options
def export(inputs, to, output, out_dir, force, jobs, executor, scheduler, **options) -> None:
    """Export TEI files (FILE, DIR searched for *.xml, or - for standard input).

    Each input that cannot be read or is not TEI is one error line and the others are still
    exported; files are written atomically. Inputs are read (and checked, with --validate) on
    worker processes or a Dask cluster; the outputs are the same as in one process. Exit
    status 1 if any input failed, 2 for a usage error, 130 if interrupted.
    """
    from ..export.options import ExportError
    from ..export.run import export as run_export

    if output and out_dir:
        raise click.UsageError("give either -o/--output or --out-dir, not both")
    try:
        settings = build_options(**options)
        with stop_on_signals(), open_executor(executor, jobs, scheduler) as running:
            outcome = run_export(
                inputs,
                to,
                output=output,
                out_dir=out_dir,
                force=force,
                options=settings,
                report=lambda exc: click.echo(f"tei-cable: error: {exc}", err=True),
                executor=running,
            )
    except Interrupted:
        click.echo("tei-cable: interrupted", err=True)
        sys.exit(130)
    except ExportError as exc:
        raise click.UsageError(str(exc)) from None
    except TeiCableError as exc:
        click.echo(f"tei-cable: error: {exc}", err=True)
        sys.exit(1)
    if not outcome.ok:
        total = outcome.documents + len(outcome.failures)
        click.echo(f"tei-cable: {len(outcome.failures)} of {total} inputs failed", err=True)
        sys.exit(1)
