"""Tests for qa.chunking.chunk_document."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.chunking import Chunk, chunk_document
from qa.ingest import clean_text
from qa.sentences import split_sentences

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def count_words(text: str) -> int:
    """Whitespace token counter standing in for the embedding tokenizer."""
    return len(text.split())


def _check_offsets(chunks: list[Chunk], text: str, doc_id: str) -> None:
    for i, chunk in enumerate(chunks):
        assert chunk.doc_id == doc_id and chunk.chunk_id == i
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.text and chunk.text == chunk.text.strip()
        assert chunk.sentences[0][0] == chunk.start and chunk.sentences[-1][1] == chunk.end
        for s, e in chunk.sentences:
            assert chunk.start <= s < e <= chunk.end


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    return {p.name: clean_text(p.read_text(encoding="utf-8"))[0] for p in SEEDS}


def test_offsets_exact_and_limit_respected(seed_texts):
    for name, text in seed_texts.items():
        for max_tokens in (20, 60, 200):
            chunks = chunk_document(name, text, count_words, max_tokens=max_tokens)
            assert chunks
            _check_offsets(chunks, text, name)
            assert all(count_words(c.text) <= max_tokens for c in chunks)


def test_every_sentence_is_in_some_chunk(seed_texts):
    for name, text in seed_texts.items():
        chunks = chunk_document(name, text, count_words, max_tokens=200)
        for s, e in split_sentences(text):
            assert any(c.start <= s and e <= c.end for c in chunks), text[s:e]
        # With a tiny limit long sentences are cut, but every word is still covered.
        small = chunk_document(name, text, count_words, max_tokens=12)
        covered = set()
        for c in small:
            covered.update(range(c.start, c.end))
        for s, e in split_sentences(text):
            assert all(i in covered for i in range(s, e) if not text[i].isspace()), text[s:e]


def test_overlap_repeats_sentences():
    text = " ".join(f"Kalimat nomor {i} ada di sini." for i in range(10))  # 6 words each
    chunks = chunk_document("d", text, count_words, max_tokens=18, overlap_sentences=1)
    assert len(chunks) > 2
    for a, b in zip(chunks, chunks[1:]):
        assert a.sentences[-1] == b.sentences[0]
        assert b.end > a.end
    no_overlap = chunk_document("d", text, count_words, max_tokens=18, overlap_sentences=0)
    assert all(a.end < b.start for a, b in zip(no_overlap, no_overlap[1:]))
    assert sum(len(c.sentences) for c in no_overlap) == 10


def test_overlap_two_sentences():
    text = " ".join(f"Ini kalimat {i}." for i in range(12))  # 3 words each
    chunks = chunk_document("d", text, count_words, max_tokens=12, overlap_sentences=2)
    for a, b in zip(chunks, chunks[1:]):
        assert a.sentences[-2:] == b.sentences[:2]
    assert chunks[-1].end == len(text)


def test_overlap_dropped_when_no_room():
    text = "Satu dua tiga empat. Lima enam tujuh delapan."
    chunks = chunk_document("d", text, count_words, max_tokens=5, overlap_sentences=1)
    assert [c.text for c in chunks] == ["Satu dua tiga empat.", "Lima enam tujuh delapan."]


def test_long_sentence_is_split_at_word_boundaries():
    words = [f"kata{i}" for i in range(25)]
    text = "Pendek sekali. " + " ".join(words) + ". Penutup."
    chunks = chunk_document("d", text, count_words, max_tokens=10, overlap_sentences=0)
    _check_offsets(chunks, text, "d")
    assert all(count_words(c.text) <= 10 for c in chunks)
    pieces = [text[s:e] for c in chunks for s, e in c.sentences]
    joined = " ".join(pieces)
    assert joined.split() == text.split()  # nothing lost, no word cut in half
    assert all(not p.startswith(" ") and not p.endswith(" ") for p in pieces)


def test_giant_word_is_cut_by_characters():
    text = "x" * 50
    chunks = chunk_document("d", text, len, max_tokens=8, overlap_sentences=0)
    assert "".join(c.text for c in chunks) == text
    assert all(len(c.text) <= 8 for c in chunks)


def test_empty_document_and_bad_args():
    assert chunk_document("d", "", count_words) == []
    assert chunk_document("d", "  \n\n ", count_words) == []
    with pytest.raises(ValueError):
        chunk_document("d", "Teks.", count_words, max_tokens=0)
    with pytest.raises(ValueError):
        chunk_document("d", "Teks.", count_words, overlap_sentences=-1)


def test_deterministic(seed_texts):
    text = next(iter(seed_texts.values()))
    assert chunk_document("d", text, count_words, 40) == chunk_document("d", text, count_words, 40)


def test_an_enormous_sentence_is_cut_in_linear_work():
    """A 1 MB line with no sentence end (seen in the odd-files benchmark) must not re-tokenise the
    rest of the line for every piece: the characters handed to the counter stay within a small
    multiple of the text's length, and every piece fits."""
    from qa.chunking import chunk_document

    text = "kata " * 20_000
    seen = []

    def count(s: str) -> int:
        seen.append(len(s))
        return len(s.split())

    chunks = chunk_document("huge", text, count, max_tokens=50, overlap_sentences=0)
    assert chunks and all(len(c.text.split()) <= 50 for c in chunks)
    assert sum(seen) < 40 * len(text)
    word = "x" * 50_000  # one enormous "word"
    seen.clear()
    pieces = chunk_document("word", word, lambda s: (seen.append(len(s)), len(s) // 4 + 1)[1], max_tokens=50)
    assert "".join(c.text for c in pieces) == word and sum(seen) < 40 * len(word)
