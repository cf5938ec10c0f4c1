"""knews as a Python package and in pandas: `import knews`, versions, entity ids."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import regex
from typer.testing import CliRunner

import knews
from extractors.entity_ids import entity_id
from pipeline.cli import app

from .conftest import RAW

runner = CliRunner()


def test_import_knews_works_beside_a_notebooks_own_pipeline_py(tmp_path):
    (tmp_path / "pipeline.py").write_text("STEPS = ['mine']\n", encoding="utf-8")
    code = (
        "import knews; t = knews.analyse('서울시는 21일 밝혔다.', clean=False); "
        "print(knews.__version__, len(t['sentences']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    version, sentences = out.stdout.split()
    assert version == knews.__version__ and sentences == "1"


def test_version_names_knews_kiwi_and_spacy():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"knews {knews.__version__}"
    assert any(line.startswith("kiwipiepy ") for line in lines)
    assert any(line.startswith("spacy ") for line in lines)


def test_entity_ids_are_the_same_across_articles_and_runs(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert runner.invoke(app, ["run", str(RAW), "-o", str(out), "-q"]).exit_code == 0
    a, b = knews.load(first), knews.load(second)
    assert a["people"]["entity_id"].tolist() == b["people"]["entity_id"].tolist()
    people = a["people"]
    yoon = people[people["name"] == "윤석열"]
    assert yoon["article_id"].nunique() >= 2 and yoon["entity_id"].nunique() == 1
    assert yoon["entity_id"].iloc[0] == entity_id("person", "윤석열")
    orgs = a["organizations"]
    msit = orgs[orgs["name"] == "과학기술정보통신부"]
    assert msit["entity_id"].nunique() == 1 and msit["entity_id"].iloc[0].startswith("O-")


def test_quotes_pledges_and_mentions_point_to_the_entities(tmp_path):
    assert runner.invoke(app, ["run", str(RAW), "-o", str(tmp_path), "-q"]).exit_code == 0
    t = knews.load(tmp_path)
    entities = t["entities"].set_index("entity_id")
    ids = set(entities.index)
    quotes = t["quotes"]
    assert set(quotes["speaker_kind"]) <= {"person", "organization", "group", "unnamed"}
    named = quotes.dropna(subset=["speaker_id"])
    assert len(named) > 20 and set(named["speaker_id"]) <= ids
    assert (quotes[quotes["speaker_kind"] == "unnamed"]["speaker_id"].isna()).all()
    groups = quotes[quotes["speaker_kind"] == "group"]["speaker"]
    assert len(groups) and all(isinstance(g, str) for g in groups)
    pledges = t["pledges"].dropna(subset=["actor_id"])
    assert len(pledges) and set(pledges["actor_id"]) <= ids
    mentions = t["mentions"]
    people_mentions = mentions[mentions["kind"] == "person"]
    assert people_mentions["entity_id"].notna().all()
    assert set(people_mentions["entity_id"]) <= ids
    # the corpus-level table: each entity once, with its names and its articles
    yoon = entities.loc[entity_id("person", "윤석열")]
    assert yoon["kind"] == "person" and "윤 대통령" in list(yoon["names"])
    assert yoon["n_articles"] == t["people"].query("name == '윤석열'")["article_id"].nunique()


def test_who_is_quoted_most_in_three_lines(tmp_path):
    """The docs' walk-through: the most quoted speakers, people or organisations."""
    assert runner.invoke(app, ["run", str(RAW), "-o", str(tmp_path), "-q"]).exit_code == 0
    t = knews.load(tmp_path)
    counts = t["quotes"]["speaker_id"].value_counts()
    top = t["entities"].set_index("entity_id").loc[counts.index, ["name", "kind"]]
    top = top.assign(quotes=counts.values)
    assert top["quotes"].is_monotonic_decreasing and set(top["kind"]) <= {"person", "organization"}
    assert top.iloc[0]["quotes"] >= 3
    assert len(top) == t["quotes"]["speaker_id"].nunique()  # every speaker id is an entity


