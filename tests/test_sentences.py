"""Tests for qa.sentences.split_sentences."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.ingest import clean_text, normalize_whitespace
from qa.sentences import sentences, split_sentences

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "text",
    [
        "Acara itu disaksikan oleh Dr. Budi Santoso dari Jakarta.",
        "Sambutan oleh Drs. Ahmad Yani di balai kota.",
        "Dirjen Bina Adwil DR Drs Safrizal ZA, M.Si diundang menghadiri kegiatan.",
        "Disaksikan oleh Duta Besar yakni Dr.M. Fadjroel Rachman dan stafnya.",
        "Pengacara Budi S.H. Hadir di pengadilan negeri itu.",
        "Kuliah umum oleh Prof. Ani Wijaya berlangsung lancar.",
        "Kantor itu berada di Jl. Merdeka No. 5 Jakarta Pusat.",
        "Harganya Rp. 1.200 per kilogram di pasar.",
        "Ia membeli buku, pena, dll. untuk sekolah.",
        "Bahan pokok seperti beras, gula, dsb. ikut naik.",
        "Transfer ke rekening a.n. Budi Santoso sudah diterima.",
        "Mr. Smith met the mayor in Jakarta.",
        "The U.S. Embassy issued a statement.",
        "Some cities, e.g. Shenzhen, grew fast.",
        "Pertemuan itu dihadiri 1.200 peserta dari berbagai negara.",
        "Nilai pi kira-kira 3.14 saja.",
        "Pertemuan digelar pada 29/7/2023 di Shenzhen.",
        "Hal itu disampaikan Jumat (22/10/2021). ",
        "Didampingi Dr Drs Thomas Umbu Pati T.B, M.Si diharapkan bisa hadir.",
        "Ia berhenti sejenak... lalu melanjutkan pidatonya.",
        "Tunggu dulu… Kami belum selesai, katanya.",
        "“Serta ....,” ujar Amran dalam keterangan resmi.",
        "“Serta secara konkret mengakselerasi investasi,” ujar Amran.",
        "Kerja sama antara ASECH dan PT. INTI dengan ParkingGo berjalan.",
        "Kota cerdas akan dibangun.\" kata Amran.",
    ],
)
def test_no_split(text):
    assert sentences(text) == [text.strip()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bambang datang. Dia disambut.", ["Bambang datang.", "Dia disambut."]),
        ("Siapa dia? Saya tidak tahu! Sudahlah.", ["Siapa dia?", "Saya tidak tahu!", "Sudahlah."]),
        ("Pesertanya banyak. 1.200 orang hadir.", ["Pesertanya banyak.", "1.200 orang hadir."]),
        ('Ia berkata: "Kami siap." Lalu pergi.', ['Ia berkata: "Kami siap."', "Lalu pergi."]),
        ("Ia berkata: “Kami siap.” Lalu pergi.", ["Ia berkata: “Kami siap.”", "Lalu pergi."]),
        (
            "kota cerdas.  “Serta secara konkret,” ujar Amran.",
            ["kota cerdas.", "“Serta secara konkret,” ujar Amran."],
        ),
        ("Ia membeli buku, dll. Kemudian ia pulang.", ["Ia membeli buku, dll.", "Kemudian ia pulang."]),
        ("Tahun 2023. Dalam pertemuan itu.", ["Tahun 2023.", "Dalam pertemuan itu."]),
        ("Judul Tanpa Titik\nIsi berita dimulai di sini.", ["Judul Tanpa Titik", "Isi berita dimulai di sini."]),
        ("Kalimat pertama tanpa titik\nkalimat kedua", ["Kalimat pertama tanpa titik", "kalimat kedua"]),
        (
            "Rekomendasinya yaitu:\n1. ASEAN dan Jepang sepakat. Ini penting.\n2. Jepang melapor.",
            ["Rekomendasinya yaitu:", "1. ASEAN dan Jepang sepakat.", "Ini penting.", "2. Jepang melapor."],
        ),
        ("Paragraf satu.\n\n  Paragraf dua.  ", ["Paragraf satu.", "Paragraf dua."]),
    ],
)
def test_splits(text, expected):
    assert sentences(text) == expected


def test_spans_are_exact_and_trimmed():
    text = "  Satu dua. Tiga empat!\n\n\tLima enam?  \n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Satu dua.", "Tiga empat!", "Lima enam?"]
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() and e > s
    assert spans == sorted(spans)


def test_empty_text():
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


def test_every_gold_evidence_is_one_sentence():
    docs = {}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        body, _ = clean_text(path.read_text(encoding="utf-8"))
        docs[path.name] = [body[s:e] for s, e in split_sentences(body)]
    checked = 0
    for line in (ROOT / "eval" / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if not row.get("evidence"):
            continue
        evidence = normalize_whitespace(row["evidence"])
        assert any(evidence in sent for sent in docs[row["doc"]]), (row["id"], evidence)
        checked += 1
    assert checked >= 80
