"""The reader's types: candidate spans, the result of a reading, and what every reader implements."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Protocol

from qa.retrieval import Passage


@dataclass
class Span:
    """A candidate answer: ``text == document_text[start:end]`` (cleaned document).

    ``readings`` holds the span's score in each reading of the question (as asked, then translated;
    one entry when the question was read once), before the rank and sentence terms."""

    passage: Passage
    start: int
    end: int
    text: str
    score: float
    sentence_start: int
    sentence_end: int
    readings: tuple[float, ...] = ()


@dataclass
class ReaderResult:
    """Spans best first, and whether the best one should be given as the answer.

    ``score`` is the best span's margin; ``decision`` the score the answer / "not found" decision
    compared with the threshold (:mod:`qa.reader.decision`: the margin plus weighted ``features``).
    """

    spans: list[Span] = field(default_factory=list)
    found: bool = False
    score: float = 0.0
    decision: float = 0.0
    features: dict[str, float] = field(default_factory=dict)


class Reader(Protocol):
    """What every reader implements."""

    name: str

    def warm_up(self) -> None: ...

    def read(self, question: str, passages: list[Passage], language: str,
             index_chunks: int | None = None) -> ReaderResult:
        """Spans of ``passages`` answering ``question``; ``index_chunks`` is the size of the index
        they came from (None: a given context), which readers may use to decide "not found"."""


class LazyModel:
    """Loads a heavy model once, thread-safely, on the first :meth:`warm_up` (subclasses define
    ``_load_model``; ``_loaded`` says whether it ran)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded = False

    def warm_up(self) -> None:
        """Load the model now (idempotent, thread-safe)."""
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                self._load_model()
                self._loaded = True

    def _load_model(self) -> None:
        raise NotImplementedError


def sentence_of(passage: Passage, start: int, end: int) -> tuple[int, int]:
    """The (start, end) document offsets of the passage sentence that holds ``[start, end)``."""
    for s, e in passage.sentences:
        if s <= start < e:
            return s, max(e, min(end, passage.end))
    return passage.start, passage.end


def span_sentence(span: Span) -> str:
    """The text of the passage sentence that holds ``span``."""
    p = span.passage
    return p.text[span.sentence_start - p.start:span.sentence_end - p.start]
