"""Apply an ODD's schemaSpec to the TEI source: select specs, merge changes, prune.

This is the first half of the TEI Stylesheets' pipeline (``odd2odd.xsl``), with the same
semantics:

- ``moduleRef`` selects all classes, macros and datatypes of a module, and its elements as
  ``@include``/``@except`` say; the modules ``tei`` and ``core`` come first, then the others in
  the order of the ODD;
- ``elementRef``/``classRef``/``macroRef``/``dataRef`` directly in the schemaSpec import one
  spec; ``specGrpRef`` brings in the specs of a ``specGrp`` (in the ODD or another file);
- a spec with ``@mode`` ``add`` (the default) is new, ``delete`` removes, ``replace`` replaces
  and ``change`` merges part by part (glosses, descriptions, classes, content, constraints,
  attributes, value lists, with their own modes);
- unused classes, macros and datatypes are dropped and class memberships to dropped classes
  removed.

Deliberate differences, where the Stylesheets lose information a change did not ask to remove:
a change keeps the original's ``altIdent`` and ``attRef`` when it gives none; a ``valList``
without ``@mode`` counts as ``add`` (the TEI default) and a ``valList mode="change"`` without
``@type`` keeps the original's type; a ``valItem`` without ``@mode`` in a changed list is added.

The result (:class:`Customization`) holds new copies of the specs, in the order of the
compiled ODD (that order matters: it is the order of a class's members in its sequence
expansions).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import TeiCableError
from ..namespaces import SPEC_TAGS, TEI, rng, tei
from .problems import Problems
from .reader import read_odd
from .source import TeiSource

#: told of each ``valItem`` changed or deleted that the original list does not have
MissingValue = Callable[[etree._Element], None]

_MODES = ("add", "change", "replace", "delete")
#: references in a schemaSpec that select by @include/@except
REF_TAGS = (tei("moduleRef"), tei("classRef"), tei("elementRef"))
_KINDS = {
    tei("elementSpec"): "element",
    tei("classSpec"): "class",
    tei("macroSpec"): "macro",
    tei("dataSpec"): "data",
}


@dataclass
class Customization:
    """The specs of one schema, selected and merged, in compiled-ODD order."""

    odd_path: str
    odd_root: etree._Element
    schema_spec: etree._Element
    ident: str
    source: TeiSource
    specs: list[etree._Element] = field(default_factory=list)
    others: list[etree._Element] = field(default_factory=list)
    deleted: set[str] = field(default_factory=set)
    modules: list[str] = field(default_factory=list)
    #: spec ident -> the ODD element that added, replaced or changed it (for messages)
    origin: dict[str, etree._Element] = field(default_factory=dict)
    #: ident of every spec the ODD itself declares (added, replaced or changed)
    odd_declared: set[str] = field(default_factory=set)
    #: nodes of the compiled specs that come from the ODD -> the file they come from
    odd_nodes: dict[etree._Element, str] = field(default_factory=dict)

    def position(self, node: etree._Element) -> tuple[str | None, int | None]:
        """File and line of a node of a compiled spec, if it comes from the ODD."""
        path = self.odd_nodes.get(node)
        return (path, node.sourceline) if path is not None else (None, None)

    def by_ident(self) -> dict[str, etree._Element]:
        return {s.get("ident", ""): s for s in self.specs}


def unique_name(spec: etree._Element, schema_ns: str | None = None) -> str:
    """The Stylesheets' ``uniqueName``: ``@ident``, prefixed by a non-TEI ``@ns``."""
    ns = spec.get("ns")
    if ns == TEI:
        ns = ""
    elif ns is None:
        ns = schema_ns if schema_ns and schema_ns != TEI else ""
    return f"{ns}{spec.get('ident', '')}"


def tokens(value: str | None) -> list[str]:
    return value.split() if value else []


def include_member(ident: str, except_: str | None, include: str | None) -> bool:
    """``tei:includeMember``: is ``ident`` selected by ``@include``/``@except``?"""
    if include:
        return ident in tokens(include)
    if except_:
        return ident not in tokens(except_)
    return True


def find_schema_spec(root: etree._Element, select: str | None) -> etree._Element | None:
    for spec in root.iter(tei("schemaSpec")):
        if select is None or spec.get("ident") == select:
            return spec
    return None


def customize(
    odd_root: etree._Element,
    odd_path: str,
    source: TeiSource,
    problems: Problems,
    *,
    select: str | None = None,
) -> Customization | None:
    """Select and merge the specs of the ODD's (first, or ``select``-ed) schemaSpec."""
    schema = find_schema_spec(odd_root, select)
    if schema is None:
        which = f"schemaSpec ident={select!r}" if select else "schemaSpec"
        problems.error("O101", f"the ODD has no {which}", odd_root)
        return None
    ident = schema.get("ident")
    if not ident:
        ident = Path(odd_path).stem
        problems.warning(
            "O118",
            f"schemaSpec without @ident: the schema is named {ident!r} after the file",
            schema,
        )
    result = Customization(odd_path, odd_root, schema, ident, source)
    _Merger(result, problems).run()
    return result


