"""``python -m tei_cable`` runs the command line."""

from .cli import main

main(prog_name="tei-cable")
