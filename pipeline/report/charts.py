"""The corpus overview's charts, drawn with matplotlib as static SVG.

matplotlib because its SVG needs no script and no network (the page works from
``file://`` with JavaScript off), it is the plotting library every Python analyst
already has, and with ``svg.fonttype = "none"`` Korean labels stay text: the
browser draws them in the page's fonts, and they can be selected and searched.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from .source import Columns, read_columns

TOP = 15  # bars in a ranking
MAX_OUTLETS = 8  # outlets with a colour of their own; the rest are "others"
FONTS = ["NanumGothic", "Noto Sans CJK KR", "Malgun Gothic", "AppleGothic", "DejaVu Sans"]


NEEDED = {
    "articles": ["published_at", "outlet"],
    "entities": ["kind", "name", "n_mentions"],
    "quotes": ["speaker", "speaker_kind"],
    "pledges": ["actor"],
}


def chart_data(tables: dict[str, Columns]) -> dict[str, Any]:
    """The numbers the charts show (small; their digest decides whether to redraw)."""

    def column(table: str, name: str) -> list:
        columns = tables.get(table) or {}
        return columns.get(name) or [None] * len(next(iter(columns.values()), []))

    days: Counter[tuple[str, str]] = Counter()
    for published, outlet in zip(
        column("articles", "published_at"), column("articles", "outlet"), strict=True
    ):
        day = str(published)[:10] if published else "no date"
        days[day, outlet or "no outlet"] += 1
    ranked: dict[str, list[tuple[str, int]]] = {"person": [], "organization": []}
    for kind, name, count in zip(
        column("entities", "kind"),
        column("entities", "name"),
        column("entities", "n_mentions"),
        strict=True,
    ):
        if kind in ranked:
            ranked[kind].append((name, count or 0))
    speakers = Counter(
        f"{name} ({kind})"
        for name, kind in zip(
            column("quotes", "speaker"), column("quotes", "speaker_kind"), strict=True
        )
        if name
    )
    actors = Counter(actor for actor in column("pledges", "actor") if actor)
    return {
        "days": sorted([day, outlet, n] for (day, outlet), n in days.items()),
        "people": sorted(ranked["person"], key=lambda x: (-x[1], x[0]))[:TOP],
        "organizations": sorted(ranked["organization"], key=lambda x: (-x[1], x[0]))[:TOP],
        "speakers": speakers.most_common(TOP),
        "actors": actors.most_common(TOP),
    }


def draw_if_changed(output_dir: Path, drawn: str | None) -> tuple[str, dict[str, str] | None]:
    """The digest of the charts' numbers, and the charts unless ``drawn`` is that digest.

    Reads the few columns it needs itself, so that it can run beside the pages."""
    run = json.loads((output_dir / "run.json").read_text(encoding="utf-8"))
    types = run.get("columns", {})
    tables = {
        name: read_columns(output_dir, name, types.get(name, {}), only) or {}
        for name, only in NEEDED.items()
    }
    numbers = chart_data(tables)
    digest = hashlib.sha256(json.dumps(numbers, ensure_ascii=False).encode()).hexdigest()[:20]
    return digest, (None if digest == drawn else draw(numbers))


TITLES = {
    "days": "Articles per day, by outlet",
    "people": "Most mentioned people (mentions)",
    "organizations": "Most mentioned organisations (mentions)",
    "speakers": "Most quoted speakers (quotes)",
    "actors": "Pledges per actor",
}


def draw(data: dict[str, Any]) -> dict[str, str]:
    """Each chart as an SVG document (text), by name."""
    import matplotlib

    matplotlib.use("svg")
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {"svg.fonttype": "none", "font.family": _fonts(), "font.size": 9, "text.parse_math": False}
    )
    charts = {"days": _days(Figure, data["days"])}
    for name in ("people", "organizations", "speakers", "actors"):
        charts[name] = _ranking(Figure, TITLES[name], data[name])
    return charts


def _fonts() -> list[str]:
    """The Korean fonts this machine has (to measure labels with), then matplotlib's own."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in FONTS if name in installed] or ["DejaVu Sans"]


def _svg(figure) -> str:
    import warnings

    buffer = io.StringIO()
    with warnings.catch_warnings():  # no Korean font here: the browser draws the text anyway
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        warnings.filterwarnings("ignore", message="findfont")
        figure.savefig(buffer, format="svg")  # margins set by hand: "tight" draws twice
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # inline in the page: no XML prologue


def _width_inches(text: str) -> float:
    """About how wide a label is at 9 pt: Hangul and CJK a full em, the rest about half."""
    return sum(0.125 if ord(c) > 0x2E80 else 0.07 for c in text)


def _ranking(Figure, title: str, pairs: list) -> str:  # noqa: N803 - the class
    height = 0.9 + 0.24 * max(len(pairs), 1)
    figure = Figure(figsize=(5.4, height))
    axes = figure.subplots()
    axes.set_title(title, loc="left", fontsize=10)
    if not pairs:
        axes.text(0.5, 0.5, "none in this run", ha="center", va="center")
        axes.set_axis_off()
        return _svg(figure)
    names = [name for name, _ in pairs][::-1]
    counts = [count for _, count in pairs][::-1]
    label = max(map(_width_inches, names))
    figure.subplots_adjust(
        left=min(0.6, (label + 0.15) / 5.4), right=0.93, top=1 - 0.4 / height, bottom=0.1 / height
    )
    bars = axes.barh(names, counts, color="#4c78a8")
    axes.bar_label(bars, padding=2, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.set_visible(False)
    return _svg(figure)


def _days(Figure, rows: list) -> str:  # noqa: N803 - the class
    figure = Figure(figsize=(11, 3.2))
    figure.subplots_adjust(left=0.05, right=0.8, top=0.88, bottom=0.3)
    axes = figure.subplots()
    axes.set_title(TITLES["days"], loc="left", fontsize=10)
    if not rows:
        axes.text(0.5, 0.5, "no articles", ha="center", va="center")
        axes.set_axis_off()
        return _svg(figure)
    totals = Counter()
    for _day, outlet, n in rows:
        totals[outlet] += n
    shown = [outlet for outlet, _ in totals.most_common(MAX_OUTLETS)]
    days = sorted({day for day, _, _ in rows})
    position = {day: i for i, day in enumerate(days)}
    stacks: dict[str, list[int]] = {o: [0] * len(days) for o in [*shown, "others"]}
    for day, outlet, n in rows:
        stacks[outlet if outlet in shown else "others"][position[day]] += n
    bottom = [0] * len(days)
    colours = matplotlib_colours()
    for i, (outlet, counts) in enumerate(stacks.items()):
        if any(counts):
            axes.bar(range(len(days)), counts, bottom=bottom, label=outlet, color=colours[i % 10])
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    step = max(1, len(days) // 20)
    axes.set_xticks(range(0, len(days), step), days[::step], rotation=45, ha="right", fontsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _svg(figure)


def matplotlib_colours() -> list[str]:
    from matplotlib import colormaps, colors

    return [colors.to_hex(c) for c in colormaps["tab10"].colors]  # type: ignore[attr-defined]
