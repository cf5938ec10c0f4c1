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


MENU = "\n".join(
    f"* {w}" for w in ["정치", "경제", "사회", "국제", "문화", "연예", "스포츠", "날씨"]
)


def test_headline_below_a_site_menu_and_a_repeated_title(processor):
    """The menu repeats the headline at the top; the byline carries page controls."""
    title = "[단독] 시내버스 노선 절반 개편…“출퇴근 20분 단축”"
    body = (
        "시는 다음 달 1일부터 시내버스 노선 120개 가운데 60개를 바꾼다고 3일 밝혔다.\n\n"
        "김영수 교통국장은 “출퇴근 시간이 평균 20분 줄어들 것”이라고 말했다.\n"
    )
    text = (
        f"본문 바로가기\n\n뉴스온\n\n{MENU}\n\n{title}\n라이브 제보하기\n\n{MENU}\n\n"
        f"* 사회\n\n{title}\n\n박지민 기자 이메일 보내기\n\n작성 2024.06.03 10:15 조회수\n"
        f"프린트 글자 크기 크게보기 작게보기\n\n{body}\n(뉴스온 박지민 기자)\n\n"
        "* 페이스북으로 공유하기\n* 트위터로 공유하기\n\n이 시각 인기기사\n\n"
        "* 시장 “버스 요금 동결하겠다”…내년 예산 확정\n* 지하철 막차 연장 검토\n"
    )
    article = analyse_text(processor, text)
    meta = article.metadata
    assert meta.title == title
    assert meta.published_at == "2024-06-03T10:15"
    assert meta.authors == ["박지민"]
    assert [ln.stripped for ln in article.lines if ln.kind == BODY] == [
        p.strip() for p in body.split("\n\n")
    ]
    assert all("요금 동결" not in s.text for s in article.sentences)


def test_teaser_block_with_sentences_is_not_the_body(processor):
    """A block of teaser sentences below the article is smaller than the article."""
    paragraphs = [
        "정부는 올해 하반기 공공기관 채용 규모를 2만 명으로 늘린다고 5일 발표했다.",
        "기획재정부는 청년 고용을 늘리기 위해 지역 인재 채용 비율도 높이기로 했다.",
        "추경호 부총리는 “공공부문이 먼저 일자리를 만들겠다”고 강조했다.",
    ]
    teasers = [
        "다른 기사 보기",
        "한 아파트에서 불이 나 주민 20명이 대피했다.",
        "폭염 특보가 이틀째 이어졌다.",
    ]
    text = "공공기관 채용 2만명으로 확대\n\n홍길동 기자\n\n" + "\n\n".join(paragraphs)
    text += "\n\nⓒ 뉴스온 무단전재 및 재배포 금지\n\n" + "\n".join(teasers) + "\n"
    article = analyse_text(processor, text)
    body = [ln.stripped for ln in article.lines if ln.kind == BODY]
    assert body == paragraphs
    assert article.metadata.authors == ["홍길동"]


def test_video_page_without_paragraphs_takes_its_caption_text(processor):
    text = (
        "[영상] 빗길에 미끄러진 트럭…고속도로 2시간 정체\n\n등록 2024.07.10 09:12\n\n"
        "디지털뉴스부\n글자크기축소 글자크기확대 프린터 공유\n\n*\n*\n\n"
        "빗길 고속도로에서 미끄러진 화물차\n\nCopyrights ⓒ 뉴스온. 무단전재 및 재배포 금지\n"
    )
    article = analyse_text(processor, text)
    assert [ln.stripped for ln in article.lines if ln.kind == BODY] == [
        "빗길 고속도로에서 미끄러진 화물차"
    ]
    assert article.metadata.authors == []
    assert article.metadata.published_at == "2024-07-10T09:12"


