"""knews's dates against KLUE-NER's date (DT) and time (TI) spans, on the 1,261 news
sentences of ``../shared/klue``.

KLUE marks durations and counts as DT too (`5년간`, `하루`), which knews does not
take for dates, so the share of KLUE spans found is no target; the share of
knews's expressions that KLUE also marks is a check on false alarms:

    .venv/bin/python bench/klue_dates.py [--misses]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extractors.dates import recogniser

KLUE = Path(__file__).parent.parent.parent / "shared" / "klue" / "klue_ner_news_dev_even.jsonl"


@dataclass
class Agreement:
    found: int = 0  # knews's expressions
    marked: int = 0  # of them, overlapping a KLUE DT/TI span
    spans: int = 0  # KLUE's DT/TI spans
    covered: int = 0  # of them, overlapping a knews expression
    unmarked: list[tuple[str, str]] = field(default_factory=list)
    missed: Counter = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.marked / self.found if self.found else 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.spans if self.spans else 0.0


def expressions(text: str) -> list[tuple[int, int]]:
    spans = []
    for item in recogniser().expressions(text):
        first, last = item if isinstance(item, tuple) else (item, item)
        spans.append((first.start, last.end))
    return spans


def agreement(path: Path = KLUE) -> Agreement:
    a = Agreement()
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            text = row["text"]
            gold = [(e["start"], e["end"]) for e in row["entities"] if e["label"] in ("DT", "TI")]
            ours = expressions(text)
            for s, e in ours:
                a.found += 1
                if any(s < ge and gs < e for gs, ge in gold):
                    a.marked += 1
                else:
                    a.unmarked.append((text[s:e], text))
            for gs, ge in gold:
                a.spans += 1
                if any(s < ge and gs < e for s, e in ours):
                    a.covered += 1
                else:
                    a.missed[text[gs:ge]] += 1
    return a


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print both kinds of difference")
    args = parser.parse_args()
    a = agreement()
    print(f"knews expressions KLUE marks DT/TI: {a.precision:.3f} ({a.marked}/{a.found})")
    print(f"KLUE DT/TI spans knews finds:       {a.coverage:.3f} ({a.covered}/{a.spans})")
    if args.misses:
        for expression, text in a.unmarked:
            print(f"  not in KLUE: {expression!r} | {text[:100]}")
        print("  KLUE only:", a.missed.most_common(60))


if __name__ == "__main__":
    main()
