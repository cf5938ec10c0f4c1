"""Run the examples that rule files carry: what each must and must not yield.

Every rule file holds examples next to its rules. TOML files use the formats
documented at their top (``match``/``no_match`` for boilerplate rules,
``[[example]]`` blocks for extractors); word lists and tables use comment
lines::

    # example: 베라 요우로바 EU 부집행위원장이 참석했다. => people: 베라 요우로바
    # counter-example: 영국과 프랑스가 합의했다. => organizations: 영국

A line example holds when some row of the table has the value in one of its
fields (a counter-example when none has).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline import rule_speed
from pipeline.boilerplate import boilerplate_rules, without_bullet
from pipeline.byline import header_rules
from pipeline.ingest import RawArticle
from pipeline.process import ArticleProcessor
from pipeline.rulefiles import (
    builtin_files,
    files_named,
    line_of,
    parse_toml,
    patterns_in,
    read_jsonl,
    rule_cache,
)

from .base import create_all
from .dates import dates_in_text

Check = Callable[[], str | None]  # None when the example holds, else what was found


@dataclass
class Example:
    """One example of a rule file and how to check it."""

    file: Path
    line: int
    text: str
    expected: str
    check: Check

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@rule_cache
def _processor() -> ArticleProcessor:
    return ArticleProcessor(create_all())


def rows_for(text: str, published_at: str | None = None) -> dict[str, list[dict]]:
    """The rows every extractor yields for one clean text."""
    processor = _processor()
    article = processor.analyse(
        RawArticle("example", "example", text), clean=False, published_at=published_at
    )
    return processor.extract(article)


def collect() -> list[Example]:
    """Every example of every active rule file (built-in and users')."""
    found: list[Example] = []
    for name in builtin_files():
        for path in files_named(name):
            found += list(examples_in(path))
    return found


def run(examples: list[Example]) -> list[tuple[Example, str]]:
    """(example, what was found) for every example that does not hold."""
    failures = []
    for example in examples:
        got = example.check()
        if got is not None:
            failures.append((example, got))
    return failures


def examples_in(path: Path) -> Iterator[Example]:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".txt", ".tsv"):
        yield from _line_examples(path, text)
        return
    if path.suffix == ".jsonl":
        yield from _pattern_examples(path, text)
        return
    if path.suffix != ".toml":
        return
    data = parse_toml(path)
    makers = {
        "boilerplate.toml": _boilerplate,
        "header.toml": _header,
        "dates.toml": _dates,
        "people.toml": _people,
        "organizations.toml": _organizations,
        "quotes.toml": _quotes,
        "pledges.toml": _pledges,
    }
    maker = makers.get(path.name)
    if maker:
        for sample, expected, check in maker(data):
            yield Example(path, line_of(text, sample[:40]), sample, expected, check)
    yield from _speed_examples(path, text, data)


def _speed_examples(path: Path, text: str, data: dict) -> Iterator[Example]:
    """Each pattern of the file must stay within its budget on adversarial strings."""
    expected = f"under {rule_speed.BUDGET:g} s on each adversarial string"
    for pattern in dict.fromkeys(patterns_in(data)):
        check = (lambda p=pattern: rule_speed.too_slow(p))  # noqa: E731
        yield Example(path, line_of(text, pattern[:40]), pattern, expected, check)


# -- word lists and tables --------------------------------------------------------
def _line_examples(path: Path, text: str) -> Iterator[Example]:
    for number, line in enumerate(text.splitlines(), start=1):
        for marker, wanted in (("# example:", True), ("# counter-example:", False)):
            if line.startswith(marker):
                sample, _, target = line[len(marker) :].partition("=>")
                table, _, value = target.partition(":")
                expected = f"{'' if wanted else 'no '}{table.strip()} row with {value.strip()!r}"
                check = _yields(sample.strip(), table.strip(), value.strip(), wanted)
                yield Example(path, number, sample.strip(), expected, check)


def _yields(sample: str, table: str, value: str, wanted: bool) -> Check:
    def check() -> str | None:
        rows = rows_for(sample).get(table, [])
        hit = any(_has_value(row, value) for row in rows)
        return None if hit == wanted else _summary(rows)

    return check


def _has_value(row: dict, value: str) -> bool:
    for field in row.values():
        if field == value or isinstance(field, list) and value in field:
            return True
    return False


def _summary(rows: list[dict]) -> str:
    keys = ("name", "text", "value", "speaker", "actor", "content", "titles", "aliases")
    shown = [{k: r[k] for k in keys if r.get(k)} for r in rows]
    return repr(shown) if shown else "no rows"


