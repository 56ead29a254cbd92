"""Persons, places and organisations: the registry of known entities and name matching.

:class:`Registry` loads TEI list files (the built-in one and users' own), finds name forms in
text through its :attr:`Registry.index`, and gives the entries a document references as TEI
lists for its ``standOff``.
"""

from __future__ import annotations

from .registry import (
    AUTHORITIES,
    Conflict,
    Entity,
    Identifier,
    NameForm,
    Registry,
    builtin_registry,
    entity_element,
)

__all__ = [
    "AUTHORITIES",
    "Conflict",
    "Entity",
    "Identifier",
    "NameForm",
    "Registry",
    "builtin_registry",
    "entity_element",
]
