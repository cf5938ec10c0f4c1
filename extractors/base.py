"""The extractor interface and registry.

An extractor reads an analysed ``Article`` (its sentences, spaCy ``doc`` and
header fields) and yields rows for one table. Built-in extractors register
themselves with ``@register``; installed packages add theirs through the
``knews.extractors`` entry-point group. Extractors run in registration order,
and each may leave results in ``article.found`` for the ones after it (``@per_article``
from ``pipeline.article`` runs a finder once per article and keeps its result there).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol

from pipeline.article import Article

Row = dict[str, Any]
ENTRY_POINT_GROUP = "knews.extractors"


class Extractor(Protocol):
    """Yields the rows of one table (``name``) with the given ``columns``."""

    name: str
    columns: dict[str, str]

    def extract(self, article: Article) -> Iterable[Row]: ...


_REGISTRY: dict[str, Callable[[], Extractor]] = {}


def register(factory: Callable[[], Extractor]) -> Callable[[], Extractor]:
    """Class decorator (or call) adding an extractor under its table name."""
    _REGISTRY[factory.name] = factory
    return factory


def load_plugin(spec: str) -> str:
    """Register the extractor at ``package.module:Name`` (local code: run from its folder).

    Returns the name of the table it writes.
    """
    module_name, _, attr = spec.partition(":")
    if not attr:
        raise ValueError(f"{spec!r}: give the extractor as module:Name")
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    factory = getattr(importlib.import_module(module_name), attr)
    if not getattr(factory, "name", None) or not hasattr(factory, "columns"):
        raise ValueError(f"{spec!r}: an extractor needs `name`, `columns` and `extract`")
    register(factory)
    return factory.name


def available() -> dict[str, Callable[[], Extractor]]:
    """Built-in extractors, then those of installed plugins."""
    from . import builtin  # noqa: F401  (registers the built-in extractors)

    found = dict(_REGISTRY)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        factory = ep.load()
        found.setdefault(getattr(factory, "name", ep.name), factory)
    return found


def create_all(names: Iterable[str] | None = None) -> list[Extractor]:
    """Instances of the named extractors (all when ``names`` is None)."""
    factories = available()
    chosen = list(factories) if names is None else list(names)
    unknown = [n for n in chosen if n not in factories]
    if unknown:
        raise KeyError(f"unknown extractor(s): {', '.join(unknown)}")
    return [factories[n]() for n in chosen]
