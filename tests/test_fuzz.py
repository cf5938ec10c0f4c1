"""Fuzzing: Korean-like text with control and invisible characters, odd shapes and random
bytes through ingest, page reading and every extractor. No exception escapes, every row's
span is its text, and every call returns within its budget.

The CI profile is short; ``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py`` runs 50
times as many examples.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.dates import dates_in_text
from pipeline.api import analyse, default_pipeline, to_raw
from pipeline.ingest import article_from_bytes, article_from_html

settings.register_profile(
    "ci", max_examples=40, deadline=10_000, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=2_000, deadline=10_000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SYLLABLES = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
WORDS = st.sampled_from(
    ["대통령", "기자", "장관은", "말했다.", "밝혔다.", "21일", "지난해", "오후 3시", "서울시는",
     "“", "”", '"', "‘", "’", "(", ")", "[", "]", "·", "/", ":", "▶", "■", "☞", "겠다", "기로",
     "홍길동", "삼성전자", "KBS", "OECD", "2024.05.21", "10~11일", "\n", "\n\n", "다.", "  "]
)  # fmt: skip
ODD = st.sampled_from(
    ["\u200b", "\u200e", "\u200f", "\ufeff", "\u00a0", "\u3000", "\x00", "\x07", "\t", "\r",
     "😀", "\u0301", "\ud7a4", "\U0001f1f0\U0001f1f7", "\x1b[31m", "\uffff"]
)  # fmt: skip
TEXT = st.lists(st.one_of(WORDS, SYLLABLES, ODD, st.text(max_size=3)), max_size=120).map("".join)
SPANNED = ("sentences", "dates", "mentions", "boilerplate")


def _check_tables(raw: str, tables) -> None:
    article = tables["articles"].iloc[0]
    assert article["status"] in ("ok", "empty", "error")
    for name in SPANNED:
        frame = tables[name]
        if frame.empty:
            continue
        spans = frame.dropna(subset=["raw_start", "raw_end"])
        for row in spans.itertuples():
            assert raw[int(row.raw_start) : int(row.raw_end)] == row.text, (name, row)


@given(TEXT, st.booleans())
def test_any_text_gives_tables_whose_spans_are_their_text(text, clean):
    raw = to_raw(text, "fuzz", None, clean)
    tables = default_pipeline().analyse(text, clean=clean)
    _check_tables(raw.text, tables)


@given(st.binary(max_size=4000))
def test_any_bytes_are_read_or_refused_never_raised(data):
    raw = article_from_bytes(data, "fuzz", "fuzz.txt")
    assert raw.status in ("ok", "empty", "error")
    if raw.status == "ok":
        assert "\r" not in raw.text and "\u200b" not in raw.text


@given(st.lists(st.one_of(st.sampled_from(["<p>", "</p>", "<div>", "<br>", "<script>", "</",
                                           "<meta property='og:title' content='", "'>", "<!--",
                                           "<table><tr><td>", "&nbsp;", "&#34;", "<?xml "]),
                          TEXT), max_size=40).map("".join))  # fmt: skip
def test_any_html_is_rendered_or_refused_never_raised(page):
    raw = article_from_html(page, "fuzz", "fuzz.html")
    assert raw.status in ("ok", "empty", "error")
    if raw.status == "ok":
        analyse(html=page)


@given(TEXT)
def test_the_date_recogniser_finds_spans_of_the_text(text):
    for found, value in dates_in_text(text):
        assert found in text and value
