"""Interrupted runs: SIGINT, SIGTERM or SIGKILL in the middle of a run. No worker outlives
its parent, and the next run (without --force) writes the tables an uninterrupted run
writes, byte for byte."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from bench.benchmark import build_corpus

PAGES = 300
KNEWS = [sys.executable, "-m", "pipeline.cli", "run"]
TABLES = ("articles", "sentences", "people", "organizations", "dates", "quotes", "pledges")


def knews(corpus: Path, out: Path) -> subprocess.Popen:
    args = [*KNEWS, str(corpus), "-o", str(out), "-j", "2", "-q"]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def table_bytes(out: Path) -> dict[str, bytes]:
    return {f"{t}.{f}": (out / f"{t}.{f}").read_bytes() for t in TABLES for f in ("jsonl", "csv")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    build_corpus(folder, PAGES)
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference")
    assert knews(corpus, out).wait(timeout=300) == 0
    return table_bytes(out)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_run_leaves_no_worker_and_resumes_to_the_same_tables(
    corpus, reference, tmp_path, signum
):
    out = tmp_path / "out"
    parent = knews(corpus, out)
    process = psutil.Process(parent.pid)
    deadline = time.monotonic() + 120
    while len(process.children(recursive=True)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # wait for the workers
    time.sleep(random.Random(signum).uniform(0.2, 1.2))  # somewhere in the run
    workers = process.children(recursive=True)
    assert workers, "the run had no workers to interrupt"
    os.kill(parent.pid, signum)
    code = parent.wait(timeout=60)
    if signum != signal.SIGKILL:
        message = parent.stderr.read().decode()
        assert code == 128 + signum and "stopped" in message, (code, message)
    gone, alive = psutil.wait_procs(workers, timeout=5)
    assert not alive, f"workers outlived their parent: {alive}"

    resumed = knews(corpus, out)
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read().decode()
    assert table_bytes(out) == reference