class _Merger:
    def __init__(self, result: Customization, problems: Problems) -> None:
        self.r = result
        self.p = problems
        self.src = result.source
        self.schema_ns = result.schema_spec.get("ns")
        self.children: list[etree._Element] = []
        self.delete: dict[str, etree._Element] = {}
        self.replace: dict[str, etree._Element] = {}
        self.change: dict[str, etree._Element] = {}
        self.adds: dict[str, etree._Element] = {}
        self.ref_objects: set[str] = set()
        self.added_twice: set[str] = set()

    # -- pass 0: specGrpRef, repeated changes --------------------------------------------
    def run(self) -> None:
        self.children = list(self._expand(self.r.schema_spec, []))
        self._index()
        selected = self._select()
        self._check_targets(selected)
        merged = [
            self._filter_attributes(self._trace(spec, self._apply(spec))) for spec in selected
        ]
        specs = [s for s in merged if s is not None]
        self._check_memberships(specs)
        self.r.specs = _prune(specs, self.r, self.src)

    def _expand(self, parent: etree._Element, stack: list[str]) -> Iterator[etree._Element]:
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            if child.tag == tei("specGrpRef"):
                yield from self._expand_ref(child, stack)
            elif child.tag == tei("specGrp") and parent.tag == tei("specGrp"):
                yield from self._expand(child, stack)
            elif child.tag == tei("specGrp"):
                continue  # only what a specGrpRef points at belongs to the schema
            else:
                yield child

    def _expand_ref(self, ref: etree._Element, stack: list[str]) -> Iterator[etree._Element]:
        target = (ref.get("target") or "").strip()
        if not target:
            self.p.error("O108", "specGrpRef without @target", ref)
            return
        if target in stack:
            self.p.error("O108", f"specGrpRef to {target} makes a cycle", ref)
            return
        if target.startswith("#"):
            found = ref.getroottree().getroot().xpath("//*[@xml:id=$id]", id=target[1:])
            if not found or found[0].tag != tei("specGrp"):
                self.p.warning(
                    "O108", f"specGrpRef: no specGrp with xml:id {target[1:]!r}; ignored", ref
                )
                return
            yield from self._expand(found[0], [*stack, target])
            return
        where, _ = self.p.where(ref)
        base = Path(where).parent if where else Path(self.r.odd_path).parent
        path = base / target
        try:
            tree = read_odd(path, self.p)
        except TeiCableError as exc:
            self.p.error("O108", f"specGrpRef to {target}: {exc.message}", ref)
            return
        root = tree.getroot()
        if root.tag != tei("specGrp"):
            self.p.error("O108", f"specGrpRef to {target}: the file's root is not a specGrp", ref)
            return
        yield from self._expand(root, [*stack, target])

    def _index(self) -> None:
        for child in self.children:
            if child.tag in REF_TAGS and child.get("exclude") is not None:
                self.p.warning(
                    "O122",
                    f"{etree.QName(child).localname} {child.get('key')}: @exclude is no "
                    "attribute of ODD (the TEI's is @except); ignored, as the TEI "
                    "Stylesheets ignore it",
                    child,
                )
            if child.tag in SPEC_TAGS:
                for content in child.iter(tei("content")):
                    for pi in content.iter(etree.ProcessingInstruction):
                        self.p.warning(
                            "O123",
                            f"{child.get('ident')}: processing instruction <?{pi.target}?> in "
                            "a content model (the TEI Stylesheets expand <?NameList?> to the "
                            "schema's elements; tei-cable does not): left out",
                            pi if pi.sourceline else content,
                        )
                name = unique_name(child, self.schema_ns)
                mode = child.get("mode") or "add"
                if not child.get("ident"):
                    self.p.error("O107", f"{etree.QName(child).localname} without @ident", child)
                    continue
                if not self._modes_known(child):
                    continue
                if mode == "delete":
                    self.delete[name] = child
                    self.r.deleted.add(child.get("ident", ""))
                elif mode == "replace":
                    self.replace[name] = child
                elif mode == "change":
                    if name in self.change:
                        self.p.warning(
                            "O116",
                            f"{child.get('ident')} is changed a second time (first on line "
                            f"{self.change[name].sourceline}): the changes are applied together",
                            child,
                        )
                        self.change[name] = _merge_changes(self.change[name], child)
                    else:
                        self.change[name] = child
                else:
                    if name in self.adds:
                        self.p.error(
                            "O109",
                            f"{child.get('ident')} is added twice (first on line "
                            f"{self.adds[name].sourceline}); the second is used",
                            child,
                        )
                        self.added_twice.add(name)
                    self.adds[name] = child
            elif child.tag in (tei("elementRef"), tei("classRef"), tei("macroRef")):
                key = child.get("key")
                if key:
                    self.ref_objects.add(key)
        for table in (self.replace, self.change, self.adds):
            for spec in table.values():
                ident = spec.get("ident", "")
                self.r.origin[ident] = spec
                self.r.odd_declared.add(ident)

    def _modes_known(self, spec: etree._Element) -> bool:
        """Report every ``@mode`` in ``spec`` that ODD does not define; False if the spec's own
        is one (the spec is then left out)."""
        ok = True
        for node in spec.iter():
            mode = node.get("mode") if isinstance(node.tag, str) else None
            if mode is None or mode in _MODES:
                continue
            what = etree.QName(node).localname
            if node is spec:
                ok = False
                self.p.error(
                    "O117",
                    f'{what} {spec.get("ident")} mode="{mode}": ODD knows add, change, '
                    "replace and delete; the spec is left out",
                    node,
                )
            else:
                self.p.error(
                    "O117",
                    f'{what} mode="{mode}" in {spec.get("ident")}: ODD knows add, change, '
                    "replace and delete",
                    node,
                )
        return ok

    # -- pass 1: selection ---------------------------------------------------------------
    def _select(self) -> list[etree._Element]:
        selected: list[etree._Element] = []
        seen: set[str] = set()

        def take(spec: etree._Element, *, from_odd: bool = False) -> None:
            name = unique_name(spec, self.schema_ns)
            if name in seen:
                return
            if not from_odd and name in self.delete:
                return
            seen.add(name)
            selected.append(spec)

        module_refs = [c for c in self.children if c.tag == tei("moduleRef") and c.get("key")]
        ordered = (
            [m for m in module_refs if m.get("key") == "tei"]
            + [m for m in module_refs if m.get("key") == "core"]
            + [m for m in module_refs if m.get("key") not in ("tei", "core")]
        )
        done: set[str] = set()
        for ref in ordered:
            key = ref.get("key", "")
            if key in done:
                self.p.warning("O102", f"module {key} is referred to twice", ref)
                continue
            done.add(key)
            if key not in self.src.modules and key not in self.src.module_members:
                known = ", ".join(sorted(self.src.modules))
                self.p.warning(
                    "O102",
                    f"unknown module {key!r}, nothing selected ({self.src.label} has: {known})",
                    ref,
                )
                continue
            self.r.modules.append(key)
            members = self.src.module_members.get(key, [])
            element_idents = {m.get("ident") for m in members if m.tag == tei("elementSpec")}
            for attr in ("include", "except"):
                for name in tokens(ref.get(attr)):
                    if name not in element_idents:
                        other = self.src.specs.get(name)
                        if other is None:
                            self.p.lacking[name] = None
                        where = (
                            f" (it is in module {other.get('module')})"
                            if other is not None and other.tag == tei("elementSpec")
                            else ""
                        )
                        self.p.warning(
                            "O103",
                            f"moduleRef {key} @{attr}: {name} is not an "
                            f"element of module {key} in {self.src.label}{where}; ignored",
                            ref,
                        )
            for spec in members:
                if spec.tag != tei("elementSpec") and spec.get("ident") not in self.ref_objects:
                    take(spec)
            for spec in members:
                ident = spec.get("ident", "")
                if (
                    spec.tag == tei("elementSpec")
                    and ident not in self.ref_objects
                    and include_member(ident, ref.get("except"), ref.get("include"))
                ):
                    take(spec)
        for child in self.children:
            tag = child.tag
            if tag == tei("moduleRef"):
                if child.get("url"):
                    self.r.others.append(child)
                elif not child.get("key"):
                    self.p.warning("O102", "moduleRef without @key or @url: ignored", child)
                continue
            if tag in SPEC_TAGS:
                mode = child.get("mode") or "add"
                if mode == "add" and child.get("ident"):
                    name = unique_name(child, self.schema_ns)
                    if name in seen and name in self.added_twice:
                        selected[:] = [
                            s for s in selected if unique_name(s, self.schema_ns) != name
                        ]
                        seen.discard(name)
                    elif name in seen:
                        # An ODD written for an earlier P5 adds what P5 has defined since
                        # (TEI-Simple's processing-model ODD adds model, param ...): its own
                        # definition is used, as mode="replace" would use it.
                        self.p.warning(
                            "O109",
                            f"{child.get('ident')} is added (mode add) but {self.src.label} "
                            "has it already: the ODD's definition replaces it, as "
                            'mode="replace" would (use "replace" or "change" to say so)',
                            child,
                        )
                        selected[:] = [
                            s for s in selected if unique_name(s, self.schema_ns) != name
                        ]
                        seen.discard(name)
                    take(child, from_odd=True)
                continue
            if tag in (tei("elementRef"), tei("classRef"), tei("macroRef"), tei("dataRef")):
                key = child.get("key")
                spec = self.src.specs.get(key or "")
                if spec is None:
                    self.p.lacking[key or ""] = None
                    self.p.error(
                        "O104",
                        f"{etree.QName(tag).localname} to {key}: no such spec in {self.src.label}",
                        child,
                    )
                    continue
                take(spec)
                continue
            self.r.others.append(child)
        return selected

    def _check_targets(self, selected: list[etree._Element]) -> None:
        chosen = {unique_name(s, self.schema_ns) for s in selected}
        known = set(self.src.specs) | set(self.adds)
        for mode, table in (
            ("change", self.change),
            ("replace", self.replace),
            ("delete", self.delete),
        ):
            for name, spec in table.items():
                ident = spec.get("ident", "")
                if ident not in known and name not in known:
                    self.p.lacking[ident] = None
                    self.p.warning(
                        "O105",
                        f'{etree.QName(spec).localname} {ident} mode="{mode}": '
                        f"no such spec in {self.src.label} or the ODD; ignored",
                        spec,
                    )
                elif mode != "delete" and name not in chosen:
                    self.p.warning(
                        "O106",
                        f"{etree.QName(spec).localname} {ident} "
                        f'mode="{mode}" has no effect: {ident} is not '
                        "in the schema (its module is not selected)",
                        spec,
                    )

    # -- pass 2: changes -----------------------------------------------------------------
    def _apply(self, spec: etree._Element) -> etree._Element | None:
        name = unique_name(spec, self.schema_ns)
        is_odd = spec.getroottree().getroot() is not self.src.root
        if name in self.delete and not is_odd:
            return None
        if is_odd:
            created = _create_copy(spec, self.r, self)
            if name in self.change:
                return _merge(created, self.change[name], self)
            return created
        if name in self.replace:
            new = _copy_odd(self.replace[name], self)
            new.attrib.pop("mode", None)
            if new.get("module") is None and spec.get("module"):
                new.set("module", spec.get("module", ""))
            return new
        if name in self.change:
            return _merge(spec, self.change[name], self)
        return _just_copy(spec)

    def _filter_attributes(self, spec: etree._Element | None) -> etree._Element | None:
        """A classRef in the schemaSpec with @include/@except keeps those attributes only."""
        if spec is None or spec.tag != tei("classSpec"):
            return spec
        ident = spec.get("ident")
        for ref in self.children:
            if ref.tag != tei("classRef") or ref.get("key") != ident:
                continue
            include, except_ = ref.get("include"), ref.get("except")
            if not include and not except_:
                continue
            for att in list(spec.iter(tei("attDef"))):
                if not include_member(att.get("ident", ""), except_, include):
                    att.getparent().remove(att)
        return spec

    def _check_memberships(self, specs: list[etree._Element]) -> None:
        known = set(self.src.specs) | self.r.odd_declared
        for spec in specs:
            for member in spec.findall(f"{tei('classes')}/{tei('memberOf')}"):
                key = member.get("key", "")
                path, line = self.r.position(member)
                if key not in known and path is not None:
                    self.p.lacking[key] = None
                    self.p.warning(
                        "O104",
                        f"{spec.get('ident')}: memberOf {key}: no such class "
                        f"in {self.src.label} or the ODD; left out",
                        path=path,
                        line=line,
                    )

    def _trace(self, spec: etree._Element, new: etree._Element | None) -> etree._Element | None:
        """Remember which nodes of ``new`` come from the ODD (for positions in messages)."""
        if new is None:
            return None
        name = unique_name(spec, self.schema_ns)
        sources = [
            s
            for s in (spec, self.change.get(name), self.replace.get(name))
            if s is not None and s.getroottree().getroot() is not self.src.root
        ]
        for source in sources:
            path, _ = self.p.where(source)
            if path is None:
                continue
            keys = {_node_key(n) for n in source.iter() if isinstance(n.tag, str)}
            for node in new.iter():
                if isinstance(node.tag, str) and _node_key(node) in keys:
                    self.r.odd_nodes[node] = path
        return new

    # helpers used by the merge functions
    def deleted(self, ident: str) -> bool:
        return ident in self.r.deleted