def _pattern_examples(path: Path, text: str) -> Iterator[Example]:
    """``"example": {"text": …, "organizations": [names]}`` on a token pattern."""
    for entry in read_jsonl(path):
        example = entry.get("example")
        if not example:
            continue
        wanted = example.get("organizations", [])

        def check(t=example["text"], w=wanted) -> str | None:
            names = [r["name"] for r in rows_for(t).get("organizations", [])]
            return None if all(n in names for n in w) else repr(names)

        yield Example(path, line_of(text, entry["id"]), example["text"], repr(wanted), check)


# -- TOML example formats ----------------------------------------------------------
def _boilerplate(data: dict):
    rules = boilerplate_rules().rules
    for entry in data.get("rule", []):
        for wanted, key in ((True, "match"), (False, "no_match")):
            for line in entry.get(key, []):
                yield (
                    line,
                    f"{'' if wanted else 'not '}removed by {entry['name']}",
                    _rule_fires(rules, entry["name"], line, wanted),
                )


def _rule_fires(rules, name: str, line: str, wanted: bool) -> Check:
    def check() -> str | None:
        forms = {line.strip(), without_bullet(line)}
        fires = any(
            r.matches(f, z) for r in rules if r.name == name for z in r.zones for f in forms
        )
        return None if fires == wanted else ("removed" if fires else "kept")

    return check


def _header(data: dict):
    rules = header_rules()

    def compare(expected, got_fn) -> Check:
        return lambda: None if (got := got_fn()) == expected else repr(got)

    for text, value in data.get("date_examples", []):
        yield text, value, compare(value, lambda t=text: (rules.dates(t) or [(0, None)])[0][1])
    for text, outlet, names in data.get("dateline_examples", []):
        want = (outlet, names.split("·"))
        yield (
            text,
            repr(want),
            compare(
                want, lambda t=text: (f.outlet, f.authors) if (f := rules.dateline(t)) else None
            ),
        )
    for text, outlet in data.get("copyright_examples", []):
        yield text, outlet, compare(outlet, lambda t=text: rules.copyright_outlet(t))
    for text, names, outlet, published in data.get("byline_examples", []):
        want = (names.split("·") if names else [], outlet or None, published or None)
        yield text, repr(want), compare(want, lambda t=text: _byline(rules, t))
    for text in data.get("not_byline_examples", []):
        yield text, "no byline", compare(None, lambda t=text: _byline(rules, t))
    for text, outlet, name in data.get("closing_examples", []):
        want = (outlet, [name]) if outlet else None
        yield (
            text,
            repr(want),
            compare(
                want, lambda t=text: (f.outlet, f.authors) if (f := rules.closing_line(t)) else None
            ),
        )


def _byline(rules, text: str) -> tuple | None:
    facts = rules.parse_line(text)
    return (facts.authors, facts.outlet, facts.published) if facts else None


def _dates(data: dict):
    for block in data.get("example", []):
        for text, anchor, values in block.get("cases", []):
            day = date.fromisoformat(anchor) if anchor else None
            yield text, repr(values), _date_check(text, day, values)


def _date_check(text: str, day: date | None, values: list[str]) -> Check:
    def check() -> str | None:
        got = dates_in_text(text, day)
        return None if [value for _, value in got] == values else repr(got)

    return check


def _table_examples(data: dict, table: str, key: str, project: Callable[[dict], tuple]):
    for example in data.get("example", []):
        text = example["text"]
        wanted = [tuple(x) for x in example.get(key, [])]
        forbidden = set(example.get("not", []))

        def check(t=text, w=wanted, f=forbidden) -> str | None:
            rows = rows_for(t).get(table, [])
            got = [project(r) for r in rows]
            names = {r.get("name") for r in rows}
            return None if got == w and not names & f else repr(got)

        yield text, repr(wanted), check


def _people(data: dict):
    yield from _table_examples(
        data, "people", "people", lambda r: (r["name"], r["titles"][0] if r["titles"] else "")
    )


def _organizations(data: dict):
    yield from _table_examples(
        data, "organizations", "organizations", lambda r: (r["name"], r["type"], r["aliases"])
    )


def _quotes(data: dict):
    yield from _table_examples(
        data, "quotes", "quotes", lambda r: (r["text"], r["speaker"] or "", r["verb"] or "")
    )


def _pledges(data: dict):
    yield from _table_examples(data, "pledges", "pledges", lambda r: (r["name"] or "", r["cue"]))
