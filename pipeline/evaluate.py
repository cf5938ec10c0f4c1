"""Score an output folder against gold files (format: docs/gold-format.md).

Matching follows the gold guidelines: body lines by line number; people and
organisations by name or alias; dates by line and overlapping text; quotes by
line and near-equal text; pledges by line and overlapping name or content.
Each matched pair is then checked field by field (titles, aliases, date value,
speaker, actor). Metadata fields are accuracies per article.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import regex

MARKS = "\"'“”‘’「」『』"
SPACE = regex.compile(r"\s+")
SEPARATOR = regex.compile(r"\s*[;|]\s*")
TABLES = ("people", "organizations", "dates", "quotes", "pledges")


def canon(text: str | None) -> str:
    """Compare form: NFC, no quote marks at the ends, no white space."""
    text = unicodedata.normalize("NFC", text or "").strip().strip(MARKS).strip()
    return SPACE.sub("", text)


def listed(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in SEPARATOR.split(value) if v]
    return [v for v in value if v]


def near_equal(a: str, b: str) -> bool:
    """The same span up to a small difference at its edges."""
    a, b = canon(a), canon(b)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short == long or (short in long and len(short) >= 0.8 * len(long))


def overlap(a: str | None, b: str | None) -> bool:
    a, b = canon(a), canon(b)
    return bool(a and b) and (a in b or b in a)


def value_matches(gold, predicted) -> bool:
    """A null gold value wants none; a dated gold value may be a prefix of the prediction."""
    if not gold:
        return not predicted
    g, p = canon(str(gold)), canon(str(predicted or ""))
    return p == g or (bool(p) and p.startswith(g) and g[:4].isdigit())


def forms(entity: dict) -> set[str]:
    return {canon(n) for n in [entity.get("name"), *listed(entity.get("aliases"))] if n}


def pair_up(gold: list, predicted: list, same: Callable[[dict, dict], bool]) -> list[tuple]:
    """Greedy one-to-one matching, gold items in order."""
    taken: set[int] = set()
    pairs = []
    for g in gold:
        for i, p in enumerate(predicted):
            if i not in taken and same(g, p):
                taken.add(i)
                pairs.append((g, p))
                break
    return pairs


@dataclass
class Tally:
    """Counts for one article (or all of them)."""

    matched: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    checked: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    outside: list[int] = field(default_factory=lambda: [0, 0])  # rows off the content, of rows

    def count(self, table: str, tp: int, predicted: int, gold: int) -> None:
        row = self.matched[table]
        row[0] += tp
        row[1] += predicted
        row[2] += gold

    def check(self, name: str, right: int, of: int = 1) -> None:
        self.checked[name][0] += right
        self.checked[name][1] += of

    def add(self, other: Tally) -> None:
        for k, (tp, p, g) in other.matched.items():
            self.count(k, tp, p, g)
        for k, (r, n) in other.checked.items():
            self.check(k, r, n)
        self.outside[0] += other.outside[0]
        self.outside[1] += other.outside[1]

    def report(self) -> dict:
        out: dict = {}
        for table, (tp, p, g) in self.matched.items():
            precision = tp / p if p else (1.0 if not g else 0.0)
            recall = tp / g if g else 1.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            out[table] = {
                "p": round(precision, 3),
                "r": round(recall, 3),
                "f1": round(f1, 3),
                "tp": tp,
                "pred": p,
                "gold": g,
            }
        for name, (right, of) in self.checked.items():
            out[name] = {"accuracy": round(right / of, 3) if of else None, "n": of}
        out["rows_outside_content"] = {"count": self.outside[0], "of": self.outside[1]}
        return out


def score_article(gold: dict, pred: dict[str, list[dict]]) -> Tally:
    """Counts for one article: ``pred`` maps table names to that article's rows."""
    t = Tally()
    gold_lines = set(gold.get("body_lines", []))
    pred_lines = {int(r["raw_line"]) for r in pred["sentences"] if r.get("raw_line") is not None}
    t.count("body_lines", len(gold_lines & pred_lines), len(pred_lines), len(gold_lines))

    meta = gold.get("metadata", {})
    article = (pred["articles"] or [{}])[0]
    for name in ("title", "outlet", "published_at"):
        accepted = [meta.get(name), *meta.get(f"{name}_alternatives", [])]
        t.check(f"metadata.{name}", any(value_matches(a, article.get(name)) for a in accepted))
    same_authors = {canon(a) for a in listed(meta.get("authors"))} == {
        canon(a) for a in listed(article.get("authors"))
    }
    t.check("metadata.authors", same_authors)

    _people(t, gold.get("people", []), pred["people"])
    orgs = pair_up(
        gold.get("organizations", []), pred["organizations"], lambda g, p: bool(forms(g) & forms(p))
    )
    t.count(
        "organizations", len(orgs), len(pred["organizations"]), len(gold.get("organizations", []))
    )
    _dates(t, gold.get("dates", []), pred["dates"])
    _quotes(t, gold.get("quotes", []), pred["quotes"], gold.get("people", []))
    _pledges(t, gold.get("pledges", []), pred["pledges"])
    _outside_content(t, gold, pred)
    return t


OUTSIDE_KEYS = {"people": "name", "organizations": "name", "quotes": "text", "pledges": "content"}


