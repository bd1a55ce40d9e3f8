"""English → Indonesian question translation, for reading English questions through Indonesian too.

The reader was trained mostly on Indonesian questions over Indonesian passages, and reads an
English question over an Indonesian passage worse. :class:`QuestionTranslator` turns an English
question into a rough Indonesian one, rule by rule:

1. question words and their phrases: "who" → "siapa", "how many" → "berapa", "in what year" →
   "tahun berapa", "which company" → "perusahaan apa", a leading "did/is/was …" → "apakah";
2. function words: prepositions and conjunctions translated ("in" → "di", "with" → "dengan"),
   articles, auxiliaries and pronoun determiners dropped ("the", "did", "its");
3. content words from the shipped table (:mod:`qa.training.translation_table`), longest phrase first
   ("south korea" → "korea selatan"), after undoing English morphology (plurals, -ed, -ing,
   irregular verbs); with the passages given, the candidate that the passages use is chosen
   ("stage" → "fase" where the article says "fase");
4. names, numbers and unknown words are kept as they are ("Bambang", "2024", "ASECH"); a
   capitalised word is translated only when the English side of the parallel sentences writes
   it in lower case ("Capital", "Ministry") and the passages do not write it as it is ("the TV
   series Lost" stays "Lost" over an article that names it);
5. word order and clauses: noun phrases and capitalised names with a head noun go head first
   ("Dr. Hassard Hospital" → "rumah sakit Hassard"), "first" before a verb is "pertama kali", a
   verb after "who" is active ("Who used …" → "siapa menggunakan"), "to" before a verb is "untuk",
   a relative "who" is "yang" and a "when" inside the question "ketika" (:mod:`qa.translation_forms`);
6. with the passages given, a translated word they write only capitalised is written so
   ("universitas Cape Town" → "Universitas Cape Town"): the reader's tokenizer is cased;
7. voice and frames: a participle after a form of "be" is passive, in the di- form the passages use
   ("When was the agreement signed?" → "kesepakatan ditandatangani"), a verb right after who / what
   follows "yang" ("siapa yang ditangkap"), and whole-question frames are asked the Indonesian way
   ("What does KKI stand for?" → "apa kepanjangan dari KKI?", "What is X?" → "apa itu X?";
   :mod:`qa.translation_frames`).

    >>> QuestionTranslator.load().translate("Who heads the Nusantara Capital Authority?")
    'siapa kepala Nusantara ibukota Otorita?'   # (the exact wording depends on the table)

The output is a crutch for the reader, not a translation for people.
"""
from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

from qa.translation_words import (ACTIVE, AUXILIARIES, BE_FORMS, DROPPED, FUNCTION_WORDS, HAPPEN, IRREGULAR,
                                NAME_PARTICLES, NATIONALITIES, NOUN_MARKERS, NP_OPENERS, PHRASAL_VERBS, PLACES,
                                POSTPOSED, PREFERRED, QUESTION_PHRASES, QUESTION_WORDS, STRANDED, TITLES,
                                WEEKDAYS_MONTHS)

from qa.translation_frames import question_frame
from qa.translation_forms import (after_do, as_written, clause_word, first_time, fixed_phrase,
                                  in_passages, indonesian_stem, is_nationality, lemmas, passive_reading, passive_verb,
                                  verb_form, vocabulary_of)

TABLE_PATH = Path(__file__).resolve().parent / "data" / "en_id_table.tsv.gz"  # built by qa.training.translation_table

_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|[^\W\d_]+(?:[-'’][^\W\d_]+)*(?:['’]s)?|[^\w\s]")
MAX_PHRASE = 3


