"""Output tables: their columns, streaming atomic writers, and ``load``.

Every table is written as ``<table>.jsonl`` and ``<table>.csv`` (UTF-8 with a
BOM so Excel opens it; lists joined with ``; ``) and, when pyarrow is
present, ``<table>.parquet``. Rows go to hidden temporary files as articles
finish; the files get their real names only when the run closes them, so a
table that looks complete is complete.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .formats import FORMATS, LIST_SEPARATOR

PARQUET_BATCH = 20_000

Columns = dict[str, str]  # column -> one of str, int, list, datetime

SPAN: Columns = {"raw_line": "int", "raw_start": "int", "raw_end": "int"}
CORE_TABLES: dict[str, Columns] = {
    "articles": {
        "article_id": "str",
        "source_path": "str",
        "title": "str",
        "subtitles": "list",
        "outlet": "str",
        "authors": "list",
        "author_emails": "list",
        "published_at": "datetime",
        "modified_at": "datetime",
        "n_sentences": "int",
        "status": "str",
        "error": "str",
        "encoding": "str",
        "url": "str",
        "source": "str",
        "metadata_source": "list",
        "warnings": "list",
    },
    "sentences": {
        "article_id": "str",
        "sentence_id": "int",
        "paragraph_id": "int",
        **SPAN,
        "text": "str",
    },
    "boilerplate": {"article_id": "str", **SPAN, "text": "str", "reason": "str"},
    # Every raw line, as the page reader placed it: what a review page is drawn from.
    "lines": {"article_id": "str", **SPAN, "kind": "str", "label": "str", "text": "str"},
}

ARROW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "list": pa.list_(pa.string()),
    "datetime": pa.timestamp("s"),  # local time as written (Korean time for Korean pages)
}


def _timestamp(value: Any) -> datetime | None:
    """An ISO time or day as a datetime for Arrow (None when it is none)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


class TableWriter:
    """Appends rows of one table to temporary files; ``close`` publishes them."""

    def __init__(
        self, folder: Path, name: str, columns: Columns, formats=FORMATS, parts: bool = False
    ) -> None:
        """``parts``: write Parquet as a folder of part files (a dataset), one per batch."""
        self.folder, self.name, self.columns = folder, name, columns
        self.formats = formats
        self.parts = parts
        self.count = 0
        self._names = tuple(columns)
        self._lists = [i for i, kind in enumerate(columns.values()) if kind == "list"]
        self._n_parts = 0
        self._tmp = {fmt: folder / f".{name}.{fmt}.tmp" for fmt in formats}
        self._jsonl = self._tmp["jsonl"].open("wb") if "jsonl" in formats else None
        self._csv_file = None
        if "csv" in formats:
            self._csv_file = self._tmp["csv"].open("w", encoding="utf-8-sig", newline="")
            self._csv = csv.writer(self._csv_file)
            self._csv.writerow(columns)
        self._schema = pa.schema([(c, ARROW_TYPES[t]) for c, t in columns.items()])
        self._parquet = None
        self._buffer: list[list[Any]] = []  # rows of values, in column order

    def write(self, rows: list[dict[str, Any]]) -> None:
        names = self._names
        values = [[row.get(c) for c in names] for row in rows]
        if self._jsonl:
            lines = (_json_line(row, names, v) for row, v in zip(rows, values, strict=True))
            self._jsonl.write(b"".join(lines))
        if self._csv_file:
            self._csv.writerows(self._csv_rows(values))
        if "parquet" in self.formats:
            self._buffer += values
            if len(self._buffer) >= PARQUET_BATCH:
                self._flush_parquet()
        self.count += len(rows)

    def _csv_rows(self, values: list[list[Any]]) -> list[list[Any]]:
        """Lists joined with ``; ``; None left as an empty cell by the csv module."""
        if not self._lists:
            return values
        out = []
        for row in values:
            row = list(row)
            for i in self._lists:
                if row[i] is not None:
                    row[i] = LIST_SEPARATOR.join(str(v) for v in row[i])
            out.append(row)
        return out

    def _arrow(self) -> pa.Table:
        columns = list(zip(*self._buffer, strict=True)) or [()] * len(self._names)
        columns = [
            [_timestamp(v) for v in col] if pa.types.is_timestamp(f.type) else col
            for col, f in zip(columns, self._schema, strict=True)
        ]
        arrays = [pa.array(col, type=f.type) for col, f in zip(columns, self._schema, strict=True)]
        self._buffer = []
        return pa.Table.from_arrays(arrays, schema=self._schema)

    def _flush_parquet(self) -> None:
        if self.parts:
            self._write_part()
            return
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self._tmp["parquet"], self._schema)
        if self._buffer:
            self._parquet.write_table(self._arrow())

    def _write_part(self) -> None:
        folder = self._tmp["parquet"]
        folder.mkdir(exist_ok=True)
        if self._buffer or not self._n_parts:
            pq.write_table(self._arrow(), folder / f"part-{self._n_parts:05d}.parquet")
            self._n_parts += 1

    def close(self) -> None:
        """Finish the files and give them their real names."""
        if self._jsonl:
            self._jsonl.close()
        if self._csv_file:
            self._csv_file.close()
        if "parquet" in self.formats:
            self._flush_parquet()
            if self._parquet is not None:
                self._parquet.close()
        for fmt, tmp in self._tmp.items():
            final = self.folder / f"{self.name}.{fmt}"
            if final.is_dir() != tmp.is_dir() or final.is_dir():
                _remove(final)
            os.replace(tmp, final)

    def abort(self) -> None:
        """Drop the temporary files of a failed run."""
        for handle in (self._jsonl, self._csv_file, self._parquet):
            if handle is not None:
                handle.close()
        for tmp in self._tmp.values():
            _remove(tmp)


