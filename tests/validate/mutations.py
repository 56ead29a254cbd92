"""Mutated TEI for property tests of ``validate``: real documents broken in many small ways.

Shared by ``test_validate_properties.py`` (a fast profile in the suite) and
``bench/validate_fuzz.py`` (the long run). Each mutation is a function of the document's bytes
and a :class:`random.Random`, so a failing case is reproduced from its seed.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"

#: characters that make trouble: markup, control characters, line separators, combining
#: marks, right-to-left, CJK, astral, non-characters
AWKWARD = (
    "<>&\"'/=;:#[]!?-\t\n\r\x01\x02\x07\x0b\x0c\x1b\x1f\x7f\x85\u2028\u2029\u0301\u0308"
    "\u200b\u200e\u202e\ufeff\ufffd\ufffe\uffff\u4e2d\u6587\U0001f600\U00010000 aZ09"
)


def seeds() -> list[bytes]:
    """The documents mutated: the project's own TEI (real records) and the test document."""
    found = [p.read_bytes() for p in sorted((REPO / "encoded").glob("*.xml"))]
    return [(DATA / "valid.xml").read_bytes(), *found]


def _span(data: bytes, rng: random.Random) -> tuple[int, int]:
    start = rng.randrange(len(data) + 1)
    return start, min(len(data), start + rng.choice([1, 2, 5, 20, 200, 2000]))


def delete(data: bytes, rng: random.Random) -> bytes:
    start, end = _span(data, rng)
    return data[:start] + data[end:]


def duplicate(data: bytes, rng: random.Random) -> bytes:
    start, end = _span(data, rng)
    return data[:end] + data[start:end] + data[end:]


def insert_text(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    text = "".join(rng.choice(AWKWARD) for _ in range(rng.randint(1, 12)))
    return data[:at] + text.encode("utf-8", "surrogatepass") + data[at:]


def insert_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 6))) + data[at:]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def rename_element(data: bytes, rng: random.Random) -> bytes:
    tags = list(re.finditer(rb"</?([A-Za-z][\w.-]*)", data))
    if not tags:
        return data
    found = rng.choice(tags)
    name = rng.choice([b"persname", b"p", b"div", b"hi", b"note", b"x", b"tei:p", b"q"])
    return data[: found.start(1)] + name + data[found.end(1) :]


def add_attribute(data: bytes, rng: random.Random) -> bytes:
    tags = list(re.finditer(rb"<[A-Za-z][\w.:-]*", data))
    if not tags:
        return data
    at = rng.choice(tags).end()
    name = rng.choice(["type", "when", "xml:id", "ref", "n", "rend", "unknown", "xml:lang"])
    value = "".join(rng.choice(AWKWARD.replace('"', "").replace("<", "")) for _ in range(8))
    value = value.replace("&", "&#10;")  # a line break by reference, as attributes keep one
    return data[:at] + f' {name}="{value}"'.encode() + data[at:]


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines)


def nest_deeply(data: bytes, rng: random.Random) -> bytes:
    found = data.find(b"<p>")
    if found < 0:
        return data
    depth = rng.choice([10, 100, 300])
    at = found + 3
    return data[:at] + b"<hi>" * depth + b"x" + b"</hi>" * depth + data[at:]


def doctype(data: bytes, rng: random.Random) -> bytes:
    head = rng.choice(
        [
            b'<!DOCTYPE TEI SYSTEM "tei.dtd">',
            b'<!DOCTYPE TEI [<!ENTITY x "y">]>',
            b'<!DOCTYPE TEI [<!ENTITY ext SYSTEM "file:///etc/passwd">]>',
            b'<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>',
        ]
    )
    found = re.search(rb"<TEI\b", data)
    if not found:
        return head + data
    body = data[: found.start()] + head + data[found.start() :]
    return body.replace(b"<p>", b"<p>&x;&ext;&b;", 1) if rng.random() < 0.5 else body


def encoding(data: bytes, rng: random.Random) -> bytes:
    name = rng.choice([b"ISO-8859-1", b"UTF-16", b"ascii", b"bogus", b"Shift_JIS"])
    if data.startswith(b"<?xml"):
        return re.sub(rb'encoding="[^"]*"', b'encoding="' + name + b'"', data, count=1)
    return b'<?xml version="1.0" encoding="' + name + b'"?>' + data


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    delete,
    duplicate,
    insert_text,
    insert_bytes,
    truncate,
    rename_element,
    add_attribute,
    swap_lines,
    nest_deeply,
    doctype,
    encoding,
]


def mutated(seed: int, sources: list[bytes]) -> bytes:
    """One mutated document: a source with one to three mutations, all chosen by ``seed``."""
    rng = random.Random(seed)
    data = rng.choice(sources)
    for _ in range(rng.choice([1, 1, 2, 3])):
        data = rng.choice(MUTATIONS)(data, rng)
    return data


def file_name(seed: int) -> str:
    """A file name with the characters names may hold: control characters, line breaks,
    spaces, non-ASCII, and now and then a byte that is not UTF-8."""
    rng = random.Random(seed)
    alphabet = [c for c in AWKWARD if c not in "/\x00"]
    stem = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10)))
    name = f"{seed}-{stem}.xml"
    if rng.random() < 0.2:  # an undecodable byte (Linux allows any byte but / and NUL)
        raw = name.encode("utf-8", "surrogatepass").replace(b"-", b"-\xff", 1)
        name = os.fsdecode(raw)
    return name
