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
MAX_CHARS_PER_TOKEN = 64  # longer than any vocabulary piece: bounds the search inside one enormous word


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
        # every word is at least one token, so no fitting piece has more than ``limit`` words: searching
        # only those keeps a 1 MB sentence linear instead of re-tokenising the rest of it each time
        k = _longest_fit(text, start, [we for _, we in words[i:i + limit]], count_tokens, limit)
        if k >= 0:
            pieces.append((start, words[i + k][1]))
            i += k + 1
            continue
        # A single word is over the limit: cut it by characters.
        ws, we = words[i]
        while ws < we:
            c = _longest_fit(text, ws, list(range(ws + 1, min(we, ws + MAX_CHARS_PER_TOKEN * limit) + 1)),
                             count_tokens, limit)
            cut = ws + 1 + max(c, 0)  # always progress, even if one character is "too long"
            pieces.append((ws, cut))
            ws = cut
        i += 1
    return pieces


def sentence_units(text: str, count_tokens: Callable[[str], int], max_tokens: int,
                   count_many: Callable[[list[str]], list[int]] | None = None) -> tuple[list[Span], list[int]]:
    """Sentence spans of ``text`` (sentences over ``max_tokens`` split into fitting pieces) and
    the token count of each."""
    spans = split_sentences(text)
    pieces = [text[s:e] for s, e in spans]
    counts = count_many(pieces) if count_many else [count_tokens(p) for p in pieces]
    units: list[Span] = []
    unit_counts: list[int] = []
    for span, n in zip(spans, counts):
        if n <= max_tokens:
            units.append(span)
            unit_counts.append(n)
        else:
            for piece in _split_long(text, span, count_tokens, max_tokens):
                units.append(piece)
                unit_counts.append(count_tokens(text[piece[0] : piece[1]]))
    return units, unit_counts


def chunk_document(
    doc_id: str,
    text: str,
    count_tokens: Callable[[str], int],
    max_tokens: int = 200,
    overlap_sentences: int = 1,
    count_many: Callable[[list[str]], list[int]] | None = None,
) -> list[Chunk]:
    """Chunk ``text`` into runs of whole sentences of at most ``max_tokens`` tokens.

    Sentences are counted once (in one batch when ``count_many`` is given); a run is grown by
    the sum of its sentences' counts, and every chunk's exact count is then checked with
    ``count_tokens`` (shrunk by a sentence while over the limit), so the limit always holds.

    Args:
        doc_id: Document id stored on every chunk.
        text: Cleaned document text (offsets refer to it).
        count_tokens: Token counter, e.g. the embedding tokenizer's length without special tokens.
        max_tokens: Upper bound on ``count_tokens(chunk.text)``.
        overlap_sentences: Sentences repeated at the start of the next chunk (reduced
            when the repeated sentences would not leave room for a new one).
        count_many: Optional batch version of ``count_tokens`` (much faster with a fast tokenizer).

    Returns:
        Chunks in document order; ``[]`` for an empty document.
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    if overlap_sentences < 0:
        raise ValueError(f"overlap_sentences must be 0 or more, got {overlap_sentences}")
    units, counts = sentence_units(text, count_tokens, max_tokens, count_many)
    prefix = [0]
    for n in counts:
        prefix.append(prefix[-1] + n)

    def fits(a: int, b: int) -> bool:  # units a..b inclusive, estimated by the sum of counts
        return prefix[b + 1] - prefix[a] <= max_tokens

    chunks: list[Chunk] = []
    first = 0  # index of the first unit of the current chunk
    new = 0  # index of the first unit not yet in any chunk
    while new < len(units):
        # Keep the overlap only if it leaves room for at least one new unit.
        while first < new and not fits(first, new):
            first += 1
        last = new
        while last + 1 < len(units) and fits(first, last + 1):
            last += 1
        # The sum is an estimate (joining sentences can change tokens): check the real count.
        while count_tokens(text[units[first][0] : units[last][1]]) > max_tokens and (last > new or first < new):
            if last > new:
                last -= 1
            else:
                first += 1
        start, end = units[first][0], units[last][1]
        chunks.append(Chunk(doc_id, len(chunks), text[start:end], start, end, list(units[first : last + 1])))
        new = last + 1
        first = max(new - overlap_sentences, first)
    return chunks
