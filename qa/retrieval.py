"""Retrieval: dense, BM25 and language-aware hybrid fusion over the built index."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Passage:
    """A retrieved chunk of an article.

    ``start``/``end`` are character offsets of ``text`` in the cleaned document;
    ``sentences`` holds the (start, end) offsets of each sentence of the chunk, also in
    document coordinates.
    """

    doc_id: str
    chunk_id: int
    text: str
    start: int
    end: int
    score: float = 0.0
    rank: int = 0
    sentences: list[tuple[int, int]] = field(default_factory=list)
    outlet: str | None = None
    date: str | None = None
    title: str | None = None
    scores: dict[str, float] = field(default_factory=dict)


# Weights of (dense, bm25) in reciprocal-rank fusion, by question language. BM25 cannot match
# English question words to Indonesian articles (only names and numbers). Measured on
# eval/gold.jsonl (docs/results.md, "Retrieval on the seed articles"): for Indonesian questions equal weights lift recall@5
# from 0.953 (dense) to 1.000; for English questions any BM25 weight lowered recall@5
# (0.977 dense-only; 0.953 at 0.1, 0.930 at 0.25, 0.884 at 1.0), so it is off for English.
# Validation questions with 10k distractors agree (bench/crosslingual.py): BM25 at 0.25 lowers
# English recall@5; BM25 over the question's names and numbers alone gained +1 point without the
# cross-lingual bonus below and nothing with it, so it was not kept.
FUSION_WEIGHTS: dict[str, tuple[float, float]] = {"id": (1.0, 1.0), "en": (1.0, 0.0)}
# Dense-score bonus for passages in another language than the question's. The multilingual
# embedding prefers passages in the question's language: with 10k distractor chunks (73 %
# English), English questions found their Indonesian article in the top 5 for 0.770 of
# validation questions; +0.03 lifts that to 0.860 (MRR@10 0.655 → 0.772) while English
# questions over English articles go 0.927 → 0.920 (bench/crosslingual.py; 0.04: 0.877 / 0.910).
# Measured for English questions only, so Indonesian questions get none.
CROSS_LINGUAL_BONUS: dict[str, float] = {"en": 0.03}
# The RRF constant k0. The usual 60 flattens ranks (first place 1/61, tenth 1/70), so a chunk that one
# ranking puts first and the other misses lost to chunks both rank middling: with 10k distractor chunks
# an Indonesian question whose article BM25 ranked first ("Perusahaan mana yang menjalin kerja sama
# dengan PT. INTI?") fell to sixth. On validation questions with 10k distractors (bench/crosslingual.py,
# eval/gold.jsonl not used) Indonesian article recall@5 at equal weights goes 0.946 / 0.958 / 0.960 /
# 0.960 / 0.964 for k0 = 60 / 20 / 10 / 5 / 2 (MRR@10 0.848 → 0.864), rising at every bonus and weight.
RRF_K = 2
CANDIDATES = 50


def fuse_rankings(rankings: list[list[int]], weights: list[float], k0: int = RRF_K) -> list[tuple[int, float]]:
    """Weighted reciprocal-rank fusion: ``score(d) = Σ w_m / (k0 + rank_m(d))`` (ranks from 1)."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        if weight <= 0:
            continue
        for rank, row in enumerate(ranking, start=1):
            scores[row] = scores.get(row, 0.0) + weight / (k0 + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


class Retriever:
    """Finds passages for a question in an :class:`qa.index.Index`.

    Args:
        index: the opened index.
        embedder: the embedder the index was built with.
        mode: "dense", "bm25" or "hybrid" (default; language-aware fusion).
        translated_dense: in hybrid mode over a mostly Indonesian index, the weight of a second dense
            ranking for an English question, from the embedding of its Indonesian translation
            (:mod:`qa.translate`); 0 turns it off.
        translated_bm25: the same, for a BM25 ranking of the translation's words.
        sentence_weight: in hybrid mode, for an English question, the weight of the
            evidence-sentence term: the first ``sentence_depth`` passages of the ranking are
            re-ordered by ``score + sentence_weight × coverage``, the largest share of the question's
            terms that one sentence of the passage holds (its Indonesian translation's, for an
            Indonesian passage); 0 turns it off. Indonesian questions do not get it: measured, it
            lowered their F1 (docs/studies.md).
        sentence_depth: how many passages of the ranking the sentence term re-orders.
    """

    def __init__(self, index, embedder, mode: str = "hybrid", translated_dense: float = 0.0,
                 translated_bm25: float = 0.0, sentence_weight: float = 0.0, sentence_depth: int = 20):
        from qa.config import RETRIEVAL_MODES

        if mode not in RETRIEVAL_MODES:
            raise ValueError(f"Unknown retrieval mode '{mode}'. Supported modes: {list(RETRIEVAL_MODES)}")
        self.index = index
        self.embedder = embedder
        self.mode = mode
        self.translated_dense = translated_dense
        self.translated_bm25 = translated_bm25
        self.sentence_weight = sentence_weight
        self.sentence_depth = sentence_depth
        self._mostly_indonesian: bool | None = None
        self._documents: dict[str, dict] | None = None

    def retrieve(self, question: str, k: int = 5, mode: str | None = None,
                 language: str | None = None) -> list[Passage]:
        """The ``k`` best passages for ``question``, best first."""
        from qa.config import RETRIEVAL_MODES
        from qa.language import detect_language

        mode = mode or self.mode
        if mode not in RETRIEVAL_MODES:
            raise ValueError(f"Unknown retrieval mode '{mode}'. Supported modes: {list(RETRIEVAL_MODES)}")
        if k < 1:
            raise ValueError(f"k must be at least 1 (got {k})")
        language = language or detect_language(question)
        depth = max(CANDIDATES, 4 * k)
        dense: list[tuple[int, float]] = []
        lexical: list[tuple[int, float]] = []
        translation: str | None = None
        if mode in ("dense", "hybrid"):
            qv = self.embedder.encode_query([question], language=language)[0]
            dense = self._dense(qv, depth, language)
        weights = FUSION_WEIGHTS.get(language, FUSION_WEIGHTS["id"])
        if mode == "bm25" or (mode == "hybrid" and weights[1] > 0):
            lexical = self.index.lexical.search(question, depth)
        if mode == "dense":
            ranked = dense
        elif mode == "bm25":
            ranked = lexical
        else:
            lists, list_weights = [[r for r, _ in dense], [r for r, _ in lexical]], list(weights)
            if language == "en" and (self.translated_dense > 0 or self.translated_bm25 > 0) \
                    and self.mostly_indonesian():
                translation = self._translation(question)
                if self.translated_dense > 0:
                    vector = self.embedder.encode_query([translation], language="id")[0]
                    lists.append([r for r, _ in self.index.search_dense(vector, depth)])
                    list_weights.append(self.translated_dense)
                if self.translated_bm25 > 0:
                    lists.append([r for r, _ in self.index.lexical.search(translation, depth)])
                    list_weights.append(self.translated_bm25)
            ranked = fuse_rankings(lists, list_weights)
        if mode == "hybrid" and language == "en" and self.sentence_weight > 0 and len(ranked) > 1:
            readings = {"en": question, "id": translation or self._translation(question)}
            head = self.sentence_depth
            ranked = self._by_evidence_sentence(ranked[:head], readings) + ranked[head:]
        top = ranked[:k]
        return self._passages(top, dict(dense), dict(lexical))

    def _by_evidence_sentence(self, ranked: list[tuple[int, float]],
                              readings: dict[str, str]) -> list[tuple[int, float]]:
        """``ranked`` re-ordered by ``score + sentence_weight × coverage``: the share of the
        question's terms held by the passage's best sentence (:func:`qa.analysis.sentence_overlap`),
        taken with the reading in the passage's language (the Indonesian translation for an
        Indonesian passage)."""
        from qa.analysis import question_terms, sentence_overlap

        terms = {lang: question_terms(text) for lang, text in readings.items()}
        languages = self.index.languages
        chunks = self.index.chunks([row for row, _ in ranked])
        rescored = []
        for (row, score), chunk in zip(ranked, chunks):
            chunk_terms = terms.get(str(languages[row]) if languages is not None else "en", terms["en"])
            coverage = max((sentence_overlap(chunk_terms, chunk.text[max(s - chunk.start, 0):e - chunk.start])
                            for s, e in chunk.sentences), default=0.0)
            rescored.append((row, score + self.sentence_weight * coverage))
        return sorted(rescored, key=lambda rs: (-rs[1], rs[0]))

    def mostly_indonesian(self) -> bool:
        """Whether more than half of the index's chunks are Indonesian (computed once)."""
        if self._mostly_indonesian is None:
            languages = self.index.languages
            self._mostly_indonesian = languages is not None and len(languages) > 0 and \
                float((languages == "id").mean()) > 0.5
        return self._mostly_indonesian

    @staticmethod
    def _translation(question: str) -> str:
        """An English question's Indonesian translation (:mod:`qa.translate`)."""
        from qa.translate import QuestionTranslator

        return QuestionTranslator.load().translate(question)

    def _dense(self, query_vector, depth: int, language: str) -> list[tuple[int, float]]:
        """Dense ranking; passages in another language than the question's get
        ``CROSS_LINGUAL_BONUS`` (candidates drawn 4× deeper so that the bonus can promote them)."""
        bonus = CROSS_LINGUAL_BONUS.get(language, 0.0)
        languages = self.index.languages if bonus else None
        if languages is None:
            return self.index.search_dense(query_vector, depth)
        hits = self.index.search_dense(query_vector, 4 * depth)
        adjusted = [(row, score + bonus * float(languages[row] != language)) for row, score in hits]
        return sorted(adjusted, key=lambda rs: (-rs[1], rs[0]))[:depth]

    def _passages(self, top: list[tuple[int, float]], dense: dict[int, float],
                  lexical: dict[int, float]) -> list[Passage]:
        if self._documents is None:
            self._documents = {d["doc_id"]: d for d in self.index.documents()}
        chunks = self.index.chunks([row for row, _ in top])
        passages = []
        for rank, ((row, score), chunk) in enumerate(zip(top, chunks), start=1):
            meta = self._documents.get(chunk.doc_id, {})
            scores = {}
            if row in dense:
                scores["dense"] = dense[row]
            if row in lexical:
                scores["bm25"] = lexical[row]
            passages.append(Passage(
                doc_id=chunk.doc_id, chunk_id=chunk.chunk_id, text=chunk.text, start=chunk.start,
                end=chunk.end, score=float(score), rank=rank, sentences=list(chunk.sentences),
                outlet=meta.get("outlet"), date=meta.get("date") or meta.get("date_text"),
                title=meta.get("title"), scores=scores))
        return passages
