"""``knews explain``: why a sentence or file produced the rows it did."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from .article import BLANK, Article
from .ingest import RawArticle, read_article
from .process import ArticleProcessor, Rows

SHOWN = {
    "people": ("name", "titles", "affiliation", "aliases", "role"),
    "organizations": ("name", "type", "aliases"),
    "dates": ("text", "value", "resolution"),
    "quotes": ("text", "speaker", "speaker_text", "verb"),
    "pledges": ("actor", "name", "content", "cue"),
    "mentions": ("kind", "text", "entity"),
}


def analyse_input(
    processor: ArticleProcessor, target: str, published_at: str | None
) -> tuple[Article, Rows]:
    """A file is read as a page (with its boilerplate); anything else as one clean text."""
    path = Path(target)
    if path.is_file():
        raw = read_article(path, path.parent)
        article = processor.analyse(raw, published_at=published_at)
    else:
        raw = RawArticle("explain", "<text>", target)
        article = processor.analyse(raw, clean=False, published_at=published_at)
    return article, processor.extract(article)


PATH_LIKE = (".txt", ".html", ".htm", ".jsonl", ".csv", ".parquet")


def looks_like_a_path(target: str) -> bool:
    """A target naming a file (`raw/a.txt`) rather than a sentence: no spaces, a suffix."""
    return " " not in target.strip() and target.strip().lower().endswith(PATH_LIKE)


def show(
    console: Console,
    article: Article,
    rows: Rows,
    page: bool,
    tables: tuple[str, ...] = (),
    line: int | None = None,
) -> None:
    """Lines (for a page), morphemes, the rules that fired, and the rows; ``tables`` and
    ``line`` keep only those tables and what stands on that raw line."""
    if tables or line is not None:
        rows = {
            name: [r for r in table_rows if line is None or r.get("raw_line") == line]
            for name, table_rows in rows.items()
            if not tables or name in tables
        }
    if page and not tables:
        lines = Table(title="Lines", show_lines=False)
        for column in ("line", "kind", "reason", "text"):
            lines.add_column(column)
        for raw_line in article.lines:
            if raw_line.kind != BLANK and line in (None, raw_line.number):
                row = (str(raw_line.number), raw_line.kind, raw_line.label, raw_line.text[:60])
                lines.add_row(*row)
        console.print(lines)
    sentences = list(article.doc.sents) if article.doc is not None and not tables else []
    for index, sentence in enumerate(sentences):
        if (
            line is not None
            and article.raw_text.count("\n", 0, sentence[0]._.raw_start) + 1 != line
        ):
            continue
        morphs = Table(title=f"Sentence {index}: {sentence.text[:50]}", show_header=True)
        for column in ("token", "tag", "lemma", "raw"):
            morphs.add_column(column)
        for token in sentence:
            span = f"{token._.raw_start}-{token._.raw_end}"
            morphs.add_row(token.text, token.tag_, token.lemma_, span)
        console.print(morphs)
    fired = Table(title="Rules that fired")
    for column in ("table", "rule", "row"):
        fired.add_column(column, overflow="fold")
    for table, table_rows in rows.items():
        for row in table_rows:
            if row.get("rule"):
                fired.add_row(table, row["rule"], _summary(row, SHOWN.get(table, ())))
    console.print(fired)
    for table, columns in SHOWN.items():
        if tables and table not in tables:
            continue
        table_rows = rows.get(table, [])
        view = Table(title=f"{table} ({len(table_rows)})")
        for column in (*columns, "line"):
            view.add_column(column)
        for row in table_rows:
            view.add_row(*[_cell(row.get(c)) for c in columns], str(row.get("raw_line")))
        console.print(view)
    for table in sorted(set(rows) - set(SHOWN)):
        console.print(f"[bold]{table}[/bold] ({len(rows[table])})")
        for row in rows[table]:
            console.print(f"  {row}")


def _summary(row: dict, columns: tuple[str, ...]) -> str:
    return " | ".join(_cell(row.get(c)) for c in columns[:3] if row.get(c))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
