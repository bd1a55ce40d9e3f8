"""Text analysis for lexical retrieval: one bilingual analyzer for questions and articles.

1. Unicode NFKC, lowercase, accents stripped ("Röntgen" -> "rontgen").
2. Tokenize: words (hyphenated compounds split into their parts, "ASEAN-Jepang" ->
   "asean", "jepang"; reduplication "kota-kota" -> "kota"), numbers kept whole
   ("1.200" -> "1200", "2,5" -> "2.5", "29/7/2023" -> "29/7/2023" plus "29", "7", "2023").
3. Drop Indonesian and English stopwords (question words included) and 1-letter words.
4. Stem: Indonesian stemmer (Sastrawi or Snowball); the ``bi-*`` analyzers then apply the
   English Snowball stemmer to tokens that the Indonesian stemmer left unchanged and that
   are not Indonesian root words (Sastrawi's dictionary), i.e. to English words
   ("meeting" -> "meet") and names, never to Indonesian words.

The default (``DEFAULT_ANALYZER``) was chosen by measurement: see ``bench/BM25.md``.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from qa.stopwords import ENGLISH_STOPWORDS, INDONESIAN_STOPWORDS, STOPWORDS

ANALYZER_NAMES: tuple[str, ...] = (
    "bi-sastrawi",
    "id-sastrawi",
    "bi-snowball",
    "id-snowball",
    "en-snowball",
    "plain",
)
"""Supported analyzer names: ``<languages>-<Indonesian stemmer>``; ``plain`` has no stemming."""

DEFAULT_ANALYZER = "bi-sastrawi"
"""Indonesian stemming helps Indonesian questions, English stemming English ones, and
Sastrawi makes fewer wrong conflations than Snowball Indonesian (see ``bench/BM25.md``)."""

__all__ = ["ANALYZER_NAMES", "DEFAULT_ANALYZER", "ENGLISH_STOPWORDS", "INDONESIAN_STOPWORDS",
           "STOPWORDS", "Analyzer", "make_analyzer", "tokenize"]

# --------------------------------------------------------------------------- tokenizer

# Numbers with internal separators first ("1.200", "2,5", "29/7/2023", "13:48"), then words:
# letters, optionally followed by digits ("g20") unless those digits start a separated
# number ("Rp1.200" -> "rp", "1.200"), optionally joined by hyphens ("asean-jepang").
_TOKEN_RE = re.compile(
    r"\d+(?:[.,:/-]\d+)+"
    r"|\d+"
    r"|[^\W\d_]+(?:\d+(?![.,:/]\d)[^\W_]*)?(?:-[^\W_]+)*"
)
_POSSESSIVE_RE = re.compile(r"['\u2019]s\b")
_APOSTROPHE_RE = re.compile(r"(?<=\w)['\u2019\u02bc](?=\w)")
_SEP_RE = re.compile(r"[.,:/-]")


def _normalize(text: str) -> str:
    """NFKC, lowercase, strip accents, drop apostrophes inside words ("Jum'at" -> "jumat")."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    text = _POSSESSIVE_RE.sub("", text)
    return _APOSTROPHE_RE.sub("", text)


def _number_tokens(num: str) -> list[str]:
    """Tokens for a number with separators: one canonical form, plus parts for dates/ranges."""
    seps = _SEP_RE.findall(num)
    groups = _SEP_RE.split(num)
    kinds = set(seps)
    if kinds <= {".", ","}:
        if len(kinds) == 1 and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
            return ["".join(groups)]  # thousands: "1.200" / "1,200" / "1.200.000"
        if len(kinds) == 1 and len(groups) == 2:
            return [f"{groups[0]}.{groups[1]}"]  # decimal: "2,5" and "2.5" -> "2.5"
        if len(kinds) == 2 and seps[-1] not in seps[:-1]:
            return ["".join(groups[:-1]) + "." + groups[-1]]  # "1.200,50" -> "1200.50"
        return [num]  # e.g. a version number "3.1.2"
    # Dates, times, ranges, codes: "29-7-2023" and "29/7/2023" give the same tokens.
    return [num.replace("-", "/"), *groups]


