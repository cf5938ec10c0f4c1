"""The re-run cache: each article's rows under a key of its content, rules and code.

The rows live in one SQLite file in the output folder
(``.knews-cache/rows.sqlite``), not in a file per article: an archive of
millions of articles stays one file, and new rows are committed a worker's chunk
at a time (write-ahead log). A run interrupted or killed loses only the rows of
the last uncommitted chunk; those articles are processed again next time.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import orjson

from .process import Rows

CACHE_DIR = ".knews-cache"
COMMIT_EVERY = 8  # articles per transaction (a worker's chunk): a kill loses at most these


class RowCache:
    """Each article's rows, kept under a key of its content and the rule set."""

    def __init__(self, output_dir: Path, salt: str, enabled: bool) -> None:
        self.folder = output_dir / CACHE_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self.salt = salt
        self.enabled = enabled  # False (`--force`): nothing is read back, all is written
        self.used: set[str] = set()
        self._db = sqlite3.connect(self.folder / "rows.sqlite")
        # Write-ahead log, synced at checkpoints: a commit costs no fsync of its own.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS rows (key TEXT PRIMARY KEY, data BLOB)")
        self._uncommitted = 0

    def key(self, path: Path, article_id: str) -> str:
        """A digest of the salt (version, code, rules, tables), the article id, the path
        (rows carry it) and the bytes."""
        try:
            data = path.read_bytes()
        except OSError:
            data = b""  # read again where it is processed, and reported there
        return self._digest(article_id, str(path).encode() + b"\0" + data)

    def key_of(self, unit) -> str:
        """The key of an input unit: its file's bytes, or the article read from a table."""
        if unit.raw is None:
            key = self.key(Path(unit.path), unit.article_id)
            return self._digest(key, (unit.anchor or "").encode()) if unit.anchor else key
        raw = unit.read()  # with a `--dates` anchor applied
        fields = [raw.text, raw.anchor, raw.url, raw.source, raw.status, raw.error, raw.clean]
        fields += [raw.encoding, list(raw.warnings), repr(raw.markup)]
        return self._digest(raw.article_id, orjson.dumps([raw.source_path, *fields]))

    def _digest(self, article_id: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(article_id.encode())
        digest.update(data)
        return digest.hexdigest()[:32]

    def has(self, key: str) -> bool:
        self.used.add(key)
        if not self.enabled:
            return False
        found = self._db.execute("SELECT 1 FROM rows WHERE key = ?", (key,)).fetchone()
        return found is not None

    def get(self, key: str) -> Rows | None:
        found = self._db.execute("SELECT data FROM rows WHERE key = ?", (key,)).fetchone()
        try:
            return orjson.loads(found[0]) if found else None
        except orjson.JSONDecodeError:
            return None

    def put(self, key: str, rows: Rows) -> None:
        self._db.execute("INSERT OR REPLACE INTO rows VALUES (?, ?)", (key, orjson.dumps(rows)))
        self._uncommitted += 1
        if self._uncommitted >= COMMIT_EVERY:
            self._db.commit()
            self._uncommitted = 0

    def prune(self) -> None:
        """Forget articles that are no longer in the input."""
        db = self._db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
        db.execute("DELETE FROM used")
        db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in self.used))
        db.execute("DELETE FROM rows WHERE key NOT IN (SELECT key FROM used)")
        db.commit()
        for old in self.folder.glob("*.json"):  # rows of the earlier file-per-article layout
            old.unlink(missing_ok=True)

    def close(self) -> None:
        self._db.commit()
        self._db.close()
