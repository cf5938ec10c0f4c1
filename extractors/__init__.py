"""Rule-based extractors that turn analysed articles into table rows."""

from .base import Extractor, Row, available, create_all, load_plugin, register

__all__ = ["Extractor", "Row", "available", "create_all", "load_plugin", "register"]
