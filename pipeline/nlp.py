"""Kiwi morphology held in spaCy docs.

Kiwi is loaded once per process (``kiwi()``). ``build_doc`` turns Kiwi's
morphemes into a spaCy ``Doc``: one token per morpheme with its surface form,
Sejong tag (``token.tag_``) and lemma, sentence starts set, and every token's
offsets into the article's raw text (``token._.raw_start`` / ``raw_end``).
``KiwiTokenizer`` does the same for plain text and is registered as
``knews.KiwiTokenizer.v1`` so ``spacy.blank("ko", config=...)`` can build it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import NamedTuple

import numpy
import regex
import spacy
from kiwipiepy import Kiwi
from spacy.attrs import LEMMA, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

MORPHS_KEY = "knews_morphs"


class Morph(NamedTuple):
    """One Kiwi morpheme with offsets into the raw text."""

    form: str
    tag: str
    lemma: str
    start: int
    end: int


# Kiwi's own analysis threads in this process. 0 (the default): Kiwi analyses in the
# calling thread, so a process uses one core, `-j N` uses N, and forking a process that
# has loaded Kiwi is safe. 1 lets Kiwi analyse the next texts in its own thread while
# Python extracts: a single process then uses more than one core. Set before `kiwi()`.
KIWI_THREADS = int(os.environ.get("KNEWS_KIWI_THREADS", "0"))


# Sentences with their tokens, in one pass; no sub-sentences (quoted clauses), which
# Kiwi's wrapper would gather token by token in Python and knews does not use.
SPLIT = {"return_tokens": True, "return_sub_sents": False}


@cache
def kiwi() -> Kiwi:
    """The process's one Kiwi analyser."""
    if KIWI_THREADS == 0:
        warnings.filterwarnings("ignore", message="behavior of `num_workers=0`")
    return Kiwi(num_workers=KIWI_THREADS)


def analyse_each(texts: list[str]) -> list[list]:
    """Kiwi's sentences for a few texts, analysed right here (no thread hand-off)."""
    analyser = kiwi()
    return [analyse_one(analyser, text) for text in texts]


# Characters Kiwi gets in one call: a longer paragraph (a page without line breaks) goes
# in pieces cut at a space, after a sentence's end where there is one, so that a time
# budget can stop between pieces and no single call runs for minutes.
PIECE = 4000
PIECE_CUT = regex.compile(r"\s+")


class PieceSentence:
    """A Kiwi sentence of one piece of a long text, its offsets into the whole text."""

    __slots__ = ("start", "end", "tokens")

    def __init__(self, sentence, offset: int) -> None:
        self.start, self.end = sentence.start + offset, sentence.end + offset
        self.tokens = [PieceToken(t, offset) for t in sentence.tokens]


class PieceToken:
    __slots__ = ("form", "tag", "lemma", "start", "len")

    def __init__(self, token, offset: int) -> None:
        self.form, self.tag, self.lemma = token.form, token.tag, token.lemma
        self.start, self.len = token.start + offset, token.len


