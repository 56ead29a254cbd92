"""RELAX NG's grammar-level simplification on resolved patterns (section 4.19-4.20).

- an element pattern that no document can satisfy (its required content refers, directly or
  not, only to such elements) means ``notAllowed``: :func:`drop_unsatisfiable` leaves such
  elements out and makes every reference to them ``notAllowed``, simplifying again;
- an element the start cannot reach is left out (:func:`reachable`).
"""

from __future__ import annotations

from .patterns import Pattern, Patterns, element_refs


def satisfiable(pattern: Pattern, productive: set[str], memo: dict[int, bool]) -> bool:
    """Whether some document matches ``pattern``, counting ``ref``\\ s to ``productive`` only."""
    found = memo.get(pattern.uid)
    if found is not None:
        return found
    kind = pattern.kind
    if kind in ("empty", "text", "data", "value"):
        result = True
    elif kind == "notAllowed":
        result = False
    elif kind == "ref":
        result = pattern.data[0] in productive
    elif kind in ("group", "interleave", "element"):
        result = all(satisfiable(k, productive, memo) for k in pattern.kids)
    elif kind == "choice":
        result = any(satisfiable(k, productive, memo) for k in pattern.kids)
    elif kind in ("optional", "zeroOrMore"):
        result = True
    else:  # oneOrMore, list, attribute, bundle
        result = all(satisfiable(k, productive, memo) for k in pattern.kids)
    memo[pattern.uid] = result
    return result


def drop_unsatisfiable(
    P: Patterns, elements: dict[str, Pattern], origins: dict[int, str]
) -> tuple[dict[str, Pattern], set[str]]:
    """The elements some document can satisfy, their references to the others made
    ``notAllowed``; and their names. ``origins`` (pattern uid -> name) follows the patterns
    rebuilt."""
    productive: set[str] = set()
    changed = True
    while changed:
        changed = False
        memo_sat: dict[int, bool] = {}
        for name, pattern in elements.items():
            if name not in productive and satisfiable(pattern, productive, memo_sat):
                productive.add(name)
                changed = True
    if len(productive) == len(elements):
        return elements, productive
    cleaned: dict[int, Pattern] = {}

    def clean(p: Pattern) -> Pattern:
        found = cleaned.get(p.uid)
        if found is not None:
            return found
        if p.kind == "ref":
            result = p if p.data[0] in productive else P.not_allowed
        elif p.kids:
            result = P.rebuild(p, [clean(k) for k in p.kids])
        else:
            result = p
        cleaned[p.uid] = result
        if p.uid in origins:
            origins.setdefault(result.uid, origins[p.uid])
        return result

    return {n: clean(p) for n, p in elements.items() if n in productive}, productive


def reachable(elements: dict[str, Pattern], start: list[str]) -> set[str]:
    """The names of the elements that the elements named ``start`` can reach (themselves too)."""
    found: set[str] = set()
    todo = [n for n in start if n in elements]
    memo: dict[int, frozenset[str]] = {}
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        refs = element_refs(elements[name], memo)
        todo.extend(n for n in refs if n in elements and n not in found)
    return found