def tokenize(text: str) -> list[str]:
    """Split text into normalized surface tokens (no stopword removal, no stemming).

    Args:
        text: Any text, Indonesian or English.

    Returns:
        Lowercased tokens; hyphenated words are split into parts (a repeated part,
        as in "kota-kota", is kept once) and numbers are canonicalized.
    """
    out: list[str] = []
    for m in _TOKEN_RE.finditer(_normalize(text)):
        tok = m.group()
        if tok[0].isdigit():
            if len(tok) > 1 and not tok.isdigit():
                out.extend(_number_tokens(tok))
            else:
                out.append(tok)
        elif "-" in tok:
            parts = tok.split("-")
            seen: set[str] = set()
            for p in parts:
                if p not in seen:
                    seen.add(p)
                    out.append(p)
        else:
            out.append(tok)
    return out


# --------------------------------------------------------------------------- stemmers

_CACHE_LIMIT = 500_000  # distinct surface tokens kept per analyzer before the cache resets


@functools.lru_cache(maxsize=1)
def _indonesian_roots() -> frozenset[str]:
    """Sastrawi's dictionary of Indonesian root words (~30k, loaded once per process)."""
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    except ImportError as exc:  # pragma: no cover - dependency is in pyproject
        raise ImportError(
            "PySastrawi is needed for the Indonesian analyzers: pip install PySastrawi"
        ) from exc
    return frozenset(w.strip() for w in StemmerFactory().get_words() if w.strip())


# A word that matches none of Sastrawi's affix rules comes back unchanged: its prefixes
# (di-, ke-, se-, be-, me-, pe-, te-, ku-, kau-), infixes after a first consonant
# (-er-, -el-, -em-, -in-) and suffixes (-lah, -kah, -tah, -pun, -ku, -mu, -nya, -i, -kan,
# -an, -is, -isme). Skipping those words gives identical stems about 4x faster (checked on
# the 72k word types of the benchmark corpus; see bench/bm25_analyzers.py).
_SASTRAWI_AFFIX_RE = re.compile(
    r"^(?:di|ke|se|be|me|pe|te|ku|kau)"
    r"|^[b-df-hj-np-tv-z](?:er|el|em|in)[aiueo]"
    r"|(?:lah|kah|tah|pun|ku|mu|nya|i|kan|an|is|isme)$"
)


@functools.lru_cache(maxsize=1)
def _sastrawi_full_stem_word():
    """Sastrawi's single-word stemmer (skips its whole-text normalization; we tokenize)."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer as SastrawiStemmer

    return SastrawiStemmer(ArrayDictionary(sorted(_indonesian_roots()))).stem_word


def _sastrawi_stem_word():
    """Sastrawi's stemmer, with words no affix rule can touch returned at once."""
    full = _sastrawi_full_stem_word()
    search = _SASTRAWI_AFFIX_RE.search

    def stem_word(word: str) -> str:
        return full(word) if search(word) else word

    return stem_word


@functools.lru_cache(maxsize=2)
def _snowball_stem_word(language: str):
    """PyStemmer's Snowball stemmer for ``language`` ("indonesian" or "english")."""
    try:
        import Stemmer
    except ImportError as exc:  # pragma: no cover - dependency is in pyproject
        raise ImportError(
            "PyStemmer is needed for the '*-snowball' analyzers: pip install PyStemmer"
        ) from exc
    return Stemmer.Stemmer(language).stemWord


