"""Complete a chosen answer span from the article's text, by the kind of answer the question asks for.

The span model often stops one word short: "Bambang" for "Bambang Susantono", "(27/7/2023)" without
its day name "Kamis", "30" without "tahun". Each rule looks only at the text around the span:

* ``name`` (a "siapa"/"who" question, :mod:`qa.reader.answer_type`): a span that starts or ends with
  a capitalised word takes the whole name: the capitalised words after it (with particles such as
  "bin", initials such as "M.") and before it (abbreviated titles "Dr.", "Prof.", "H."; not offices
  such as "Presiden", which the answer rarely includes);
* ``acronym``: a name of two or more words followed by its acronym in brackets takes it
  ("Otorita Ibu Kota Nusantara" → "Otorita Ibu Kota Nusantara (OIKN)");
* ``date`` (a "kapan"/"when" question): the day name before the date and the brackets around it
  ("(27/7/2023)" → "Kamis (27/7/2023)", "Selasa, (4/7/2023)"), a day number before a month and a
  year after it ("Juli 2023" → "29 Juli 2023");
* ``number`` (a "berapa"/"how many" question): a bare number takes its scale word and unit
  ("30" → "30 tahun", "2,5" → "2,5 juta jiwa"), but an ordinal ("ke-30") takes none;
* ``list`` (a question that asks for several items, :func:`qa.reader.answer_type.asks_for_list`):
  the span takes the rest of the enumeration it starts ("Uni Eropa" → "Uni Eropa dan NATO",
  "pipistrelle yang umum dan sopran" → "… serta kelelawar coklat bertelinga panjang dan Daubenton"),
  item by item up to a sentence end, a preposition or ten words an item;
* ``clause`` (any other question, whose answers are phrases): a span never ends inside a word (the
  30-token limit can cut one: "di bidang pe" → "di bidang penanggulangan") nor on a word that
  cannot end a phrase ("kota cerdas dan" → "kota cerdas").

Which rules run is ``span_completion`` in ``reader_config.json`` (each was kept only where it raised
validation F1; the model card has the table). Offsets stay exact: the result is always a slice of
the passage text.
"""
from __future__ import annotations

import re

from qa.reader.answer_type import DATE, NAME, NUMBER
from qa.render import DAYS

RULES = ("name", "acronym", "date", "number", "clause", "list")

HONORIFICS = frozenset("""
dr dr. drs drs. prof prof. ir ir. h h. hj hj. kh k.h. drg drg. mr mr. mrs mrs. ms ms. sir st st. hon.
""".split())
PARTICLES = frozenset("bin binti van von de da del der den du al el la le ibn".split())
_DAY = "|".join(sorted({d.lower() for d in DAYS} | {"jum'at", "jumat"}, key=len, reverse=True))
_DAY_BEFORE = re.compile(rf"(?:^|(?<=\s))({_DAY}),?\s*\(?$", re.IGNORECASE)
_MONTHS = ("januari februari maret april mei juni juli agustus september oktober november desember "
           "january february march may june july august october december jan feb mar apr jun jul agu agt "
           "aug sep sept okt oct nov des dec").split()
UNITS = frozenset("""
tahun bulan minggu pekan hari jam menit detik abad dekade persen % orang jiwa warga penduduk peserta
unit buah ekor kali kg kilogram gram ton liter meter km kilometer hektare hektar ha m2 km2 mil
rupiah dolar euro yen yuan negara kota provinsi kabupaten desa pulau lantai kursi suara medali gol
years year months month weeks week days day hours hour minutes percent people persons units times
tonnes tons metres meters kilometres kilometers hectares miles dollars countries cities seats votes
""".split())
SCALES = frozenset("ribu juta miliar milyar triliun thousand million billion trillion".split())
_WORD_AFTER = re.compile(r"\s*([^\W_]+%?|%)")
_TOKEN_BEFORE = re.compile(r"(\S+)\s*$")
_CAPITAL_AFTER = re.compile(r"(\s+)((?:[A-Z][\w'’-]*\.?|[A-Z]\.)+)")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z0-9&.-]{1,11})\)")