def _node_key(node: etree._Element) -> tuple[object, ...]:
    return (
        node.tag,
        node.sourceline,
        tuple(sorted((k, v) for k, v in node.attrib.items() if k != "mode")),
    )


#: parts of a spec a later change gives anew (the first change's is then dropped)
_REPLACED_PARTS = frozenset(tei(n) for n in ("content", "valList", "datatype", "defaultVal"))


def _merge_changes(first: etree._Element, second: etree._Element) -> etree._Element:
    """Two ``mode="change"`` specs for one name act as one, as the TEI Stylesheets read all
    of a spec's changes: the attribute changes of both (one ``attList``); the second's
    ``classes`` over the first's (``mode="change"`` adds to or deletes from them, otherwise
    they are replaced); the second's content model or value list over the first's;
    everything else kept from both."""
    merged = copy.deepcopy(first)
    for child in second:
        if not isinstance(child.tag, str):
            continue
        mine = merged.find(child.tag)
        if mine is not None and child.tag == tei("attList"):
            mine.extend(copy.deepcopy(kid) for kid in child)
        elif mine is not None and child.tag == tei("classes") and child.get("mode") == "change":
            _change_classes(mine, child)
        elif mine is not None and (child.tag == tei("classes") or child.tag in _REPLACED_PARTS):
            merged.replace(mine, copy.deepcopy(child))
        else:
            merged.append(copy.deepcopy(child))
    return merged


