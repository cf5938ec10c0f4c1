"""Articles from raw text to table rows: clean -> segment -> analyse -> extract.

``process_many`` gives the rows of many articles back in input order: in
batches whose paragraphs Kiwi analyses in a row, or, when Kiwi has its own
thread (``KNEWS_KIWI_THREADS=1``), streamed through one Kiwi call that
analyses the next articles while Python extracts.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from extractors.base import Extractor

from . import budget, nlp
from .article import BLANK, BODY, BOILERPLATE, HEADER, Article, split_lines
from .ingest import RawArticle
from .layout import PageReader
from .nlp import analyse_each, analyse_texts
from .segment import attach, segment, texts_to_analyse

Rows = dict[str, list[dict[str, Any]]]
# Articles per batch when Kiwi analyses in the calling thread (see `process_many`).
KIWI_BATCH = 32
# A small page that exercises every stage, to load what each loads on first use.
WARM_UP = RawArticle(
    "warm-up",
    "warm-up",
    '제목\n\n홍길동 기자\n\n2024년 1월 2일 서울시는 "시민을 위해 일하겠다"고 밝혔다.\n',
)


class ArticleProcessor:
    """Holds the rules and extractors of a process; one instance serves many articles."""

    def __init__(self, extractors: Sequence[Extractor], reader: PageReader | None = None) -> None:
        self.extractors = list(extractors)
        self.reader = reader or PageReader()
        self.warm = False

    # -- stages ----------------------------------------------------------------------
    def clean(
        self, raw: RawArticle, *, clean: bool = True, published_at: str | None = None
    ) -> Article:
        """Classify the lines and read the metadata (no morphology yet).

        ``clean=False`` takes every non-blank line as body (text that is already
        clean); ``published_at`` anchors relative dates when the text has no date.
        """
        article = Article(
            raw.article_id, raw.source_path, raw.text, raw.status, raw.error, raw.encoding,
            raw.source,
        )  # fmt: skip
        article.metadata.url = raw.url
        article.warnings = list(raw.warnings)
        if raw.status != "ok":
            return article
        article.lines = split_lines(raw.text)
        if clean:
            article.metadata = self.reader.read(article.lines)
            article.metadata.url = raw.url
            check_shape(article)
        else:
            for line in article.lines:
                line.kind, line.label = (BODY, "paragraph") if line.stripped else (BLANK, "blank")
        if raw.markup is not None:
            from .html import merge_markup

            merge_markup(article.metadata, raw.markup)
        if published_at and not article.metadata.published_at:
            article.metadata.published_at = published_at
            article.metadata.sources["published_at"] = "given"
        return article

    def analyse(
        self, raw: RawArticle, *, clean: bool = True, published_at: str | None = None
    ) -> Article:
        """Clean and segment one article (no extraction)."""
        article = self.clean(raw, clean=clean, published_at=published_at)
        if article.status == "ok":
            segment(article)
        return article

    def extract(self, article: Article) -> Rows:
        """The rows of every extractor for an analysed article."""
        return {
            e.name: [{"article_id": article.article_id, **row} for row in e.extract(article)]
            for e in self.extractors
        }

    def warm_up(self) -> None:
        """Load Kiwi, spaCy and every rule the extractors use, by processing a small page
        (outside any article's time budget)."""
        if self.warm:
            return
        self.warm = True
        saved, budget.seconds = budget.seconds, 0
        try:
            self.process(WARM_UP)
        finally:
            budget.seconds = saved

    # -- whole articles ------------------------------------------------------------------
    def process(self, raw: RawArticle) -> Rows:
        """All table rows of one article; a failing step becomes an error row.

        Kiwi is called directly, without the hand-off to its thread that pays off
        only when there are further articles to analyse ahead.
        """
        self.warm_up()
        return self._finish(*self._analysed(self._cleaned(raw)))

    def process_many(self, raws: Iterable[RawArticle]) -> Iterator[Rows]:
        """Rows of each article, in input order.

        Without a Kiwi thread, articles go in batches of ``KIWI_BATCH``: clean them, let
        Kiwi analyse all their paragraphs in a row, then extract. Kiwi's model and the
        rules' code stay in the CPU's caches through each phase instead of evicting each
        other at every article; a page Kiwi fails on becomes an error row. With a thread,
        Kiwi analyses ahead as Python extracts, and a Kiwi failure ends the stream.
        """
        self.warm_up()
        if nlp.KIWI_THREADS == 0:
            yield from self._process_batched(raws)
        else:
            yield from self._process_streamed(raws)

    def _process_batched(self, raws: Iterable[RawArticle]) -> Iterator[Rows]:
        raws = iter(raws)
        while batch := list(islice(raws, KIWI_BATCH)):
            cleaned = [self._cleaned(raw) for raw in batch]
            analysed = [self._analysed(article) for article in cleaned]
            for article, result in analysed:
                yield self._finish(article, result)

    def _analysed(self, article: Article) -> tuple[Article, list]:
        """The article with Kiwi's sentences for its texts (an error article if Kiwi fails)."""
        if article.status != "ok":
            return article, []
        try:
            with budget.step(article):
                return article, analyse_each(texts_to_analyse(article))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop a run
            return failed(_raw_of(article), exc), []

    def _process_streamed(self, raws: Iterable[RawArticle]) -> Iterator[Rows]:
        pending: deque[tuple[Article, int]] = deque()

        def paragraphs() -> Iterator[str]:
            for raw in raws:
                article = self._cleaned(raw)
                texts = texts_to_analyse(article) if article.status == "ok" else []
                pending.append((article, len(texts)))
                yield from texts

        analysed = analyse_texts(paragraphs())
        carried: deque = deque()
        exhausted = False
        while True:
            if not pending and not exhausted:
                try:
                    carried.append(next(analysed))  # makes Kiwi read further input
                except StopIteration:
                    exhausted = True
            if not pending:
                if exhausted:
                    return
                continue
            article, count = pending.popleft()
            results = [carried.popleft() if carried else next(analysed) for _ in range(count)]
            yield self._finish(article, results)

    def _cleaned(self, raw: RawArticle) -> Article:
        started = time.monotonic()
        try:
            with budget.within():
                article = self.clean(raw, clean=raw.clean, published_at=raw.anchor)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop a run
            article = failed(raw, exc)
        article.spent = time.monotonic() - started
        return article

    def _finish(self, article: Article, analysed: list) -> Rows:
        try:
            with budget.step(article):
                if article.status == "ok":
                    attach(article, analysed)
                rows = self._rows(article)
                if article.status == "ok":
                    rows.update(self.extract(article))
                return rows
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop a run
            return {"articles": [article_row(failed(_raw_of(article), exc))]}

    def _rows(self, article: Article) -> Rows:
        aid = article.article_id
        sentences = [
            {
                "article_id": aid,
                "sentence_id": s.sentence_id,
                "paragraph_id": s.paragraph_id,
                "raw_line": s.line,
                "raw_start": s.start,
                "raw_end": s.end,
                "text": s.text,
            }
            for s in article.sentences
        ]
        boilerplate = [
            {
                "article_id": aid,
                "raw_line": ln.number,
                "raw_start": ln.start,
                "raw_end": ln.end,
                "text": ln.text,
                "reason": ln.label,
            }
            for ln in article.lines
            if ln.kind in (BOILERPLATE, BLANK)
        ]
        lines = [
            {
                "article_id": aid,
                "raw_line": ln.number,
                "raw_start": ln.start,
                "raw_end": ln.end,
                "kind": ln.kind,
                "label": ln.label,
                "text": ln.text,
            }
            for ln in article.lines
        ]
        return {
            "articles": [article_row(article)],
            "sentences": sentences,
            "boilerplate": boilerplate,
            "lines": lines,
        }


# A headline or deck line longer than this is text the page reader could not place
# (a page without line breaks, a run of digits), not a headline.
TITLE_MAX, SUBTITLE_MAX = 200, 300
# A page of at least this many characters whose body is under this share of them
# is worth a look: mostly furniture the rules did not recognise, or no article.
SMALL_BODY_PAGE, SMALL_BODY_SHARE = 2000, 0.02


def check_shape(article: Article) -> None:
    """Turn implausible headlines and decks into body, and warn of a tiny body."""
    meta, lines = article.metadata, article.lines
    content = [ln for ln in lines if ln.kind != BLANK]
    for line in lines:
        if line.kind != HEADER or line.label not in ("title", "subtitle"):
            continue
        limit = TITLE_MAX if line.label == "title" else SUBTITLE_MAX
        alone = len(content) == 1  # a page of one line is its body, not its headline
        if len(line.stripped) > limit or alone:
            if line.label == "title":
                meta.title = None
            elif line.stripped in meta.subtitles:
                meta.subtitles.remove(line.stripped)
            if not alone:
                article.warnings.append(
                    f"line {line.number}: a {line.label} of {len(line.stripped)} characters "
                    "was read as body"
                )
            line.kind, line.label = BODY, "paragraph"
    body = sum(len(ln.stripped) for ln in lines if ln.kind == BODY)
    total = sum(len(ln.stripped) for ln in content)
    if total >= SMALL_BODY_PAGE and body < SMALL_BODY_SHARE * total:
        article.warnings.append(
            f"the body is {body} of the page's {total} characters: mostly furniture the "
            "rules did not recognise, or no article"
        )


def _raw_of(article: Article) -> RawArticle:
    """What an error row of an article that failed after reading keeps of it."""
    return RawArticle(
        article.article_id, article.source_path, encoding=article.encoding,
        source=article.source, url=article.metadata.url, warnings=tuple(article.warnings),
    )  # fmt: skip


def failed(raw: RawArticle, exc: Exception) -> Article:
    """An error article for a step that raised."""
    article = Article(
        raw.article_id,
        raw.source_path,
        status="error",
        error=f"{type(exc).__name__}: {exc}",
        encoding=raw.encoding,
        source=raw.source,
        warnings=list(raw.warnings),
    )
    article.metadata.url = raw.url
    return article


def article_row(article: Article) -> dict[str, Any]:
    meta = article.metadata
    return {
        "article_id": article.article_id,
        "source_path": article.source_path,
        "title": meta.title,
        "subtitles": meta.subtitles,
        "outlet": meta.outlet,
        "authors": meta.authors,
        "author_emails": meta.author_emails,
        "published_at": meta.published_at,
        "modified_at": meta.modified_at,
        "n_sentences": len(article.sentences),
        "status": article.status,
        "error": article.error or None,
        "encoding": article.encoding or None,
        "url": meta.url,
        "source": article.source,
        "metadata_source": [f"{name}:{source}" for name, source in meta.sources.items()],
        "warnings": list(article.warnings),
    }
