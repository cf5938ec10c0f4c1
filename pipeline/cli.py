"""The ``knews`` command line."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .formats import FORMATS
from .rulefiles import RuleFileError, use_rule_folders

app = typer.Typer(
    help="Turn raw scraped Korean news pages into clean tables.",
    no_args_is_help=True,
    add_completion=False,
)
rules_app = typer.Typer(help="Check rule files and their examples.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
err = Console(stderr=True)

RULES_OPTION = typer.Option(
    None, "--rules", help="A folder of your own rule files (repeatable).", exists=True
)
EXTRACTOR_OPTION = typer.Option(
    None, "--extractor", help="A plugin extractor as module:Name (repeatable)."
)


def versions() -> str:
    """knews's version and those of the models and libraries it reads with."""
    from importlib.metadata import PackageNotFoundError, version

    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    names = ("kiwipiepy", "kiwipiepy-model", "spacy", "pandas", "pyarrow", "inscriptis")
    return f"knews {of('knews')}\n" + "\n".join(f"{name} {of(name)}" for name in names)


def show_version(value: bool) -> None:
    if value:
        typer.echo(versions())
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=show_version, is_eager=True, help="Show the versions."
    ),
) -> None:
    """knews: clean Korean news and extract people, organisations, dates, quotes, pledges."""


def activate(rules: list[Path] | None, extractors: list[str] | None) -> None:
    """Check and switch on users' rule folders and plugins, before any article is read."""
    from extractors import load_plugin

    try:
        use_rule_folders(rules or [])
        for spec in extractors or []:
            load_plugin(spec)
    except (RuleFileError, ValueError, ImportError, AttributeError) as exc:
        typer.echo(f"knews: {exc}", err=True)
        raise typer.Exit(2) from exc


def check_output(output: Path) -> None:
    """Exit 2 with one line when the output folder cannot be made or written."""
    problem = None
    if output.exists() and not output.is_dir():
        problem = "is a file, not a folder"
    else:
        try:
            output.mkdir(parents=True, exist_ok=True)
            probe = output / ".knews-write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            problem = f"cannot be written: {exc.strerror or exc}"
    if problem:
        typer.echo(f"knews: output {output} {problem}", err=True)
        raise typer.Exit(2)


class ProgressReport:
    """A progress bar on a terminal, a log line every few seconds elsewhere, or nothing."""

    LOG_EVERY = 5.0

    def __init__(self, total: int, quiet: bool) -> None:
        self.total = total
        self.quiet = quiet
        self.tty = err.is_terminal
        self.last_log = time.perf_counter()
        self.bar = Progress(
            TextColumn("[bold]knews"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} articles/s"),
            TimeRemainingColumn(),
            TextColumn("[red]{task.fields[errors]} errors"),
            console=err,
            disable=quiet or not self.tty,
        )
        self.task = self.bar.add_task("articles", total=total, rate=0.0, errors=0)

    def __enter__(self) -> ProgressReport:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def update(self, p) -> None:
        elapsed = time.perf_counter() - p.started
        rate = p.done / elapsed if elapsed else 0.0
        self.bar.update(self.task, completed=p.done, rate=rate, errors=p.errors)
        now = time.perf_counter()
        if (
            not self.quiet
            and not self.tty
            and (now - self.last_log >= self.LOG_EVERY or p.done == p.total)
        ):
            self.last_log = now
            eta = (p.total - p.done) / rate if rate else 0.0
            typer.echo(
                f"knews: {p.done}/{p.total} articles, {rate:.1f}/s, {p.errors} errors, "
                f"ETA {eta:.0f}s",
                err=True,
            )


