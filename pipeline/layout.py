"""Classify every raw line as header, body, boilerplate or blank, and read the metadata.

A page is read in three zones: the header above the first paragraph, the body,
and the tail after the article's end (a copyright line, a reporter's signature,
a wire ``(끝)``). Each line gets a kind and a label: the header field it feeds
or the name of the rule that removed it.
"""

from __future__ import annotations

import itertools

import regex

from .article import BLANK, BODY, BOILERPLATE, HEADER, Line, Metadata
from .boilerplate import BoilerplateRules, boilerplate_rules, is_heading, is_sentence_like
from .byline import HeaderFacts, HeaderRules, header_rules

INVISIBLE = regex.compile(r"[\s\u200b\u200c\u200d\ufeff\u00a0]+")
ZERO_WIDTH = regex.compile(r"[\u200b\u200c\u200d\ufeff]")
MIN_REPEAT_LEN = 15


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
        self._lines = lines
        for line in lines:
            if is_blank(line):
                line.kind, line.label = BLANK, "blank"
        start = self._body_start(lines)
        end = self._article_end(lines, start) if start is not None else len(lines)
        self._read_header(lines[: start if start is not None else end], meta)
        if start is not None:
            self._read_body(lines[start:end], meta)
            self._read_tail(lines[end:], meta)
        self._finish(lines, meta)
        return meta

    # -- zones -----------------------------------------------------------------
    def _facts(self, line: Line) -> HeaderFacts | None:
        return self.header.parse_line(line.text)

    def _is_paragraph(self, line: Line, zone: str) -> bool:
        if line.kind == BLANK or self.rules.match(line.text, zone):
            return False
        if self.header.dateline(line.text):
            return True
        return is_sentence_like(line.text) and self._facts(line) is None

    def _body_start(self, lines: list[Line]) -> int | None:
        """Index of the first paragraph, after the top byline when there is one."""
        # Paragraphs are found lazily: the first two, and at most one after a byline.
        paragraphs = (i for i, ln in enumerate(lines) if self._is_paragraph(ln, "header"))
        first = next(paragraphs, None)
        if first is None:
            return None
        second = next(paragraphs, None)
        horizon = second if second is not None else len(lines)
        top_byline = next(
            (
                i
                for i, ln in enumerate(lines[:horizon])
                if ln.kind != BLANK
                and not self.rules.match(ln.text, "header")
                and (facts := self._facts(ln))
                and (facts.authors or facts.published)
            ),
            None,
        )
        if top_byline is None:
            return first
        later = (i for i in (first, second) if i is not None)
        return next((i for i in itertools.chain(later, paragraphs) if i > top_byline), None)

    def _ends_article(self, line: Line) -> bool:
        rule = self.rules.match(line.text, "body")
        if rule is not None:
            return rule.ends_article
        facts = self._facts(line) or self.header.closing_line(line.text)
        return bool(facts and (facts.authors or facts.emails))

    def _article_end(self, lines: list[Line], start: int) -> int:
        for i in range(start + 1, len(lines)):
            if lines[i].kind != BLANK and self._ends_article(lines[i]):
                return i
        return len(lines)

    # -- header ------------------------------------------------------------------
    def _read_header(self, lines: list[Line], meta: Metadata) -> None:
        candidates: list[Line] = []
        first_byline: Line | None = None
        for line in lines:
            if line.kind == BLANK:
                continue
            rule = self.rules.match(line.text, "header")
            facts = self._facts(line)
            if rule is not None:
                line.kind, line.label = BOILERPLATE, rule.name
            elif facts is not None:
                line.kind, line.label = HEADER, "byline" if facts.authors else "dateline"
                self._take(facts, meta, line)
                first_byline = first_byline or line
            elif outlet := self.header.outlet_line(line.text):
                line.kind, line.label = HEADER, "outlet"
                meta.outlet = meta.outlet or outlet
            elif self.header.is_programme_fact(line.text):
                line.kind, line.label = HEADER, "programme"
            else:
                candidates.append(line)
        self._title_and_deck(candidates, first_byline, meta)

    def _title_and_deck(
        self, candidates: list[Line], first_byline: Line | None, meta: Metadata
    ) -> None:
        """The headline opens the last run of header lines above the byline; the rest is deck."""
        candidates = self._drop_labels(candidates, meta)
        if not candidates:
            return
        before = [c for c in candidates if first_byline and c.number < first_byline.number]
        title = self._run_start(before, candidates) if before else candidates[0]
        title.kind, title.label = HEADER, "title"
        meta.title = title.stripped
        for line in candidates:
            if line is title:
                continue
            if line.number < title.number:
                page = self.header.page_title(line.text)
                if page and meta.title and page[1].strip().strip("'′‘’") in meta.title:
                    line.kind, line.label = BOILERPLATE, "page_title"
                    meta.outlet = meta.outlet or page[0]
                else:
                    line.kind, line.label = BOILERPLATE, "above_title"
            elif line.stripped == meta.title:
                line.kind, line.label = BOILERPLATE, "repeated_line"
            else:
                line.kind, line.label = HEADER, "subtitle"
                meta.subtitles.append(line.stripped)

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

    def _run_start(self, before: list[Line], candidates: list[Line]) -> Line:
        """First line of the last unbroken run of candidates among ``before``."""
        numbers = {c.number for c in candidates}
        start = before[-1]
        for line in reversed(before[:-1]):
            between = range(line.number + 1, start.number)
            if any(n not in numbers and self._lines[n - 1].kind != BLANK for n in between):
                break
            start = line
        return start

    # -- body --------------------------------------------------------------------
    def _read_body(self, lines: list[Line], meta: Metadata) -> None:
        title = meta.title or ""
        seen: set[str] = set()
        in_list = False
        for index, line in enumerate(lines):
            if line.kind == BLANK:
                continue
            text = line.stripped
            rule = self.rules.match(text, "body")
            paragraph = self._is_paragraph(line, "body")
            if rule is not None:
                line.kind, line.label = BOILERPLATE, rule.name
                in_list = rule.starts_list
            elif text == title or len(text) >= MIN_REPEAT_LEN and text in seen:
                line.kind, line.label = BOILERPLATE, "repeated_line"
            elif in_list and not paragraph:
                line.kind, line.label = BOILERPLATE, "list_block"
            elif paragraph or is_heading(text) and self._paragraph_follows(lines, index):
                line.kind, line.label = BODY, "heading" if not paragraph else "paragraph"
                in_list = False
            elif self._paragraph_follows(lines, index):
                line.kind, line.label = BODY, "heading"
            else:
                line.kind, line.label = BOILERPLATE, "trailing_fragment"
            if line.kind == BODY:
                seen.add(text)
                if facts := self.header.dateline(text):
                    self._take(facts, meta, line)

    def _paragraph_follows(self, lines: list[Line], index: int) -> bool:
        return any(self._is_paragraph(ln, "body") for ln in lines[index + 1 :])

    # -- tail --------------------------------------------------------------------
    def _read_tail(self, lines: list[Line], meta: Metadata) -> None:
        """Signature lines right after the end are header; the rest is boilerplate."""
        signing = True
        for line in lines:
            if line.kind == BLANK:
                continue
            rule = self.rules.match(line.text, "tail")
            facts = None if rule else (self._facts(line) or self.header.closing_line(line.text))
            if signing and facts is not None:
                line.kind, line.label = HEADER, "signature"
                self._take(facts, meta, line)
                continue
            # The reporter's name and e-mail often follow the copyright line.
            signing = signing and rule is not None and rule.in_signature
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
        if not meta.published_at:
            for line in lines:
                if line.kind == HEADER and line.label == "dateline":
                    dates = self.header.dates(line.text)
                    if dates:
                        meta.published_at = dates[0][1]
                        break

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
                and previous.label == "trailing_fragment"
                and len(previous.stripped) <= 20
                and previous.stripped.count(" ") <= 1
            ):
                previous.kind, previous.label = HEADER, "signature"
                return previous.stripped
        return None
