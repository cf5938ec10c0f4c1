"""knews pipeline: ingest -> clean -> segment -> analyse -> extract -> write.

``load`` reads an output folder; ``analyse``, ``analyse_frame`` and
``Pipeline`` run knews on texts and DataFrames (see docs/python-api.md).
"""

from __future__ import annotations

from typing import Any

from .tables import load

__all__ = ["Pipeline", "analyse", "analyse_frame", "load"]


def __getattr__(name: str) -> Any:
    # The analysis API loads spaCy and Kiwi: import it only when it is used.
    if name in ("Pipeline", "analyse", "analyse_frame"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
