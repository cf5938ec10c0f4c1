"""Split body paragraphs into sentences and morphemes with Kiwi, in one pass."""

from __future__ import annotations

import regex
from spacy.tokens import Doc

from .article import BODY, HEADER, Article, Line, Sentence
from .nlp import Morph, analyse_texts, blank_nlp, build_doc, morphs_of

# A link to another story glued to the end of a paragraph (`… ☞ [관련 기사] …`).
INLINE_TRAILER = regex.compile(r"(?:☞|▶\s*관련|\[관련\s*기사\]).*$")  # spaces before: rstrip
OPENERS, CLOSERS = "“‘「『", "”’」』"
CONTENT_LABELS = ("title", "subtitle")
SEGMENTS_KEY = "knews_segments"


def paragraph_span(line: Line) -> tuple[int, int]:
    """Raw offsets of a body line's text, without edge spaces or a trailing link."""
    text = line.text
    m = INLINE_TRAILER.search(text)
    end = m.start() if m and text[: m.start()].strip() else len(text)
    stripped = text[:end].rstrip()
    lead = len(stripped) - len(stripped.lstrip())
    return line.start + lead, line.start + len(stripped)


WORDLIKE = regex.compile(r"[\p{L}\p{N}]")


def _open_quote(text: str) -> bool:
    """True when the text opens a quotation that it does not close."""
    curly = sum(text.count(c) for c in OPENERS) > sum(text.count(c) for c in CLOSERS)
    return curly or text.count('"') % 2 == 1


def _merge_open_quotes(parts: list[tuple[int, int, list[Morph]]], raw: str):
    """Kiwi may split inside one quoted utterance, or make a sentence of the emoji after
    one; join such pieces to the sentence before."""
    merged: list[tuple[int, int, list[Morph]]] = []
    for start, end, morphs in parts:
        open_quote = merged and _open_quote(raw[merged[-1][0] : merged[-1][1]])
        if open_quote or merged and not WORDLIKE.search(raw[start:end]):  # `…밝혔다. 😀`
            prev_start, _, prev_morphs = merged[-1]
            merged[-1] = (prev_start, end, prev_morphs + morphs)
        else:
            merged.append((start, end, morphs))
    return merged


def segment(article: Article) -> None:
    """Fill ``article.sentences`` and the tokens of ``article.doc`` from its headline,
    deck and body."""
    texts = texts_to_analyse(article)
    analysed = list(analyse_texts(texts))
    attach(article, analysed)


def _content_lines(article: Article) -> tuple[list[Line], list[Line]]:
    header = [ln for ln in article.lines if ln.kind == HEADER and ln.label in CONTENT_LABELS]
    body = [ln for ln in article.lines if ln.kind == BODY]
    return header, body


def texts_to_analyse(article: Article) -> list[str]:
    """The headline, deck and body paragraphs Kiwi must analyse, in order."""
    header, body = _content_lines(article)
    return [article.raw_text[s:e] for s, e in map(paragraph_span, header + body)]


def attach(article: Article, analysed: list) -> None:
    """Build sentences and the doc's tokens from Kiwi's sentences for ``texts_to_analyse``.

    The tokens, and the doc built from them on first use (``LazyDoc``), also
    hold the headline and deck (before the body) so that extractors find people,
    dates and quotes there; ``article.token_segments`` (and the doc's
    ``user_data``) list, per segment, its kind, sentence id (body only), raw line
    and token range.
    """
    raw = article.raw_text
    header, body = _content_lines(article)
    spans = [paragraph_span(ln) for ln in header + body]
    segments: list[tuple[str, int | None, int]] = []
    header_morphs: list[list[Morph]] = []
    header_items = zip(header, spans[: len(header)], analysed[: len(header)], strict=True)
    for line, (p_start, _), kiwi_sents in header_items:
        morphs = [m for s in kiwi_sents for m in morphs_of(s.tokens, p_start)]
        if morphs:
            header_morphs.append(morphs)
            segments.append((line.label, None, line.number))
    sentences: list[Sentence] = []
    body_items = zip(body, spans[len(header) :], analysed[len(header) :], strict=True)
    for paragraph_id, (line, (p_start, _), kiwi_sents) in enumerate(body_items):
        parts = []
        for s in kiwi_sents:
            start, end = p_start + s.start, p_start + s.end
            while end > start and raw[end - 1].isspace():
                end -= 1
            if end > start:
                parts.append((start, end, morphs_of(s.tokens, p_start)))
        for start, end, morphs in _merge_open_quotes(parts, raw):
            sentence_id = len(sentences)
            text = raw[start:end]
            sentences.append(
                Sentence(sentence_id, paragraph_id, line.number, start, end, text, morphs)
            )
    article.sentences = sentences
    headings = {ln.number for ln in body if ln.label == "heading"}
    segments += [
        ("heading" if s.line in headings else "body", s.sentence_id, s.line) for s in sentences
    ]
    morphs = header_morphs + [s.tokens for s in sentences]
    # Each doc sentence's token range, so readers need not walk `doc.sents`.
    bounds, start = [], 0
    for sentence_morphs in morphs:
        bounds.append((start, start + len(sentence_morphs)))
        start += len(sentence_morphs)
    segments = [(*info, *span) for info, span in zip(segments, bounds, strict=True)]
    article.tokens = [m for sentence_morphs in morphs for m in sentence_morphs]
    article.token_segments = segments
    article.lazy_doc = LazyDoc(article.tokens, segments, raw)


class LazyDoc:
    """The spaCy doc of an article's tokens, built on first use: most pages need no
    spaCy matcher, and building a doc costs as much as running a rule. Segments hold
    this instead of the article, so that no reference cycle keeps articles alive."""

    __slots__ = ("tokens", "segments", "text", "_doc")

    def __init__(self, tokens: list[Morph], segments: list[tuple], text: str) -> None:
        self.tokens, self.segments, self.text = tokens, segments, text
        self._doc: Doc | None = None

    @property
    def doc(self) -> Doc:
        if self._doc is None:
            sentences = [self.tokens[first:end] for *_, first, end in self.segments]
            self._doc = build_doc(blank_nlp().vocab, sentences, self.text)
            self._doc.user_data[SEGMENTS_KEY] = self.segments
        return self._doc
