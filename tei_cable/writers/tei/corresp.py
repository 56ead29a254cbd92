"""One ``correspDesc`` per message of the record, each fact with the evidence that states it.

``correspAction type="sent"`` holds the senders, the place and the date sent;
``type="received"`` the addressees, the place and date received; ``type="received"
subtype="cc"`` the copy recipients. Each ``persName``/``orgName``/``placeName``/``date`` says
where it comes from: ``@evidence="internal"`` and ``@source`` pointing at the element of the
text that states it (the ``signed`` of the closer, the ``seg type="addressee"`` of the opener,
a ``salute``, a ``dateline``, a transmission ``note``, the ``p`` that relays a quoted message),
or ``@evidence="external"`` with ``@source="#title"`` for a party the catalogue title names in
the form "Kind, X to Y"; ``@cert`` is ``high`` for what the text states in a labelled place and
``medium`` for the title and for a relay instruction. Letters that are not messages (a journal,
a record of a conversation) get no ``correspDesc``.
"""

from __future__ import annotations

from lxml import etree

from ...model import Letter, Party, Record
from .build import XML_ID, E
from .text import corresp_id

ELEMENTS = {"person": "persName", "org": "orgName", "place": "placeName"}
CERTAINTY = {"title": "medium", "relay": "medium"}
TITLE_ID = "title"


def corresp_descs(record: Record, registry: object = None) -> list[etree._Element]:
    """The ``correspDesc`` of every message of ``record``, outer document first."""
    parents: dict[str, Letter] = {}
    for letter in record.letters():
        for child in letter.nested():
            parents[child.id] = letter
    return [
        corresp_desc(letter, parents.get(letter.id), registry)
        for letter in record.letters()
        if letter.is_correspondence
    ]


def uses_title(descs: list[etree._Element]) -> bool:
    """Whether a party of these descriptions points at the record's title."""
    return any(
        e.get("source") == f"#{TITLE_ID}" for desc in descs for e in desc.iter() if e.get("source")
    )


def corresp_desc(letter: Letter, parent: Letter | None, registry: object = None) -> etree._Element:
    desc = E(
        "correspDesc",
        {XML_ID: corresp_id(letter), "corresp": f"#{letter.id}", "type": letter.kind},
    )
    parties = letter.corresp.parties
    for action, subtype in (("sent", None), ("received", None), ("cc", "cc")):
        chosen = [p for p in parties if p.action == action]
        if not chosen:
            continue
        element = E(
            "correspAction",
            {"type": "sent" if action == "sent" else "received", "subtype": subtype},
        )
        order = {"person": 0, "org": 0, "place": 1, "date": 2}
        for party in sorted(chosen, key=lambda p: order.get(p.kind, 3)):
            element.append(_party(party, registry))
        desc.append(element)
    if parent is not None:
        desc.append(
            E(
                "correspContext",
                {},
                E(
                    "ref",
                    {"type": "quotedIn", "target": f"#{parent.id}"},
                    f"quoted in {parent.kind} {parent.id}",
                ),
            )
        )
    if not len(desc):
        desc.append(
            E(
                "note",
                {"type": "editorial"},
                "The document names neither its sender nor its addressee.",
            )
        )
    return desc


def _party(party: Party, registry: object) -> etree._Element:
    evidence = "external" if party.evidence == "title" else "internal"
    source = f"#{party.source}" if party.source else f"#{TITLE_ID}"
    attrs = {"evidence": evidence, "cert": CERTAINTY.get(party.evidence, "high"), "source": source}
    if party.kind == "date":
        when = party.when
        tag = "time" if when is not None and when.kind == "time" and not when.when else "date"
        values = {}
        if when is not None:
            values = {
                "when": when.when,
                "from": when.from_,
                "to": when.to,
                "notBefore": when.not_before,
                "notAfter": when.not_after,
            }
            if when.cert:  # a date completed from context keeps its own certainty
                attrs["cert"] = when.cert
        return E(tag, {**values, **attrs}, party.name or None)
    label = party.name
    kind = party.kind
    if party.ref and registry is not None:
        label = getattr(registry, "preferred_name", lambda _r: None)(party.ref) or label
    element = ELEMENTS.get(kind, "name")
    return E(element, {"ref": f"#{party.ref}" if party.ref else None, **attrs}, label)
