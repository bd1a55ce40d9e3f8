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
