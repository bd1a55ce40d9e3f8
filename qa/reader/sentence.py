"""The sentence reader: a simple, honest baseline.

It does not extract a short span: the answer is the whole retrieved sentence that shares the
most (IDF-weighted) words with the question, with a small bonus for better-ranked passages.
"""
from __future__ import annotations

import math
import re

from qa.reader.base import ReaderResult, Span
from qa.retrieval import Passage

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = set("""yang dan di ke dari untuk dengan pada dalam ini itu adalah apa siapa kapan mana berapa
bagaimana mengapa kenapa apakah the of a an to in on at for and or is are was were did does do what who
when where which why how""".split())


def _words(text: str) -> set[str]:
    return {w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _STOP}


class SentenceReader:
    """Answers with the best-matching sentence of the retrieved passages."""

    name = "sentence"
    min_overlap = 0.34  # share of the question's weighted words a sentence must cover

    def warm_up(self) -> None:
        """Nothing to load."""

    def read(self, question: str, passages: list[Passage], language: str,
             index_chunks: int | None = None) -> ReaderResult:
        """The sentence covering most of the question's weighted words (``index_chunks`` unused)."""
        q = _words(question)
        sentences = [(p, s, e) for p in passages for s, e in p.sentences]
        if not q or not sentences:
            return ReaderResult()
        df: dict[str, int] = {}
        for p, s, e in sentences:
            for w in _words(p.text[s - p.start:e - p.start]):
                df[w] = df.get(w, 0) + 1
        idf = {w: math.log(1 + len(sentences) / (1 + df.get(w, 0))) for w in q}
        total = sum(idf.values())
        spans = []
        for p, s, e in sentences:
            words = _words(p.text[s - p.start:e - p.start])
            coverage = sum(idf[w] for w in q & words) / total
            score = coverage + 0.05 / p.rank if p.rank else coverage
            spans.append(Span(p, s, e, p.text[s - p.start:e - p.start], score, s, e))
        spans.sort(key=lambda sp: -sp.score)
        best = spans[0]
        return ReaderResult(spans=spans[:5], found=best.score >= self.min_overlap, score=best.score)
