"""Users' rule folders, `knews rules test`, `knews explain`, `knews eval` and plugins."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors import base
from pipeline.cli import app
from pipeline.rulefiles import RuleFileError, rule_set_hash, use_rule_folders

from .conftest import RAW, ROOT

SCORER = ROOT.parent / "shared" / "eval" / "score.py"
GOLD = ROOT.parent / "shared" / "gold"
MONEY = ROOT / "examples" / "knews-money"
DOCENT = "김하늘 국립중앙박물관 도슨트는 “전시 해설을 매일 바꾸겠다”고 말했다.\n퀀텀나래는 새 위성을 공개했다고 밝혔다.\n"
runner = CliRunner()


@pytest.fixture(autouse=True)
def builtin_rules_only():
    """Every test starts and ends with the built-in rules and extractors only."""
    base.available()  # the built-in extractors are registered before the snapshot
    registered = dict(base._REGISTRY)
    use_rule_folders([])
    yield
    use_rule_folders([])
    base._REGISTRY.clear()
    base._REGISTRY.update(registered)


@pytest.fixture
def user_rules(tmp_path) -> Path:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "titles.txt").write_text(
        "# museum titles\n# example: 김하늘 국립중앙박물관 도슨트가 안내했다. => people: 김하늘\n도슨트\n",
        encoding="utf-8",
    )
    (folder / "organizations.tsv").write_text(
        "name\ttype\taliases\n퀀텀나래\tcompany\t나래\n", encoding="utf-8"
    )
    return folder


def run_on(text: str, tmp_path: Path, *options: str) -> dict[str, list[dict]]:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir(parents=True, exist_ok=True)
    (src / "a.txt").write_text("새 소식\n\n" + text, encoding="utf-8")
    result = runner.invoke(app, ["run", str(src), "-o", str(out), "-q", *options])
    assert result.exit_code == 0, result.output
    tables = {}
    for path in out.glob("*.jsonl"):
        tables[path.stem] = [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines()]
    tables["run"] = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return tables


def test_user_rule_folder_adds_a_title_and_an_organisation(tmp_path, user_rules):
    plain = run_on(DOCENT, tmp_path / "plain")
    # Without the title word, 김하늘 is at most a bare name, never a 도슨트.
    assert all("도슨트" not in p["titles"] for p in plain["people"])
    assert "퀀텀나래" not in [o["name"] for o in plain["organizations"]]
    ruled = run_on(DOCENT, tmp_path / "ruled", "--rules", str(user_rules))
    person = next(p for p in ruled["people"] if p["name"] == "김하늘")
    assert person["titles"] == ["도슨트"] and person["rule"] == "titles.txt:도슨트"
    org = next(o for o in ruled["organizations"] if o["name"] == "퀀텀나래")
    assert org["type"] == "company"
    assert [q["speaker"] for q in ruled["quotes"]] == ["김하늘"]
    assert ruled["run"]["versions"]["rules"] != plain["run"]["versions"]["rules"]
    assert ruled["run"]["rule_folders"] == [str(user_rules)]


def test_rule_set_hash_follows_the_active_folders(user_rules):
    builtin = rule_set_hash()
    use_rule_folders([user_rules])
    assert rule_set_hash() != builtin
    use_rule_folders([])
    assert rule_set_hash() == builtin


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "boilerplate.toml",
            '[[rule]]\nname = "ads"\npatterns = ["광고(("]\nmatch = ["광고"]\n',
            "boilerplate.toml:3",
        ),
        ("organizations.tsv", "name\ttype\taliases\n퀀텀나래\tcompany\n", "organizations.tsv:2"),
        ("people.toml", 'prefix_titels = ["명예기자"]\n', "unknown key 'prefix_titels'"),
        ("dates.toml", "[relative_years\n", "dates.toml"),
        ("gazetteer.tsv", "x\n", "unknown rule file"),
        (
            "token_patterns.jsonl",
            '{"label": "ORG", "id": "bad", "pattern": [{"TAGG": "NNP"}]}\n',
            "token_patterns.jsonl:1: bad token pattern 'bad'",
        ),
    ],
)
def test_a_malformed_rule_file_stops_the_run_before_any_article(tmp_path, name, content, message):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / name).write_text(content, encoding="utf-8")
    with pytest.raises(RuleFileError, match=message.replace("(", r"\(")):
        use_rule_folders([folder])
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(RAW), "-o", str(out), "--rules", str(folder)])
    assert result.exit_code == 2
    assert message in result.output
    assert not (out / "articles.jsonl").exists()


def test_rules_test_passes_on_the_builtin_rules():
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0, result.output
    assert ", 0 failed" in result.output


def test_rules_test_reports_a_wrong_example(tmp_path, user_rules):
    with (user_rules / "titles.txt").open("a", encoding="utf-8") as fh:
        fh.write("# example: 박서준 국립중앙박물관 도슨트가 안내했다. => people: 이서준\n")
    result = runner.invoke(app, ["rules", "test", str(user_rules)])
    assert result.exit_code == 1
    assert "1 failed" in result.output
    assert "titles.txt:4" in result.output
    assert "people row with '이서준'" in result.output
    assert "박서준" in result.output  # what was found instead


def test_explain_shows_person_quote_pledge_and_their_rules():
    sentence = "윤석열 대통령은 “AI 안전에 힘쓰겠다”고 말했다."
    result = runner.invoke(app, ["explain", sentence], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "NNP" in out and "JX" in out  # the morphemes with their tags
    assert "titles.txt:대통령" in out
    assert "quotes.toml:double_marks" in out and "subject before the quote" in out
    assert "pledges.toml:commitment_endings:겠다" in out
    assert "AI 안전에 힘쓰겠다" in out and "윤석열 대통령은" in out


def test_explain_reads_a_page_with_its_boilerplate():
    result = runner.invoke(app, ["explain", str(RAW / "003_c6224cea8f581afb.txt")])
    assert result.exit_code == 0, result.output
    assert "weather_widget" in result.output and "copyright" in result.output


@pytest.mark.skipif(not SCORER.exists(), reason="the shared scorer is not beside the project")
def test_eval_gives_the_scorers_numbers(tmp_path):
    assert runner.invoke(app, ["run", str(RAW), "-o", str(tmp_path), "-q"]).exit_code == 0
    ours = json.loads(
        runner.invoke(app, ["eval", str(tmp_path), "--gold", str(GOLD), "--json"]).output
    )
    referee = json.loads(
        subprocess.run(
            [sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(tmp_path), "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    referee.pop("_articles")
    assert set(ours["overall"]) == set(referee)
    for name, figures in referee.items():
        for key, value in figures.items():
            if isinstance(value, float):
                assert abs(ours["overall"][name][key] - value) <= 0.01, (name, key)
    assert set(ours["articles"]) == {p.stem for p in GOLD.glob("*.json")}


def test_plugin_by_dotted_path_adds_a_table(tmp_path, monkeypatch):
    monkeypatch.chdir(MONEY)
    tables = run_on(
        "삼성은 2조 원 규모의 투자를 발표했다. 매출은 560억 달러다.\n",
        tmp_path,
        "--extractor",
        "knews_money:MoneyExtractor",
    )
    assert [(m["text"], m["value"], m["currency"]) for m in tables["money"]] == [
        ("2조 원", 2_000_000_000_000, "KRW"),
        ("560억 달러", 56_000_000_000, "USD"),
    ]
    assert "money" in tables["run"]["extractors"]


def test_installed_plugin_is_found_by_its_entry_point(tmp_path, monkeypatch):
    """An installed distribution's `knews.extractors` entry point, as pip would leave it."""
    site = tmp_path / "site"
    shutil.copytree(MONEY, site, ignore=shutil.ignore_patterns("pyproject.toml"))
    info = site / "knews_money-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: knews-money\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(
        "[knews.extractors]\nmoney = knews_money:MoneyExtractor\n"
    )
    monkeypatch.syspath_prepend(str(site))
    from extractors import available

    assert "money" in available()
    tables = run_on("정부는 3억5000만 달러를 지원한다.\n", tmp_path)
    assert tables["money"][0]["value"] == 350_000_000
