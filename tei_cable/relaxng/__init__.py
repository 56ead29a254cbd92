"""The RELAX NG core, shared by the ODD compiler and validation.

- :mod:`.patterns`: patterns as interned values built through simplifying constructors, and
  the resolved :class:`~.patterns.Grammar` (named element patterns and a start);
- :mod:`.read`: a RELAX NG grammar (XML syntax) read into those patterns, and
  :func:`~.read.canonical` for comparing two grammars;
- :mod:`.write`: a resolved grammar written as RELAX NG, shaped for libxml2 and Jing;
- :mod:`.derivatives`: a grammar read with RELAX NG's simplification and matched by
  derivatives (the validator's explanations), with its datatypes;
- :mod:`.restrict`: a grammar cut down to the element names of one document.

It imports neither the ODD compiler nor validation.
"""
