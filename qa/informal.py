"""Questions as users type them, written the way the reader learned to read them.

Users type questions the way they chat: "brp peserta yg diundang dlm pertemuan smart city", all in
lower case, without a question mark. The reader was trained on written questions ("Berapa peserta
yang diundang dalam pertemuan Smart City?"), and it reads chat-style ones worse: on lower-cased
copies of the validation questions without "?", IDK-MRC F1 fell 0.791 → 0.646 and "not found"
accuracy 85 % → 57 % (docs/results.md). :func:`reader_question` undoes the three differences:
chat abbreviations are written out (:func:`expand_abbreviations`, Indonesian only; acronyms in
capitals and words with a dot are kept), an all-lower-case question takes the casing the passages
use for its words (:func:`restore_casing`), and a question mark is added (:func:`with_question_mark`).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

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


_TOKEN = re.compile(r"\w+(?:[-.]\w+)*")


def restore_casing(question: str, texts: list[str]) -> str:
    """A question typed all in lower case, with names written as ``texts`` write them.

    "siapa walikota shenzhen" over a passage naming "Shenzhen" reads "Siapa walikota Shenzhen":
    each word takes the casing the passages use most often for it (a word they write in lower
    case at least as often stays lower case; a capital after a sentence end is no evidence) and
    the first letter is a capital. A question with any capital letter is returned unchanged.
    """
    if not question.strip() or any(ch.isupper() for ch in question):
        return question
    forms: dict[str, Counter[str]] = {}
    wanted = {m.group(0) for m in _TOKEN.finditer(question)}
    for text in texts:
        for m in _TOKEN.finditer(text):
            word = m.group(0)
            low = word.lower()
            before = text[max(0, m.start() - 3):m.start()].rstrip()
            if low in wanted and (word == low or (before and before[-1] not in '.!?"\'«“')):
                forms.setdefault(low, Counter())[word] += 1

    def cased(match: re.Match) -> str:
        word = match.group(0)
        seen = forms.get(word)
        if not seen:
            return word
        best = max(seen, key=lambda form: (seen[form], form == word))
        return word if seen[word] >= seen[best] else best

    out = _TOKEN.sub(cased, question.strip())
    return out[0].upper() + out[1:]


def with_question_mark(question: str) -> str:
    """``question`` ending in "?" (a question typed without one, or ending in "."/"!", gets it)."""
    text = question.rstrip()
    if not text or text.endswith("?"):
        return text
    return text.rstrip(".!。 ") + "?"


def mostly_english(passage_languages: Sequence[str]) -> bool:
    """Whether more than half of the passages (given by language) are English."""
    return sum(lang == "en" for lang in passage_languages) * 2 > len(passage_languages)


def reader_question(question: str, texts: list[str], language: str,
                    passage_languages: Sequence[str] | None = None) -> str:
    """``question`` as the reader should read it over passages ``texts`` (see the module text).

    An English question over mostly English passages (by ``passage_languages``, one per text) is
    left as typed: the reader learned English-over-English from QED's lower-case questions without
    "?", and there the rewrite cost F1 (QED-EN 0.674 → 0.636), while over Indonesian passages it helps.
    """
    if language == "en" and passage_languages and mostly_english(passage_languages):
        return question
    if language == "id":
        question = expand_abbreviations(question)
    return with_question_mark(restore_casing(question, texts))
