"""Figures per outlet, and each outlet scored as if its pages were unseen.

    python bench/outlets.py            # a Markdown table on stdout

Pages: the samples (``raw/`` with ``../shared/gold``) and the real pages of
``../shared/dev``, grouped by the outlet their gold names. Each outlet is scored
twice: with every rule, and leave-one-outlet-out, with the boilerplate rules
that remove lines on that outlet's pages only taken out (no page of another
outlet, nor of ``tests/fixtures/articles``, needs them). A figure that drops in
the second row rests on rules only that outlet needs. A third row runs with no
boilerplate rule at all: what the page's shape alone gives. The last column tells how
the furniture went: removed by a rule, or by position (above the headline, after
the article, outside the main run of paragraphs, a short label or a repeat).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import create_all  # noqa: E402
from pipeline.article import BODY, BOILERPLATE  # noqa: E402
from pipeline.boilerplate import BoilerplateRules, boilerplate_rules  # noqa: E402
from pipeline.evaluate import Tally, score_article  # noqa: E402
from pipeline.ingest import read_article  # noqa: E402
from pipeline.layout import PageReader  # noqa: E402
from pipeline.process import ArticleProcessor  # noqa: E402

SHARED = ROOT.parent / "shared"
SETS = [(ROOT / "raw", SHARED / "gold"), (SHARED / "dev" / "raw", SHARED / "dev" / "gold")]
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
TABLES = ("articles", "sentences", "people", "organizations", "dates", "quotes", "pledges")
COLUMNS = [
    ("body F1", "body_lines", "f1"),
    ("title", "metadata.title", "accuracy"),
    ("published", "metadata.published_at", "accuracy"),
    ("authors", "metadata.authors", "accuracy"),
    ("outlet", "metadata.outlet", "accuracy"),
    ("date values", "dates.value", "accuracy"),
    ("quotes F1", "quotes", "f1"),
    ("speaker", "quotes.speaker", "accuracy"),
]


def pages() -> list[tuple[str, Path, Path, dict]]:
    """(outlet, raw file, its folder, gold) for every page with gold."""
    found = []
    for raw_dir, gold_dir in SETS:
        for gold_path in sorted(gold_dir.glob("*.json")):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            outlet = gold["metadata"].get("outlet") or "(none)"
            found.append((outlet, raw_dir / gold["file"], raw_dir, gold))
    return found


def removing_rules(processor: ArticleProcessor, path: Path, folder: Path) -> set[str]:
    """Names of the boilerplate rules that remove (or keep) a line of the page."""
    article = processor.clean(read_article(path, folder))
    names = {r.name for r in processor.reader.rules.rules}
    return {ln.label for ln in article.lines if ln.kind in (BODY, BOILERPLATE)} & names


def removed_by(processor: ArticleProcessor, group: list) -> tuple[int, int]:
    """Furniture lines of the pages removed by a rule, and by their position."""
    names = {r.name for r in processor.reader.rules.rules}
    by_rule = by_position = 0
    for _, path, folder, _ in group:
        for line in processor.clean(read_article(path, folder)).lines:
            if line.kind == BOILERPLATE:
                by_rule += line.label in names
                by_position += line.label not in names
    return by_rule, by_position


def score(processor: ArticleProcessor, group: list[tuple[str, Path, Path, dict]]) -> dict:
    total = Tally()
    for _, path, folder, gold in group:
        rows = processor.process(read_article(path, folder))
        total.add(score_article(gold, {t: rows.get(t, []) for t in TABLES}))
    return total.report()


def cell(report: dict, key: str, field: str) -> str:
    value = report.get(key, {}).get(field)
    return "n/a" if value is None else f"{value:.2f}"


def main() -> None:
    extractors = create_all()
    full = ArticleProcessor(extractors)
    by_outlet: dict[str, list] = defaultdict(list)
    fires: dict[str, set[str]] = defaultdict(set)  # rule -> outlets (or fixtures) it fires on
    for page in pages():
        by_outlet[page[0]].append(page)
        for name in removing_rules(full, page[1], page[2]):
            fires[name].add(page[0])
    for path in sorted(FIXTURES.glob("*.txt")):
        for name in removing_rules(full, path, FIXTURES):
            fires[name].add(f"fixture {path.stem}")
    rules = boilerplate_rules().rules
    bare = ArticleProcessor(extractors, PageReader(BoilerplateRules([])))
    names = " | ".join(c[0] for c in COLUMNS)
    print(f"| outlet | pages | run | {names} | rules only it needs | removed by rule / position |")
    print("|---" * (len(COLUMNS) + 5) + "|")
    for outlet, group in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        own = sorted(name for name, where in fires.items() if where == {outlet})
        unseen = ArticleProcessor(
            extractors, PageReader(BoilerplateRules([r for r in rules if r.name not in own]))
        )
        runs = (("all rules", full), ("as unseen", unseen), ("no rules", bare))
        for run, processor in runs:
            report = score(processor, group)
            figures = " | ".join(cell(report, key, field) for _, key, field in COLUMNS)
            own_rules = (", ".join(own) or "none") if run == "as unseen" else ""
            removed = "{} / {}".format(*removed_by(processor, group))
            print(f"| {outlet} | {len(group)} | {run} | {figures} | {own_rules} | {removed} |")


if __name__ == "__main__":
    main()