def _change_classes(mine: etree._Element, change: etree._Element) -> None:
    """A later ``classes mode="change"`` over an earlier ``classes``."""
    if mine.get("mode") == "change":
        mine.extend(copy.deepcopy(kid) for kid in change)
        return
    for member in _all(change, "memberOf"):
        for old in _all(mine, "memberOf"):
            if old.get("key") == member.get("key"):
                mine.remove(old)
        if (member.get("mode") or "add") != "delete":
            added = copy.deepcopy(member)
            added.attrib.pop("mode", None)
            mine.append(added)


def _just_copy(spec: etree._Element) -> etree._Element:
    return copy.deepcopy(spec)


def _create_copy(spec: etree._Element, r: Customization, m: _Merger) -> etree._Element:
    new = _copy_odd(spec, m)
    new.attrib.pop("mode", None)
    if new.get("module") is None:
        new.set("module", r.schema_spec.get("module") or f"derived-module-{r.ident}")
    if new.tag == tei("classSpec") and new.get("type") == "model" and not new.get("predeclare"):
        new.set("predeclare", "true")
    return new


def _copy_odd(spec: etree._Element, m: _Merger) -> etree._Element:
    """Copy a spec from the ODD, simplifying its content as the Stylesheets do."""
    new = copy.deepcopy(spec)
    for content in new.iter(tei("content")):
        simplify_content(content, m.r.deleted)
    return new


