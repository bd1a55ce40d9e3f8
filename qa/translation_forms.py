"""Word-level helpers of the question translator (:mod:`qa.translate`): English word forms, the
clause words inside a question, passive participles and the di- forms of me- verbs, the fixed
phrases of the word lists, and what the passages write (their words, stems and casing).
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

from qa.translation_words import (ABBREVIATIONS, AUXILIARIES, BE_FORMS, DROPPED, FUNCTION_WORDS, IRREGULAR,
                                  NATIONALITIES, NATIONALITY_PHRASES, NEWS_PHRASES, NOUN_MARKERS, PHRASAL_VERBS,
                                  PLACES, PREFERRED, QUESTION_PHRASES, QUESTION_WORDS, RELATIVES)


class Vocabulary(NamedTuple):
    """What the passages write: their words (lower case), those words' stems, the capitalised words
    as written, and the words written in lower case."""

    words: frozenset[str]
    stems: frozenset[str]
    cased: frozenset[str]
    lower: frozenset[str]


def clause_word(tokens: list[str], i: int) -> str | None:
    """"yang" for a relative pronoun after a noun, "ketika" for "when" inside the question, else None."""
    if i == 0 or not tokens[i - 1][0].isalpha():
        return None
    low, before = tokens[i].lower(), tokens[i - 1].lower()
    if before in FUNCTION_WORDS or before in AUXILIARIES or before in DROPPED or before in QUESTION_WORDS:
        return None
    if low in RELATIVES and (low != "that" or i + 1 < len(tokens) and tokens[i + 1][0].isalpha()):
        return "yang"
    return "ketika" if low == "when" else None


_GRAMMAR_WORDS = frozenset(w for text in (*QUESTION_WORDS.values(), *FUNCTION_WORDS.values(), *QUESTION_PHRASES.values(),
                                         "apakah", "yang", "ketika")
                           for w in text.split())  # never capitalised: "Apa" opens sentences


def as_written(words: str, vocabulary: Vocabulary) -> str:
    """``words`` with each word capitalised that the passages write only capitalised."""
    return " ".join(w.capitalize() if w.islower() and w not in vocabulary.lower and w not in _GRAMMAR_WORDS
                    and w.capitalize() in vocabulary.cased else w for w in words.split(" "))


def after_do(tokens: list[str], i: int) -> bool:
    """Whether ``tokens[i]`` starts the subject of a do-question: right after "did / does / do" and
    its article, if any."""
    k = i - 1
    if k >= 0 and tokens[k].lower() in NOUN_MARKERS:
        k -= 1
    return k >= 0 and tokens[k].lower() in ("did", "does", "do")


def verb_form(low: str) -> bool:
    """Whether ``low`` looks like a past tense or participle ("signed", "took", "shown")."""
    return low.endswith("ed") or low in IRREGULAR or low in ("shown", "seen", "known", "born")


def first_time(tokens: list[str], i: int) -> bool:
    """Whether ``tokens[i]`` is "first" before a verb form: "first shown" is "pertama kali"."""
    return tokens[i].lower() == "first" and i + 1 < len(tokens) and verb_form(tokens[i + 1].lower())


def in_passages(tokens: list[str], i: int, vocabulary: Vocabulary | None) -> bool:
    """Whether ``tokens[i]`` is a capitalised word (not the first) that the passages write as it
    is: a name or title there, kept rather than translated ("Lost", "Metal Gear Solid")."""
    tok = tokens[i].removesuffix("'s").removesuffix("’s")
    return vocabulary is not None and i > 0 and tok[:1].isupper() and tok in vocabulary.cased


def lemmas(word: str) -> list[str]:
    """``word`` and the forms English morphology may have made it from, most likely first
    ("cities" → ["cities", "city"], "signed" → ["signed", "sign"], "making" → [..., "make"])."""
    forms = [word]
    if word in IRREGULAR:
        forms.append(IRREGULAR[word])
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    for suffix in ("ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[:-len(suffix)]
            forms += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])
            if suffix == "ed" and stem.endswith("i"):
                forms.append(stem[:-1] + "y")
    if word.endswith("ly") and len(word) > 4:
        forms.append(word[:-2])
    return forms


@functools.lru_cache(maxsize=1 << 16)
def indonesian_stem(word: str) -> str:
    """Sastrawi's stem of ``word``, remembered: the passages of one question share most words with the
    next one's (stemming every word of five passages took about 40 ms a question)."""
    from qa.analysis import _sastrawi_stem_word

    return _sastrawi_stem_word()(word)


def vocabulary_of(context: str) -> Vocabulary:
    """The :class:`Vocabulary` of the passages' text ``context``."""
    found = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", context)
    words = frozenset(w.lower() for part in found for w in part.split("-"))
    cased = frozenset(w for w in found if w[0].isupper())
    lower = frozenset(w for w in found if w.islower())
    return Vocabulary(words, frozenset(indonesian_stem(w) for w in words), cased, lower)


