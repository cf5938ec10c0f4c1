"""Hostile but fair input: what copied web text carries, broken bytes, odd shapes. Nothing
may be lost in silence."""

from __future__ import annotations

import pytest

from pipeline.api import analyse
from pipeline.ingest import article_from_bytes

from .conftest import RAW

SAMPLE = sorted(RAW.glob("*.txt"))[3].read_text(encoding="utf-8")


def _figures(text: str) -> tuple:
    tables = analyse(text, article_id="x")
    return (
        tables["sentences"]["text"].tolist(),
        sorted(tables["people"]["name"]),
        tables["pledges"]["content"].tolist(),
        tables["articles"]["title"].iloc[0],
    )


@pytest.fixture(scope="module")
def clean():
    return _figures(SAMPLE)


@pytest.mark.parametrize(
    ("name", "variant"),
    [
        ("a zero-width space after each 다.", SAMPLE.replace("다.", "다.\u200b")),
        ("a right-to-left mark at line ends", SAMPLE.replace("\n", "\u200f\n")),
        ("a left-to-right mark at line starts", SAMPLE.replace("\n", "\n\u200e")),
        ("every space a no-break space", SAMPLE.replace(" ", "\u00a0")),
        ("every space an ideographic space", SAMPLE.replace(" ", "\u3000")),
        ("a BOM inside the text", SAMPLE.replace("\n\n", "\n\ufeff\n", 3)),
    ],
)
def test_invisible_characters_change_nothing_a_reader_sees(clean, name, variant):
    assert _figures(variant) == clean
    warnings = analyse(variant, article_id="x")["articles"]["warnings"].iloc[0]
    assert len(warnings) == 1  # and the run says what it mended


def test_emoji_at_line_ends_are_no_sentences_of_their_own(clean):
    sentences, people, pledges, _ = _figures(SAMPLE.replace("\n", " 😀\n"))
    assert len(sentences) == len(clean[0])
    assert (people, pledges) == (clean[1], clean[2])
    assert sum(s.endswith(" 😀") for s in sentences) >= 5  # kept, on the paragraphs' last ones


def test_a_stray_nul_or_a_bad_byte_is_mended_and_counted_not_the_page_lost():
    data = SAMPLE.encode("utf-8")
    middle = len(data) // 2 - len(data) // 2 % 3  # between two characters of Hangul
    broken = data[:100] + b"\x00" + data[100:middle] + b"\xff" + data[middle:]
    raw = article_from_bytes(broken, "x", "x.txt")
    assert raw.status == "ok"
    assert any("NUL" in w for w in raw.warnings)
    assert any("not UTF-8" in w for w in raw.warnings)
    assert "\ufffd" in raw.text


def test_binary_files_are_still_errors():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    assert article_from_bytes(png, "x", "x.txt").status == "error"
    assert article_from_bytes(b"\x00\x01\x02binary", "y", "y.txt").status == "error"
