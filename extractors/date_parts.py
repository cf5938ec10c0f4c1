"""Recognising Korean time expressions: parts found by pattern, joined coarse to fine.

A *part* is one unit of an expression: a year (``2024년``, ``지난해``,
``이천이십삼년``), a part of a year (``상반기``), a month (``9월``, ``이달``,
``시월``), a part of a month (``하순``), a week (``다음 주``), a weekday, a day
(``21일``, ``어제``, ``추석``, ``사흘 뒤``), a part of a day (``오후``), a time
(``3시 30분``, ``7:00``) or ``현재``. Parts standing next to each other, each
finer than the one before, make one ``Expression`` (``지난해 9월``, ``다음 주
월요일``, ``이날 오후 3시``); two expressions joined by ``~`` or ``부터 … 까지``
make a range. Every word table comes from ``dates.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from .lexicon import lexicon

# Grains, coarse to fine: a part may follow only a coarser one in an expression.
YEAR, YEAR_PART, MONTH, MONTH_PART, WEEK, WEEKEND, WEEKDAY, DAY, DAY_PART, TIME, NOW = range(11)


@dataclass
class Part:
    """One unit of an expression, with what it says (``fields``) and the rule that found it."""

    kind: str
    grain: int
    start: int
    end: int
    fields: dict = field(default_factory=dict)

    def __getitem__(self, key: str):
        return self.fields.get(key)


@dataclass
class Expression:
    """Adjacent parts forming one temporal expression; ``text`` is as written."""

    parts: list[Part]
    text: str
    start: int
    end: int

    @property
    def rule(self) -> str:
        main = next((p for p in self.parts if p.grain not in (DAY_PART, NOW)), self.parts[0])
        return main.kind


def alternation(words: Iterable[str]) -> str:
    """Longest-first alternation of words; a space in a word matches any or no space."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(regex.escape(w).replace(r"\ ", r"\s*") for w in ordered)


def squeeze(text: str) -> str:
    return "".join(text.split())


def lookup(table: dict, text: str):
    """The entry of ``table`` a (possibly spaced-out) match stands for."""
    squeezed = squeeze(text)
    return next(v for k, v in table.items() if squeeze(k) == squeezed)


class HangulNumbers:
    """Sino-Korean numbers (``이천이십삼``, ``이십``) and native day names (``스무하루``)."""

    def __init__(self, data: dict, native_counts: dict) -> None:
        self.digits, self.units = data["digits"], data["units"]
        digit = f"[{''.join(self.digits)}]"
        unit = "".join(self.units)
        self.pattern = rf"(?:{digit}?[{unit}])+{digit}?|{digit}"
        days = {w: n for w, (n, unit) in native_counts.items() if unit == "day" and n <= 10}
        self.native_days = dict(data["day_names"])
        for prefix, base in data["day_prefixes"].items():
            for word, n in days.items():
                if (prefix == "초" and n <= 10) or (prefix != "초" and n < 10):
                    self.native_days[prefix + word] = base + n

    def value(self, text: str) -> int | None:
        """``이천이십삼`` -> 2023; None when the text is not a well-formed number."""
        total, pending = 0, None
        for ch in squeeze(text):
            if ch in self.digits:
                if pending is not None:
                    return None
                pending = self.digits[ch]
            elif ch in self.units:
                total += (pending or 1) * self.units[ch]
                pending = None
            else:
                return None
        return total + (pending or 0)


