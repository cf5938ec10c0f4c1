"""Batch runs: every article of the input through the pipeline into tables.

Articles stream through: each is read, processed and written before memory
is spent on later ones, so memory does not grow with the number of files.
With ``jobs > 1`` worker processes (each loading Kiwi and the rules once)
process chunks of articles and the parent writes their rows in input order,
so the tables are the same whatever the number of jobs.

Re-runs are incremental: each article's rows are kept in the output folder's
cache under a key made of the file's bytes, its id, the rule-set hash, the
knews version and source, and the extractors. An unchanged article is read back from the
cache; a new or changed one is processed; a removed one is simply not
written. ``force`` ignores the cache.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import hashlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import orjson

from extractors.base import Extractor, create_all, load_plugin

from . import budget, nlp
from .article_tables import TableColumns
from .entity_table import ENTITY_COLUMNS, EntityBook
from .ingest import RawArticle
from .inputs import Unit, expand, skipped_files
from .process import ArticleProcessor, Rows
from .rowcache import RowCache
from .rulefiles import (
    EXTRACTORS_DIR,
    PIPELINE_DIR,
    rule_set_hash,
    use_rule_folders,
    user_folders,
)
from .tables import CORE_TABLES, FORMATS, TableWriter, write_json_atomic

CHUNK = 8  # articles a worker processes per task
PR_SET_PDEATHSIG = 1
BATCH_GC_THRESHOLDS = (10_000, 20, 20)


@dataclass
class RunSummary:
    """What a run did: rows per table, articles per status, time taken."""

    input: str
    output: str
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    articles: int = 0
    reused: int = 0


@dataclass
class Progress:
    """What a progress display is told after each article."""

    done: int
    total: int
    errors: int
    started: float


def package_version() -> str:
    try:
        return version("knews")
    except PackageNotFoundError:
        return "0+unknown"


def code_hash() -> str:
    """A hash of knews's own source, so cached rows never outlive the code that made them."""
    digest = hashlib.sha256()
    for folder in (PIPELINE_DIR, EXTRACTORS_DIR):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# -- garbage collection ---------------------------------------------------------------
def _batch_gc() -> tuple[int, int, int]:
    """Collect less often while articles stream through.

    Each article makes thousands of short-lived objects and few reference cycles;
    with the default thresholds the collector runs every few hundred allocations
    and keeps walking the long-lived models. Those are moved out of its sight
    (``gc.freeze``) once loaded. Returns the settings to restore.
    """
    previous = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)
    return previous


def _restore_gc(previous: tuple[int, int, int]) -> None:
    gc.set_threshold(*previous)
    gc.unfreeze()


# -- the worker side --------------------------------------------------------------
_worker: ArticleProcessor | None = None


def _init_worker(
    rule_folders: list[str], plugins: list[str], seconds: float, parent: int | None = None
) -> None:
    """Runs once in each worker process: the same rules and extractors as the parent.

    A forked worker finds them loaded already (``_warm_processor``); a started one
    loads them here. A worker dies with its parent (even one killed outright) and leaves
    Ctrl-C to it: the parent stops the workers and writes nothing half-done.
    """
    global _worker
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker has the parent's handler
    budget.seconds = seconds
    if _worker is not None:
        return
    nlp.KIWI_THREADS = 0  # one core per worker process
    use_rule_folders([Path(f) for f in rule_folders])
    for spec in plugins:
        load_plugin(spec)
    _worker = _loaded(create_all())
    gc.set_threshold(*BATCH_GC_THRESHOLDS)


def _die_with_parent(parent: int | None) -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (elsewhere: nothing)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:  # it died before the request
        os._exit(1)


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop (SIGINT or SIGTERM)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def stop_on_signals():
    """SIGTERM (and SIGINT) end the run as Ctrl-C does: workers stopped, tables not
    half-written, the cache committed for the next run to go on from."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame) -> None:
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def signals_held():
    """SIGINT and SIGTERM wait until the block is done (the tables are published whole)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _warm_processor(extractors: list[Extractor]) -> None:
    """Load Kiwi, spaCy and every rule here, once, for forked workers to inherit."""
    global _worker
    _worker = _loaded(extractors)


def _loaded(extractors: list[Extractor]) -> ArticleProcessor:
    """A processor with everything loaded, kept out of the collector's sight
    (which also spares forked children copying pages the collector would touch)."""
    processor = ArticleProcessor(extractors)
    processor.warm_up()
    gc.freeze()
    return processor


def _process_chunk(units: list[Unit]) -> list[Rows]:
    return _process_raws([unit.read() for unit in units])


def _process_raws(raws: list[RawArticle]) -> list[Rows]:
    assert _worker is not None, "worker not initialised"
    return list(_worker.process_many(raws))


