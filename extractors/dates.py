"""Dates: temporal expressions, recognised by pattern and resolved against the publication date.

Recognition (``date_parts``) finds the parts of an expression and joins them;
resolution (``date_values``) turns an expression into an ISO 8601 value given
the anchor (the article's publication date) and the last day the text named.
Word tables and examples live in ``dates.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from pipeline.article import HEADER, Article, per_article
from pipeline.byline import header_rules
from pipeline.rulefiles import rule_cache
from pipeline.tables import SPAN

from .base import Row, register
from .date_parts import Expression, PartFinder
from .date_values import DateResolver
from .rules import rules
from .text import Segment, segments

# Header lines whose dates the byline rules read (time stamps), and those read
# like body text (a programme's air date and hours).
HEADER_DATE_LABELS = ("dateline", "byline", "signature")
HEADER_TEXT_LABELS = ("programme",)


@rule_cache
def recogniser() -> PartFinder:
    return PartFinder(rules("dates"))


def anchor_of(article: Article) -> date | None:
    published = article.metadata.published_at
    return date.fromisoformat(published[:10]) if published else None


@dataclass
class DateMention:
    text: str
    value: str
    resolution: str
    start: int
    end: int
    segment: Segment | None
    rule: str = ""


@per_article
def find_dates(article: Article) -> list[DateMention]:
    """Every date of the header lines and content segments, resolved."""
    found: list[DateMention] = []
    resolver = DateResolver(anchor_of(article), rules("dates"))
    for line in article.lines:
        if line.kind != HEADER:
            continue
        if line.label in HEADER_DATE_LABELS:
            for _, value, start, end in header_rules().dates(line.text):
                text = line.text[start:end].rstrip(". ")
                s = line.start + start
                found.append(
                    DateMention(
                        text, value, "absolute", s, s + len(text), None, "header.toml:date_pattern"
                    )
                )
        elif line.label in HEADER_TEXT_LABELS:
            for item in recogniser().expressions(line.text, line.start):
                found.extend(_resolved(item, resolver, -1 - line.number, line.text, line.start))
    paragraph_of = {s.sentence_id: s.paragraph_id for s in article.sentences}
    for seg in segments(article):
        paragraph = paragraph_of.get(seg.sentence_id, -1 - seg.line)
        for item in recogniser().expressions(seg.text, seg.start):
            found.extend(_resolved(item, resolver, paragraph, seg.text, seg.start, seg))
    return found


def _resolved(
    item: Expression | tuple[Expression, Expression],
    resolver: DateResolver,
    paragraph: int,
    text: str,
    offset: int,
    seg: Segment | None = None,
) -> Iterator[DateMention]:
    """The mention of one expression or range, if it resolves; ``text`` starts at ``offset``."""
    if isinstance(item, tuple):
        first, last = item
        if resolved := resolver.resolve_range(first, last, paragraph):
            raw = text[first.start - offset : last.end - offset]
            rule = f"dates.toml:{first.rule}+range"
            yield DateMention(raw, *resolved, first.start, last.end, seg, rule)
        return
    resolved = resolver.resolve(item, paragraph)
    if resolved:
        yield DateMention(
            item.text,
            resolved[0],
            resolved[1],
            item.start,
            item.end,
            seg,
            f"dates.toml:{item.rule}",
        )


@register
class DatesExtractor:
    """Rows of the ``dates`` table: one per temporal expression."""

    name = "dates"
    columns = {
        "sentence_id": "int",
        "text": "str",
        "value": "str",
        "resolution": "str",
        "rule": "str",
        **SPAN,
    }

    def extract(self, article: Article) -> Iterable[Row]:
        for d in find_dates(article):
            yield {
                "sentence_id": d.segment.sentence_id if d.segment else None,
                "text": d.text,
                "value": d.value,
                "resolution": d.resolution,
                "rule": d.rule,
                "raw_line": article.raw_text.count("\n", 0, d.start) + 1,
                "raw_start": d.start,
                "raw_end": d.end,
            }


def dates_in_text(text: str, anchor: date | None = None) -> list[tuple[str, str]]:
    """(text, value) of every date in one plain text: the examples' entry point."""
    resolver = DateResolver(anchor, rules("dates"))
    out = []
    for item in recogniser().expressions(text):
        if isinstance(item, tuple):
            if resolved := resolver.resolve_range(*item, 0):
                out.append((text[item[0].start : item[1].end], resolved[0]))
        elif resolved := resolver.resolve(item, 0):
            out.append((item.text, resolved[0]))
    return out
