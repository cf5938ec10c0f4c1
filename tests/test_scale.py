"""Parallel, incremental and distributed runs write the same tables as a plain run."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.base import create_all
from pipeline.cli import app
from pipeline.run import run
from pipeline.tables import load

from .conftest import FIXTURES, RAW

TABLES = (
    "articles",
    "sentences",
    "boilerplate",
    "people",
    "organizations",
    "dates",
    "quotes",
    "pledges",
    "mentions",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Pages in nested folders: samples, test articles, a copy, a bad and an empty file."""
    folder = tmp_path_factory.mktemp("corpus")
    for i, path in enumerate([*sorted(RAW.glob("*.txt")), *sorted(FIXTURES.glob("*.txt"))]):
        target = folder / f"site{i % 3}" / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy(path, target)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "site0" / "copy.txt").write_bytes((RAW / "002_c757f4b4d642b6d7.txt").read_bytes())
    (folder / "site1" / "empty.txt").write_bytes(b"")
    return folder


# Pages of the corpus: the samples and test articles, a copy, and the bad and empty files.
GOOD = len([*RAW.glob("*.txt"), *FIXTURES.glob("*.txt")]) + 1
PAGES = GOOD + 2


def jsonl(folder: Path) -> dict[str, str]:
    return {t: (folder / f"{t}.jsonl").read_text(encoding="utf-8") for t in TABLES}


@pytest.fixture(scope="module")
def plain(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plain")
    run(corpus, out, jobs=1)
    return out


def test_two_jobs_write_the_same_tables_as_one(corpus, plain, tmp_path):
    summary = run(corpus, tmp_path, jobs=2)
    assert summary.articles == PAGES and summary.statuses == {"ok": GOOD, "error": 1, "empty": 1}
    assert jsonl(tmp_path) == jsonl(plain)


def test_incremental_run_after_adding_changing_and_deleting_equals_a_full_run(corpus, tmp_path):
    work, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(corpus, work)
    first = run(work, out, jobs=1)
    assert first.reused == 0
    # change one page, delete one, add one
    changed = work / "site0" / "copy.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("박지성", "김민재"), encoding="utf-8"
    )
    (work / "site1" / "empty.txt").unlink()
    shutil.copy(FIXTURES / "05_kbs_cold_wave.txt", work / "site2" / "new.txt")
    again = run(work, out, jobs=1)
    assert again.reused == PAGES - 2  # all but the changed and the deleted; the new one is new
    with closing(sqlite3.connect(out / ".knews-cache" / "rows.sqlite")) as cache:
        # the rows of the deleted page and of the changed page's old text are gone
        assert cache.execute("SELECT count(*) FROM rows").fetchone()[0] == PAGES
    full = run(work, tmp_path / "full", jobs=1, force=True)
    assert full.reused == 0
    assert jsonl(out) == jsonl(tmp_path / "full")
    articles = [json.loads(ln)["article_id"] for ln in jsonl(out)["articles"].splitlines()]
    assert "site1/empty" not in articles and "site2/new" in articles
    people = jsonl(out)["people"]
    assert "김민재" in people and '"site0/copy", "name": "박지성"' not in people


def test_unchanged_rerun_reuses_every_article_and_a_rule_change_does_not(corpus, plain, tmp_path):
    shutil.copytree(plain, tmp_path / "out")
    assert run(corpus, tmp_path / "out", jobs=1).reused == PAGES
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "titles.txt").write_text("도슨트\n", encoding="utf-8")
    from pipeline.rulefiles import use_rule_folders

    use_rule_folders([rules])
    try:
        assert run(corpus, tmp_path / "out", jobs=1).reused == 0
    finally:
        use_rule_folders([])
    assert run(corpus, tmp_path / "out", jobs=1, force=True).reused == 0


def test_an_unchanged_rerun_leaves_the_tables_alone_unless_one_was_touched(
    corpus, tmp_path, capsys
):
    out = tmp_path / "out"
    first = run(corpus, out, jobs=1)
    before, written = jsonl(out), (out / "people.jsonl").stat().st_mtime_ns
    capsys.readouterr()
    again = run(corpus, out, jobs=1)
    assert again.reused == PAGES and again.counts == first.counts
    assert again.statuses == first.statuses == {"ok": GOOD, "error": 1, "empty": 1}
    assert (out / "people.jsonl").stat().st_mtime_ns == written  # not written again
    assert "broken.txt: error" in capsys.readouterr().err  # bad files are still reported
    (out / "people.jsonl").write_text("", encoding="utf-8")  # a table damaged by hand
    assert run(corpus, out, jobs=1).reused == PAGES
    assert jsonl(out) == before
    run(corpus, out, jobs=1, formats=("jsonl",))  # other formats: the tables are written
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["formats"] == ["jsonl"]
    assert jsonl(out) == before


