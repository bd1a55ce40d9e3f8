"""Chat-style Indonesian questions ("brp … yg …") are read as the formal ones the reader learned."""
from __future__ import annotations

import pytest

from qa.informal import (ABBREVIATIONS, expand_abbreviations, mostly_english, reader_question, restore_casing,
                         with_question_mark)
from qa.language import passage_languages


@pytest.mark.parametrize("chat,formal", [
    ("brp peserta yg diundang dlm pertemuan", "berapa peserta yang diundang dalam pertemuan"),
    ("Kpn perjanjian tsb ditandatangani?", "Kapan perjanjian tersebut ditandatangani?"),
    ("siapa yg hadir, dll", "siapa yang hadir, dan lain-lain"),
    ("dmn acara itu", "di mana acara itu"),
    ("Brp thn usianya", "Berapa tahun usianya"),
])
def test_chat_forms_are_written_out(chat, formal):
    assert expand_abbreviations(chat) == formal


@pytest.mark.parametrize("text", [
    "Siapa ketua PD Pasar Jaya?",           # PD: an acronym in capitals, not "pada"
    "Apa kata dr. Siti tentang SM?",        # words with a dot stay
    "Siapa Gubernur Ibu Kota Astana?",      # nothing to expand
    "berapa yang hadir pada tahun 2023",    # formal text is unchanged
])
def test_acronyms_dotted_words_and_formal_text_are_kept(text):
    assert expand_abbreviations(text) == text


def test_inside_words_and_numbers_are_not_touched():
    assert expand_abbreviations("org2 dan yg3 serta Bayg") == "org2 dan yg3 serta Bayg"


def test_every_expansion_is_a_different_word():
    assert all(short != full and " " not in short for short, full in ABBREVIATIONS.items())


def test_reader_reads_a_chat_question_like_the_formal_one():
    """The neural reader reads the chat form of a seed question exactly as the formal one (same
    span, same score: the model saw the written-out question, with its capital and "?")."""
    from test_reader import passage_around, seed_text

    from qa.reader.neural import NeuralReader

    reader = NeuralReader()
    doc = seed_text("003")
    passage = passage_around(doc, "1.200")
    formal = reader.read("Berapa jumlah peserta yang diundang dalam kegiatan ini?", [passage], "id")
    chat = reader.read("brp jumlah peserta yg diundang dlm kegiatan ini", [passage], "id")
    assert "1.200" in formal.spans[0].text
    assert chat.spans[0].text == formal.spans[0].text
    assert chat.score == pytest.approx(formal.score, abs=1e-4)


PASSAGE = ("Walikota Shenzhen Qin Weizhong menerima delegasi. Acara itu digelar di Shenzhen, "
           "dan sistem GPS (GPS) dipakai. Acara berikutnya di Astana.")


@pytest.mark.parametrize("typed,read", [
    ("siapa walikota shenzhen", "Siapa walikota Shenzhen"),   # the title-initial "Walikota" is no evidence
    ("apa kepanjangan dari gps", "Apa kepanjangan dari GPS"),
    ("acara apa di astana", "Acara apa di Astana"),            # "Acara" only ever starts a sentence
    ("kapan qin weizhong datang", "Kapan Qin Weizhong datang"),
])
def test_lower_case_questions_take_the_passages_casing(typed, read):
    assert restore_casing(typed, [PASSAGE]) == read


def test_a_question_with_capitals_keeps_its_casing():
    assert restore_casing("Siapa walikota shenzhen", [PASSAGE]) == "Siapa walikota shenzhen"
    assert restore_casing("", [PASSAGE]) == ""


@pytest.mark.parametrize("typed,read", [
    ("apa itu", "apa itu?"), ("Apa itu.", "Apa itu?"), ("Siapa dia?", "Siapa dia?"), ("  ", ""),
])
def test_question_mark(typed, read):
    assert with_question_mark(typed) == read


def test_reader_question_combines_the_three():
    assert reader_question("brp peserta yg datang ke shenzhen", [PASSAGE], "id") == \
        "Berapa peserta yang datang ke Shenzhen?"
    assert reader_question("who visited shenzhen", [PASSAGE], "en") == "Who visited Shenzhen?"
    assert reader_question("how many yg", [PASSAGE], "en") == "How many yg?"  # no Indonesian expansion


def test_english_question_over_english_passages_is_left_as_typed():
    english = "The mayor of Shenzhen met the delegation. It was held in Shenzhen."
    assert reader_question("who met the delegation", [english], "en", ["en"]) == \
        "who met the delegation"
    assert reader_question("who met the delegation", [english], "en") == "Who met the delegation?"
    assert reader_question("who met the delegation", [english, PASSAGE], "en", ["en", "id"]) == \
        "Who met the delegation?"  # half English is not mostly English


def test_passage_languages_and_mostly_english():
    languages = passage_languages(["The mayor of Shenzhen met the delegation on Saturday.", PASSAGE])
    assert languages == ["en", "id"]
    assert not mostly_english(languages) and mostly_english(["en", "en", "id"]) and not mostly_english([])
