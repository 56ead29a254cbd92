"""Validating a stream of files: on any executor, results from the cache where it has them.

:func:`iter_results` is what ``Validator.run`` and ``tei-cable validate`` use: the file list is
walked as it is needed, each file's result is taken from the :class:`~tei_cable.batch.cache.
ResultCache` when the cache has one for the file's content in this context (see
:func:`context_key`), and the others are validated by a :class:`ValidateJob` on the executor;
results come back in input order. A cached result is the one a fresh run gave, issues and
time, so every report format shows it exactly as it showed it then. Given the report's
:class:`~.formats.Writer`, the cache also keeps each result as that format's template (its part
of the report, the path left out) and gives it back so: a rerun prints each cached result by
filling in its path, as the fresh run printed it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..batch import keys
from ..batch.executors import Executor, ExecutorError, SerialExecutor, remember_state
from ..batch.files import STDIN, iter_file_paths
from ..batch.pipeline import ordered_map
from ..findings import SEVERITY_RANK, Issue
from ..schemas import NAMED, SchemaSet, resolve
from .formats import ReportPart
from .report import FileResult, StoredIssues, issue_rows, issues_json

if TYPE_CHECKING:
    from ..batch.cache import ResultCache
    from .formats import Writer
    from .runner import Validator

#: the form a result is cached in (:func:`encode`): a change of it must change this
PAYLOAD = "payload 1"
#: a result: the content hash of what was validated (``None``: not to be cached) and the result
Checked = tuple[bytes | None, FileResult]


#: how the token of a run that is not cached and stays on this machine begins (it names the
#: run's state in this process and in the workers forked from it; see :func:`iter_results`)
LOCAL_TOKEN = "local run "
_RUNS = itertools.count(1)


def context_key(schema: SchemaSet, engines: tuple[str, ...]) -> str:
    """What decides a file's issues besides its content: the schema files the engines read
    (with what they include), the engines, tei-cable's version and code."""
    files = [schema.files[e] for e in engines]
    return keys.combine(
        "validate", PAYLOAD, keys.code_digest("validate"), keys.schema_digest(files), *engines
    )


@dataclass(frozen=True)
class ValidateJob:
    """Validate one file (an item ``(name, path)``, or ``(name, bytes)`` for standard input).

    Picklable: a worker that does not have the validator yet builds it from ``schema`` (the
    named schemas ``tei_cable`` and ``tei_all`` are resolved again where their files are not
    there) and checks that it gives the same :func:`context_key` as the run's.
    """

    schema: SchemaSet
    engines: tuple[str, ...]
    fail_on: str
    token: str
    source: str | None = None
    #: hash each file's content (for the result cache); without a cache nothing is hashed
    digest: bool = True

    def setup(self) -> Validator:
        from .runner import Validator

        schema = self.schema
        if schema.name in NAMED and not all(p.is_file() for p in schema.files.values()):
            schema = resolve(schema.name, source=self.source)
        validator = Validator(schema, self.engines, fail_on=self.fail_on)
        if not self.token.startswith(LOCAL_TOKEN) and (
            context_key(validator.schema, validator.engine_names) != self.token
        ):
            raise ExecutorError(
                "a worker has other schema files or another tei-cable than this run "
                f"({', '.join(str(p) for p in schema.files.values())}): workers need the same "
                "tei-cable and the schema on a file system they share"
            )
        return validator.compile()

    def warm(self, validator: Validator) -> None:
        """Compile what the engines can compile ahead (before worker processes fork)."""
        validator.compile()
        for engine in validator._engines or ():
            prepare = getattr(engine, "prepare", None)
            if prepare is not None:
                prepare()

    def run(self, validator: Validator, item: tuple[str, str | bytes]) -> Checked:
        name, source = item
        validator.compile()  # a schema that cannot be used stops the run (SchemaError)
        try:
            if isinstance(source, bytes):
                return None, validator.validate_bytes(source, name)
            return _validate_file(validator, name, source, self.digest)
        except Exception as exc:  # one file's failure must not stop the run
            issue = Issue(0, 0, "fatal", f"validation failed: {type(exc).__name__}: {exc}", "xml")
            return None, FileResult.of(name, [issue], self.fail_on)


