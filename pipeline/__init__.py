"""knews pipeline: ingest -> clean -> segment -> analyse -> extract -> write.

``load`` reads an output folder; ``analyse``, ``analyse_frame`` and
``Pipeline`` run knews on texts and DataFrames (see docs/python-api.md).
"""

from __future__ import annotations

from typing import Any

__all__ = ["Pipeline", "analyse", "analyse_frame", "load"]


def __getattr__(name: str) -> Any:
    # pandas, spaCy and Kiwi load only when they are used (the CLI starts without them).
    if name == "load":
        from .tables import load

        return load
    if name in ("Pipeline", "analyse", "analyse_frame"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
