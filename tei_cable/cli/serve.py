"""``tei-cable serve``: an OAI-PMH data provider over a folder of TEI."""

from __future__ import annotations

import getpass
import socket
from pathlib import Path

import click


def local_email() -> str:
    """``USER@HOST`` for this machine (OAI-PMH wants a domain with a dot in it)."""
    host = socket.getfqdn()
    return f"{getpass.getuser()}@{host if '.' in host else 'localhost.localdomain'}"


@click.command("serve")
@click.argument("folder", type=click.Path(exists=True, file_okay=False), metavar="DIR")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port (0: any free port).",
)
@click.option("--name", metavar="TEXT", help="The repository's name (Identify).")
@click.option(
    "--repository-id",
    default="tei-cable.localhost",
    show_default=True,
    metavar="DOMAIN",
    help="The namespace of the identifiers, oai:DOMAIN:PATH.",
)
@click.option(
    "--admin-email",
    "admin_emails",
    multiple=True,
    metavar="EMAIL",
    help="The repository's contact (Identify); repeatable. Default: USER@this host's name.",
)
@click.option(
    "--page-size",
    type=click.IntRange(1, 10000),
    default=100,
    show_default=True,
    help="Records per page.",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="The endpoint's public address, if a proxy serves it (default: http://HOST:PORT/oai).",
)
@click.option(
    "--documents-url",
    metavar="URL",
    help="Where the TEI files are published (dc:identifier is URL/PATH.xml).",
)
@click.option(
    "--editor",
    "editors",
    multiple=True,
    metavar="'NAME <EMAIL>'",
    help="Contact person in CMIF records.",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not log requests.")
def serve(
    folder,
    host,
    port,
    name,
    repository_id,
    admin_emails,
    page_size,
    public_url,
    documents_url,
    editors,
    quiet,
) -> None:
    """Serve a folder of TEI (DIR, searched for *.xml) over OAI-PMH 2.0.

    Metadata formats oai_dc, tei and cmif; sub-folders are sets. The folder is read again on
    every request, so files can be added or changed while it runs. Stop with Ctrl-C.
    """
    from ..export.oai import Settings
    from ..export.options import Editor, ExportError
    from ..export.serve import make_server, stderr_line

    try:
        parsed_editors = tuple(Editor.parse(e) for e in editors)
    except ExportError as exc:
        raise click.UsageError(str(exc)) from None
    settings = Settings(
        name=name or f"TEI documents in {Path(folder).resolve().name}",
        repository_id=repository_id,
        admin_emails=tuple(admin_emails) or (local_email(),),
        page_size=page_size,
        editors=parsed_editors,
        base_url=documents_url or "",
    )
    try:
        server = make_server(
            folder,
            host,
            port,
            settings=settings,
            public_url=public_url or "",
            log=None if quiet else stderr_line,
            warn=lambda text: stderr_line(f"tei-cable: warning: {text}"),
        )
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from None
    count = len(server.repository.items())
    click.echo(f"tei-cable: serving {count} files of {folder} at {server.base_url}", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("tei-cable: stopped", err=True)
    finally:
        server.server_close()
