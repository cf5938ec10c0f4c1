"""HTML pages: rendered to text with their layout, and the metadata their markup states.

``read_page`` turns a page into the text knews reads, exactly as the real pages
of ``../shared/dev/raw`` were made from their HTML: inscriptis without links
or images, every line stripped, at most two blank lines in a row, one final
newline. Offsets and line numbers of every row refer to that text.

``markup_facts`` reads what the page says of itself, with extruct: JSON-LD
(``NewsArticle`` and kin), OpenGraph (``og:title``, ``og:site_name``,
``article:published_time``), ``<meta name="author">`` and the canonical URL.
Times are given in Korean time (news pages of a Korean site), as the text
rules read them.
"""

from __future__ import annotations

import html as html_entities
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import regex
from extruct.jsonld import JsonLdExtractor
from extruct.opengraph import OpenGraphExtractor
from inscriptis.html_engine import Inscriptis
from inscriptis.model.config import ParserConfig
from lxml.etree import Comment, ParserError
from lxml.html import document_fromstring

from extractors.lexicon import lexicon

from .article import Metadata
from .byline import header_rules

RENDER_CONFIG = ParserConfig(display_links=False, display_images=False)
BLANK_RUNS = regex.compile(r"\n{4,}")
HIDDEN = ("head", "script", "style", "meta", "link", "title")
XML_DECLARATION = regex.compile(r"^<\?xml [^>]+?\?>")
KST = timezone(timedelta(hours=9))
ARTICLE_TYPES = {
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting",
}  # fmt: skip


def read_page(page: str) -> tuple[str, MarkupFacts]:
    """The page's text and its markup's facts, from one parse (the tree is parsed as
    inscriptis's ``get_text`` parses it, and what inscriptis does not show is dropped)."""
    tree = _tree(page)
    if tree is None:
        return "", MarkupFacts()
    facts = _facts(tree)
    # What inscriptis does not show (elements its profile gives `display: none` that hold
    # no elements, comments) is dropped before its walk; the text after each (its tail)
    # stays, as inscriptis writes it.
    for element in list(tree.iter(*HIDDEN, Comment)):
        if element.getparent() is not None:
            element.drop_tree()
    return _layout(Inscriptis(tree, RENDER_CONFIG).get_text()), facts


def _layout(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = "\n".join(line.strip() for line in text.split("\n"))
    lines = BLANK_RUNS.sub("\n\n\n", lines).strip("\n")
    return lines + "\n" if lines else ""


def _tree(page: str):
    """The page's lxml tree, parsed as inscriptis parses it (None for an empty page)."""
    page = XML_DECLARATION.sub("", page.strip(), count=1)
    if not page:
        return None
    try:
        return document_fromstring(page)
    except ParserError:
        return document_fromstring("<pre>" + page + "</pre>")


@dataclass
class MarkupFacts:
    """What a page's markup says of the article; ``sources`` names where each came from."""

    title: str | None = None
    published_at: str | None = None
    modified_at: str | None = None
    authors: list[str] = field(default_factory=list)  # as written (`한지연 기자`)
    author_emails: list[str] = field(default_factory=list)
    outlet: str | None = None
    url: str | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, value, source: str) -> None:
        """Keep the first source that gives a field a value."""
        if value and not getattr(self, name):
            setattr(self, name, value)
            self.sources[name] = source


def markup_facts(page: str) -> MarkupFacts:
    """The article facts of a page's JSON-LD, OpenGraph and meta tags (first source wins)."""
    tree = _tree(page)
    return _facts(tree) if tree is not None else MarkupFacts()


def _facts(tree) -> MarkupFacts:
    facts = MarkupFacts()
    og = _opengraph(tree)
    ld = _json_ld_article(tree)
    facts.set("title", _clean(og.get("og:title")), "opengraph")
    facts.set("title", _clean(_text(ld.get("headline"))), "json-ld")
    facts.set("published_at", _korean_time(_text(ld.get("datePublished"))), "json-ld")
    facts.set("published_at", _korean_time(og.get("article:published_time")), "opengraph")
    facts.set("modified_at", _korean_time(_text(ld.get("dateModified"))), "json-ld")
    facts.set("modified_at", _korean_time(og.get("article:modified_time")), "opengraph")
    people = [p for p in _as_list(ld.get("author")) if not _is_organisation(p)]
    for source, written in (
        ("json-ld", [p.get("name") if isinstance(p, dict) else _text(p) for p in people]),
        ("meta", [*_meta(tree, "author"), og.get("article:author")]),
    ):
        names = [n for n in map(_clean, written) if n]
        if names and markup_authors(names):  # the first source that names reporters
            facts.authors, facts.sources["authors"] = names, source
            break
    for person in people:
        if isinstance(person, dict) and person.get("email"):
            facts.author_emails.append(str(person["email"]).removeprefix("mailto:"))
    facts.set("outlet", _clean(og.get("og:site_name")), "opengraph")
    publisher = ld.get("publisher")
    facts.set(
        "outlet", _clean(publisher.get("name") if isinstance(publisher, dict) else None), "json-ld"
    )
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    facts.set("url", canonical[0].strip() if canonical else None, "canonical")
    facts.set("url", og.get("og:url"), "opengraph")
    facts.set("url", _text(ld.get("url")), "json-ld")
    return facts


