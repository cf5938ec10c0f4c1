"""Benchmark knews against a Kiwi-only baseline, measured in one run.

    python bench/benchmark.py --n 500

Builds a corpus of N article-like pages from the samples (raw/ and the test
articles): each keeps a sample's header and tail and gets body paragraphs
drawn from all samples with their numbers changed, so that lines vary as in a
real crawl. Then it measures, on this machine:

- a Kiwi-only baseline on the corpus's body paragraphs (sentence split and
  tokenise, nothing else), with the same Kiwi settings as the pipeline;
- the full pipeline with ``-j 1`` and with ``-j`` all cores;
- peak RSS of a whole ``knews run`` at N and at 10 x N articles;
- an unchanged re-run of the N articles against the first run;
- ``analyse`` called 1,000 times on single sentences against the cost of a
  sentence inside one ``analyse_frame`` batch;
- HTML input: N real pages (``../shared/dev/html``, their text's digits varied so
  that no two pages are the same), the cost of reading them (rendering and the
  markup) against a ``-j 1`` run of them.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [
    *sorted((ROOT / "raw").glob("*.txt")),
    *sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt")),
]
DIGIT = regex.compile(r"\d")


def build_corpus(folder: Path, n: int, seed: int = 7) -> None:
    """N pages: a sample's header and tail around paragraphs drawn from every sample."""
    from pipeline.article import BODY
    from pipeline.ingest import read_article
    from pipeline.process import ArticleProcessor

    processor = ArticleProcessor([])
    pages, pool = [], []
    for path in SAMPLES:
        article = processor.clean(read_article(path, path.parent))
        body = [ln.number for ln in article.lines if ln.kind == BODY]
        if not body:
            continue
        lines = article.raw_text.split("\n")
        pages.append((lines[: body[0] - 1], lines[body[-1] :]))
        pool += [lines[i - 1] for i in body]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        head, tail = pages[i % len(pages)]
        paragraphs = [
            DIGIT.sub(lambda _: str(rng.randint(0, 9)), p)
            for p in rng.sample(pool, k=min(len(pool), rng.randint(6, 14)))
        ]
        text = "\n".join([*head, *"\n\n".join(paragraphs).split("\n"), *tail])
        (folder / f"{i:06d}.txt").write_text(text, encoding="utf-8")


def body_texts(folder: Path) -> list[list[str]]:
    """Each page's body paragraphs, as the pipeline finds them."""
    from pipeline.ingest import read_article
    from pipeline.process import ArticleProcessor
    from pipeline.segment import texts_to_analyse

    processor = ArticleProcessor([])
    out = []
    for path in sorted(folder.glob("*.txt")):
        article = processor.clean(read_article(path, folder))
        out.append(texts_to_analyse(article) if article.status == "ok" else [])
    return out


def kiwi_baseline(texts: list[list[str]], passes: int = 2) -> float:
    """Seconds for Kiwi alone to split and tokenise the paragraphs, in one call each,
    with the pipeline's Kiwi settings (`pipeline.nlp.analyse_texts`): the best of
    ``passes`` passes, as Kiwi's first pass over new text runs slower."""
    from pipeline.nlp import analyse_texts

    best = float("inf")
    for _ in range(passes):
        flat = (t for article in texts for t in article)
        start = time.perf_counter()
        for _ in analyse_texts(flat):
            pass
        best = min(best, time.perf_counter() - start)
    return best


def pipeline_run(corpus: Path, out: Path, jobs: int, force: bool = True) -> float:
    """Wall seconds of a whole run, start-up (loading rules, starting workers) included.

    The rules are loaded afresh, so their memos (of page furniture) start empty as in a
    new process, not filled by `body_texts` cleaning the same pages.
    """
    from pipeline.rulefiles import use_rule_folders, user_folders
    from pipeline.run import run

    use_rule_folders(user_folders())

    start = time.perf_counter()
    run(corpus, out, jobs=jobs, force=force)
    return time.perf_counter() - start


