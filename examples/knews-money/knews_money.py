"""A knews plugin extractor: money amounts with normalised values.

``2조 원`` -> 2000000000000 KRW, ``560억`` -> 56000000000 KRW,
``3억5000만 달러`` -> 350000000 USD. Registered through the ``knews.extractors``
entry point (see pyproject.toml), or loaded with ``--extractor knews_money:MoneyExtractor``.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from extractors.text import segments, span_row
from pipeline.article import Article
from pipeline.tables import SPAN

UNITS = {"조": 10**12, "억": 10**8, "만": 10**4, "천": 10**3}
CURRENCIES = {"원": "KRW", "달러": "USD", "유로": "EUR", "엔": "JPY", "위안": "CNY"}
NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
AMOUNT = regex.compile(
    rf"(?<![\d.])(?P<parts>(?:{NUMBER}\s*(?:조|억|만|천)\s*)+(?:{NUMBER})?|{NUMBER})"
    r"\s*(?P<currency>원|달러|유로|엔|위안)?(?!\d)"
    r"(?!\s*(?:명|개|곳|가구|건|대|마리|톤|배|표|주|년|개월|일|시간))"
)
PART = regex.compile(rf"({NUMBER})\s*(조|억|만|천)?")


def amount_value(parts: str) -> int:
    """``3억5000만`` -> 350000000."""
    total = 0
    for number, unit in PART.findall(parts):
        total += round(float(number.replace(",", "")) * UNITS.get(unit, 1))
    return total


class MoneyExtractor:
    """Rows of the ``money`` table: one per amount with a unit or a currency."""

    name = "money"
    columns = {
        "sentence_id": "int",
        "text": "str",
        "value": "int",
        "currency": "str",
        **SPAN,
    }

    def extract(self, article: Article) -> Iterable[dict]:
        for seg in segments(article):
            for m in AMOUNT.finditer(seg.text):
                has_unit = any(u in m["parts"] for u in UNITS)
                if not (has_unit or m["currency"]):
                    continue
                text = m.group().rstrip()
                start = seg.start + m.start()
                end = start + len(text)
                yield {
                    "text": text,
                    "value": amount_value(m["parts"]),
                    "currency": CURRENCIES.get(m["currency"] or "원"),
                    **span_row(article, seg, start, end),
                }
