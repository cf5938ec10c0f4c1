"""knews from Python: analyse texts and DataFrames without files.

    from pipeline import analyse, analyse_frame

    tables = analyse(text, published_at="2024-05-20")
    tables["quotes"]
    tables = analyse(html=page)                     # a saved HTML page
    tables = analyse_frame(crawl, html="html")      # a DataFrame of crawled pages

The functions run the same processor as ``knews run`` and return the same
tables, as pandas DataFrames with the dtypes of ``pipeline.load``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.tokens import Doc

from extractors.base import create_all, load_plugin

from .entity_table import ENTITY_COLUMNS, EntityBook
from .ingest import RawArticle, article_from_html, iso, normalised
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
        self.columns["entities"] = ENTITY_COLUMNS

    def analyse(
        self,
        text: Any = None,
        *,
        html: str | bytes | None = None,
        url: str | None = None,
        published_at: Any = None,
        article_id: str | None = None,
        clean: bool = True,
    ) -> Tables:
        """Every table for one text, or for one HTML page (``html=``).

        ``clean=False`` treats the whole text as body (a sentence or paragraph
        that is already clean); ``published_at`` (ISO text, ``datetime``,
        ``date`` or ``Timestamp``) anchors relative dates when the page has no
        date of its own. A page is rendered to text as ``knews run`` renders
        ``.html`` files, and its markup's title, date, authors, outlet and URL
        come first. A text that is not a string, or is empty, gives an
        ``articles`` row with status ``error``/``empty`` and empty tables.
        """
        article_id = article_id or ("html" if html is not None else "text")
        anchor = iso(published_at, article_id)
        if html is not None:
            raw = html_raw(html, article_id, anchor, url)
        else:
            raw = to_raw(text, article_id, anchor, clean, url)
        return self._frames([self.processor.process(raw)])

    def doc(
        self,
        text: Any = None,
        *,
        html: str | bytes | None = None,
        published_at: Any = None,
        clean: bool = True,
    ) -> Doc:
        """A spaCy Doc of one page: its text as it was read, knews's people,
        organisations and dates as ``doc.ents``, every extraction (quotes and pledges
        too) on ``doc.spans["knews"]``, its body sentences on ``doc.spans["sentences"]``;
        for ``displacy.render``. See ``pipeline.spacy_view``."""
        from .spacy_view import surface_doc

        anchor = iso(published_at, "doc")
        raw = (
            html_raw(html, "doc", anchor, None)
            if html is not None
            else to_raw(text, "doc", anchor, clean)
        )
        article = self.processor.analyse(raw, clean=raw.clean, published_at=raw.anchor)
        rows = self.processor.extract(article) if article.status == "ok" else {}
        rows["sentences"] = [{"raw_start": s.start, "raw_end": s.end} for s in article.sentences]
        return surface_doc(article, rows)

    def analyse_frame(
        self,
        df: pd.DataFrame,
        text: str = "text",
        published_at: str | None = None,
        id: str | None = None,  # noqa: A002 - the name users pass
        clean: bool = True,
        n_jobs: int = 1,
        progress: bool = True,
        html: str | None = None,
        url: str | None = None,
    ) -> Tables:
        """Every table for every row of ``df``: the row's id (column ``id``, else
        the index) becomes ``article_id``. ``html`` names a column of HTML pages
        (read instead of ``text`` where a row has one), ``url`` a column of
        their addresses. Rows stream through in batches."""
        for column in (text if html is None else None, published_at, id, html, url):
            if column is not None and column not in df.columns:
                raise KeyError(
                    f"no column {column!r} in the DataFrame ({', '.join(map(str, df.columns))})"
                )
        n = len(df)
        ids = df[id] if id else df.index
        anchors = df[published_at] if published_at else [None] * n
        texts = df[text] if text in df.columns else [None] * n
        pages = df[html] if html else [None] * n
        urls = df[url] if url else [None] * n

        def raw_of(t: Any, page: Any, i: Any, a: Any, u: Any) -> RawArticle:
            address = u if isinstance(u, str) and u else None
            if isinstance(page, str | bytes) and page:
                return html_raw(page, str(i), iso(a, i), address)
            return to_raw(t, str(i), iso(a, i), clean, address)

        raws = (raw_of(*row) for row in zip(texts, pages, ids, anchors, urls, strict=True))
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
        book = EntityBook()
        for n, article_rows in enumerate(rows, start=1):
            book.add(article_rows)
            for table, table_rows in article_rows.items():
                pending[table] += table_rows
            if n % BATCH == 0:
                for table, table_rows in pending.items():
                    if table_rows:
                        parts[table].append(frame_of(table_rows, self.columns.get(table, {})))
                pending.clear()
        pending["entities"] = book.rows()
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


def to_raw(
    text: Any, article_id: str, anchor: str | None, clean: bool, url: str | None = None
) -> RawArticle:
    """A text as an article to process; what is not text becomes a status row."""
    source = "<python>"
    if not isinstance(text, str):
        if text is None or isinstance(text, float) and math.isnan(text):
            return RawArticle(article_id, source, status="empty", error="no text", url=url)
        kind = type(text).__name__
        return RawArticle(article_id, source, status="error", error=f"text is a {kind}", url=url)
    text, notes = normalised(text)
    if not text.strip():
        return RawArticle(article_id, source, text, status="empty", error="text is empty", url=url)
    return RawArticle(
        article_id, source, text, "str", clean=clean, anchor=anchor, url=url, warnings=tuple(notes)
    )


def html_raw(page: str | bytes, article_id: str, anchor: str | None, url: str | None) -> RawArticle:
    """An HTML page as an article to process (rendered, with its markup's facts)."""
    return article_from_html(page, article_id, "<python>", url=url, anchor=anchor)


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
    text: Any = None,
    *,
    html: str | bytes | None = None,
    url: str | None = None,
    published_at: Any = None,
    article_id: str | None = None,
    clean: bool = True,
) -> dict[str, pd.DataFrame]:
    """Every table for one text or HTML page; see ``Pipeline.analyse``."""
    return default_pipeline().analyse(
        text, html=html, url=url, published_at=published_at, article_id=article_id, clean=clean
    )


def doc(
    text: Any = None,
    *,
    html: str | bytes | None = None,
    published_at: Any = None,
    clean: bool = True,
) -> Doc:
    """A spaCy Doc of one page with knews's extractions; see ``Pipeline.doc``."""
    return default_pipeline().doc(text, html=html, published_at=published_at, clean=clean)


def analyse_frame(
    df: pd.DataFrame,
    text: str = "text",
    published_at: str | None = None,
    id: str | None = None,
    clean: bool = True,
    n_jobs: int = 1,  # noqa: A002
    progress: bool = True,
    html: str | None = None,
    url: str | None = None,
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
        html=html,
        url=url,
    )
