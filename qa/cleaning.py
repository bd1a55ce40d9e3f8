"""Clean scraped article text and extract its metadata (title, outlet, date, place).

:func:`clean_text` removes web boilerplate (ads, share widgets, related-article links,
pagination, credits, copyright lines, ...) line by line and pulls metadata out of the
dateline, "published" lines and copyright notices. :mod:`qa.ingest` also uses
:func:`normalize_whitespace` and :func:`parse_date` for metadata given in HTML ``<meta>``
tags and JSON fields. Dependencies point one way: this module never imports :mod:`qa.ingest`.
"""
from __future__ import annotations

import re

__all__ = [
    "CLEANER_VERSION", "clean_text", "normalize_whitespace", "find_date", "parse_date", "canonical_outlet",
]

CLEANER_VERSION = 1
"""Bump when :func:`clean_text` changes output, so indexes keyed on ``content_hash`` can rebuild."""

_MONTHS = {
    "januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "agustus": 8,
    "september": 9, "oktober": 10, "november": 11, "desember": 12, "january": 1, "february": 2,
    "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11, "des": 12, "dec": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY = (r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|"
        r"saturday|sunday|mon|tue|wed|thu|fri|sat|sun)")
_DATE = (
    r"(?:(?P<y1>\d{4})-(?P<m1>\d{2})-(?P<d1>\d{2})"
    r"|(?P<d2>\d{1,2})[/.-](?P<m2>\d{1,2})[/.-](?P<y2>\d{4})"
    rf"|(?:\d{{1,2}}\s*[-–]\s*)?(?P<d3>\d{{1,2}})\s+(?P<m3>{_MONTH})\.?\s+(?P<y3>\d{{4}})"
    rf"|(?P<m4>{_MONTH})\.?\s+(?P<d4>\d{{1,2}}),?\s+(?P<y4>\d{{4}}))"
)
_DATED = re.compile(rf"(?<![\w/.-])(?:{_DAY}\s*,?\s*)?(?P<po>\()?{_DATE}(?(po)\))(?![\w/])", re.I)
_TIME = (r"(?:\s*[,|–—-]?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[AP]M)?\s*(?:WIB|WITA|WIT|GMT|UTC)?"
         r"(?:\s*[+-]\d{1,2}(?::?\d{2})?)?)?")
