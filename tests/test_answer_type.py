"""Tests of the number/date answer-kind filter (qa.reader.answer_type) and its use in decoding."""
from __future__ import annotations

import pytest

from qa.reader.answer_type import DATE, NAME, NUMBER, expected_kind, span_fits
from qa.retrieval import Passage


@pytest.mark.parametrize("question, kind", [
    ("Berapa jumlah penduduk Jakarta?", NUMBER),
    ("brp peserta yg diundang", NUMBER),
    ("Berapa tahun dia menjabat?", NUMBER),        # a duration is a number
    ("How many cities joined the network?", NUMBER),
    ("how much did it cost", NUMBER),
    ("Kapan Dragon Ball pertama kali tayang?", DATE),
    ("Pada tahun berapa Soekarno lahir?", DATE),   # "tahun berapa" asks for a year, not a count
    ("Pernyataan itu dirilis hari apa?", DATE),
    ("When was the network founded?", DATE),
    ("In what year was the network founded?", DATE),
    ("Siapa walikota Shenzhen?", NAME),
    ("Walikota Shenzhen adalah siapa?", NAME),
    ("Di mana MoU ditandatangani?", NAME),
    ("MoU ditandatangani di mana?", NAME),
    ("Who is the mayor of Shenzhen?", NAME),
    ("Where was the MoU signed?", NAME),
    ("Kota di mana MoU ditandatangani punya berapa penduduk?", NUMBER),
    ("What happened when the minister left?", None),  # "when" as a conjunction asks for no date
    ("The official who met the mayor signed what?", None),  # "who" as a relative pronoun
    ("Mengapa IKN belajar dari kota lain?", None),
])
def test_expected_kind(question, kind):
    assert expected_kind(question) == kind


@pytest.mark.parametrize("text, kind, fits", [
    ("1.200", NUMBER, True), ("Empat", NUMBER, True), ("tiga kali", NUMBER, True),
    ("puluhan ribu orang", NUMBER, True), ("two million", NUMBER, True), ("ke-7", NUMBER, True),
    ("investasi", NUMBER, False), ("(27/7/2023)", NUMBER, False), ("31 Juli 2024", NUMBER, False),
    ("2.000 orang pada 31 Juli 2024", NUMBER, True), ("Kementerian Dalam Negeri", NUMBER, False),
    ("Sabtu (29/7/2023)", DATE, True), ("awal abad ke-XIX", DATE, True), ("Minggu", DATE, True),
    ("last week", DATE, True), ("Presiden Joko Widodo", DATE, False), ("kota hutan", DATE, False),
    ("Presiden Joko Widodo", None, True),
    ("Kantor Gubernur Astana", NAME, True), ("Qin Weizhong", NAME, True), ("3 Juli 2023", NAME, False),
    ("(22/10/2021", NAME, False), ("31", NAME, False),
])
def test_span_fits(text, kind, fits):
    assert span_fits(text, kind) is fits


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="Supported kinds"):
        span_fits("2023", "colour")


def _passage(text: str) -> Passage:
    return Passage(doc_id="d", chunk_id=0, text=text, start=0, end=len(text), rank=1,
                   sentences=[(0, len(text))])


def test_decoding_keeps_only_fitting_spans():
    """A number question skips a higher-scored span without a number for one with a number."""
    from qa.reader.spans import Candidate, _result

    text = "Kementerian Dalam Negeri mengundang 1.200 peserta."
    word, number = (0, 24), (text.index("1.200"), text.index("1.200") + 5)
    candidates = [Candidate(5.0, 0, *word), Candidate(2.0, 0, *number)]
    untyped = _result(candidates, [_passage(text)], threshold=0.0)
    typed = _result(candidates, [_passage(text)], threshold=0.0, kind=NUMBER)
    assert untyped.spans[0].text == "Kementerian Dalam Negeri"
    assert typed.spans[0].text == "1.200" and typed.found and typed.score == 2.0


def test_no_fitting_span_means_not_found():
    from qa.reader.spans import Candidate, _result

    text = "Kementerian Dalam Negeri mengundang para peserta."
    result = _result([Candidate(5.0, 0, 0, 24)], [_passage(text)], threshold=0.0, kind=DATE)
    assert not result.found and result.spans == []
