"""Answer types: what ``QA.ask`` returns and every face (CLI, chat, eval) shows.

Offsets are character offsets into the *cleaned* article text stored in the index, so
``document_text[answer_start:answer_end] == answer_text`` always holds.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from qa.retrieval import Passage


@dataclass
class Citation:
    """Where an answer comes from: the article, its outlet and date, and the sentence."""

    doc_id: str
    chunk_id: int
    outlet: str | None
    date: str | None
    title: str | None
    sentence: str
    sentence_start: int
    sentence_end: int
    answer_start: int
    answer_end: int


@dataclass
class Answer:
    """The result of a question.

    Attributes:
        question: the question as asked.
        text: the answer span copied from an article ("" when ``found`` is False).
        score: the reader's confidence for the span (higher is better; reader-specific scale).
        language: "id" or "en", the detected language of the question.
        found: False means "not in the articles" (a real answer, not an error).
        citations: one citation per supporting span (the best first).
        passages: the retrieved passages the reader looked at, best first.
        english: for English questions, dates/numbers of the span rendered in English form.
        reader: which reader produced the answer.
        message: a short explanation for the user when the question was rejected or not found.
    """

    question: str
    text: str
    score: float
    language: str
    found: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    english: str | None = None
    reader: str = ""
    message: str = ""
    latency_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (stable field names; see README)."""
        return asdict(self)
