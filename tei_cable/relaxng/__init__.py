"""The RELAX NG core, shared by the ODD compiler and validation.

- :mod:`.patterns`: the one pattern algebra: patterns as interned values built through
  simplifying constructors, and the resolved :class:`~.patterns.Grammar` (named element
  patterns and a start);
- :mod:`.names`: the one name-class encoding, read from the XML syntax and tested against names;
- :mod:`.inherit`: ``ns`` and ``datatypeLibrary`` as inherited from the elements around;
- :mod:`.datatypes`: the built-in and XML Schema datatype libraries, as libxml2 judges them;
- :mod:`.read`: the one reader: a RELAX NG grammar (XML syntax, with its includes) into
  those patterns, the ``define``\\ s of an external module, and :func:`~.read.canonical` for
  comparing two grammars;
- :mod:`.write`: a resolved grammar written as RELAX NG, shaped for libxml2 and Jing;
- :mod:`.derivatives`: documents matched against the patterns by derivatives (the validator's
  explanations);
- :mod:`.restrict`: a grammar cut down to the element names of one document.

It imports neither the ODD compiler nor validation.
"""
