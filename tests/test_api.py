"""The Python API: the same tables as `knews run`, for texts and DataFrames."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import pipeline
from pipeline.run import run

from .conftest import RAW

SENTENCE = "윤석열 대통령은 21일 “AI 안전에 힘쓰겠다”고 말했다."
IGNORED = ["article_id", "source_path", "encoding"]


@pytest.fixture(scope="module")
def cli_tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    run(RAW, out, jobs=1)
    return pipeline.load(out)


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in IGNORED if c in frame]).reset_index(drop=True)


@pytest.mark.parametrize("path", sorted(RAW.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_analyse_gives_the_rows_of_a_run(path, cli_tables):
    ours = pipeline.analyse(path.read_text(encoding="utf-8"), article_id=path.stem)
    for table, frame in cli_tables.items():
        if table == "entities":  # corpus-level: one row per entity of the run, no article_id
            continue
        theirs = frame[frame["article_id"] == path.stem]
        assert len(ours[table]) == len(theirs), table
        pd.testing.assert_frame_equal(
            comparable(ours[table]), comparable(theirs), check_dtype=False, obj=table
        )


def test_one_clean_sentence_with_a_publication_date():
    tables = pipeline.analyse(SENTENCE, published_at="2024-05-20", clean=False)
    assert tables["people"][["name", "role"]].values.tolist() == [["윤석열", "subject"]]
    assert tables["dates"][["text", "value"]].values.tolist() == [["21일", "2024-05-21"]]
    quote = tables["quotes"].iloc[0]
    assert (quote["text"], quote["speaker"], quote["verb"]) == (
        "AI 안전에 힘쓰겠다",
        "윤석열",
        "말했다",
    )
    pledge = tables["pledges"].iloc[0]
    assert (pledge["actor"], pledge["cue"]) == ("윤석열", "겠다")
    assert tables["sentences"]["text"].tolist() == [SENTENCE]


@pytest.mark.parametrize(
    "anchor",
    ["2024-05-20", dt.date(2024, 5, 20), dt.datetime(2024, 5, 20, 9), pd.Timestamp("2024-05-20")],
)
def test_publication_date_in_any_form(anchor):
    dates = pipeline.analyse("회의는 21일 열린다.", published_at=anchor, clean=False)["dates"]
    assert dates["value"].tolist() == ["2024-05-21"]


def test_bad_texts_become_status_rows():
    for value, status in [(None, "empty"), ("", "empty"), ("  \n", "empty"), (123, "error")]:
        tables = pipeline.analyse(value)
        assert tables["articles"]["status"].tolist() == [status]
        assert tables["sentences"].empty and tables["people"].empty


def test_a_bad_publication_date_names_the_row():
    frame = pd.DataFrame(
        {"text": [SENTENCE, SENTENCE], "day": ["2024-05-20", "어제"]}, index=["a", "b"]
    )
    with pytest.raises(ValueError, match="row 'b'"):
        pipeline.analyse_frame(frame, published_at="day", clean=False, progress=False)


@pytest.fixture(scope="module")
def frame(cli_tables) -> pd.DataFrame:
    """200 rows: body sentences of the samples, their headlines, and a few bad rows."""
    sentences = cli_tables["sentences"]["text"].tolist()
    texts = (sentences * 3)[:196] + [None, "", 42, "   "]
    return pd.DataFrame(
        {"doc": [f"d{i:03d}" for i in range(200)], "text": texts, "day": ["2024-05-20"] * 200}
    )


def test_frame_equals_one_call_per_row(frame):
    tables = pipeline.analyse_frame(
        frame, id="doc", published_at="day", clean=False, progress=False
    )
    calls = [
        pipeline.analyse(t, article_id=i, published_at=d, clean=False)
        for i, t, d in zip(frame["doc"], frame["text"], frame["day"], strict=True)
    ]
    for table, got in tables.items():
        if table == "entities":  # corpus-level: the frame's entities span its rows
            assert set(got["entity_id"]) == set(tables["people"]["entity_id"]) | set(
                tables["organizations"]["entity_id"]
            )
            continue
        want = pd.concat([c[table] for c in calls], ignore_index=True)
        pd.testing.assert_frame_equal(
            got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False, obj=table
        )
    statuses = tables["articles"].set_index("article_id")["status"]
    assert statuses[["d196", "d197", "d198", "d199"]].tolist() == [
        "empty",
        "empty",
        "error",
        "empty",
    ]
    assert (tables["articles"]["status"] == "ok").sum() == 196


def test_two_jobs_equal_one(frame):
    one = pipeline.analyse_frame(frame, id="doc", clean=False, progress=False)
    two = pipeline.analyse_frame(frame, id="doc", clean=False, n_jobs=2, progress=False)
    for table in one:
        pd.testing.assert_frame_equal(one[table], two[table], obj=table)


def test_the_index_is_the_id_when_no_column_is_named():
    frame = pd.DataFrame({"text": [SENTENCE]}, index=[17])
    tables = pipeline.analyse_frame(frame, clean=False, progress=False)
    assert tables["people"]["article_id"].tolist() == ["17"]


def test_a_pipeline_is_built_once():
    from pipeline.api import default_pipeline
    from pipeline.nlp import kiwi

    assert default_pipeline() is default_pipeline()
    loaded = kiwi()
    pipeline.analyse(SENTENCE, clean=False)
    assert kiwi() is loaded