def _validate_file(validator: Validator, name: str, path: str, digest: bool = True) -> Checked:
    """The result, with the hash of the content validated (``None`` where the file could not
    be read, or ``digest`` is false: nothing will be cached).

    The file is read once: the bytes that are hashed are the bytes that are validated, so a
    file changed meanwhile is cached under the content that was checked."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:  # missing, a folder, no permission: the validator says so as an issue
        return None, validator.validate_file(path, name)
    result = validator.validate_bytes(data, name)
    return (digest_bytes(data) if digest else None), result


def digest_bytes(data: bytes) -> bytes:
    """:func:`~tei_cable.batch.cache.digest_bytes` (the cache, and sqlite3, imported only
    when results are cached)."""
    from ..batch.cache import digest_bytes as digest

    return digest(data)


# -- cache payloads ----


def encode(result: FileResult) -> bytes:
    """A result as stored in the cache: a line with its seconds and its counts of issues,
    errors and warnings and its worst severity, then its issues as the compact JSON
    ``--format jsonl`` prints (so a cached result is printed without being rebuilt)."""
    issues = result.issues
    if not isinstance(issues, StoredIssues):
        issues = StoredIssues.of(result.issues, issues_json(issue_rows(result)).encode())
    head = f"{result.seconds!r} {issues.count} {issues.errors} {issues.warnings} {issues.worst}"
    return head.encode() + b"\n" + issues.json


def decode(payload: bytes, name: str, fail_on: str) -> FileResult:
    """A stored result as the result of the file ``name`` (validity judged at ``fail_on``)."""
    head, _, text = payload.partition(b"\n")
    seconds, count, errors, warnings, worst = head.split()
    issues = StoredIssues(text, int(count), int(errors), int(warnings), int(worst))
    valid = int(worst) < SEVERITY_RANK[fail_on]
    return FileResult(name, issues, valid, float(seconds))  # type: ignore[arg-type]


class RenderedIssues(StoredIssues):
    """A cached result's issues with a report format's template of them (``form``,
    ``template``); their JSON is read from the cache (``fetch(digest)``) only if something
    asks for it."""

    __slots__ = ("_digest", "_fetch", "_text", "form", "template")

    def __init__(
        self,
        text: bytes | None,
        head: tuple[int, int, int, int],
        form: str,
        template: bytes,
        fetch: Callable[[bytes], bytes | None] | None = None,
        digest: bytes = b"",
    ) -> None:
        # what StoredIssues.__init__ sets, without its cost (tens of thousands are made)
        self._text = text
        self.count, self.errors, self.warnings, self.worst = head
        self._dicts = None
        self._issues = None
        self.form = form
        self.template = template
        self._fetch = fetch
        self._digest = digest

    @property  # type: ignore[override]
    def json(self) -> bytes:
        """The issues as compact JSON (read from the cache when first asked for)."""
        if self._text is None:
            found = self._fetch(self._digest) if self._fetch is not None else None
            if found is None:
                raise LookupError("the cached result is no longer in the result cache")
            self._text = found.partition(b"\n")[2]
        return self._text

    @json.setter
    def json(self, value: bytes | None) -> None:
        self._text = value


def encode_form(result: FileResult, template: bytes) -> bytes:
    """A result kept as a report format's template: the head :func:`encode` writes, then the
    template."""
    issues = result.issues
    if isinstance(issues, StoredIssues):
        head = f"{issues.count} {issues.errors} {issues.warnings} {issues.worst}"
    else:
        stored = StoredIssues.of(issues, b"")
        head = f"{stored.count} {stored.errors} {stored.warnings} {stored.worst}"
    return f"{result.seconds!r} {head}".encode() + b"\n" + template


def decode_form(
    data: bytes,
    name: str,
    fail_on: str,
    form: str,
    fetch: Callable[[bytes], bytes | None] | None = None,
    digest: bytes = b"",
) -> FileResult:
    """A result kept as a template (:func:`encode_form`) as the result of the file ``name``;
    ``fetch(digest)`` reads its payload if its issues are asked for."""
    head, _, template = data.partition(b"\n")
    seconds, count, errors, warnings, worst = head.split()
    rank = int(worst)
    counts = (int(count), int(errors), int(warnings), rank)
    issues = RenderedIssues(None, counts, form, template, fetch, digest)
    return FileResult(name, issues, rank < SEVERITY_RANK[fail_on], float(seconds))  # type: ignore[arg-type]


def with_template(result: FileResult, form: str, template: bytes) -> FileResult:
    """A cached result (its issues a :class:`StoredIssues`) with a template beside them."""
    issues = result.issues
    assert isinstance(issues, StoredIssues)
    head = (issues.count, issues.errors, issues.warnings, issues.worst)
    kept = RenderedIssues(issues.json, head, form, template)
    return FileResult(result.path, kept, result.valid, result.seconds)  # type: ignore[arg-type]


# -- the stream ----


def iter_results(
    validator: Validator,
    paths: Iterable[str | os.PathLike[str]],
    *,
    executor: Executor | None = None,
    cache: ResultCache | None = None,
    stdin: bytes | None = None,
    trust_identity: bool = True,
    writer: Writer | None = None,
    parts: bool = False,
) -> Iterator[tuple[FileResult | ReportPart, bool]]:
    """``(result, cached)`` for every file of ``paths``, in order (see :func:`.files.iter_files`).

    ``executor`` runs the files the cache does not have (default: this process); the caller
    closes it. :class:`InputError` for a path that does not exist, before anything is checked.
    ``trust_identity=False``: hash every file rather than trust the hash the cache remembers
    for a file of unchanged size, times and inode. ``writer``: the report format the results
    go to; the cache keeps (and gives back) each result as its template. ``parts`` (with a
    ``writer``): a run of files that all come from the cache comes as one
    :class:`~.formats.ReportPart`, their entries as the writer joins them (kept in the cache
    for the same files with the same contents, so a rerun prints them at once).
    """
    files = iter_file_paths(paths)
    # the key of the cache context, which workers elsewhere (Dask) check against their own;
    # a run that neither caches nor leaves this machine needs only a name for its state
    keyed = cache is not None or not (executor is None or executor.shares_state)
    job = ValidateJob(
        validator.schema,
        validator.engine_names,
        validator.fail_on,
        (
            context_key(validator.schema, validator.engine_names)
            if keyed
            else f"{LOCAL_TOKEN}{next(_RUNS)} {os.getpid()}"
        ),
        getattr(validator, "source", None),
        digest=cache is not None,
    )
    remember_state(job, validator)
    context = cache.context(job.token, "validate", _label(validator)) if cache else None
    form = writer.form if writer is not None else None

    def fetch(digest: bytes) -> bytes | None:
        """One cached result's payload (for a result read as a template)."""
        return cache.payload(context, digest) if cache is not None and context else None

    #: how the cache names the template of a result: the format and the failure level
    kept_as = f"{form}:{job.fail_on}" if form is not None else None

    def items() -> Iterator[tuple[str, str | bytes]]:
        for name, absolute in files:
            if name == STDIN:
                yield STDIN, stdin if stdin is not None else b""
            else:
                yield name, absolute

    def lookup(batch: list[tuple[str, str | bytes]]) -> list[Checked | None]:
        if cache is None or context is None:
            return [None] * len(batch)
        on_disk = [s for _n, s in batch if isinstance(s, str)]
        if parts and writer is not None and len(on_disk) == len(batch):
            return in_parts(batch, on_disk)  # type: ignore[arg-type]
        stored = iter(
            cache.lookup(context, on_disk, trust_identity=trust_identity, form=kept_as)  # type: ignore[arg-type]
        )
        fail_on = job.fail_on
        found: list[Checked | None] = []
        for name, source in batch:
            if not isinstance(source, str):
                found.append(None)
                continue
            digest, payload, kept = next(stored)
            if kept is not None:
                found.append((None, decode_form(kept, name, fail_on, form, fetch, digest)))  # type: ignore[arg-type]
            elif payload is None:
                found.append(None)
            else:
                result = decode(payload, name, fail_on)
                if writer is not None and form is not None:  # kept in this form from now on
                    template = writer.template(result)
                    if template is not None:
                        result = with_template(result, form, template)
                        cache.put_form(context, digest, kept_as, encode_form(result, template))  # type: ignore[arg-type]
                found.append((None, result))
        return found

    def in_parts(batch: list[tuple[str, str]], on_disk: list[str]) -> list[Checked | None]:
        """:func:`lookup` for a writer that takes parts: a batch wholly in the cache comes as
        one part (read as it was kept, or made now and kept)."""
        assert cache is not None and context is not None and writer is not None
        assert kept_as is not None and form is not None
        digests = cache.digests(on_disk, trust_identity=trust_identity)
        key = first = None
        if None not in digests:
            names = [name for name, _source in batch]
            first = names[0].encode("utf-8", "surrogateescape")
            key = part_key(names, digests)  # type: ignore[arg-type]
            data = cache.part(context, kept_as, first, key)
            if data is not None:
                return [(None, decode_part(data)), *[_COVERED] * (len(batch) - 1)]  # type: ignore[list-item]
        stored = cache.stored(context, [d for d in digests if d is not None], kept_as)
        fail_on = job.fail_on
        found: list[Checked | None] = []
        for (name, _source), digest in zip(batch, digests, strict=True):
            kept = stored.get(digest) if digest is not None else None
            if kept is None:
                found.append(None)
            elif kept[1] is not None:
                found.append((None, decode_form(kept[1], name, fail_on, form, fetch, digest)))  # type: ignore[arg-type]
            else:
                found.append((None, templated(decode(kept[0], name, fail_on), digest)))  # type: ignore[arg-type]
        if key is None or None in found:
            return found
        part = make_part(writer, [checked[1] for checked in found])  # type: ignore[index]
        cache.put_part(context, kept_as, first, key, encode_part(part))  # type: ignore[arg-type]
        return [(None, part), *[_COVERED] * (len(batch) - 1)]  # type: ignore[list-item]

    def templated(result: FileResult, digest: bytes) -> FileResult:
        """A result read from its payload, with the writer's template (kept from now on)."""
        if writer is None or form is None or cache is None or context is None:
            return result
        template = writer.template(result)
        if template is None:
            return result
        cache.put_form(context, digest, kept_as, encode_form(result, template))  # type: ignore[arg-type]
        return with_template(result, form, template)

    def store(_item: object, checked: Checked) -> None:
        digest, result = checked
        if cache is not None and context is not None and digest is not None:
            cache.put(context, digest, encode(result))
            if writer is not None and kept_as is not None:
                template = writer.template(result)
                if template is not None:
                    cache.put_form(context, digest, kept_as, encode_form(result, template))

    def size(checked: Checked) -> int:
        """What a cached result holds: its template, or its issues' JSON."""
        if isinstance(checked[1], ReportPart):
            return len(checked[1].data)
        if checked is _COVERED:
            return 0
        issues = checked[1].issues
        if isinstance(issues, RenderedIssues):
            return len(issues.template) + len(issues._text or b"")
        return len(issues.json) if isinstance(issues, StoredIssues) else 0

    def weight(item: tuple[str, str | bytes]) -> int:
        source = item[1]
        if isinstance(source, bytes):
            return len(source)
        try:
            return os.path.getsize(source)
        except OSError:
            return 0

    for _item, (_digest, result), cached in ordered_map(
        job,
        items(),
        executor or SerialExecutor(),
        lookup=lookup if context is not None else None,
        store=store if context is not None else None,
        weight=weight,
        size=size,
    ):
        if result is not _COVERED[1]:
            yield result, cached


