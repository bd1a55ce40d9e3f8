"""What kind of answer a question asks for, and whether a span can be one.

Three kinds are recognised, each with near-certain surface cues in Indonesian and English:
``"number"`` ("berapa …", "how many …"), ``"date"`` ("kapan …", "tahun berapa …", "when …",
"in what year …") and ``"name"`` ("siapa …", "di mana …", "who …", "where …"). A span fits a
number question when it holds a digit, a number word or a Roman numeral; a date question when
it holds a digit, a month or day name, a Roman numeral or a word of time ("abad", "pekan",
"century", "ago", …); a name question when it holds a word that is neither a number nor a word
of time (a person or a place is never just "3 Juli 2023"). Other questions have no expected
kind and every span fits.

The reader keeps only fitting spans for a typed question (:func:`qa.reader.neural.read_passages`);
when none fits, it answers "not found".
"""
from __future__ import annotations

import re

from qa.render import DAYS, MONTHS

NUMBER = "number"
DATE = "date"
NAME = "name"
KINDS = (NUMBER, DATE, NAME)

_DATE_QUESTION = re.compile(
    r"\bkapan\b|\b(tanggal|tahun|bulan|hari|abad|pukul|jam) (berapa|apa)\b|^(since |until |by )?when\b"
    r"|\b(what|which) (year|date|month|day|century|decade|time)\b", re.IGNORECASE)
_NUMBER_QUESTION = re.compile(
    r"\b(berapa|brp)\b|\bhow (many|much|old|long|far)\b|\bwhat (number|percentage|percent|amount)\b",
    re.IGNORECASE)

_NAME_QUESTION = re.compile(
    r"\bsiapa(kah)?\b|^(di|ke|dari) ?mana(kah)?\b|\b(di|ke|dari) ?mana(kah)?\s*\?*\s*$"
    r"|^(to |from |by |with |for )?(who|whom|whose|where)\b", re.IGNORECASE)

_NUMBER_WORDS = frozenset("""
nol satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belas puluh ratus ribu juta
miliar milyar triliun seratus seribu sejuta semiliar setengah separuh sepertiga seperempat puluhan
ratusan ribuan jutaan miliaran sekali pertama kedua ketiga keempat kelima keenam ketujuh kedelapan
kesembilan kesepuluh persen
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
million billion trillion dozen dozens hundreds thousands millions billions half quarter once twice
first second third fourth fifth sixth seventh eighth ninth tenth percent
""".split())
# Month and day names in both languages come from qa.render (one list for the product); here only
# abbreviations and other words of time are added.
_MONTH_NAMES = frozenset(MONTHS) | {m.lower() for m in MONTHS.values()}
_DAY_NAMES = frozenset(DAYS) | {d.lower() for d in DAYS.values()}
_MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul agu agt ags sep sept okt oct nov des dec".split())
_TIME_WORDS = _MONTH_NAMES | _DAY_NAMES | _MONTH_ABBREVIATIONS | frozenset("""
abad tahun bulan pekan hari pagi siang sore malam dini subuh zaman jaman masa era periode dekade lalu
kemarin besok lusa kini sekarang saat ketika sejak setelah sesudah sebelum selama akhir awal
pertengahan wib wita wit
century centuries year years month months week weeks day days morning afternoon
evening night today yesterday tomorrow ago before after during since until when era period decade
decades age early late mid
""".split())
_MONTHS = "|".join(sorted(_MONTH_NAMES | _MONTH_ABBREVIATIONS, key=len, reverse=True))
# Dates written with digits ("29/7/2023", "31 Juli 2024"): a count is never one of these.
_DIGIT_DATE = re.compile(rf"\b\d{{1,2}}/\d{{1,2}}(/\d{{2,4}})?\b|\b\d{{1,2}}\s+({_MONTHS})\.?(\s+\d{{4}})?\b",
                         re.IGNORECASE)
_ROMAN = re.compile(r"(?<![A-Za-z])[IVXLCDM]{2,}(?![A-Za-z])")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def expected_kind(question: str) -> str | None:
    """``"date"``, ``"number"``, ``"name"`` or ``None`` (no expectation), for a question in
    Indonesian or English."""
    q = question.strip()
    if _DATE_QUESTION.search(q):
        return DATE
    if _NUMBER_QUESTION.search(q):
        return NUMBER
    if _NAME_QUESTION.search(q):
        return NAME
    return None


def span_fits(text: str, kind: str | None) -> bool:
    """Whether a span's text can be an answer of ``kind`` (always true for ``None``)."""
    if kind is None:
        return True
    if kind not in KINDS:
        raise ValueError(f"Unknown answer kind {kind!r}. Supported kinds: {list(KINDS)}")
    words = {w.lower() for w in _WORD.findall(text)}
    if kind == NAME:
        return bool(words - _NUMBER_WORDS - _TIME_WORDS)
    digits_of = _DIGIT_DATE.sub(" ", text) if kind == NUMBER else text
    if any(ch.isdigit() for ch in digits_of) or _ROMAN.search(text):
        return True
    return bool(words & (_NUMBER_WORDS if kind == NUMBER else _TIME_WORDS))


_LIST_QUESTION = re.compile(
    r"\b(apa|siapa|mana|berapa|kapan) saja\b|\bsaja (yang|apa)\b"
    r"|^(what|which|who) (are|were) the (\w+ )?(two|three|four|five|six|\d+)\b"
    r"|^((to|from|in|with|by|of|for) )?(which|what) (?!(do|does|did|is|are|was|were|have|has|had) )(\w+ ){0,2}(countries|cities|species|companies|organi[sz]ations|steps|topics|regions|"
    r"provinces|districts|measures|threats|areas|fields|sectors|institutions|agencies|ministries|members|"
    r"parties|groups|nations|states|items|things|weapons|products|programmes|programs)\b|^list\b",
    re.IGNORECASE)


def asks_for_list(question: str) -> bool:
    """Whether a question asks for several items ("kota mana saja …", "Which countries …",
    "What were the four topics …")."""
    return bool(_LIST_QUESTION.search(question.strip()))