# -- change merges ---------------------------------------------------------------------------


def _first(parent: etree._Element, local: str) -> etree._Element | None:
    return parent.find(tei(local))


def _all(parent: etree._Element, local: str) -> list[etree._Element]:
    return parent.findall(tei(local))


def _copies(nodes: Iterable[etree._Element]) -> list[etree._Element]:
    return [copy.deepcopy(n) for n in nodes]


def _either(change: etree._Element, orig: etree._Element, local: str) -> list[etree._Element]:
    """The change's parts named ``local`` if it has any, else the original's."""
    mine = _all(change, local)
    return _copies(mine if mine else _all(orig, local))


def _merge(orig: etree._Element, change: etree._Element, m: _Merger) -> etree._Element:
    new = etree.Element(orig.tag, dict(orig.attrib), nsmap=orig.nsmap)
    if change.get("ns"):
        new.set("ns", change.get("ns", ""))
    new.text = "\n"
    parts: list[etree._Element] = []
    parts += _either(change, orig, "altIdent")
    parts += _either(change, orig, "equiv")
    parts += _either(change, orig, "gloss")
    parts += _either(change, orig, "desc")
    kind = _KINDS[orig.tag]
    if kind in ("element", "class"):
        parts.append(_merge_classes(orig, change, m))
    if kind == "element":
        parts += _merge_vallist(orig, change)
        parts.append(_merge_content(orig, change, m))
    if kind in ("macro", "data"):
        content = _first(change, "content")
        if content is not None:
            new_content = copy.deepcopy(content)
            simplify_content(new_content, m.r.deleted)
            parts.append(new_content)
        else:
            parts += _copies(_all(orig, "content"))
        parts += _either(change, orig, "valList")
        parts += _either(change, orig, "stringVal")
    parts += _merge_constraints(orig, change)
    if kind in ("element", "class"):
        att_list = etree.Element(tei("attList"))
        change_list = _first(change, "attList")
        if change_list is not None and change_list.get("org"):
            att_list.set("org", change_list.get("org", ""))
        elif _first(orig, "attList") is not None and _first(orig, "attList").get("org"):
            att_list.set("org", _first(orig, "attList").get("org", ""))
        for item in _merge_attributes(orig, change, m):
            att_list.append(item)
        if len(att_list) or _first(orig, "attList") is not None or change_list is not None:
            parts.append(att_list)
    if kind == "element":
        models = [
            c for c in change if c.tag in (tei("modelGrp"), tei("model"), tei("modelSequence"))
        ]
        if not models:
            models = [
                c for c in orig if c.tag in (tei("modelGrp"), tei("model"), tei("modelSequence"))
            ]
        parts += _copies(models)
    for local in ("exemplum", "remarks", "listRef"):
        parts += _either(change, orig, local)
    for part in parts:
        part.tail = "\n"
        new.append(part)
    return new