#: what :func:`iter_results` gives for the files of a part but its first (and leaves out)
_COVERED: Checked = (None, FileResult("", (), True))


def part_key(names: list[str], digests: list[bytes]) -> bytes:
    """What a part of a report is kept under: the names of its files (which never hold
    U+0000) and their contents."""
    import hashlib

    text = "\0".join(names).encode("utf-8", "surrogateescape")
    return hashlib.sha256(text + b"\0" + b"".join(digests)).digest()


def make_part(writer: Writer, results: list[FileResult]) -> ReportPart:
    """The results of consecutive files as one part of ``writer``'s report."""
    return ReportPart(
        len(results),
        sum(r.valid for r in results),
        sum(r.errors for r in results),
        sum(r.warnings for r in results),
        writer.join([writer.entry(r) for r in results]),
    )


def encode_part(part: ReportPart) -> bytes:
    """A part as the cache keeps it: its counts on a line, then its entries."""
    head = f"{part.files} {part.valid} {part.errors} {part.warnings}".encode()
    return head + b"\n" + part.data


def decode_part(data: bytes) -> ReportPart:
    """A part as :func:`encode_part` kept it."""
    head, _, entries = data.partition(b"\n")
    files, valid, errors, warnings = map(int, head.split())
    return ReportPart(files, valid, errors, warnings, entries)


def _label(validator: Validator) -> str:
    """How ``cache info`` names a context: the schema and the engines."""
    name = validator.schema.name
    shown = Path(name).name if name not in NAMED else name
    return f"{shown} ({','.join(validator.engine_names)})"


__all__ = [
    "RenderedIssues",
    "ValidateJob",
    "context_key",
    "decode",
    "decode_form",
    "encode",
    "encode_form",
    "iter_results",
]
