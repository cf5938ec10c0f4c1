"""The tables of an output folder as plain columns, read without pandas.

A report reads every table of a run once; Parquet (or a Dask folder of parts)
is read with pyarrow, else JSONL with orjson, else CSV with the column types of
``run.json``. Rows come back as columns (name -> list) and, per article, as the
row numbers that belong to it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..formats import LIST_SEPARATOR

Columns = dict[str, list[Any]]


class ReportError(ValueError):
    """The folder is not a knews output (no run.json, or no readable tables)."""


@dataclass
class Table:
    """One output table as columns, with each article's row numbers."""

    name: str
    columns: Columns
    by_article: dict[str, Sequence[int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def rows_of(self, article_id: str, names: list[str]) -> list[list[Any]]:
        """The article's rows, each a list of the values of ``names``."""
        rows = self.by_article.get(article_id)
        if rows is None:
            return []
        columns = [self.columns.get(n) or [None] * len(self) for n in names]
        return [[column[i] for column in columns] for i in rows]

    def column(self, name: str) -> list[Any]:
        return self.columns.get(name) or [None] * len(self)


@dataclass
class Output:
    """A run's ``run.json`` and its tables."""

    folder: Path
    run: dict
    tables: dict[str, Table]

    def table(self, name: str) -> Table:
        return self.tables.get(name) or Table(name, {})


def read_output(folder: Path, wanted: dict[str, list[str]] | None = None) -> Output:
    """Read ``run.json`` and every table it lists (or the ``wanted`` columns of some)."""
    run_file = folder / "run.json"
    if not run_file.is_file():
        raise ReportError(f"{folder}: no run.json here; give the folder `knews run` wrote")
    run = json.loads(run_file.read_text(encoding="utf-8"))
    tables = {}
    for name, types in run.get("columns", {}).items():
        if wanted is not None and name not in wanted:
            continue
        columns = read_columns(folder, name, types, wanted[name] if wanted else None)
        if columns is not None:
            tables[name] = _grouped(Table(name, columns))
    if "articles" not in tables:
        raise ReportError(f"{folder}: no articles table (parquet, jsonl or csv) to report on")
    return Output(folder, run, tables)


def read_columns(
    folder: Path, name: str, types: dict[str, str], only: list[str] | None = None
) -> Columns | None:
    """One table's columns (or ``only`` those) from the best format present, or None."""
    parquet, jsonl, csv_file = (folder / f"{name}.{ext}" for ext in ("parquet", "jsonl", "csv"))
    types = {c: kind for c, kind in types.items() if only is None or c in only}
    if parquet.exists():
        import pyarrow.parquet as pq

        columns = (
            [c for c in types if c in pq.read_schema(parquet).names]
            if parquet.is_file()
            else list(types)
        )
        if parquet.is_file():  # ParquetFile, not read_table: that one loads pandas too
            return pq.ParquetFile(parquet).read(columns=columns).to_pydict()
        return pq.read_table(parquet, columns=columns).to_pydict()  # a Dask folder of parts
    if jsonl.exists():
        rows = [orjson.loads(line) for line in jsonl.read_bytes().splitlines() if line.strip()]
        return {c: [row.get(c) for row in rows] for c in types}
    if csv_file.exists():
        with csv_file.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        return {c: [_from_csv(row.get(c), kind) for row in rows] for c, kind in types.items()}
    return None


def _from_csv(value: str | None, kind: str) -> Any:
    if value in (None, ""):
        return [] if kind == "list" else "" if kind == "str" else None
    if kind == "int":
        return int(value)
    if kind == "list":
        return value.split(LIST_SEPARATOR)
    return value


def _grouped(table: Table) -> Table:
    """Each article's row numbers. A run writes an article's rows together, so they are
    mostly ranges; the loop only looks at where the article changes."""
    ids = table.columns.get("article_id")
    if not ids:
        return table
    start = 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[start]:
            rows = table.by_article.get(ids[start])
            span = range(start, i)
            table.by_article[ids[start]] = [*rows, *span] if rows is not None else span
            start = i
    return table