def _merge_classes(orig: etree._Element, change: etree._Element, m: _Merger) -> etree._Element:
    out = etree.Element(tei("classes"))
    ident = orig.get("ident", "")
    classes = _first(change, "classes")
    orig_members = orig.findall(f"{tei('classes')}/{tei('memberOf')}")

    def add(key: str, source: etree._Element | None = None) -> None:
        if source is None:
            etree.SubElement(out, tei("memberOf"), key=key)
            return
        member = copy.deepcopy(source)
        member.tail = None
        for attr in list(member.attrib):
            if attr not in ("key", "min", "max"):
                del member.attrib[attr]
        out.append(member)

    if classes is not None and classes.get("mode") == "change":
        changed = {mo.get("key"): mo.get("mode") or "add" for mo in _all(classes, "memberOf")}
        for member in _all(classes, "memberOf"):
            if (member.get("mode") or "add") == "add":
                add(member.get("key", ""), member)
        for member in orig_members:
            key = member.get("key", "")
            if m.deleted(key) or key in changed:
                continue
            add(key, member)
    elif classes is not None:
        for member in _all(classes, "memberOf"):
            if member.get("mode") != "delete":
                add(member.get("key", ""), member)
    else:
        for member in orig_members:
            key = member.get("key", "")
            if not m.deleted(key):
                add(key, member)
    if ident:
        for member in out:
            member.tail = "\n"
    return out


def _merge_vallist(orig: etree._Element, change: etree._Element) -> list[etree._Element]:
    mine = _all(change, "valList")
    if mine:
        if mine[0].get("mode") == "delete":
            return []
        return _copies(mine[:1])
    return _copies(_all(orig, "valList"))


def _merge_content(orig: etree._Element, change: etree._Element, m: _Merger) -> etree._Element:
    mine = _first(change, "content")
    if mine is not None:
        new = copy.deepcopy(mine)
        simplify_content(new, m.r.deleted)
        return new
    theirs = _first(orig, "content")
    return copy.deepcopy(theirs) if theirs is not None else etree.Element(tei("content"))


def _merge_constraints(orig: etree._Element, change: etree._Element) -> list[etree._Element]:
    mine = _all(change, "constraintSpec")
    out = _copies(c for c in mine if (c.get("mode") or "add") == "add")
    out += _copies(c for c in mine if c.get("mode") == "replace")
    out += _copies(c for c in mine if c.get("mode") == "change")
    touched = {c.get("ident") for c in mine if c.get("mode") in ("delete", "replace", "change")}
    out += _copies(c for c in _all(orig, "constraintSpec") if c.get("ident") not in touched)
    return out


def _att_defs(att_list: etree._Element | None) -> list[etree._Element]:
    return [] if att_list is None else list(att_list.iter(tei("attDef")))


def _merge_attributes(
    orig: etree._Element, change: etree._Element, m: _Merger
) -> list[etree._Element]:
    change_list = _first(change, "attList")
    orig_list = _first(orig, "attList")
    changes = _att_defs(change_list)
    orig_idents = {a.get("ident") for a in _att_defs(orig_list)}
    is_class = orig.tag == tei("classSpec")
    by_mode: dict[str, dict[str, etree._Element]] = {"delete": {}, "replace": {}, "change": {}}
    for att in changes:
        mode = att.get("mode") or "add"
        if mode in by_mode:
            by_mode[mode][att.get("ident", "")] = att
    out: list[etree._Element] = []
    for att in changes:
        mode = att.get("mode") or "add"
        if mode == "replace" and att.get("ident") in orig_idents:
            out.append(copy.deepcopy(att))
    for att in changes:
        if (att.get("mode") or "add") == "add":
            new = copy.deepcopy(att)
            new.attrib.pop("mode", None)
            out.append(new)
    for att in changes:
        if (
            att.get("mode") in ("change", "delete", "replace")
            and att.get("ident") not in orig_idents
        ):
            out.append(copy.deepcopy(att))
            if is_class and att.get("mode") in ("change", "delete"):
                _class_lacks(orig, att, m)
    if change_list is not None:
        out += _copies(change_list.iter(tei("attRef")))
    if orig_list is None:
        return out
    if change_list is None or not list(change_list.iter(tei("attRef"))):
        out += _copies(orig_list.findall(tei("attRef")))

    def merged(att: etree._Element) -> etree._Element | None:
        ident = att.get("ident", "")
        if ident in by_mode["delete"]:
            return None if is_class else copy.deepcopy(by_mode["delete"][ident])
        if ident in by_mode["replace"]:
            return None
        if ident in by_mode["change"]:
            return merge_attribute(by_mode["change"][ident], att, missing_value(m.p, ident))
        return copy.deepcopy(att)

    for nested in orig_list.findall(tei("attList")):
        group = etree.Element(tei("attList"))
        if nested.get("org"):
            group.set("org", nested.get("org", ""))
        for att in nested.findall(tei("attDef")):
            new = merged(att)
            if new is not None:
                group.append(new)
        out.append(group)
    for att in orig_list.findall(tei("attDef")):
        new = merged(att)
        if new is not None:
            out.append(new)
    return out


def _class_lacks(cls: etree._Element, att: etree._Element, m: _Merger) -> None:
    """O110 for an attDef change or delete in a class that has no such attribute of its
    own (TEI Lite deletes ``att.global/@rendition``, which P5 4.x defines in
    ``att.global.rendition``): the TEI Stylesheets change nothing, nor does tei-cable."""
    ident = att.get("ident", "")
    owners = sorted(
        spec.get("ident", "")
        for spec in m.src.specs.values()
        if spec.tag == tei("classSpec")
        and any(a.get("ident") == ident for a in spec.iter(tei("attDef")))
    )
    where = f" (it is an attribute of {', '.join(owners)})" if owners else ""
    m.p.warning(
        "O110",
        f'{cls.get("ident")}: attDef {ident} mode="{att.get("mode")}" has no effect: the class '
        f"has no such attribute of its own{where}",
        att,
    )


