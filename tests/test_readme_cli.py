"""The README's command-line reference names every command and every option the CLI has."""

from __future__ import annotations

import click
from conftest import REPO

from tei_cable.cli import COMMANDS, main


def commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(main)
    found = []
    for name in COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            found += [
                (f"{name} {sub}", command.get_command(ctx, sub))
                for sub in command.list_commands(ctx)
            ]
        else:
            found.append((name, command))
    return found


def test_every_command_and_option_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = []
    for name, command in commands():
        if f"tei-cable {name}" not in readme:
            missing.append(f"tei-cable {name}")
        for param in command.params:
            if isinstance(param, click.Option):
                longest = max(param.opts, key=len)
                if longest.startswith("--") and longest not in readme and longest != "--help":
                    missing.append(f"tei-cable {name} {longest}")
    assert missing == []


def test_every_command_has_help_from_its_docstring() -> None:
    for name, command in commands():
        assert command.help and command.help.strip(), name
