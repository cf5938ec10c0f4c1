"""Resolving recognised expressions to ISO 8601 values against the publication date.

An expression's parts are read coarse to fine into a ``Frame`` (what is known
of the year, month, day, a span of them, and the time). Relative parts count
from the anchor (the article's publication date), deictic ones (``이날``,
``이튿날``) from the last day the text named. Lunar holidays come from
``korean-lunar-calendar``. Unknown digits are written X (``XXXX-XX-21``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from korean_lunar_calendar import KoreanLunarCalendar

from .date_parts import Expression, Part, lookup, squeeze

# Parts that name a year, and parts that count from the anchor or from the text.
YEAR_KINDS = ("numeric", "decade", "years")
RELATIVE_KINDS = (
    "relative_years", "relative_months", "relative_weeks", "weekends",
    "deictic_days", "speech_days", "counts",
)  # fmt: skip


@dataclass
class Day:
    """A calendar position; ``None`` parts are unknown."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, d: date) -> Day:
        return cls(d.year, d.month, d.day)

    def as_date(self) -> date | None:
        if None in (self.year, self.month, self.day):
            return None
        last = calendar.monthrange(self.year, self.month)[1]  # `11월 31일`: a typo, not a crash
        return date(self.year, self.month, min(self.day, last))


@dataclass
class Frame:
    """What an expression has said so far: a position (or span) and a time of day."""

    at: Day | None = None
    span: tuple[Day, Day] | None = None
    hour: int | None = None
    minute: int = 0
    second: int | None = None
    evening: bool = False
    midnight: bool = False  # `밤`/`자정`: 12 o'clock is midnight, not noon
    lunar: bool = False

    def value(self) -> str | None:
        if self.span is not None:
            return f"{fmt(self.span[0])}/{fmt(self.span[1])}"
        if self.at is None:
            return None
        text = fmt(self.at)
        if self.hour is not None and self.at.day is not None:
            hour = self.hour + (12 if self.evening and self.hour < 12 else 0)
            if self.midnight and self.hour == 12 or hour == 24:  # `밤 12시`: the next day's 00
                nxt = shift(self.at, 1)
                text, hour = fmt(nxt) if nxt is not None else text, 0
            text += f"T{hour % 24:02d}:{self.minute:02d}"
            if self.second is not None:
                text += f":{self.second:02d}"
        return text


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


def shift(day: Day | None, days: int) -> Day | None:
    """A day moved by ``days``; unknown parts stay unknown."""
    if day is None:
        return None
    d = day.as_date()
    if d is None:
        return Day(day.year, day.month, day.day + days if day.day else None)
    return Day.of(d + timedelta(days=days))


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    y, m = divmod(month - 1 + months, 12)
    return year + y, m + 1


def lunar_to_solar(year: int, month: int, day: int) -> date | None:
    """The solar date of a lunar one (``korean-lunar-calendar`` covers 1000-2050)."""
    cal = KoreanLunarCalendar()
    if not cal.setLunarDate(year, month, day, False):
        return None
    return date(cal.solarYear, cal.solarMonth, cal.solarDay)