@app.command()
def run(
    inputs: list[str] = typer.Argument(
        ...,
        help="Folders, files or globs of text (.txt), HTML (.html, .htm) and tables of "
        "articles (.jsonl, .csv, .parquet); - reads standard input.",
    ),
    output: Path = typer.Option(Path("output"), "-o", "--output", help="Output folder."),
    jobs: int = typer.Option(0, "-j", "--jobs", help="Worker processes (0: all cores)."),
    force: bool = typer.Option(False, "--force", help="Process every article again."),
    rules: list[Path] = RULES_OPTION,
    extractor: list[str] = EXTRACTOR_OPTION,
    formats: str = typer.Option(",".join(FORMATS), "--formats", help="Comma-separated formats."),
    engine: str = typer.Option("local", "--engine", help="local, or dask for a Dask cluster."),
    scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address."),
    text_column: str = typer.Option(
        None, "--text-column", help="Tables: the text column [text, content, body …]."
    ),
    id_column: str = typer.Option(None, "--id-column", help="Tables: the id column [id …]."),
    published_column: str = typer.Option(
        None, "--published-column", help="Tables: the publication date [published_at, date …]."
    ),
    url_column: str = typer.Option(None, "--url-column", help="Tables: the URL column [url …]."),
    html_column: str = typer.Option(
        None, "--html-column", help="Tables: a column of HTML pages [html …]."
    ),
    article_timeout: float = typer.Option(
        5.0, "--article-timeout", help="Seconds an article may take (0: no limit)."
    ),
    dates: Path = typer.Option(
        None, "--dates", exists=True, help="CSV of (article id or file name, published_at)."
    ),
    follow_links: bool = typer.Option(
        False, "--follow-links", help="Follow symbolic links that leave the input folder."
    ),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress, no summary."),
) -> None:
    """Process every article of INPUTS and write the tables into OUTPUT."""
    from .article_tables import TableColumns
    from .inputs import InputError, expand, read_dates, skipped_files, with_dates
    from .run import default_jobs
    from .run import run as run_pipeline

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    if not chosen or [f for f in chosen if f not in FORMATS]:
        raise typer.BadParameter(f"formats must come from {', '.join(FORMATS)}")
    if engine not in ("local", "dask"):
        raise typer.BadParameter("engine must be local or dask")
    if jobs < 0:
        raise typer.BadParameter(f"-j must be 0 (all cores) or more, not {jobs}")
    if article_timeout < 0:
        raise typer.BadParameter("--article-timeout must be 0 (no limit) or more")
    activate(rules, extractor)
    if jobs > default_jobs():
        err.print(f"knews: -j {jobs} is more than the {default_jobs()} cores here; using those")
    jobs = min(jobs, default_jobs()) or default_jobs()
    check_output(output)
    columns = TableColumns(text_column, id_column, published_column, url_column, html_column)
    try:
        units = expand(inputs, columns, follow_links=follow_links)
        if dates:
            units = with_dates(units, read_dates(dates))
    except InputError as exc:
        typer.echo(f"knews: {exc}", err=True)
        raise typer.Exit(2) from exc
    if skipped := skipped_files(inputs):
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in skipped.most_common())
        err.print(f"knews: skipped {sum(skipped.values())} files knews does not read ({kinds})")
    if not units:
        typer.echo(
            f"knews: nothing to read in {', '.join(inputs)}: no .txt, .html, .htm, .jsonl, "
            ".csv or .parquet file",
            err=True,
        )
        raise typer.Exit(1)
    total = len(units)
    try:
        with ProgressReport(total, quiet) as report:
            summary = run_pipeline(
                inputs,
                output,
                formats=chosen,
                jobs=jobs,
                force=force,
                plugins=extractor or [],
                on_progress=report.update,
                engine=engine,
                scheduler=scheduler,
                units=units,
                article_timeout=article_timeout,
            )
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        typer.echo(
            f"knews: stopped ({signal.Signals(signum).name}); the tables were left as they "
            "were, and the next run goes on from the articles done",
            err=True,
        )
        raise typer.Exit(128 + signum) from None
    if not quiet:
        rate = total / summary.elapsed if summary.elapsed else 0.0
        err.print(
            f"knews: {total} articles in {summary.elapsed:.1f}s ({rate:.1f}/s, "
            f"{jobs} jobs, {summary.reused} unchanged) -> {output}"
        )
        err.print("  status: " + ", ".join(f"{k} {v}" for k, v in summary.statuses.items()))
        err.print("  rows:   " + ", ".join(f"{k} {v}" for k, v in summary.counts.items()))


