"""Indonesian-vs-English language detection for questions and passages.

langdetect alone is unreliable on short questions ("Siapa walikota Shenzhen" comes
out as Swahili), so :func:`detect_language` combines two signals:

1. Lexical evidence: Indonesian and English question words, function words,
   chat abbreviations (``yg``, ``brp``) and, as weaker evidence, Indonesian
   affixes (``me-``, ``ber-``, ``di-...-kan``, ``-nya``).
2. langdetect restricted to Indonesian and English only (a private detector
   factory that loads just those two profiles, seeded for determinism).

Strong lexical evidence decides on its own; otherwise the two are combined, and
text with no usable evidence gets the ``default`` language. Names and titles inside a sentence
(capitalised runs such as "The Washington Post" or "Fly to the Sky") are set aside first when
the rest of the text still holds evidence: they are in whatever language their owner chose, not
the asker's ("Kapan The Washington Post berdiri?" is Indonesian).
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from typing import Literal

Language = Literal["id", "en"]

logger = logging.getLogger("qa.language")

DEFAULT_LANGUAGE: Language = "id"
"""Default for empty or neutral text: the corpus is Indonesian."""

# Weight 2: question words and very frequent function words that are unambiguous.
_ID_STRONG = frozenset(
    """
    siapa siapakah apa apakah apaan kapan kapankah mengapa kenapa berapa berapakah
    bagaimana bagaimanakah gimana dimana dimanakah manakah darimana kemana mana
    yang dan dengan untuk dari dalam pada adalah ialah ini itu tersebut tidak bukan
    sudah telah belum akan sedang juga atau tetapi tapi karena sebagai oleh bagi
    kepada antara tentang seperti saja lagi hanya masih bisa dapat harus ada
    yg dgn utk dlm brp tdk sdh blm krn jg gmn knp kpn dmn bgmn spt sbg tsb
    """.split()
)
# Weight 1: common Indonesian content words frequent in news questions.
_ID_WEAK = frozenset(
    """
    di ke se nya para sang si kah lah pun agar supaya jika kalau bila saat ketika
    setelah sebelum sejak hingga sampai selama bersama serta namun maupun yakni yaitu
    tahun bulan hari tanggal minggu jam kota negara kabupaten provinsi desa ibu bapak
    pemerintah presiden menteri kepala gubernur walikota wali bupati kementerian
    dinas kantor rakyat warga orang peserta kerja sama baru lama besar kecil pertama
    kedua ketiga berita artikel singkatan arti nama jumlah berapa pertemuan acara
    kegiatan siapa saja mana apa saja tempat lokasi waktu alasan tujuan hasil dampak
    banyak sedikit semua seluruh beberapa sebuah seorang salah satu lebih paling sangat
    tanpa hal cara dia mereka kami kita kamu anda saya beliau ia
    """.split()
)
_EN_STRONG = frozenset(
    """
    who whom whose what when where why how which the of is are was were did does do
    doesn't didn't isn't aren't wasn't weren't has have had been being will would
    should could can can't cannot shall may might must and or but not with from for
    to in on at by into about than then this that these those there their they its
    a an if also only after before during while between among against
    """.split()
)
_EN_WEAK = frozenset(
    """
    he she we you i it his her our your them him us me my
    name role job title meaning mean stand stands acronym abbreviation short full
    year years month day date time city cities country countries capital government
    president minister mayor governor head chief ministry agency official officials
    meeting event signed sign signing agreement cooperation partner partnership
    attend attended held hold take took give gave say said tell told show shows
    many much number people person first second third new old large small
    according reason purpose result results kind type part parts member members
    article news report reported mentioned described called known
    """.split()
)
_ID_PREFIX = re.compile(r"^(?:meng|meny|mem|men|me|ber|be|ter|per|pe|di|ke)[a-z]{3,}$")
_ID_SUFFIX = re.compile(r"^[a-z]{3,}(?:kan|nya|lah|kah)$")
_EN_MORPH = re.compile(r"^[a-z]{3,}(?:ing|tion|sion|ed|ly|ness|ment|'s|s')$")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)

_TOKEN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?:;\"“”]$")
# Lower-case words that join the capitalised words of one title ("Fly to the Sky", "Church of God").
_NAME_JOINERS = frozenset("of the to and for a an in on at de van von der da di al bin binti dan".split())

_STRONG_MARGIN = 2.0
_LANGDETECT_WEIGHT = 2.0
_MIN_LANGDETECT_LETTERS = 4

_lock = threading.Lock()
_factory = None  # langdetect DetectorFactory with only id + en, created lazily


def _get_factory():
    """Build (once) a langdetect factory that knows only Indonesian and English."""
    global _factory
    if _factory is None:
        from pathlib import Path

        import langdetect
        from langdetect.detector_factory import DetectorFactory

        profiles = Path(langdetect.__file__).parent / "profiles"
        factory = DetectorFactory()
        factory.load_json_profile(
            [(profiles / lang).read_text(encoding="utf-8") for lang in ("id", "en")]
        )
        factory.seed = 0
        DetectorFactory.seed = 0
        _factory = factory
    return _factory


def langdetect_probabilities(text: str) -> dict[str, float]:
    """Return langdetect's ``{"id": p, "en": p}`` for ``text`` (empty dict when it cannot tell)."""
    try:
        from langdetect.lang_detect_exception import LangDetectException
    except ImportError:  # pragma: no cover - langdetect is a hard dependency
        logger.warning("langdetect is not installed; using word lists only (pip install langdetect)")
        return {}
    with _lock:
        try:
            detector = _get_factory().create()
            detector.append(text)
            probs = detector.get_probabilities()
        except LangDetectException:
            return {}
    return {p.lang: float(p.prob) for p in probs if p.lang in ("id", "en")}