# -- the run ----------------------------------------------------------------------------
@stop_on_signals()
def run(
    inputs: Path | str | Sequence[Path | str],
    output_dir: Path,
    *,
    extractors: Sequence[Extractor] | None = None,
    formats: Sequence[str] = FORMATS,
    jobs: int = 1,
    force: bool = False,
    plugins: Sequence[str] = (),
    on_progress: Callable[[Progress], None] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    columns_of_tables: TableColumns | None = None,
    units: list[Unit] | None = None,
    article_timeout: float | None = None,
) -> RunSummary:
    """Process every article of ``inputs`` (folders, files, globs, ``-``) and write the tables.

    ``units`` are the inputs already expanded (``pipeline.inputs.expand``);
    ``article_timeout`` is each article's budget in seconds (0: none)."""
    if article_timeout is not None:
        budget.seconds = article_timeout
    specs = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    units = units if units is not None else expand(specs, columns_of_tables)
    input_name = ", ".join(map(str, specs))
    started = time.perf_counter()
    extractors = create_all() if extractors is None else list(extractors)
    columns = dict(CORE_TABLES)
    columns.update({e.name: {"article_id": "str", **e.columns} for e in extractors})
    columns["entities"] = ENTITY_COLUMNS
    output_dir.mkdir(parents=True, exist_ok=True)
    rules_hash = rule_set_hash()
    salt = "|".join([package_version(), code_hash(), rules_hash, *sorted(columns)])
    cache = RowCache(output_dir, salt, enabled=not force)
    keys = [cache.key_of(unit) for unit in units]
    cached = {k for k in keys if cache.has(k)}
    todo = [u for u, k in zip(units, keys, strict=True) if k not in cached]
    parts = engine == "dask"  # a Parquet dataset of part files, as Dask tools expect
    state = _state(keys, columns, formats, parts)
    if not todo and cache.enabled and (previous := _unchanged_output(output_dir, state)):
        previous["skipped"] = dict(skipped_files(specs).most_common())
        summary = _report_unchanged(previous, input_name, output_dir, started, on_progress)
        cache.prune()
        cache.close()
        return summary
    fresh = _fresh_rows(todo, extractors, jobs, plugins, engine, scheduler)
    gc_settings = _batch_gc()

    writers = {
        name: TableWriter(output_dir, name, cols, tuple(formats), parts=parts)
        for name, cols in columns.items()
    }
    statuses: Counter[str] = Counter()
    problems: list[list[str]] = []
    book = EntityBook()
    try:
        for done, (unit, key) in enumerate(zip(units, keys, strict=True), start=1):
            if key in cached:
                # Cached rows that cannot be read any more are made again here.
                rows = cache.get(key) or ArticleProcessor(extractors).process(unit.read())
            else:
                rows = next(fresh)
                if not str(rows["articles"][0].get("error") or "").startswith("ArticleTimeout"):
                    cache.put(key, rows)  # a timeout may pass with another budget: not kept
            article = rows["articles"][0]
            statuses[article["status"]] += 1
            if article["status"] != "ok":
                problems.append([article["source_path"], article["status"], article["error"]])
                _tell_problem(*problems[-1])
            for name, table_rows in rows.items():
                if name in writers:
                    writers[name].write(table_rows)
            book.add(rows)
            if on_progress:
                errors = statuses["error"] + statuses["empty"]
                on_progress(Progress(done, len(units), errors, started))
        writers["entities"].write(book.rows())
        cache.prune()
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    finally:
        fresh.close()
        cache.close()
        _restore_gc(gc_settings)
    with signals_held():  # publishing is not interrupted half-way
        for writer in writers.values():
            writer.close()
        summary = RunSummary(
            input_name,
            str(output_dir),
            {n: w.count for n, w in writers.items()},
            dict(statuses),
            round(time.perf_counter() - started, 3),
            len(units),
            len(cached),
        )
        write_json_atomic(
            output_dir / "run.json",
            {
                "input": summary.input,
                "output": summary.output,
                "counts": summary.counts,
                "statuses": summary.statuses,
                "articles": summary.articles,
                "reused_from_cache": summary.reused,
                "elapsed_seconds": summary.elapsed,
                "jobs": jobs,
                "engine": engine,
                "versions": {"knews": package_version(), "rules": rules_hash},
                "extractors": [e.name for e in extractors],
                "rule_folders": [str(f) for f in user_folders()],
                "formats": list(formats),
                "columns": columns,
                "problems": problems,
                "skipped": dict(skipped_files(specs).most_common()),
                "state": state,
                "files": _published_files(output_dir, columns, formats),
            },
        )
    return summary


def _tell_problem(source_path: str, status: str, error: str) -> None:
    print(f"knews: {source_path}: {status}: {error}", file=sys.stderr)


# -- nothing to do ------------------------------------------------------------------------
def _state(keys: list[str], columns: dict, formats: Sequence[str], parts: bool) -> str:
    """A digest of what the tables hold: every article's cache key, in order, and their shape."""
    digest = hashlib.sha256(orjson.dumps([keys, columns, list(formats), parts]))
    return digest.hexdigest()[:32]


