"""``knews report``: a static site to review a run's output in a browser."""

from .site import ReportSummary, build
from .source import ReportError

__all__ = ["ReportError", "ReportSummary", "build"]
