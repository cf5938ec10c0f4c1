"""Score knews's date recogniser on a list of everyday Korean time expressions.

The list (``tests/fixtures/everyday_dates.tsv``: text, anchor, expression,
value) was written apart from the rules: one row per expression a sentence
holds, or a row with no expression for a sentence that holds none. An
expression counts as found when a recognised date overlaps it, and as
resolved when the value is also right (at the right grain). Prints the
figures per section of the list and overall:

    .venv/bin/python bench/everyday_dates.py [--misses]
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from extractors.dates import dates_in_text

LIST = Path(__file__).parent.parent / "tests" / "fixtures" / "everyday_dates.tsv"


@dataclass
class Sentence:
    text: str
    anchor: date | None
    section: str
    expected: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Score:
    expressions: int = 0
    found: int = 0
    resolved: int = 0
    negatives: int = 0
    false_alarms: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("expressions", "found", "resolved", "negatives", "false_alarms"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses


def read_list(path: Path = LIST) -> list[Sentence]:
    """The sentences of the list, with their expected (expression, value) pairs."""
    sentences: dict[tuple[str, str], Sentence] = {}
    section = ""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                section = line.lstrip("# ").strip()
                continue
            if not line.strip() or line.startswith("text\t"):
                continue
            text, anchor, expression, value = line.rstrip("\n").split("\t")
            key = (text, anchor)
            if key not in sentences:
                day = date.fromisoformat(anchor) if anchor else None
                sentences[key] = Sentence(text, day, section)
            if expression:
                sentences[key].expected.append((expression, value))
    return list(sentences.values())


def score(sentence: Sentence) -> Score:
    """Found and resolved expressions of one sentence (or a false alarm on a negative)."""
    got = dates_in_text(sentence.text, sentence.anchor)
    s = Score()
    if not sentence.expected:
        s.negatives = 1
        if got:
            s.false_alarms = 1
            s.misses.append(f"false alarm {got} in {sentence.text!r}")
        return s
    for expression, value in sentence.expected:
        s.expressions += 1
        overlapping = [v for t, v in got if t in expression or expression in t]
        s.found += bool(overlapping)
        s.resolved += value in overlapping
        if value not in overlapping:
            s.misses.append(f"{expression!r} = {value}, got {overlapping} in {sentence.text!r}")
    return s


def evaluate(path: Path = LIST) -> dict[str, Score]:
    """Scores per section, and under ``""`` the whole list."""
    by_section: dict[str, Score] = defaultdict(Score)
    total = Score()
    for sentence in read_list(path):
        s = score(sentence)
        by_section[sentence.section].add(s)
        total.add(s)
    return {**by_section, "": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument("--list", type=Path, default=LIST)
    args = parser.parse_args()
    scores = evaluate(args.list)
    print(f"{'section':40} {'found':>7} {'resolved':>9} {'false alarms':>13}")
    for section, s in scores.items():
        name = section or "all"
        n = max(s.expressions, 1)
        alarms = f"{s.false_alarms}/{s.negatives}" if s.negatives else "-"
        found = f"{s.found / n:.3f}" if s.expressions else "-"
        resolved = f"{s.resolved / n:.3f}" if s.expressions else "-"
        print(f"{name[:40]:40} {found:>7} {resolved:>9} {alarms:>13}")
        if args.misses and section:
            for miss in s.misses:
                print("    ", miss)
    total = scores[""]
    print(
        f"\n{total.resolved} of {total.expressions} expressions found and resolved; "
        f"{total.false_alarms} of {total.negatives} date-free sentences with a false alarm"
    )


if __name__ == "__main__":
    main()
