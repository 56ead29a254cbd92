"""``tei-cable validate``: check TEI files against RELAX NG, Schematron and XSD."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from ..diagnostics import TeiCableError
from ..validate.formats import DOCUMENT_FORMATS, WRITERS, ReportPart
from .batch import (
    Interrupted,
    ReportFailure,
    batch_options,
    open_cache,
    open_executor,
    progress_for,
    stop_on_signals,
)


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
    type=click.Choice([*WRITERS, *DOCUMENT_FORMATS]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes a file invalid.",
)
@click.option(
    "--no-timings",
    is_flag=True,
    help="Leave run times out of the report: the same files give a byte-identical report.",
)
@click.option(
    "--hash-all",
    is_flag=True,
    help="Hash every file's content to find it in the cache, rather than trusting the hash "
    "kept for a file whose size, times and inode are unchanged.",
)
@batch_options
def validate(
    paths: tuple[str, ...],
    schema: str,
    source: str | None,
    engines: str | None,
    fmt: str,
    fail_on: str,
    no_timings: bool,
    hash_all: bool,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    cache: str | None,
    no_cache: bool,
) -> None:
    """Validate TEI files: PATH is a file, a folder (searched for *.xml) or - (stdin).

    Every issue is printed as path:line:column: severity: message [engine:rule].
    Results are cached by file content, schema and engines: a second run checks only what
    changed. Exit status: 0 all files valid; 1 some file invalid; 2 usage error, unreadable
    input or unusable schema; 130 interrupted (a rerun resumes from the cache).
    """
    started = time.perf_counter()
    from ..batch.files import count_files, iter_files
    from ..validate.report import Summary
    from ..validate.runner import Validator
    from ..validate.stream import iter_results

    try:
        checker = Validator(schema, engines, source=source, fail_on=fail_on)
        first = next(iter(iter_files(paths)), None)
        if first is None:
            raise ReportFailure("no *.xml files found in " + ", ".join(paths))
        stdin = sys.stdin.buffer.read() if "-" in paths else None
        if fmt == "svrl":
            _svrl(checker, list(iter_files(paths)), stdin)
    except TeiCableError as exc:
        raise ReportFailure(str(exc)) from None

    summary = Summary()
    writer = WRITERS[fmt](sys.stdout.buffer, timings=not no_timings)
    results = open_cache(cache, no_cache)
    progress = progress_for("validating", lambda: count_files(paths))
    writer.start()
    try:
        with stop_on_signals() as stopper, open_executor(executor, jobs, scheduler) as running:
            for result, cached in iter_results(
                checker,
                paths,
                executor=running,
                cache=results,
                stdin=stdin,
                trust_identity=not hash_all,
                writer=writer,
                parts=True,
            ):
                with stopper.protect():
                    if isinstance(result, ReportPart):  # many cached files at once
                        writer.part(result)
                        _add_part(summary, result)
                        failed = result.files - result.valid
                        progress.update(result.files, failed=failed, cached=result.files)
                        continue
                    writer.file(result)
                    summary.add(result)
                    progress.update(failed=not result.valid, cached=cached)
    except Interrupted:
        summary.interrupted = True
    except TeiCableError as exc:
        progress.close()
        raise ReportFailure(str(exc)) from None
    finally:
        progress.close()
        if results is not None:
            results.close()
    summary.seconds = time.perf_counter() - started
    writer.end(summary)
    if summary.interrupted:
        invalid = f", {summary.invalid:,} invalid" if summary.invalid else ""
        resume = "; run again to resume from the cache" if results is not None else ""
        click.echo(
            f"tei-cable: interrupted: {summary.files:,} files checked{invalid}{resume}", err=True
        )
    elif progress.enabled and progress.cached:
        click.echo(f"tei-cable: {progress.cached:,} of {summary.files:,} from the cache", err=True)
    sys.exit(summary.exit_code)


def _add_part(summary: Any, part: ReportPart) -> None:
    """Count the files of a part of the report (cached results: never unreadable)."""
    summary.files += part.files
    summary.valid += part.valid
    summary.errors += part.errors
    summary.warnings += part.warnings


def _svrl(checker: Any, files: list[str], stdin: bytes | None) -> None:
    """``--format svrl``: the SVRL report of one file on standard output; the other engines'
    issues on standard error; the exit status of the whole validation."""
    from lxml import etree

    if len(files) != 1:
        raise ReportFailure(
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