def _is_organisation(author) -> bool:
    return isinstance(author, dict) and "Organization" in str(author.get("@type"))


def _opengraph(tree) -> dict[str, str]:
    """The first value of each OpenGraph property of the page."""
    props: dict[str, str] = {}
    for item in OpenGraphExtractor().extract_items(tree):
        for key, value in item.get("properties", []):
            props.setdefault(key, value)
    return props


def _json_ld_article(tree) -> dict:
    """The page's JSON-LD article object (inside ``@graph`` too), or an empty dict."""
    try:
        items = list(JsonLdExtractor().extract_items(tree))
    except Exception:  # noqa: BLE001 - a page's broken JSON-LD is the page's problem
        return {}
    for item in _flatten(items):
        types = {str(t) for t in _as_list(item.get("@type"))}
        if types & ARTICLE_TYPES:
            return item
    return {}


def _flatten(items: Iterable) -> Iterable[dict]:
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        elif isinstance(item, dict):
            yield item
            yield from _flatten(item.get("@graph", []))


def _meta(tree, name: str) -> list[str]:
    return [str(v) for v in tree.xpath(f"//meta[@name='{name}']/@content")]


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value is not None and not isinstance(value, dict) else None


def _clean(value: str | None) -> str | None:
    """Entities decoded (JSON-LD is often escaped twice), white space collapsed."""
    if not value:
        return None
    text = " ".join(html_entities.unescape(html_entities.unescape(str(value))).split())
    return text or None


def _korean_time(value: str | None) -> str | None:
    """An ISO time as Korean local time (`2023-04-20T04:24:13Z` -> `2023-04-20T13:24:13`)."""
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(KST).replace(tzinfo=None)
    if not (stamp.hour or stamp.minute or stamp.second):
        return stamp.date().isoformat()
    return stamp.isoformat(timespec="seconds" if stamp.second else "minutes")


NAME = regex.compile(r"^(?P<name>[가-힣]{2,4})(?:\s+(?P<rest>.*))?$")
AUTHOR_SPLIT = regex.compile(r"\s*[,·/]\s*")
BRACKETED = regex.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|[\w.+\-]+@[\w.\-]+")


def markup_authors(written: list[str]) -> list[str]:
    """The reporters' names in a page's author fields (`한지연 기자` -> `한지연`); desks and
    site names (`iMBC 연예`, `SBS NEWS`, `디지털뉴스부`) are no one."""
    rules = header_rules()
    words = tuple(rules.data["reporter_words"])
    surnames = lexicon().surnames
    names: list[str] = []
    for entry in written:
        for part in AUTHOR_SPLIT.split(BRACKETED.sub(" ", entry).strip()):
            m = NAME.match(part.strip())
            if not m or m["name"] in rules.known_outlets or m["name"][0] not in surnames:
                continue
            rest = (m["rest"] or "").strip()
            if (not rest or rest.endswith(words)) and m["name"] not in names:
                names.append(m["name"])
    return names


def merge_markup(meta: Metadata, facts: MarkupFacts) -> None:
    """Markup first, the text rules filling what the markup lacks; ``meta.sources`` says
    which fields came from the markup."""
    for name in ("title", "published_at", "modified_at", "outlet", "url"):
        value = getattr(facts, name)
        if value:
            setattr(meta, name, value)
            meta.sources[name] = facts.sources[name]
    authors = markup_authors(facts.authors)
    if authors:
        meta.authors = authors
        meta.sources["authors"] = facts.sources["authors"]
    if facts.author_emails and not meta.author_emails:
        meta.author_emails = list(facts.author_emails)
        meta.sources["author_emails"] = facts.sources.get("authors", "json-ld")
