"""``tei-cable convert``: records to TEI P5."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import Severity, TeiCableError
from .entities import load_registry, registry_option


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the TEI to this file.")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False),
    help="Write one NAME.xml per input into this folder.",
)
@click.option("--force", is_flag=True, help="Overwrite output files that exist.")
@click.option("-q", "--quiet", is_flag=True, help="Do not show the reader's warnings.")
@click.option(
    "--publisher",
    metavar="NAME",
    help="Who publishes the encoding (publicationStmt); default: unpublished.",
)
@registry_option
def convert(
    inputs: tuple[str, ...],
    output: str | None,
    out_dir: str | None,
    force: bool,
    quiet: bool,
    publisher: str | None,
    registry_files: tuple[str, ...],
) -> None:
    """Convert archive records (INPUT, or - for standard input) to TEI P5.

    With one input and no -o the TEI goes to standard output. An input holding several records
    (the archive's search results, or files run together) gives one TEI per record with
    --out-dir (named from each record id), else one teiCorpus. Every failure is reported on one
    line and the other inputs are still converted; the exit status is 1 if any failed, 2 for
    a usage error.
    """
    from ..convert import convert_records, decode_source, read_source
    from ..xmlio import write_atomic

    if output and out_dir:
        raise click.UsageError("give either -o/--output or --out-dir, not both")
    if len(inputs) > 1 and not out_dir:
        raise click.UsageError("several inputs need --out-dir DIR (one NAME.xml per input)")
    if out_dir and "-" in inputs:
        raise click.UsageError("standard input (-) has no name: use -o FILE for it")
    if out_dir and not Path(out_dir).is_dir():
        raise click.UsageError(f"--out-dir {out_dir}: no such folder")

    from ..writers.tei import HeaderOptions

    registry = load_registry(registry_files, warn=not quiet)
    options = HeaderOptions(publisher=publisher)
    failed = 0
    taken: set[str] = set()
    for name in inputs:
        try:
            if name == "-":
                text = decode_source(sys.stdin.buffer.read(), "<stdin>")
                path = "<stdin>"
            else:
                text = read_source(name)
                path = name
            results = convert_records(text, path=path, registry=registry, options=options)
            if not quiet:
                for item in results.diagnostics:
                    if item.severity >= Severity.WARNING:
                        click.echo(f"tei-cable: {item.format()}", err=True)
            stem = Path(name).stem if name != "-" else "stdin"
            writes = results.outputs(
                stem, out_dir=out_dir, output=output, options=options, taken=taken, source=path
            )
        except TeiCableError as exc:
            failed += 1
            click.echo(f"tei-cable: error: {exc}", err=True)
            continue
        ok = True
        for target, data in writes:
            try:
                if target is None:
                    sys.stdout.buffer.write(data)
                    sys.stdout.buffer.flush()
                else:
                    write_atomic(target, data, force=force)
            except TeiCableError as exc:
                ok = False
                click.echo(f"tei-cable: error: {exc}", err=True)
        failed += not ok
    if failed:
        if len(inputs) > 1:
            click.echo(f"tei-cable: {failed} of {len(inputs)} inputs failed", err=True)
        sys.exit(1)
