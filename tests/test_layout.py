"""Boilerplate stripping and metadata on the samples and on articles in other layouts."""

from __future__ import annotations

import json

import pytest

from pipeline.article import BLANK, BODY, BOILERPLATE, HEADER
from pipeline.ingest import read_article

from .conftest import FIXTURES

FIXTURE_FILES = sorted(FIXTURES.glob("*.txt"))


def test_every_raw_line_is_accounted_for(seed_articles):
    for article in seed_articles:
        assert len(article.lines) == article.raw_text.count("\n") + (
            0 if article.raw_text.endswith("\n") else 1
        )
        in_sentences = {s.line for s in article.sentences}
        for line in article.lines:
            assert line.kind in (HEADER, BODY, BOILERPLATE, BLANK), line
            assert line.label, f"{article.article_id}:{line.number} has no reason"
            if line.kind == BODY:
                assert line.number in in_sentences, f"{article.article_id}:{line.number}"


def test_sentence_offsets_point_into_raw_text(seed_articles):
    for article in seed_articles:
        assert article.sentences
        for s in article.sentences:
            assert article.raw_text[s.start : s.end] == s.text
            assert article.line(s.line).start <= s.start < s.end <= article.line(s.line).end


def test_no_ranking_or_teaser_text_in_sentences(seed_articles):
    text = "\n".join(s.text for a in seed_articles for s in a.sentences)
    for name in ("권상우", "에드워드 리", "허정무", "이상원 기자", "엔씨소프트", "추성훈"):
        assert name not in text


def test_inline_related_link_is_cut_from_the_sentence(seed_articles):
    article = next(a for a in seed_articles if a.article_id.startswith("000"))
    assert not any("☞" in s.text for s in article.sentences)
    assert any(s.text.endswith("설렜다.") for s in article.sentences)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_other_layouts(path, processor):
    """Body lines and metadata of articles written in other outlets' layouts."""
    expect = json.loads(path.with_suffix(".expect.json").read_text(encoding="utf-8"))
    article = processor.analyse(read_article(path, FIXTURES))
    meta = article.metadata
    assert sorted({ln.number for ln in article.lines if ln.kind == BODY}) == expect["body_lines"]
    assert meta.title == expect["title"]
    assert meta.subtitles == expect["subtitles"]
    assert meta.authors == expect["authors"]
    assert meta.published_at == expect["published_at"]
    assert meta.modified_at == expect["modified_at"]
    assert meta.outlet in [expect["outlet"], *expect.get("outlet_alternatives", [])]
    assert set(meta.author_emails) == set(expect["author_emails"])
    body_text = "\n".join(s.text for s in article.sentences)
    for phrase in expect["not_in_body"]:
        assert phrase not in body_text


def test_broadcast_markers_and_credits_are_not_body(processor):
    text = (
        "한파에 계량기 동파 잇따라\n\n[앵커]\n\n아침 기온이 영하 10도까지 떨어졌습니다.\n"
        "김민수 기자입니다.\n\n[리포트]\n\n서울의 한 주택가입니다. 계량기가 얼어 터졌습니다.\n"
        "KBS 뉴스 김민수입니다.\n\n영상취재 : 박철수 / 영상편집 : 이영희\n"
    )
    article = analyse_text(processor, text)
    labels = {ln.stripped: (ln.kind, ln.label) for ln in article.lines if ln.kind != BLANK}
    assert labels["[앵커]"] == (BOILERPLATE, "broadcast_marker")
    assert labels["김민수 기자입니다."][0] == BODY
    assert labels["KBS 뉴스 김민수입니다."] == (HEADER, "signature")
    assert labels["영상취재 : 박철수 / 영상편집 : 이영희"][0] == BOILERPLATE
    assert article.metadata.authors == ["김민수"]
    assert article.metadata.outlet == "KBS"


def test_body_printed_twice_keeps_the_first_copy(processor):
    paragraph = "시는 올해 예산 1조 원을 편성했다고 밝혔다. 시장은 “민생에 쓰겠다”고 말했다."
    text = f"시 예산 1조 원 편성\n홍길동 기자\n\n{paragraph}\n\n인쇄하기\n시 예산 1조 원 편성\n{paragraph}\n"
    article = analyse_text(processor, text)
    body = [ln.number for ln in article.lines if ln.kind == BODY]
    assert body == [4]
    assert article.line(8).label == "repeated_line"


def test_date_widget_is_not_the_publication_date(processor):
    text = "  • 2025.09.20 (토)\n\n정부, 내년 예산 발표\n\n홍길동 기자 / 입력 2024-05-22 14:00\n\n정부는 22일 내년 예산안을 발표했다고 밝혔다.\n"
    article = analyse_text(processor, text)
    assert article.metadata.published_at == "2024-05-22T14:00"
    assert article.line(1).label == "date_widget"


def analyse_text(processor, text: str):
    from pipeline.ingest import RawArticle

    return processor.analyse(RawArticle("t", "t.txt", text))