class Analyzer:
    """Text -> index terms, the same for documents and queries.

    Args:
        name: Name reported in index manifests.
        id_stemmer: ``"sastrawi"``, ``"snowball"`` or ``None`` (no Indonesian stemming).
        en_stemmer: Apply English Snowball; with an Indonesian stemmer only to tokens
            that it left unchanged and that are not Indonesian root words.
        stopwords: Surface forms dropped before stemming.
    """

    def __init__(
        self,
        name: str,
        id_stemmer: str | None = None,
        en_stemmer: bool = False,
        stopwords: Iterable[str] = STOPWORDS,
    ) -> None:
        if id_stemmer not in (None, "sastrawi", "snowball"):
            raise ValueError(
                f"Unknown Indonesian stemmer {id_stemmer!r}. Use 'sastrawi', 'snowball' or None."
            )
        self.name = name
        self.id_stemmer = id_stemmer
        self.en_stemmer = en_stemmer
        self.stopwords = frozenset(stopwords)
        self._id_stem = (
            _sastrawi_stem_word() if id_stemmer == "sastrawi"
            else _snowball_stem_word("indonesian") if id_stemmer == "snowball"
            else None
        )
        self._en_stem = _snowball_stem_word("english") if en_stemmer else None
        # Known Indonesian roots never get the English stemmer ("jelas" stays, not "jela").
        self._roots = _indonesian_roots() if en_stemmer and id_stemmer else frozenset()
        self._cache: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"Analyzer({self.name!r})"

    def stem(self, token: str) -> str:
        """Stem one lowercase token (cached; tokens containing digits are kept as is)."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        stem = token
        if token.isalpha():
            if self._id_stem is not None:
                stem = self._id_stem(token) or token
            if self._en_stem is not None and stem == token and token not in self._roots:
                stem = self._en_stem(token)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = stem
        return stem

    def __call__(self, text: str) -> list[str]:
        """Analyze ``text`` into index terms (order kept, duplicates kept)."""
        stop = self.stopwords
        if self._id_stem is None and self._en_stem is None:
            return [t for t in tokenize(text) if t not in stop and (len(t) > 1 or t.isdigit())]
        stem = self.stem
        return [stem(t) for t in tokenize(text) if t not in stop and (len(t) > 1 or t.isdigit())]

    analyze = __call__

    def analyze_many(self, texts: Iterable[str], show_progress: bool = False) -> list[list[str]]:
        """Analyze many texts; ``show_progress`` shows a tqdm bar."""
        if show_progress:
            from tqdm.auto import tqdm

            texts = tqdm(texts, desc="BM25 analyze", unit="doc")
        return [self(t) for t in texts]


_ANALYZER_SPECS: dict[str, tuple[str | None, bool]] = {
    "bi-sastrawi": ("sastrawi", True),
    "id-sastrawi": ("sastrawi", False),
    "bi-snowball": ("snowball", True),
    "id-snowball": ("snowball", False),
    "en-snowball": (None, True),
    "plain": (None, False),
}


@functools.lru_cache(maxsize=None)
def make_analyzer(name: str = DEFAULT_ANALYZER) -> Analyzer:
    """Return the shared analyzer called ``name`` (one of ``ANALYZER_NAMES``).

    Stopwords of both languages are removed by every analyzer. ``DEFAULT_ANALYZER``
    (``"bi-sastrawi"``) stems with Sastrawi and falls back to English Snowball.

    Raises:
        ValueError: ``name`` is not a supported analyzer.
    """
    spec = _ANALYZER_SPECS.get(name)
    if spec is None:
        raise ValueError(f"Unknown analyzer {name!r}. Supported: {list(ANALYZER_NAMES)}")
    return Analyzer(name, id_stemmer=spec[0], en_stemmer=spec[1])


def question_terms(question: str) -> set[str]:
    """The analysed content terms of a question (stopwords dropped, stemmed)."""
    return set(make_analyzer()(question))


def sentence_overlap(terms: set[str] | list[set[str]], sentence: str) -> float:
    """Share of ``terms`` that occur in ``sentence`` (same analysis), in [0, 1]; for a list of term
    sets (readings of one question), the largest share."""
    groups = [terms] if isinstance(terms, (set, frozenset)) else list(terms)
    groups = [g for g in groups if g]
    if not groups:
        return 0.0
    words = set(make_analyzer()(sentence))
    return max(len(g & words) / len(g) for g in groups)