class QuestionTranslator:
    """Rule- and table-based English → Indonesian question translation (see the module docstring).

    Args:
        table: English entry → Indonesian candidates, best first.
        common: English words written in lower case in running text (translated when capitalised).
    """

    def __init__(self, table: dict[str, list[str]], common: frozenset[str] | set[str] = frozenset()):
        self.table = table
        self.common = frozenset(common)

    @classmethod
    def load(cls, path: Path | str | None = None) -> "QuestionTranslator":
        """The shipped table (``qa/data/en_id_table.tsv.gz``) or the one at ``path``.

        Raises:
            FileNotFoundError: the table is missing (the message gives the command that builds it).
        """
        return _load(str(path or TABLE_PATH))

    # ------------------------------------------------------------------ translation
    def translate(self, question: str, context: str | None = None) -> str:
        """The Indonesian reading of an English ``question``.

        Args:
            question: the English question.
            context: text the answer is looked for in (the passages); a word's translation that
                occurs there is preferred over the table's first choice.

        Returns:
            The Indonesian question (lower case except kept names), ending in "?" when the
            question did.
        """
        frame = question_frame(question)
        if frame:  # "What does KKI stand for?" → "apa kepanjangan dari KKI?" (qa.translation_frames)
            parts = [frame.opening] + [self.translate("the " + part, context).rstrip("?")  # "the": not the first word
                                       for part in (frame.term, frame.tail) if part]
            return " ".join(parts) + "?"
        vocabulary = vocabulary_of(context) if context else None
        tokens = _TOKEN.findall(question)
        if len(tokens) > 3 and tokens[-1] == "?" and tokens[-2].lower() in STRANDED \
                and tokens[-3].lower() not in ("come", "comes", "came"):
            tokens = tokens[:-2] + ["?"]  # "What is Shenzhen known for?": the preposition has no object
        out: list[str] = []
        names: list[bool] = []  # whether out[k] is a kept name (names stay in their order)
        i = 0
        if tokens and tokens[0].lower() in AUXILIARIES and len(tokens) > 1:
            out.append("apakah")  # yes/no question
            names.append(False)
            i = 1
        while i < len(tokens):
            tok = tokens[i]
            low = tok.lower()
            inner = clause_word(tokens, i)
            if inner:  # "the controller who refused" → "yang menolak"; "killed when mobs fought" → "ketika"
                out.append(inner)
                names.append(False)
                i += 1
                continue
            phrase, n = self._question_phrase(tokens, i)
            if phrase is not None:
                if tokens[i].lower() in ("what", "which") and n == 1 and i + 1 < len(tokens) \
                        and tokens[i + 1].lower() not in AUXILIARIES and tokens[i + 1][0].isalpha():
                    noun, used = self._noun_phrase(tokens, i + 1, vocabulary)
                    if noun:  # "which company" → "perusahaan apa"
                        out.extend([noun, "apa"])
                        names.extend([False, False])
                        i += 1 + used
                        continue
                out.append(phrase)
                names.append(False)
                i += n
                continue
            if not tok[0].isalnum():
                if tok in "?!.,;:":
                    out.append(tok)
                    names.append(False)
                i += 1
                continue
            if tok[0].isdigit():
                out.append(tok)
                names.append(True)
                i += 1
                continue
            fixed = fixed_phrase(tokens, i)
            last = i + (fixed[1] - 1 if fixed else 0)  # "North Korea's" ends at "Korea's"
            if tokens[last].lower().endswith(("'s", "’s")):  # "Honda's competitors" → "kompetitor Honda"
                owner = fixed[0] if fixed else self._content(tokens, i, vocabulary)[0]
                i = last
                first = len(out)
                while first > 0 and names[first - 1]:
                    first -= 1
                run = self._noun_run(tokens, i + 1)
                head = self._units(tokens, i + 1, i + 1 + run, vocabulary)
                out[first:first] = [w for w, _ in reversed(head) if w]
                names[first:first] = [False] * len([w for w, _ in head if w])
                out.append(owner)
                names.append(True)
                i += 1 + run
                continue
            opened = i > 0 and tokens[i - 1].lower() in NP_OPENERS or self._title_phrase(tokens, i, vocabulary)
            subject = after_do(tokens, i)  # "Why did the navy send …": the run is the subject, then its verb
            run = self._noun_run(tokens, i, subject) if opened or is_nationality(tokens, i) else 0
            if run >= 2:  # "the smart city development" → "pengembangan kota cerdas"
                units = self._units(tokens, i, i + run, vocabulary)
                groups: list[list[tuple[str, bool]]] = []
                for unit in units:  # names keep their order: "Gunung Agung bookstore" → "toko buku Gunung Agung"
                    if groups and unit[1] and groups[-1][-1][1]:
                        groups[-1].append(unit)
                    else:
                        groups.append([unit])
                for group in reversed(groups):
                    for word, is_name in group:
                        if word:
                            out.append(word)
                            names.append(is_name)
                i += run
                continue
            words, used = self._content(tokens, i, vocabulary)
            if words and used == 1 and passive_verb(tokens, i):  # "When was the agreement signed?"
                words = passive_reading(low, words, self.table, vocabulary)
            if words and out and out[-1] in ("siapa", "apa") and tokens[i - 1].lower() in ("who", "what", *BE_FORMS) \
                    and words.startswith(("me", "di", "ter", "ber")) and " " not in words and len(words) > 4:
                out.append("yang")  # "Who was arrested" → "siapa yang ditangkap"
                names.append(False)
            if words:
                out.append(words)
                names.append(self._is_name(tokens, i, vocabulary))
            i += used
        if vocabulary:  # "universitas Cape Town" → "Universitas Cape Town", as the passages write it
            out = [as_written(w, vocabulary) if w and not is_name else w for w, is_name in zip(out, names)]
        text = " ".join(w for w in out if w)
        text = re.sub(r"\s+([?!.,;:])", r"\1", text).strip()
        return text or question

    def _question_phrase(self, tokens: list[str], i: int) -> tuple[str | None, int]:
        for n in range(5, 1, -1):
            key = tuple(t.lower() for t in tokens[i:i + n])
            if len(key) == n and key in QUESTION_PHRASES:
                return QUESTION_PHRASES[key], n
        low = tokens[i].lower()
        if low in QUESTION_WORDS:
            return QUESTION_WORDS[low], 1
        return None, 0

    def _units(self, tokens: list[str], i: int, stop: int, vocabulary) -> list[tuple[str, bool]]:
        """``(translation, is a kept name)`` for the tokens ``[i, stop)``."""
        units = []
        while i < stop:
            words, used = self._content(tokens, i, vocabulary)
            units.append((words, self._is_name(tokens, i, vocabulary)))
            i += used
        return units

    def _is_name(self, tokens: list[str], i: int, vocabulary=None) -> bool:
        tok = tokens[i]
        low = tok.lower().removesuffix("'s").removesuffix("’s")
        if i > 0 and tokens[i - 1].lower() in TITLES or in_passages(tokens, i, vocabulary):
            return True
        return tok[0].isupper() and low not in self.common and low not in NATIONALITIES and low not in PREFERRED \
            and low not in WEEKDAYS_MONTHS and low not in QUESTION_WORDS and low not in AUXILIARIES \
            and low not in PLACES

    def _title_phrase(self, tokens: list[str], i: int, vocabulary) -> bool:
        """Whether a run of capitalised words starts at ``tokens[i]`` that holds a name and ends in a
        word to translate: its head goes first as in a noun run ("Dr. Hassard Hospital" → "rumah sakit
        Hassard")."""
        j = i
        while j < len(tokens) and tokens[j][0].isupper() and tokens[j][0].isalpha() \
                and tokens[j].lower() not in QUESTION_WORDS and tokens[j].lower() not in AUXILIARIES:
            j += 1
        if i == 0 or j - i < 2 or self._is_name(tokens, j - 1, vocabulary):
            return False
        return any(self._is_name(tokens, k, vocabulary) for k in range(i, j - 1))

    def _noun_run(self, tokens: list[str], i: int, verb_last: bool = False) -> int:
        """How many tokens from ``i`` form a run of nouns and adjectives (no verb forms, function
        words or punctuation), at most four. With ``verb_last`` (the subject of a do-question), a last
        word that can be a verb is left out: "Why did the navy send …" → "angkatan laut mengirim"."""
        j = i
        while j < len(tokens) and j - i < 4:
            tok = tokens[j]
            low = tok.lower()
            if not tok[0].isalpha() or low in AUXILIARIES or (low in FUNCTION_WORDS and low not in POSTPOSED) or low in DROPPED \
                    or low in QUESTION_WORDS or low.endswith(("ed", "ing", "ly", "'s", "’s")) or low in IRREGULAR \
                    or " ".join(t.lower() for t in tokens[j:j + 2]) in PHRASAL_VERBS or first_time(tokens, j):
                break
            j += 1
        if verb_last and j - i >= 2 and self._verb_next(tokens, j - 2):
            j -= 1
        return j - i

    def _noun_phrase(self, tokens: list[str], i: int, vocabulary) -> tuple[str, int]:
        """The noun phrase after "which"/"what", translated and put head first ("Korean company" →
        "perusahaan korea"); at most three words, stopping at an auxiliary, a preposition or a name."""
        parts: list[str] = []
        j = i
        while j < len(tokens) and j - i < 3:
            fixed = fixed_phrase(tokens, j)
            if fixed is not None:  # "Which South Korean lawmaker" → "anggota parlemen korea selatan apa"
                parts.append(fixed[0])
                j += fixed[1]
                continue
            low = tokens[j].lower()
            if low in AUXILIARIES or (low in FUNCTION_WORDS and low not in POSTPOSED) or low in DROPPED \
                    or not tokens[j][0].isalpha():
                break
            if j > i and (low in IRREGULAR or low.endswith(("ed", "ing"))) or low in HAPPEN:  # "Which diplomat said …"
                break
            if tokens[j][0].isupper() and (low not in self.common or in_passages(tokens, j, vocabulary)) \
                    and low not in NATIONALITIES:
                break
            word = self._word(low, vocabulary, noun=True)  # "What support …": "dukungan", not "mendukung"
            if word is None:
                break
            parts.append(word)
            j += 1
        return " ".join(reversed(parts)), j - i

    def _content(self, tokens: list[str], i: int, vocabulary) -> tuple[str, int]:
        """Translate the phrase or word at ``tokens[i]``: ``(indonesian, tokens used)``."""
        tok = tokens[i]
        low = tok.lower().removesuffix("'s").removesuffix("’s")
        fixed = fixed_phrase(tokens, i)
        if fixed is not None:
            return fixed
        if low in TITLES and i + 1 < len(tokens) and tokens[i + 1][0].isupper():
            return "", 1  # "Mr Park" → "Park"
        if low in TITLES and i + 2 < len(tokens) and tokens[i + 1] == "." and tokens[i + 2][0].isupper():
            return "", 2  # "Mr. Park", "the Rev. John Howard Johnson": the dot goes with the title
        if i > 0 and tokens[i - 1].lower() in TITLES and tok[0].isupper():
            return tok.removesuffix("'s").removesuffix("’s"), 1
        if in_passages(tokens, i, vocabulary):  # "the TV series Lost": the article writes "Lost"
            return tok.removesuffix("'s").removesuffix("’s"), 1
        if first_time(tokens, i):  # "first shown" → "pertama kali ditayangkan"
            return "pertama kali", 1
        if low in DROPPED:
            return "", 1
        if low == "to" and self._verb_next(tokens, i):  # "to get a ticket" → "untuk mendapatkan"
            return f"untuk {self._active(tokens[i + 1])}", 2
        if low in FUNCTION_WORDS:
            return FUNCTION_WORDS[low], 1
        for n in range(MAX_PHRASE, 1, -1):  # table phrases: "south korea", "smart city"
            words = [t.lower() for t in tokens[i:i + n]]
            if len(words) == n and all(w[0].isalpha() for w in words):
                key = " ".join(words)
                if key in self.table:
                    if all(t[0].isupper() for t in tokens[i:i + n]):  # a name: "Deng Xiaoping" stays
                        chosen = self._choose(self.table[key], vocabulary, strict=True) if vocabulary else None
                        return (chosen or " ".join(tokens[i:i + n])), n
                    return self._choose(self.table[key], vocabulary), n
        if low in NAME_PARTICLES and 0 < i < len(tokens) - 1 and tokens[i + 1][0].isupper():
            return tok, 1
        if i > 0 and tokens[i - 1].lower() == "who" and (low in ACTIVE or verb_form(low)):
            active = ACTIVE.get(low) or self._active(low)  # "Who used …" → "siapa menggunakan"
            if active:
                return active, 1
        if low in NATIONALITIES:
            return NATIONALITIES[low], 1
        if low in WEEKDAYS_MONTHS and (tok[0].isupper() or low != "may"):
            return WEEKDAYS_MONTHS[low], 1
        name_like = tok[0].isupper() and i > 0 and low not in self.common and low not in PREFERRED
        if name_like or tok.isupper() and len(tok) > 1:
            return tok.removesuffix("'s").removesuffix("’s"), 1
        noun = i > 0 and tokens[i - 1].lower() in NOUN_MARKERS
        word = self._word(low, vocabulary, noun=noun)
        return (word if word is not None else tok.removesuffix("'s").removesuffix("’s")), 1

    def _word(self, low: str, vocabulary, noun: bool = False) -> str | None:
        if low in PREFERRED:
            return PREFERRED[low]
        if IRREGULAR.get(low) in PREFERRED:  # "went" → "go" → "pergi"
            return PREFERRED[IRREGULAR[low]]
        if low in NATIONALITIES:
            return NATIONALITIES[low]
        forms = [form for form in lemmas(low) if form in self.table]
        if vocabulary and len(forms) > 1:  # "mined": "mine" (tambang, in the passages) before "min" (menit)
            for form in forms:
                chosen = self._choose(self.table[form], vocabulary, strict=True)
                if chosen is not None:
                    return chosen
        for form in forms:
            candidates = self.table[form]
            if noun:  # after "the": a noun reading before verb ones ("pertunjukan" before "menunjukkan")
                candidates = sorted(candidates, key=lambda c: c.startswith("me"))
            return self._choose(candidates, vocabulary)
        for suffix, prefix in (("est", "ter"), ("er", "lebih ")):  # "smallest" → "terkecil"
            if low.endswith(suffix) and len(low) > len(suffix) + 2:
                stem = low[:-len(suffix)]
                for form in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem,
                             stem[:-1] + "y" if stem.endswith("i") else stem):
                    if form in self.table:
                        word = self._choose(self.table[form], vocabulary)
                        if " " not in word:
                            return prefix + word
        return None

    def _verb_next(self, tokens: list[str], i: int) -> bool:
        """Whether ``tokens[i + 1]`` is a bare verb: lower case, with an active (me-) reading among its
        table's first two candidates ("get": "ada", "mendapatkan")."""
        if i + 1 >= len(tokens) or not tokens[i + 1].isalpha() or not tokens[i + 1].islower():
            return False
        low = tokens[i + 1]
        if low in FUNCTION_WORDS or low in DROPPED or low in AUXILIARIES or low in QUESTION_WORDS:
            return False
        return PREFERRED.get(low, "").startswith("me") \
            or any(c.startswith("me") and " " not in c for c in self.table.get(low, ())[:2])

    def _active(self, low: str) -> str | None:
        """The first active (me-) translation of a verb form's lemmas (a preferred one first), or None."""
        if PREFERRED.get(low, "").startswith("me"):
            return PREFERRED[low]
        for form in lemmas(low) + ([low[:-1]] if low.endswith("ed") else []):  # "used" → "use"
            for candidate in self.table.get(form, ()):
                if candidate.startswith("me") and " " not in candidate:
                    return candidate
        return None

    @staticmethod
    def _choose(candidates: list[str], vocabulary, strict: bool = False) -> str | None:
        """The first candidate the passages use (exact word, then same stem), else the first;
        with ``strict``, None when the passages use none."""
        if vocabulary:
            for c in candidates:
                if all(w in vocabulary.words for w in c.split()):
                    return c
            for c in candidates:
                if all(indonesian_stem(w) in vocabulary.stems for w in c.split()):
                    return c
        return None if strict else candidates[0]


@functools.lru_cache(maxsize=4)
def _load(path: str) -> QuestionTranslator:
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(
            f"The English→Indonesian table {p} is missing. Build it with: .venv/bin/python -m "
            "qa.training.translation_table --bitext ../shared/bitext --data ../shared/qa-train, or set "
            "QA_QUESTION_TRANSLATION=off.")
    table: dict[str, list[str]] = {}
    common: set[str] = set()
    with gzip.open(p, "rt", encoding="utf-8") as f:
        for line in f:
            english, flag, candidates = line.rstrip("\n").split("\t")
            table[english] = candidates.split("|")
            if flag == "1":
                common.add(english)
    return QuestionTranslator(table, common)