def missing_value(problems: Problems, attribute: str) -> MissingValue:
    """A warning O115 for a ``valItem`` change or delete of a value the list lacks."""

    def report(item: etree._Element) -> None:
        problems.warning(
            "O115",
            f'attribute {attribute}: valItem {item.get("ident")} mode="{item.get("mode")}": '
            "the value list has no such value; ignored",
            item,
        )

    return report


def merge_attribute(
    new: etree._Element, old: etree._Element, missing: MissingValue | None = None
) -> etree._Element:
    """``odd2odd-mergeAttribute``: an attDef in change mode over its original (``missing``:
    see :func:`merge_vallist`)."""
    out = etree.Element(tei("attDef"), ident=old.get("ident", ""))
    for attr in ("ns",):
        if old.get(attr) is not None:
            out.set(attr, old.get(attr, ""))
    if old.get("mode"):
        out.set("mode", old.get("mode", ""))
    usage = new.get("usage") or old.get("usage")
    if usage:
        out.set("usage", usage)
    parts: list[etree._Element] = []
    parts += _either(new, old, "altIdent")
    parts += _either(new, old, "equiv")
    parts += _either(new, old, "gloss")
    parts += _either(new, old, "desc")
    parts += _either(new, old, "constraintSpec")
    parts += _either(new, old, "datatype")
    parts += _either(new, old, "defaultVal")
    parts += _either(new, old, "valDesc")
    parts += _merge_att_vallist(new, old, missing)
    parts += _either(new, old, "exemplum")
    parts += _either(new, old, "remarks")
    for part in parts:
        part.tail = "\n"
        out.append(part)
    return out


def _merge_att_vallist(
    new: etree._Element, old: etree._Element, missing: MissingValue | None = None
) -> list[etree._Element]:
    mine = _first(new, "valList")
    theirs = _first(old, "valList")
    if mine is None:
        return [copy.deepcopy(theirs)] if theirs is not None else []
    mode = mine.get("mode") or "add"
    if mode == "delete":
        return []
    if mode in ("add", "replace") or theirs is None:
        out = etree.Element(tei("valList"))
        for attr in ("type", "repeatable"):
            if mine.get(attr) is not None:
                out.set(attr, mine.get(attr, ""))
        for child in mine:
            out.append(copy.deepcopy(child))
        return [out]
    return [merge_vallist(mine, theirs, missing)]


def merge_vallist(
    mine: etree._Element, theirs: etree._Element, missing: MissingValue | None = None
) -> etree._Element:
    """A ``valList mode="change"`` over its original: items kept, changed, deleted, added.

    A ``valItem`` in change or delete mode for a value the original lacks changes nothing
    (as in the TEI Stylesheets); ``missing`` is told of it.
    """
    out = etree.Element(tei("valList"))
    for key, value in mine.attrib.items():
        if key != "mode":
            out.set(key, value)
    if out.get("type") is None and theirs.get("type") is not None:
        out.set("type", theirs.get("type", ""))
    new_items = {i.get("ident"): i for i in _all(mine, "valItem")}
    for item in _all(theirs, "valItem"):
        ident = item.get("ident")
        change = new_items.get(ident)
        if change is not None and change.get("mode") in ("delete", "replace"):
            continue
        kept = etree.SubElement(out, tei("valItem"), dict(item.attrib))
        for local in ("equiv", "gloss", "desc"):
            source = change if change is not None and _all(change, local) else item
            for part in _all(source, local):
                kept.append(copy.deepcopy(part))
    old_idents = {i.get("ident") for i in _all(theirs, "valItem")}
    for item in _all(mine, "valItem"):
        mode = item.get("mode")
        if mode in ("change", "delete") and item.get("ident") not in old_idents:
            if missing is not None:
                missing(item)
            continue
        if mode in ("add", "replace") or (mode is None and item.get("ident") not in old_idents):
            added = copy.deepcopy(item)
            added.attrib.pop("mode", None)
            out.append(added)
    return out


# -- content simplification (odd2odd-simplifyODD, pass 4) ----------------------------------

_CONTAINERS = (tei("sequence"), tei("alternate"), tei("interleave"))
_RNG_CONTAINERS = tuple(
    rng(n) for n in ("choice", "group", "optional", "oneOrMore", "zeroOrMore", "list", "interleave")
)


def simplify_content(content: etree._Element, deleted: set[str]) -> None:
    """Drop references to deleted specs and containers left empty (``simplifyODD``)."""
    for child in list(content):
        if isinstance(child.tag, str):
            _simplify(child, deleted)


