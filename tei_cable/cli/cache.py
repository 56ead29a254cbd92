"""``tei-cable cache info|clear``: what the result cache holds, and emptying it."""

from __future__ import annotations

import json
import shutil
import time

import click

from ..findings import printable

_CACHE_HELP = "The result cache (an SQLite file). Default: in the user cache folder."


@click.group("cache")
def cache() -> None:
    """The result cache: validation and conversion results kept between runs."""


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} GB"


def _folder_size(folder: object) -> int:
    from pathlib import Path

    root = Path(str(folder))
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.is_dir() else 0


@cache.command("info")
@click.option("--cache", "path", metavar="PATH", help=_CACHE_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def info(path: str | None, fmt: str) -> None:
    """Where the result cache is, its size, and how many results it holds per schema or
    converter setting; also the compiled schemas kept in the user cache folder."""
    from ..batch.cache import ResultCache
    from ..resources import cache_dir

    with ResultCache(path, readonly=True) as results:
        shown = results.info()
    schemas = cache_dir() / "schemas"
    shown["schemas"] = {"path": str(schemas), "bytes": _folder_size(schemas)}
    if fmt == "json":
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    state = "" if shown["exists"] else " (none yet)"
    click.echo(f"result cache: {printable(str(shown['path']))}{state}")
    click.echo(
        f"  {shown['results']:,} results ({shown['templates']:,} more as report templates), "
        f"{shown['files']:,} file hashes, {_size(float(shown['bytes']))}"  # type: ignore[arg-type]
    )
    for context in shown["contexts"]:  # type: ignore[attr-defined]
        used = time.strftime("%Y-%m-%d %H:%M", time.localtime(context["used"]))
        click.echo(
            f"  {context['kind']}: {printable(context['label'])}: "
            f"{context['results']:,} results, last used {used}"
        )
    click.echo(f"compiled schemas: {printable(str(schemas))}, {_size(shown['schemas']['bytes'])}")


@cache.command("clear")
@click.option("--cache", "path", metavar="PATH", help=_CACHE_HELP)
@click.option(
    "--older-than",
    type=click.FloatRange(min=0),
    metavar="DAYS",
    help="Only results of schemas and settings not used for this many days.",
)
@click.option(
    "--schemas", is_flag=True, help="Also remove the compiled schemas (they are rebuilt on use)."
)
def clear(path: str | None, older_than: float | None, schemas: bool) -> None:
    """Remove the results kept in the cache (a run afterwards checks every file again)."""
    from ..batch.cache import ResultCache
    from ..resources import cache_dir

    with ResultCache(path) as results:
        for warning in results.warnings:
            click.echo(f"tei-cable: warning: {printable(warning)}", err=True)
        removed = results.clear(older_than=older_than * 86400 if older_than is not None else None)
        where = results.path
    click.echo(f"removed {removed:,} results from {printable(str(where))}")
    if schemas:
        folder = cache_dir() / "schemas"
        if folder.is_dir():
            shutil.rmtree(folder)
            click.echo(f"removed the compiled schemas in {printable(str(folder))}")
