"""knews pipeline: ingest -> clean -> segment -> analyse -> extract -> write."""

from .tables import load

__all__ = ["load"]
