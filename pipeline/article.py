"""The article as it flows through the pipeline, with offsets into its raw text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

HEADER, BODY, BOILERPLATE, BLANK = "header", "body", "boilerplate", "blank"
T = TypeVar("T")


@dataclass
class Line:
    """One raw line: 1-based number, offsets into the raw text, and its class."""

    number: int
    start: int
    end: int
    text: str
    kind: str = ""
    label: str = ""  # header field (title, byline, ...) or boilerplate reason

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class Metadata:
    """What the header, byline and signature say about the article."""

    title: str | None = None
    subtitles: list[str] = field(default_factory=list)
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    author_emails: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    author_lines: dict[str, int] = field(default_factory=dict)  # author -> raw line
    url: str | None = None
    # Fields that came from elsewhere than the text rules: the page's markup
    # (`opengraph`, `json-ld`, `meta`, `canonical`) or the input (`given`).
    sources: dict[str, str] = field(default_factory=dict)


@dataclass
class Sentence:
    """A body sentence; ``start``/``end`` are offsets into the raw text."""

    sentence_id: int
    paragraph_id: int
    line: int
    start: int
    end: int
    text: str
    tokens: list[Any] = field(default_factory=list)  # kiwipiepy Tokens


@dataclass
class Article:
    """One input file, from raw text to analysed sentences."""

    article_id: str
    source_path: str
    raw_text: str = ""
    status: str = "ok"
    error: str = ""
    encoding: str = ""
    source: str = "text"  # what the input was: text, html or a table row
    warnings: list[str] = field(default_factory=list)  # what was mended or looks wrong
    lines: list[Line] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    sentences: list[Sentence] = field(default_factory=list)
    # Kiwi morphemes of the headline, deck and body sentences, in order, and per such
    # segment (kind, sentence id or None, raw line, first token, end token).
    tokens: list[Any] = field(default_factory=list)
    token_segments: list[tuple[str, int | None, int, int, int]] = field(default_factory=list)
    found: dict[str, Any] = field(default_factory=dict)  # results shared by extractors
    lazy_doc: Any = field(default=None, repr=False)  # pipeline.segment.LazyDoc of the tokens
    spent: float = 0.0  # seconds its own steps have taken (its time budget)

    @property
    def doc(self) -> Any:
        """The spaCy ``Doc`` of ``tokens`` (None before analysis), built on first use."""
        return self.lazy_doc.doc if self.lazy_doc is not None else None

    def line(self, number: int) -> Line:
        return self.lines[number - 1]

    def lines_of(self, kind: str) -> list[Line]:
        return [ln for ln in self.lines if ln.kind == kind]


def per_article(func: Callable[[Article], T]) -> Callable[[Article], T]:
    """Run ``func`` once per article: later calls (from other extractors) get the result
    kept in ``article.found`` under the function's name."""
    key = func.__qualname__

    @wraps(func)
    def once(article: Article) -> T:
        found = article.found
        if key not in found:
            found[key] = func(article)
        return found[key]

    return once


def split_lines(text: str) -> list[Line]:
    """Split LF-normalised text into lines with their offsets."""
    lines, start = [], 0
    for number, text_line in enumerate(text.split("\n"), start=1):
        end = start + len(text_line)
        lines.append(Line(number, start, end, text_line))
        start = end + 1
    if lines and not lines[-1].text and text.endswith("\n"):
        lines.pop()
    return lines
