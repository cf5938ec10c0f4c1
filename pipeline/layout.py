"""Classify every raw line as header, body, boilerplate or blank, and read the metadata.

A page is read as a reader reads it. The body is the page's main run of paragraphs:
lines that read as sentences, close to each other, with no menu, list, byline or
copyright line between them (when a page has several runs, the one with the most
text). Above the body is the header, read back from the body's first line: the deck,
then the byline and dates, then the headline, and above it the site's furniture.
Below the body is the tail: the reporter's signature, then the rest of the page. Each
line gets a kind and a label: the header field it feeds or the rule that removed it.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .article import BLANK, BODY, BOILERPLATE, HEADER, Line, Metadata
from .boilerplate import (
    BoilerplateRules,
    boilerplate_rules,
    ends_sentence,
    is_bullet,
    is_heading,
    is_sentence_like,
    is_statement,
    without_bullet,
)
from .byline import HeaderFacts, HeaderRules, header_rules

INVISIBLE = regex.compile(r"[\s\u200b\u200c\u200d\ufeff\u00a0]+")
ZERO_WIDTH = regex.compile(r"[\u200b\u200c\u200d\ufeff]")
HANGUL = regex.compile(r"\p{Hangul}")
MIN_REPEAT_LEN = 15
# A run of paragraphs ends where this many other lines, or this many list items, stand
# between two paragraphs: captions and markers fit in a gap, menus and lists do not.
GAP_LINES = 5
# A line this long, with this many spaces, is prose even without a sentence ending.
PROSE_LEN = 40
PROSE_SPACES = 5
GAP_ITEMS = 3
FACT_LABELS = ("byline", "dateline")
# How much less a run weighs that reads as a list (under a list header, or its
# paragraphs alternating with list items: a ranking of one-sentence teasers) and one
# that starts below an earlier article's end (a copyright line, a sign-off).
LIST_WEIGHT = 0.2
TAIL_WEIGHT = 0.3


@dataclass
class Run:
    """Paragraphs close to each other, from line index ``first`` to ``last``."""

    first: int
    last: int = 0
    chars: int = 0
    paragraphs: int = 0
    items: int = 0  # list items between its paragraphs
    after_end: bool = False
    listed: bool = False

    @property
    def weight(self) -> float:
        """Characters of paragraph text, less for lists and for what follows an end."""
        listed = self.listed or (self.paragraphs >= 3 and 2 * self.items >= self.paragraphs)
        return self.chars * (LIST_WEIGHT if listed else 1) * (TAIL_WEIGHT if self.after_end else 1)


def is_blank(line: Line) -> bool:
    text = line.text
    if not text or text.isspace():
        return True
    if not ZERO_WIDTH.search(text):
        return False  # something visible, quickly
    return not INVISIBLE.sub("", text)


def is_label(text: str) -> bool:
    """Too short to be a headline: a site name or a section label."""
    return len(text) < 10 and text.count(" ") <= 1


def names_outlet(text: str, outlets: set[str]) -> bool:
    """A short line led by an outlet's name: ``CBS 김현정의 뉴스쇼``, ``SBS 8뉴스``."""
    return len(text) < 25 and text.split(" ", 1)[0] in outlets