def _json_line(row: dict[str, Any], names: tuple[str, ...], values: list[Any]) -> bytes:
    """One JSONL line with the table's columns in order (the row as is when it has them)."""
    data = row if tuple(row) == names else dict(zip(names, values, strict=True))
    return orjson.dumps(data) + b"\n"


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def load(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The tables of an output folder as DataFrames with proper dtypes.

    Dates become pandas datetimes, counts and offsets nullable integers, and
    list columns Python lists.
    """
    folder = Path(folder)
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    frames = {}
    for name, columns in run["columns"].items():
        parquet, jsonl = folder / f"{name}.parquet", folder / f"{name}.jsonl"
        if parquet.exists():
            frame = pd.read_parquet(parquet)
        elif jsonl.exists():
            frame = pd.read_json(jsonl, lines=True, dtype=False) if jsonl.stat().st_size else None
        else:
            continue
        frames[name] = typed(frame, columns)
    return frames


def frame_of(rows: list[dict[str, Any]], columns: Columns) -> pd.DataFrame:
    """Rows as a DataFrame with the table's dtypes, built column by column."""
    data = {c: _column([row.get(c) for row in rows], kind) for c, kind in columns.items()}
    extra = [c for row in rows[:1] for c in row if c not in columns]
    data.update({c: [row.get(c) for row in rows] for c in extra})
    return pd.DataFrame(data)


def _column(values: list, kind: str):
    if kind == "datetime":
        return pd.to_datetime(pd.Series(values, dtype="object"), format="ISO8601", errors="coerce")
    if kind == "int":  # built directly: pandas' own inference costs more than the rows
        data = np.array([0 if v is None else v for v in values], dtype="int64")
        return pd.arrays.IntegerArray(data, np.array([v is None for v in values], dtype=bool))
    if kind == "list":
        return pd.Series([list(v) if v is not None else [] for v in values], dtype="object")
    texts = [v if v is None or isinstance(v, str) else str(v) for v in values]
    return pd.arrays.ArrowStringArray(pa.array(texts, type=pa.large_string()))


def typed(frame: pd.DataFrame | None, columns: Columns) -> pd.DataFrame:
    if frame is None or frame.empty:
        frame = pd.DataFrame({c: [] for c in columns})
    for column, kind in columns.items():
        if column not in frame:
            frame[column] = None
        if kind == "datetime":
            frame[column] = pd.to_datetime(frame[column], format="ISO8601", errors="coerce")
        elif kind == "int":
            frame[column] = pd.array(frame[column], dtype="Int64")
        elif kind == "list":
            frame[column] = [list(v) if v is not None else [] for v in frame[column]]
        else:
            frame[column] = frame[column].astype("string")
    return frame[list(columns) + [c for c in frame.columns if c not in columns]]