def _outside_content(t: Tally, gold: dict, pred: dict[str, list[dict]]) -> None:
    """Count person (not author), organisation, quote and pledge rows that stand on no
    gold body line and whose text is not in the gold title or deck."""
    meta = gold.get("metadata", {})
    heads = canon(" ".join([meta.get("title") or "", *(meta.get("subtitles") or [])]))
    body = set(gold.get("body_lines", []))
    for table, key in OUTSIDE_KEYS.items():
        for row in pred[table]:
            if row.get("role") == "author":
                continue
            names = [canon(x) for x in [row.get(key), row.get("name"), *listed(row.get("aliases"))]]
            inside = row.get("raw_line") is not None and int(row["raw_line"]) in body
            t.outside[0] += not inside and not any(n and n in heads for n in names)
            t.outside[1] += 1


def _on_line(row: dict) -> int:
    return int(row.get("raw_line") if row.get("raw_line") is not None else -1)


def _people(t: Tally, gold: list, pred: list) -> None:
    pairs = pair_up(
        gold, pred, lambda g, p: canon(p.get("name")) in forms(g) or canon(g["name"]) in forms(p)
    )
    t.count("people", len(pairs), len(pred), len(gold))
    for g, p in pairs:
        titles = [canon(x) for x in listed(p.get("titles")) if canon(x)]
        ok = not g.get("titles") or any(
            canon(a).endswith(b) or b.endswith(canon(a)) for a in g["titles"] for b in titles
        )
        t.check("people.titles", ok)
        if g.get("aliases"):
            t.check(
                "people.aliases",
                len({canon(a) for a in g["aliases"]} & forms(p)),
                len(g["aliases"]),
            )


def _dates(t: Tally, gold: list, pred: list) -> None:
    pairs = pair_up(
        gold, pred, lambda g, p: _on_line(p) == g["line"] and overlap(g["text"], p.get("text"))
    )
    t.count("dates", len(pairs), len(pred), len(gold))
    for g, p in pairs:
        t.check("dates.value", str(p.get("value")) == str(g.get("value")))


def _quotes(t: Tally, gold: list, pred: list, people: list) -> None:
    pairs = pair_up(
        gold,
        pred,
        lambda g, p: _on_line(p) == g["line"] and near_equal(g["text"], p.get("text") or ""),
    )
    t.count("quotes", len(pairs), len(pred), len(gold))
    for g, p in pairs:
        wanted = {canon(v) for v in [g.get("speaker"), *g.get("speaker_alternatives", [])]}
        for person in people:
            if canon(person["name"]) in wanted:
                wanted |= forms(person)
        t.check("quotes.speaker", canon(p.get("speaker")) in wanted)


def _pledges(t: Tally, gold: list, pred: list) -> None:
    def same(g: dict, p: dict) -> bool:
        if _on_line(p) != g["line"]:
            return False
        if g.get("name") and overlap(g["name"], p.get("name")):
            return True
        return overlap(g.get("content") or "", p.get("content") or "")

    pairs = pair_up(gold, pred, same)
    t.count("pledges", len(pairs), len(pred), len(gold))
    for g, p in pairs:
        actors = [g.get("actor"), *g.get("actor_alternatives", [])]
        t.check("pledges.actor", any(overlap(a or "", p.get("actor") or "") for a in actors))


def read_rows(folder: Path) -> dict[str, dict[str, list[dict]]]:
    """table -> article stem -> rows, from the JSONL tables of an output folder."""
    rows: dict[str, dict[str, list[dict]]] = {}
    for table in ("articles", "sentences", *TABLES):
        by_article: dict[str, list[dict]] = defaultdict(list)
        path = folder / f"{table}.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        row = json.loads(line)
                        by_article[str(row.get("article_id", "")).split("/")[-1]].append(row)
        rows[table] = by_article
    return rows


def evaluate(gold_dir: Path, output_dir: Path) -> dict:
    """Scores over all gold articles and per article."""
    rows = read_rows(output_dir)
    total = Tally()
    per_article = {}
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        pred = {table: by_article.get(path.stem, []) for table, by_article in rows.items()}
        tally = score_article(gold, pred)
        per_article[path.stem] = tally.report()
        total.add(tally)
    return {"overall": total.report(), "articles": per_article, "n_articles": len(per_article)}


def format_report(report: dict) -> Iterable[str]:
    """Plain-text lines of a report, overall first."""
    yield f"articles scored: {report['n_articles']}"
    yield from _lines(report["overall"])
    for article, scores in report["articles"].items():
        yield ""
        yield f"{article}"
        yield from _lines(scores, indent="  ")


def _lines(scores: dict, indent: str = "") -> Iterable[str]:
    for name, v in scores.items():
        if "count" in v:
            yield f"{indent}{name:24s} {v['count']} of {v['of']} rows (want 0)"
        elif "f1" in v:
            yield (
                f"{indent}{name:24s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}"
                f"   (tp {v['tp']}, pred {v['pred']}, gold {v['gold']})"
            )
        else:
            acc = "n/a" if v["accuracy"] is None else f"{v['accuracy']:.3f}"
            yield f"{indent}{name:24s} accuracy {acc}   (n {v['n']})"