_META_LINE = re.compile(
    rf"(?:(?:diperbarui|diterbitkan|dipublikasikan|published|updated|posted|tayang)\s*:?\s*)?"
    rf"(?:(?P<outlet>[\w.+&' ]{{2,40}}?)\s*[-–—|,]\s*)?(?P<when>{_DATED.pattern}{_TIME})",
    re.I,
)
_PLACE = r"(?P<place>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
_DOMAIN = r"[A-Za-z][\w-]*\.(?:com|COM|co\.id|CO\.ID|co|CO|id|ID|net|org)"
_DASH = r"\s*[-–—]{1,2}\s+\S"
_DATELINES = tuple(re.compile(p + _DASH) for p in (
    rf"(?P<outlet>{_DOMAIN}),\s*" + _PLACE,  # TEMPO.CO, Jakarta -
    _PLACE + r",\s*(?P<outlet>[A-Za-z][\w.+-]*(?:\s+[A-Z][\w.+-]*){0,2})",  # JAKARTA, KOMPAS.com -
    _PLACE + r"\s*\((?P<outlet>[A-Za-z][\w.+ -]{1,30})\)",  # Jakarta (ANTARA) -
    rf"(?P<outlet>{_DOMAIN}|[A-Z][A-Z0-9]{{2,}})",  # ANDALPOST.COM – / VIVA – (known outlets only)
))
_COPYRIGHT = re.compile(
    r"(?:copyright|hak cipta)?\s*(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?P<name>[^©\n]*?)\s*(?:\d{4})?"
    r"\s*(?:all rights reserved.*)?$",
    re.I,
)
_KNOWN_OUTLETS = {
    "kompas.com": "Kompas.com", "kompas": "Kompas.com", "viva": "VIVA", "viva.co.id": "VIVA",
    "inews.id": "iNews.id", "inews": "iNews.id", "antara": "ANTARA", "antaranews": "ANTARA",
    "antaranews.com": "ANTARA", "andalpost.com": "ANDALPOST.COM", "detikcom": "detikcom", "detik.com": "detikcom",
    "liputan6.com": "Liputan6.com", "tempo.co": "Tempo.co", "cnn indonesia": "CNN Indonesia",
    "tribunnews.com": "Tribunnews.com", "okezone.com": "Okezone", "suara.com": "Suara.com",
    "republika.co.id": "Republika", "bisnis.com": "Bisnis.com", "jpnn.com": "JPNN.com",
}
# Families of web boilerplate; each must match a whole (normalised) line, case-insensitively.
_BOILERPLATE_FAMILIES = (
    # subscription, ads, reading aids
    r"baca berita tanpa iklan.*|.*\bgabung \S+\+|close ads?|tutup iklan|advertisement|iklan|ads?|sponsored",
    r"scroll (?:to|untuk|ke) .{0,40}|lanjutkan membaca.*|\d+ (?:menit|min) (?:baca|read)",
    # related-article links, photo links and photo credits ("KOMPAS.com/BUDI", "VIVA/Dede")
    r"(?:baca|lihat|simak|tonton|cek) (?:juga|pula)\b.*|lihat (?:foto|video|semua)",
    r"(?-i:(?:[A-Z][A-Z.]+[a-z.]*|[\w-]+\.(?:com|id|co\.id))/[\w '-]{1,40})",
    r"(?:berita|artikel|video) (?:terkait|lainnya|pilihan|populer|terpopuler|rekomendasi)\s*:?|terpopuler|trending",
    # pagination
    r"(?:halaman|page)\s*:?\s*(?:\d+\s*)+|(?:halaman|page)\s+(?:selanjutnya|berikutnya|sebelumnya|next"
    r"|\d+(?:\s*(?:dari|of)\s*\d+)?)|(?:selanjutnya|sebelumnya|next|previous|load more|muat lebih banyak"
    r"|tampilkan semua|show all)\s*[»›>]?",
    # "Simak breaking news ...", "Ikuti ... WhatsApp Channel", app promotion
    r"simak\b.*\b(?:breaking news|selengkapnya|berita pilihan|whatsapp|google news|channel|saluran|video)\b.*",
    r"(?:ikuti|follow|gabung|join|dapatkan|download|unduh|install|subscribe|(?:ber)?langganan)\b.*\b(?:whatsapp"
    r"|telegram|google news|newsletter|instagram|twitter|facebook|youtube|tiktok|update berita|breaking news"
    r"|(?:channel|saluran) \w+ kami)\b.*|(?:download|unduh|install)\b.*\baplikasi\b.*",
    # share / login / comment widgets and button labels
    r"(?:bagikan|share)(?: (?:artikel|berita)(?: ini)?| this article)?(?: (?:melalui|via|ke|on))?\s*:?",
    r"(?:salin|copy) (?:link|tautan).*|(?:link|tautan) (?:berhasil )?(?:disalin|tersalin|copied).*",
    r"ok(?:e|ay)?|batal|cancel|tutup|close",
    r"(?:login|log in|sign in|sign up)\b.*|(?:masuk|daftar)(?:\s+(?:akun|sekarang|gratis|di sini))?",
    r"(?:\d+\s+)?(?:komentar|comments?)|(?:tulis|lihat|kirim|tampilkan) komentar.*",
    # newsroom credits, sources, copyright
    r"tim redaksi|redaksi|(?:penulis|reporter)\b.{0,80}\|\s*(?:editor|penyunting)\b.{0,80}",
    r"a member of(?:\s+[\w&-]+){0,4}|(?:fuente|source|sumber)(?:\s*:\s*.{0,80})?",
    r"(?:pewarta|editor|penulis|reporter|redaktur|penyunting|fotografer|kontributor|penerjemah|writer|author"
    r"|produser|foto|photo|sumber foto|grafis|infografis|oleh|by)\s*:.{0,100}",
    r"(?:copyright|hak cipta)\b.*|©.*|\(c\)\s*\d{4}.*|.*all rights reserved.*"
    r"|.*dilarang (?:keras )?(?:mengambil|mengutip|menyalin)\b.*",
    r"artikel ini (?:merupakan bagian dari|telah tayang|sudah tayang|tayang|telah terbit|pertama kali|juga tayang"
    r"|telah dimuat|sudah dimuat)\b.*",
    # language switchers, image captions, tags, breadcrumbs, "(ant)" initials
    r"(?:bahasa indonesia|bahasa inggris|english|indonesia)\s*:|ilustrasi\b(?:\s+\S+){0,20}",
    r"(?:tags?|topik|kata kunci|keywords?|label)\s*:.*|\(\s*[\w*/. -]{1,25}\)|(?:home|beranda)\s*[›>»/|].*",
)
_BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in _BOILERPLATE_FAMILIES), re.I)
_BARE_READ_ALSO = re.compile(r"(?:baca|lihat|simak) (?:juga|pula)\s*:?", re.I)
_BYLINE_MARKER = re.compile(r"tim redaksi|penulis|reporter", re.I)
_NAME_LINE = re.compile(r"[A-Z][\w'.-]*(?:\s+(?:[A-Z][\w'.-]*|bin|binti|van|de|al)){0,4},?")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\f\v]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_META_KEYS = ("title", "outlet", "date_text", "date", "place")


