"""Training data for the neural reader: loading, word-by-word translation, window features.

Examples come from JSONL files (``{"id","lang","question","context","answers","answerable",
"source"}``) without answer offsets; the first occurrence of an answer in the context is
taken as the gold span. Cross-lingual examples (English question, Indonesian passage) are
made by translating Indonesian questions word by word with an English–Indonesian lexicon.
"""
from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from qa.reader.model import clip_question


@dataclass
class Example:
    """One question over one context; ``answers`` empty when unanswerable."""

    id: str
    lang: str
    question: str
    context: str
    answers: list[str]
    answerable: bool
    source: str


@dataclass
class Feature:
    """One training window: token ids and the gold start/end token (0, 0 = no answer)."""

    input_ids: list[int]
    start: int
    end: int


def load_jsonl(path: Path, limit: int | None = None) -> list[Example]:
    """Read QA examples from a JSONL file (the first ``limit`` lines if given)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            rows.append(Example(str(r["id"]), r.get("lang", "id"), r["question"], r["context"],
                                [a for a in r.get("answers", []) if a], bool(r.get("answerable", True)),
                                r.get("source", Path(path).stem)))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def locate_answer(context: str, answer: str) -> int | None:
    """Character start of the first occurrence of ``answer`` (case-insensitive fallback)."""
    pos = context.find(answer)
    if pos < 0:
        pos = context.lower().find(answer.lower())
    return pos if pos >= 0 else None


# ------------------------------------------------------------------------ translation
_TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]", re.UNICODE)
# Question and function words whose lexicon entries are too ambiguous to pick automatically.
_FIXED = {
    "siapa": "who", "siapakah": "who", "apa": "what", "apakah": "what", "kapan": "when", "kapankah": "when",
    "dimana": "where", "dimanakah": "where", "manakah": "which", "mana": "which", "berapa": "how many",
    "berapakah": "how many", "mengapa": "why", "kenapa": "why", "bagaimana": "how", "bagaimanakah": "how",
    "bilamana": "when", "yang": "that", "adalah": "is", "ialah": "is", "merupakan": "is", "ini": "this",
    "itu": "that", "dan": "and", "atau": "or", "di": "in", "ke": "to", "dari": "from", "pada": "on",
    "oleh": "by", "untuk": "for", "dengan": "with", "sebagai": "as", "dalam": "in", "tahun": "year",
    "tersebut": "the", "pertama": "first", "nama": "name", "negara": "country", "kota": "city",
    "lahir": "born", "dilahirkan": "born", "meninggal": "died", "terletak": "located", "berada": "located",
    "ibu": "mother", "ayah": "father", "anak": "child", "jumlah": "number", "tanggal": "date",
    "bulan": "month", "hari": "day", "banyak": "many", "besar": "big", "luas": "area", "tinggi": "high",
    "terbesar": "largest", "tertinggi": "highest", "pertama kali": "first", "didirikan": "founded",
    "dibangun": "built", "ditemukan": "discovered", "menjabat": "served", "sekarang": "now",
    "saat": "when", "ketika": "when", "bahasa": "language", "penduduk": "population", "presiden": "president",
    "jenis": "type", "letak": "location", "pendiri": "founder", "pembentuk": "founder",
    "kepanjangan": "stands for", "maksud": "meaning", "dimaksud": "meant", "disebut": "called",
    "julukan": "nickname", "karya": "work", "penemu": "inventor", "pencipta": "creator", "ditulis": "written",
    "gubernur": "governor", "walikota": "mayor", "menteri": "minister", "kepala": "head", "ibukota": "capital",
}
_DROP = {"kah", "lah", "pun", "nya", "si", "sang", "para", "telah", "sudah", "akan", "sedang"}
_SUFFIXES = ("nya", "kah", "lah")


class WordTranslator:
    """Indonesian → English, word by word, with a bilingual lexicon.

    The English word chosen for an Indonesian word is the lexicon candidate that co-occurs most
    often with it in the parallel sentences (Dice score), else the candidate most frequent in
    the English side, preferring single words. Names and numbers (capitalised or containing a
    digit) are kept; other unknown words are kept (code-switching) or dropped.
    """

    def __init__(self, table: dict[str, str]):
        self.table = table

    @classmethod
    def from_bitext(cls, bitext_dir: Path) -> "WordTranslator":
        """Build the translation table from ``lexicon_en_id.core.tsv`` and ``parallel_en_id.jsonl``."""
        bitext_dir = Path(bitext_dir)
        candidates: dict[str, set[str]] = defaultdict(set)
        with open(bitext_dir / "lexicon_en_id.core.tsv", encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2 and parts[0] and parts[1]:
                    candidates[parts[1].strip()].add(parts[0].strip())
        en_freq: Counter = Counter()
        id_freq: Counter = Counter()
        pair_freq: Counter = Counter()
        parallel = bitext_dir / "parallel_en_id.jsonl"
        if parallel.exists():
            with open(parallel, encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    en = set(_words(r["en"]))
                    idw = set(_words(r["id"]))
                    en_freq.update(en)
                    id_freq.update(idw)
                    for w in idw:
                        for c in candidates.get(w, ()):
                            if c in en:
                                pair_freq[(w, c)] += 1
        table = {}
        for word, cands in candidates.items():
            def score(c: str, w: str = word) -> tuple:
                dice = 2 * pair_freq[(w, c)] / (id_freq[w] + en_freq[c] + 1e-9)
                return (dice, " " not in c, en_freq[c], -len(c), c)

            best = max(cands, key=score)
            table[word] = best
        table.update(_FIXED)
        return cls(table)

    def translate(self, question: str, rng: random.Random | None = None, keep_unknown: float = 0.5) -> str:
        """The word-by-word English version of ``question``.

        Args:
            question: an Indonesian question.
            rng: randomness for dropping unknown words; ``None`` keeps them all (deterministic).
            keep_unknown: probability of keeping an unknown lowercase word when ``rng`` is given.
        """
        out: list[str] = []
        tokens = _TOKEN.findall(question)
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            low = tok.lower()
            pair = f"{low} {tokens[i + 1].lower()}" if i + 1 < len(tokens) else None
            if pair and pair in self.table and pair not in ("di mana",):
                english = self.table[pair]
                out.append(f"{tok} {tokens[i + 1]}" if english == pair else english)
                i += 2
                continue
            if pair == "di mana":
                out.append("where")
                i += 2
                continue
            i += 1
            if not tok[0].isalnum():
                if tok in "?!.,":
                    out.append(tok)
                continue
            if any(ch.isdigit() for ch in tok) or (tok[0].isupper() and low not in _FIXED and i > 1):
                out.append(tok)
                continue
            if low in _DROP:
                continue
            english = self._lookup(low)
            if english is not None:
                out.append(english)
            elif rng is None or rng.random() < keep_unknown:
                out.append(tok)
        text = " ".join(out)
        text = re.sub(r"\s+([?!.,])", r"\1", text).strip()
        return text[:1].upper() + text[1:] if text else question

    def _lookup(self, low: str) -> str | None:
        if low in self.table:
            return self.table[low]
        for suffix in _SUFFIXES:
            if low.endswith(suffix) and len(low) > len(suffix) + 2 and low[:-len(suffix)] in self.table:
                return self.table[low[:-len(suffix)]]
        for prefix in ("di", "ter", "ber"):  # passive / stative prefixes over a known root
            if low.startswith(prefix) and len(low) > len(prefix) + 3 and low[len(prefix):] in self.table:
                return self.table[low[len(prefix):]]
        return None


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"\w+", text)]


# ------------------------------------------------------------------------ training set
def build_training_set(data_dir: Path, caps: dict[str, int | None], rng: random.Random) -> tuple[list[Example], dict]:
    """Examples from the training files, de-duplicated by id, capped per file.

    ``caps`` maps a file stem (e.g. ``"qed_en_train"``) to the maximum number of examples
    (``None`` = all); files not in ``caps`` are skipped.
    """
    data_dir = Path(data_dir)
    seen: set[str] = set()
    examples: list[Example] = []
    stats: dict[str, dict] = {}
    for stem, cap in caps.items():
        rows = load_jsonl(data_dir / f"{stem}.jsonl")
        kept = []
        dup = 0
        for r in rows:
            if r.id in seen:
                dup += 1
                continue
            seen.add(r.id)
            kept.append(r)
        rng.shuffle(kept)
        if cap is not None:
            kept = kept[:cap]
        examples.extend(kept)
        stats[stem] = {"file": len(rows), "duplicates_skipped": dup, "used": len(kept),
                       "unanswerable": sum(not r.answerable for r in kept)}
    return examples, stats


def add_cross_lingual(examples: list[Example], translator: WordTranslator, share: float,
                      rng: random.Random) -> int:
    """Replace the question of a ``share`` of the Indonesian examples by its English word translation."""
    n = 0
    for i, ex in enumerate(examples):
        if ex.lang == "id" and rng.random() < share:
            examples[i] = replace(ex, question=translator.translate(ex.question, rng), lang="en-id",
                                  source=ex.source + " (question word-translated)")
            n += 1
    return n


def add_distractor_negatives(examples: list[Example], share: float, rng: random.Random,
                             max_df: float = 0.02) -> int:
    """Add, for a ``share`` of the answerable examples, the same question over a *different* context.

    The context is the one of the same language that shares the most rare question words (IDF
    weighted) and contains none of the answers: an unanswerable example like the open-corpus case,
    where the retriever returns a passage on the same topic that does not answer. Words in more
    than ``max_df`` of the contexts are not used for the search. Returns how many were added.
    """
    by_lang: dict[str, list[str]] = defaultdict(list)
    for ctx, lang in {(e.context, e.lang): None for e in examples}:
        by_lang[lang].append(ctx)
    tables = {lang: _WordIndex(ctxs) for lang, ctxs in by_lang.items()}
    added = []
    for ex in examples:
        if not ex.answerable or rng.random() >= share:
            continue
        table = tables[ex.lang]
        answers = [a.lower() for a in ex.answers]
        for ctx in table.best(ex.question, max_df, exclude=ex.context):
            low = ctx.lower()
            if not any(a in low for a in answers):
                added.append(Example(ex.id + "#distractor", ex.lang, ex.question, ctx, [], False,
                                     ex.source + " (distractor context)"))
                break
    examples.extend(added)
    return len(added)


class _WordIndex:
    """Inverted index of contexts by lowercase word, for :func:`add_distractor_negatives`."""

    def __init__(self, contexts: list[str]):
        self.contexts = contexts
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, ctx in enumerate(contexts):
            for w in set(_words(ctx)):
                self.postings[w].append(i)

    def best(self, question: str, max_df: float, exclude: str, top: int = 5) -> list[str]:
        """Up to ``top`` contexts ranked by the IDF of the rare question words they contain."""
        n = len(self.contexts)
        scores: Counter = Counter()
        for w in set(_words(question)):
            docs = self.postings.get(w, ())
            if len(w) < 3 or not docs or len(docs) > max_df * n:
                continue
            idf = float(np.log(n / len(docs)))
            for d in docs:
                scores[d] += idf
        return [self.contexts[d] for d, _ in scores.most_common(top + 1) if self.contexts[d] != exclude][:top]


def make_features(tokenizer, examples: list[Example], max_length: int, stride: int, neg_fraction: float,
                  rng: random.Random, max_question_tokens: int = 64) -> tuple[list[Feature], dict]:
    """Tokenise examples into windows with gold token positions.

    Windows that contain the answer are kept; windows of answerable examples that miss it are
    kept with probability ``neg_fraction`` (labelled no-answer); unanswerable examples keep
    their first window and each further window with probability ``neg_fraction``.
    """
    features: list[Feature] = []
    stats = Counter()
    batch = 512
    for b in range(0, len(examples), batch):
        chunk = examples[b:b + batch]
        enc = tokenizer([clip_question(tokenizer, e.question, max_question_tokens) for e in chunk], [e.context for e in chunk],
                        truncation="only_second", max_length=max_length, stride=stride,
                        return_overflowing_tokens=True, return_offsets_mapping=True)
        starts: dict[int, tuple[int, int] | None] = {}
        for j, ex in enumerate(chunk):
            span = None
            if ex.answerable and ex.answers:
                pos = locate_answer(ex.context, ex.answers[0])
                if pos is None:
                    stats["answer_not_found"] += 1
                    starts[j] = None
                    continue
                span = (pos, pos + len(ex.answers[0]))
            starts[j] = span if ex.answerable else (-1, -1)
        first_window: set[int] = set()
        for w, j in enumerate(enc["overflow_to_sample_mapping"]):
            span = starts.get(j)
            if span is None:
                continue
            ids = enc["input_ids"][w]
            seq = enc.sequence_ids(w)
            offsets = enc["offset_mapping"][w]
            first = j not in first_window
            first_window.add(j)
            if span == (-1, -1):
                if first or rng.random() < neg_fraction:
                    features.append(Feature(ids, 0, 0))
                    stats["unanswerable_windows"] += 1
                continue
            s_tok, e_tok = token_span(seq, offsets, *span)
            if s_tok is None:
                if rng.random() < neg_fraction:
                    features.append(Feature(ids, 0, 0))
                    stats["negative_windows"] += 1
                continue
            features.append(Feature(ids, s_tok, e_tok))
            stats["answer_windows"] += 1
    stats["windows"] = len(features)
    stats["mean_tokens"] = round(float(np.mean([len(f.input_ids) for f in features])), 1) if features else 0
    return features, dict(stats)


def token_span(seq_ids: list, offsets: list, char_start: int, char_end: int) -> tuple[int | None, int | None]:
    """First and last context tokens covering ``[char_start, char_end)``, or ``(None, None)``."""
    ctx = [i for i, s in enumerate(seq_ids) if s == 1]
    if not ctx:
        return None, None
    if offsets[ctx[0]][0] > char_start or offsets[ctx[-1]][1] < char_end:
        return None, None
    s_tok = next((i for i in ctx if offsets[i][1] > char_start), None)
    e_tok = next((i for i in reversed(ctx) if offsets[i][0] < char_end), None)
    if s_tok is None or e_tok is None or e_tok < s_tok:
        return None, None
    return s_tok, e_tok


def batches(features: list[Feature], batch_size: int, rng: random.Random, pool: int = 50):
    """Yield lists of features forever: shuffled, grouped by length within pools (less padding)."""
    order = list(range(len(features)))
    while True:
        rng.shuffle(order)
        for p in range(0, len(order), batch_size * pool):
            block = sorted(order[p:p + batch_size * pool], key=lambda i: len(features[i].input_ids))
            groups = [block[i:i + batch_size] for i in range(0, len(block), batch_size)]
            rng.shuffle(groups)
            for g in groups:
                yield [features[i] for i in g]


def collate(batch: list[Feature], pad_id: int):
    """Pad a batch into tensors ``(input_ids, attention_mask, start, end)``."""
    import torch

    width = max(len(f.input_ids) for f in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, f in enumerate(batch):
        ids[i, :len(f.input_ids)] = torch.tensor(f.input_ids)
        mask[i, :len(f.input_ids)] = 1
    start = torch.tensor([f.start for f in batch])
    end = torch.tensor([f.end for f in batch])
    return ids, mask, start, end
