"""Shared fixtures: the sample articles and a processor built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import create_all
from pipeline.ingest import read_article
from pipeline.process import ArticleProcessor

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"


@pytest.fixture(scope="session")
def processor() -> ArticleProcessor:
    return ArticleProcessor(create_all())


@pytest.fixture(scope="session")
def seed_articles(processor):
    """Every sample article of raw/, analysed (no extraction)."""
    return [processor.analyse(read_article(p, RAW)) for p in sorted(RAW.glob("*.txt"))]
