"""Cross-lingual reading examples from parallel sentences: English questions over Indonesian passages.

No extractive-QA data has English questions over Indonesian text, our English users' case. A
parallel corpus gives an honest substitute: for an English sentence and its Indonesian
translation, a name or a number written the same way in both is an answer that the Indonesian
sentence holds. The English sentence with that answer turned into a question phrase ("who",
"how many", "in what year", …) is the question; the Indonesian sentence with its neighbours
(the article around it where the corpus keeps document order, other sentences of the same
source otherwise) is the passage.

    "Welsh AMs worried about 'looking like muppets'" + "Anggota Majelis (AM) Welsh khawatir …"
    → "What AMs worried about 'looking like muppets'?"  answer "Welsh"

The questions are real English (the translator's words, not a lexicon gloss), though more
literal than a user's. A share of questions is also paired with a passage of the same source
without the answer (unanswerable), so that "not found" is learned across languages too.
"""
from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from pathlib import Path

from qa.training.reader_data import Example

# Sources of parallel_en_id.jsonl kept: news and Wikipedia-like prose. Tatoeba and TALPCo are short
# phrasebook sentences, NusaX are product reviews.
PROSE_SOURCES = ("ntrex128", "ud_pud", "tico19")
# Sources whose lines keep the order of their articles (the neighbours are real context).
ORDERED_SOURCES = ("ntrex128",)

_NUMBER = re.compile(r"(?<![\w.,:])\d+(?:[.,]\d+)*(?![\w:])")
_NAME = re.compile(r"(?<![\w'’-])(?:[A-Z][\w'’-]*)(?:\s+(?:of|de|al|bin|van|von|the)?\s*[A-Z][\w'’-]*)*")
_ORG_WORDS = {"party", "ministry", "council", "company", "inc", "corp", "university", "union", "parliament",
              "assembly", "association", "bank", "group", "court", "department", "agency", "office",
              "committee", "league", "club", "airport", "street", "city", "county", "river", "house",
              "senate", "congress", "government", "army", "police", "organization", "organisation",
              "school", "hospital", "institute", "foundation", "festival", "cup", "championship", "times",
              "news", "post", "journal", "network", "bureau", "service", "commission", "force", "fc"}
_PERSON_TITLES = {"mr", "mrs", "ms", "dr", "president", "minister", "senator", "governor", "mayor", "prince",
                  "king", "queen", "judge", "chancellor", "coach", "professor", "prof", "sir", "lord",
                  "general", "captain", "secretary", "chairman", "director", "said", "says", "told", "added"}
