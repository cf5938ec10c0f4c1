"""Extractors on Korean sentences: the examples of every rule file, and the samples."""

from __future__ import annotations

from pipeline.ingest import RawArticle


def analyse(processor, text: str, published_at: str | None = None):
    article = processor.analyse(
        RawArticle("t", "t.txt", text), clean=False, published_at=published_at
    )
    return processor.extract(article)


def test_person_quote_date_and_pledge_in_one_sentence(processor):
    rows = analyse(processor, "윤석열 대통령은 21일 “AI 안전에 힘쓰겠다”고 말했다.", "2024-05-20")
    assert [(p["name"], p["titles"]) for p in rows["people"]] == [("윤석열", ["대통령"])]
    assert [(d["text"], d["value"]) for d in rows["dates"]] == [("21일", "2024-05-21")]
    quote = rows["quotes"][0]
    assert (quote["text"], quote["speaker"], quote["verb"]) == (
        "AI 안전에 힘쓰겠다",
        "윤석열",
        "말했다",
    )
    pledge = rows["pledges"][0]
    assert (pledge["actor"], pledge["content"], pledge["cue"]) == (
        "윤석열",
        "AI 안전에 힘쓰겠다",
        "겠다",
    )


def test_short_forms_and_pronouns_resolve_to_the_full_name(processor):
    text = "한덕수 국무총리는 축사를 했다.\n한 총리는 “신뢰가 중요하다”고 말했다. 그는 “협력하겠다”고 덧붙였다."
    rows = analyse(processor, text)
    person = rows["people"][0]
    assert person["name"] == "한덕수" and person["aliases"] == ["한 총리"]
    assert [q["speaker"] for q in rows["quotes"]] == ["한덕수", "한덕수"]
    assert [p["actor"] for p in rows["pledges"]] == ["한덕수"]


def test_two_spellings_of_one_foreign_name_are_one_person(processor):
    text = "리시 수낵 영국 총리가 방한했다.\n리시 수낙 영국 총리는 회담을 했다."
    people = analyse(processor, text)["people"]
    assert [(p["name"], p["aliases"]) for p in people] == [("리시 수낵", ["리시 수낙"])]


def test_mentions_point_into_the_raw_text(processor):
    text = "이재용 삼성전자 회장은 21일 “투자를 늘리겠다”고 밝혔다."
    article = processor.analyse(
        RawArticle("t", "t.txt", text), clean=False, published_at="2024-05-20"
    )
    mentions = processor.extract(article)["mentions"]
    assert {(m["kind"], m["text"], m["entity"]) for m in mentions} == {
        ("person", "이재용", "이재용"),
        ("organization", "삼성전자", "삼성전자"),
        ("date", "21일", "2024-05-21"),
    }
    for m in mentions:
        assert text[m["raw_start"] : m["raw_end"]] == m["text"]


def test_nothing_is_extracted_from_boilerplate(processor, seed_articles):
    for article in seed_articles:
        rows = processor.extract(article)
        removed = [(ln.start, ln.end) for ln in article.lines if ln.kind == "boilerplate"]
        for table in ("mentions", "dates", "quotes", "pledges"):
            for row in rows[table]:
                assert not any(s <= row["raw_start"] < e for s, e in removed), (table, row)
        names = {p["name"] for p in rows["people"]}
        assert not names & {"권상우", "에드워드 리", "이상원", "허정무", "정몽규"}


def test_each_finder_runs_once_per_article_and_extractors_share_its_result():
    from extractors.people import find_people
    from pipeline.article import per_article
    from pipeline.process import ArticleProcessor

    calls: list[str] = []

    @per_article
    def ids(article):
        calls.append(article.article_id)
        return [article.article_id]

    processor = ArticleProcessor([])
    one = processor.analyse(RawArticle("a", "a.txt", "김민수 부산시장은 웃었다."), clean=False)
    two = processor.analyse(RawArticle("b", "b.txt", "이영희 교수가 말했다."), clean=False)
    assert ids(one) is ids(one) and ids(two) == ["b"]
    assert calls == ["a", "b"]
    assert find_people(one) is find_people(one)
    assert [p.name for p in find_people(one)] == ["김민수"]


def test_a_day_that_does_not_exist_is_no_error(processor):
    """`11월 31일` and a byline dated `2024.02.30` are typos; the page is still read."""
    from pipeline.ingest import RawArticle

    text = (
        "시, 연말 회의 일정 발표\n\n홍길동 기자 입력 2024.02.30 10:00 수정 2024.11.05 10:00\n\n"
        "시는 11월 31일 다음날 회의를 연다고 5일 밝혔다. 이어서 다른 일정도 공개했다고 덧붙였다.\n"
    )
    rows = processor.process(RawArticle("t", "t.txt", text))
    assert rows["articles"][0]["status"] == "ok"
    assert rows["articles"][0]["published_at"] is None
    assert any(d["text"].startswith("11월 31일") for d in rows["dates"])


def test_a_headlines_series_tag_names_no_organisation(processor):
    text = "[자막뉴스] 빗길 미끄러진 트럭…고속도로 정체\n\n작성 2024.07.10 09:12\n\n빗길 고속도로에서 화물차가 미끄러져 2시간 동안 정체가 이어졌다고 경찰은 밝혔다.\n"
    rows = processor.process(RawArticle("t", "t.txt", text))
    assert rows["articles"][0]["title"].startswith("[자막뉴스]")
    assert "자막뉴스" not in [o["name"] for o in rows["organizations"]]


def test_an_original_spelling_in_brackets_is_a_form_of_the_person(processor):
    text = "시진핑(習近平) 중국 국가주석과 도널드 트럼프(Donald Trump) 대통령이 만났다."
    rows = analyse(processor, text)
    people = {p["name"]: p["aliases"] for p in rows["people"]}
    assert people == {"시진핑": ["習近平"], "도널드 트럼프": ["Donald Trump"]}
    forms = [(m["text"], m["entity"]) for m in rows["mentions"] if m["kind"] == "person"]
    assert ("習近平", "시진핑") in forms and ("Donald Trump", "도널드 트럼프") in forms
    for m in rows["mentions"]:
        assert text[m["raw_start"] : m["raw_end"]] == m["text"]
