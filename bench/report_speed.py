"""How long `knews report` takes against the run that made its output.

    python bench/report_speed.py --n 1000

Builds N pages as bench/benchmark.py does, runs `knews run` on them (all cores,
as a user would), then times, each as a whole command in a fresh process:
the first report, a report of the same output (nothing to do), and, after one
page is edited and the run repeated, the report that rewrites only what changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import build_corpus  # noqa: E402

KNEWS = Path(sys.executable).with_name("knews")


def timed(*args: str) -> tuple[float, str]:
    """Wall time of one knews command, and what it printed."""
    start = time.perf_counter()
    done = subprocess.run([str(KNEWS), *args], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, " ".join(done.stderr.split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="pages in the corpus")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus, out, site = Path(tmp) / "corpus", Path(tmp) / "out", Path(tmp) / "report"
        build_corpus(corpus, options.n)
        run_s, _ = timed("run", str(corpus), "-o", str(out), "-q", "--force")
        first_s, first = timed("report", str(out), "-o", str(site))
        again_s, _ = timed("report", str(out), "-o", str(site))
        page = sorted(corpus.glob("*.txt"))[options.n // 2]
        page.write_text(page.read_text("utf-8").replace("기자", "특파원", 1), encoding="utf-8")
        rerun_s, _ = timed("run", str(corpus), "-o", str(out), "-q")
        changed_s, changed = timed("report", str(out), "-o", str(site))
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
        print(f"corpus: {options.n} pages; {os.cpu_count()} cores; Python {sys.version.split()[0]}")
        print(f"knews run (all cores)          {run_s:7.2f} s")
        print(f"knews report, first            {first_s:7.2f} s  {first_s / run_s:6.1%} of the run")
        print(f"  {first}")
        print(f"knews report, same output      {again_s:7.2f} s  {again_s / run_s:6.1%} of the run")
        print(f"one page edited: run again     {rerun_s:7.2f} s")
        print(f"knews report after that        {changed_s:7.2f} s  {changed}")
        print(f"site size                      {size:7.1f} MB ({options.n} article pages)")
        shutil.rmtree(site, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
