"""The evidence sentence (qa.reader.evidence) and the focused second reading that uses it."""
from __future__ import annotations

from qa.reader.evidence import best_sentence, focus_passage, question_terms, sentence_overlap
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


def test_reader_reads_the_evidence_sentence_again_when_its_answer_comes_from_elsewhere():
    """The shipped reader (``focused_reading`` in reader_config.json) over two passages of
    seeds/003_286767ad72e4a68e.txt: read plainly, the English question is answered with a number
    from the first passage's sentence about participants; the focused reading of the sentence that
    holds the question's terms answers what they did."""
    from qa.reader.neural import NeuralReader

    first = _passage("Kegiatan ini mengundang 1.200 peserta yang juga mengikutsertakan pemimpin pusat dan daerah "
                     "negara-negara ASEAN. Seluruh daerah menghadapi tantangan yang sama guna mewujudkan kota pintar.",
                     start=1000, rank=1)
    second_text = ("Pada hari pertama, seluruh peserta mengikuti upacara pembukaan serta diskusi panel. Sementara "
                   "hari kedua digelar business match making serta forum dengan tema berbeda daripada hari pertama.")
    second = _passage(second_text, start=500, rank=2)
    question = "What did the participants do on the first day of the meeting?"
    reader = NeuralReader()
    reader.warm_up()
    assert reader.config.get("focused_reading")
    result = reader.read(question, [first, second], "en")
    assert result.found and "focus_coverage" in result.features
    best = result.spans[0]
    assert "upacara pembukaan" in best.text and best.passage.rank == 2
    assert second_text[best.start - 500:best.end - 500] == best.text
    assert (best.sentence_start, best.sentence_end) == second.sentences[0]
    reader.config = {**reader.config, "focused_reading": None}
    plain = reader.read(question, [first, second], "en")
    assert "upacara pembukaan" not in plain.spans[0].text