def normalize_whitespace(text: str) -> str:
    """NBSP and other spaces become one space per run; lines are stripped; at most one blank line in a row."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _iso_from_match(m: re.Match) -> str | None:
    """Turn a :data:`_DATED` match into ``yyyy-mm-dd`` (None when it is not a real date)."""
    from datetime import date

    g = m.groupdict()
    if g["y1"]:
        y, mo, d = int(g["y1"]), int(g["m1"]), int(g["d1"])
    elif g["y2"]:
        y, d, mo = int(g["y2"]), int(g["d2"]), int(g["m2"])
        if mo > 12 >= d:  # US order, 7/31/2024
            d, mo = mo, d
    elif g["y3"]:
        y, d, mo = int(g["y3"]), int(g["d3"]), _MONTHS[g["m3"].lower()]
    else:
        y, d, mo = int(g["y4"]), int(g["d4"]), _MONTHS[g["m4"].lower()]
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str, str] | None:
    """Return ``(iso_date, date_as_written)`` for the first real date in ``text`` ("2-6 Sept 2024" gives the 6th)."""
    for m in _DATED.finditer(text):
        iso = _iso_from_match(m)
        if iso:
            return iso, m.group().strip()
    return None


def parse_date(value: str) -> str | None:
    """Parse an ISO timestamp or a written date (Indonesian or English) to ``yyyy-mm-dd``."""
    iso = re.match(r"\s*(\d{4}-\d{2}-\d{2})(?:[T ]|$)", value)
    found = find_date(iso.group(1) if iso else value)
    return found[0] if found else None


def canonical_outlet(name: str) -> str:
    """Map an outlet as written ("KOMPAS.com", "ANTARA News Bali") to its usual name."""
    name = name.strip(" -–—|,.")
    key = name.lower()
    if key in _KNOWN_OUTLETS:
        return _KNOWN_OUTLETS[key]
    first = key.split()[0] if key.split() else key
    return _KNOWN_OUTLETS.get(first, name)


def _is_headline(line: str) -> bool:
    """Short line without a final period/comma, like a headline or a linked article title."""
    words = line.split()
    return 2 <= len(words) <= 25 and line[-1] not in ".,;:" and (line[0].isupper() or line[0].isdigit())


def _dateline(line: str) -> re.Match | None:
    """Match a dateline opening such as "JAKARTA, KOMPAS.com - " at the start of ``line``."""
    for pattern in _DATELINES:
        m = pattern.match(line)
        if m and (m.re is not _DATELINES[-1] or "." in m["outlet"] or m["outlet"].lower() in _KNOWN_OUTLETS):
            return m
    return None


def _dedupe_key(line: str) -> str | None:
    words = re.findall(r"\w+", line.lower())
    return " ".join(words) if len(words) >= 6 else None


def clean_text(raw: str) -> tuple[str, dict]:
    """Remove web boilerplate from an article and extract its metadata.

    Args:
        raw: Article text as scraped (Kompas, VIVA, ANTARA, iNews, ... page text).

    Returns:
        ``(body, meta)``: the body (line structure kept, runs of blank lines collapsed to one), and
        ``meta`` with keys title, outlet, date_text, date (ISO) and place (None when absent).
    """
    meta: dict = dict.fromkeys(_META_KEYS)
    outlets: dict[str, str] = {}
    kept: list[str | None] = []  # None marks a removed metadata line (a barrier for byline removal)
    seen: set[str] = set()
    skip_headline = False
    for line in normalize_whitespace(raw).split("\n"):
        if not line:
            kept.append("")
            continue
        if skip_headline:
            skip_headline = False
            if _is_headline(line):
                continue
        m = _META_LINE.fullmatch(line)
        if m:
            outlet, when = m.group("outlet"), m.group("when")
            if outlet and ("." in outlet or outlet.strip().lower() in _KNOWN_OUTLETS):
                outlets.setdefault("meta", canonical_outlet(outlet))
            elif outlet:
                when = line  # "Rabu, 31 Juli 2024" or "Jakarta, 5 Mei 2024": all of it is the date text
                if not re.fullmatch(_DAY, outlet.strip(), re.I):
                    meta["place"] = meta["place"] or outlet.strip()
            if not meta["date"]:
                meta["date"], meta["date_text"] = _iso_from_match(_DATED.search(when)), when.strip(" -–—|")
            kept.append(None)
            continue
        c = _COPYRIGHT.match(line)
        if c and c.group("name") and ("©" in line or "(c)" in line.lower() or "copyright" in line.lower()):
            outlets.setdefault("copyright", canonical_outlet(c.group("name")))
        if _BARE_READ_ALSO.fullmatch(line):
            skip_headline = True
            continue
        if _BYLINE_MARKER.fullmatch(line):
            _drop_byline(kept)
        if _BOILERPLATE.fullmatch(line):
            continue
        key = _dedupe_key(line)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        kept.append(line)
    lines = [line for line in kept if line is not None]
    content = [i for i, line in enumerate(lines) if line]
    if len(content) >= 2 and _is_headline(lines[content[0]]) and not _dateline(lines[content[0]]):
        if len(lines[content[0]].split()) <= 16:
            meta["title"] = lines.pop(content[0])
    for line in [line for line in lines if line][:3]:
        d = _dateline(line)
        if d:
            outlets.setdefault("dateline", canonical_outlet(d.group("outlet")))
            meta["place"] = d.groupdict().get("place") or meta["place"]
            break
    meta["outlet"] = outlets.get("dateline") or outlets.get("meta") or outlets.get("copyright")
    body = normalize_whitespace("\n".join(lines))
    if not meta["date"]:
        found = find_date(body)
        if found:
            meta["date"], meta["date_text"] = found
    return body, meta


def _drop_byline(kept: list[str | None]) -> None:
    """Remove the author-name lines just above a "Tim Redaksi" marker (stops at a metadata line)."""
    i, removed = len(kept) - 1, 0
    while i >= 0 and removed < 4:
        line = kept[i]
        if line is None:
            return
        if line and not (_NAME_LINE.fullmatch(line) and not any(ch.isdigit() for ch in line)):
            return
        if line:
            del kept[i]
            removed += 1
        i -= 1
