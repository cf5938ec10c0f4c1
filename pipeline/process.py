"""One article from raw text to table rows: clean -> segment -> analyse -> extract."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from extractors.base import Extractor

from .article import BLANK, BODY, BOILERPLATE, Article, split_lines
from .ingest import RawArticle
from .layout import PageReader
from .segment import segment

Rows = dict[str, list[dict[str, Any]]]


class ArticleProcessor:
    """Holds the rules and extractors of a process; ``process`` is per article."""

    def __init__(self, extractors: Sequence[Extractor], reader: PageReader | None = None) -> None:
        self.extractors = list(extractors)
        self.reader = reader or PageReader()

    def analyse(
        self, raw: RawArticle, *, clean: bool = True, published_at: str | None = None
    ) -> Article:
        """Clean and segment one article (no extraction).

        ``clean=False`` takes every non-blank line as body (text that is already
        clean); ``published_at`` anchors relative dates when the text has no date.
        """
        article = Article(
            raw.article_id, raw.source_path, raw.text, raw.status, raw.error, raw.encoding
        )
        if raw.status != "ok":
            return article
        article.lines = split_lines(raw.text)
        if clean:
            article.metadata = self.reader.read(article.lines)
        else:
            for line in article.lines:
                line.kind, line.label = (BODY, "paragraph") if line.stripped else (BLANK, "blank")
        if published_at and not article.metadata.published_at:
            article.metadata.published_at = published_at
        segment(article)
        return article

    def extract(self, article: Article) -> Rows:
        """The rows of every extractor for an analysed article."""
        return {
            e.name: [{"article_id": article.article_id, **row} for row in e.extract(article)]
            for e in self.extractors
        }

    def process(self, raw: RawArticle) -> Rows:
        """All table rows of one article; a failing step becomes an error row."""
        try:
            article = self.analyse(raw)
            rows = self._rows(article)
            rows.update(self.extract(article))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop a run
            failed = Article(
                raw.article_id,
                raw.source_path,
                status="error",
                error=f"{type(exc).__name__}: {exc}",
                encoding=raw.encoding,
            )
            return {"articles": [article_row(failed)]}
        return rows

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
        return {
            "articles": [article_row(article)],
            "sentences": sentences,
            "boilerplate": boilerplate,
        }


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
    }
