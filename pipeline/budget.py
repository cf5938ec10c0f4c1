"""A time budget per article: a step that runs past it is stopped and named.

``within(seconds)`` arms a real-time timer (``signal.setitimer``) around one
step of one article, the steps sharing the article's budget (``left``). When
it fires, ``ArticleTimeout`` is raised where the code is, even inside a regular
expression (the ``regex`` module checks for signals), and says which function
of knews was running. Timers work in a process's main thread only; elsewhere
(a thread of your own, a Dask worker's thread) the step runs without one.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_SECONDS = 5.0
seconds = DEFAULT_SECONDS  # the run's budget; 0 for none (`--article-timeout`)


class ArticleTimeout(Exception):
    """An article took longer than its budget."""


def running_rule(frame: FrameType | None) -> str:
    """The innermost knews function on the stack (`extractors/people.py:212 _names`)."""
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        ours = path.is_relative_to(PROJECT) and path.parent.name in ("pipeline", "extractors")
        if ours and path.name != "budget.py":
            where = path.relative_to(PROJECT).as_posix()
            return f"{where}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return "an unknown step"


def left(spent: float) -> float | None:
    """What is left of an article's budget after ``spent`` seconds of its own steps."""
    if not seconds:
        return None
    return max(seconds - spent, 0.001)


@contextmanager
def step(article) -> Iterator[None]:
    """One step of an article, within what is left of its budget; the time it took is
    added to ``article.spent`` (other articles' steps in between do not count)."""
    started = time.monotonic()
    try:
        with within(left(article.spent)):
            yield
    finally:
        article.spent += time.monotonic() - started


@contextmanager
def within(limit: float | None = None) -> Iterator[None]:
    """Run the block with a budget of ``limit`` seconds (the run's ``seconds`` if None)."""
    limit = seconds if limit is None else limit
    if not limit or threading.current_thread() is not threading.main_thread():
        yield
        return
    shown = seconds or limit

    def stop(_signum: int, frame: FrameType | None) -> None:
        raise ArticleTimeout(f"took longer than {shown:g} s, in {running_rule(frame)}")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:  # even if the timer fired between the block's end and here
            signal.signal(signal.SIGALRM, previous)
