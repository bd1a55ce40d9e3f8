"""Language-balanced dense ranking (qa.retrieval.Retriever.language_balanced) on a tiny fake index."""
from __future__ import annotations

from types import SimpleNamespace

from qa.retrieval import Retriever

ID_TEXT = "Walikota Shenzhen bertemu dengan Kepala Otorita IKN dan mereka membahas kerja sama yang erat."
EN_TEXT = "The mayor of the city met the head of the authority and they discussed a close cooperation."


class FakeIndex:
    def __init__(self, texts: list[str]):
        self.texts = texts
        self.fetched: list[int] = []

    def chunks(self, rows):
        self.fetched += list(rows)
        return [SimpleNamespace(text=self.texts[r]) for r in rows]


def test_other_language_is_not_crowded_out():
    index = FakeIndex([EN_TEXT] * 6 + [ID_TEXT] * 2)
    retriever = Retriever(index, embedder=None)
    ranked = [(r, 1.0 - r / 10) for r in range(8)]  # English rows 0-5 score higher than Indonesian 6-7
    out = [row for row, _ in retriever.language_balanced(ranked)]
    assert sorted(out) == list(range(8))
    assert out.index(6) <= 1 and out.index(0) <= 1  # the best of each language share the top two
    assert out[:4] == [0, 6, 1, 7]
    # Scores stay the dense scores of each row.
    assert dict(retriever.language_balanced(ranked))[6] == 1.0 - 6 / 10


def test_single_language_ranking_is_unchanged_and_languages_are_cached():
    index = FakeIndex([ID_TEXT] * 5)
    retriever = Retriever(index, embedder=None)
    ranked = [(r, 1.0 - r / 10) for r in range(5)]
    assert retriever.language_balanced(ranked) == ranked
    fetched = len(index.fetched)
    retriever.language_balanced(ranked)
    assert len(index.fetched) == fetched  # second call served from the cache