def passive_verb(tokens: list[str], i: int) -> bool:
    """Whether ``tokens[i]`` is the participle of a passive clause: a verb form after a form of "be"
    with no verb or relative pronoun between ("When was the agreement signed?", "Who was arrested"),
    not an adjective after an article ("the elected president") nor a perfect ("has signed")."""
    low = tokens[i].lower()
    if i == 0 or not verb_form(low) or tokens[i - 1].lower() in NOUN_MARKERS or tokens[i - 1].lower() in ("have", "has", "had"):
        return False
    for k in range(i - 1, -1, -1):
        word = tokens[k].lower()
        if word in BE_FORMS:
            return True
        if word in RELATIVES and k > 0 or word in ("did", "does", "do") or verb_form(word):
            return False
    return False


# meN- before a vowel stands for a dropped first consonant (or none, for "meng"): "menanam" ← "tanam".
_ME_PREFIX = (("meny", ("s",)), ("meng", ("k", "")), ("mem", ("p",)), ("men", ("t",)), ("me", ("",)))


def passive_forms(active: str) -> list[str]:
    """The di- forms an active me- verb may have, most likely first ("menandatangani" →
    "ditandatangani", "mengeluarkan" → "dikeluarkan", "memperlakukan" → "diperlakukan"); [] for a
    word that is not a me- verb."""
    if " " in active or not active.startswith("me") or len(active) < 5:
        return []
    if active.startswith("memper"):
        return ["diper" + active[6:]]
    forms = []
    stem = indonesian_stem(active)
    if stem != active:
        suffix = "kan" if active.endswith("kan") and not stem.endswith("kan") else \
            "i" if active.endswith("i") and not stem.endswith("i") else ""
        forms.append("di" + stem + suffix)
    for prefix, replacements in _ME_PREFIX:  # compounds Sastrawi leaves whole: "menandatangani"
        if active.startswith(prefix):
            rest = active[len(prefix):]
            forms += ["di" + r + rest for r in (replacements if rest[:1] in tuple("aeiou") else ("",))]
            break
    return list(dict.fromkeys(forms))


def passive_reading(low: str, chosen: str, table: dict[str, list[str]], vocabulary: Vocabulary | None) -> str:
    """The di- reading of the participle ``low`` in a passive clause, ``chosen`` being its usual
    translation. Of ``chosen`` and the table's candidates, the first passive form the passages use
    wins ("dissolved": …, "membubarkan" → "dibubarkan"); then ``chosen`` if the passages use it or it
    is a hand-picked reading ("born" → "lahir"), made passive when active; else the first candidate
    with a passive reading ("chosen": "pilihan", "memilih" → "dipilih")."""
    candidates = [chosen] + [c for form in lemmas(low) for c in table.get(form, ())]
    readings = [[c] if c.startswith(("di", "ter")) and " " not in c else passive_forms(c) for c in candidates]
    if vocabulary:
        for form in (f for forms in readings for f in forms):
            if form in vocabulary.words:
                return form
    if (vocabulary and all(w in vocabulary.words for w in chosen.split())) or low in PREFERRED:
        return readings[0][0] if readings[0] else chosen
    return next((forms[0] for forms in readings if forms), chosen)


def fixed_phrase(tokens: list[str], i: int) -> tuple[str, int] | None:
    """A place, body or news phrase at ``tokens[i]`` from the hand-made lists: ``(indonesian, tokens
    used)`` ("North Korea" → "korea utara", "UN" → "PBB", "foreign minister" → "menteri luar negeri")."""
    tok = tokens[i].removesuffix("'s").removesuffix("’s")
    if tok in ABBREVIATIONS:
        return ABBREVIATIONS[tok], 1
    for n in range(4, 0, -1):
        parts = [t.lower() for t in tokens[i:i + n]]
        if len(parts) < n:
            continue
        parts[-1] = parts[-1].removesuffix("'s").removesuffix("’s")
        key = " ".join(parts)
        if n > 1 and (key in NEWS_PHRASES or key in PHRASAL_VERBS):
            return NEWS_PHRASES.get(key) or PHRASAL_VERBS[key], n
        if key in PLACES and tokens[i][0].isupper():
            return PLACES[key], n
    return None


def is_nationality(tokens: list[str], i: int) -> bool:
    """Whether ``tokens[i]`` starts a nationality ("Chilean", "North Korean"), which follows its noun."""
    return tokens[i].lower() in NATIONALITIES or " ".join(t.lower() for t in tokens[i:i + 2]) in NATIONALITY_PHRASES
