"""A spaCy ``Doc`` of an analysed page whose text is the page's text, with knews's
extractions on it: ``doc.spans["knews"]`` (people, organisations, dates, quotes,
pledges), ``doc.ents`` (those that do not overlap) and ``doc.spans["sentences"]``.

Its tokens are the page's surface pieces between Kiwi's morpheme boundaries
(``말했다`` stays ``말했다``: contracted morphemes share their characters), so
``doc.text`` is the raw text and ``displacy.render(doc, style="ent")`` or
``style="span", options={"spans_key": "knews"}`` draw it. The analysis doc
(``article.doc``, morphemes with Sejong tags) is unchanged.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .article import Article
from .nlp import blank_nlp

LABELS = {"person": "PERSON", "organization": "ORG", "date": "DATE"}


def surface_doc(article: Article, rows: dict[str, list[dict[str, Any]]]) -> Doc:
    """The page as a Doc of surface tokens, with the rows' spans on it."""
    text = article.raw_text
    cuts = {0, len(text)}
    for morph in article.tokens:
        cuts.update((morph.start, morph.end))
    words, spaces = [], []
    edges = sorted(cuts)
    for start, end in zip(edges, edges[1:], strict=False):
        piece = text[start:end]
        for chunk in _split_spaces(piece):
            if chunk == " " and words and not spaces[-1] and words[-1].strip():
                spaces[-1] = True
            else:  # a word, or a line break or run of spaces in its place
                words.append(chunk)
                spaces.append(False)
    doc = Doc(blank_nlp().vocab, words=words, spaces=spaces)
    spans = []
    for row in rows.get("mentions", []):
        spans.append(_span(doc, row, LABELS.get(row.get("kind"), "MISC")))
    for table, label in (("quotes", "QUOTE"), ("pledges", "PLEDGE")):
        spans += [_span(doc, row, label) for row in rows.get(table, [])]
    spans = [s for s in spans if s is not None]
    doc.spans["knews"] = spans
    doc.ents = filter_spans([s for s in spans if s.label_ in LABELS.values()])
    doc.spans["sentences"] = [
        s for s in (_span(doc, row, "SENT") for row in rows.get("sentences", [])) if s
    ]
    return doc


def _split_spaces(piece: str) -> list[str]:
    """A piece of text as runs of non-space and of space characters."""
    out: list[str] = []
    for ch in piece:
        if out and ch.isspace() == out[-1][-1].isspace():
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _span(doc: Doc, row: dict[str, Any], label: str) -> Span | None:
    start, end = row.get("raw_start"), row.get("raw_end")
    if start is None or end is None:
        return None
    return doc.char_span(int(start), int(end), label=label, alignment_mode="expand")
