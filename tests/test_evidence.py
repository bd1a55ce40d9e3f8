"""The evidence sentence (qa.reader.evidence) and the focused second reading that uses it."""
from __future__ import annotations

from pathlib import Path

from qa.analysis import question_terms, sentence_overlap
from qa.reader.evidence import best_sentence, focus_passage
from qa.retrieval import Passage
from qa.sentences import split_sentences

# From seeds/004_fcd06c7710b30c8c.txt.
TEXT = ("Kerjasama Sister City itu dikabarkan telah resmi ditandatangani oleh pihak Indonesia maupun "
        "Kazakhstan sejak tanggal 3 Juli 2023 lalu. Kedua pihak Indonesia dan Kazakhstan secara resmi telah "
        "menandatangani MoU (Memorandum of Understanding). Menurut keterangan dari kedua pihak, "
        "penandatanganan tersebut dilakukan sebagai bentuk inisiatif untuk ibu kota kedua negara.")


def _passage(text: str = TEXT, start: int = 100, rank: int = 1) -> Passage:
    sentences = [(start + s, start + e) for s, e in split_sentences(text)]
    return Passage(doc_id="d", chunk_id=0, text=text, start=start, end=start + len(text), rank=rank,
                   sentences=sentences)


def test_best_sentence_holds_most_of_the_question_terms():
    passage = _passage()
    best = best_sentence([question_terms("Penandatanganan dilakukan sebagai bentuk apa?")], [passage])
    assert best is not None and best.passage_index == 0
    assert passage.text[best.start:best.end].startswith("Menurut keterangan")
    assert best.coverage == sentence_overlap(question_terms("Penandatanganan dilakukan sebagai bentuk apa?"),
                                             passage.text[best.start:best.end])
    assert 0.5 < best.coverage <= 1.0


def test_best_sentence_takes_the_best_reading_and_the_earlier_passage_on_ties():
    first, second = _passage(rank=1), _passage(start=5000, rank=2)
    readings = [question_terms("When was it signed?"), question_terms("Kapan kerjasama Sister City ditandatangani?")]
    best = best_sentence(readings, [first, second])
    assert best.passage_index == 0
    assert first.text[best.start:best.end].startswith("Kerjasama Sister City")
    assert best.coverage == 1.0
    assert best_sentence([set()], [first]) is None


def test_focus_passage_keeps_document_offsets_and_can_take_the_next_sentence():
    passage = _passage()
    (s0, e0), (s1, e1) = passage.sentences[:2]
    alone = focus_passage(passage, s0 - passage.start, e0 - passage.start)
    assert alone.start == s0 and alone.text == TEXT[s0 - passage.start:e0 - passage.start]
    assert alone.sentences == [(s0, e0)] and alone.doc_id == passage.doc_id and alone.rank == passage.rank
    both = focus_passage(passage, s0 - passage.start, e0 - passage.start, following=1)
    assert both.end == e1 and both.sentences == [(s0, e0), (s1, e1)]
    assert both.text == TEXT[s0 - passage.start:e1 - passage.start]
    last = passage.sentences[-1]
    assert focus_passage(passage, last[0] - passage.start, last[1] - passage.start, following=1).end == last[1]



def test_a_declined_question_is_read_again_in_its_evidence_sentence(seed_index):
    """Through the product (``focused_reading`` in reader_config.json) over the seed index: read
    plainly, the English question is declined; read again in the sentence that holds its terms
    (seeds/003_286767ad72e4a68e.txt), it is answered from that sentence, with a citation."""
    from qa.pipeline import QA

    qa = QA.load(corpus=Path(__file__).resolve().parent.parent / "seeds", index_dir=seed_index, progress=False)
    qa.reader.warm_up()
    focus = qa.reader.config.get("focused_reading")
    assert focus and focus.get("slack") is None  # declined questions only (model card)
    question = "What was discussed about the Covid-19 pandemic?"
    answer = qa.ask(question)
    assert answer.found and "pandemi Covid-19" in answer.text
    citation = answer.citations[0]
    assert citation.doc_id.startswith("003_") and "pandemi Covid-19" in citation.sentence
    qa.reader.config = {**qa.reader.config, "focused_reading": None}
    try:
        assert not qa.ask(question).found
    finally:
        qa.reader.config = {**qa.reader.config, "focused_reading": focus}


def _found(passage: Passage, needle: str, score: float):
    from qa.reader.base import ReaderResult, Span

    start = passage.text.index(needle)
    span = Span(passage, passage.start + start, passage.start + start + len(needle), needle, score,
                passage.start, passage.end, (score, score))
    return ReaderResult(spans=[span], found=True, score=score, decision=score)


def _compare(monkeypatch, focus: dict, questions: list[str], focused_score: float):
    """``_focused_result`` for an answered question whose focused reading scores ``focused_score``
    for "inisiatif untuk ibu kota kedua negara" (the span model replaced by fixed candidates)."""
    from qa.reader import spans

    passage = _passage()
    answer = "inisiatif untuk ibu kota kedua negara"

    def candidates(model, tokenizer, qs, passages, **kwargs):
        text = passages[0].text
        if answer not in text:
            return []
        i = text.index(answer)
        return [spans.Candidate(focused_score, 0, i, i + len(answer), (focused_score,) * len(qs))]

    monkeypatch.setattr(spans, "_candidates", candidates)
    terms = [question_terms(q) for q in questions]
    result = _found(passage, "Kazakhstan", 2.0)
    return spans._focused_result(result, None, None, questions, [passage], terms, focus, {}, None, -1.69,
                                 0.0, None, (), None, False)


def test_a_translated_question_takes_the_focused_span_only_when_it_scores_higher(monkeypatch):
    focus = {"kinds": ["other"], "min_coverage": 0.6, "slack": None, "following": 1, "translated_compare": 0.0}
    readings = ["What was the signing done as?", "penandatanganan dilakukan sebagai bentuk apa?"]
    assert _compare(monkeypatch, focus, readings, 5.0).spans[0].text == "inisiatif untuk ibu kota kedua negara"
    assert _compare(monkeypatch, focus, readings, 1.5).spans[0].text == "Kazakhstan"  # lower: the answer stays
    higher_bar = {**focus, "translated_compare": 4.0}
    assert _compare(monkeypatch, higher_bar, readings, 5.0).spans[0].text == "Kazakhstan"
    # A question read once (Indonesian) or with the comparison off keeps a found answer.
    assert _compare(monkeypatch, focus, readings[1:], 5.0).spans[0].text == "Kazakhstan"
    off = {**focus, "translated_compare": None}
    assert _compare(monkeypatch, off, readings, 5.0).spans[0].text == "Kazakhstan"