def _published_files(output_dir: Path, columns: dict, formats: Sequence[str]) -> dict[str, int]:
    """Size of every table file (a Parquet dataset counts as its part files' sizes)."""
    sizes = {}
    for name in columns:
        for fmt in formats:
            path = output_dir / f"{name}.{fmt}"
            parts = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
            sizes[path.name] = sum(p.stat().st_size for p in parts if p.exists())
    return sizes


def _unchanged_output(output_dir: Path, state: str) -> dict | None:
    """The last run's report when it wrote exactly these tables and they are untouched."""
    try:
        previous = orjson.loads((output_dir / "run.json").read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if previous.get("state") != state:
        return None
    files = _published_files(output_dir, previous["columns"], previous["formats"])
    return previous if files == previous.get("files") else None


def _report_unchanged(
    previous: dict,
    input_name: str,
    output_dir: Path,
    started: float,
    on_progress: Callable[[Progress], None] | None,
) -> RunSummary:
    """Leave the tables as they are: the same articles, rules and code would write them again."""
    for problem in previous["problems"]:
        _tell_problem(*problem)
    statuses = previous["statuses"]
    if on_progress:
        errors = statuses.get("error", 0) + statuses.get("empty", 0)
        on_progress(Progress(previous["articles"], previous["articles"], errors, started))
    summary = RunSummary(
        input_name,
        str(output_dir),
        previous["counts"],
        statuses,
        round(time.perf_counter() - started, 3),
        previous["articles"],
        previous["articles"],
    )
    previous.update(
        input=summary.input,
        output=summary.output,
        reused_from_cache=summary.reused,
        elapsed_seconds=summary.elapsed,
    )
    write_json_atomic(output_dir / "run.json", previous)
    return summary


def worker_context() -> multiprocessing.context.BaseContext:
    """Fork (fast, and the workers share the model loaded here) unless Kiwi has threads
    in this process, which a forked child would inherit without the threads themselves."""
    if nlp.KIWI_THREADS == 0 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.process", "extractors.builtin"])
    return context


def _chunks(units: list[Unit], size: int) -> Iterator[list[Unit]]:
    for i in range(0, len(units), size):
        yield units[i : i + size]


def _fresh_rows(
    units: list[Unit],
    extractors: list[Extractor],
    jobs: int,
    plugins: Sequence[str],
    engine: str,
    scheduler: str | None,
) -> Iterator[Rows]:
    """Rows of the articles to process, in order, from this process or from workers."""
    if engine == "dask":
        from .dask_engine import dask_rows

        yield from dask_rows(units, jobs, plugins, scheduler)
    elif jobs <= 1 or len(units) <= CHUNK:
        yield from _loaded(extractors).process_many(unit.read() for unit in units)
    else:
        with worker_pool(jobs, plugins, extractors) as pool:
            try:
                yield from _ordered(
                    pool.submit(_process_chunk, chunk) for chunk in _chunks(units, CHUNK)
                )
            except BaseException:
                _terminate(pool)
                raise
            pool.shutdown(cancel_futures=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now (an interrupted run does not wait for their chunks)."""
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def worker_pool(
    jobs: int, plugins: Sequence[str] = (), extractors: list[Extractor] | None = None
) -> ProcessPoolExecutor:
    """Processes that each have Kiwi, the active rules and the plugins loaded once:
    forked from this process after loading them here, else loading them themselves."""
    context = worker_context()
    forked = context.get_start_method() == "fork"
    if forked:
        _warm_processor(create_all() if extractors is None else extractors)
    folders = [str(f) for f in user_folders()]
    return ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_init_worker,
        # A forked worker's parent is this process; a fork server's children have another.
        initargs=(folders, list(plugins), budget.seconds, os.getpid() if forked else None),
    )


def process_raws(
    raws: Iterable[RawArticle],
    extractors: list[Extractor],
    jobs: int = 1,
    plugins: Sequence[str] = (),
) -> Iterator[Rows]:
    """Rows of already-read articles, in order, here (``jobs=1``) or in a worker pool."""
    if jobs <= 1:
        yield from ArticleProcessor(extractors).process_many(raws)
        return
    with worker_pool(jobs, plugins, extractors) as pool:
        batches = (list(batch) for batch in _batched(raws, CHUNK))
        yield from _ordered(pool.submit(_process_raws, batch) for batch in batches)
        pool.shutdown(cancel_futures=True)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _ordered(futures: Iterable[Future], window: int = 0) -> Iterator[Rows]:
    """Results of futures in submission order, with a bounded number in flight."""
    window = window or 4 * default_jobs()
    in_flight: deque[Future] = deque()
    for future in futures:
        in_flight.append(future)
        if len(in_flight) >= window:
            yield from in_flight.popleft().result()
    while in_flight:
        yield from in_flight.popleft().result()