class PageReader:
    """Classifies the lines of one page; holds the compiled rules."""

    def __init__(
        self, rules: BoilerplateRules | None = None, header: HeaderRules | None = None
    ) -> None:
        self.rules = rules or boilerplate_rules()
        self.header = header or header_rules()

    def read(self, lines: list[Line]) -> Metadata:
        """Set ``kind``/``label`` on every line and return the article's metadata."""
        meta = Metadata()
        for line in lines:
            if is_blank(line):
                line.kind, line.label = BLANK, "blank"
        body = self._main_run(lines) or self._caption_body(lines)
        start, end = body if body else (len(lines), len(lines))
        self._read_header(lines[:start], meta)
        self._read_body(lines[start:end], meta)
        self._read_tail(lines[end:], meta)
        self._finish(lines, meta)
        return meta

    # -- finding the body ----------------------------------------------------------
    def _facts(self, line: Line) -> HeaderFacts | None:
        return self.header.parse_line(line.text)

    def _is_paragraph(self, line: Line) -> bool:
        """A line that reads as article text: a sentence, a dateline, an interview turn."""
        text = line.text
        if line.kind == BLANK or self.header.is_programme_fact(text):
            return False
        rule = self.rules.match(text, "body")
        if rule is not None:
            return rule.keep
        if self.header.dateline(text):
            return True
        return (
            not is_bullet(text)
            and is_sentence_like(text)
            and self._facts(line) is None
            and self.header.closing_line(text) is None
        )

    def _ends_article(self, line: Line) -> bool:
        """A copyright line, a wire end, a comment box or a sign-off (``KBS 뉴스 …입니다``)."""
        rules = (self.rules.match(line.text, zone) for zone in ("body", "tail"))
        if any(rule is not None and rule.ends_article for rule in rules):
            return True
        return self.header.closing_line(line.text) is not None

    def _ends_run(self, line: Line) -> bool:
        """An article's end, or a byline or date line: no paragraph runs past it."""
        if self._ends_article(line):
            return True
        facts = self._facts(line)
        return bool(facts and (facts.authors or facts.emails or facts.published))

    def _runs(self, lines: list[Line]) -> list[Run]:
        """Every run of paragraphs, with what stands around it."""
        runs: list[Run] = []
        run: Run | None = None
        gap = items = 0
        ended = listing = False  # past an article's end; under a list header
        for i, line in enumerate(lines):
            if line.kind == BLANK:
                continue
            if self._is_paragraph(line):
                if run is not None and (gap >= GAP_LINES or items >= GAP_ITEMS):
                    run = None
                if run is None:
                    run = Run(i, after_end=ended, listed=listing)
                    runs.append(run)
                    listing = False
                else:
                    run.items += items
                run.last, run.chars, run.paragraphs = (
                    i,
                    run.chars + len(line.stripped),
                    run.paragraphs + 1,
                )
                gap = items = 0
                continue
            rule = self.rules.match(line.text, "body")
            if rule is not None and rule.starts_list:
                run, listing = None, True
            elif self._ends_article(line):
                ended = ended or bool(runs)
                run = None
            elif self._ends_run(line):
                run = None
            elif run is not None:
                gap += 1
                items += is_bullet(line.text)
        return runs

    def _main_run(self, lines: list[Line]) -> tuple[int, int] | None:
        """The run of paragraphs that weighs most (the first of equals)."""
        runs = self._runs(lines)
        if not runs:
            return None
        best = max(runs, key=lambda run: run.weight)
        return best.first, self._prose_end(lines, best.last) + 1

    def _prose_end(self, lines: list[Line], last: int) -> int:
        """The run's last line, or a long line of prose right below it that lacks only its
        full stop (``…오를 전망``)."""
        for i in range(last + 1, len(lines)):
            line = lines[i]
            if line.kind == BLANK:
                continue
            text = line.stripped
            prose = len(text) >= PROSE_LEN and text.count(" ") >= PROSE_SPACES
            if prose and self._is_free_text(line) and not self._ends_run(line):
                last = i
                continue
            break
        return last

    def _caption_body(self, lines: list[Line]) -> tuple[int, int] | None:
        """A page without paragraphs (a video or photo page): the free text lines right
        after the page's first byline or date lines are its body."""
        facts = next(
            (i for i, ln in enumerate(lines) if ln.kind != BLANK and self._facts(ln)), None
        )
        if facts is None:
            return None
        first = end = None
        for i in range(facts + 1, len(lines)):
            line = lines[i]
            if line.kind == BLANK or first is None and self._facts(line):
                continue
            if self._is_free_text(line):
                first = i if first is None else first
                end = i + 1
            elif first is not None or self._ends_run(line):
                break
        return (first, end) if first is not None else None

    def _is_free_text(self, line: Line) -> bool:
        text = line.stripped
        return (
            not is_label(text)
            and not is_bullet(text)
            and bool(HANGUL.search(text))
            and self.rules.match(text, "body") is None
            and self._facts(line) is None
            and not self.header.is_programme_fact(text)
        )

    # -- header ------------------------------------------------------------------
    def _read_header(self, lines: list[Line], meta: Metadata) -> None:
        candidates: list[Line] = []
        for line in lines:
            if line.kind == BLANK:
                continue
            rule = self.rules.match(line.text, "header")
            facts = self._facts(line)
            if rule is not None and not rule.keep:
                line.kind, line.label = BOILERPLATE, rule.name
            elif facts is not None:
                line.kind, line.label = HEADER, "byline" if facts.authors else "dateline"
                self._take(facts, meta, line)
            elif outlet := self.header.outlet_line(line.text):
                line.kind, line.label = HEADER, "outlet"
                meta.outlet = meta.outlet or outlet
            elif self.header.is_programme_fact(line.text):
                line.kind, line.label = HEADER, "programme"
            else:
                candidates.append(line)
        self._title_and_deck(lines, candidates, meta)

    def _title_and_deck(self, lines: list[Line], candidates: list[Line], meta: Metadata) -> None:
        """Read back from the body: the deck, the byline and dates, then the headline.

        The headline is the nearest line above the byline that is no list item (with
        no byline, the nearest above the body), moved up to the start of its run of
        header lines (``제목`` / ``부제`` / byline). Lines above it are furniture."""
        candidates = self._drop_labels(candidates, meta)
        if not candidates:
            return
        numbers = {c.number for c in candidates}
        title = None
        seen_facts = False
        for line in reversed(lines):
            if line.kind == HEADER and line.label in FACT_LABELS:
                seen_facts = True
            elif seen_facts and line.number in numbers and self._may_head(line):
                title = line
                break
        if title is None:
            title = next((c for c in reversed(candidates) if self._may_head(c)), None)
        if title is None:
            return
        title = self._run_start(title, candidates, lines)
        title.kind, title.label = HEADER, "title"
        meta.title = title.stripped
        for line in candidates:
            if line is title:
                continue
            if line.stripped == meta.title:
                line.kind, line.label = BOILERPLATE, "repeated_line"
            elif line.number < title.number:
                page = self.header.page_title(line.text)
                if page and page[1].strip().strip("'′‘’") in meta.title:
                    line.kind, line.label = BOILERPLATE, "page_title"
                    meta.outlet = meta.outlet or page[0]
                else:
                    line.kind, line.label = BOILERPLATE, "above_title"
            else:
                line.kind, line.label = HEADER, "subtitle"
                meta.subtitles.append(without_bullet(line.text))

    @staticmethod
    def _may_head(line: Line) -> bool:
        """A headline is no list item and no statement (``…선정한 기사입니다.``)."""
        return not is_bullet(line.text) and not is_statement(line.text)

    def _drop_labels(self, candidates: list[Line], meta: Metadata) -> list[Line]:
        """Short site and section labels (``조선일보``, ``사회``) are not headlines."""
        outlets = self.header.known_outlets
        if not any(not is_label(c.stripped) for c in candidates):
            return candidates
        kept = []
        for line in candidates:
            if names_outlet(line.stripped, outlets) and line.stripped not in outlets:
                line.kind, line.label = HEADER, "programme"
            elif not is_label(line.stripped):
                kept.append(line)
            elif line.stripped in outlets:
                line.kind, line.label = HEADER, "outlet"
                meta.outlet = meta.outlet or line.stripped
            else:
                line.kind, line.label = BOILERPLATE, "section_label"
        return kept

    def _run_start(self, title: Line, candidates: list[Line], lines: list[Line]) -> Line:
        """First line of the unbroken run of header lines that may head it, ending at ``title``."""
        numbers = {c.number for c in candidates if self._may_head(c)}
        by_number = {ln.number: ln for ln in lines}
        start = title
        for line in reversed([c for c in candidates if c.number < title.number]):
            between = range(line.number + 1, start.number)
            if line.number not in numbers or any(
                n not in numbers and by_number[n].kind != BLANK for n in between
            ):
                break
            start = line
        return start

    # -- body --------------------------------------------------------------------
    def _read_body(self, lines: list[Line], meta: Metadata) -> None:
        """Inside the main run: paragraphs, headings, and what rules or repeats remove."""
        title = meta.title or ""
        seen: set[str] = set()
        in_list = False
        for line in lines:
            if line.kind == BLANK:
                continue
            text = line.stripped
            rule = self.rules.match(text, "body")
            if rule is not None and not rule.keep:
                line.kind, line.label = BOILERPLATE, rule.name
                in_list = rule.starts_list
            elif text == title or len(text) >= MIN_REPEAT_LEN and text in seen:
                line.kind, line.label = BOILERPLATE, "repeated_line"
            elif rule is not None or self._is_paragraph(line):
                line.kind, line.label = BODY, rule.name if rule else "paragraph"
                in_list = False
            elif in_list:
                line.kind, line.label = BOILERPLATE, "list_block"
            elif is_heading(text) or not is_label(text) or ends_sentence(text):
                line.kind, line.label = BODY, "heading"
            else:
                line.kind, line.label = BOILERPLATE, "short_label"
            if line.kind == BODY:
                seen.add(text)
                if facts := self.header.dateline(text):
                    self._take(facts, meta, line)

    # -- tail --------------------------------------------------------------------
    def _read_tail(self, lines: list[Line], meta: Metadata) -> None:
        """The signature right after the body is header; the rest is boilerplate.

        The signature block holds bylines, e-mails and sign-offs, and may hold credit,
        caption and copyright lines and a short outlet name between them."""
        signing = True
        for line in lines:
            if line.kind == BLANK:
                continue
            rule = self.rules.match(line.text, "tail")
            facts = self.header.closing_line(line.text) or self._facts(line)
            if signing and facts is not None:
                line.kind, line.label = HEADER, "signature"
                self._take(facts, meta, line)
                continue
            signing = signing and (
                rule.in_signature if rule is not None else is_label(line.stripped)
            )
            line.kind, line.label = BOILERPLATE, rule.name if rule else "after_article_end"
            if rule is not None and rule.name == "copyright":
                meta.outlet = meta.outlet or self.header.copyright_outlet(line.text)

    # -- metadata ----------------------------------------------------------------
    def _take(self, facts: HeaderFacts, meta: Metadata, line: Line) -> None:
        for name in facts.authors:
            if name not in meta.authors:
                meta.authors.append(name)
                meta.author_lines[name] = line.number
        meta.author_emails += [e for e in facts.emails if e not in meta.author_emails]
        if facts.published and not meta.published_at:
            meta.published_at = facts.published
        if facts.modified and not meta.modified_at:
            meta.modified_at = facts.modified
        if facts.outlet and not meta.outlet:
            meta.outlet = facts.outlet

    def _finish(self, lines: list[Line], meta: Metadata) -> None:
        """Outlets named by a copyright line win; unlabelled header dates count last."""
        for line in lines:
            if line.label == "copyright":
                outlet = self.header.copyright_outlet(line.text)
                if outlet:
                    meta.outlet = outlet
                    break
        signature_outlet = self._signature_outlet(lines)
        if signature_outlet and not meta.outlet:
            meta.outlet = signature_outlet
        if not meta.outlet:
            meta.outlet = next(
                (o for e in meta.author_emails if (o := self.header.outlet_of_email(e))), None
            )
        meta.outlet = meta.outlet or self._logo_outlet(lines)
        if not meta.published_at:
            for line in lines:
                if line.kind == HEADER and line.label == "dateline":
                    dates = self.header.dates(line.text)
                    if dates:
                        meta.published_at = dates[0][1]
                        break

    def _logo_outlet(self, lines: list[Line]) -> str | None:
        """The site's name where the page opens with it: a short line, no list item, above
        the headline (``iMBC 연예``), when nothing else names the outlet."""
        first = next((ln for ln in lines if ln.kind != BLANK and ln.label != "navigation"), None)
        if first is None or first.label not in ("section_label", "outlet", "above_title"):
            return None
        text = first.stripped
        return text if is_label(text) and not is_bullet(text) else None

    def _signature_outlet(self, lines: list[Line]) -> str | None:
        """A short name on the line right above an e-mail-only signature (``아주경제``)."""
        for i, line in enumerate(lines):
            if line.label != "signature" or line.text.strip().count("@") != 1:
                continue
            if " " in line.stripped:
                continue
            previous = next((ln for ln in reversed(lines[:i]) if ln.kind != BLANK), None)
            if (
                previous
                and previous.label == "after_article_end"
                and len(previous.stripped) <= 20
                and previous.stripped.count(" ") <= 1
            ):
                previous.kind, previous.label = HEADER, "signature"
                return previous.stripped
        return None
