"""What libxml2 alone takes to judge files against a RELAX NG grammar: the floor under any
validator built on it.

Used by ``schematron_tei_all.py``; run by hand as::

    python bench/libxml2_floor.py GRAMMAR.rng FILE...

It imports lxml only, compiles the grammar once, forks one process per further core (as
``tei-cable validate`` does after its compile), and in each parses its share of the files
(safely: no DTD, no network) and asks libxml2 for a verdict. No explanation of an error, no
Schematron, no report: exit status 0, and the count of valid files on standard output.
"""

from __future__ import annotations

import os
import sys

from lxml import etree


def _parser() -> etree.XMLParser:
    """Safe: no DTD loaded, no entity resolved, nothing read from the network."""
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def judge(grammar: etree.RelaxNG, files: list[str]) -> int:
    """How many of ``files`` parse and are valid."""
    parser = _parser()
    valid = 0
    for path in files:
        try:
            tree = etree.parse(path, parser)
        except (etree.XMLSyntaxError, OSError):
            continue
        valid += bool(grammar.validate(tree))
    return valid


def main(arguments: list[str]) -> int:
    grammar = etree.RelaxNG(etree.parse(arguments[0], _parser()))
    files = arguments[1:]
    workers = os.cpu_count() or 1
    children = []
    for index in range(1, workers):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            os.write(write, str(judge(grammar, files[index::workers])).encode())
            os._exit(0)
        os.close(write)
        children.append((pid, read))
    valid = judge(grammar, files[0::workers])
    for pid, read in children:
        with os.fdopen(read) as pipe:
            valid += int(pipe.read() or 0)
        os.waitpid(pid, 0)
    print(valid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