def complete_span(text: str, cs: int, ce: int, kind: str | None, rules: tuple[str, ...] | list[str],
                  listing: bool = False) -> tuple[int, int]:
    """The span ``[cs, ce)`` of ``text`` completed by ``rules`` for an answer of ``kind``.

    Args:
        text: the passage text the offsets refer to.
        cs, ce: the span as the reader chose it (already trimmed).
        kind: ``"name"``, ``"date"``, ``"number"`` or None (:func:`qa.reader.answer_type.expected_kind`).
        rules: which of :data:`RULES` to apply.
        listing: the question asks for several items (the ``list`` rule applies).

    Returns:
        The new ``(start, end)``: it never starts later; only ``clause`` may end earlier (a dangling
        last word dropped).

    Raises:
        ValueError: an unknown rule name.
    """
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise ValueError(f"Unknown span completion rule(s) {unknown}. Supported rules: {list(RULES)}")
    if kind == NAME:
        if "name" in rules:
            cs, ce = _whole_name(text, cs, ce)
        if "acronym" in rules:
            cs, ce = _acronym(text, cs, ce)
    elif kind == DATE and "date" in rules:
        cs, ce = _whole_date(text, cs, ce)
    elif kind == NUMBER and "number" in rules:
        cs, ce = _with_unit(text, cs, ce)
    elif kind is None and "clause" in rules:
        cs, ce = _whole_phrase(text, cs, ce)
    if listing and "list" in rules:
        cs, ce = _whole_list(text, cs, ce)
    return cs, ce


_LIST_LINK = re.compile(r"(,\s*(?:(?:dan|serta|and|atau|or)\s+)?|\s+(?:dan|serta|and|atau|or)\s+)")
_ITEM_STOP = frozenset("""
di pada untuk dalam ke dari oleh sejak selama dengan yang bagi sebagai akan telah sudah adalah merupakan
juga in at on for from by since with which who that is are was were will
""".split())
_MAX_ITEM_WORDS = 10
_VERB_LIKE = re.compile(r"^(me|mem|men|meng|meny|di)[a-z]{3,}$")  # "… Kabupaten Sumedang mengirim"


def _whole_list(text: str, cs: int, ce: int) -> tuple[int, int]:
    names = all(_is_capitalised(w) or w.lower() in PARTICLES for w in text[cs:ce].split())
    while True:
        link = _LIST_LINK.match(text, ce)
        if not link:
            return cs, ce
        at, words, end = link.end(), 0, None
        for m in re.finditer(r"\S+", text[at:]):
            word = m.group(0)
            bare = word.strip(",;:.!?\"'”’)(").lower()
            if (words and (bare in _ITEM_STOP or _VERB_LIKE.match(bare))) or bare in ("dan", "serta", "and", "atau", "or") or words >= _MAX_ITEM_WORDS:
                break
            if names and not (_is_capitalised(word) or bare in PARTICLES):
                break  # a list of names goes on with names only ("Sigi dan Boutong sulit" → "… Boutong")
            words += 1
            end = at + m.start() + len(word.rstrip(",;:.!?\"'”’"))
            if word != word.rstrip(",;:.!?"):
                break  # the item ends at punctuation
        if end is None or words == 0:
            return cs, ce
        ce = end


DANGLING = frozenset("""
dan atau serta di ke dari yang untuk dengan pada oleh dalam bagi tetapi namun karena sebagai antara
akan telah sudah juga itu ini para sang the of and or to in on at for with by from a an as that
""".split())


def _whole_phrase(text: str, cs: int, ce: int) -> tuple[int, int]:
    while ce < len(text) and text[ce].isalnum() and ce > cs and text[ce - 1].isalnum():
        ce += 1  # finish a word cut by the token limit
    while True:
        m = re.search(r"(?:^|\s)([^\W\d_]+)[,;:]?$", text[cs:ce])
        if not m or m.group(1).lower() not in DANGLING or m.start(1) == 0:
            break
        ce = cs + m.start(1)
        while ce > cs and (text[ce - 1].isspace() or text[ce - 1] in ",;:"):
            ce -= 1
    return cs, ce


