"""``tei-cable validate``: check TEI files against RELAX NG, Schematron and XSD."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import click

from ..diagnostics import TeiCableError
from ..validate.formats import DOCUMENT_FORMATS, FORMATS

#: a run with at least this many files shows a progress bar (on a terminal only)
PROGRESS_MIN_FILES = 20


class _InputFailure(click.ClickException):
    """A usage problem found after parsing the options: one line, exit status 2."""

    exit_code = 2


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--schema",
    default="tei_cable",
    show_default=True,
    metavar="NAME|FILE",
    help="tei_cable (packaged), tei_all, or a .rng, .sch, .xsd or .odd file.",
)
@click.option(
    "--source",
    metavar="P5SUBSET",
    help="The TEI P5 source (p5subset.xml) an .odd schema or tei_all is compiled from.",
)
@click.option(
    "--engine",
    "engines",
    metavar="rng,sch,xsd",
    help="Engines to run, comma-separated. Default: rng,sch (those the schema has).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, *DOCUMENT_FORMATS]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Worker processes. Default: one per core; 1 validates in this process.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes a file invalid.",
)
def validate(
    paths: tuple[str, ...],
    schema: str,
    source: str | None,
    engines: str | None,
    fmt: str,
    jobs: int | None,
    fail_on: str,
) -> None:
    """Validate TEI files: PATH is a file, a folder (searched for *.xml) or - (stdin).

    Every issue is printed as path:line:column: severity: message [engine:rule].
    Exit status: 0 all files valid; 1 some file invalid; 2 usage error, unreadable input or
    unusable schema.
    """
    started = time.perf_counter()
    from ..validate.runner import Validator, expand

    try:
        checker = Validator(schema, engines, source=source, fail_on=fail_on)
        files = expand(paths)
        if not files:
            raise _InputFailure("no *.xml files found in " + ", ".join(paths))
        stdin = sys.stdin.buffer.read() if "-" in files else None
        if fmt == "svrl":
            _svrl(checker, files, stdin)
        checker.compile()
        bar = _progress(len(files))
        try:
            report = checker.run(
                files, jobs=jobs, stdin=stdin, progress=bar.update if bar is not None else None
            )
        finally:
            if bar is not None:
                bar.render_finish()
    except TeiCableError as exc:
        raise _InputFailure(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    report.seconds = time.perf_counter() - started
    click.echo(FORMATS[fmt](report), nl=False)
    sys.exit(report.exit_code)


def _svrl(checker: Any, files: list[str], stdin: bytes | None) -> None:
    """``--format svrl``: the SVRL report of one file on standard output; the other engines'
    issues on standard error; the exit status of the whole validation."""
    from lxml import etree

    if len(files) != 1:
        raise _InputFailure(
            f"--format svrl reports one document; {len(files)} files given (run it per file)"
        )
    report = checker.run(files, jobs=1, stdin=stdin)
    svrl = checker.svrl(files[0], stdin if files[0] == "-" else None)
    for path, issue in report.issues:
        if issue.engine != "sch":
            click.echo(issue.format(path), err=True)
    click.echo(
        etree.tostring(svrl, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode(
            "utf-8"
        ),
        nl=False,
    )
    sys.exit(report.exit_code)


def _progress(total: int) -> Any:
    """A progress bar on standard error, only on a terminal and outside CI."""
    if total < PROGRESS_MIN_FILES or not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    bar = click.progressbar(
        length=total, label="validating", file=sys.stderr, show_eta=True, show_pos=True
    )
    bar.__enter__()
    return bar
