"""A result cache: what a command found for a file, kept in one SQLite file between runs.

A result is stored under a *context* (what decides it besides the file: the schema's content
and engines, the converter and its registry, tei-cable's version and code; see
:mod:`.keys`) and the SHA-256 of the file's content, so a changed file, schema, engine or
version misses exactly what it must, and a file that was only moved or touched still hits.

A result may also be kept as a command prints it in a given form (a report format's
*template*: its part of the report with the file's path left out), so a rerun prints a cached
result without laying it out again; a result read in that form is not read otherwise.

Hashing every file of a large archive on every run would cost more than the run itself, so
the cache also remembers, per path, the file's identity when it was last hashed (device,
inode, size, modification and change times, in nanoseconds) and trusts the hash while they
are all unchanged, as ``git status`` does. A file changed within two seconds of being hashed
is not remembered (its time stamp could hide a second change).

The cache never fails a run: a database that cannot be opened or written is reported once
(``warnings``) and the run goes on without it; a file that is not a database is replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..resources import cache_dir

#: the layout of the database; another layout starts a new file
LAYOUT = 1
FILE_NAME = f"results-{LAYOUT}.sqlite"
#: :meth:`ResultCache.lookup` with a form: the file's hash, its result's payload unless the
#: result is kept in that form, and that form
_WITH_FORM = (
    "SELECT f.path, f.identity, f.digest, CASE WHEN d.data IS NULL THEN r.payload END, d.data "
    "FROM files f LEFT JOIN results r ON r.context = ? AND r.digest = f.digest "
    "LEFT JOIN rendered d ON d.context = r.context AND d.digest = f.digest AND d.form = ? "
)
#: a file modified this recently when hashed may change again within its time stamp's tick
RACY_NS = 2_000_000_000
#: how much of the database is read through a memory map
MMAP_BYTES = 1 << 30
#: results written per transaction (and at least once a second): an interrupted run keeps them
COMMIT_EVERY = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS contexts (
    id INTEGER PRIMARY KEY,
    key TEXT UNIQUE NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    created REAL NOT NULL,
    used REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    id INTEGER PRIMARY KEY,
    context INTEGER NOT NULL,
    digest BLOB NOT NULL,
    payload BLOB NOT NULL,
    UNIQUE (context, digest)
);
CREATE TABLE IF NOT EXISTS rendered (
    id INTEGER PRIMARY KEY,
    context INTEGER NOT NULL,
    digest BLOB NOT NULL,
    form TEXT NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (context, digest, form)
);
CREATE TABLE IF NOT EXISTS parts (
    id INTEGER PRIMARY KEY,
    context INTEGER NOT NULL,
    form TEXT NOT NULL,
    first BLOB NOT NULL,
    key BLOB NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (context, form, first)
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    identity TEXT NOT NULL,
    digest BLOB NOT NULL
) WITHOUT ROWID;
"""


#: the environment variable naming the result cache (a file or folder), or ``off``
ENV = "TEI_CABLE_RESULT_CACHE"
_OFF = ("off", "0", "no", "false", "")


def default_path() -> Path:
    """``$TEI_CABLE_RESULT_CACHE``, else the cache file in the user cache folder
    (``$TEI_CABLE_CACHE_DIR`` if set)."""
    chosen = os.environ.get(ENV)
    if chosen and chosen.lower() not in _OFF:
        return resolve_path(chosen)
    return cache_dir() / FILE_NAME


def disabled_by_environment() -> bool:
    """Whether ``$TEI_CABLE_RESULT_CACHE`` is ``off`` (for CI jobs that want none)."""
    chosen = os.environ.get(ENV)
    return chosen is not None and chosen.strip().lower() in _OFF


def resolve_path(path: str | os.PathLike[str] | None) -> Path:
    """``--cache PATH``: a database file, or a folder to keep the default file name in."""
    if path is None:
        return default_path()
    chosen = Path(path)
    return chosen / FILE_NAME if chosen.is_dir() else chosen


def digest_bytes(data: bytes) -> bytes:
    """The content hash results are keyed by."""
    return hashlib.sha256(data).digest()


def digest_file(path: str | os.PathLike[str]) -> bytes:
    """The content hash of a file (``OSError`` if it cannot be read)."""
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            h.update(block)
    return h.digest()


def _key(path: str) -> str | bytes:
    """How a path is kept: as text, or as its bytes when it is no text (an undecodable name)."""
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def identity(stat: os.stat_result) -> str:
    """What must stay the same for a remembered hash to be trusted."""
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"


@dataclass
class Context:
    """One set of things that decide a result besides the file (a row of ``contexts``)."""

    id: int
    key: str
    kind: str
    label: str


