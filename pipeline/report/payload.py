"""What each page of a report shows, as JSON: an article's lines, spans and rows.

Pages are drawn in the browser from this data (``assets/report.js``), so writing a
page costs one JSON dump, and a thousand pages are written in well under a second.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson

from .source import Output

# Per-article tables shown under the text, with the columns each shows (its span last).
SPAN = ["raw_line", "raw_start", "raw_end"]
SHOWN: dict[str, list[str]] = {
    "people": ["entity_id", "name", "titles", "affiliation", "aliases", "role", "n_mentions"],
    "organizations": ["entity_id", "name", "aliases", "type", "n_mentions"],
    "dates": ["text", "value", "resolution", "rule"],
    "quotes": ["quote_id", "text", "speaker", "speaker_id", "speaker_kind", "speaker_text",
               "verb", "kind"],
    "pledges": ["pledge_id", "actor", "actor_id", "actor_kind", "name", "content", "cue"],
    "mentions": ["kind", "text", "entity", "entity_id"],
    "sentences": ["sentence_id", "paragraph_id"],  # its text is cut from the lines
}  # fmt: skip
LINE = ["raw_line", "raw_start", "kind", "label", "text"]
# The columns a report reads (the boilerplate table is the lines of kind boilerplate).
READ = {"articles": None, "lines": ["article_id", *LINE],
        **{name: ["article_id", *shown, *SPAN] for name, shown in SHOWN.items()}}  # fmt: skip
COUNTED = ("people", "organizations", "dates", "quotes", "pledges", "mentions", "sentences")
ARTICLE = ["article_id", "source_path", "title", "subtitles", "outlet", "authors",
           "author_emails", "published_at", "modified_at", "status", "error", "url",
           "source", "warnings"]  # fmt: skip


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def dumps(data: Any) -> bytes:
    """JSON that may stand inside a ``<script>`` element."""
    return orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS).replace(
        b"<", b"\\u003c"
    )


def articles(output: Output) -> list[dict[str, Any]]:
    """The articles table as one dict per article, in the run's order."""
    table = output.table("articles")
    columns = {name: table.column(name) for name in ARTICLE}
    return [{name: columns[name][i] for name in ARTICLE} for i in range(len(table))]


def article_data(output: Output, article: dict[str, Any]) -> dict[str, Any]:
    """Everything an article page shows: its fields, every raw line, each table's rows."""
    aid = article["article_id"]
    lines = output.table("lines").rows_of(aid, LINE)
    tables = {}
    for name, shown in SHOWN.items():
        if name in output.tables:
            names = shown + SPAN
            tables[name] = {"columns": names, "rows": output.table(name).rows_of(aid, names)}
    return {"article": article, "lines": lines, "tables": tables}


def index_row(number: int, article: dict[str, Any], data: dict[str, Any], page: str) -> list:
    """One row of the index: what it lists, filters and sorts on."""
    tables = data["tables"]
    counts = [len(tables[name]["rows"]) if name in tables else None for name in COUNTED]
    published = article["published_at"]
    return [
        number,
        page,
        article["article_id"],
        article["outlet"] or "",
        _default(published).replace("T", " ") if published else "",
        article["title"] or "",
        article["status"] or "",
        ", ".join(article["authors"] or []),
        *counts,
    ]


INDEX_COLUMNS = ["n", "page", "article_id", "outlet", "published_at", "title", "status",
                 "authors", *COUNTED]  # fmt: skip