def lexical_scores(text: str) -> tuple[float, float]:
    """Score ``text`` as (indonesian, english) from word lists and affixes."""
    id_score = en_score = 0.0
    for raw in _WORD.findall(text.lower().replace("’", "'")):
        word = raw
        if word in _ID_STRONG:
            id_score += 2.0
        elif word in _ID_WEAK:
            id_score += 1.0
        if word in _EN_STRONG:
            en_score += 2.0
        elif word in _EN_WEAK:
            en_score += 1.0
        if word in _ID_STRONG or word in _ID_WEAK or word in _EN_STRONG or word in _EN_WEAK:
            continue
        if _ID_PREFIX.match(word) or _ID_SUFFIX.match(word):
            id_score += 0.5
        if _EN_MORPH.match(word):
            en_score += 0.5
    return id_score, en_score


def without_names(text: str) -> str:
    """``text`` without the capitalised runs (names, titles) that do not start a sentence.

    A run is capitalised words, with lower-case joiners ("of", "to the") between two of them;
    a sentence's first word is never part of one ("Who is Rowlett?" keeps "Who is").
    """
    tokens = [m.group() for m in _TOKEN.finditer(text)]
    capitalised = []
    for i, token in enumerate(tokens):
        letters = [ch for ch in token if ch.isalpha()]
        starts_sentence = i == 0 or bool(_SENTENCE_END.search(tokens[i - 1]))
        capitalised.append(bool(letters) and letters[0].isupper() and not starts_sentence)
    keep = []
    for i, token in enumerate(tokens):
        name = capitalised[i]
        if not name and token.lower() in _NAME_JOINERS:
            before = any(capitalised[j] for j in range(max(0, i - 2), i))
            after = next((capitalised[j] for j in range(i + 1, len(tokens))
                          if tokens[j].lower() not in _NAME_JOINERS), False)
            name = before and after
        if not name:
            keep.append(token)
    return " ".join(keep)


def detect_language(text: str, default: Language = DEFAULT_LANGUAGE) -> Language:
    """Detect whether ``text`` is Indonesian (``"id"``) or English (``"en"``).

    Args:
        text: A question or passage; may be very short ("Kapan?").
        default: Returned for empty or neutral text (numbers, bare names).

    Returns:
        ``"id"`` or ``"en"``.
    """
    if not text or not text.strip():
        return default
    rest = without_names(text)
    id_score, en_score = lexical_scores(rest)
    if id_score or en_score:
        text = rest  # the words around the names hold evidence: judge by them alone
    else:
        id_score, en_score = lexical_scores(text)
    margin = id_score - en_score
    if abs(margin) >= _STRONG_MARGIN:
        return "id" if margin > 0 else "en"
    letters = sum(ch.isalpha() for ch in text)
    if letters >= _MIN_LANGDETECT_LETTERS:
        probs = langdetect_probabilities(text)
        if probs:
            # Longer text makes langdetect more trustworthy.
            weight = _LANGDETECT_WEIGHT * min(1.0, letters / 20.0)
            margin += weight * (probs.get("id", 0.0) - probs.get("en", 0.0))
    if abs(margin) < 0.25:
        return default
    return "id" if margin > 0 else "en"


def passage_languages(texts: Iterable[str]) -> list[Language]:
    """The language of each passage, judged from its first 400 characters."""
    return [detect_language(text[:400]) for text in texts]
