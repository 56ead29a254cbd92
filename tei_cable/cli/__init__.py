"""The ``tei-cable`` command line: a thin layer over the library.

Each command family is its own module; commands are imported only when run, so start-up stays
fast for one-file runs (a pre-commit hook, a CI step per file).
"""

from __future__ import annotations

import importlib

import click

from .. import __version__

#: command name -> "module:attribute" inside ``tei_cable.cli``
COMMANDS: dict[str, str] = {
    "bag": "bag:bag",
    "cache": "cache:cache",
    "convert": "convert:convert",
    "entities": "entities:entities",
    "export": "export:export",
    "schema": "schema:schema",
    "serve": "serve:serve",
    "validate": "validate:validate",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tei-cable")
def main() -> None:
    """Turn archival records into TEI P5, validate TEI against an ODD, and export it."""
