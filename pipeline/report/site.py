"""``knews report``: a static review site of an output folder.

The site needs no server and no network: ``index.html`` lists the articles
(sortable, filterable, paged), ``articles/*.html`` shows each page's raw lines
with what knews found on them, ``overview.html`` charts the corpus and sums up
the run. Pages are rewritten only when what they show changed, and nothing is
redone when the output folder is the one the last report was made from.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import regex
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from . import charts, payload
from .source import Output, read_output

HERE = Path(__file__).parent
STATE_FILE = ".knews-report.json"
SAFE = regex.compile(r"[^\w.-]+")


@dataclass
class ReportSummary:
    """What one ``knews report`` did."""

    folder: Path
    articles: int
    written: int
    unchanged: int
    removed: int
    charts_drawn: bool
    elapsed: float


@cache
def code_digest() -> str:
    """A digest of the report's code, templates and assets: a new knews redraws all."""
    digest = hashlib.sha256()
    for path in sorted(HERE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".html", ".js", ".css"}:
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page_name(article_id: str, taken: set[str]) -> str:
    """A file name for an article page: its id where that is safe, made unique."""
    base = SAFE.sub("_", article_id).strip("._")[:80] or "article"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name.lower())
    return name + ".html"


def build(output_dir: Path, report_dir: Path, force: bool = False) -> ReportSummary:
    """Write (or bring up to date) the report of ``output_dir`` into ``report_dir``."""
    started = time.perf_counter()
    state = _read_state(report_dir) if not force else {}
    run_file = output_dir / "run.json"
    run = json.loads(run_file.read_text(encoding="utf-8")) if run_file.is_file() else None
    if run and _unchanged(state, run, output_dir, report_dir):
        n = len(state["pages"])
        return ReportSummary(report_dir, n, 0, n, 0, False, time.perf_counter() - started)
    has_charts = (report_dir / "charts").is_dir() and state.get("code") == code_digest()
    drawing = _draw_in_background(output_dir, state.get("charts") if has_charts else None)
    try:
        output = read_output(output_dir, payload.READ)
    except BaseException:
        drawing[0].shutdown(cancel_futures=True)
        raise
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "articles").mkdir(exist_ok=True)
    _copy_assets(report_dir)

    articles = payload.articles(output)

    old_pages: dict[str, str] = state.get("pages", {})
    pages: dict[str, str] = {}
    taken: set[str] = set()
    names = [page_name(a["article_id"], taken) for a in articles]
    index_rows = []
    written = unchanged = 0
    page = templates().get_template("article.html")
    for number, (article, name) in enumerate(zip(articles, names, strict=True), start=1):
        data = payload.article_data(output, article)
        html = page.render(
            article=article,
            previous=names[number - 2] if number > 1 else None,
            next=names[number] if number < len(articles) else None,
            data=Markup(payload.dumps(data).decode()),
        ).encode()
        digest = _digest(html)
        pages[name] = digest
        path = report_dir / "articles" / name
        if old_pages.get(name) == digest and path.exists():
            unchanged += 1
        else:
            path.write_bytes(html)
            written += 1
        index_rows.append(payload.index_row(number, article, data, name))
    removed = 0
    for path in (report_dir / "articles").glob("*.html"):  # not in this run (or --force)
        if path.name not in pages:
            path.unlink()
            removed += 1

    _write_index(report_dir, output, index_rows)
    chart_digest, svgs, drawn = _charts(report_dir, drawing)
    _write_overview(report_dir, output, articles, names, svgs)
    _write_state(
        report_dir,
        {"code": code_digest(), "run_state": run.get("state") if run else None,
         "run_mtime": _mtime(output_dir / "run.json"), "charts": chart_digest, "pages": pages},
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    return ReportSummary(report_dir, len(articles), written, unchanged, removed, drawn, elapsed)


# -- incremental state --------------------------------------------------------------------
def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def _mtime(path: Path) -> int:
    return path.stat().st_mtime_ns if path.exists() else 0


def _read_state(report_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((report_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(report_dir: Path, state: dict[str, Any]) -> None:
    tmp = report_dir / f".{STATE_FILE}.tmp"
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, report_dir / STATE_FILE)


def _unchanged(
    state: dict[str, Any], run: dict[str, Any], output_dir: Path, report_dir: Path
) -> bool:
    """The report was made by this code from this very run, and its files are all there."""
    if not state or state.get("code") != code_digest():
        return False
    if state.get("run_state") != run.get("state") or not run.get("state"):
        return False
    if state.get("run_mtime") != _mtime(output_dir / "run.json"):
        return False
    needed = ["index.html", "overview.html", "index-data.js", "assets/report.js"]
    needed += ["assets/report.css"]
    needed += [f"articles/{name}" for name in state.get("pages", {})]
    return all((report_dir / name).exists() for name in needed)


# -- the pages ------------------------------------------------------------------------------
def _copy_assets(report_dir: Path) -> None:
    target = report_dir / "assets"
    target.mkdir(exist_ok=True)
    for path in (HERE / "assets").iterdir():
        if path.is_file():
            shutil.copyfile(path, target / path.name)


def _write_index(report_dir: Path, output: Output, rows: list[list]) -> None:
    data = {"columns": payload.INDEX_COLUMNS, "rows": rows}
    (report_dir / "index-data.js").write_bytes(
        b"window.KNEWS_INDEX = " + payload.dumps(data) + b";\n"
    )
    statuses = Counter(row[6] for row in rows)
    html = (
        templates()
        .get_template("index.html")
        .render(run=output.run, total=len(rows), statuses=statuses.most_common())
    )
    (report_dir / "index.html").write_text(html, encoding="utf-8")


def _write_overview(
    report_dir: Path, output: Output, articles: list[dict], names: list[str], svgs: dict
) -> None:
    run = output.run
    page_of = {a["source_path"]: name for a, name in zip(articles, names, strict=True)}
    problems = [
        {"path": path, "status": status, "error": error, "page": page_of.get(path)}
        for path, status, error in run.get("problems", [])
    ]
    html = (
        templates()
        .get_template("overview.html")
        .render(
            run=run,
            total=len(articles),
            problems=problems,
            skipped=run.get("skipped", {}),
            charts={name: Markup(svg) for name, svg in svgs.items()},
            titles=charts.TITLES,
        )
    )
    (report_dir / "overview.html").write_text(html, encoding="utf-8")


# -- charts, drawn beside the pages ---------------------------------------------------------
def _draw_in_background(output_dir: Path, drawn: str | None) -> tuple[ProcessPoolExecutor, Future]:
    """Start drawing the charts in a process of their own (forked before any table is read:
    matplotlib's import and drawing take as long as writing a thousand pages)."""
    import pyarrow.parquet  # noqa: F401 - loaded once, here, for both processes

    pool = ProcessPoolExecutor(1, mp_context=get_context("fork"))
    return pool, pool.submit(charts.draw_if_changed, output_dir, drawn)


def _charts(report_dir: Path, drawing: tuple) -> tuple[str, dict[str, str], bool]:
    """The charts' digest and SVGs: just drawn (and kept beside the pages) or, when their
    numbers did not change, those of the last report; and whether they were drawn."""
    folder = report_dir / "charts"
    folder.mkdir(exist_ok=True)
    pool, future = drawing
    try:
        digest, svgs = future.result()
    finally:
        pool.shutdown()
    if svgs is None:
        return digest, {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.svg")}, False
    for old in folder.glob("*.svg"):
        old.unlink()
    for name, svg in svgs.items():
        (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
    return digest, svgs, True
