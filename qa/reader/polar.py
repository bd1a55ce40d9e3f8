"""Yes/no questions: answered with the clause of the article that says yes or no.

"Is the referendum legally binding?", "Apakah Astana merupakan kota pertama …?": the span model was
trained on factoid questions (TyDi QA and its kin have no yes/no questions in their span data) and
reads these poorly — it declines, or answers a name from the sentence. What a researcher wants is
the article's own words: "tidak mengikat secara hukum". For such a question the reader takes the
sentence of its passages that shares the largest share of the question's terms (either reading of
an English question), and in it the clause (split at commas, semicolons and contrastive
conjunctions) that shares most; "not found" when even the best sentence holds less than
:data:`MIN_COVERAGE` of the terms.

Which questions count: English ones that open with an auxiliary ("is", "did", "can", …), and
Indonesian ones that open with "apakah" followed by a statement ("Apakah kerusuhan itu sudah
berakhir?"), not by a noun phrase asked about ("Apakah nama ilmiah buah keras?" asks *what* it is).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.analysis import sentence_overlap
from qa.reader.base import ReaderResult, Span, sentence_of, span_sentence
from qa.reader.evidence import best_sentence
from qa.retrieval import Passage

MIN_COVERAGE = 0.5
"""Least share of the question's terms the chosen sentence must hold for an answer."""
POLAR_SPANS_CHECKED = 1
"""How many of the model's best spans a yes/no question checks before taking the clause."""
POLAR_SPAN_SLACK = 0.2
"""How much less of the question's terms the model's span's sentence may hold than the best one."""

_ENGLISH_POLAR = re.compile(
    r"^(is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|must|may|might)\s+[\w'’-]+\s+\w",
    re.IGNORECASE)
_INDONESIAN_POLAR = re.compile(r"^(?:apakah|apa benar)\s+(.+)$", re.IGNORECASE)
# "Apakah nama … menjadi …?" asks what the name is: a first word of these asks for a noun.
_ASKED_NOUNS = frozenset("""
yang yg itu nama arti maksud pengertian definisi judul isi jenis bentuk fungsi tujuan manfaat penyebab
sebab alasan pekerjaan pendidikan profesi motif sebutan istilah julukan gelar makna kepanjangan
singkatan ciri contoh tugas peran dampak akibat syarat perbedaan keunggulan kelebihan kekurangan
""".split())
# Words that make what follows "apakah" a statement: auxiliaries, copulas, negation, a few adverbs.
_PREDICATE_WORDS = frozenset("""
sudah telah akan masih pernah sedang bisa dapat boleh harus tetap merupakan adalah termasuk menjadi ada
benar biasanya memang selalu tidak bukan belum sama mampu berhasil
""".split())
# me-/ber-/di- words that are not verbs.
_NOT_VERBS = frozenset("""
mereka menurut melalui mengenai meski meskipun bersama berdasarkan beberapa berapa dimana dimanakah diri
dia dialah dirinya demi dekat dengan depan dalam
""".split())
_VERB = re.compile(r"^(me|ber|di)[a-z]{3,}$")
_CLAUSE_BREAK = re.compile(
    r"\s*[,;:]\s+|\s*[–—]\s*|\s+(?=(?:tetapi|namun|sementara|sedangkan|meskipun|walaupun|padahal|but|while|although)\b)",
    re.IGNORECASE)
_LEADING_LINKS = re.compile(
    r"(?:(?:dan|tetapi|namun|sementara|sedangkan|meskipun|walaupun|padahal|bahwa|and|but|while|although)\s+)+",
    re.IGNORECASE)
_EDGE = "\"'“”‘’«»()[] .,;:!?"