def _is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _whole_name(text: str, cs: int, ce: int) -> tuple[int, int]:
    span = text[cs:ce]
    words = span.split()
    if not words or not (_is_capitalised(words[0]) or _is_capitalised(words[-1])):
        return cs, ce
    if _is_capitalised(words[-1]):
        while True:  # capitalised words (and particles between them) right after the span
            m = _CAPITAL_AFTER.match(text, ce)
            if m:
                ce = m.end(2)
                continue
            p = re.match(r"\s+([a-z]+)(?=\s+[A-Z])", text[ce:])
            if p and p.group(1) in PARTICLES:
                ce += p.end(1)
                continue
            break
        if text[ce - 1:ce] == "." and not re.search(r"(?:^|\s)(?:[A-Z]\.)+$|(?:^|\s)[A-Z][a-z]{0,2}\.$", text[cs:ce]):
            ce -= 1  # a sentence's full stop, not an initial
    if _is_capitalised(words[0]):
        while True:  # abbreviated titles right before the span ("Dr.M. Fadjroel")
            m = _TOKEN_BEFORE.search(text, 0, cs)
            if not m:
                break
            token = m.group(1)
            glued = re.match(r"^((?:[A-Z][a-z]{0,3}\.)+)$", token)
            if token.lower() in HONORIFICS or glued:
                cs = m.start(1)
                continue
            break
        head = re.search(r"((?:[A-Za-z]{1,4}\.)+)$", text[max(0, cs - 12):cs])
        if head and head.group(1).split(".")[0].lower() + "." in HONORIFICS:
            cs -= len(head.group(1))  # "Dr.M.Fadjroel" written without a space
    return cs, ce


def _acronym(text: str, cs: int, ce: int) -> tuple[int, int]:
    words = text[cs:ce].split()
    if len(words) < 2 or not _is_capitalised(words[0]):
        return cs, ce
    m = _ACRONYM_AFTER.match(text, ce)
    if m:
        initials = "".join(w[0] for w in words if _is_capitalised(w)).upper()
        if m.group(1).upper()[:1] in initials:
            ce = m.end()
    return cs, ce


def _whole_date(text: str, cs: int, ce: int) -> tuple[int, int]:
    if text[cs - 1:cs] == "(" and text[ce:ce + 1] == ")":
        cs, ce = cs - 1, ce + 1
    day = _DAY_BEFORE.search(text, max(0, cs - 12), cs)
    if day:
        cs = day.start(1)
        if text[cs:ce].count("(") > text[cs:ce].count(")") and text[ce:ce + 1] == ")":
            ce += 1
    span = text[cs:ce].lower()
    first = span.split()[0] if span.split() else ""
    if first.strip(".,") in _MONTHS:
        m = re.search(r"(\d{1,2})\s+$", text[max(0, cs - 4):cs])
        if m:
            cs -= len(m.group(0))
    last = text[cs:ce].split()[-1].strip(".,").lower() if text[cs:ce].split() else ""
    if last in _MONTHS:
        m = re.match(r"\s+(\d{4})\b", text[ce:])
        if m:
            ce += m.end(1)
    return cs, ce


def _with_unit(text: str, cs: int, ce: int) -> tuple[int, int]:
    span = text[cs:ce]
    if not re.fullmatch(r"[\d.,]+|[\d.,]+\s+(?:%s)" % "|".join(SCALES), span, re.IGNORECASE):
        return cs, ce
    if re.search(r"\bke-?$", text[max(0, cs - 3):cs], re.IGNORECASE):
        return cs, ce  # an ordinal ("ke-30") takes no unit
    for _ in range(2):  # a scale word, then a unit ("2,5 juta jiwa")
        m = _WORD_AFTER.match(text, ce)
        if not m:
            break
        word = m.group(1).lower()
        if word in SCALES or word in UNITS:
            ce = m.end(1)
            if word in UNITS:
                break
        else:
            break
    return cs, ce
