"""Batch runs: every article of a folder through the pipeline into tables."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from extractors.base import Extractor, create_all

from .ingest import discover, read_article
from .process import ArticleProcessor
from .rulefiles import rule_set_hash, user_folders
from .tables import CORE_TABLES, FORMATS, TableWriter, write_json_atomic


@dataclass
class RunSummary:
    """What a run did: rows per table, articles per status, time taken."""

    input: str
    output: str
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0


def package_version() -> str:
    try:
        return version("knews")
    except PackageNotFoundError:
        return "0+unknown"


def run(
    input_dir: Path,
    output_dir: Path,
    *,
    extractors: Sequence[Extractor] | None = None,
    formats: Sequence[str] = FORMATS,
    on_article: Callable[[str, str, str], None] | None = None,
) -> RunSummary:
    """Process every ``*.txt`` under ``input_dir`` and write the tables."""
    started = time.perf_counter()
    extractors = create_all() if extractors is None else list(extractors)
    processor = ArticleProcessor(extractors)
    columns = dict(CORE_TABLES)
    columns.update({e.name: {"article_id": "str", **e.columns} for e in extractors})
    output_dir.mkdir(parents=True, exist_ok=True)
    writers = {
        name: TableWriter(output_dir, name, cols, tuple(formats)) for name, cols in columns.items()
    }
    statuses: Counter[str] = Counter()
    try:
        for path in discover(input_dir):
            raw = read_article(path, input_dir)
            rows = processor.process(raw)
            article = rows["articles"][0]
            statuses[article["status"]] += 1
            if article["status"] != "ok":
                print(
                    f"knews: {article['source_path']}: {article['status']}: {article['error']}",
                    file=sys.stderr,
                )
            for name, table_rows in rows.items():
                writers[name].write(table_rows)
            if on_article:
                on_article(raw.article_id, article["status"], article["error"] or "")
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    for writer in writers.values():
        writer.close()
    summary = RunSummary(
        str(input_dir),
        str(output_dir),
        {n: w.count for n, w in writers.items()},
        dict(statuses),
        round(time.perf_counter() - started, 3),
    )
    write_json_atomic(
        output_dir / "run.json",
        {
            "input": summary.input,
            "output": summary.output,
            "counts": summary.counts,
            "statuses": summary.statuses,
            "elapsed_seconds": summary.elapsed,
            "versions": {"knews": package_version(), "rules": rule_set_hash()},
            "extractors": [e.name for e in extractors],
            "rule_folders": [str(f) for f in user_folders()],
            "formats": list(formats),
            "columns": columns,
        },
    )
    return summary
