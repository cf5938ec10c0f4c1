"""What ``knews run`` reads: folders, files, globs and standard input, of any mix of text
pages, HTML pages and tables of articles, as a list of ``Unit``s in a stable order.

A text or HTML file is read where it is processed (in a worker); a table's rows
and standard input are read here, once. Article ids are paths relative to the
folder (or to a glob's folder) without their extension, a table's rows adding
their position (``crawl/0``) unless the table has an id column; where two inputs
would share an id (``d01.txt`` and ``d01.html``), the later keeps its extension.
"""

from __future__ import annotations

import glob
import io
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .article_tables import TableColumns, articles_of_frame, read_articles
from .ingest import (
    SUFFIXES,
    TABLE_SUFFIXES,
    RawArticle,
    article_from_bytes,
    article_from_html,
    entry_problem,
    iso,
    read_article,
    scan,
)

STDIN = "-"


class InputError(ValueError):
    """An input that names nothing to read."""


@dataclass(frozen=True)
class Unit:
    """One article of the input: a file to read where it is processed, or an article read."""

    article_id: str
    path: str
    raw: RawArticle | None = None
    anchor: str | None = None  # a publication date given for the page (`--dates`)

    def read(self) -> RawArticle:
        if self.raw is not None:
            raw = self.raw
        else:
            path = Path(self.path)
            raw = read_article(path, path.parent, self.article_id)
        if self.anchor and not raw.anchor:
            raw = replace(raw, anchor=self.anchor)
        return raw


def with_dates(units: list[Unit], dates: dict[str, str]) -> list[Unit]:
    """Units with the publication dates a table gives by article id or file name."""
    out = []
    for unit in units:
        path = Path(unit.path)
        keys = (unit.article_id, path.name, path.stem)
        anchor = next((dates[k] for k in keys if k in dates), None)
        out.append(replace(unit, anchor=anchor) if anchor else unit)
    return out


def read_dates(path: Path) -> dict[str, str]:
    """A CSV of (article id or file name, publication date) as {key: ISO date}."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if frame.shape[1] < 2:
        raise InputError(f"{path}: needs two columns, an article id or file name and a date")
    dates = {}
    for number, (key, value) in enumerate(frame.iloc[:, :2].itertuples(index=False), start=2):
        try:
            dates[str(key).strip()] = iso(value, f"{path}:{number}")
        except ValueError as exc:
            raise InputError(str(exc)) from exc
    return {k: v for k, v in dates.items() if v}


def skipped_files(specs: Sequence[str | Path]) -> Counter:
    """Files in the input folders that knews does not read, by suffix."""
    found: Counter = Counter()
    for spec in specs:
        folder = Path(spec)
        if spec != STDIN and folder.is_dir():
            for _top, _dirs, files in os.walk(folder):
                for name in files:
                    suffix = Path(name).suffix.lower()
                    if suffix not in SUFFIXES and not name.startswith("."):
                        found[suffix or "(none)"] += 1
    return found


def expand(
    specs: Sequence[str | Path],
    columns: TableColumns | None = None,
    stdin=None,
    follow_links: bool = False,
) -> list[Unit]:
    """The articles of every input, in order; raises ``InputError`` for one naming nothing.

    A path that is not a readable regular file is an error article naming why."""
    columns = columns or TableColumns()
    units: list[Unit] = []
    for spec in specs:
        units += _units_of(str(spec), columns, stdin, follow_links)
    return _unique_ids(units)


def _units_of(spec: str, columns: TableColumns, stdin, follow_links: bool) -> list[Unit]:
    if spec == STDIN:
        data = (stdin or sys.stdin.buffer).read()
        return [Unit(raw.article_id, STDIN, raw) for raw in _stdin_articles(data, columns)]
    path = Path(spec)
    if path.is_dir():
        return list(_files(scan(path, follow_links), path, columns))
    if path.exists() or path.is_symlink():
        entry = (path, entry_problem(path, path.parent, follow_links=True))
        return list(_files([entry], path.parent, columns))
    if glob.has_magic(spec):
        found = (Path(p) for p in glob.glob(spec, recursive=True))
        matches = sorted(p for p in found if p.suffix.lower() in SUFFIXES)
        if not matches:
            raise InputError(f"no file matches {spec}")
        base = _glob_base(spec)
        entries = [(p, entry_problem(p, base, follow_links)) for p in matches]
        return list(_files(entries, base, columns))
    raise InputError(f"no such file or folder: {spec}")


def _files(
    entries: Iterable[tuple[Path, str | None]], root: Path, columns: TableColumns
) -> Iterator[Unit]:
    for path, problem in entries:
        article_id = path.relative_to(root).with_suffix("").as_posix()
        if problem is not None:
            raw = RawArticle(article_id, str(path), status="error", error=problem)
            yield Unit(article_id, str(path), raw)
        elif path.suffix.lower() in TABLE_SUFFIXES:
            for raw in read_articles(path, article_id, columns):
                yield Unit(raw.article_id, str(path), raw)
        else:
            yield Unit(article_id, str(path))


def _glob_base(spec: str) -> Path:
    """The folder a glob's matches are named from: its parts before the first wildcard."""
    parts = []
    for part in Path(spec).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def _stdin_articles(data: bytes, columns: TableColumns) -> list[RawArticle]:
    """Standard input as one page (text or HTML) or, when it is JSON lines, as a table."""
    head = data.lstrip()[:1]
    if head == b"{":
        try:
            df = pd.read_json(io.BytesIO(data), lines=True, dtype=False)
            return list(articles_of_frame(df, "stdin", STDIN, columns))
        except (ValueError, KeyError) as exc:
            reason = exc.args[0] if exc.args else exc
            error = f"cannot read standard input as JSON lines: {reason}"
            return [RawArticle("stdin", STDIN, status="error", error=error, source="table")]
    if head == b"<":
        return [article_from_html(data, "stdin", STDIN)]
    return [article_from_bytes(data, "stdin", STDIN)]


def _unique_ids(units: list[Unit]) -> list[Unit]:
    """Ids that repeat get the file's extension (`d01.html`), then a count (`d01~2`)."""
    seen: set[str] = set()
    out = []
    for unit in units:
        article_id = unit.article_id
        if article_id in seen and unit.raw is None:
            article_id += Path(unit.path).suffix
        n = 2
        while article_id in seen:
            article_id, n = f"{unit.article_id}~{n}", n + 1
        seen.add(article_id)
        if article_id != unit.article_id:
            raw = replace(unit.raw, article_id=article_id) if unit.raw is not None else None
            unit = Unit(article_id, unit.path, raw)
        out.append(unit)
    return out
