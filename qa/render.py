"""English renderings of Indonesian dates and numbers, shown beside an answer span.

``english_rendering("Sabtu (29/7/2023)") == "Saturday, 29 July 2023"``; the original span
stays the answer (and is what evaluation scores).
"""
from __future__ import annotations

import datetime as _dt
import re

DAYS = {"senin": "Monday", "selasa": "Tuesday", "rabu": "Wednesday", "kamis": "Thursday",
        "jumat": "Friday", "jum'at": "Friday", "sabtu": "Saturday", "minggu": "Sunday", "ahad": "Sunday"}
MONTHS = {"januari": "January", "februari": "February", "pebruari": "February", "maret": "March",
          "april": "April", "mei": "May", "juni": "June", "juli": "July", "agustus": "August",
          "september": "September", "oktober": "October", "november": "November",
          "desember": "December", "nopember": "November"}
MONTH_NAMES = [None, "January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
WORD_NUMBERS = {"satu": "one", "dua": "two", "tiga": "three", "empat": "four", "lima": "five",
                "enam": "six", "tujuh": "seven", "delapan": "eight", "sembilan": "nine",
                "sepuluh": "ten", "sebelas": "eleven", "seratus": "one hundred", "seribu": "one thousand",
                "ketiga": "third", "kedua": "second", "pertama": "first", "keempat": "fourth",
                "kelima": "fifth"}
SCALES = {"ribu": "thousand", "juta": "million", "miliar": "billion", "milyar": "billion", "triliun": "trillion"}

_DAY = "|".join(re.escape(d) for d in DAYS)
_MONTH = "|".join(MONTHS)
_NUMERIC_DATE = re.compile(rf"(?:\b({_DAY})\b\s*,?\s*)?\(?\b(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})\b\)?", re.I)
_WORD_DATE = re.compile(rf"(?:\b({_DAY})\b\s*,?\s*)?\b(?:(\d{{1,2}})(?:\s*(?:-|–|hingga|sampai)\s*(\d{{1,2}}))?\s+)?"
                        rf"({_MONTH})\b(?:\s+(\d{{4}}))?", re.I)
_NUMBER = re.compile(r"\b\d{1,3}(?:\.\d{3})+(?:,\d+)?\b|\b\d+,\d+\b")
_ORDINAL = re.compile(r"\bke-(\d+)\b", re.I)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _numeric_date(m: re.Match) -> str:
    day_name, d, mo, y = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
    try:
        _dt.date(y, mo, d)
    except ValueError:
        return m.group(0)
    text = f"{d} {MONTH_NAMES[mo]} {y}"
    return f"{DAYS[day_name.lower()]}, {text}" if day_name else text


def _word_date(m: re.Match) -> str:
    day_name, d1, d2, month, year = m.groups()
    parts = []
    if d1:
        parts.append(f"{d1} to {d2}" if d2 else d1)
    parts.append(MONTHS[month.lower()])
    if year:
        parts.append(year)
    text = " ".join(parts)
    return f"{DAYS[day_name.lower()]}, {text}" if day_name else text


def _number(m: re.Match) -> str:
    whole, _, frac = m.group(0).partition(",")
    return whole.replace(".", ",") + (f".{frac}" if frac else "")


def english_rendering(span: str) -> str | None:
    """The span with Indonesian dates and numbers in English form, or None if there are none."""
    out = _NUMERIC_DATE.sub(_numeric_date, span)
    out = _WORD_DATE.sub(_word_date, out)
    out = _NUMBER.sub(_number, out)
    out = _ORDINAL.sub(lambda m: _ordinal(int(m.group(1))), out)
    words = out.split(" ")
    for i, w in enumerate(words):
        key = w.lower().strip(",.;:()")
        if key in SCALES and i > 0 and re.search(r"\d", words[i - 1]):
            words[i] = w.lower().replace(key, SCALES[key])
        elif key in DAYS and len(words) == 1:
            words[i] = DAYS[key]
        elif key in WORD_NUMBERS and len(words) == 1:
            words[i] = w.lower().replace(key, WORD_NUMBERS[key])
    out = " ".join(words)
    return out if out != span else None
