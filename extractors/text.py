"""A word-level view of an analysed article for the rule-based extractors.

Korean writes a noun and its particles as one space-separated word (eojeol):
``대통령은`` is the noun ``대통령`` and the topic particle ``은``. Rules mostly
reason about such words, so each doc sentence becomes a ``Segment`` of
``Word``s built from the spaCy tokens (Kiwi morphemes with their tags and raw
offsets). ``Word.core`` is the word without trailing particles, endings and
punctuation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex
from spacy.tokens import Doc, Span

from pipeline.article import BODY, Article, per_article
from pipeline.byline import header_rules
from pipeline.nlp import Morph
from pipeline.segment import LazyDoc

WORD = regex.compile(r"[^\s·]+")
# Tags that end a word's core: particles, endings, copula, punctuation.
PUNCT_TAGS = ("SF", "SP", "SS", "SE", "SO", "SW")
TRAILING_TAGS = ("J", "E", "VCP", "XSV", "XSA", *PUNCT_TAGS)


class Word:
    """One space-separated word with its morphemes; offsets are into the raw text.

    ``core`` is the word without edge punctuation and trailing particles
    (``대통령은`` -> ``대통령``), at raw ``core_start``..``core_end``; ``particle``
    is what follows the core.
    """

    __slots__ = ("text", "start", "end", "morphs", "core_start", "core_end", "core", "particle")

    def __init__(self, text: str, start: int, end: int, morphs: list[Morph]) -> None:
        self.text, self.start, self.end, self.morphs = text, start, end, morphs
        self.core_start, self.core_end = _core(text, start, morphs)
        self.core = text[self.core_start - start : self.core_end - start]
        self.particle = text[self.core_end - start :]

    def __repr__(self) -> str:
        return f"Word({self.text!r}, {self.start}, {self.end})"

    def has_tag(self, *prefixes: str) -> bool:
        return any(m.tag.startswith(prefixes) for m in self.morphs)

    @property
    def core_morphs(self) -> list[Morph]:
        """The morphemes of the core (``데이아나(프랑스)`` -> those of ``데이아나``)."""
        return [m for m in self.morphs if m.start < self.core_end and m.end > self.core_start]


@dataclass
class Segment:
    """A headline, deck line or body sentence, as words."""

    kind: str  # title / subtitle / body
    sentence_id: int | None
    line: int
    start: int
    end: int
    text: str
    words: list[Word]
    source: LazyDoc | None = field(default=None, repr=False)
    tokens: tuple[int, int] = (0, 0)  # the segment's token range in the article's doc

    @property
    def doc(self) -> Doc | None:
        """The article's spaCy doc (built on first use)."""
        return self.source.doc if self.source is not None else None

    @property
    def span(self) -> Span | None:
        """The segment as a spaCy ``Span`` of the article's doc (for spaCy's matchers)."""
        doc = self.doc
        return doc[self.tokens[0] : self.tokens[1]] if doc is not None else None

    def words_between(self, start: int, end: int) -> list[Word]:
        return [w for w in self.words if w.start >= start and w.end <= end]


@cache
def _is_punct(tag: str) -> bool:
    return tag.startswith(PUNCT_TAGS)


@cache
def _is_trailing(tag: str) -> bool:
    return tag.startswith(TRAILING_TAGS)


def _core(text: str, offset: int, morphs: list[Morph]) -> tuple[int, int]:
    """Raw offsets of a word's noun core: no edge punctuation, no trailing particles."""
    first, count = 0, len(morphs)  # the morphemes are already clipped to the word
    while first < count and _is_punct(morphs[first].tag):
        first += 1
    if first == count:
        return offset, offset
    start, end = morphs[first].start, morphs[first].end
    for m in morphs[first + 1 :]:
        if _is_trailing(m.tag):
            break
        if m.end > end:
            end = m.end
    core = text[start - offset : end - offset]
    trimmed = core.rstrip("\"'”’」』,.:;!?…·")
    return start, start + len(trimmed)


def words_of(text: str, offset: int, morphs: list[Morph]) -> list[Word]:
    """Split ``text`` (at raw ``offset``) into words and give each its morphemes."""
    words = []
    index, count = 0, len(morphs)
    for m in WORD.finditer(text):
        start, end = offset + m.start(), offset + m.end()
        while index < count and morphs[index].end <= start:
            index += 1
        own = []
        i = index
        while i < count and (morph := morphs[i]).start < end:
            if morph.start >= start and morph.end <= end:
                own.append(morph)
            elif morph.end > start:
                # Kiwi may give one morpheme to a name of two words (`조르자 멜로니`): clip it.
                own.append(morph._replace(start=max(morph.start, start), end=min(morph.end, end)))
            i += 1
        words.append(Word(m.group(), start, end, own))
    return words


@per_article
def segments(article: Article) -> list[Segment]:
    """Every content segment of the article (headline, deck, body sentences)."""
    result: list[Segment] = []
    all_morphs, lazy = article.tokens, article.lazy_doc
    for kind, sentence_id, line, first, last in article.token_segments:
        morphs = all_morphs[first:last]
        if not morphs:
            continue
        start = morphs[0].start  # Kiwi gives morphemes in text order
        end = max(m.end for m in morphs)
        text = article.raw_text[start:end]
        words = words_of(text, start, morphs)
        result.append(
            Segment(kind, sentence_id, line, start, end, text, words, lazy, (first, last))
        )
    return result


def dateline_spans(article: Article) -> list[tuple[int, int]]:
    """Raw spans of datelines opening body paragraphs (``[CWN 소미연 기자]``)."""
    rules = header_rules()
    spans = []
    for line in article.lines:
        if line.kind == BODY and (length := rules.dateline_end(line.text)):
            spans.append((line.start, line.start + length))
    return spans


def span_row(article: Article, seg: Segment | None, start: int, end: int) -> dict:
    """Provenance columns of a span: sentence id, raw line and offsets."""
    line = article.raw_text.count("\n", 0, start) + 1
    return {
        "sentence_id": seg.sentence_id if seg else None,
        "raw_line": line,
        "raw_start": start,
        "raw_end": end,
    }
