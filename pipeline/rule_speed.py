"""Rule patterns against adversarial text: a pattern that backtracks without end is a
mistake `knews rules test` reports before a run meets it.

Each pattern of a rule file (``rulefiles.patterns_in``) is searched, with the
``regex`` module's timeout, in strings of 3,000 characters made of one character
repeated after a prefix that rules look for (``[홍길동/`` and 3,000 spaces, a line
of digits, of brackets, of Hangul ...). A linear pattern takes well under a
millisecond on each; one that takes longer than ``BUDGET`` seconds fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

BUDGET = 0.25  # seconds a pattern may take on one adversarial string
LENGTH = 3000
PREFIXES = ("", "[", "[홍길동/", "[인터뷰] 홍길동/", "<인터뷰> 홍길동 / ", "▶ 인터뷰 : 홍길동 / ",
            "홍길동 기자 ", "(서울=연합뉴스) ", "2024.", '"', "가")  # fmt: skip
FILLERS = (" ", "1", "가", "a", "[", "(", "/", ":", "·", ",", ".", '"', "-", "\t")


def adversarial_strings(length: int = LENGTH) -> Iterator[str]:
    for prefix in PREFIXES:
        for filler in FILLERS:
            yield prefix + filler * length
    yield "가나 " * (length // 3) + "!"
    yield ("a" * 60 + "b\n") * (length // 62)


def too_slow(pattern: str, budget: float = BUDGET) -> str | None:
    """How the pattern failed its budget (the string it timed out on), or None."""
    try:
        compiled = regex.compile(pattern)
    except regex.error:
        return None  # reported by the file's validation
    for sample in adversarial_strings():
        try:
            compiled.search(sample, timeout=budget)
        except TimeoutError:
            shown = sample[:12] + ("…" if len(sample) > 12 else "")
            return f"longer than {budget:g} s on {shown!r} ({len(sample)} characters)"
    return None
