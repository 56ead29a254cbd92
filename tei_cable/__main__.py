"""``python -m tei_cable`` runs the command line."""

from .console import main

main()