class DateResolver:
    """Resolves expressions to (value, resolution); remembers the last day the text named."""

    def __init__(self, anchor: date | None, data: dict) -> None:
        self.anchor = anchor
        self.data = data
        s = data["settings"]
        self.past, self.future = set(s["past_words"]), set(s["future_words"])
        self.evening = set(s["evening_parts"])
        self.last: Day | None = None
        self.last_paragraph: int | None = None

    # -- entry points ------------------------------------------------------
    def resolve(self, expr: Expression, paragraph: int | None, base: Frame | None = None):
        """(value, resolution, frame) of one expression, or None when it points nowhere known."""
        frame = Frame()
        for part in expr.parts:
            frame = self._apply(part, frame, paragraph, base)
            if frame is None:
                return None
        value = frame.value()
        if value is None:
            return None
        if frame.span is None and frame.at is not None and frame.at.day is not None:
            self.last, self.last_paragraph = frame.at, paragraph
        return value, self._resolution(expr, value), frame

    def resolve_range(self, first: Expression, last: Expression, paragraph: int | None):
        """(value, resolution) of `A부터 B까지` / `A~B`: B takes what it lacks from A."""
        a = self.resolve(first, paragraph)
        if a is None:
            return None
        b = self.resolve(last, paragraph, base=a[2])
        if b is None:
            return None
        start = a[0].split("/")[0]
        end = b[0].split("/")[-1]
        value = f"{start}/{end}"
        resolution = "partial" if "X" in value else a[1] if a[1] == b[1] else "relative"
        return value, resolution

    @staticmethod
    def _resolution(expr: Expression, value: str) -> str:
        """`absolute` when the text names the year and nothing counts from elsewhere."""
        if "X" in value:
            return "partial"
        named_year = any(
            p.kind in YEAR_KINDS or (p.kind == "hangul_numbers" and p["year"]) for p in expr.parts
        )
        counted = any(p.kind in RELATIVE_KINDS for p in expr.parts)
        return "absolute" if named_year and not counted else "relative"

    # -- the anchor --------------------------------------------------------
    def _today(self) -> Day | None:
        return Day.of(self.anchor) if self.anchor else None

    def _year(self, frame: Frame) -> int | None:
        if frame.at is not None:
            return frame.at.year
        return self.anchor.year if self.anchor else None

    # -- parts -------------------------------------------------------------
    def _apply(self, p: Part, f: Frame, paragraph, base: Frame | None) -> Frame | None:
        handler = getattr(self, f"_{p.kind}")
        return handler(p, f, paragraph, base)

    def _numeric(self, p: Part, f: Frame, *_) -> Frame | None:
        at = Day(int(p["y"]), int(p["m"]), int(p["d"]))
        if not (1 <= at.month <= 12 and 1 <= at.day <= 31):
            return None
        hour = int(p["H"]) if p["H"] else None
        second = int(p["S"]) if p["S"] else None
        return Frame(at, None, hour, int(p["Mi"] or 0), second)

    def _decade(self, p: Part, *_) -> Frame:
        start = int(p["dec"])
        return Frame(span=(Day(start), Day(start + 9)))

    def _years(self, p: Part, *_) -> Frame | None:
        if p["yy"]:  # `'97년`: the latest such year up to the anchor's next year
            short = int(p["yy"])
            if not self.anchor:  # POSIX's pivot, as `%y` reads: 69-99 -> 19xx
                return Frame(Day(short + (1900 if short >= 69 else 2000)))
            year = self.anchor.year // 100 * 100 + short
            return Frame(Day(year if year <= self.anchor.year + 1 else year - 100))
        if p["y2"]:
            if int(p["y2"]) < int(p["y"]):
                return None  # `2019~2015년`: no range
            return Frame(span=(Day(int(p["y"])), Day(int(p["y2"]))))
        return Frame(Day(int(p["y"])))

    def _relative_years(self, p: Part, *_) -> Frame:
        offset = lookup(self.data["relative_years"], p["ry"])
        return Frame(Day(self.anchor.year + offset if self.anchor else None))

    def _period_months(self, p: Part, f: Frame, *_) -> Frame:
        year = self._year(f)
        first, last = lookup(self.data["period_months"], p["per"])
        if first == last:
            return Frame(Day(year, first))
        return Frame(Day(year, first), span=(Day(year, first), Day(year, last)))

    def _months(self, p: Part, f: Frame, _paragraph, base: Frame | None) -> Frame | None:
        month = int(p["m"])
        if not 1 <= month <= 12:
            return None
        year = self._year_of_month(month, f, p["dir"], base)
        if p["m2"]:
            last = int(p["m2"])
            if not month < last <= 12:
                return None  # `3~13월`
            return Frame(Day(year, month), span=(Day(year, month), Day(year, last)))
        return Frame(Day(year, month), lunar=p["lunar"] is not None)

    def _year_of_month(self, month: int, f: Frame, direction, base: Frame | None) -> int | None:
        if f.at is not None:
            return f.at.year
        if base is not None and base.at is not None:
            start = base.at
            if start.year is not None and start.month is not None and month < start.month:
                return start.year + 1  # `12월 28일부터 1월 3일까지`
            return start.year
        if not self.anchor:
            return None
        year = self.anchor.year
        if direction in self.past and month > self.anchor.month:
            year -= 1
        elif direction in self.future and month < self.anchor.month:
            year += 1
        return year

    def _relative_months(self, p: Part, *_) -> Frame:
        offset = lookup(self.data["relative_months"], p["rm"])
        if not self.anchor:
            return None
        year, month = add_months(self.anchor.year, self.anchor.month, offset)
        return Frame(Day(year, month))

    def _month_parts(self, p: Part, f: Frame, *_) -> Frame | None:
        at = f.at if f.at is not None and f.at.month is not None else self._today()
        if at is None:
            return None
        first, last = lookup(self.data["month_parts"], p["mp"])
        start, end = Day(at.year, at.month, first), Day(at.year, at.month, last)
        return Frame(Day(at.year, at.month), span=(start, end))

    def _week_monday(self, offset: int) -> date | None:
        if not self.anchor:
            return None
        return self.anchor - timedelta(days=self.anchor.weekday()) + timedelta(weeks=offset)

    def _relative_weeks(self, p: Part, *_) -> Frame | None:
        monday = self._week_monday(lookup(self.data["relative_weeks"], p["rw"]))
        if monday is None:
            return None
        return Frame(Day.of(monday), span=(Day.of(monday), Day.of(monday + timedelta(days=6))))

    def _weekends(self, p: Part, f: Frame, *_) -> Frame | None:
        offset = lookup(self.data["weekends"], p["we"])
        if f.span is not None and f.at is not None and f.at.as_date():  # `다음 주 주말`
            monday = f.at.as_date()
        else:
            monday = self._week_monday(offset)
        if monday is None:
            return None
        saturday = monday + timedelta(days=5)
        return Frame(
            Day.of(saturday), span=(Day.of(saturday), Day.of(saturday + timedelta(days=1)))
        )

    def _weekdays(self, p: Part, f: Frame, *_) -> Frame | None:
        if f.at is not None and f.span is None and f.at.day is not None:
            return f  # `15일 월요일`: the weekday only checks the day
        wanted = lookup(self.data["weekdays"], p["wd"])
        if f.span is not None and f.at is not None and f.at.as_date():  # `다음 주 월요일`
            return Frame(Day.of(f.at.as_date() + timedelta(days=wanted)))
        if not self.anchor:
            return None
        a = self.anchor
        if p["dir"] in self.past:
            back = (a.weekday() - wanted) % 7 or 7
            return Frame(Day.of(a - timedelta(days=back)))
        if p["dir"] in self.future:
            ahead = (wanted - a.weekday()) % 7 or 7
            return Frame(Day.of(a + timedelta(days=ahead)))
        return Frame(Day.of(self._week_monday(0) + timedelta(days=wanted)))

    def _days(self, p: Part, f: Frame, _paragraph, base: Frame | None) -> Frame | None:
        day = int(p["d"])
        if not 1 <= day <= 31:
            return None
        if f.at is not None and f.at.month is not None:
            year, month = f.at.year, f.at.month
        elif base is not None and base.at is not None and base.at.month is not None:
            year, month = base.at.year, base.at.month
            if base.at.day is not None and day < base.at.day and year is not None:
                year, month = add_months(year, month, 1)  # `28일부터 3일까지`
        elif self.anchor and f.at is None:
            year, month = self._month_for(day, p["dir"])
        else:
            year = f.at.year if f.at is not None else None
            month = None
        if p["d2"]:
            last = int(p["d2"])
            if not 1 <= last <= 31 or last == day:
                return None
            end_year, end_month = year, month
            if last < day:  # `30~2일`: into the next month
                if year is None or month is None:
                    return None
                end_year, end_month = add_months(year, month, 1)
            return Frame(
                Day(year, month, day), span=(Day(year, month, day), Day(end_year, end_month, last))
            )
        if f.lunar:  # `음력 4월 8일`
            solar = lunar_to_solar(year, month, day) if year else None
            return Frame(Day.of(solar)) if solar else None
        return Frame(Day(year, month, day))

    def _month_for(self, day: int, direction: str | None) -> tuple[int, int]:
        """The month of a bare day: this month, or the one before/after it says."""
        a = self.anchor
        if direction in self.past and day > a.day:
            return add_months(a.year, a.month, -1)
        if direction in self.future and day < a.day:
            return add_months(a.year, a.month, 1)
        return a.year, a.month

    def _hangul_numbers(self, p: Part, f: Frame, _paragraph, base: Frame | None) -> Frame | None:
        if p["year"]:
            return Frame(Day(p["year"]))
        if p["month"]:
            year = self._year_of_month(p["month"], f, None, base)
            return Frame(Day(year, p["month"]))
        at = f.at
        if at is None or at.month is None:
            return None
        day = p["day"] or (calendar.monthrange(at.year, at.month)[1] if at.year else None)
        return Frame(Day(at.year, at.month, day)) if day else None

    def _deictic_days(self, p: Part, f: Frame, paragraph, _base) -> Frame | None:
        offset = lookup(self.data["deictic_days"], p["dx"])
        # `이날` is the day just named in the same paragraph, else the news day.
        same_paragraph = self.last is not None and self.last_paragraph == paragraph
        if squeeze(p["dx"]) == "이날" and not same_paragraph:
            ref = self._today()
        else:
            ref = self.last or self._today()
        at = shift(ref, offset)
        return Frame(at) if at is not None else None

    def _speech_days(self, p: Part, *_) -> Frame | None:
        if p["sxd"]:  # `어제(31일)`: the bracketed day in the month of the day the word means
            near = shift(self._today(), lookup(self.data["speech_days"], p["sx"]))
            if near is None:
                return Frame(Day(None, None, int(p["sxd"])))
            return Frame(Day(near.year, near.month, int(p["sxd"])))
        at = shift(self._today(), lookup(self.data["speech_days"], p["sx"]))
        return Frame(at) if at is not None else None

    def _holidays(self, p: Part, f: Frame, *_) -> Frame | None:
        word = p["hol"]
        solar = self.data["holidays"]["solar"]
        is_lunar = not any(squeeze(k) == squeeze(word) for k in solar)
        month, day = lookup(self.data["holidays"]["lunar" if is_lunar else "solar"], word)

        def on(year: int) -> date | None:
            return lunar_to_solar(year, month, day) if is_lunar else date(year, month, day)

        if f.at is not None and f.at.year is not None:
            found = on(f.at.year)
        elif f.at is not None or not self.anchor:
            return None
        else:
            a = self.anchor
            found = on(a.year)
            if found is not None and p["dir"] in self.past and found > a:
                found = on(a.year - 1)
            elif found is not None and p["dir"] in self.future and found < a:
                found = on(a.year + 1)
        return Frame(Day.of(found)) if found else None

    def _counts(self, p: Part, *_) -> Frame | None:
        if not self.anchor:
            return None
        if p["cw"]:
            n, unit = lookup(self.data["native_counts"], p["cw"])
        else:
            n, unit = int(p["cn"]), lookup(self.data["count_units"], p["cu"])
        n *= self.data["count_directions"][p["cd"] or p["cd2"]]
        a = self.anchor
        if unit in ("day", "week"):
            return Frame(Day.of(a + timedelta(days=n * (7 if unit == "week" else 1))))
        if unit == "month":
            return Frame(Day(*add_months(a.year, a.month, n)))
        return Frame(Day(a.year + n))

    def _day_parts(self, p: Part, f: Frame, *_) -> Frame:
        part = squeeze(p["part"])
        return replace(f, evening=part in self.evening, midnight=part in ("밤", "심야", "자정"))

    def _times(self, p: Part, f: Frame, _paragraph, base: Frame | None) -> Frame | None:
        if f.at is None or f.at.day is None:
            ref = base if base is not None and base.at is not None else None
            at = ref.at if ref else (self.last or self._today())
            if at is None:
                return None
            evening = f.evening or (ref.evening if ref else False)
            f = Frame(at, evening=evening)
        if p["ch"]:
            return replace(f, hour=int(p["ch"]), minute=int(p["cm"]),
                           second=int(p["cs"]) if p["cs"] else None)  # fmt: skip
        minute = 30 if p["half"] else int(p["mi"] or 0)
        return replace(f, hour=int(p["h"]), minute=minute)

    def _now(self, p: Part, f: Frame, *_) -> Frame | None:
        if f.at is not None or f.span is not None:
            return f  # `4월 현재`: the month named
        today = self._today()
        return Frame(today) if today else None