def pieces(text: str, size: int = PIECE) -> list[tuple[int, str]]:
    """(offset, piece) of a text cut into pieces of at most about ``size`` characters."""
    out, start = [], 0
    while len(text) - start > size:
        window = text[start : start + size]
        cuts = [m for m in PIECE_CUT.finditer(window) if m.start() > size // 2]
        sentence_ends = [
            m for m in cuts if m.start() > 0 and window[m.start() - 1] in ".?!。'\"’”)"
        ]
        cut = (sentence_ends or cuts or [None])[-1]
        end = start + (cut.end() if cut else size)
        out.append((start, text[start:end]))
        start = end
    out.append((start, text[start:]))
    return out


def analyse_one(analyser: Kiwi, text: str) -> list:
    """Kiwi's sentences of one text, a long one analysed piece by piece."""
    if len(text) <= PIECE:
        return analyser.split_into_sents(text, **SPLIT)
    return [
        PieceSentence(sentence, offset)
        for offset, piece in pieces(text)
        for sentence in analyser.split_into_sents(piece, **SPLIT)
    ]


def analyse_texts(texts: Iterable[str]) -> Iterator[list]:
    """Kiwi's sentences (with tokens) for each text, in order; streamed ahead when threaded."""
    analyser = kiwi()
    if KIWI_THREADS == 0:
        return (analyse_one(analyser, text) for text in texts)
    return iter(analyser.split_into_sents(texts, **SPLIT))


@cache
def sejong_tag(tag: str) -> str:
    """Kiwi marks irregular conjugation as ``VV-R``/``VA-I``; keep the Sejong tag."""
    return tag.split("-", 1)[0]


_morph = tuple.__new__  # builds a Morph without NamedTuple's Python-level __new__


def morphs_of(tokens: Iterable, offset: int) -> list[Morph]:
    """Kiwi tokens as ``Morph``s, shifted by ``offset`` into the raw text."""
    out = []
    for t in tokens:
        start, form = offset + t.start, t.form
        out.append(_morph(Morph, (form, sejong_tag(t.tag), t.lemma or form, start, start + t.len)))
    return out


def _raw_offset(token: Token, which: int) -> int:
    return token.doc.user_data[MORPHS_KEY][token.i][which]


for _name, _which in (("raw_start", 3), ("raw_end", 4)):
    if not Token.has_extension(_name):
        Token.set_extension(_name, getter=lambda t, w=_which: _raw_offset(t, w))


def build_doc(vocab: Vocab, sentences: Sequence[Sequence[Morph]], text: str) -> Doc:
    """A Doc of morpheme tokens; ``text`` is what the offsets point into."""
    morphs = [m for sentence in sentences for m in sentence]
    spaces, starts = [], []
    end_of_text = len(text)
    for sentence in sentences:
        last = len(sentence) - 1
        for i, m in enumerate(sentence):
            starts.append(1 if i == 0 else -1)
            if i < last:  # a space between two morphemes only where the text has one
                gap = sentence[i + 1].start > m.end and m.end < end_of_text
                spaces.append(gap and text[m.end].isspace())
            else:
                spaces.append(True)
    doc = Doc(vocab, words=[m.form for m in morphs], spaces=spaces)
    # Tags, lemmas and sentence starts in one array, as spaCy stores them.
    add = vocab.strings.add
    values = numpy.empty((len(morphs), 3), dtype="uint64")
    values[:, 0] = [add(m.tag) for m in morphs]
    values[:, 1] = [add(m.lemma) for m in morphs]
    values[:, 2] = numpy.array(starts, dtype="int64").view("uint64")
    if morphs:
        doc.from_array([TAG, LEMMA, SENT_START], values)
    doc.user_data[MORPHS_KEY] = morphs  # per token: surface, tag, lemma and raw offsets
    return doc


class KiwiTokenizer:
    """A spaCy tokenizer backed by Kiwi: one token per morpheme."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        sentences = [morphs_of(s.tokens, 0) for s in kiwi().split_into_sents(text, **SPLIT)]
        return build_doc(self.vocab, [s for s in sentences if s], text)

    # spaCy serialises tokenizers with the pipeline; Kiwi has no state to save.
    def to_bytes(self, **_kwargs) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs) -> KiwiTokenizer:
        return self

    def to_disk(self, _path, **_kwargs) -> None:
        return None

    def from_disk(self, _path, **_kwargs) -> KiwiTokenizer:
        return self


@spacy.registry.tokenizers("knews.KiwiTokenizer.v1")
def create_kiwi_tokenizer():
    """Registry factory: ``{"@tokenizers": "knews.KiwiTokenizer.v1"}``."""

    def make(nlp: Language) -> KiwiTokenizer:
        return KiwiTokenizer(nlp.vocab)

    return make


@cache
def blank_nlp() -> Language:
    """A blank Korean spaCy pipeline whose tokenizer is Kiwi, built once per process."""
    tokenizer = {"@tokenizers": "knews.KiwiTokenizer.v1"}
    return spacy.blank("ko", config={"nlp": {"tokenizer": tokenizer}})
