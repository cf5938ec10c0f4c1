"""The corpus-level ``entities`` table: each person and organisation of a run once, with
its names, kind, how many articles name it, and when it was first and last seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_COLUMNS = {
    "entity_id": "str",
    "kind": "str",
    "name": "str",
    "names": "list",
    "type": "str",
    "n_articles": "int",
    "n_mentions": "int",
    "first_seen": "datetime",
    "last_seen": "datetime",
    "first_article": "str",
}


@dataclass
class Entry:
    kind: str
    name: str
    names: dict[str, None] = field(default_factory=dict)
    type: str | None = None
    articles: set[str] = field(default_factory=set)
    mentions: int = 0
    first_seen: str | None = None
    last_seen: str | None = None
    first_article: str | None = None


class EntityBook:
    """Gathers the people and organisations rows of every article of a run."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}

    def add(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        articles = rows.get("articles") or [{}]
        article_id = articles[0].get("article_id")
        published = articles[0].get("published_at")
        for table, kind in (("people", "person"), ("organizations", "organization")):
            for row in rows.get(table, []):
                if not row.get("entity_id"):
                    continue
                entry = self.entries.setdefault(row["entity_id"], Entry(kind, row["name"]))
                entry.names.update(dict.fromkeys([row["name"], *(row.get("aliases") or [])]))
                entry.type = entry.type or row.get("type")
                entry.mentions += row.get("n_mentions") or 0
                entry.first_article = entry.first_article or article_id
                self._seen(entry, article_id, published)
        # A speaker or actor named as an organisation but not in the organisations table.
        named = {r.get("entity_id") for t in ("people", "organizations") for r in rows.get(t, [])}
        for table, prefix in (("quotes", "speaker"), ("pledges", "actor")):
            for row in rows.get(table, []):
                eid = row.get(f"{prefix}_id")
                if eid and eid not in named:
                    entry = self.entries.setdefault(
                        eid, Entry(row[f"{prefix}_kind"], row[prefix], {row[prefix]: None})
                    )
                    entry.first_article = entry.first_article or article_id
                    self._seen(entry, article_id, published)

    @staticmethod
    def _seen(entry: Entry, article_id: str | None, published: str | None) -> None:
        entry.articles.add(article_id)
        if published:
            entry.first_seen = min(filter(None, [entry.first_seen, published]))
            entry.last_seen = max(filter(None, [entry.last_seen, published]))

    def rows(self) -> list[dict[str, Any]]:
        """One row per entity, the most named first (then by id, for a stable order)."""
        ordered = sorted(self.entries.items(), key=lambda kv: (-len(kv[1].articles), kv[0]))
        return [
            {
                "entity_id": eid,
                "kind": e.kind,
                "name": e.name,
                "names": list(e.names),
                "type": e.type,
                "n_articles": len(e.articles),
                "n_mentions": e.mentions,
                "first_seen": e.first_seen,
                "last_seen": e.last_seen,
                "first_article": e.first_article,
            }
            for eid, e in ordered
        ]
