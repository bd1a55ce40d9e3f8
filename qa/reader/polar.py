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
from dataclasses import dataclass

from qa.retrieval import Passage

MIN_COVERAGE = 0.5
"""Least share of the question's terms the chosen sentence must hold for an answer."""

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
    earlier passage; within the sentence, the clause holding most terms wins (ties: the earlier).
    """
    from qa.analysis import make_analyzer

    groups = [g for g in term_sets if g]
    if not groups:
        return None
    analyse = make_analyzer()
    best: tuple[float, int, int, int] | None = None  # coverage, passage index, start, end
    for p_idx, p in enumerate(passages):
        for s, e in p.sentences:
            cs, ce = max(s - p.start, 0), min(e - p.start, len(p.text))
            if ce <= cs:
                continue
            words = set(analyse(p.text[cs:ce]))
            coverage = max(len(g & words) / len(g) for g in groups)
            if best is None or coverage > best[0]:
                best = (coverage, p_idx, cs, ce)
    if best is None or best[0] < MIN_COVERAGE:
        return None
    coverage, p_idx, cs, ce = best
    start, end = _best_clause(passages[p_idx].text, cs, ce, groups, analyse)
    return PolarClause(p_idx, start, end, coverage)


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
