"""Run the per-article processing on a Dask distributed cluster.

The client reads each file and ships its bytes, so workers need no shared
file system; each worker process loads Kiwi and the rules once and
processes chunks of articles; the client writes the rows in input order with
the same table writers as a plain run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

from extractors.base import create_all, load_plugin

from .ingest import HTML_SUFFIXES, RawArticle, article_from_bytes, article_from_html
from .inputs import Unit
from .process import ArticleProcessor, Rows
from .rulefiles import use_rule_folders, user_folders

_processors: dict[tuple, ArticleProcessor] = {}


def process_files(
    files: list[tuple[str, str, bytes] | RawArticle], folders: list[str], plugins: list[str]
) -> list[Rows]:
    """On a worker: the rows of (article id, source path, bytes) items or of articles read
    already (a table's rows), in order."""
    key = (tuple(folders), tuple(plugins))
    if key not in _processors:  # once per worker process and rule set
        use_rule_folders([Path(f) for f in folders])
        for spec in plugins:
            load_plugin(spec)
        _processors[key] = ArticleProcessor(create_all())
    return list(_processors[key].process_many(_article(item) for item in files))


def _article(item: tuple[str, str, bytes] | RawArticle) -> RawArticle:
    if isinstance(item, RawArticle):
        return item
    article_id, source, data = item
    if Path(source).suffix.lower() in HTML_SUFFIXES:
        return article_from_html(data, article_id, source)
    return article_from_bytes(data, article_id, source)


def _shipped(unit: Unit) -> tuple[str, str, bytes] | RawArticle:
    """What the client sends for a unit: a file's bytes, or the article read already."""
    if unit.raw is not None or unit.anchor:
        return unit.read()  # read here: a table's row, or a page with a given date
    try:
        return (unit.article_id, unit.path, Path(unit.path).read_bytes())
    except OSError:
        return unit.read()  # an error article naming why


def dask_rows(
    units: list[Unit],
    jobs: int,
    plugins: Sequence[str],
    scheduler: str | None,
    chunk: int = 8,
) -> Iterator[Rows]:
    """Rows of ``units`` processed on the cluster at ``scheduler`` (a local one if None)."""
    from distributed import Client, LocalCluster

    from .run import _ordered

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=max(jobs, 1),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
        client = Client(cluster)
    folders = [str(f) for f in user_folders()]

    def submit(i: int):
        files = [_shipped(unit) for unit in units[i : i + chunk]]
        return client.submit(process_files, files, folders, list(plugins), pure=False)

    try:
        yield from _ordered(
            (submit(i) for i in range(0, len(units), chunk)), window=4 * max(jobs, 1)
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
