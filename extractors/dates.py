"""Dates: temporal expressions, recognised by pattern and resolved against the publication date.

Recognition (``DateRecogniser``) turns text into ``DateParts``; resolution
(``resolve``) turns parts into an ISO 8601 value given the anchor (the
article's publication date) and the last day the text named. Word tables and
examples live in ``dates.toml``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import regex

from pipeline.article import HEADER, Article, per_article
from pipeline.byline import header_rules
from pipeline.rulefiles import rule_cache
from pipeline.tables import SPAN

from .base import Row, register
from .rules import rules
from .text import Segment, segments

HEADER_DATE_LABELS = ("dateline", "byline", "signature")
EVENING = ("오후", "저녁", "밤", "심야")


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(regex.escape(w).replace(r"\ ", r"\s*") for w in ordered)


@dataclass
class DateParts:
    """What an expression says, before resolution."""

    text: str
    start: int
    end: int
    groups: dict[str, str | None]


@dataclass
class Day:
    """A resolved calendar position; ``None`` parts are unknown."""

    year: int | None = None
    month: int | None = None
    day: int | None = None


class DateRecogniser:
    """Finds temporal expressions in text (patterns built from ``dates.toml``)."""

    def __init__(self, data: dict) -> None:
        s = data["settings"]
        self.data = data
        not_after = (
            rf"(?!(?:{_alternation(s['not_after_attached'])})"
            rf"|\s*(?:{_alternation(s['not_after_spaced'])})(?![가-힣]))"
        )
        rel_year = _alternation(data["relative_years"])
        rel_month = _alternation(data["relative_months"])
        period = _alternation(data["period_months"])
        direction = _alternation(s["past_words"] + s["future_words"])
        numeric = (
            r"(?P<y>(?:19|20)\d{2})\s*[.\-/]\s*(?P<m>\d{1,2})\s*[.\-/]\s*(?P<d>\d{1,2})(?!\d)\.?"
            r"(?:\s*\(?(?P<H>\d{1,2}):(?P<Mi>\d{2})(?::(?P<S>\d{2}))?\)?)?"
        )
        decade = r"(?P<dec>(?:19|20)\d0)년대"
        ago = r"(?P<ago>\d{1,3})년\s*전"
        korean = (
            rf"(?:(?P<ry>{rel_year})(?![가-힣])\s*|(?P<ky>(?:19|20)\d{{2}})년(?!대){not_after}\s*)?"
            rf"(?:(?P<per>{period})(?![가-힣])\s*)?"
            rf"(?:(?P<rm>{rel_month})(?![가-힣])\s*|(?<![\d.])(?P<km>\d{{1,2}})월{not_after}\s*)?"
            rf"(?:(?P<dir>{direction})\s+(?=\d))?"
            rf"(?:(?<![\d.~])(?P<kd>\d{{1,2}})(?:\s*[~∼\-]\s*(?P<kd2>\d{{1,2}}))?일{not_after})?"
            r"(?:\s*\(현지\s*시간\))?"
        )
        deictic = (
            rf"(?<![가-힣])(?P<dx>{_alternation(data['deictic_days'])})"
            rf"|(?<![가-힣])(?P<sx>{_alternation(data['speech_days'])})(?!날)"
            rf"(?:\s*\((?P<sxd>\d{{1,2}})일\))?"
        )
        time = (
            rf"(?:\s*(?P<part>{_alternation(s['day_parts'])})(?![가-힣]))?"
            r"(?:\s*(?P<h>\d{1,2})시(?:\s*(?P<mi>\d{1,2})분)?)?"
        )
        # Only try where an expression can start: a digit or one of the words.
        starts = _alternation(
            [
                *data["relative_years"],
                *data["relative_months"],
                *data["deictic_days"],
                *data["speech_days"],
                *s["past_words"],
                *s["future_words"],
            ]
        )
        self.pattern = regex.compile(
            rf"(?=\d|{starts})(?:{numeric}|{decade}|{ago}|(?:(?:{deictic})|(?:{korean})){time})"
        )
        self.range_join = regex.compile(r"^\s*부터\s*$")
        self.range_close = regex.compile(r"^\s*까지")

    MAIN = ("y", "dec", "ago", "dx", "sx", "ry", "ky", "km", "rm", "kd")

    def find(self, text: str, offset: int = 0) -> list[DateParts | tuple[DateParts, DateParts]]:
        """Expressions in ``text``; a ``부터 … 까지`` pair comes as a tuple."""
        found = []
        for m in self.pattern.finditer(text):
            groups = m.groupdict()
            if not any(groups[k] for k in self.MAIN):
                continue
            if groups["per"] and not (groups["ry"] or groups["ky"]):
                continue
            chunk = m.group()
            stripped = chunk.rstrip()
            start = offset + m.start()
            found.append(DateParts(stripped, start, start + len(stripped), groups))
        return self._ranges(found, text, offset)

    def _ranges(self, found: list[DateParts], text: str, offset: int):
        result: list = []
        i = 0
        while i < len(found):
            cur = found[i]
            nxt = found[i + 1] if i + 1 < len(found) else None
            if nxt is not None:
                between = text[cur.end - offset : nxt.start - offset]
                after = text[nxt.end - offset :]
                if self.range_join.match(between) and self.range_close.match(after):
                    result.append((cur, nxt))
                    i += 2
                    continue
            result.append(cur)
            i += 1
        return result


@rule_cache
def recogniser() -> DateRecogniser:
    return DateRecogniser(rules("dates"))


class DateResolver:
    """Resolves parts to ISO values; remembers the last day the text named."""

    def __init__(self, anchor: date | None, data: dict) -> None:
        self.anchor = anchor
        self.data = data
        self.last: Day | None = None
        self.last_paragraph: int | None = None

    def resolve(self, parts: DateParts, paragraph: int | None) -> tuple[str, str] | None:
        """(value, resolution) of one expression, or None when it points nowhere known."""
        g = parts.groups
        if g["y"]:
            day = Day(int(g["y"]), int(g["m"]), int(g["d"]))
            value = fmt(day)
            if g["H"]:
                value += f"T{int(g['H']):02d}:{g['Mi']}" + (f":{g['S']}" if g["S"] else "")
            self._remember(day, paragraph)
            return value, "absolute"
        if g["dec"]:
            start = int(g["dec"])
            return f"{start}/{start + 9}", "absolute"
        if g["ago"]:
            year = self.anchor.year - int(g["ago"]) if self.anchor else None
            return self._labelled(fmt(Day(year)), relative=True)
        day = self._deictic(g, paragraph) if (g["dx"] or g["sx"]) else self._calendar(g)
        if day is None:
            return None
        if isinstance(day, tuple):
            return self._labelled(f"{fmt(day[0])}/{fmt(day[1])}", relative=not g["ky"])
        if day.day is not None:
            self._remember(day, paragraph)
        value = fmt(day)
        if g["h"] and day.day is not None:
            hour = int(g["h"]) + (12 if g["part"] in EVENING and int(g["h"]) < 12 else 0)
            value += f"T{hour:02d}:{int(g['mi'] or 0):02d}"
        absolute = bool(g["ky"]) and not g["dx"]
        return self._labelled(value, relative=not absolute)

    @staticmethod
    def _labelled(value: str, relative: bool) -> tuple[str, str]:
        if "X" in value:
            return value, "partial"
        return value, "relative" if relative else "absolute"

    def _remember(self, day: Day, paragraph: int | None) -> None:
        self.last, self.last_paragraph = day, paragraph

    def _deictic(self, g: dict, paragraph: int | None) -> Day | None:
        if g["sx"]:
            if g["sxd"]:
                return self._day_in_anchor_month(int(g["sxd"]))
            offset = self.data["speech_days"][_key(g["sx"], self.data["speech_days"])]
            return shift(self._anchor_day(), offset)
        word = _key(g["dx"], self.data["deictic_days"])
        offset = self.data["deictic_days"][word]
        # `이날` is the day just named in the same paragraph, else the news day.
        same_paragraph = self.last is not None and self.last_paragraph == paragraph
        if word == "이날" and not same_paragraph:
            ref = self._anchor_day()
        else:
            ref = self.last or self._anchor_day()
        return shift(ref, offset)

    def _anchor_day(self) -> Day | None:
        a = self.anchor
        return Day(a.year, a.month, a.day) if a else None

    def _day_in_anchor_month(self, day: int) -> Day:
        a = self.anchor
        return Day(a.year if a else None, a.month if a else None, day)

    def _calendar(self, g: dict) -> Day | tuple[Day, Day] | None:
        a = self.anchor
        year = int(g["ky"]) if g["ky"] else None
        if g["ry"]:
            offset = self.data["relative_years"][_key(g["ry"], self.data["relative_years"])]
            year = a.year + offset if a else None
        if g["per"]:
            first, last = self.data["period_months"][_key(g["per"], self.data["period_months"])]
            if first == last:
                return Day(year, first)
            return Day(year, first), Day(year, last)
        month = int(g["km"]) if g["km"] else None
        if g["rm"]:
            offset = self.data["relative_months"][_key(g["rm"], self.data["relative_months"])]
            if a:
                y, m = divmod(a.month - 1 + offset, 12)
                year, month = a.year + y, m + 1
        day = int(g["kd"]) if g["kd"] else None
        if day is not None and month is None and a and not g["ry"]:
            year, month = self._month_for(day, g["dir"])
        elif (month is not None or day is not None) and year is None and a and not g["ry"]:
            year = a.year
        if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= 31:
            return None
        if g["kd2"]:
            return Day(year, month, day), Day(year, month, int(g["kd2"]))
        if year is None and month is None and day is None and not g["ry"]:
            return None
        return Day(year, month, day)

    def _month_for(self, day: int, direction: str | None) -> tuple[int, int]:
        """The month of a bare day: this month, or the one before/after it says."""
        a = self.anchor
        past = direction in self.data["settings"]["past_words"]
        future = direction in self.data["settings"]["future_words"]
        year, month = a.year, a.month
        if past and day > a.day:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        elif future and day < a.day:
            year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        return year, month


def _key(text: str, table: dict) -> str:
    """The table word a (possibly spaced-out) match stands for."""
    squeezed = "".join(text.split())
    return next(k for k in table if "".join(k.split()) == squeezed)


def shift(day: Day | None, days: int) -> Day | None:
    if day is None:
        return None
    if days == 0 or None in (day.year, day.month, day.day):
        return Day(day.year, day.month, day.day + days if day.day else None)
    last = calendar.monthrange(day.year, day.month)[1]  # `11월 31일`: a typo, not a crash
    moved = date(day.year, day.month, min(day.day, last)) + timedelta(days=days)
    return Day(moved.year, moved.month, moved.day)


def fmt(day: Day) -> str:
    """ISO text of a day with X for unknown digits, to the finest known unit."""
    year = f"{day.year:04d}" if day.year is not None else "XXXX"
    if day.month is None and day.day is None:
        return year
    month = f"{day.month:02d}" if day.month is not None else "XX"
    if day.day is None:
        return f"{year}-{month}"
    if day.year and day.month:
        day_num = min(day.day, calendar.monthrange(day.year, day.month)[1])
    else:
        day_num = day.day
    return f"{year}-{month}-{day_num:02d}"


def anchor_of(article: Article) -> date | None:
    published = article.metadata.published_at
    return date.fromisoformat(published[:10]) if published else None


@dataclass
class DateMention:
    text: str
    value: str
    resolution: str
    start: int
    end: int
    segment: Segment | None
    rule: str = ""


@per_article
def find_dates(article: Article) -> list[DateMention]:
    """Every date of the header lines and content segments, resolved."""
    found: list[DateMention] = []
    for line in article.lines:
        if line.kind == HEADER and line.label in HEADER_DATE_LABELS:
            for _, value, start, end in header_rules().dates(line.text):
                text = line.text[start:end].rstrip(". ")
                s = line.start + start
                found.append(
                    DateMention(
                        text, value, "absolute", s, s + len(text), None, "header.toml:date_pattern"
                    )
                )
    resolver = DateResolver(anchor_of(article), rules("dates"))
    paragraph_of = {s.sentence_id: s.paragraph_id for s in article.sentences}
    for seg in segments(article):
        paragraph = paragraph_of.get(seg.sentence_id, -1 - seg.line)
        for item in recogniser().find(seg.text, seg.start):
            found.extend(_resolved(item, resolver, paragraph, seg))
    return found


RULE_GROUPS = (
    ("y", "numeric"), ("dec", "decade"), ("ago", "years_ago"), ("dx", "deictic_days"),
    ("sx", "speech_days"), ("per", "period_months"), ("ry", "relative_years"),
    ("rm", "relative_months"), ("dir", "settings.past_words/future_words"),
)  # fmt: skip


def rule_of(parts: DateParts) -> str:
    """The dates.toml entry that recognised an expression."""
    name = next((rule for group, rule in RULE_GROUPS if parts.groups.get(group)), "calendar")
    return f"dates.toml:{name}"


def _resolved(item, resolver: DateResolver, paragraph: int, seg: Segment) -> Iterator[DateMention]:
    if isinstance(item, tuple):
        first, second = item
        a, b = resolver.resolve(first, paragraph), resolver.resolve(second, paragraph)
        if a and b:
            raw = seg.text[first.start - seg.start : second.end - seg.start]
            resolution = "partial" if "X" in a[0] + b[0] else a[1]
            yield DateMention(
                raw,
                f"{a[0]}/{b[0]}",
                resolution,
                first.start,
                second.end,
                seg,
                f"{rule_of(first)}+range",
            )
        return
    resolved = resolver.resolve(item, paragraph)
    if resolved:
        yield DateMention(
            item.text, resolved[0], resolved[1], item.start, item.end, seg, rule_of(item)
        )


@register
class DatesExtractor:
    """Rows of the ``dates`` table: one per temporal expression."""

    name = "dates"
    columns = {
        "sentence_id": "int",
        "text": "str",
        "value": "str",
        "resolution": "str",
        "rule": "str",
        **SPAN,
    }

    def extract(self, article: Article) -> Iterable[Row]:
        for d in find_dates(article):
            yield {
                "sentence_id": d.segment.sentence_id if d.segment else None,
                "text": d.text,
                "value": d.value,
                "resolution": d.resolution,
                "rule": d.rule,
                "raw_line": article.raw_text.count("\n", 0, d.start) + 1,
                "raw_start": d.start,
                "raw_end": d.end,
            }


def dates_in_text(text: str, anchor: date | None = None) -> list[tuple[str, str]]:
    """(text, value) of every date in one plain text: the examples' entry point."""
    resolver = DateResolver(anchor, rules("dates"))
    out = []
    for item in recogniser().find(text):
        if isinstance(item, tuple):
            a, b = resolver.resolve(item[0], 0), resolver.resolve(item[1], 0)
            if a and b:
                out.append((text[item[0].start : item[1].end], f"{a[0]}/{b[0]}"))
        elif resolved := resolver.resolve(item, 0):
            out.append((item.text, resolved[0]))
    return out
