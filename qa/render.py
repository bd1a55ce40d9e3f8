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
# Units after a number: (singular, plural).
UNITS = {"tahun": ("year", "years"), "bulan": ("month", "months"), "minggu": ("week", "weeks"),
         "pekan": ("week", "weeks"), "hari": ("day", "days"), "jam": ("hour", "hours"),
         "menit": ("minute", "minutes"), "detik": ("second", "seconds"), "persen": ("percent", "percent"),
         "orang": ("person", "people"), "jiwa": ("person", "people"), "peserta": ("participant", "participants"),
         "kota": ("city", "cities"), "negara": ("country", "countries"), "provinsi": ("province", "provinces"),
         "kabupaten": ("regency", "regencies"), "kecamatan": ("district", "districts"),
         "desa": ("village", "villages"), "pulau": ("island", "islands"), "unit": ("unit", "units"),
         "kali": ("time", "times"), "hektare": ("hectare", "hectares"), "hektar": ("hectare", "hectares"),
         "meter": ("metre", "metres"), "kilometer": ("kilometre", "kilometres"), "ton": ("tonne", "tonnes"),
         "dolar": ("dollar", "dollars"), "rumah": ("house", "houses"), "sekolah": ("school", "schools")}

_QUANTITY_WORDS = frozenset(UNITS) | frozenset(SCALES) | frozenset(WORD_NUMBERS)
_DAY = "|".join(re.escape(d) for d in DAYS)
_MONTH = "|".join(MONTHS)
_NUMERIC_DATE = re.compile(rf"(?:\b({_DAY})\b\s*,?\s*)?\(?\b(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})\b\)?", re.I)
_WORD_DATE = re.compile(rf"(?:\b({_DAY})\b\s*,?\s*)?\b(?:(\d{{1,2}})(?:\s*(?:-|–|hingga|sampai)\s*(\d{{1,2}}))?\s+)?"
                        rf"({_MONTH})\b(?:\s+(\d{{4}}))?", re.I)
_SHORT_DATE = re.compile(rf"\b({_DAY})\b\s*,?\s*\(\s*(\d{{1,2}})/(\d{{1,2}})\s*\)", re.I)
_CLOCK = re.compile(r"\bpukul\s+(\d{1,2})[.:](\d{2})\b", re.I)
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


def _short_date(m: re.Match) -> str:
    day_name, d, mo = m.group(1), int(m.group(2)), int(m.group(3))
    try:
        _dt.date(2024, mo, d)  # a leap year: 29/2 is a date
    except ValueError:
        return m.group(0)
    return f"{DAYS[day_name.lower()]}, {d} {MONTH_NAMES[mo]}"


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
    out = _SHORT_DATE.sub(_short_date, out)
    out = _WORD_DATE.sub(_word_date, out)
    out = _CLOCK.sub(lambda m: f"at {int(m.group(1)):02d}:{m.group(2)}", out)
    out = _NUMBER.sub(_number, out)
    out = _ORDINAL.sub(lambda m: _ordinal(int(m.group(1))), out)
    words = out.split(" ")
    # Units are translated only in a span that is nothing but a quantity ("25 tahun", "2,5 juta
    # jiwa"): in a longer phrase an English word among Indonesian ones reads worse than neither.
    quantity = all(re.search(r"\d", w) or w.lower().strip(",.;:()") in _QUANTITY_WORDS
                   for w in words if w)
    for i, w in enumerate(words):
        key = w.lower().strip(",.;:()")
        after_number = i > 0 and (re.search(r"\d", words[i - 1]) is not None
                                   or words[i - 1].lower() in WORD_NUMBERS.values()
                                   or words[i - 1].lower() in SCALES.values())
        if key in SCALES and after_number:
            words[i] = w.lower().replace(key, SCALES[key])
        elif key in UNITS and after_number and quantity:
            singular = words[i - 1].lower() in ("1", "one")
            words[i] = w.lower().replace(key, UNITS[key][0 if singular else 1])
        elif key in DAYS and len(words) == 1:
            words[i] = DAYS[key]
        elif key in WORD_NUMBERS and (len(words) == 1 or quantity):
            words[i] = w.lower().replace(key, WORD_NUMBERS[key])
    out = " ".join(words)
    return out if out != span else None