def is_polar(question: str) -> bool:
    """Whether a question asks yes or no: an English one opening with an auxiliary ("Is …", "Did …"),
    an Indonesian one opening with "apakah" whose rest holds a predicate (an auxiliary, copula or
    negation, or a me-/ber-/di- verb outside a "yang" clause). "Apakah album pertama TIC band?"
    asks *what*, "Apakah kerusuhan itu sudah berakhir?" asks yes or no."""
    q = question.strip()
    if re.search(r"\s(or|atau)\s", q, re.IGNORECASE):
        return False  # "Is Snoopy a girl or a boy?" asks which one: a span answers it
    if _ENGLISH_POLAR.match(q):
        return True
    m = _INDONESIAN_POLAR.match(q)
    if not m:
        return False
    words = re.findall(r"[a-z]+", m.group(1).lower())
    if not words or words[0] in _ASKED_NOUNS:
        return False
    for word in words:
        if word in ("yang", "yg"):
            return False
        if word in _PREDICATE_WORDS or (_VERB.match(word) and word not in _NOT_VERBS):
            return True
    return False


@dataclass
class PolarClause:
    """The clause chosen for a yes/no question: passage-relative offsets and the share of the
    question's terms its sentence holds."""

    passage_index: int
    start: int
    end: int
    coverage: float


def polar_clause(term_sets: list[set[str]], passages: list[Passage]) -> PolarClause | None:
    """The clause that answers a yes/no question whose readings have ``term_sets`` (analysed
    content terms), or None when no sentence holds :data:`MIN_COVERAGE` of them.

    Sentences are compared by the share of the terms they hold (the best reading), ties go to the
    earlier passage (:func:`qa.reader.evidence.best_sentence`); within the sentence, the clause
    holding most terms wins (ties: the earlier).
    """
    from qa.analysis import make_analyzer

    groups = [g for g in term_sets if g]
    best = best_sentence(groups, passages)
    if best is None or best.coverage < MIN_COVERAGE:
        return None
    start, end = _best_clause(passages[best.passage_index].text, best.start, best.end, groups, make_analyzer())
    return PolarClause(best.passage_index, start, end, best.coverage)


def _best_clause(text: str, cs: int, ce: int, groups: list[set[str]], analyse) -> tuple[int, int]:
    pieces, at = [], cs
    for m in _CLAUSE_BREAK.finditer(text, cs, ce):
        pieces.append((at, m.start()))
        at = m.end()
    pieces.append((at, ce))
    best, best_hits = (cs, ce), -1
    for start, end in pieces:
        lead = _LEADING_LINKS.match(text, start, end)
        if lead:
            start = lead.end()
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if end - start < 2:
            continue
        words = set(analyse(text[start:end]))
        hits = max(len(g & words) for g in groups)
        if hits > best_hits:
            best, best_hits = (start, end), hits
    return best


def polar_result(result: ReaderResult, terms: list[set[str]], passages: list[Passage]) -> ReaderResult:
    """``result`` of the span model decided again for a yes/no question: "not found" when no sentence
    matches it (:func:`polar_clause`); the model's best span when its sentence
    matches within :data:`POLAR_SPAN_SLACK` of the best sentence; else the best sentence's clause.
    ``terms`` are the analysed terms of each reading of the question."""
    clause = polar_clause(terms, passages)
    if clause is None:
        return replace(result, found=False)
    for span in result.spans[:POLAR_SPANS_CHECKED]:
        # The model's own span stands when its sentence is (nearly) as good a match as the best one.
        if len(span.text.split()) >= 2 \
                and sentence_overlap(terms, span_sentence(span)) >= clause.coverage - POLAR_SPAN_SLACK:
            return replace(result, found=True, features={**result.features, "polar_coverage": clause.coverage})
    p = passages[clause.passage_index]
    start, end = p.start + clause.start, p.start + clause.end
    s_start, s_end = sentence_of(p, start, end)
    span = Span(p, start, end, p.text[clause.start:clause.end], result.score, s_start, s_end)
    rest = [s for s in result.spans if (s.passage.doc_id, s.start, s.end) != (p.doc_id, start, end)]
    return ReaderResult(spans=[span] + rest, found=True, score=result.score, decision=result.decision,
                        features={**result.features, "polar_coverage": clause.coverage})
