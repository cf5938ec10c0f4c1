"""Kiwi morphology inside spaCy docs, usable by spaCy's matchers."""

from __future__ import annotations

import spacy
from spacy.matcher import Matcher

from pipeline.article import Article, Line
from pipeline.nlp import blank_nlp, kiwi
from pipeline.segment import segment

SENTENCE = "윤석열 대통령은 21일 “AI 안전에 힘쓰겠다”고 말했다. 왕 차장은 브리핑을 했다."


def test_blank_korean_pipeline_uses_kiwi_tokens_and_tags():
    config = {"nlp": {"tokenizer": {"@tokenizers": "knews.KiwiTokenizer.v1"}}}
    doc = spacy.blank("ko", config=config)(SENTENCE)
    assert [(t.text, t.tag_) for t in doc[:3]] == [
        ("윤석열", "NNP"),
        ("대통령", "NNG"),
        ("은", "JX"),
    ]
    verb = next(t for t in doc if t.text == "힘쓰")
    assert (verb.tag_, verb.lemma_) == ("VV", "힘쓰다")
    assert [s.text.split()[0] for s in doc.sents] == ["윤석열", "왕"]
    # Morphemes that Kiwi does not contract point at their own surface text.
    for token in doc:
        if token.tag_ in {"NNP", "NNG", "JX", "SN", "SF"}:
            assert SENTENCE[token._.raw_start : token._.raw_end] == token.text


def test_matcher_on_tags_finds_name_and_title():
    nlp = blank_nlp()
    doc = nlp(SENTENCE)
    matcher = Matcher(nlp.vocab)
    matcher.add("PERSON_TITLE", [[{"TAG": "NNP"}, {"TAG": "NNG", "TEXT": "대통령"}]])
    spans = [doc[s:e] for _, s, e in matcher(doc)]
    assert [s.text for s in spans] == ["윤석열 대통령"]
    span = spans[0]
    assert SENTENCE[span[0]._.raw_start : span[-1]._.raw_end] == "윤석열 대통령"


def test_kiwi_is_loaded_once_per_process():
    assert kiwi() is kiwi()
    assert blank_nlp() is blank_nlp()


def paragraph_article(*paragraphs: str) -> Article:
    text = "\n".join(paragraphs)
    article = Article("t", "t.txt", text)
    start = 0
    for number, paragraph in enumerate(paragraphs, start=1):
        article.lines.append(Line(number, start, start + len(paragraph), paragraph, "body"))
        start += len(paragraph) + 1
    return article


def test_quote_with_inner_sentence_ends_stays_one_sentence():
    paragraph = "그는 “문제는 AI가 아니다. 그것을 다루는 인간입니다. 준비해야 합니다.”라고 말했다. 박수가 나왔다."
    article = paragraph_article(paragraph)
    segment(article)
    texts = [s.text for s in article.sentences]
    assert texts[0].endswith("말했다.") and texts[0].startswith("그는")
    assert texts[-1] == "박수가 나왔다."


def test_heading_never_merges_into_the_next_sentence():
    article = paragraph_article("◇글로벌 AI 리더 협력 플랫폼", "오픈AI 등 16개 기업이 동참했다.")
    segment(article)
    assert [s.text for s in article.sentences] == [
        "◇글로벌 AI 리더 협력 플랫폼",
        "오픈AI 등 16개 기업이 동참했다.",
    ]
    assert [s.paragraph_id for s in article.sentences] == [0, 1]


def test_article_doc_tokens_point_into_raw_text():
    article = paragraph_article("삼성전자는 21일 신제품을 공개했다.", "이재용 회장이 참석했다.")
    segment(article)
    doc = article.doc
    assert [s.text for s in doc.sents][1].startswith("이재용")
    names = [t for t in doc if t.tag_ == "NNP"]
    assert any(article.raw_text[t._.raw_start : t._.raw_end] == "이재용" for t in names)


def test_doc_is_built_only_when_a_rule_asks_for_it():
    """Most pages need no spaCy matcher: their doc is not built. A page with a word a
    token pattern needs (`그룹`) gets one, with the same tokens and segments."""
    from extractors.base import create_all
    from pipeline.ingest import RawArticle
    from pipeline.process import ArticleProcessor

    processor = ArticleProcessor(create_all())
    plain = processor.analyse(RawArticle("a", "a.txt", "이재용 회장이 21일 참석했다."), clean=False)
    grouped = processor.analyse(RawArticle("b", "b.txt", "KBJ그룹은 투자를 늘린다."), clean=False)
    processor.extract(plain)
    rows = processor.extract(grouped)
    assert plain.lazy_doc._doc is None and plain.tokens
    assert grouped.lazy_doc._doc is not None
    assert [o["name"] for o in rows["organizations"]] == ["KBJ그룹"]
    doc = plain.doc  # built now, on first use
    assert [t.text for t in doc] == [m.form for m in plain.tokens]
    assert doc.user_data["knews_segments"] == plain.token_segments
    (sentence,) = doc.sents
    assert plain.raw_text[sentence[0]._.raw_start : sentence[-1]._.raw_end] == plain.raw_text


def test_an_extracted_article_is_freed_without_the_cycle_collector():
    """No reference cycle (article -> segments -> article): a run frees each article as
    soon as its rows are out, even with the collector off, so memory stays flat."""
    import gc
    import weakref

    from extractors.base import create_all
    from pipeline.ingest import RawArticle
    from pipeline.process import ArticleProcessor

    processor = ArticleProcessor(create_all())
    text = "KBJ그룹 이재용 회장은 21일 “투자를 늘리겠다”고 말했다. 이 회장은 웃었다."
    article = processor.analyse(RawArticle("a", "a.txt", text), clean=False)
    assert processor.extract(article)["quotes"]
    assert article.doc is not None
    gone = weakref.ref(article)
    gc.disable()
    try:
        del article
        assert gone() is None
    finally:
        gc.enable()