def test_progress_is_logged_in_plain_lines_off_a_terminal(corpus, tmp_path):
    result = CliRunner().invoke(app, ["run", str(corpus), "-o", str(tmp_path), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert f"knews: {PAGES}/{PAGES} articles" in result.output and "errors" in result.output
    assert "unchanged" in result.output and "rows:" in result.output
    quiet = CliRunner().invoke(app, ["run", str(corpus), "-o", str(tmp_path), "-q"])
    assert quiet.output.strip() == "" or "error" in quiet.output  # only the bad-file messages


def test_kiwi_with_a_thread_of_its_own_writes_the_same_tables(corpus, plain, tmp_path):
    """``KNEWS_KIWI_THREADS=1``: one process analyses ahead; two jobs use a fork server."""
    env = {**os.environ, "KNEWS_KIWI_THREADS": "1"}
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        command = ["run", str(corpus), "-o", str(out), "-j", jobs, "-q"]
        done = subprocess.run(
            [sys.executable, "-m", "pipeline.cli", *command], env=env, capture_output=True
        )
        assert done.returncode == 0, done.stderr.decode()
        assert jsonl(out) == jsonl(plain), jobs


def test_dask_engine_writes_the_same_tables(corpus, plain, tmp_path):
    pytest.importorskip("distributed")
    summary = run(corpus, tmp_path, jobs=2, engine="dask")
    assert summary.statuses == {"ok": GOOD, "error": 1, "empty": 1}
    assert jsonl(tmp_path) == jsonl(plain)
    assert (tmp_path / "people.parquet").is_dir()  # a dataset of Parquet parts
    ours, theirs = load(tmp_path), load(plain)
    for table in TABLES:
        assert ours[table].equals(theirs[table]), table


def test_articles_in_small_batches_get_the_rows_each_gets_alone(corpus, monkeypatch):
    """Kiwi analyses a batch's paragraphs in a row; every article still gets its own rows,
    the bad and empty pages included, in input order."""
    from pipeline import process
    from pipeline.ingest import read_article

    monkeypatch.setattr(process.nlp, "KIWI_THREADS", 0)  # batches are the default mode
    paths = sorted(corpus.rglob("*.txt"))
    raws = [read_article(p, corpus) for p in paths]
    processor = process.ArticleProcessor(create_all())
    alone = [processor.process(raw) for raw in raws]
    monkeypatch.setattr(process, "KIWI_BATCH", 4)
    batched = list(processor.process_many(iter(raws)))
    assert len(batched) == len(raws) > 4 * 3
    assert batched == alone
    statuses = {rows["articles"][0]["status"] for rows in batched}
    assert {"ok", "error", "empty"} <= statuses


def test_an_article_kiwi_cannot_analyse_becomes_an_error_row_and_the_batch_goes_on(
    corpus, monkeypatch
):
    from pipeline import process
    from pipeline.ingest import RawArticle

    real = process.analyse_each

    def analyse_each(texts):
        if any("분석 불가" in t for t in texts):
            raise RuntimeError("Kiwi gave up")
        return real(texts)

    monkeypatch.setattr(process, "analyse_each", analyse_each)
    monkeypatch.setattr(process.nlp, "KIWI_THREADS", 0)  # batches are the default mode
    raws = [
        RawArticle("a", "a.txt", "서울시는 21일 공원을 연다고 밝혔다."),
        RawArticle("b", "b.txt", "이 문장은 분석 불가 상태다."),
        RawArticle("c", "c.txt", "부산시는 22일 다리를 고친다고 밝혔다."),
    ]
    processor = process.ArticleProcessor(create_all())
    rows = list(processor.process_many(raws))
    assert [r["articles"][0]["status"] for r in rows] == ["ok", "error", "ok"]
    assert rows[1]["articles"][0]["error"] == "RuntimeError: Kiwi gave up"
    assert [d["text"] for d in rows[2]["dates"]] == ["22일"]
