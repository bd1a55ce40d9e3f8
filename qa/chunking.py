"""Split a cleaned document into overlapping chunks of whole sentences.

Chunk sizes are measured with ``count_tokens`` (the embedding model's tokenizer in
production) on the exact chunk text, so the limit holds for what gets embedded.
A sentence longer than the limit is cut at word boundaries (or, for a single
enormous "word" such as a URL, at character boundaries) into pieces that fit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from qa.sentences import split_sentences

Span = tuple[int, int]
_WORD = re.compile(r"\S+")


@dataclass
class Chunk:
    """A run of sentences of one document; offsets point into the cleaned document text."""

    doc_id: str
    chunk_id: int
    text: str
    start: int
    end: int
    sentences: list[Span] = field(default_factory=list)


def _longest_fit(text: str, start: int, ends: list[int], count_tokens: Callable[[str], int], limit: int) -> int:
    """Index into ``ends`` of the longest ``text[start:end]`` within ``limit`` tokens (-1 if none)."""
    lo, hi, best = 0, len(ends) - 1, -1
    while lo <= hi:
        mid = (lo + hi) // 2
        if count_tokens(text[start : ends[mid]]) <= limit:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return best


def _split_long(text: str, span: Span, count_tokens: Callable[[str], int], limit: int) -> list[Span]:
    """Cut one over-long sentence into word-boundary pieces of at most ``limit`` tokens."""
    s, e = span
    words = [(s + m.start(), s + m.end()) for m in _WORD.finditer(text[s:e])]
    pieces: list[Span] = []
    i = 0
    while i < len(words):
        start = words[i][0]
        k = _longest_fit(text, start, [we for _, we in words[i:]], count_tokens, limit)
        if k >= 0:
            pieces.append((start, words[i + k][1]))
            i += k + 1
            continue
        # A single word is over the limit: cut it by characters.
        ws, we = words[i]
        while ws < we:
            c = _longest_fit(text, ws, list(range(ws + 1, we + 1)), count_tokens, limit)
            cut = ws + 1 + max(c, 0)  # always progress, even if one character is "too long"
            pieces.append((ws, cut))
            ws = cut
        i += 1
    return pieces


def sentence_units(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[Span]:
    """Sentence spans of ``text``, with sentences over ``max_tokens`` split into fitting pieces."""
    units: list[Span] = []
    for span in split_sentences(text):
        if count_tokens(text[span[0] : span[1]]) <= max_tokens:
            units.append(span)
        else:
            units.extend(_split_long(text, span, count_tokens, max_tokens))
    return units


def chunk_document(
    doc_id: str,
    text: str,
    count_tokens: Callable[[str], int],
    max_tokens: int = 200,
    overlap_sentences: int = 1,
) -> list[Chunk]:
    """Chunk ``text`` into runs of whole sentences of at most ``max_tokens`` tokens.

    Args:
        doc_id: Document id stored on every chunk.
        text: Cleaned document text (offsets refer to it).
        count_tokens: Token counter, e.g. the embedding tokenizer's length without special tokens.
        max_tokens: Upper bound on ``count_tokens(chunk.text)``.
        overlap_sentences: Sentences repeated at the start of the next chunk (reduced
            when the repeated sentences would not leave room for a new one).

    Returns:
        Chunks in document order; ``[]`` for an empty document.
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    if overlap_sentences < 0:
        raise ValueError(f"overlap_sentences must be 0 or more, got {overlap_sentences}")
    units = sentence_units(text, count_tokens, max_tokens)
    chunks: list[Chunk] = []
    first = 0  # index of the first unit of the current chunk
    new = 0  # index of the first unit not yet in any chunk
    while new < len(units):
        # Keep the overlap only if it leaves room for at least one new unit.
        while first < new and count_tokens(text[units[first][0] : units[new][1]]) > max_tokens:
            first += 1
        last = new
        while last + 1 < len(units) and count_tokens(text[units[first][0] : units[last + 1][1]]) <= max_tokens:
            last += 1
        start, end = units[first][0], units[last][1]
        chunks.append(Chunk(doc_id, len(chunks), text[start:end], start, end, list(units[first : last + 1])))
        new = last + 1
        first = max(new - overlap_sentences, first)
    return chunks
