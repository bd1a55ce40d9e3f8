"""The evidence sentence: the sentence of the passages that repeats most of the question's words.

News answers usually sit in the sentence that repeats the question's terms ("Why was beach access
shut down?" → "Petugas berwenang menutup akses menuju pantai … untuk kepentingan investigasi"). The
reader uses that in three places: a bonus for spans in such a sentence (:func:`qa.analysis.sentence_overlap`),
yes/no questions (:mod:`qa.reader.polar`) and the focused second reading of questions the span
model declined (:func:`focus_passage`, used by :func:`qa.reader.spans.read_passages`; replacing a
found answer too is an option there, measured and left off: model card).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from qa.retrieval import Passage


@dataclass
class EvidenceSentence:
    """The best-matching sentence: its passage's index, passage-relative offsets, and the share of
    the question's terms it holds (the best reading's)."""

    passage_index: int
    start: int
    end: int
    coverage: float


def best_sentence(term_sets: list[set[str]], passages: list[Passage]) -> EvidenceSentence | None:
    """The sentence of ``passages`` holding the largest share of the terms of any reading in
    ``term_sets`` (ties go to the earlier passage and sentence); None when there are no terms or
    sentences."""
    from qa.analysis import make_analyzer

    groups = [g for g in term_sets if g]
    if not groups:
        return None
    analyse = make_analyzer()
    best: EvidenceSentence | None = None
    for p_idx, p in enumerate(passages):
        for s, e in p.sentences:
            cs, ce = max(s - p.start, 0), min(e - p.start, len(p.text))
            if ce <= cs:
                continue
            words = set(analyse(p.text[cs:ce]))
            coverage = max(len(g & words) / len(g) for g in groups)
            if best is None or coverage > best.coverage:
                best = EvidenceSentence(p_idx, cs, ce, coverage)
    return best


def focus_passage(passage: Passage, start: int, end: int, following: int = 0) -> Passage:
    """The part ``[start, end)`` (passage-relative) of ``passage``, and the ``following`` sentences
    after it, as a passage of its own in the same document coordinates, so spans read from it cite
    the article as any other ("Hal ini dikarenakan …": a reason is often the next sentence)."""
    doc_start, doc_end = passage.start + start, passage.start + end
    later = [(s, e) for s, e in passage.sentences if s >= doc_end]
    if following > 0 and later:
        doc_end = min(later[:following][-1][1], passage.start + len(passage.text))
    sentences = [(max(s, doc_start), min(e, doc_end)) for s, e in passage.sentences if s < doc_end and e > doc_start]
    return replace(passage, text=passage.text[doc_start - passage.start:doc_end - passage.start], start=doc_start,
                   end=doc_end, sentences=sentences or [(doc_start, doc_end)])
