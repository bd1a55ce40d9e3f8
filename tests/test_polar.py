"""Yes/no questions (qa.reader.polar): which questions count, the clause chosen, and the reader's use."""
from __future__ import annotations

import pytest

from qa.reader.polar import MIN_COVERAGE, is_polar, polar_clause
from qa.analysis import question_terms
from qa.retrieval import Passage
from qa.sentences import split_sentences

TEXT = ("Rakyat Makedonia memberikan suara pada hari Minggu. "
        "Walaupun tidak mengikat secara hukum, banyak anggota parlemen akan mematuhi hasil referendum. "
        "Perubahan nama memerlukan dua per tiga suara parlemen.")


def _passage(text: str = TEXT, start: int = 40) -> Passage:
    sentences = [(start + s, start + e) for s, e in split_sentences(text)]
    return Passage(doc_id="d", chunk_id=0, text=text, start=start, end=start + len(text), rank=1,
                   sentences=sentences)


@pytest.mark.parametrize("question", [
    "Is the referendum legally binding?",
    "Did Safrizal attend the meeting in person?",
    "Will North Korea disarm unilaterally?",
    "Apakah referendum Makedonia mengikat secara hukum?",
    "Apakah kerusuhan di penjara itu sudah berakhir?",
    "Apakah Astana merupakan kota pertama yang menjalin kerja sama dengan Nusantara?",
])
def test_yes_no_questions_are_recognised(question):
    assert is_polar(question)


@pytest.mark.parametrize("question", [
    "Apakah nama ilmiah buah keras?",            # asks what the name is
    "Apakah yang dimaksud dengan Islam Sunni?",
    "Apakah kesenian yang terkenal dari wilayah Jawa tengah?",  # the verb is inside a "yang" clause
    "Apakah bandara terbesar di Singapura?",
    "Apakah nama fakultas tempat dia menjadi dosen?",
    "Apa definisi dari dimensi?",
    "Is England a democracy or a monarchy?",     # asks which one: a span answers it
    "Who is the mayor of Shenzhen?",
    "What did Kim promise?",
])
def test_other_questions_are_not(question):
    assert not is_polar(question)


def test_clause_of_the_best_matching_sentence():
    clause = polar_clause([question_terms("Apakah referendum Makedonia mengikat secara hukum?")], [_passage()])
    assert clause is not None and clause.passage_index == 0
    assert TEXT[clause.start:clause.end] == "tidak mengikat secara hukum"
    assert clause.coverage >= MIN_COVERAGE


def test_best_reading_counts():
    """An English question whose own words match nothing is answered through its second reading."""
    readings = [question_terms("Is the referendum legally binding?"),
                question_terms("Apakah referendum mengikat secara hukum?")]
    clause = polar_clause(readings, [_passage()])
    assert clause is not None and TEXT[clause.start:clause.end] == "tidak mengikat secara hukum"
    assert polar_clause(readings[:1], [_passage()]) is None


def test_no_sentence_with_enough_terms_is_not_found():
    assert polar_clause([question_terms("Apakah keluarga Yuan menuntut pasar ke pengadilan?")], [_passage()]) is None
    assert polar_clause([set()], [_passage()]) is None


def test_reader_answers_a_yes_no_question_from_the_matching_sentence():
    """Through the shipped reader (``polar_questions`` in reader_config.json), in document offsets."""
    from qa.reader.neural import NeuralReader

    reader = NeuralReader()
    reader.warm_up()
    assert reader.config.get("polar_questions") is True
    passage = _passage()
    result = reader.read("Apakah referendum Makedonia mengikat secara hukum?", [passage], "id")
    assert result.found
    best = result.spans[0]
    # The model's own span stands when its sentence matches as well as the best one; else the clause.
    assert best.text.startswith("tidak mengikat secara hukum")
    assert TEXT[best.start - passage.start:best.end - passage.start] == best.text
    assert "polar_coverage" in result.features
    reader.config = {**reader.config, "polar_questions": False}
    plain = reader.read("Apakah referendum Makedonia mengikat secara hukum?", [passage], "id")
    assert "polar_coverage" not in plain.features
