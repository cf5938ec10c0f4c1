"""Profile a whole `knews run -j 1` with pyinstrument and say where the time goes.

    pip install ".[bench]"
    python bench/profile_run.py --n 300 [--tree]

Builds the benchmark's corpus of N pages, runs the pipeline on it in this process
under pyinstrument (sampling every millisecond), after Kiwi has seen the
paragraphs once as in the benchmark, and prints each part's share of
the run: Kiwi (its analysis and its Python wrapper), spaCy, each knews module
(time spent in its own code and in the libraries it calls, such as ``regex``),
and the rest. ``--tree`` also prints pyinstrument's call tree.

Two things to read it by: spaCy's and Kiwi's compiled functions show as no
frame of their own, so their time counts for the Python code that calls them
(building a spaCy doc counts for ``pipeline/nlp.py``; the "spaCy" line is
mostly loading it); and the run's start-up (loading the rules and spaCy,
warming up) is spread over the pages.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmark import ROOT, body_texts, build_corpus, kiwi_baseline

sys.path.insert(0, str(ROOT))

LIBRARIES = {"kiwipiepy": "Kiwi (analysis and wrapper)", "spacy": "spaCy", "thinc": "spaCy"}


def part_of(path: str | None, inherited: str) -> str:
    """The part a frame's own time counts for; library code counts for its caller."""
    if not path:
        return inherited
    for library, part in LIBRARIES.items():
        if f"/{library}/" in path:
            return part
    if inherited in LIBRARIES.values():  # code that Kiwi or spaCy calls is theirs
        return inherited
    for folder in ("pipeline", "extractors"):
        if f"/{ROOT.name}/{folder}/" in path or f"/site-packages/{folder}/" in path:
            return f"{folder}/{path.rsplit('/', 1)[-1]}"
    return inherited


def shares(root) -> Counter:
    """Seconds of own time per part, walking pyinstrument's frame tree."""
    seconds: Counter = Counter()
    stack = [(root, "other (run loop, interpreter)")]
    while stack:
        frame, inherited = stack.pop()
        part = part_of(frame.file_path, inherited)
        seconds[part] += frame.time - sum(child.time for child in frame.children)
        stack += [(child, part) for child in frame.children]
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=300, help="articles in the corpus")
    parser.add_argument("--tree", action="store_true", help="print the call tree too")
    args = parser.parse_args()
    from pyinstrument import Profiler

    from pipeline.rulefiles import use_rule_folders, user_folders
    from pipeline.run import run

    work = Path(tempfile.mkdtemp(prefix="knews-profile-"))
    try:
        build_corpus(work / "corpus", args.n)
        # As in the benchmark, Kiwi has analysed these paragraphs once before: its first
        # pass over a text runs up to half slower, which would hide the rest.
        kiwi_baseline(body_texts(work / "corpus"), passes=1)
        use_rule_folders(user_folders())  # rule memos start empty, as in a new process
        profiler = Profiler(interval=0.001)
        profiler.start()
        run(work / "corpus", work / "out", jobs=1, force=True)
        profiler.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    session = profiler.last_session
    total = session.duration
    print(f"knews run -j 1 on {args.n} pages: {total:.2f} s, {1000 * total / args.n:.1f} ms a page")
    for part, seconds in shares(session.root_frame()).most_common():
        if seconds >= 0.001 * total:
            print(f"  {part:36s} {1000 * seconds / args.n:6.2f} ms a page  {seconds / total:6.1%}")
    if args.tree:
        print(profiler.output_text(unicode=True, color=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
