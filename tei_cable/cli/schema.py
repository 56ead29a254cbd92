"""``tei-cable schema``: derive RELAX NG, Schematron and a compiled ODD from a TEI ODD."""

from __future__ import annotations

import click

from ..diagnostics import Severity, TeiCableError
from ..findings import Finding

_ODD = click.argument("odd", required=False, type=click.Path(dir_okay=False), metavar="[ODD]")
_SOURCE = click.option(
    "--source",
    metavar="P5SUBSET",
    help="The TEI source (p5subset.xml path, tei:VERSION or URL). Default: the ODD's "
    "schemaSpec/@source (a local path, or tei:VERSION from the cache or the bundled copy).",
)
_CATALOG = click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="An OASIS XML catalog giving local copies of what the ODD names by URL (external "
    "RELAX NG modules, a source URL); repeatable, read before XML_CATALOG_FILES.",
)
_OUT = click.option(
    "--out-dir",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Where the derived files are (default: the package's schemas/ folder).",
)


@click.group()
def schema() -> None:
    """Build and check the schemas derived from a TEI ODD customization.

    ODD defaults to tei-cable's own customization, schemas/tei_cable.odd.
    """


def _show(diagnostics: list[Finding], *, quiet_info: bool = True) -> None:
    for item in diagnostics:
        if quiet_info and item.severity < Severity.WARNING:
            continue
        click.echo(f"tei-cable: {item.format()}", err=True)


def _fail(exc: TeiCableError) -> click.ClickException:
    diagnostics = getattr(exc, "diagnostics", None)
    if diagnostics:
        _show(diagnostics)
        errors = sum(1 for d in diagnostics if d.severity >= Severity.ERROR)
        return click.ClickException(
            f"{errors} error{'s' if errors != 1 else ''} in the ODD; no schema written"
        )
    return click.ClickException(str(exc))


@schema.command()
@_ODD
@_SOURCE
@_OUT
@_CATALOG
@click.option(
    "--keep-going",
    is_flag=True,
    help="Write the schemas even when the ODD has errors (they are still reported "
    "and the exit status is 1).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Count warnings as errors: faults the TEI's own pipeline tolerates (a name the "
    "module lacks, a change of a spec that does not exist...) fail the build.",
)
def build(
    odd: str | None,
    source: str | None,
    out_dir: str | None,
    catalogs: tuple[str, ...],
    keep_going: bool,
    strict: bool,
) -> None:
    """Write DIR/IDENT.rng, .xsd, .sch and .compiled.odd from ODD.

    IDENT is the schemaSpec's @ident. Every problem in the ODD is reported as
    FILE:LINE: severity: message [code]; with errors nothing is written (unless --keep-going).
    Faults the TEI's own pipeline tolerates are warnings and give the schema it gives.
    """
    from ..odd.api import build as run

    try:
        result = run(
            odd,
            source=source,
            out_dir=out_dir,
            strict=not keep_going,
            warnings_as_errors=strict,
            catalogs=catalogs,
        )
    except TeiCableError as exc:
        raise _fail(exc) from None
    _show(result.diagnostics)
    for name in result.files:
        click.echo(f"{name}: {result.state(name)}")
    for note in result.notes:
        click.echo(f"note: {note}")
    if any(d.severity >= Severity.ERROR for d in result.diagnostics):
        raise SystemExit(1)


@schema.command()
@_ODD
@_SOURCE
@_OUT
@_CATALOG
def check(
    odd: str | None, source: str | None, out_dir: str | None, catalogs: tuple[str, ...]
) -> None:
    """Exit 1 if a derived file is missing or not what ODD gives now (one line per file).

    Meant for CI: rebuild with `tei-cable schema build` and commit the result.
    """
    from ..odd.api import check as run

    try:
        stale = run(odd, source=source, out_dir=out_dir, catalogs=catalogs)
    except TeiCableError as exc:
        raise _fail(exc) from None
    for message in stale:
        click.echo(f"tei-cable: {message}", err=True)
    if stale:
        raise SystemExit(1)
    click.echo("derived schemas are up to date")


@schema.command()
@_ODD
@_SOURCE
@_CATALOG
@click.option(
    "-o",
    "--out-dir",
    required=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Where to write index.html and IDENT.md.",
)
def doc(odd: str | None, source: str | None, catalogs: tuple[str, ...], out_dir: str) -> None:
    """Write the encoding manual of ODD: DIR/index.html and DIR/IDENT.md.

    Every element of the schema with its gloss, description, content model, attributes
    (datatypes, value lists), the ODD's examples and Schematron constraints in words, the
    classes and macros they name, and what the customization changed against TEI.
    """
    from ..odd import compile_odd
    from ..odd.api import default_odd
    from ..odd.manual import write_manual

    try:
        compiled = compile_odd(
            odd if odd is not None else default_odd(), source=source, catalogs=catalogs
        )
        written = write_manual(compiled, out_dir)
    except TeiCableError as exc:
        raise _fail(exc) from None
    _show(compiled.diagnostics)
    for path in written:
        click.echo(f"{path}: written")
