"""The batch run end to end: CLI, error rows, atomic tables, ``load``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app

from .conftest import FIXTURES, RAW, ROOT

SCORER = ROOT.parent / "shared" / "eval" / "score.py"
GOLD = ROOT.parent / "shared" / "gold"


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    """A folder with a good article, a CP949 one, an empty and a binary file."""
    src = tmp_path_factory.mktemp("in")
    out = tmp_path_factory.mktemp("out")
    shutil.copy(RAW / "003_c6224cea8f581afb.txt", src / "cwn.txt")
    (src / "sub").mkdir()
    cp949 = (FIXTURES / "09_press_release_gwangmyeong.txt").read_text(encoding="utf-8")
    (src / "sub" / "press.txt").write_bytes(cp949.encode("cp949"))
    (src / "empty.txt").write_bytes(b"")
    (src / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(range(200)))
    result = CliRunner().invoke(app, ["run", str(src), "-o", str(out)])
    return result, out


def test_run_goes_on_after_bad_files(mixed_run):
    result, out = mixed_run
    assert result.exit_code == 0, result.output
    assert "photo.txt: error: binary" in result.output
    assert "empty.txt: empty" in result.output
    articles = pipeline.load(out)["articles"]
    statuses = dict(zip(articles["article_id"], articles["status"], strict=True))
    assert statuses == {"cwn": "ok", "empty": "empty", "photo": "error", "sub/press": "ok"}


def test_tables_are_published_whole(mixed_run):
    _, out = mixed_run
    names = sorted(p.name for p in out.iterdir())
    assert not [n for n in names if n.endswith(".tmp")]
    for table in ("articles", "sentences", "boilerplate"):
        for fmt in ("jsonl", "csv", "parquet"):
            assert f"{table}.{fmt}" in names
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["statuses"] == {"ok": 2, "empty": 1, "error": 1}
    assert run["counts"]["articles"] == 4 and len(run["versions"]["rules"]) == 16


def test_load_gives_typed_frames(mixed_run):
    _, out = mixed_run
    tables = pipeline.load(out)
    articles = tables["articles"].set_index("article_id")
    assert str(articles["published_at"].dtype).startswith("datetime64")
    assert articles.loc["cwn", "published_at"] == pd.Timestamp("2024-05-22 14:00:30")
    assert articles.loc["cwn", "authors"] == ["소미연"]
    assert articles.loc["cwn", "subtitles"][1].startswith("책임·발전·혜택")
    assert str(tables["sentences"]["raw_start"].dtype) == "Int64"


def test_csv_opens_in_pandas_with_joined_lists(mixed_run):
    _, out = mixed_run
    frame = pd.read_csv(out / "articles.csv", encoding="utf-8-sig")
    row = frame.set_index("article_id").loc["cwn"]
    assert row["subtitles"].count("; ") == 1
    assert (out / "articles.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_every_boilerplate_and_sentence_row_traces_back(mixed_run):
    _, out = mixed_run
    tables = pipeline.load(out)
    raw = (RAW / "003_c6224cea8f581afb.txt").read_text(encoding="utf-8")
    for table in ("sentences", "boilerplate"):
        rows = tables[table][tables[table]["article_id"] == "cwn"]
        assert len(rows)
        for row in rows.itertuples():
            assert raw[row.raw_start : row.raw_end] == row.text
            assert row.text in raw.split("\n")[row.raw_line - 1]


@pytest.mark.skipif(not SCORER.exists(), reason="the shared scorer is not beside the project")
def test_sample_scores_meet_the_targets(tmp_path):
    result = CliRunner().invoke(app, ["run", str(RAW), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    scored = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    scores = json.loads(scored.stdout)
    assert scores["body_lines"]["f1"] >= 0.98
    for field in ("title", "authors", "published_at"):
        assert scores[f"metadata.{field}"]["accuracy"] == 1.0
    assert scores["metadata.outlet"]["accuracy"] >= 0.8
    # The extractors' targets on the sample.
    assert scores["people"]["f1"] >= 0.95
    assert scores["people.titles"]["accuracy"] >= 0.95
    assert scores["people.aliases"]["accuracy"] >= 0.9
    assert scores["organizations"]["f1"] >= 0.90
    assert scores["dates"]["f1"] >= 0.95 and scores["dates.value"]["accuracy"] >= 0.95
    assert scores["quotes"]["f1"] >= 0.95 and scores["quotes.speaker"]["accuracy"] >= 0.95
    assert scores["pledges"]["f1"] >= 0.85 and scores["pledges.actor"]["accuracy"] >= 0.85
