"""``tei-cable convert``: records to TEI P5."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..convert import unique_target
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
    callback=lambda _ctx, _param, value: _xml_text(value, "--publisher"),
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

    With one input and no -o the TEI goes to standard output. An input holding several records
    (the archive's search results, or files run together) gives one TEI per record with
    --out-dir (named from each record id), else one teiCorpus. Every failure is reported on one
    line and the other inputs are still converted; the exit status is 1 if any failed, 2 for
    a usage error, 130 if interrupted. With --force, an input whose output files already hold
    the TEI it gives (known from the result cache) is not converted again.
    """
    from ..batch.convert import Converted, ConvertJob, context_key
    from ..batch.executors import remember_state, state_of
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
    split = out_dir is not None
    job = ConvertJob(files, publisher, context_key(files, publisher, split), split)
    remember_state(job, (registry, HeaderOptions(publisher=publisher)))
    stdin = sys.stdin.buffer.read() if "-" in inputs else None
    items = [
        (
            name,
            stdin if name == "-" else os.path.abspath(name),
            Path(name).stem if name != "-" else "stdin",
        )
        for name in inputs
    ]
    writes_files = bool(out_dir or output)
    results = open_cache(cache, no_cache) if writes_files else None
    context = results.context(job.token, "convert", _label(files, publisher)) if results else None

    def lookup(batch: list[tuple[str, str | bytes, str]]) -> list[Converted | None]:
        """With --force an input's cached outcome is used if its outputs still hold it
        (checked when it is its turn: the names of the outputs depend on the inputs before)."""
        found: list[Converted | None] = [None] * len(batch)
        if results is None or context is None or not force:
            return found
        usable = [i for i, (_n, s, _t) in enumerate(batch) if isinstance(s, str)]
        sources = results.digests([batch[i][1] for i in usable])  # type: ignore[misc]
        for i, payload in zip(usable, results.get_many(context, sources), strict=True):
            if payload is not None:
                found[i] = Converted.from_payload(payload)
        return found

    def store(_item: object, done: Converted) -> None:
        if results is not None and context is not None and done.source and done.error is None:
            results.put(context, done.source, done.payload())

    taken: set[str] = set()

    def targets(done: Converted) -> list[str | None]:
        """Where each part goes: ``-o``, standard output, or ``--out-dir`` with the names made
        unique across the run (``-2``, ``-3`` …, so no record overwrites another)."""
        if out_dir is None:
            return [output for _ in done.parts]
        chosen: list[str | None] = []
        for name, _data in done.parts:
            chosen.append(unique_target(out_dir, name, taken))
        return chosen

    def unchanged(where: list[str | None], done: Converted) -> bool:
        """Whether every output file already holds what the cache says the input gives."""
        if results is None or any(t is None for t in where):
            return False
        now = results.digests([os.path.abspath(t) for t in where])  # type: ignore[arg-type]
        return now == done.digests

    failed = 0
    converted = 0
    progress = progress_for("converting", lambda: len(items))
    try:
        with stop_on_signals() as stopper, open_executor(executor, jobs, scheduler) as running:
            for item, done, cached in ordered_map(job, items, running, lookup=lookup, store=store):
                with stopper.protect():
                    where = targets(done) if done.error is None else []
                    if cached and not unchanged(where, done):  # outputs changed or gone
                        done = job.run(state_of(job), item)
                        store(item, done)
                        cached = False
                    if not quiet:
                        for line in done.diagnostics:
                            click.echo(f"tei-cable: {line}", err=True)
                    ok = done.error is None
                    if not ok:
                        click.echo(f"tei-cable: error: {done.error}", err=True)
                    elif not cached:
                        for target, (_name, data) in zip(where, done.parts, strict=True):
                            try:
                                if target is None:
                                    sys.stdout.buffer.write(data or b"")
                                    sys.stdout.buffer.flush()
                                else:
                                    write_atomic(target, data or b"", force=force)
                            except TeiCableError as exc:
                                ok = False
                                click.echo(f"tei-cable: error: {exc}", err=True)
                    failed += not ok
                    converted += 1
                    progress.update(failed=not ok, cached=cached)
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


def _xml_text(value: str | None, option: str) -> str | None:
    """An option's text that goes into the TEI: refused if XML cannot carry it."""
    from ..xmlio import NOT_XML_CHAR_RE

    found = NOT_XML_CHAR_RE.search(value or "")
    if found:
        raise click.BadParameter(
            f"control character U+{ord(found.group()):04X}, which XML cannot carry",
            param_hint=option,
        )
    return value


def _label(registry_files: tuple[str, ...], publisher: str | None) -> str:
    """How ``cache info`` names a conversion setting."""
    registry = " + ".join(Path(f).name for f in registry_files) or "built-in registry"
    return f"{registry}" + (f", publisher {publisher}" if publisher else "")