_PLACE_PREPOSITIONS = {"in", "at", "from", "to", "near", "across", "into", "outside", "inside"}
_SENTENCE_START_WORDS = {"the", "a", "an", "in", "on", "at", "but", "and", "for", "it", "this", "that",
                         "he", "she", "they", "we", "i", "there", "as", "if", "when", "after", "before"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"}


def read_parallel(path: Path, sources: tuple[str, ...] = PROSE_SOURCES) -> dict[str, list[tuple[str, str]]]:
    """(English, Indonesian) pairs of ``parallel_en_id.jsonl`` by source, in file order."""
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("source") in sources and row.get("en") and row.get("id"):
                pairs[row["source"]].append((row["en"].strip(), row["id"].strip()))
    return dict(pairs)


def shared_answers(english: str, indonesian: str) -> list[tuple[int, int, str]]:
    """Names and numbers written identically in both sentences, as (start, end, kind) in ``english``.

    ``kind`` is "number", "year", "person", "place" or "thing" (a guess from the words around it,
    used to choose the question phrase). A candidate must occur exactly once in each sentence.
    """
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _NUMBER.finditer(english):
        text = m.group()
        if english.count(text) != 1 or len(re.findall(rf"(?<![\w.,]){re.escape(text)}(?!\w)", indonesian)) != 1:
            continue
        before = english[:m.start()].split()[-1:] or [""]
        after = english[m.end():].split()[:1] or [""]
        if after[0].lower().strip(".,;") in _MONTHS or before[0].lower().strip(".,;") in _MONTHS:
            continue  # part of a date: the Indonesian side writes it differently
        year = len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2100
        found.append((m.start(), m.end(), "year" if year else "number"))
        taken.append((m.start(), m.end()))
    for m in _NAME.finditer(english):
        text = m.group().strip()
        start, end = m.start(), m.start() + len(text)
        words = text.split()
        if len(text) < 2 or any(s < end and start < e for s, e in taken):
            continue
        if start == 0 and len(words) == 1 and text.lower() in _SENTENCE_START_WORDS:
            continue
        if text.lower() in _MONTHS or english.count(text) != 1 or indonesian.count(text) != 1:
            continue
        if not re.search(rf"(?<![\w]){re.escape(text)}(?!\w)", indonesian):
            continue
        found.append((start, end, _name_kind(english, start, end)))
    return sorted(found)


def _name_kind(sentence: str, start: int, end: int) -> str:
    words = sentence[start:end].lower().split()
    before = sentence[:start].lower().split()[-1:] or [""]
    after = sentence[end:].lower().split()[:1] or [""]
    if any(w.strip(".,") in _ORG_WORDS for w in words):
        return "thing"
    if before[0] in _PLACE_PREPOSITIONS:
        return "place"
    if before[0].strip(".,") in _PERSON_TITLES or after[0].strip(".,") in _PERSON_TITLES or len(words) in (2, 3):
        return "person"
    return "thing"


_PHRASES = {"number": "how many", "year": "what year", "person": "who", "place": "where", "thing": "what"}


def make_question(english: str, start: int, end: int, kind: str, max_words: int = 22) -> str | None:
    """The English sentence with ``english[start:end]`` replaced by a question phrase.

    At the start of the sentence the phrase leads the question ("Who said …?"); elsewhere it
    stays in place ("… in what year?"), with the preposition before a place folded into
    "where". Long sentences are cut to the clause holding the answer. ``None`` when nothing
    question-like is left.
    """
    phrase = _PHRASES[kind]
    before, after = english[:start], english[end:]
    if kind == "place":
        before = re.sub(r"\b(in|at|from|to|near|across|into|outside|inside)\s*$", "", before, flags=re.I)
    if kind == "number" and re.search(r"\$\s*$", before):
        before, phrase = re.sub(r"\$\s*$", "", before), "how much"
    if kind == "year" and not re.search(r"\b(in|since|until|by|from)\s*$", before, flags=re.I):
        phrase = "what year"
    question = (before + phrase + after).strip()
    if not before.strip():
        question = phrase[0].upper() + phrase[1:] + after
    question = _clause(question, phrase, max_words)
    question = re.sub(r"[\s.!;:,\"“”'’]+$", "", question).strip()
    if len(question.split()) < 4:
        return None
    return question + "?"


def _clause(question: str, phrase: str, max_words: int) -> str:
    """The comma/semicolon-delimited clause that holds ``phrase`` when the question is long."""
    if len(question.split()) <= max_words:
        return question
    parts = re.split(r"(?<=[,;:])\s+|\s+(?=\b(?:and|but|while|which)\b)", question)
    for i, part in enumerate(parts):
        if phrase in part.lower():
            clause = part
            if len(clause.split()) < 6 and i + 1 < len(parts):
                clause = clause + " " + parts[i + 1]
            clause = clause.strip(" ,;:")
            return clause[0].upper() + clause[1:] if clause else clause
    return question


def build_examples(pairs: dict[str, list[tuple[str, str]]], rng: random.Random, neighbours: int = 3,
                   unanswerable_share: float = 0.25, per_sentence: int = 2) -> list[Example]:
    """Cross-lingual examples (language ``"en-id"``) from parallel pairs by source.

    Each pair gives up to ``per_sentence`` questions (a random choice of its shared names and
    numbers). The passage is the Indonesian sentence with ``neighbours`` sentences on each side
    (ordered sources) or ``2 * neighbours`` random other sentences of the source, in random
    positions; the answer must occur once in the passage. For ``unanswerable_share`` of the
    questions the same question is also asked over a passage of the source without the answer.
    """
    examples: list[Example] = []
    for source, rows in sorted(pairs.items()):
        ordered = source in ORDERED_SOURCES
        for i, (english, indonesian) in enumerate(rows):
            candidates = shared_answers(english, indonesian)
            rng.shuffle(candidates)
            for start, end, kind in candidates[:per_sentence]:
                answer = english[start:end]
                question = make_question(english, start, end, kind)
                if question is None:
                    continue
                context = _passage(rows, i, ordered, neighbours, rng)
                if context.count(answer) != 1:
                    continue
                examples.append(Example(f"{source}-{i}-{start}", "en-id", question, context, [answer], True,
                                        f"parallel:{source}"))
                if rng.random() < unanswerable_share:
                    other = _passage_without(rows, i, answer, neighbours, rng)
                    if other:
                        examples.append(Example(f"{source}-{i}-{start}-neg", "en-id", question, other, [], False,
                                                f"parallel:{source} (unanswerable)"))
    return examples


def _passage(rows: list[tuple[str, str]], i: int, ordered: bool, neighbours: int, rng: random.Random) -> str:
    if ordered:
        lo, hi = max(0, i - neighbours), min(len(rows), i + neighbours + 1)
        return " ".join(indonesian for _, indonesian in rows[lo:hi])
    others = [rows[j][1] for j in rng.sample(range(len(rows)), min(len(rows), 2 * neighbours + 1)) if j != i]
    others = others[:2 * neighbours]
    others.insert(rng.randrange(len(others) + 1), rows[i][1])
    return " ".join(others)


def _passage_without(rows: list[tuple[str, str]], i: int, answer: str, neighbours: int,
                     rng: random.Random) -> str | None:
    for _ in range(5):
        j = rng.randrange(len(rows))
        if abs(j - i) <= 2 * neighbours:
            continue
        context = _passage(rows, j, False, neighbours, rng)
        if answer.lower() not in context.lower():
            return context
    return None


def split_examples(examples: list[Example], valid_share: float, seed: int = 7) -> tuple[list[Example], list[Example]]:
    """(train, valid) split by sentence, by blocks of 50 sentences where the source keeps its
    articles' order (passages of neighbours then never straddle the split)."""
    def key(ex: Example) -> str:
        source, i = ex.id.split("-")[:2]
        return f"{source}-{int(i) // 50}" if source in ORDERED_SOURCES else f"{source}-{i}"

    keys = sorted({key(ex) for ex in examples})
    random.Random(seed).shuffle(keys)
    valid_keys = set(keys[:int(len(keys) * valid_share)])
    return ([ex for ex in examples if key(ex) not in valid_keys],
            [ex for ex in examples if key(ex) in valid_keys])


PARALLEL_VALID_SHARE = 0.15
PARALLEL_SPLIT_SEED = 5


def parallel_split(path: Path) -> tuple[list[Example], list[Example]]:
    """(train, valid) cross-lingual examples from the parallel sentences at ``path``, built with a
    fixed seed so the validation half is the same in every run."""
    return split_examples(build_examples(read_parallel(path), random.Random(PARALLEL_SPLIT_SEED)),
                          PARALLEL_VALID_SHARE)