class PartFinder:
    """Finds the parts of time expressions in text and joins them into expressions."""

    def __init__(self, data: dict) -> None:
        s = data["settings"]
        self.data = data
        self.numbers = HangulNumbers(data["hangul_numbers"], data["native_counts"])
        particles = alternation(s["particles"])
        # The end of a date word: no more Hangul, or particles only (`올해는`, `어제부터`).
        end = rf"(?:(?![가-힣])|(?=(?:{particles})+(?![가-힣])))"
        start = r"(?<![가-힣])"
        # `전` before a title or a collective noun is 前 or 全 (`3일 전 장관`, `14일 전 세계`).
        titles = [t for t in lexicon().titles if len(t) > 1]
        # (within the next two words: `21일 전 시청 공무원`)
        whole = rf"(?!\s+(?:[가-힣]+\s+)?(?:{alternation([*s['whole_nouns'], *titles])}))"
        count_dirs = alternation(data["count_directions"])
        year_not_after = rf"(?!\s*(?:{alternation(s['not_after_spaced_years'])})(?![가-힣]))"
        not_after = (
            rf"(?!(?:{alternation(s['not_after_attached'])})"
            rf"|\s*(?:{alternation(s['not_after_spaced'])})(?![가-힣])"
            rf"|\s*(?:{count_dirs}){end}{whole}"
            rf"|\s*\d+\s*(?:{alternation(s['per_day_counts'])})(?![가-힣]))"
        )
        not_before_day = rf"(?<!(?:{alternation(s['not_before_day'])})\s*\d*)"
        past_future = alternation(s["past_words"] + s["future_words"])
        direction = rf"(?:(?P<dir>{past_future})\s+)?"
        contexts = data.get("contexts", {})

        def words(table: Iterable[str]) -> str:
            """A word list as a pattern, each word with its required context if any."""
            plain = [w for w in table if w not in contexts]
            bound = [f"{regex.escape(w)}(?={contexts[w]})" for w in table if w in contexts]
            return "|".join(filter(None, [alternation(plain), *bound]))

        def word(group: str, table: Iterable[str], before: str = "") -> str:
            """One word of ``table`` standing as a word, in the named group."""
            return rf"{before}{start}(?P<{group}>{words(table)}){end}"

        hangul = data["hangul_numbers"]
        # `음력 4월 8일` counts in lunar months; `양력` says the usual calendar.
        lunar, solar = alternation(s["lunar_words"]), alternation(s["solar_words"])
        calendar_word = rf"(?:(?P<lunar>{lunar})\s*|(?:{solar})\s*)?"
        hangul_months = [*hangul["months"], *hangul["months_in_context"]]
        year4 = r"(?:19|20)\d{2}"
        sino = self.numbers.pattern
        number = r"(?<![\d.\-A-Za-z])(?P<{0}>{1})(?:\s*[~∼\-]\s*(?P<{0}2>{1}))?"
        month_number = number.format("m", r"\d{1,2}")
        # Two-digit years with an apostrophe or a month (`'97년`, `87년 6월`), not `징역 10년`.
        short_year = r"(?:(?<=['‘’])|(?<![\d.])(?=\d{2}년\s*\d{1,2}월))(?P<yy>\d{2})년"
        bracket_weekday = r"(?:\s*\((?P<wdb>[월화수목금토일])(?:요일)?\))?"
        numeric = (
            r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*[.\-/]\s*(?P<m>\d{1,2})\s*[.\-/]\s*"
            r"(?P<d>\d{1,2})(?!\d)\.?(?:\s*\(?(?P<H>\d{1,2}):(?P<Mi>\d{2})(?::(?P<S>\d{2}))?\)?)?"
        )
        # `21일 전 시청 공무원` is the 21st and a former official; `사흘 전` has no such reading.
        count = (
            rf"(?<![\d.])(?P<cn>\d{{1,3}})\s*(?P<cu>{alternation(data['count_units'])})"
            rf"\s*(?P<cd>{count_dirs}){end}{whole}"
            rf"|{start}(?P<cw>{alternation(data['native_counts'])})\s*(?P<cd2>{count_dirs}){end}"
        )
        clock = (
            rf"(?<![\d.:])(?P<h>\d{{1,2}})\s*시(?:\s*(?P<mi>\d{{1,2}})\s*분|\s*(?P<half>반))?{end}"
            r"|(?<![\d.:])(?P<ch>\d{1,2}):(?P<cm>[0-5]\d)(?::(?P<cs>[0-5]\d))?(?![\d:])"
        )
        native_day = (
            rf"{start}(?:(?P<hd>{sino})\s*일|(?P<nd>{alternation(self.numbers.native_days)})){end}"
        )
        holidays = [*data["holidays"]["solar"], *data["holidays"]["lunar"]]
        after_year = [w for w in holidays if w in contexts]  # `올해 설`: context enough
        bare_holiday = rf"{direction}{start}(?P<hol>{alternation(after_year)})(?P<bare>){end}"
        now = rf"(?P<now>{alternation(s['now_words'])})(?!{alternation(s['not_after_now'])})"
        digits = "0123456789"

        def initials(*tables: Iterable[str]) -> str:
            return "".join({w[0] for t in tables for w in t})

        def listed(group: str, key: str, before: str = "") -> tuple[str, str]:
            """The pattern of a word table of dates.toml, and its words' first characters."""
            return word(group, data[key], before), initials(data[key])

        # (rule, grain, pattern, characters one of which the text must hold for it to match)
        table = [
            ("numeric", DAY, numeric + bracket_weekday, digits),
            ("decade", YEAR, r"(?<![\d.])(?P<dec>(?:19|20)\d0)년대", "대"),
            (
                "years", YEAR,
                direction + number.format("y", year4) + f"년(?!대){not_after}{year_not_after}",
                "년",
            ),
            ("years", YEAR, short_year, "년"),
            ("hangul_numbers", YEAR, rf"{start}(?P<hy>{sino})\s*년{end}", "년"),
            ("relative_years", YEAR, *listed("ry", "relative_years")),
            ("period_months", YEAR_PART, *listed("per", "period_months", r"(?<!\d)")),
            ("months", MONTH, direction + calendar_word + month_number + f"월{not_after}", "월"),
            ("hangul_numbers", MONTH, word("hm", hangul_months), "월달"),
            ("relative_months", MONTH, *listed("rm", "relative_months")),
            ("month_parts", MONTH_PART, *listed("mp", "month_parts")),
            ("relative_weeks", WEEK, word("rw", data["relative_weeks"]), "주"),
            ("weekends", WEEKEND, word("we", data["weekends"]), "주"),
            ("weekdays", WEEKDAY, word("wd", data["weekdays"], direction), "요"),
            (
                "days", DAY,
                direction + not_before_day + number.format("d", r"\d{1,2}") + f"일{not_after}"
                + r"(?:\s*\(현지\s*시간\))?" + bracket_weekday,
                "일",
            ),
            ("hangul_numbers", DAY, native_day, initials(self.numbers.native_days, "일")),
            ("deictic_days", DAY, *listed("dx", "deictic_days")),
            (
                "speech_days", DAY,
                rf"{start}(?P<sx>{words(data['speech_days'])})(?:\s*\((?P<sxd>\d{{1,2}})일\))?{end}",
                initials(data["speech_days"]),
            ),
            ("holidays", DAY, word("hol", holidays, direction), initials(holidays)),
            ("holidays", DAY, bare_holiday, initials(after_year)),
            ("counts", DAY, count, initials(data["count_directions"])),
            ("day_parts", DAY_PART, word("part", s["day_parts"]), initials(s["day_parts"])),
            ("times", TIME, clock, "시:"),
            ("now", NOW, rf"{start}{now}{end}", initials(s["now_words"])),
        ]  # fmt: skip
        self.patterns = [
            (kind, grain, regex.compile(p), frozenset(gate)) for kind, grain, p, gate in table
        ]
        self.range_join = regex.compile(r"\s*(?:부터|[~∼])\s*")
        self.range_close = regex.compile(r"\s*까지")
        self.range_end = regex.compile(r"(?:부터|[~∼])\s*$")
        self.context_months = set(hangul["months_in_context"])

    # -- parts ---------------------------------------------------------------
    def parts(self, text: str) -> list[Part]:
        """Every part in ``text``, leftmost-longest, none overlapping."""
        found = []
        chars = set(text)
        for kind, grain, pattern, gate in self.patterns:
            if gate.isdisjoint(chars):
                continue
            for m in pattern.finditer(text):
                if m.end() > m.start() and (part := self._part(kind, grain, m, text)):
                    found.append(part)
        found.sort(key=lambda p: (p.start, -(p.end - p.start)))
        chosen: list[Part] = []
        for part in found:
            if not chosen or part.start >= chosen[-1].end:
                chosen.append(part)
        return chosen

    def _part(self, kind: str, grain: int, m: regex.Match, text: str) -> Part | None:
        g = {k: v for k, v in m.groupdict().items() if v is not None}
        if kind == "hangul_numbers":
            if "hy" in g:
                value = self.numbers.value(g["hy"])
                if value is None or not 1900 <= value <= 2099:
                    return None
                g["year"] = value
            elif "hm" in g:
                g["month"] = lookup(
                    self.data["hangul_numbers"]["months"]
                    | self.data["hangul_numbers"]["months_in_context"],
                    g["hm"],
                )
            elif "hd" in g:
                value = self.numbers.value(g["hd"])
                if value is None or not 1 <= value <= 31:
                    return None
                g["day"] = value
            else:
                g["day"] = self.numbers.native_days[g["nd"]]
        if kind == "times" and ("h" in g and int(g["h"]) > 24 or int(g.get("mi") or 0) > 59):
            return None
        if kind == "times" and "ch" in g and int(g["ch"]) > 24:
            return None
        return Part(kind, grain, m.start(), m.end(), g)

    # -- expressions ---------------------------------------------------------
    def expressions(self, text: str, offset: int = 0) -> list[Expression | tuple]:
        """Expressions in ``text``; a range comes as a (first, last) tuple."""
        groups: list[list[Part]] = []
        for part in self.parts(text):
            last = groups[-1][-1] if groups else None
            part = self._reinterpret(part, last)
            if last is not None and self._joins(last, part, text):
                groups[-1].append(part)
            else:
                groups.append([part])
        exprs = [e for g in groups for e in self._valid(g, text, offset)]
        return self._ranges(exprs, text, offset)

    @staticmethod
    def _joins(last: Part, part: Part, text: str) -> bool:
        gap = text[last.end : part.start]
        if gap.strip() or len(gap) > 2:
            return False
        if part.grain == NOW:
            return True
        if part.kind == "weekdays" and last.grain == DAY:  # `15일 월요일`: a check, not a change
            return part["dir"] is None
        if part["dir"] is not None:  # `지난해 오는 5월` is two expressions
            return False
        return part.grain > last.grain

    def _valid(self, parts: list[Part], text: str, offset: int) -> list[Expression]:
        """The parts that hold together, with those that cannot stand where they are dropped."""
        # A range may end in a bare hour (`오전 7시부터 9시까지`).
        ends_range = bool(self.range_end.search(text, 0, parts[0].start))
        kept = [
            p for i, p in enumerate(parts)
            if self._stands(p, parts[:i], parts[i + 1 :], ends_range)
        ]  # fmt: skip
        # Dropped parts split the expression; keep the contiguous runs.
        runs: list[list[Part]] = [[]]
        for p in parts:
            if p in kept:
                runs[-1].append(p)
            elif runs[-1]:
                runs.append([])
        out = []
        for run in filter(None, runs):
            if all(p.grain == DAY_PART for p in run):  # `오전에는`: no day, no date
                continue
            start, end = run[0].start, run[-1].end
            out.append(Expression(run, text[start:end], offset + start, offset + end))
        return out

    def _reinterpret(self, p: Part, before: Part | None) -> Part:
        """`초`/`말` after a year are parts of the year; after a month, of the month."""
        if before is None:
            return p
        if p.kind == "period_months" and before.grain == MONTH:
            word = squeeze(p["per"])
            if word in self.data["month_parts"]:
                return Part("month_parts", MONTH_PART, p.start, p.end, {"mp": word})
        if p.kind == "month_parts" and before.grain == YEAR:
            word = squeeze(p["mp"])
            if word in self.data["period_months"]:
                return Part("period_months", YEAR_PART, p.start, p.end, {"per": word})
        return p

    def _stands(self, p: Part, before: list[Part], after: list[Part], ends_range: bool) -> bool:
        """Whether a part may stand with what is before and after it in its expression."""
        prev = before[-1] if before else None
        nxt = after[0] if after else None
        if p.kind == "holidays" and p["bare"] is not None:  # `올해 설`, `다가오는 설`
            return (prev is not None and prev.grain == YEAR) or p["dir"] is not None
        if p.kind == "relative_years" and squeeze(p["ry"]) == "올":
            return nxt is not None
        if p.kind == "period_months" and squeeze(p["per"]) in ("초", "말"):
            return prev is not None and prev.grain == YEAR
        if p.kind == "month_parts" and squeeze(p["mp"]) not in ("월초", "월말"):
            return prev is not None and prev.grain == MONTH
        if p.kind == "hangul_numbers" and p.grain == DAY:
            return prev is not None and prev.grain == MONTH
        if p.kind == "hangul_numbers" and p.grain == MONTH and p["hm"] in self.context_months:
            return (prev is not None and prev.grain == YEAR) or (
                nxt is not None and nxt.grain == DAY
            )
        if p.grain == DAY_PART:
            return (prev is not None and prev.grain == DAY) or (
                nxt is not None and nxt.grain == TIME
            )
        if p.kind == "times" and p["h"] and not (p["mi"] or p["half"]):
            return (prev is not None and prev.grain in (DAY, DAY_PART)) or (
                ends_range and not before
            )
        return True

    def _ranges(self, exprs: list[Expression], text: str, offset: int) -> list:
        result: list = []
        i = 0
        while i < len(exprs):
            cur = exprs[i]
            nxt = exprs[i + 1] if i + 1 < len(exprs) else None
            if nxt is not None:
                between = text[cur.end - offset : nxt.start - offset]
                join = self.range_join.fullmatch(between)
                after = text[nxt.end - offset :]
                close = self.range_close.match(after)
                if join and ("부터" not in between or close):
                    if close:  # the range is written with its `까지`
                        end = nxt.end + close.end()
                        nxt = Expression(nxt.parts, text[nxt.start - offset : end - offset],
                                         nxt.start, end)  # fmt: skip
                    result.append((cur, nxt))
                    i += 2
                    continue
            result.append(cur)
            i += 1
        return result
