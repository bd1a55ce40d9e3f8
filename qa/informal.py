"""Chat-style Indonesian written out in full, for reading questions.

Users type questions the way they chat: "brp peserta yg diundang dlm pertemuan". The reader was
trained on formal questions ("berapa peserta yang diundang dalam pertemuan"), so the reader reads
a question with these abbreviations expanded (:func:`expand_abbreviations`). Only common,
unambiguous chat forms are listed; a word written in capitals ("PD", "SM") is an acronym and is
kept, and so is anything with a dot ("dr.").
"""
from __future__ import annotations

import re

ABBREVIATIONS: dict[str, str] = {
    "yg": "yang", "dgn": "dengan", "dg": "dengan", "utk": "untuk", "dlm": "dalam", "brp": "berapa",
    "brapa": "berapa", "tdk": "tidak", "gak": "tidak", "nggak": "tidak", "ngga": "tidak", "sdh": "sudah",
    "udh": "sudah", "udah": "sudah", "blm": "belum", "krn": "karena", "karna": "karena", "jg": "juga",
    "gmn": "bagaimana", "gimana": "bagaimana", "bgmn": "bagaimana", "knp": "kenapa", "kpn": "kapan",
    "dmn": "di mana", "spt": "seperti", "sbg": "sebagai", "tsb": "tersebut",
    "pd": "pada", "kpd": "kepada", "org": "orang", "thn": "tahun", "bln": "bulan", "tgl": "tanggal",
    "skrg": "sekarang", "sblm": "sebelum", "stlh": "setelah", "ssdh": "sesudah", "hrs": "harus",
    "bs": "bisa", "klo": "kalau", "kalo": "kalau", "trs": "terus", "sj": "saja", "aja": "saja",
    "dll": "dan lain-lain", "dsb": "dan sebagainya", "bbrp": "beberapa", "sbrp": "seberapa",
    "kmrn": "kemarin", "lg": "lagi", "ttg": "tentang", "dri": "dari",
}
_WORD = re.compile(r"(?<![\w.])([A-Za-z]+)(?![\w.])")


def expand_abbreviations(text: str) -> str:
    """``text`` with chat abbreviations written out ("brp peserta yg …" → "berapa peserta yang …");
    acronyms in capitals and words with a dot are left as they are."""
    def full(match: re.Match) -> str:
        word = match.group(1)
        if len(word) > 1 and word.isupper():
            return word
        expansion = ABBREVIATIONS.get(word.lower())
        if expansion is None:
            return word
        return expansion.capitalize() if word[0].isupper() else expansion

    return _WORD.sub(full, text)
