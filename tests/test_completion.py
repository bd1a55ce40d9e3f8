"""Tests of span completion (qa.reader.completion) on small texts taken from the seed articles."""
from __future__ import annotations

import pytest

from qa.reader.answer_type import DATE, NAME, NUMBER
from qa.reader.completion import RULES, complete_span


def completed(text: str, span: str, kind: str | None, rules=RULES) -> str:
    cs = text.index(span)
    start, end = complete_span(text, cs, cs + len(span), kind, rules)
    assert start <= cs  # a completed span never starts later (only 'clause' may end earlier)
    return text[start:end]


SEED_SENTENCE = ("Hal ini disampaikan ketika Kepala Otorita IKN (OIKN) Bambang Susantono bertemu Walikota "
                 "Shenzhen, Qin Weizhong di Shenzhen, Sabtu (29/7/2023).")


def test_a_name_takes_the_whole_name():
    assert completed(SEED_SENTENCE, "Bambang", NAME) == "Bambang Susantono"
    assert completed(SEED_SENTENCE, "Qin", NAME) == "Qin Weizhong"


def test_a_name_takes_its_abbreviated_title_but_not_an_office():
    text = "Duta Besar Republik Indonesia untuk Kazakhstan Dr.M. Fadjroel Rachman menyampaikan"
    assert completed(text, "Fadjroel", NAME) == "Dr.M. Fadjroel Rachman"
    assert completed("bertemu Presiden Joko Widodo di Istana", "Joko", NAME) == "Joko Widodo"


def test_an_organisation_takes_its_acronym():
    text = "dikelola Otorita Ibu Kota Nusantara (OIKN) sejak tahun lalu"
    assert completed(text, "Otorita Ibu Kota Nusantara", NAME) == "Otorita Ibu Kota Nusantara (OIKN)"
    assert completed(text, "Otorita Ibu Kota Nusantara", NAME, rules=("name",)) == "Otorita Ibu Kota Nusantara"


def test_a_date_takes_its_day_name_and_brackets():
    text = "kerja sama lebih erat antara IKN dan Kota Shenzen, Kamis (27/7/2023)."
    assert completed(text, "(27/7/2023)", DATE) == "Kamis (27/7/2023)"
    assert completed(text, "27/7/2023", DATE) == "Kamis (27/7/2023)"
    assert completed("di Jakarta, Selasa, (4/7/2023) lalu", "(4/7/2023)", DATE) == "Selasa, (4/7/2023)"
    assert completed("pada 29 Juli 2023 di Shenzhen", "Juli", DATE) == "29 Juli 2023"


def test_a_number_takes_its_unit_but_an_ordinal_does_not():
    assert completed("kerja sama selama 30 tahun terakhir", "30", NUMBER) == "30 tahun"
    assert completed("penduduk 2,5 juta jiwa", "2,5", NUMBER) == "2,5 juta jiwa"
    assert completed("peringatan ke-30 tahun ini", "ke-30", NUMBER) == "ke-30"


def test_rules_apply_only_to_their_kind():
    assert completed(SEED_SENTENCE, "Bambang", None) == "Bambang"
    assert completed(SEED_SENTENCE, "Bambang", DATE) == "Bambang"
    assert completed("selama 30 tahun", "30", NUMBER, rules=("name",)) == "30"


def test_unknown_rule_is_a_clear_error():
    with pytest.raises(ValueError, match="Supported rules"):
        complete_span("abc", 0, 1, NAME, ("nama",))


def test_a_phrase_answer_never_ends_inside_a_word_or_on_a_conjunction():
    text = "tidak terbatas pada pengembangan kota cerdas, tetapi juga di bidang penanggulangan bencana"
    cut = text.index("bidang pe") + len("bidang pe")
    start, end = complete_span(text, 0, cut, None, RULES)
    assert text[start:end].endswith("di bidang penanggulangan")
    assert completed("kota cerdas dan berkelanjutan", "kota cerdas dan", None) == "kota cerdas"
    assert completed("kota cerdas dan berkelanjutan", "kota cerdas dan", NAME) == "kota cerdas dan"


def _listed(text: str, span: str, kind: str | None = None, listing: bool = True) -> str:
    cs = text.index(span)
    start, end = complete_span(text, cs, cs + len(span), kind, ("name", "list"), listing)
    return text[start:end]


def test_a_list_question_takes_the_whole_enumeration():
    text = ("Delegasi itu terdiri atas Kabupaten Banyuwangi, Kota Makassar, dan Kabupaten Sumedang "
            "mengirim perwakilan ke Luang Prabang.")
    assert _listed(text, "Kabupaten Banyuwangi", NAME) == "Kabupaten Banyuwangi, Kota Makassar, dan Kabupaten Sumedang"
    assert _listed(text, "Kota Makassar", NAME) == "Kota Makassar, dan Kabupaten Sumedang"
    assert _listed(text, "Kabupaten Banyuwangi", NAME, listing=False) == "Kabupaten Banyuwangi"


def test_a_list_of_common_nouns_stops_at_a_preposition_or_verb():
    text = "Kerja sama mencakup kota cerdas dan penanggulangan bencana di Korea Selatan."
    assert _listed(text, "kota cerdas") == "kota cerdas dan penanggulangan bencana"
    names = "Tiongkok dan Rusia berpendapat bahwa sanksi harus tetap."
    assert _listed(names, "Tiongkok", NAME) == "Tiongkok dan Rusia"


def test_a_span_not_followed_by_a_list_is_unchanged():
    text = "Bambang Susantono bertemu Walikota Shenzhen."
    assert _listed(text, "Bambang Susantono", NAME) == "Bambang Susantono"


@pytest.mark.parametrize("question, expected", [
    ("Kabupaten/kota mana saja yang mengirim CSCO?", True),
    ("Tim apa saja yang difasilitasi?", True),
    ("What were the four Discussion Series topics?", True),
    ("To which countries could Macedonia turn?", True),
    ("Which bat species will the study follow?", True),
    ("What do all regions have in common?", False),
    ("Which newspaper reported the delay?", False),
    ("Siapa Walikota Shenzhen?", False),
])
def test_list_questions(question, expected):
    from qa.reader.answer_type import asks_for_list

    assert asks_for_list(question) is expected