def peak_rss_mb(corpus: Path, out: Path) -> float:
    """Peak RSS of a whole `knews run -j 1` in a fresh process."""
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    knews = [
        sys.executable,
        "-m",
        "pipeline.cli",
        "run",
        str(corpus),
        "-o",
        str(out),
        "-j",
        "1",
        "--force",
        "-q",
    ]
    done = subprocess.run(
        [sys.executable, "-c", probe, *knews], capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def api_costs(folder: Path, calls: int = 1000) -> tuple[float, float, float]:
    """Seconds per `analyse` call on one sentence (reading its quotes; building every
    table), and per sentence inside one `analyse_frame` batch (every table built)."""
    import pandas as pd

    from pipeline.api import default_pipeline

    pipe = default_pipeline()
    sentences = []
    for path in sorted(folder.glob("*.txt")):
        sentences += pipe.analyse(path.read_text(encoding="utf-8"))["sentences"]["text"].tolist()
        if len(sentences) >= calls:
            break
    sentences = (sentences * (calls // max(len(sentences), 1) + 1))[:calls]
    start = time.perf_counter()
    for sentence in sentences:
        pipe.analyse(sentence, clean=False)["quotes"]
    per_call = (time.perf_counter() - start) / calls
    start = time.perf_counter()
    for sentence in sentences:
        tables = pipe.analyse(sentence, clean=False)
        for name in tables:
            tables[name]
    per_call_all = (time.perf_counter() - start) / calls
    frame = pd.DataFrame({"text": sentences})
    start = time.perf_counter()
    tables = pipe.analyse_frame(frame, clean=False, progress=False)
    for name in tables:
        tables[name]
    in_batch = (time.perf_counter() - start) / calls
    return per_call, per_call_all, in_batch


DEV_HTML = ROOT.parent / "shared" / "dev" / "html"


def build_html_corpus(folder: Path, n: int, seed: int = 7) -> bool:
    """N pages made from the real HTML pages, the digits of their text varied."""
    from lxml.html import document_fromstring, tostring

    pages = sorted(DEV_HTML.glob("*.html"))
    if not pages:
        return False
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)

    def vary(text: str | None) -> str | None:
        return DIGIT.sub(lambda _: str(rng.randint(0, 9)), text) if text else text

    for i in range(n):
        tree = document_fromstring(pages[i % len(pages)].read_bytes())
        for element in tree.iter():
            if element.tag not in ("script", "style"):
                element.text = vary(element.text)
            element.tail = vary(element.tail)
        (folder / f"{i:06d}.html").write_bytes(tostring(tree, encoding="utf-8"))
    return True


def html_costs(folder: Path, out: Path) -> tuple[float, float] | None:
    """Seconds to read every page (render + markup; with the collector set as a run sets
    it), and of a -j 1 run of them."""
    from pipeline.ingest import read_article
    from pipeline.run import _batch_gc, _restore_gc

    paths = sorted(folder.glob("*.html"))
    previous = _batch_gc()
    try:
        start = time.perf_counter()
        for path in paths:
            read_article(path, folder)
        reading = time.perf_counter() - start
    finally:
        _restore_gc(previous)
    return reading, pipeline_run(folder, out, 1)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=500, help="articles in the corpus")
    parser.add_argument("--jobs", type=int, default=0, help="jobs for the parallel run")
    args = parser.parse_args()
    from pipeline.run import default_jobs

    jobs = args.jobs or default_jobs()
    work = Path(tempfile.mkdtemp(prefix="knews-bench-"))
    try:
        corpus, big = work / "corpus", work / "corpus10"
        build_corpus(corpus, args.n)
        build_corpus(big, 10 * args.n)
        texts = body_texts(corpus)
        chars = sum(len(t) for article in texts for t in article)
        baseline = kiwi_baseline(texts)
        one = pipeline_run(corpus, work / "out1", 1)
        run_json = json.loads((work / "out1" / "run.json").read_text(encoding="utf-8"))
        per_sentence_run = one / run_json["counts"]["sentences"]
        many = pipeline_run(corpus, work / "outN", jobs)
        rerun = pipeline_run(corpus, work / "outN", jobs, force=False)
        per_call, per_call_all, in_batch = api_costs(corpus)
        rss_n = peak_rss_mb(corpus, work / "rss1")
        rss_10n = peak_rss_mb(big, work / "rss10")
        html = None
        if build_html_corpus(work / "html", args.n):
            html = html_costs(work / "html", work / "outH")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def line(name: str, seconds: float) -> str:
        return (
            f"{name:34s} {seconds:7.2f} s {args.n / seconds:8.1f} articles/s "
            f"{chars / seconds:10.0f} chars/s  x{baseline / seconds:.2f} of Kiwi-only"
        )

    print(
        f"corpus: {args.n} articles, {chars} body characters; {jobs} cores; "
        f"Python {sys.version.split()[0]}"
    )

    print(line("Kiwi-only baseline", baseline))
    print(line("knews -j 1", one))
    print(line(f"knews -j {jobs}", many))
    print(f"{'speed-up -j ' + str(jobs) + ' over -j 1':34s} x{one / many:.2f}")
    print(
        f"{'unchanged re-run -j ' + str(jobs):34s} {rerun:7.2f} s  "
        f"({100 * rerun / many:.1f}% of the first run)"
    )
    base = per_sentence_run
    print(
        f"{'analyse() x1000 single sentences':34s} {1000 * per_call:7.2f} ms a call reading one "
        f"table (x{per_call / base:.2f}), {1000 * per_call_all:.2f} ms building all "
        f"(x{per_call_all / base:.2f}), vs {1000 * base:.2f} ms a sentence in the -j 1 run "
        f"({1000 * in_batch:.2f} ms in one analyse_frame batch); Kiwi loaded once"
    )
    print(
        f"{'peak RSS, knews run -j 1':34s} {rss_n:7.0f} MB at N={args.n}, {rss_10n:.0f} MB at "
        f"10N={10 * args.n} ({100 * (rss_10n / rss_n - 1):+.1f}%)"
    )
    if html:
        reading, html_run = html
        print(
            f"{'HTML input, knews -j 1':34s} {html_run:7.2f} s for {args.n} real pages "
            f"({1000 * html_run / args.n:.1f} ms a page); reading them (render + markup) "
            f"{1000 * reading / args.n:.1f} ms a page, {100 * reading / html_run:.1f}% of the run"
        )
    else:
        print(f"{'HTML input':34s} skipped: {DEV_HTML} is not beside the project")
    print(
        f"{'measured at':34s} {time.strftime('%Y-%m-%d %H:%M')}, "
        f"maxrss of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
