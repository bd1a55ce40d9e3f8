"""Tests of the English renderings of Indonesian dates and numbers (qa.render)."""
from __future__ import annotations

import pytest

from qa.render import english_rendering


@pytest.mark.parametrize("span, english", [
    ("Sabtu (29/7/2023)", "Saturday, 29 July 2023"),
    ("Rabu, 31 Juli 2024", "Wednesday, 31 July 2024"),
    ("30 Juli 2024", "30 July 2024"),
    ("2-6 September 2024", "2 to 6 September 2024"),
    ("22/10/2021", "22 October 2021"),
    ("Senin (3/7)", "Monday, 3 July"),
    ("Kamis (29/2)", "Thursday, 29 February"),
    ("pukul 10.00 WIB", "at 10:00 WIB"),
    ("1.200", "1,200"),
    ("1.200 peserta", "1,200 participants"),
    ("2,5 juta jiwa", "2.5 million people"),
    ("Rp 1,5 triliun", "Rp 1.5 trillion"),
    ("256.142 hektare", "256,142 hectares"),
    ("25 tahun", "25 years"),
    ("1 tahun", "1 year"),
    ("satu tahun", "one year"),
    ("50 persen", "50 percent"),
    ("tiga kali", "three times"),
    ("ke-7", "7th"),
    ("Minggu", "Sunday"),
])
def test_english_rendering(span, english):
    assert english_rendering(span) == english


@pytest.mark.parametrize("span", [
    "Kota Makassar",            # nothing to render
    "Sabtu (31/2)",             # not a date: left alone
    "31/2/2023",
    "dua pekan lalu",           # a phrase, not only a quantity: units stay Indonesian
])
def test_nothing_to_render(span):
    assert english_rendering(span) is None


def test_units_stay_in_a_longer_phrase():
    """Numbers are rendered in a longer phrase, its words are not."""
    assert english_rendering("1.200 peserta yang juga diundang") == "1,200 peserta yang juga diundang"