@rules_app.command("test")
def rules_test(
    folders: list[Path] = typer.Argument(None, help="Your rule folders, checked on top."),
) -> None:
    """Run the examples of the built-in rule files and of FOLDERS; exit 1 on a failure."""
    activate(folders, None)
    from extractors.examples import collect
    from extractors.examples import run as run_examples

    examples = collect()
    failures = run_examples(examples)
    for example, got in failures:
        typer.echo(f"FAIL {example.where}", err=True)
        typer.echo(f"  example:  {example.text}", err=True)
        typer.echo(f"  expected: {example.expected}", err=True)
        typer.echo(f"  got:      {got}", err=True)
    passed = len(examples) - len(failures)
    print(f"{passed} passed, {len(failures)} failed")
    if failures:
        raise typer.Exit(1)


@rules_app.command("schema")
def rules_schema(
    name: str = typer.Argument(..., help="A TOML rule file's name, like people.toml."),
) -> None:
    """Print the JSON Schema a rule file of that name is checked against (for editors)."""
    from .rule_schema import did_you_mean, json_schema
    from .rulefiles import builtin_files

    files = {n: p for n, p in builtin_files().items() if n.endswith(".toml")}
    if name not in files:
        typer.echo(f"knews: no TOML rule file {name!r}{did_you_mean(name, files)}", err=True)
        raise typer.Exit(2)
    print(json.dumps(json_schema(files[name]), ensure_ascii=False, indent=2))


@app.command()
def explain(
    target: str = typer.Argument(..., help="A sentence, or the path of a raw article file."),
    rules: list[Path] = RULES_OPTION,
    extractor: list[str] = EXTRACTOR_OPTION,
    published_at: str = typer.Option(None, "--published-at", help="Anchor for relative dates."),
    table: list[str] = typer.Option(
        None, "--table", help="Show only this table (repeatable): people, quotes, …"
    ),
    line: int = typer.Option(None, "--line", help="Show only what stands on this raw line."),
) -> None:
    """Show the morphemes, the rules that fired and the rows each extractor produces."""
    from .explain import SHOWN, analyse_input, looks_like_a_path, show

    if looks_like_a_path(target) and not Path(target).is_file():
        typer.echo(f"knews: no such file: {target}", err=True)
        raise typer.Exit(2)
    unknown = [t for t in table or [] if t not in SHOWN]
    if unknown:
        typer.echo(f"knews: no table {unknown[0]!r} (tables: {', '.join(SHOWN)})", err=True)
        raise typer.Exit(2)
    activate(rules, extractor)
    from extractors import create_all

    from .process import ArticleProcessor

    processor = ArticleProcessor(create_all())
    article, rows = analyse_input(processor, target, published_at)
    show(Console(), article, rows, Path(target).is_file(), tuple(table or ()), line)


@app.command("report")
def report(
    output: Path = typer.Argument(Path("output"), help="The output folder `knews run` wrote."),
    site: Path = typer.Option(Path("report"), "-o", "--out", help="Where to write the site."),
    force: bool = typer.Option(False, "--force", help="Rewrite every page."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No summary."),
) -> None:
    """Write a static review site of OUTPUT: an article index, every page with its
    highlights, a corpus overview and the run's summary. Open SITE/index.html."""
    from .report import ReportError, build

    if site.exists() and not site.is_dir():
        typer.echo(f"knews: {site} is a file, not a folder for the report", err=True)
        raise typer.Exit(2)
    try:
        summary = build(output, site, force=force)
    except ReportError as exc:
        typer.echo(f"knews: {exc}", err=True)
        raise typer.Exit(2) from exc
    if not quiet:
        err.print(
            f"knews: report of {summary.articles} articles in {summary.elapsed:.2f}s "
            f"({summary.written} pages written, {summary.unchanged} unchanged, "
            f"{summary.removed} removed{', charts drawn' if summary.charts_drawn else ''}) "
            f"-> {site / 'index.html'}"
        )


@app.command("eval")
def evaluate(
    output: Path = typer.Argument(Path("output"), help="The output folder to score."),
    gold: Path = typer.Option(..., "--gold", exists=True, help="Folder of gold *.json files."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Precision, recall and F1 per table and per article against gold files."""
    from .evaluate import evaluate as score
    from .evaluate import format_report

    report = score(gold, output)
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for line in format_report(report):
            print(line)


if __name__ == "__main__":
    app()
