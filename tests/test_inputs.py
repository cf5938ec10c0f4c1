"""What knews reads: HTML pages (rendered, with their markup's facts), tables of articles
(JSONL, CSV, Parquet), folders, files, globs and standard input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import load
from pipeline.api import analyse, analyse_frame
from pipeline.article_tables import TableColumns
from pipeline.cli import app
from pipeline.html import markup_authors, markup_facts
from pipeline.ingest import article_from_html, read_article
from pipeline.inputs import InputError, expand

from .conftest import RAW, ROOT

DEV = ROOT.parent / "shared" / "dev"
PAGES = Path(__file__).parent / "fixtures" / "pages"
runner = CliRunner()


def run(*args: str, input: bytes | None = None) -> None:  # noqa: A002
    result = runner.invoke(app, ["run", *args, "-q", "-j", "1"], input=input)
    assert result.exit_code == 0, result.output


# -- HTML ---------------------------------------------------------------------------
@pytest.mark.parametrize("page", sorted((DEV / "html").glob("*.html")), ids=lambda p: p.stem)
def test_each_real_page_renders_to_exactly_its_raw_text(page):
    html = read_article(page, page.parent)
    text = read_article(DEV / "raw" / f"{page.stem}.txt", DEV / "raw")
    assert html.status == "ok" and html.source == "html"
    assert html.text == text.text


def test_markup_comes_first_and_says_where_each_field_came_from():
    tables = analyse(html=(PAGES / "graph_jsonld.html").read_bytes())
    article = tables["articles"].iloc[0]
    assert article["title"] == "춘천시, 내달 1일부터 시내버스 노선 개편"
    assert article["outlet"] == "강원일보"  # og:site_name before JSON-LD's publisher
    assert list(article["authors"]) == ["김도현"]  # `김도현 기자` in JSON-LD inside @graph
    assert list(article["author_emails"]) == ["dohyun@example-kwnews.co.kr"]
    assert article["published_at"] == pd.Timestamp("2024-05-20 15:31")  # 06:31Z in Korean time
    assert article["url"] == "https://www.example-kwnews.co.kr/page/view/2024052012345"
    assert article["source"] == "html"
    assert "published_at:json-ld" in list(article["metadata_source"])
    assert "title:opengraph" in list(article["metadata_source"])
    # the body is read from the rendered text, offsets into it
    sentences = tables["sentences"]
    assert sentences["text"].iloc[0].startswith("춘천시는 다음 달 1일부터")
    quote = tables["quotes"].iloc[0]
    assert (quote["speaker"], quote["text"]) == ("육동한", "시민들이 기다리는 시간을 줄이겠다")


def test_an_euc_kr_page_is_decoded_by_its_meta_charset():
    raw = read_article(PAGES / "euc_kr_og.html", PAGES)
    assert raw.status == "ok" and raw.encoding == "cp949"
    assert "대구시는 7일 신천 일대" in raw.text
    assert raw.markup.published_at == "2019-10-07T10:15"


def test_what_the_markup_lacks_the_text_rules_fill():
    page = "<html><head><meta property='og:title' content='제목 하나'></head><body>" \
           "<h1>제목 하나</h1><p>홍길동 기자</p><p>입력 2024.05.21 09:00</p>" \
           "<p>서울시는 21일 새 정책을 발표했다.</p></body></html>"  # fmt: skip
    article = analyse(html=page)["articles"].iloc[0]
    assert list(article["authors"]) == ["홍길동"]
    assert article["published_at"] == pd.Timestamp("2024-05-21 09:00")
    assert list(article["metadata_source"]) == ["title:opengraph"]


@pytest.mark.parametrize(
    ("written", "names"),
    [
        (["한지연 기자"], ["한지연"]),
        (["이남경 MK스포츠 기자(mkculture3@mkculture.com)"], ["이남경"]),
        (["박노준"], ["박노준"]),
        (["iMBC 연예"], []),
        (["SBS NEWS"], []),
        (["디지털뉴스부"], []),
        (["김철수, 이영희 기자"], ["김철수", "이영희"]),
    ],
)
def test_only_reporters_names_are_taken_from_author_fields(written, names):
    assert markup_authors(written) == names


def test_a_page_lxml_cannot_read_is_an_error_row_not_a_crash():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    assert article_from_html(png, "x", "x.html").status == "error"
    assert markup_facts("").title is None
    assert article_from_html("<html></html>", "y", "y.html").status == "empty"


# -- tables of articles ---------------------------------------------------------------
TABLE_COLUMNS = [
    ("articles", ["title", "subtitles", "outlet", "authors", "published_at", "n_sentences"]),
    ("sentences", ["sentence_id", "raw_line", "raw_start", "raw_end", "text"]),
    ("people", ["name", "titles", "aliases", "role"]),
    ("organizations", ["name", "type"]),
    ("dates", ["text", "value", "raw_start"]),
    ("quotes", ["text", "speaker", "raw_start"]),
    ("pledges", ["actor", "content", "raw_start"]),
]


def _samples() -> pd.DataFrame:
    rows = [{"id": p.stem, "text": read_article(p, RAW).text} for p in sorted(RAW.glob("*.txt"))]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def folder_tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("folder")
    run(str(RAW), "-o", str(out))
    return load(out)


@pytest.mark.parametrize("suffix", ["jsonl", "csv", "parquet"])
def test_a_table_of_the_samples_gives_the_folders_tables(tmp_path, folder_tables, suffix):
    df = _samples().rename(columns={"id": "doc", "text": "content"})
    path = tmp_path / f"crawl.{suffix}"
    if suffix == "jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    elif suffix == "csv":
        df.to_csv(path, index=False)
    else:
        df.to_parquet(path)
    run(str(path), "-o", str(tmp_path / "out"), "--id-column", "doc")  # `content`: a default
    tables = load(tmp_path / "out")
    for table, columns in TABLE_COLUMNS:
        got, want = tables[table], folder_tables[table]
        key = ["article_id", *columns]
        assert len(got) == len(want) > 0 or table == "pledges"
        pd.testing.assert_frame_equal(
            got[key].reset_index(drop=True), want[key].reset_index(drop=True), check_dtype=False
        )
    assert set(tables["articles"]["source"]) == {"table"}


def test_rows_without_an_id_are_named_by_table_and_position(tmp_path):
    path = tmp_path / "crawl.jsonl"
    rows = [
        {"text": "서울시는 21일 새 정책을 발표했다.", "published_at": "2024-05-20", "url": "https://a.kr/1"},
        {"text": None},
        {"text": 42},
        {"text": "오늘 비가 온다.", "published_at": "not a date"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    units = expand([path])
    assert [u.article_id for u in units] == ["crawl/0", "crawl/1", "crawl/2", "crawl/3"]
    first, empty, number, bad_date = (u.read() for u in units)
    assert (first.anchor, first.url, first.source) == ("2024-05-20", "https://a.kr/1", "table")
    assert empty.status == "empty"
    assert number.status == "error" and "int" in number.error
    assert bad_date.status == "error" and "not a date" in bad_date.error


def test_a_table_row_of_html_is_rendered(tmp_path):
    page = (PAGES / "graph_jsonld.html").read_text(encoding="utf-8")
    path = tmp_path / "pages.parquet"
    pd.DataFrame({"id": ["kw-1"], "html": [page]}).to_parquet(path)
    [unit] = expand([path])
    raw = unit.read()
    assert (raw.article_id, raw.source) == ("kw-1", "html")
    assert raw.markup.title == "춘천시, 내달 1일부터 시내버스 노선 개편"


def test_an_unreadable_table_or_a_missing_column_is_one_error_row(tmp_path):
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    (tmp_path / "notext.csv").write_text("id,title\n1,제목\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("서울시는 21일 새 정책을 발표했다.\n", encoding="utf-8")
    run(str(tmp_path), "-o", str(tmp_path / "out"))
    articles = load(tmp_path / "out")["articles"].set_index("article_id")
    assert articles.loc["broken", "status"] == "error"
    assert "cannot read the table" in articles.loc["broken", "error"]
    assert articles.loc["notext", "status"] == "error"
    assert "--text-column" in articles.loc["notext", "error"]
    assert articles.loc["ok", "status"] == "ok"


def test_a_named_column_that_is_missing_is_an_error_row(tmp_path):
    path = tmp_path / "crawl.csv"
    pd.DataFrame({"body": ["서울시는 발표했다."]}).to_csv(path, index=False)
    [unit] = expand([path], TableColumns(text="본문2"))
    assert unit.read().status == "error" and "no column '본문2'" in unit.read().error


# -- what a run takes ---------------------------------------------------------------------
def test_a_folder_of_mixed_inputs_a_glob_and_standard_input(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("서울시는 21일 새 정책을 발표했다.\n", encoding="utf-8")
    (folder / "a.html").write_bytes((PAGES / "euc_kr_og.html").read_bytes())
    (folder / "b.jsonl").write_text('{"id": "b-1", "text": "부산시는 밝혔다."}\n', encoding="utf-8")
    run(str(folder), "-o", str(tmp_path / "out"))
    articles = load(tmp_path / "out")["articles"]
    assert list(articles["article_id"]) == ["a", "a.txt", "b-1"]  # in path order; ids kept apart
    assert list(articles["source"]) == ["html", "text", "table"]

    run(str(folder / "*.html"), "-o", str(tmp_path / "glob"))
    assert list(load(tmp_path / "glob")["articles"]["article_id"]) == ["a"]

    run("-", "-o", str(tmp_path / "stdin"), input=(PAGES / "graph_jsonld.html").read_bytes())
    stdin = load(tmp_path / "stdin")["articles"].iloc[0]
    assert (stdin["article_id"], stdin["source"], stdin["outlet"]) == ("stdin", "html", "강원일보")


def test_an_input_naming_nothing_is_a_one_line_error(tmp_path):
    with pytest.raises(InputError):
        expand([tmp_path / "missing"])
    result = runner.invoke(app, ["run", str(tmp_path / "*.nothing"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "no file matches" in result.output


def test_analyse_frame_reads_a_column_of_html(tmp_path):
    page = (PAGES / "graph_jsonld.html").read_text(encoding="utf-8")
    df = pd.DataFrame({"id": ["p1", "p2"], "html": [page, None], "text": [None, "부산시는 밝혔다."]})
    tables = analyse_frame(df, html="html", id="id", progress=False)
    articles = tables["articles"].set_index("article_id")
    assert articles.loc["p1", "source"] == "html" and articles.loc["p1", "outlet"] == "강원일보"
    assert articles.loc["p2", "source"] == "text"
