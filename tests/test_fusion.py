"""Reciprocal-rank fusion (qa.retrieval.fuse_rankings), checked against the formula by hand."""
from __future__ import annotations

import pytest

from qa.retrieval import RRF_K, fuse_rankings


def test_scores_follow_the_formula():
    fused = dict(fuse_rankings([[7, 8, 9], [9, 7]], [1.0, 0.5], k0=10))
    assert fused[7] == pytest.approx(1 / 11 + 0.5 / 12)
    assert fused[8] == pytest.approx(1 / 12)
    assert fused[9] == pytest.approx(1 / 13 + 0.5 / 11)


def test_zero_weight_ranking_is_ignored_and_ties_break_by_row():
    fused = fuse_rankings([[3, 1], [2, 5, 1]], [1.0, 0.0], k0=RRF_K)
    assert [row for row, _ in fused] == [3, 1]
    tied = fuse_rankings([[4], [2]], [1.0, 1.0], k0=RRF_K)
    assert [row for row, _ in tied] == [2, 4]


def test_default_constant_lets_a_first_place_beat_two_middling_ranks():
    # Row 1 is first for BM25 but outside the dense list; rows 10..14 sit at ranks 6-10 of both.
    dense = [20, 21, 22, 23, 24, 10, 11, 12, 13, 14]
    lexical = [1, 30, 31, 32, 33, 10, 11, 12, 13, 14]
    top5 = [row for row, _ in fuse_rankings([dense, lexical], [1.0, 1.0])[:5]]
    assert 1 in top5
    flat = [row for row, _ in fuse_rankings([dense, lexical], [1.0, 1.0], k0=60)[:5]]
    assert 1 not in flat  # what the old constant did


class _Index:
    """A stand-in index: fixed dense hits, no BM25 hits, chunk languages given."""

    def __init__(self, languages, hits):
        import numpy as np

        self.languages = np.array(languages)
        self.hits = hits
        self.lexical = self
        self.searched: list = []

    def search_dense(self, vector, depth):
        self.searched.append(vector)
        return self.hits[len(self.searched) - 1][:depth]

    def search(self, question, depth):
        return []


class _Embedder:
    def __init__(self):
        self.texts: list = []

    def encode_query(self, texts, language=None):
        self.texts.append((texts[0], language))
        return [len(self.texts)]


def _ranked(retriever, question, monkeypatch):
    from qa import retrieval

    monkeypatch.setattr(retrieval.Retriever, "_passages", lambda self, top, dense, lexical: [row for row, _ in top])
    return retriever.retrieve(question, k=3, language="en")


def test_english_question_over_indonesian_index_also_searches_its_translation(monkeypatch):
    from qa.retrieval import Retriever

    # The question's own ranking puts chunk 5 first; its Indonesian translation finds chunk 2 first.
    index = _Index(["id", "id", "id", "en", "id", "id"], [[(5, 0.9), (4, 0.8), (3, 0.7)], [(2, 0.9), (4, 0.8)]])
    embedder = _Embedder()
    retriever = Retriever(index, embedder, translated_dense=1.0)
    assert retriever.mostly_indonesian()
    top = _ranked(retriever, "Who is the mayor of Shenzhen?", monkeypatch)
    assert embedder.texts[1] == ("siapa walikota Shenzhen?", "id")  # the translation, embedded as Indonesian
    assert top[0] == 4  # second in both rankings beats first in one
    assert set(top) == {4, 5, 2}


def test_translation_search_is_off_over_a_mostly_english_index_or_at_weight_zero(monkeypatch):
    from qa.retrieval import Retriever

    english = _Index(["en", "en", "id"], [[(1, 0.9), (0, 0.8)], [(2, 0.9)]])
    assert _ranked(Retriever(english, _Embedder(), translated_dense=1.0), "Who won?", monkeypatch) == [1, 0]
    assert len(english.searched) == 1
    indonesian = _Index(["id", "id", "en"], [[(1, 0.9), (0, 0.8)], [(2, 0.9)]])
    assert _ranked(Retriever(indonesian, _Embedder(), translated_dense=0.0), "Who won?", monkeypatch) == [1, 0]
    assert len(indonesian.searched) == 1


def test_english_question_over_indonesian_index_can_also_match_its_translation_in_bm25(monkeypatch):
    from qa.retrieval import Retriever

    class _Lexical:
        def __init__(self):
            self.queries: list = []

        def search(self, query, depth):
            self.queries.append(query)
            return [(2, 7.5)] if "siapa" in query else []

    index = _Index(["id", "id", "id", "id"], [[(0, 0.9), (1, 0.8)]])
    index.lexical = _Lexical()
    top = _ranked(Retriever(index, _Embedder(), translated_bm25=1.0), "Who is the mayor of Shenzhen?", monkeypatch)
    assert index.lexical.queries == ["siapa walikota Shenzhen?"]  # the translation, not the English
    assert top[:2] == [0, 2]  # BM25's first place on the translation ties the dense second; the row breaks it
    off = _Index(["id", "id", "id", "id"], [[(0, 0.9), (1, 0.8)]])
    off.lexical = _Lexical()
    assert _ranked(Retriever(off, _Embedder()), "Who is the mayor of Shenzhen?", monkeypatch) == [0, 1]
    assert off.lexical.queries == []


class _Chunk:
    def __init__(self, text):
        self.text, self.start, self.sentences = text, 100, [(100, 100 + len(text))]


def _sentence_index():
    """Three Indonesian chunks; the dense ranking puts the one that answers the question last."""
    texts = {0: "Cuaca hari ini cerah di Jakarta.",
             1: "Kerusuhan terjadi. Walikota Shenzhen, Qin Weizhong, tiba di Nusantara.",
             2: "Perjanjian ditandatangani di Beijing."}
    ranking = [(0, 0.9), (2, 0.85), (1, 0.8)]
    index = _Index(["id", "id", "id"], [ranking, ranking])
    index.chunks = lambda rows: [_Chunk(texts[r]) for r in rows]
    return index


def test_the_sentence_term_promotes_the_passage_whose_sentence_holds_the_translated_question(monkeypatch):
    from qa.retrieval import Retriever

    question = "Who is the mayor of Shenzhen?"  # translated: "siapa walikota Shenzhen?"
    assert _ranked(Retriever(_sentence_index(), _Embedder()), question, monkeypatch) == [0, 2, 1]
    ranked = _ranked(Retriever(_sentence_index(), _Embedder(), sentence_weight=1.0), question, monkeypatch)
    assert ranked[0] == 1  # its second sentence holds every term of the translation
    # Only the first sentence_depth passages are re-ordered.
    shallow = Retriever(_sentence_index(), _Embedder(), sentence_weight=1.0, sentence_depth=2)
    assert _ranked(shallow, question, monkeypatch) == [0, 2, 1]
    # Indonesian questions keep the fused order (measured: the term lowered their F1).
    indonesian = Retriever(_sentence_index(), _Embedder(), sentence_weight=1.0)
    top = indonesian.retrieve("Siapa walikota Shenzhen?", k=3, language="id")
    assert top == [0, 2, 1]