class ResultCache:
    """Results by (context, content hash), and content hashes by path and file identity."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, readonly: bool = False):
        self.path = resolve_path(path)
        self.readonly = readonly
        self.warnings: list[str] = []
        self._db: sqlite3.Connection | None = None
        self._pending = 0
        self._last_commit = time.monotonic()
        self._open()

    # -- the database ----

    def _open(self) -> None:
        try:
            if not self.readonly:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            elif not self.path.is_file():
                return
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            if self.readonly or not self.path.is_file():
                self._disable(f"cannot open the result cache {self.path}: {exc}")
                return
            try:  # not a database (a broken CI cache restore): start a new one
                self.path.unlink()
                self._db = self._connect()
                self.warnings.append(f"the result cache {self.path} was unreadable ({exc}); new")
            except (OSError, sqlite3.DatabaseError) as again:
                self._disable(f"cannot open the result cache {self.path}: {again}")
        except OSError as exc:
            self._disable(f"cannot open the result cache {self.path}: {exc.strerror or exc}")

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        else:
            db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 10000")
        # read through a memory map: a rerun reads every stored result, twice as fast so
        db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}").fetchall()
        if not self.readonly:
            db.execute("PRAGMA page_size = 16384")  # a result's issues fit in one page
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.executescript(_SCHEMA)
        else:
            db.execute("SELECT count(*) FROM contexts").fetchone()
        return db

    def _disable(self, message: str) -> None:
        self.warnings.append(message + "; running without it")
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    @property
    def usable(self) -> bool:
        """Whether the database is open (a failure disables it for the rest of the run)."""
        return self._db is not None

    def _write(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        if self._db is None or self.readonly:
            return
        try:
            if not self._db.in_transaction:
                self._db.execute("BEGIN")
            self._db.executemany(sql, rows)
        except sqlite3.Error as exc:
            self._disable(f"cannot write the result cache {self.path}: {exc}")

    def _tick(self, n: int) -> None:
        self._pending += n
        now = time.monotonic()
        if self._pending >= COMMIT_EVERY or now - self._last_commit >= 1.0:
            self.commit()

    def commit(self) -> None:
        """Write what is pending (done every few hundred results and every second anyway)."""
        self._pending = 0
        self._last_commit = time.monotonic()
        if self._db is not None and self._db.in_transaction:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._disable(f"cannot write the result cache {self.path}: {exc}")

    def close(self) -> None:
        """Commit and close."""
        self.commit()
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- contexts and results ----

    def context(self, key: str, kind: str, label: str) -> Context | None:
        """The context ``key`` (created if new), marked as used now; ``None`` without a cache."""
        if self._db is None:
            return None
        label = label.encode("utf-8", "backslashreplace").decode("utf-8")
        now = time.time()
        try:
            row = self._db.execute("SELECT id FROM contexts WHERE key = ?", (key,)).fetchone()
            if row is None and not self.readonly:
                self._db.execute(
                    "INSERT INTO contexts (key, kind, label, created, used) VALUES (?,?,?,?,?)",
                    (key, kind, label, now, now),
                )
                row = self._db.execute("SELECT id FROM contexts WHERE key = ?", (key,)).fetchone()
            elif row is not None and not self.readonly:
                self._db.execute("UPDATE contexts SET used = ? WHERE id = ?", (now, row[0]))
        except sqlite3.Error as exc:
            self._disable(f"cannot use the result cache {self.path}: {exc}")
            return None
        return Context(row[0], key, kind, label) if row is not None else None

    def get_many(self, context: Context, digests: Sequence[bytes | None]) -> list[bytes | None]:
        """The stored payload for each digest (``None``: not stored, or no digest)."""
        wanted = sorted({d for d in digests if d is not None})
        found: dict[bytes, bytes] = {}
        if self._db is not None and wanted:
            try:
                for start in range(0, len(wanted), 500):
                    part = wanted[start : start + 500]
                    marks = ",".join("?" * len(part))
                    found.update(
                        self._db.execute(
                            f"SELECT digest, payload FROM results WHERE context = ? "
                            f"AND digest IN ({marks})",
                            (context.id, *part),
                        ).fetchall()
                    )
            except sqlite3.Error as exc:
                self._disable(f"cannot read the result cache {self.path}: {exc}")
        return [found.get(d) if d is not None else None for d in digests]

    def put(self, context: Context, digest: bytes, payload: bytes) -> None:
        """Store a result (committed with the next batch)."""
        self._write(
            "INSERT OR REPLACE INTO results (context, digest, payload) VALUES (?,?,?)",
            [(context.id, digest, payload)],
        )
        self._tick(1)

    # -- content hashes of files ----

    def digests(self, paths: Sequence[str], *, trust_identity: bool = True) -> list[bytes | None]:
        """The content hash of each file (``None`` if it cannot be read), trusting a hash
        remembered for the same path and file identity, hashing (and remembering) the others
        (``trust_identity=False``: hashing every file)."""
        keys = [_key(p) for p in paths]
        known: dict[str | bytes, tuple[str, bytes]] = {}
        if self._db is not None and paths and trust_identity:
            try:
                marks = ",".join("?" * len(paths))
                known = {
                    path: (ident, digest)
                    for path, ident, digest in self._db.execute(
                        f"SELECT path, identity, digest FROM files WHERE path IN ({marks})",
                        keys,
                    )
                }
            except sqlite3.Error as exc:
                self._disable(f"cannot read the result cache {self.path}: {exc}")
        out: list[bytes | None] = []
        remember = []
        now = time.time_ns()
        stat = os.stat
        for path, key in zip(paths, keys, strict=True):
            try:
                st = stat(path)
                memo = known.get(key)
                if memo is not None and memo[0] == (
                    f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
                ):
                    out.append(memo[1])
                    continue
                ident = identity(st)
                digest = digest_file(path)
            except OSError:
                out.append(None)
                continue
            out.append(digest)
            if now - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
                remember.append((key, ident, digest))
        if remember:
            self._write(
                "INSERT OR REPLACE INTO files (path, identity, digest) VALUES (?,?,?)", remember
            )
            self._tick(len(remember))
        return out

    def lookup(
        self,
        context: Context,
        paths: Sequence[str],
        *,
        trust_identity: bool = True,
        form: str | None = None,
    ) -> list[tuple[bytes | None, bytes | None, bytes | None]]:
        """``(content hash, stored payload, stored form)`` of each file (``None``: unreadable,
        or not stored): :meth:`digests` and :meth:`get_many` in one query for the files whose
        identity is unchanged. With ``form``, a result kept in that form (:meth:`put_form`)
        comes as that form and its payload is not read (``None``). ``trust_identity=False``
        hashes every file."""
        keys = [_key(p) for p in paths]
        known: dict[str | bytes, tuple[str, bytes, bytes | None, bytes | None]] = {}
        if self._db is not None and paths and trust_identity:
            try:
                marks = ",".join("?" * len(paths))
                if form is None:
                    rows = self._db.execute(
                        "SELECT f.path, f.identity, f.digest, r.payload, NULL FROM files f "
                        "LEFT JOIN results r ON r.context = ? AND r.digest = f.digest "
                        f"WHERE f.path IN ({marks})",
                        (context.id, *keys),
                    )
                else:
                    rows = self._db.execute(
                        _WITH_FORM + f"WHERE f.path IN ({marks})",
                        (context.id, form, *keys),
                    )
                known = {
                    path: (ident, digest, payload, kept)
                    for path, ident, digest, payload, kept in rows
                }
            except sqlite3.Error as exc:
                self._disable(f"cannot read the result cache {self.path}: {exc}")
        out: list[tuple[bytes | None, bytes | None, bytes | None]] = []
        hashed: list[int] = []
        remember = []
        now = time.time_ns()
        stat = os.stat
        for path, key in zip(paths, keys, strict=True):
            try:
                st = stat(path)
                memo = known.get(key)
                if memo is not None and memo[0] == (
                    f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
                ):
                    out.append(memo[1:])
                    continue
                ident = identity(st)
                digest = digest_file(path)
            except OSError:
                out.append((None, None, None))
                continue
            hashed.append(len(out))
            out.append((digest, None, None))
            if now - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
                remember.append((key, ident, digest))
        if remember:
            self._write(
                "INSERT OR REPLACE INTO files (path, identity, digest) VALUES (?,?,?)", remember
            )
            self._tick(len(remember))
        if hashed:
            stored = self.stored(context, [out[i][0] for i in hashed], form)  # type: ignore[misc]
            for i in hashed:
                digest = out[i][0]
                out[i] = (digest, *stored.get(digest, (None, None)))  # type: ignore[arg-type]
        return out

    def stored(
        self, context: Context, digests: Sequence[bytes], form: str | None
    ) -> dict[bytes, tuple[bytes | None, bytes | None]]:
        """``(payload, form)`` by digest, as :meth:`lookup` gives them (digests not stored are
        left out)."""
        if form is None:
            return {
                d: (p, None)
                for d, p in zip(digests, self.get_many(context, digests), strict=True)
                if p is not None
            }
        wanted = sorted(set(digests))
        found: dict[bytes, tuple[bytes | None, bytes | None]] = {}
        if self._db is None or not wanted:
            return found
        try:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    "SELECT r.digest, CASE WHEN d.data IS NULL THEN r.payload END, d.data "
                    "FROM results r LEFT JOIN rendered d ON d.context = r.context "
                    "AND d.digest = r.digest AND d.form = ? "
                    f"WHERE r.context = ? AND r.digest IN ({marks})",
                    (form, context.id, *part),
                )
                found.update((digest, (payload, kept)) for digest, payload, kept in rows)
        except sqlite3.Error as exc:
            self._disable(f"cannot read the result cache {self.path}: {exc}")
        return found

    def put_form(self, context: Context, digest: bytes, form: str, data: bytes) -> None:
        """Keep a stored result in another form too (a report format's template of it)."""
        self._write(
            "INSERT OR REPLACE INTO rendered (context, digest, form, data) VALUES (?,?,?,?)",
            [(context.id, digest, form, data)],
        )
        self._tick(1)

    def part(self, context: Context, form: str, first: bytes, key: bytes) -> bytes | None:
        """The part of a report kept for the run of files that starts with the file ``first``
        and whose names and contents hash to ``key`` (``None``: none, or another run)."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT key, data FROM parts WHERE context = ? AND form = ? AND first = ?",
                (context.id, form, first),
            ).fetchone()
        except sqlite3.Error as exc:
            self._disable(f"cannot read the result cache {self.path}: {exc}")
            return None
        return row[1] if row is not None and row[0] == key else None

    def put_part(self, context: Context, form: str, first: bytes, key: bytes, data: bytes) -> None:
        """Keep a part of a report (it replaces the part kept for a run starting at ``first``)."""
        self._write(
            "INSERT OR REPLACE INTO parts (context, form, first, key, data) VALUES (?,?,?,?,?)",
            [(context.id, form, first, key, data)],
        )
        self._tick(1)

    def payload(self, context: Context, digest: bytes) -> bytes | None:
        """The stored payload of one result (``None``: not stored, or no cache)."""
        found = self.get_many(context, [digest])
        return found[0]

    # -- what the cache holds ----

    def info(self) -> dict[str, object]:
        """Where the cache is, its size, and what it holds per context."""
        size = sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
            if p.is_file()
        )
        contexts: list[dict[str, object]] = []
        files = templates = 0
        if self._db is not None:
            rows = self._db.execute(
                "SELECT c.kind, c.label, c.created, c.used, count(r.digest) FROM contexts c "
                "LEFT JOIN results r ON r.context = c.id GROUP BY c.id ORDER BY c.used DESC"
            ).fetchall()
            contexts = [
                {"kind": k, "label": label, "created": c, "used": u, "results": n}
                for k, label, c, u, n in rows
            ]
            files = self._db.execute("SELECT count(*) FROM files").fetchone()[0]
            try:  # a cache written before results were kept as report templates has none
                templates = self._db.execute("SELECT count(*) FROM rendered").fetchone()[0]
            except sqlite3.OperationalError:
                templates = 0
        return {
            "path": str(self.path),
            "exists": self.path.is_file(),
            "bytes": size,
            "results": sum(int(c["results"]) for c in contexts),  # type: ignore[call-overload]
            "templates": templates,
            "files": files,
            "contexts": contexts,
        }

    def clear(self, *, older_than: float | None = None) -> int:
        """Remove results (of contexts unused for ``older_than`` seconds, or all); how many."""
        if self._db is None:
            return 0
        self.commit()
        if older_than is None:
            removed = self._db.execute("SELECT count(*) FROM results").fetchone()[0]
            self._db.executescript(
                "BEGIN; DELETE FROM results; DELETE FROM rendered; DELETE FROM parts; "
                "DELETE FROM contexts; DELETE FROM files; COMMIT;"
            )
        else:
            cutoff = time.time() - older_than
            old = [
                r[0] for r in self._db.execute("SELECT id FROM contexts WHERE used < ?", (cutoff,))
            ]
            removed = 0
            self._db.execute("BEGIN")
            for context_id in old:
                removed += self._db.execute(
                    "DELETE FROM results WHERE context = ?", (context_id,)
                ).rowcount
                self._db.execute("DELETE FROM rendered WHERE context = ?", (context_id,))
                self._db.execute("DELETE FROM parts WHERE context = ?", (context_id,))
                self._db.execute("DELETE FROM contexts WHERE id = ?", (context_id,))
            self._db.execute("COMMIT")
        self._db.execute("VACUUM")
        return int(removed)