def test_parquet_holds_timestamps_and_lists_not_text(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    assert runner.invoke(app, ["run", str(RAW), "-o", str(tmp_path), "-q"]).exit_code == 0
    schema = pq.read_schema(tmp_path / "articles.parquet")
    assert pa.types.is_timestamp(schema.field("published_at").type)
    assert pa.types.is_list(schema.field("authors").type)
    assert pa.types.is_integer(
        pq.read_schema(tmp_path / "sentences.parquet").field("raw_start").type
    )
    published = pq.read_table(tmp_path / "articles.parquet").column("published_at").to_pylist()
    assert any(p is not None and p.year == 2024 for p in published)


def test_spacy_finds_the_kiwi_tokenizer_by_its_entry_point(tmp_path):
    code = (
        "import spacy; nlp = spacy.blank('ko', config={'nlp': {'tokenizer': "
        "{'@tokenizers': 'knews.KiwiTokenizer.v1'}}}); "
        "print(' '.join(t.text for t in nlp('대통령은 말했다.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["대통령", "은", "말", "하", "었", "다", "."]


def test_an_empty_input_is_exit_1_and_skipped_files_are_counted(tmp_path):
    (tmp_path / "notes.md").write_text("# 메모\n", encoding="utf-8")
    (tmp_path / "gold.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "skipped 2 files" in result.output and "nothing to read" in result.output


def test_dates_given_in_a_csv_anchor_pages_without_one(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("서울시는 어제 새 정책을 발표했다고 밝혔다.\n", encoding="utf-8")
    (tmp_path / "dates.csv").write_text("file,published_at\na.txt,2024-05-21\n", encoding="utf-8")
    args = ["run", str(folder), "-o", str(tmp_path / "o"), "-q"]
    assert runner.invoke(app, [*args, "--dates", str(tmp_path / "dates.csv")]).exit_code == 0
    t = knews.load(tmp_path / "o")
    assert t["dates"]["value"].tolist() == ["2024-05-20"]
    assert str(t["articles"]["published_at"].iloc[0].date()) == "2024-05-21"
    assert "published_at:given" in list(t["articles"]["metadata_source"].iloc[0])


def test_explain_shows_one_table_on_one_line_and_refuses_a_missing_file(tmp_path):
    page = RAW / "003_c6224cea8f581afb.txt"
    result = runner.invoke(app, ["explain", str(page), "--table", "quotes", "--line", "114"])
    assert result.exit_code == 0
    assert "quotes (2)" in result.output and "people (" not in result.output
    missing = runner.invoke(app, ["explain", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_a_doc_of_the_page_carries_the_extractions_for_displacy():
    from spacy import displacy

    from pipeline.ingest import normalise

    text = (RAW / "003_c6224cea8f581afb.txt").read_text(encoding="utf-8")
    doc = knews.Pipeline().doc(text)
    assert doc.text == normalise(text)  # the page as it was read, `말했다` and all
    people = {e.text for e in doc.ents if e.label_ == "PERSON"}
    assert {"이종호", "한덕수"} <= people
    labels = {s.label_ for s in doc.spans["knews"]}
    assert {"PERSON", "ORG", "DATE", "QUOTE", "PLEDGE"} <= labels
    sentence = doc.spans["sentences"][0]
    assert sentence.text.startswith("[CWN 소미연 기자]")
    html = displacy.render(doc[sentence.start : sentence.end].as_doc(), style="ent")
    assert "소미연" in html and "PERSON" in html
    spans = displacy.render(doc, style="span", options={"spans_key": "knews"})
    assert "QUOTE" in spans


def test_a_run_may_leave_out_jsonl(tmp_path):
    args = ["run", str(RAW), "-o", str(tmp_path), "-q", "--formats", "parquet"]
    assert runner.invoke(app, args).exit_code == 0
    assert not list(tmp_path.glob("*.jsonl")) and (tmp_path / "quotes.parquet").exists()
    assert len(knews.load(tmp_path)["quotes"]) > 20
    again = runner.invoke(app, args)  # an unchanged re-run finds its tables
    assert again.exit_code == 0 and len(knews.load(tmp_path)["quotes"]) > 20


# -- rule files against their schema ---------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("dates.toml", "[settings]\npast_wrds = ['지지난']\n", "did you mean 'past_words'?"),
        ("people.toml", 'prefix_titels = ["명예기자"]\n', "did you mean 'prefix_titles'?"),
        ("dates.toml", "[holidays.lunar]\n\"칠석\" = '7월 7일'\n", "칠석 must be a list"),
        ("dates.toml", "[relative_years]\n\"재재작년\" = '-3'\n", "must be a whole number"),
        ("boilerplate.toml", '[[rule]]\nname = "x"\nzones = "tail"\n', "zones must be a list"),
        ("organizations.tsv", "name\ttype\taliases\n한빛전자\tcompnay\t\n", "'company'?"),
    ],
)
def test_a_rule_file_that_does_not_fit_its_schema_is_named_with_a_suggestion(
    tmp_path, name, text, message
):
    from pipeline.rulefiles import RuleFileError, validate_folder

    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match=regex.escape(message)) as caught:
        validate_folder(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / name}:")


def test_new_words_in_a_word_table_are_accepted_with_the_tables_type(tmp_path):
    from pipeline.rulefiles import validate_folder

    (tmp_path / "dates.toml").write_text(
        '[holidays.lunar]\n"칠석" = [7, 7]\n[relative_years]\n"재재작년" = -3\n', encoding="utf-8"
    )
    validate_folder(tmp_path)  # no error


def test_the_rule_schema_is_printed_as_json_schema_for_editors():
    result = runner.invoke(app, ["rules", "schema", "boilerplate.toml"])
    schema = json.loads(result.output)
    assert schema["title"] == "boilerplate.toml" and schema["additionalProperties"] is False
    rule = schema["$defs"]["Rule"]
    assert rule["properties"]["max_len"]["type"] == "integer"
    assert rule["properties"]["patterns"]["items"]["type"] == "string"
    wrong = runner.invoke(app, ["rules", "schema", "boilerplat.toml"])
    assert wrong.exit_code == 2 and "did you mean 'boilerplate.toml'?" in wrong.output
