"""The ``knews`` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .ingest import discover
from .run import run as run_pipeline
from .tables import FORMATS

app = typer.Typer(
    help="Turn raw scraped Korean news pages into clean tables.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)


@app.callback()
def main() -> None:
    """knews: clean Korean news and extract people, organisations, dates, quotes, pledges."""


@app.command()
def run(
    input_dir: Path = typer.Argument(..., exists=True, help="Folder of raw *.txt articles."),
    output: Path = typer.Option(Path("output"), "-o", "--output", help="Output folder."),
    formats: str = typer.Option(",".join(FORMATS), "--formats", help="Comma-separated formats."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress, no summary."),
) -> None:
    """Process every article of INPUT_DIR and write the tables into OUTPUT."""
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    bad = [f for f in chosen if f not in FORMATS]
    if bad or "jsonl" not in chosen:
        raise typer.BadParameter(f"formats must include jsonl and come from {FORMATS}")
    total = len(discover(input_dir))
    show = not quiet and sys.stderr.isatty()
    progress = Progress(
        TextColumn("[bold]knews"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not show,
    )
    with progress:
        task = progress.add_task("articles", total=total)
        summary = run_pipeline(
            input_dir, output, formats=chosen, on_article=lambda *_: progress.advance(task)
        )
    if not quiet:
        rate = total / summary.elapsed if summary.elapsed else 0.0
        err.print(f"knews: {total} articles in {summary.elapsed:.1f}s ({rate:.1f}/s) -> {output}")
        err.print("  status: " + ", ".join(f"{k} {v}" for k, v in summary.statuses.items()))
        err.print("  rows:   " + ", ".join(f"{k} {v}" for k, v in summary.counts.items()))
