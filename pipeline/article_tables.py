"""Tables of articles: a JSONL export, a CSV from a spreadsheet, a Parquet file, one
article a row.

``TableColumns`` names the fields: the text (or the page's HTML), the id, the
publication date and the URL; each has defaults that crawlers use. A row's id
is its id column's value, else the table's id (its path without extension)
and the row's position from 0 (``crawl/2024-05/3``). A row whose text cannot
be read becomes an error article; a table that cannot be read, one error
article for the whole file.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pandas as pd

from .ingest import RawArticle, article_from_html, iso, normalised

TEXT_COLUMNS = ("text", "content", "body", "article", "본문")
ID_COLUMNS = ("id", "article_id", "doc_id", "uid")
PUBLISHED_COLUMNS = ("published_at", "date", "published", "datetime", "pub_date")
URL_COLUMNS = ("url", "link", "canonical_url")
HTML_COLUMNS = ("html", "raw_html", "page")


@dataclass(frozen=True)
class TableColumns:
    """Which column holds what; None means the first default the table has."""

    text: str | None = None
    id: str | None = None  # noqa: A003 - the name users pass
    published: str | None = None
    url: str | None = None
    html: str | None = None

    def resolve(self, columns: list[str]) -> dict[str, str | None]:
        """The column of each field in a table with these columns (a named one must exist)."""
        chosen = {}
        for name, defaults in (
            ("text", TEXT_COLUMNS), ("id", ID_COLUMNS), ("published", PUBLISHED_COLUMNS),
            ("url", URL_COLUMNS), ("html", HTML_COLUMNS),
        ):  # fmt: skip
            given = getattr(self, name)
            if given is not None and given not in columns:
                raise KeyError(f"no column {given!r} (the table has {', '.join(columns)})")
            chosen[name] = given or next((c for c in defaults if c in columns), None)
        if chosen["text"] is None and chosen["html"] is None:
            raise KeyError(
                f"no text column ({' / '.join(TEXT_COLUMNS)}) or HTML column "
                f"({' / '.join(HTML_COLUMNS)}); name one with --text-column or --html-column "
                f"(the table has {', '.join(columns)})"
            )
        return chosen


def read_frame(path: Path) -> pd.DataFrame:
    """The table in ``path`` by its suffix, every column as read (no type guessing for ids)."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":  # each value as JSON gives it: an id stays 7, not 7.0
        lines = path.read_bytes().splitlines()
        return pd.DataFrame([orjson.loads(line) for line in lines if line.strip()], dtype=object)
    if suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if suffix == ".parquet":
        return pd.read_parquet(path)
    raise ValueError(f"not a table of articles: {path.name}")


def articles_of_frame(
    df: pd.DataFrame, table_id: str, source_path: str, columns: TableColumns
) -> Iterator[RawArticle]:
    """One article per row of a DataFrame."""
    chosen = columns.resolve([str(c) for c in df.columns])
    for position, row in enumerate(df.to_dict("records")):
        yield article_of_row(row, position, table_id, source_path, chosen)


def article_of_row(
    row: dict[str, Any], position: int, table_id: str, source_path: str, chosen: dict
) -> RawArticle:
    """One row as an article: its text, or its HTML rendered, with its id, date and URL."""
    given_id = _value(row, chosen["id"])
    article_id = str(given_id) if given_id is not None else f"{table_id}/{position}"
    where = f"{source_path}#{position}"
    url = _value(row, chosen["url"])
    published = _value(row, chosen["published"])
    try:
        anchor = iso(published, position)
    except ValueError as exc:
        return RawArticle(article_id, where, status="error", error=str(exc), source="table")
    text = _value(row, chosen["text"])
    html = _value(row, chosen["html"])
    if text is None and html is not None:
        page = html if isinstance(html, bytes | str) else str(html)  # bytes keep their charset
        return article_from_html(page, article_id, where, url=url, anchor=anchor)
    if text is None:
        return RawArticle(article_id, where, status="empty", error="row has no text",
                          source="table", url=url)  # fmt: skip
    if not isinstance(text, str):
        return RawArticle(article_id, where, status="error", source="table", url=url,
                          error=f"text is a {type(text).__name__}")  # fmt: skip
    text, notes = normalised(text)
    if not text.strip():
        return RawArticle(article_id, where, text, "str", "empty", "row has no text",
                          source="table", url=url)  # fmt: skip
    return RawArticle(
        article_id,
        where,
        text,
        "str",
        anchor=anchor,
        source="table",
        url=url,
        warnings=tuple(notes),
    )


def read_articles(path: Path, table_id: str, columns: TableColumns) -> Iterator[RawArticle]:
    """The articles of a table file; a file that cannot be read is one error article."""
    try:
        df = read_frame(path)
        articles = list(articles_of_frame(df, table_id, str(path), columns))
    except (OSError, ValueError, KeyError, orjson.JSONDecodeError) as exc:
        reason = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        yield RawArticle(table_id, str(path), status="error", source="table",
                         error=f"cannot read the table: {reason}")  # fmt: skip
        return
    yield from articles


def _value(row: dict[str, Any], column: str | None) -> Any:
    """A cell's value, None when empty (NaN, None, an empty string)."""
    if column is None:
        return None
    value = row.get(column)
    if value is None or isinstance(value, float) and math.isnan(value) or value == "":
        return None
    return value
