"""`knews report`: the review site of a run, checked as files and in a real browser.

The browser tests drive Debian's Chromium (`/usr/bin/chromium`, or $KNEWS_CHROMIUM) with
Playwright for Python and no browser download; they are skipped, with the reason, where
either is missing. Screenshots go to build/report-screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.report import build
from pipeline.run import run

from .conftest import RAW, ROOT

runner = CliRunner()
SCREENSHOTS = Path(os.environ.get("KNEWS_SCREENSHOTS", ROOT / "build" / "report-screenshots"))
CHROMIUM = os.environ.get("KNEWS_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The sample pages, an empty file, a binary file and a file knews does not read."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(RAW.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    (folder / "zz_empty.txt").write_text("", encoding="utf-8")
    (folder / "zz_noise.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "notes.md").write_text("not a page\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def output(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("output")
    run(corpus, out, jobs=1)
    return out


@pytest.fixture(scope="module")
def site(output, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "report"
    build(output, folder)
    return folder


def page_data(site: Path, name: str) -> dict:
    html = (site / "articles" / name).read_text(encoding="utf-8")
    start = html.index('<script id="data" type="application/json">') + 42
    return json.loads(html[start : html.index("</script>", start)].replace("<\\/", "</"))


# -- the files ------------------------------------------------------------------------------
def test_the_site_has_an_index_a_page_per_article_and_an_overview(site, output):
    articles = pd.read_parquet(output / "articles.parquet")
    pages = sorted(p.name for p in (site / "articles").glob("*.html"))
    assert len(pages) == len(articles) == 7
    index = (site / "index-data.js").read_text(encoding="utf-8")
    data = json.loads(index.removeprefix("window.KNEWS_INDEX = ").rstrip(";\n"))
    assert [row[2] for row in data["rows"]] == list(articles["article_id"])  # the run's order
    overview = (site / "overview.html").read_text(encoding="utf-8")
    assert overview.count("<svg") == 5  # the charts are drawn into the page
    assert '<script src="http' not in overview + (site / "index.html").read_text("utf-8")


def test_an_article_page_holds_every_raw_line_at_its_offsets(site, output):
    articles = pd.read_parquet(output / "articles.parquet")
    article = articles[articles["article_id"].str.startswith("003_")].iloc[0]
    raw = Path(article["source_path"]).read_text(encoding="utf-8")
    data = page_data(site, f"{article['article_id']}.html")
    lines = data["lines"]
    assert [number for number, *_ in lines] == list(range(1, len(lines) + 1))
    for _number, start, _kind, _label, text in lines:
        assert raw[start : start + len(text)] == text
    kinds = {(kind, label) for _n, _s, kind, label, _t in lines}
    assert ("header", "title") in kinds and ("boilerplate", "weather_widget") in kinds
    for name in ("people", "dates", "quotes", "pledges", "mentions"):
        assert data["tables"][name]["rows"], name


def test_the_overview_says_what_was_skipped_and_what_failed_and_why(site):
    overview = (site / "overview.html").read_text(encoding="utf-8")
    assert "1 .md" in overview
    assert "zz_empty.txt" in overview and "file has no text" in overview
    assert "zz_noise.txt" in overview and "binary file" in overview
    assert 'href="articles/zz_noise.html"' in overview  # a failed article has its page too


def test_a_second_report_redoes_nothing_and_a_changed_run_only_its_pages(corpus, tmp_path):
    pages, out, folder = tmp_path / "corpus", tmp_path / "out", tmp_path / "report"
    shutil.copytree(corpus, pages)
    run(pages, out, jobs=1)
    first = build(out, folder)
    assert (first.written, first.charts_drawn) == (7, True)
    again = build(out, folder)
    assert (again.written, again.unchanged, again.charts_drawn) == (0, 7, False)

    edited = next(pages.glob("002_*.txt"))
    edited.write_text(edited.read_text("utf-8").replace("기자", "특파원", 1), encoding="utf-8")
    (pages / "zz_empty.txt").unlink()
    run(pages, out, jobs=1)
    changed = build(out, folder)
    assert changed.removed == 1 and not (folder / "articles" / "zz_empty.html").exists()
    # The edited page, and the removed page's neighbours (their "previous" and "next").
    assert (changed.written, changed.unchanged) == (3, 3)


def test_a_report_reads_an_output_of_csv_only(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out, jobs=1, formats=("csv",))
    summary = build(out, tmp_path / "report")
    assert summary.articles == 7
    data = page_data(
        tmp_path / "report", next(p.name for p in (tmp_path / "report" / "articles").glob("003_*"))
    )
    assert data["lines"] and data["tables"]["people"]["rows"]


def test_the_cli_writes_the_report_and_refuses_a_folder_without_a_run(output, tmp_path):
    result = runner.invoke(app, ["report", str(output), "-o", str(tmp_path / "r")])
    assert result.exit_code == 0 and (tmp_path / "r" / "index.html").exists()
    missing = runner.invoke(app, ["report", str(tmp_path / "nothing"), "-o", str(tmp_path / "x")])
    assert missing.exit_code == 2 and "no run.json" in missing.output
    (tmp_path / "file").write_text("x", encoding="utf-8")
    into_file = runner.invoke(app, ["report", str(output), "-o", str(tmp_path / "file")])
    assert into_file.exit_code == 2 and "is a file" in into_file.output


# -- in a browser ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    page.close()
    assert not errors, errors  # no script error on any page


def test_the_index_lists_the_articles_and_filters_by_outlet_and_text(page, site, output):
    articles = pd.read_parquet(output / "articles.parquet")
    page.goto((site / "index.html").as_uri())
    rows = page.locator("#articles tbody tr")
    assert rows.count() == len(articles)
    titles = set(page.locator("#articles tbody td a").all_inner_texts())
    assert set(articles["title"].dropna()) <= titles
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "index.png")

    outlet = articles["outlet"].dropna().iloc[0]
    page.select_option("#f-outlet", outlet)
    assert rows.count() == int((articles["outlet"] == outlet).sum())
    assert set(page.locator("#articles tbody td:nth-child(2)").all_inner_texts()) == {outlet}
    page.select_option("#f-outlet", "")
    page.fill("#f-text", "AI 서울")
    wanted = articles["title"].fillna("").str.lower().map(lambda t: "ai" in t and "서울" in t)
    assert rows.count() == int(wanted.sum()) >= 1
    page.fill("#f-text", "")
    page.fill("#f-from", "2025-01-01")
    dated = articles["published_at"].dropna()
    assert rows.count() == int((dated >= "2025-01-01").sum()) >= 1
    page.fill("#f-to", "2025-02-12")
    assert rows.count() == int(((dated >= "2025-01-01") & (dated < "2025-02-13")).sum()) >= 1
    page.fill("#f-from", "")
    page.fill("#f-to", "")
    page.select_option("#f-status", "error")
    assert page.locator("#articles tbody tr").all_inner_texts()[0].count("error") == 1


def test_sorting_by_a_count_puts_the_largest_first(page, site, output):
    people = pd.read_parquet(output / "people.parquet").groupby("article_id").size()
    page.goto((site / "index.html").as_uri())
    page.click("th[data-column=people]")
    first = page.locator("#articles tbody tr").first.get_attribute("data-article")
    assert people[first] == people.max()


def test_an_article_page_highlights_each_span_at_its_characters(page, site, output):
    mentions = pd.read_parquet(output / "mentions.parquet")
    dates = pd.read_parquet(output / "dates.parquet")
    aid = next(a for a in mentions["article_id"] if a.startswith("003_"))
    page.goto((site / "articles" / f"{aid}.html").as_uri())
    marks = page.locator("#text mark").evaluate_all(
        "ms => ms.map(m => [m.className, +m.dataset.start, +m.dataset.end, m.textContent])"
    )
    rows = {
        (int(r.raw_start), int(r.raw_end)): r.text
        for r in pd.concat([mentions[mentions["kind"] != "date"], dates]).itertuples()
        if r.article_id == aid
    }
    assert len(marks) >= 0.9 * len(rows) and len(marks) > 20
    raw = Path(
        pd.read_parquet(output / "articles.parquet").set_index("article_id").loc[aid, "source_path"]
    ).read_text(encoding="utf-8")
    for kind, start, end, text in marks:
        assert rows[start, end] == text == raw[start:end], (kind, start, text)
    assert {k.split()[-1] for k, *_ in marks} == {"person", "organization", "date"}
    boiler = page.locator("#text .kind-boilerplate").first
    assert boiler.locator(".why").inner_text().startswith("removed: ")
    page.check("#hide-removed")
    assert not boiler.is_visible() and page.locator("#text .kind-body").first.is_visible()
    page.uncheck("#hide-removed")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#text mark.date").last.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "article.png")


def test_hovering_a_date_shows_its_value(page, site, output):
    dates = pd.read_parquet(output / "dates.parquet")
    row = dates[dates["article_id"].str.startswith("003_")].iloc[-1]
    page.goto((site / "articles" / f"{row.article_id}.html").as_uri())
    page.hover(f"mark.date[data-start='{row.raw_start}']")
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert row.value in tip.inner_text() and row.resolution in tip.inner_text()


def test_each_quote_points_to_its_speaker(page, site, output):
    quotes = pd.read_parquet(output / "quotes.parquet")
    aid = quotes[quotes["speaker_kind"] == "person"]["article_id"].value_counts().index[0]
    speaker_of = {
        f"q{r.quote_id}": r.speaker_id for r in quotes[quotes["article_id"] == aid].itertuples()
    }
    page.goto((site / "articles" / f"{aid}.html").as_uri())
    links = page.locator("#text a.speaker")
    assert links.count() >= 1
    for i in range(links.count()):
        link = links.nth(i)
        target = page.locator(f"#{link.get_attribute('data-target')}")
        assert target.get_attribute("data-entity") == speaker_of[link.get_attribute("data-quote")]
    link = links.first
    link.click()
    assert page.evaluate("location.hash") == f"#{link.get_attribute('data-target')}"


def test_table_rows_link_to_their_lines(page, site, output):
    aid = next((site / "articles").glob("003_*")).stem
    page.goto((site / "articles" / f"{aid}.html").as_uri())
    link = page.locator("#table-quotes tbody a").first
    line = link.inner_text()
    link.click()
    assert page.evaluate("location.hash") == f"#L{line}"
    assert page.locator(f"#L{line}").is_visible()


def test_sentence_and_boilerplate_tables_are_cut_from_the_lines(page, site, output):
    sentences = pd.read_parquet(output / "sentences.parquet")
    boilerplate = pd.read_parquet(output / "boilerplate.parquet")
    aid = next((site / "articles").glob("003_*")).stem
    page.goto((site / "articles" / f"{aid}.html").as_uri())
    shown = page.locator("#table-sentences tbody tr td:last-child").all_text_contents()
    assert shown == list(sentences[sentences["article_id"] == aid]["text"])
    reasons = page.locator("#table-boilerplate tbody tr td:nth-child(2)").all_text_contents()
    assert reasons == list(boilerplate[boilerplate["article_id"] == aid]["reason"])


def test_page_data_cannot_end_or_open_a_script_element():
    from pipeline.report.payload import dumps

    data = dumps({"text": "<!--<script> </script> 기사"})
    assert b"<" not in data and json.loads(data)["text"] == "<!--<script> </script> 기사"
