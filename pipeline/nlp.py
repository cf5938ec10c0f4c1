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
    return [analyser.split_into_sents(text, **SPLIT) for text in texts]


def analyse_texts(texts: Iterable[str]) -> Iterator[list]:
    """Kiwi's sentences (with tokens) for each text, in order; streamed ahead when threaded."""
    analyser = kiwi()
    if KIWI_THREADS == 0:
        return (analyser.split_into_sents(text, **SPLIT) for text in texts)
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
