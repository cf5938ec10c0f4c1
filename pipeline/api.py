"""knews from Python: analyse texts and DataFrames without files.

    from pipeline import analyse, analyse_frame

    tables = analyse(text, published_at="2024-05-20")
    tables["quotes"]

The functions run the same processor as ``knews run`` and return the same
tables, as pandas DataFrames with the dtypes of ``pipeline.load``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from extractors.base import create_all, load_plugin

from .ingest import RawArticle, normalise
from .process import ArticleProcessor, Rows
from .rulefiles import use_rule_folders
from .run import process_raws
from .tables import CORE_TABLES, Columns, frame_of

BATCH = 500


class Pipeline:
    """Kiwi, the rules and the extractors, loaded once; analyse any number of texts.

    Thread-safety: a Pipeline is not thread-safe; Kiwi and the extractors keep
    per-call state. Use one per thread, or better ``n_jobs`` in
    ``analyse_frame``, which runs worker processes as ``knews run -j`` does.
    Across processes: each process builds its own Pipeline (Kiwi cannot be
    shared or pickled); rule folders and plugins are process-wide settings,
    switched on when the Pipeline is created.
    """

    def __init__(self, rules: Sequence[str | Path] = (), plugins: Sequence[str] = ()) -> None:
        use_rule_folders([Path(r) for r in rules])
        for spec in plugins:
            load_plugin(spec)
        self.plugins = list(plugins)
        self.extractors = create_all()
        self.processor = ArticleProcessor(self.extractors)
        self.columns: dict[str, Columns] = dict(CORE_TABLES)
        self.columns.update({e.name: {"article_id": "str", **e.columns} for e in self.extractors})

    def analyse(
        self,
        text: Any,
        *,
        published_at: Any = None,
        article_id: str | None = None,
        clean: bool = True,
    ) -> Tables:
        """Every table for one text.

        ``clean=False`` treats the whole text as body (a sentence or paragraph
        that is already clean); ``published_at`` (ISO text, ``datetime``,
        ``date`` or ``Timestamp``) anchors relative dates when the text has no
        date of its own. A text that is not a string, or is empty, gives an
        ``articles`` row with status ``error``/``empty`` and empty tables.
        """
        raw = to_raw(text, article_id or "text", iso(published_at, article_id or "text"), clean)
        return self._frames([self.processor.process(raw)])

    def analyse_frame(
        self,
        df: pd.DataFrame,
        text: str = "text",
        published_at: str | None = None,
        id: str | None = None,  # noqa: A002 - the name users pass
        clean: bool = True,
        n_jobs: int = 1,
        progress: bool = True,
    ) -> Tables:
        """Every table for every row of ``df``: the row's id (column ``id``, else
        the index) becomes ``article_id``. Rows stream through in batches."""
        ids = df[id] if id else df.index
        anchors = df[published_at] if published_at else [None] * len(df)
        raws = (
            to_raw(t, str(i), iso(a, i), clean)
            for t, i, a in zip(df[text], ids, anchors, strict=True)
        )
        rows = (
            process_raws(raws, self.extractors, n_jobs, self.plugins)
            if n_jobs > 1
            else self.processor.process_many(raws)
        )
        return self._frames(_progress(rows, len(df), progress))

    def _frames(self, rows: Iterable[Rows]) -> Tables:
        """Rows to typed DataFrames, converted batch by batch to keep memory flat."""
        parts: dict[str, list[pd.DataFrame]] = defaultdict(list)
        pending: dict[str, list[dict]] = defaultdict(list)
        for n, article_rows in enumerate(rows, start=1):
            for table, table_rows in article_rows.items():
                pending[table] += table_rows
            if n % BATCH == 0:
                for table, table_rows in pending.items():
                    if table_rows:
                        parts[table].append(frame_of(table_rows, self.columns.get(table, {})))
                pending.clear()
        return Tables(self.columns, parts, pending)


class Tables(Mapping[str, pd.DataFrame]):
    """The tables of an analysis: a mapping of name to DataFrame, each built on first use
    (a loop that reads one table of each call pays for that table only)."""

    def __init__(
        self,
        columns: dict[str, Columns],
        parts: dict[str, list[pd.DataFrame]],
        pending: dict[str, list[dict]],
    ) -> None:
        self._columns = columns
        self._parts = parts
        self._pending = pending
        self._built: dict[str, pd.DataFrame] = {}

    def __getitem__(self, table: str) -> pd.DataFrame:
        if table not in self._built:
            if table not in self._columns:
                raise KeyError(table)
            columns = self._columns[table]
            chunks = list(self._parts.get(table, []))
            if self._pending.get(table):
                chunks.append(frame_of(self._pending[table], columns))
            if not chunks:
                self._built[table] = frame_of([], columns)
            elif len(chunks) == 1:
                self._built[table] = chunks[0]
            else:
                self._built[table] = pd.concat(chunks, ignore_index=True)
        return self._built[table]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return f"Tables({', '.join(self._columns)})"


def to_raw(text: Any, article_id: str, anchor: str | None, clean: bool) -> RawArticle:
    """A text as an article to process; what is not text becomes a status row."""
    source = "<python>"
    if not isinstance(text, str):
        if text is None or isinstance(text, float) and math.isnan(text):
            return RawArticle(article_id, source, status="empty", error="no text")
        kind = type(text).__name__
        return RawArticle(article_id, source, status="error", error=f"text is a {kind}")
    text = normalise(text)
    if not text.strip():
        return RawArticle(article_id, source, text, status="empty", error="text is empty")
    return RawArticle(article_id, source, text, "str", clean=clean, anchor=anchor)


def iso(value: Any, row: Any) -> str | None:
    """A publication date as ISO text; a value that is not a date raises ValueError."""
    if value is None or value is pd.NaT or isinstance(value, float) and math.isnan(value):
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"row {row!r}: published_at {value!r} is not a date") from exc
    if stamp is pd.NaT:
        return None
    has_time = not isinstance(value, dt.date) or isinstance(value, dt.datetime)
    if has_time and (stamp.hour or stamp.minute or stamp.second):
        return stamp.strftime("%Y-%m-%dT%H:%M" + (":%S" if stamp.second else ""))
    return stamp.strftime("%Y-%m-%d")


def _progress(rows: Iterator[Rows], total: int, show: bool) -> Iterator[Rows]:
    """A progress bar in terminals and notebooks (rich), if asked for."""
    if not show:
        yield from rows
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("knews", total=total)
        for article_rows in rows:
            bar.advance(task)
            yield article_rows


@cache
def default_pipeline() -> Pipeline:
    """The Pipeline behind the module-level functions, built on first use."""
    return Pipeline()


def analyse(
    text: Any, *, published_at: Any = None, article_id: str | None = None, clean: bool = True
) -> dict[str, pd.DataFrame]:
    """Every table for one text; see ``Pipeline.analyse``."""
    return default_pipeline().analyse(
        text, published_at=published_at, article_id=article_id, clean=clean
    )


def analyse_frame(
    df: pd.DataFrame,
    text: str = "text",
    published_at: str | None = None,
    id: str | None = None,
    clean: bool = True,
    n_jobs: int = 1,  # noqa: A002
    progress: bool = True,
) -> dict[str, pd.DataFrame]:
    """Every table for every row of a DataFrame; see ``Pipeline.analyse_frame``."""
    return default_pipeline().analyse_frame(
        df,
        text=text,
        published_at=published_at,
        id=id,
        clean=clean,
        n_jobs=n_jobs,
        progress=progress,
    )
