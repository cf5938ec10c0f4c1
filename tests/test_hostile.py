"""Hostile but fair input: what copied web text carries, broken bytes, odd shapes. Nothing
may be lost in silence."""

from __future__ import annotations

import pandas as pd
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


# -- entries that are not readable regular files ---------------------------------------
def test_every_entry_that_is_no_readable_file_becomes_an_error_row(tmp_path):
    import os

    from typer.testing import CliRunner

    from pipeline import load
    from pipeline.cli import app

    folder, outside = tmp_path / "in", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "good.txt").write_text(SAMPLE, encoding="utf-8")
    (folder / "folder.txt").mkdir()
    (folder / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    os.mkfifo(folder / "pipe.txt")  # opening it would wait for ever
    (outside / "secret.txt").write_text("밖에 있는 글이다.\n", encoding="utf-8")
    (folder / "out.txt").symlink_to(outside / "secret.txt")

    result = CliRunner().invoke(app, ["run", str(folder), "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0, result.output
    articles = load(tmp_path / "o")["articles"].set_index("article_id")
    assert articles.loc["good", "status"] == "ok"
    reasons = articles["error"].dropna().to_dict()
    assert reasons["folder"] == "a folder, not a file"
    assert "broken symbolic link" in reasons["broken"] and "loop" in reasons["loop1"]
    assert "FIFO" in reasons["pipe"]
    assert "out of the input folder" in reasons["out"]

    followed = CliRunner().invoke(
        app, ["run", str(folder), "-o", str(tmp_path / "f"), "-q", "--follow-links"]
    )
    assert followed.exit_code == 0
    assert load(tmp_path / "f")["articles"].set_index("article_id").loc["out", "status"] == "ok"


def test_a_renamed_input_folder_gives_rows_with_the_new_paths(tmp_path):
    from pipeline import load
    from pipeline.run import run

    first = tmp_path / "crawl"
    first.mkdir()
    (first / "a.txt").write_text(SAMPLE, encoding="utf-8")
    run(first, tmp_path / "out")
    renamed = first.rename(tmp_path / "crawl-2024")
    run(renamed, tmp_path / "out")  # no --force: the cache is keyed by path too
    paths = load(tmp_path / "out")["articles"]["source_path"].tolist()
    assert paths == [str(renamed / "a.txt")]


def test_bad_arguments_are_one_line_errors(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    (tmp_path / "a.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "file-not-folder").write_text("x", encoding="utf-8")
    runner = CliRunner()
    bad_output = runner.invoke(
        app, ["run", str(tmp_path / "a.txt"), "-o", str(tmp_path / "file-not-folder")]
    )
    assert bad_output.exit_code == 2
    assert "is a file, not a folder" in bad_output.output
    assert "Traceback" not in bad_output.output
    negative = runner.invoke(
        app, ["run", str(tmp_path / "a.txt"), "-j", "-1", "-o", str(tmp_path / "o")]
    )
    assert negative.exit_code == 2
    many = runner.invoke(
        app, ["run", str(tmp_path / "a.txt"), "-j", "1000", "-o", str(tmp_path / "o2")]
    )
    assert many.exit_code == 0 and "cores here" in many.output


def test_a_number_as_published_at_is_a_unix_time_in_seconds():
    tables = analyse("서울시는 어제 새 정책을 발표했다.", published_at=1681964653, clean=False)
    assert tables["dates"]["value"].tolist() == ["2023-04-19"]  # 2023-04-20 13:24 in Korea


# -- budgets ------------------------------------------------------------------------------
def test_an_article_past_its_budget_is_an_error_row_naming_the_step(tmp_path, monkeypatch):
    from pipeline import budget
    from pipeline.api import Pipeline
    from pipeline.rulefiles import use_rule_folders

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "boilerplate.toml").write_text(
        "[[rule]]\nname = \"slow\"\npatterns = ['(a|aa)+$']\n"
        'match = ["aa"]\nno_match = ["서울시는 밝혔다."]\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(budget, "seconds", 1.0)
    try:
        pipe = Pipeline(rules=[rules])
        page = "서울시는 21일 새 정책을 발표했다고 밝혔다.\n" + "a" * 60 + "b\n"
        article = pipe.analyse(page)["articles"].iloc[0]
        after = pipe.analyse("서울시는 21일 새 정책을 발표했다고 밝혔다.")["articles"].iloc[0]
    finally:
        use_rule_folders([])
    assert article["status"] == "error"
    assert "took longer than 1 s" in article["error"] and "boilerplate.py" in article["error"]
    assert after["status"] == "ok"  # the next article is read as usual


def test_rules_test_rejects_a_pattern_that_backtracks_without_end(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.rulefiles import use_rule_folders

    (tmp_path / "boilerplate.toml").write_text(
        "[[rule]]\nname = \"mine\"\npatterns = ['(.*가)*\\d$']\n"
        'match = ["가가가1"]\nno_match = ["서울시는 밝혔다."]\n',
        encoding="utf-8",
    )
    try:
        result = CliRunner().invoke(app, ["rules", "test", str(tmp_path)])
    finally:
        use_rule_folders([])
    assert result.exit_code == 1
    assert "(.*가)*\\d$" in result.output and "longer than" in result.output


# -- shapes ---------------------------------------------------------------------------
def test_a_page_without_line_breaks_is_split_into_sentences_not_made_a_title():
    body = (
        '서울시는 21일 새 정책을 발표했다고 밝혔다. 홍길동 시장은 "시민을 위해 일하겠다"고 말했다. '
    )
    text = body * 200  # one line of 10,800 characters, cut for Kiwi in pieces
    tables = analyse(text)
    article, sentences = tables["articles"].iloc[0], tables["sentences"]
    assert pd.isna(article["title"])
    assert len(sentences) == 400
    assert all(text[s.raw_start : s.raw_end] == s.text for s in sentences.itertuples())
    assert len(tables["pledges"]) == 200


def test_an_implausible_headline_or_a_tiny_body_is_said_in_warnings():
    digits = analyse("1" * 30000 + "\n\n서울시는 21일 새 정책을 발표했다고 밝혔다.\n")
    article = digits["articles"].iloc[0]
    assert pd.isna(article["title"])
    assert any("a title of 30000 characters was read as body" in w for w in article["warnings"])
    lines = analyse("\n".join(["짧은 줄 하나"] * 5000))["articles"].iloc[0]
    assert lines["status"] == "ok"
    assert any("the body is 0 of" in w for w in lines["warnings"])


def test_a_ten_megabyte_line_ends_within_its_budget_as_an_error_row(monkeypatch):
    import time

    from pipeline import budget

    monkeypatch.setattr(budget, "seconds", 2.0)
    body = "서울시는 21일 새 정책을 발표했다고 밝혔다. "
    start = time.perf_counter()
    article = analyse(body * (10_000_000 // len(body)))["articles"].iloc[0]
    assert time.perf_counter() - start < 15  # reading the text, then two budgets at most
    assert article["status"] == "error" and "took longer than 2 s" in article["error"]


# -- rule files ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[rule]]\nname = \"x\"\npatterns = ['']\n", "boilerplate.toml:3: an empty pattern"),
        (
            "[[rule]]\nname = \"x\"\npatterns = '광고문의'\n",
            "boilerplate.toml:3: patterns must be a list",
        ),
        (
            '[[rule]]\nname = "x"\npatterns = [\'광고\']\nmax_len = "100"\n',
            "boilerplate.toml:4: max_len must be a whole number",
        ),
        ("[[rule]]\nname = \"x\"\npatterns = ['광고'\n", "boilerplate.toml:3:"),
        (
            "[[rule]]\nname = \"x\"\npatterns = ['광고']\nmaxlen = 100\n",
            "boilerplate.toml:4: unknown key 'maxlen'",
        ),
    ],
)
def test_rule_mistakes_are_caught_with_file_and_line(tmp_path, text, message):
    from pipeline.rulefiles import RuleFileError, validate_folder

    (tmp_path / "boilerplate.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        validate_folder(tmp_path)
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")


def test_a_rule_file_that_is_not_utf8_names_itself(tmp_path):
    from pipeline.rulefiles import RuleFileError, validate_folder

    (tmp_path / "titles.txt").write_bytes("# 직함\n위원장\n".encode("cp949"))
    with pytest.raises(RuleFileError, match=r"titles\.txt:1: not UTF-8"):
        validate_folder(tmp_path)


def test_new_words_in_a_word_table_are_welcome_with_the_right_type(tmp_path):
    from pipeline.rulefiles import RuleFileError, validate_folder

    (tmp_path / "dates.toml").write_text('[holidays.lunar]\n"동지" = [11, 15]\n', encoding="utf-8")
    validate_folder(tmp_path)
    (tmp_path / "dates.toml").write_text('[relative_years]\n"작작년" = "-2"\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match="must be a whole number"):
        validate_folder(tmp_path)


def test_a_missing_column_names_the_columns_the_frame_has():
    from pipeline.api import analyse_frame

    frame = pd.DataFrame({"body": ["서울시는 밝혔다."]})
    with pytest.raises(KeyError, match="no column 'text'.*body"):
        analyse_frame(frame, progress=False)


@pytest.mark.parametrize(
    "page",
    [
        "[홍길동/" + " " * 3000,
        "1" * 30000 + "\n\n서울시는 21일 새 정책을 발표했다고 밝혔다.\n",
        "(" * 10000 + "서울시는 21일 밝혔다." + ")" * 10000,
        "\n".join(["짧은 줄 하나"] * 100000),
        "서울시는 새 정책을 발표했다 " * 3000,
        '"' * 30000,
        "홍길동, " * 5000 + "기자",
    ],
    ids=["label", "digits", "brackets", "lines", "no-punctuation", "quotes", "names"],
)
def test_adversarial_pages_end_with_a_row_well_within_the_limit(page):
    import time

    start = time.perf_counter()
    article = analyse(page)["articles"].iloc[0]
    assert time.perf_counter() - start < 10  # no hang: the limit for such a page
    assert article["status"] in ("ok", "error")
