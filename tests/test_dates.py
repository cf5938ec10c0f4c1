"""Dates on real Korean sentences: what the parts make together, and the everyday list."""

from __future__ import annotations

from datetime import date

import pytest

from bench.everyday_dates import LIST, evaluate
from bench.klue_dates import KLUE, agreement
from extractors.date_values import DateResolver, lunar_to_solar
from extractors.dates import dates_in_text, recogniser
from extractors.rules import rules

WED = date(2024, 5, 22)


def values(text: str, anchor: date | None = WED) -> list[str]:
    return [value for _, value in dates_in_text(text, anchor)]


@pytest.mark.parametrize("path", [LIST, LIST.with_name("everyday_dates_heldout.tsv")])
def test_everyday_expressions_are_found_and_resolved(path):
    """The lists written apart from the rules: at least 0.90 right, few false alarms."""
    total = evaluate(path)[""]
    assert total.expressions >= 150 and total.negatives >= 35
    assert total.resolved / total.expressions >= 0.90, total.misses
    assert total.false_alarms / total.negatives <= 0.05, total.misses


def test_a_range_end_takes_the_month_and_day_part_of_its_start():
    assert values("3월 4일부터 6일까지 열린다.") == ["2024-03-04/2024-03-06"]
    assert values("오후 2시~4시 운영한다.") == ["2024-05-22T14:00/2024-05-22T16:00"]
    assert values("30일부터 다음 달 2일까지 쉰다.") == ["2024-05-30/2024-06-02"]


def test_the_range_text_runs_to_its_kkaji():
    [(text, _)] = dates_in_text("지난 13일부터 15일까지 열렸다.", date(2023, 4, 19))
    assert text == "지난 13일부터 15일까지"


def test_weeks_run_monday_to_sunday_across_a_year_end():
    assert values("다음 주 회의가 열린다.", date(2024, 12, 27)) == ["2024-12-30/2025-01-05"]
    assert values("지난주 금요일 발표했다.", date(2025, 1, 1)) == ["2024-12-27"]


def test_lunar_holidays_follow_the_korean_calendar_in_a_leap_month_year():
    assert values("부처님오신날 법요식이 열렸다.", date(2020, 5, 1)) == ["2020-04-30"]
    assert values("추석을 맞아 귀성객이 몰렸다.", date(2023, 9, 27)) == ["2023-09-29"]
    assert lunar_to_solar(2200, 1, 1) is None  # beyond the calendar: no value, no crash
    assert values("추석 연휴가 시작됐다.", date(2200, 1, 1)) == []


def test_a_year_word_before_a_holiday_picks_its_year():
    assert values("올해 설에는 고향을 찾지 않겠다는 응답이 많았다.", date(2025, 12, 1)) == [
        "2025-01-29"
    ]
    assert values("다가오는 설 연휴 교통량이 늘겠다.", date(2025, 12, 1)) == ["2026-02-17"]


@pytest.mark.parametrize(
    "text",
    [
        "14일 전 세계 정상들이 서울에 모였다.",  # 全
        "14일 전 대통령이 회고록을 냈다.",  # 前
    ],
)
def test_jeon_before_a_noun_or_a_title_is_not_ago(text):
    assert values(text) == ["2024-05-14"]


def test_without_a_publication_date_unknown_digits_are_x_and_relative_words_unresolved():
    assert values("21일 회의를 주재한다.", None) == ["XXXX-XX-21"]
    assert values("지난해 9월 UN 총회에서 제안했다.", None) == ["XXXX-09"]
    assert values("다음 주 월요일 발표한다.", None) == []
    assert values("현재 협의가 진행 중이다.", None) == []


def test_a_clock_time_alone_falls_on_the_last_day_named():
    assert values("21일 개막한다. 오후 7시 30분 공연이 이어진다.") == [
        "2024-05-21",
        "2024-05-21T19:30",
    ]


def test_dates_agree_with_klue_ner_date_and_time_spans():
    """What knews takes for a date, KLUE's annotators mostly marked DT or TI too."""
    if not KLUE.exists():
        pytest.skip(f"{KLUE} is not beside the project")
    a = agreement(KLUE)
    assert a.found > 700
    assert a.precision >= 0.94, a.unmarked


@pytest.mark.parametrize(
    ("text", "anchor", "resolution"),
    [
        ("2024년 5월 21일", None, "absolute"),
        ("2024년 추석", None, "absolute"),
        ("5월 21일", WED, "relative"),
        ("지난해 9월", WED, "relative"),
        ("21일", None, "partial"),
    ],
)
def test_resolution_says_whether_the_text_named_the_year(text, anchor, resolution):
    [expression] = recogniser().expressions(text)
    assert DateResolver(anchor, rules("dates")).resolve(expression, 0)[1] == resolution