def _simplify(node: etree._Element, deleted: set[str]) -> None:
    tag = node.tag
    if tag in (tei("elementRef"), tei("classRef"), tei("macroRef")) or (
        tag == tei("dataRef") and node.get("key")
    ):
        if node.get("key") in deleted:
            _drop(node)
        return
    if tag == rng("ref"):
        if node.get("name") in deleted:
            _drop(node)
        return
    if tag in _CONTAINERS or tag in _RNG_CONTAINERS:
        for child in list(node):
            if isinstance(child.tag, str):
                _simplify(child, deleted)
        if not any(isinstance(c.tag, str) for c in node):
            _drop(node)


def _drop(node: etree._Element) -> None:
    parent = node.getparent()
    if parent is not None:
        parent.remove(node)


# -- pass 3: pruning -------------------------------------------------------------------------


def _prune(specs: list[etree._Element], r: Customization, src: TeiSource) -> list[etree._Element]:
    by_ident = {s.get("ident", ""): s for s in specs}
    refed: set[str] = set()
    att_refed: set[str] = set()
    members: dict[str, list[etree._Element]] = {}
    for spec in specs:
        for node in spec.iter(
            tei("elementRef"),
            tei("classRef"),
            tei("macroRef"),
            tei("dataRef"),
            tei("attRef"),
            rng("ref"),
        ):
            if node.tag == tei("attRef"):
                if node.get("class"):
                    refed.add(node.get("class", ""))
                name = node.get("name", "")
                if ".attribute." in name:
                    att_refed.add(name.split(".attribute.")[0])
                continue
            if node.tag == rng("ref"):
                name = node.get("name", "")
                in_macro = spec.tag == tei("macroSpec") and name == spec.get("ident")
                if not in_macro:
                    refed.add(name)
                if "_" in name:
                    refed.add(name.split("_")[0])
                continue
            if node.get("key"):
                refed.add(node.get("key", ""))
        for member in spec.findall(f"{tei('classes')}/{tei('memberOf')}"):
            members.setdefault(member.get("key", ""), []).append(spec)
    for other in r.others:
        for node in other.iter(tei("classRef"), tei("elementRef"), tei("macroRef"), tei("dataRef")):
            refed.add(node.get("key", ""))

    classes = [s for s in specs if s.tag == tei("classSpec")]
    needed: set[str] = set()
    changed = True
    while changed:  # least fixpoint of the Stylesheets' recursive ``amINeeded``
        changed = False
        for spec in classes:
            ident = spec.get("ident", "")
            if ident in needed:
                continue
            if spec.get("type") == "model":
                ok = ident in refed or any(
                    mo.get("key") in needed
                    for mo in spec.findall(f"{tei('classes')}/{tei('memberOf')}")
                )
            else:
                ok = ident in att_refed or any(
                    s.tag == tei("elementSpec") or s.get("ident") in needed
                    for s in members.get(ident, [])
                )
            if ok:
                needed.add(ident)
                changed = True

    kept: list[etree._Element] = []
    for spec in specs:
        ident = spec.get("ident", "")
        if _used(spec, ident, needed, refed):
            kept.append(spec)
    kept_idents = {s.get("ident", "") for s in kept}
    for spec in kept:
        for member in spec.findall(f"{tei('classes')}/{tei('memberOf')}"):
            key = member.get("key", "")
            target = by_ident.get(key)
            if target is None or key not in kept_idents:
                member.getparent().remove(member)
        for content in spec.findall(tei("content")):
            _pass4(content)
    return kept


def _used(spec: etree._Element, ident: str, needed: set[str], refed: set[str]) -> bool:
    if spec.tag == tei("classSpec"):
        return ident in needed
    if spec.tag == tei("macroSpec"):
        return f"{spec.get('prefix', '')}{ident}" in refed
    if spec.tag == tei("dataSpec"):
        return ident in refed
    return True


def _pass4(node: etree._Element) -> None:
    """``odd2odd`` pass 4: a container whose only child is the same container is unwrapped.

    The Stylesheets then lose the outer container's ``@minOccurs``/``@maxOccurs``; here the
    two are merged only when one of them occurs exactly once, so the meaning is kept.
    """
    for child in list(node):
        if not isinstance(child.tag, str):
            continue
        _pass4(child)
        kids = [k for k in child if isinstance(k.tag, str)]
        if len(kids) != 1 or kids[0].tag != child.tag:
            continue
        if child.tag in _RNG_CONTAINERS and child.tag != rng("list"):
            inner = kids[0]
        elif child.tag in _CONTAINERS:
            inner = kids[0]
            outer_occ = (child.get("minOccurs", "1"), child.get("maxOccurs", "1"))
            inner_occ = (inner.get("minOccurs", "1"), inner.get("maxOccurs", "1"))
            if outer_occ != ("1", "1") and inner_occ != ("1", "1"):
                continue
            if outer_occ != ("1", "1"):
                inner.set("minOccurs", outer_occ[0])
                inner.set("maxOccurs", outer_occ[1])
        else:
            continue
        inner.tail = child.tail
        node.replace(child, inner)
