"""``tei-cable convert``: records to TEI P5."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..diagnostics import TeiCableError
from .batch import (
    Interrupted,
    batch_options,
    open_cache,
    open_executor,
    progress_for,
    stop_on_signals,
)
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
@batch_options
def convert(
    inputs: tuple[str, ...],
    output: str | None,
    out_dir: str | None,
    force: bool,
    quiet: bool,
    publisher: str | None,
    registry_files: tuple[str, ...],
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    cache: str | None,
    no_cache: bool,
) -> None:
    """Convert archive records (INPUT, or - for standard input) to TEI P5.

    With one input and no -o the TEI goes to standard output. Every failure is reported on one
    line and the other inputs are still converted; the exit status is 1 if any failed, 2 for
    a usage error, 130 if interrupted. With --force, a record whose output file already holds
    the TEI it gives (known from the result cache) is not converted again.
    """
    from ..batch.convert import Converted, ConvertJob, context_key
    from ..batch.executors import remember_state
    from ..batch.pipeline import ordered_map
    from ..writers.tei import HeaderOptions
    from ..xmlio import write_atomic

    if output and out_dir:
        raise click.UsageError("give either -o/--output or --out-dir, not both")
    if len(inputs) > 1 and not out_dir:
        raise click.UsageError("several inputs need --out-dir DIR (one NAME.xml per input)")
    if out_dir and "-" in inputs:
        raise click.UsageError("standard input (-) has no name: use -o FILE for it")
    if out_dir and not Path(out_dir).is_dir():
        raise click.UsageError(f"--out-dir {out_dir}: no such folder")

    registry = load_registry(registry_files, warn=not quiet)
    files = tuple(os.path.abspath(f) for f in registry_files)
    job = ConvertJob(files, publisher, context_key(files, publisher))
    remember_state(job, (registry, HeaderOptions(publisher=publisher)))
    stdin = sys.stdin.buffer.read() if "-" in inputs else None

    def target_of(name: str) -> str | None:
        if output:
            return output
        return str(Path(out_dir) / f"{Path(name).stem}.xml") if out_dir else None

    items = [
        (name, stdin if name == "-" else os.path.abspath(name), target_of(name)) for name in inputs
    ]
    results = open_cache(cache, no_cache) if any(t for *_x, t in items) else None
    context = results.context(job.token, "convert", _label(files, publisher)) if results else None

    def lookup(batch: list[tuple[str, str | bytes, str | None]]) -> list[Converted | None]:
        """A record is taken from the cache only when its output already holds its TEI."""
        found: list[Converted | None] = [None] * len(batch)
        if results is None or context is None or not force:
            return found
        usable = [i for i, (_n, s, t) in enumerate(batch) if isinstance(s, str) and t]
        sources = results.digests([batch[i][1] for i in usable])  # type: ignore[misc]
        outputs = results.digests([os.path.abspath(batch[i][2]) for i in usable])  # type: ignore[arg-type]
        payloads = results.get_many(context, sources)
        for i, payload, out in zip(usable, payloads, outputs, strict=True):
            if payload is not None:
                done = Converted.from_payload(payload)
                if out is not None and done.digest == out:
                    found[i] = done
        return found

    def store(_item: object, done: Converted) -> None:
        if results is not None and context is not None and done.source and done.digest:
            results.put(context, done.source, done.payload())

    failed = 0
    converted = 0
    progress = progress_for("converting", lambda: len(items))
    try:
        with stop_on_signals() as stopper, open_executor(executor, jobs, scheduler) as running:
            for (_name, _source, target), done, cached in ordered_map(
                job, items, running, lookup=lookup, store=store
            ):
                with stopper.protect():
                    if not quiet:
                        for line in done.diagnostics:
                            click.echo(f"tei-cable: {line}", err=True)
                    if done.error is None and not cached:
                        try:
                            if target is None:
                                sys.stdout.buffer.write(done.data or b"")
                                sys.stdout.buffer.flush()
                            else:
                                write_atomic(target, done.data or b"", force=force)
                        except TeiCableError as exc:
                            done.error = str(exc)
                    if done.error is not None:
                        failed += 1
                        click.echo(f"tei-cable: error: {done.error}", err=True)
                    converted += 1
                    progress.update(failed=done.error is not None, cached=cached)
    except Interrupted:
        progress.close()
        click.echo(f"tei-cable: interrupted: {converted:,} of {len(items):,} inputs done", err=True)
        sys.exit(130)
    finally:
        progress.close()
        if results is not None:
            results.close()
    if failed:
        if len(inputs) > 1:
            click.echo(f"tei-cable: {failed} of {len(inputs)} inputs failed", err=True)
        sys.exit(1)


def _label(registry_files: tuple[str, ...], publisher: str | None) -> str:
    """How ``cache info`` names a conversion setting."""
    registry = " + ".join(Path(f).name for f in registry_files) or "built-in registry"
    return f"{registry}" + (f", publisher {publisher}" if publisher else "")