def test_interview_turns_stay_body_and_programme_facts_header(processor):
    text = (
        "[인터뷰] “전세사기 피해 구제, 속도가 관건”\n\n작성 2024.04.02 08:10\n\n"
        "■ 방송 : 아침 라디오 (FM 103.5 MHz 7:00 ~ 9:00)\n■ 진행 : 김진행 앵커\n"
        "■ 출연 : 이출연 변호사\n\n"
        "▷김진행 : 전세사기 피해가 계속 늘고 있습니다. 어떻게 보십니까?\n\n▶이출연 : 네.\n\n"
        "▷김진행 : 네.\n\n"
        "▶이출연 : 피해자 대부분이 청년층이라는 점에서 구제 속도가 무엇보다 중요하다고 봅니다.\n\n"
        "인터뷰 자료의 저작권은 아침 라디오에 있습니다.\n"
    )
    article = analyse_text(processor, text)
    labels = {ln.stripped: (ln.kind, ln.label) for ln in article.lines if ln.kind != BLANK}
    assert labels["▶이출연 : 네."][0] == BODY
    assert labels["▷김진행 : 네."][0] == BODY
    assert labels["■ 진행 : 김진행 앵커"] == (HEADER, "programme")
    assert labels["인터뷰 자료의 저작권은 아침 라디오에 있습니다."][0] == BOILERPLATE


HEAD = "시, 공원 야간 개방 확대\n\n홍길동 기자 입력 2024.06.03 10:15\n\n"
SHORT_BODY = [
    "시는 다음 달부터 시내 공원 12곳의 야간 개방 시간을 밤 11시까지 늘린다고 3일 밝혔다.",
    "김영수 공원국장은 “시민 의견을 반영했다”고 말했다.",
]


def body_of(article) -> list[str]:
    return [ln.stripped for ln in article.lines if ln.kind == BODY]


def test_a_longer_comment_thread_below_a_short_body_is_not_the_body(processor):
    comments = [
        "정말 좋은 소식이네요. 저녁에 산책할 곳이 생겨서 다행입니다.",
        "공원 주변 주민들은 소음 때문에 걱정이 많을 것 같아요. 대책이 필요합니다.",
        "야간 개방은 환영하지만 조명과 안전 요원 배치가 먼저 아닐까요? 예산이 궁금합니다.",
        "작년에도 비슷한 발표를 했는데 결국 흐지부지 되었죠. 이번에는 제대로 하길 바랍니다.",
    ]
    text = HEAD + "\n\n".join(SHORT_BODY) + "\n\n댓글 12\n\n" + "\n".join(comments) + "\n"
    assert body_of(analyse_text(processor, text)) == SHORT_BODY


def test_a_deck_written_as_sentences_stays_the_deck(processor):
    deck = [
        "시는 다음 달부터 공원 12곳을 밤 11시까지 연다고 밝혔다.",
        "조명 120개를 새로 설치한다.",
    ]
    text = (
        "시, 공원 야간 개방 확대\n\n"
        + "\n".join(deck)
        + "\n\n홍길동 기자 입력 2024.06.03 10:15\n\n"
    )
    text += "\n\n".join(SHORT_BODY) + "\n\nⓒ 뉴스온 무단전재 및 재배포 금지\n"
    article = analyse_text(processor, text)
    assert body_of(article) == SHORT_BODY
    assert article.metadata.subtitles == deck


def test_a_last_paragraph_without_its_full_stop_is_still_body(processor):
    last = "시는 시범 운영 결과를 보고 대상 공원을 내년에 더 늘릴 계획이며 예산도 함께 늘릴 전망"
    text = HEAD + "\n\n".join(SHORT_BODY) + f"\n\n{last}\n\nⓒ 뉴스온 무단전재 및 재배포 금지\n"
    assert body_of(analyse_text(processor, text)) == [*SHORT_BODY, last]


def test_sentences_about_copyright_subscriptions_or_browsers_stay_body(processor):
    lines = [
        "이 책의 저작권은 옛 출판사에 있어 재출간이 어렵다고 유족 측은 설명했다.",
        "구독을 취소하는 독자도 늘었다고 출판사 관계자는 말했다.",
        "최신 브라우저를 설치하라는 안내가 떴다고 시민들은 전했다.",
        "새 제도는 내년부터 적용될 예정이다. 결과는 아직 알 수 없다고 시는 밝혔다.",
    ]
    text = "절판 소설 재출간 무산\n\n김철수 기자\n\n" + "\n\n".join(lines) + "\n"
    assert body_of(analyse_text(processor, text)) == lines
