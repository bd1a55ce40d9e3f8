"""Tests for qa.ingest: cleaning the seed articles and reading odd corpora."""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest

from qa import ingest
from qa.ingest import Document, clean_text, normalize_whitespace, read_corpus

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

BOILERPLATE = [
    "Baca berita tanpa iklan", "Gabung Kompas.com+", "Close Ads", "Baca juga", "Baca Juga",
    "Pengadaan Lahan 12 Proyek Infrastruktur IKN Segera Tuntas",
    "Pembinaan Bulutangkis Usia Dini", "Kemendagri Minta Pemda Gunakan SIPD",
    "Kemendagri Beberkan Aturan Penjualan Kendaraan", "Smart City Forum 2024 di Denpasar",
    "Bupati Bangli buka bimbingan teknis", "Halaman Selanjutnya", "Simak breaking news",
    "WhatsApp", "Simak selengkapnya di halaman berikutnya", "Bagikan artikel ini melalui",
    "Login untuk memaksimalkan", "Komentar", "A member of", "Fuente", "Tim Redaksi",
    "Aisyah Sekar Ayu Maharani", "Hilda B Alexander", "Pewarta", "Rio Feisal", "Editor",
    "Adi Lazuardi", "Anton Suhartono", "COPYRIGHT", "©", "Artikel ini merupakan bagian dari",
    "Lestari KG Media", "Bahasa Indonesia:", "Ilustrasi gedung perkantoran", "13:48 WIB", "20:19 WIB",
]

EXPECTED_META = {
    "000_fcfbe484d47b2d48.txt": {"outlet": "Kompas.com", "date": "2023-07-30", "place": "JAKARTA", "title": None},
    "001_9ae2c0a91021e7e7.txt": {"outlet": "VIVA", "date": "2024-07-31", "place": "Luang Prabang", "title": None},
    "002_a696b740d2fb54b0.txt": {"outlet": "ANTARA", "date": "2024-09-06", "place": None, "title": None},
    "003_286767ad72e4a68e.txt": {
        "outlet": "iNews.id", "date": "2021-10-22", "place": "JAKARTA",
        "title": "Indonesia Ikuti Pertemuan Jaringan Smart City ASEAN-Jepang, Ini Hasilnya",
    },
    "004_fcd06c7710b30c8c.txt": {"outlet": "ANDALPOST.COM", "date": "2023-07-04", "place": None, "title": None},
}


@pytest.fixture(scope="module")
def seed_docs() -> dict[str, Document]:
    docs, warnings = read_corpus(SEEDS)
    assert warnings == []
    return {d.doc_id: d for d in docs}


def _gold_rows():
    rows = [json.loads(line) for line in (ROOT / "eval" / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r.get("evidence")]


def test_seed_documents_read(seed_docs):
    assert set(EXPECTED_META) == {p.name for p in SEEDS.glob("*.txt")} <= set(seed_docs)
    for doc_id in EXPECTED_META:
        doc = seed_docs[doc_id]
        raw = (SEEDS / doc_id).read_bytes()
        assert doc.content_hash == hashlib.sha256(raw).hexdigest()
        assert doc.path.endswith(doc_id) and doc.url is None


def test_every_gold_evidence_survives_cleaning(seed_docs):
    rows = _gold_rows()
    assert len(rows) >= 80
    missing = [r["id"] for r in rows if normalize_whitespace(r["evidence"]) not in seed_docs[r["doc"]].text]
    assert missing == []


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_no_boilerplate_left(seed_docs, phrase):
    for doc in seed_docs.values():
        assert phrase not in doc.text, (doc.doc_id, phrase)


def test_repeated_paragraph_kept_once(seed_docs):
    text = seed_docs["001_9ae2c0a91021e7e7.txt"].text
    assert text.count("Amran juga menambahkan bahwa pada pertemuan tersebut") == 1


def test_body_sentences_kept(seed_docs):
    assert seed_docs["004_fcd06c7710b30c8c.txt"].text.startswith("ANDALPOST.COM – Indonesia dan Kazakhstan")
    assert "\nTukar Pandangan\n" in seed_docs["004_fcd06c7710b30c8c.txt"].text
    assert seed_docs["000_fcfbe484d47b2d48.txt"].text.endswith("imbuh Bambang.")
    assert seed_docs["002_a696b740d2fb54b0.txt"].text.endswith('Kota Cerdas", katanya.')


@pytest.mark.parametrize("name", sorted(EXPECTED_META))
def test_seed_metadata(seed_docs, name):
    doc = seed_docs[name]
    for key, value in EXPECTED_META[name].items():
        assert getattr(doc, key) == value, key
    assert doc.date_text


def test_date_text_as_written(seed_docs):
    assert seed_docs["000_fcfbe484d47b2d48.txt"].date_text == "30/07/2023, 13:48 WIB"
    assert seed_docs["001_9ae2c0a91021e7e7.txt"].date_text == "Rabu, 31 Juli 2024 – 20:19 WIB"
    assert seed_docs["003_286767ad72e4a68e.txt"].date_text == "Jumat (22/10/2021)"
    assert seed_docs["004_fcd06c7710b30c8c.txt"].date_text == "Selasa, (4/7/2023)"


def test_whitespace_normalised():
    body, _ = clean_text("  Satu\u00a0\u00a0dua   tiga.  \n\n\n\nEmpat\tlima.\r\nEnam.  ")
    assert body == "Satu dua tiga.\n\nEmpat lima.\nEnam."


def test_generic_boilerplate_patterns():
    raw = "\n".join([
        "Pemkot Bandung Luncurkan Aplikasi Baru",
        "Senin, 5 Agustus 2024 | 10:15 WIB",
        "BANDUNG, Liputan6.com - Pemkot Bandung meluncurkan aplikasi layanan warga pada Senin.",
        "Baca Juga:",
        "Harga Cabai Naik Jelang Lebaran",
        "Aplikasi itu dikembangkan bersama mahasiswa.",
        "Dapatkan update berita pilihan dan breaking news setiap hari dari Liputan6. Ikuti saluran WhatsApp kami.",
        "Artikel ini telah tayang di Liputan6.com dengan judul Pemkot Bandung.",
        "Penulis: Budi", "Tags: bandung, aplikasi", "Copyright © 2024 Liputan6.com. All rights reserved",
    ])
    body, meta = clean_text(raw)
    assert body == ("BANDUNG, Liputan6.com - Pemkot Bandung meluncurkan aplikasi layanan warga pada Senin.\n"
                    "Aplikasi itu dikembangkan bersama mahasiswa.")
    assert meta == {"title": "Pemkot Bandung Luncurkan Aplikasi Baru", "outlet": "Liputan6.com",
                    "date_text": "Senin, 5 Agustus 2024 | 10:15 WIB", "date": "2024-08-05", "place": "BANDUNG"}


def test_english_dates_and_antara_dateline():
    body, meta = clean_text("Jakarta (ANTARA) - The ministry said on July 31, 2024 that talks went well.")
    assert meta["outlet"] == "ANTARA" and meta["place"] == "Jakarta" and meta["date"] == "2024-07-31"
    assert body.startswith("Jakarta (ANTARA) - The ministry")


# ---------------------------------------------------------------- odd inputs


def _names(warnings) -> list[str]:
    return [Path(w.path).name for w in warnings]


def test_corpus_path_is_a_file(tmp_path):
    (tmp_path / "a.txt").write_text("Isi.", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match="--corpus"):
        read_corpus(tmp_path / "a.txt")


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        read_corpus(tmp_path / "nope")
    message = str(err.value)
    assert "nope" in message and "--corpus" in message and "QA_CORPUS_DIR" in message


def test_odd_files_warn_but_good_files_are_read(tmp_path, caplog):
    (tmp_path / "good.txt").write_text("Kalimat pertama berita.\nKalimat kedua berita.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text("  \n\n ", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "nonul.txt").write_bytes(bytes(range(1, 256)) * 4)
    (tmp_path / "cp1252.txt").write_bytes("Café – 10 € harganya.".encode("cp1252"))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text("Rahasia.", encoding="utf-8")
    (tmp_path / "dir.txt").mkdir()
    with caplog.at_level(logging.WARNING, logger="qa.ingest"):
        docs, warnings = read_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["cp1252.txt", "good.txt"]
    assert docs[0].text == "Café – 10 € harganya."
    assert sorted(_names(warnings)) == ["binary.txt", "blank.md", "cp1252.txt", "empty.txt", "nonul.txt"]
    by_name = {Path(w.path).name: w.message for w in warnings}
    assert "binary" in by_name["binary.txt"] and "binary" in by_name["nonul.txt"]
    assert "cp1252" in by_name["cp1252.txt"]
    assert "empty" in by_name["empty.txt"]
    assert any("binary.txt" in r.getMessage() for r in caplog.records)


def test_latin1_fallback(tmp_path):
    (tmp_path / "latin.txt").write_bytes(b"Kota \x81 baru.")  # 0x81 is undefined in cp1252
    docs, warnings = read_corpus(tmp_path)
    assert len(docs) == 1 and "latin-1" in warnings[0].message


def test_oversized_file_is_truncated(tmp_path):
    (tmp_path / "big.txt").write_text("Ini kalimat panjang sekali. " * 200, encoding="utf-8")
    (tmp_path / "small.txt").write_text("Kalimat pendek.", encoding="utf-8")
    docs, warnings = read_corpus(tmp_path, max_file_mb=0.001)
    assert [d.doc_id for d in docs] == ["big.txt", "small.txt"]
    assert len(docs[0].text) <= 1100
    assert _names(warnings) == ["big.txt"]
    assert "max_file_mb" in warnings[0].message and "first" in warnings[0].message


def test_oversized_utf8_cut_mid_character(tmp_path):
    data = ("é" * 2000).encode("utf-8")
    (tmp_path / "accents.txt").write_bytes(data)
    docs, warnings = read_corpus(tmp_path, max_file_mb=0.001)  # 1048 bytes: an odd cut
    assert len(docs) == 1 and set(docs[0].text) == {"é"}
    assert len(warnings) == 1 and "max_file_mb" in warnings[0].message


def test_file_vanishes_or_is_a_directory(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text("Kalimat pertama berita.", encoding="utf-8")
    (tmp_path / "weird.txt").mkdir()
    real = ingest._list_files

    def fake_list(root, on_error, warn=None):
        return real(root, on_error, warn) + [root / "gone.txt", root / "weird.txt"]

    monkeypatch.setattr(ingest, "_list_files", fake_list)
    docs, warnings = read_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["good.txt"]
    assert _names(warnings) == ["gone.txt", "weird.txt"]
    assert "disappeared" in warnings[0].message and "directory" in warnings[1].message


def test_permission_error(tmp_path, monkeypatch):
    (tmp_path / "locked.txt").write_text("Rahasia negara.", encoding="utf-8")
    (tmp_path / "open.txt").write_text("Berita terbuka.", encoding="utf-8")
    real_open = open

    def fake_open(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", fake_open)
    docs, warnings = read_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["open.txt"]
    assert _names(warnings) == ["locked.txt"] and "permission" in warnings[0].message


def test_html_extraction(tmp_path):
    html = """<html><head><title>Judul Halaman - Situs</title><style>p{color:red}</style>
    <meta property="og:site_name" content="Kompas.com"><meta property="og:url" content="https://x.id/a">
    <meta property="article:published_time" content="2024-07-31T20:19:00+07:00"></head>
    <body><nav>Home | Berita | Olahraga</nav><h1>Shenzhen Tawarkan Dukungan untuk IKN</h1>
    <p>Pemkot   Shenzhen menawarkan &amp; mendukung <b>IKN</b>.</p><script>alert(1)</script>
    <p>Kalimat kedua&nbsp;di sini.<br>Baris baru.</p><aside>Berita populer</aside>
    <footer>Hak cipta</footer></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    docs, warnings = read_corpus(tmp_path)
    assert warnings == []
    doc = docs[0]
    assert doc.text == "Pemkot Shenzhen menawarkan & mendukung IKN.\n\nKalimat kedua di sini.\nBaris baru."
    assert doc.title == "Shenzhen Tawarkan Dukungan untuk IKN"
    assert doc.outlet == "Kompas.com" and doc.url == "https://x.id/a" and doc.date == "2024-07-31"
    for junk in ("alert", "color", "Home", "populer", "Hak cipta"):
        assert junk not in doc.text


def test_json_and_jsonl(tmp_path):
    records = [
        {"title": "Judul Satu", "text": "Isi berita satu.", "url": "https://a.id/1", "date": "2024-01-02",
         "source": "VIVA"},
        {"title": "Judul Dua", "content": "Isi berita dua.", "date": "3 Februari 2024"},
    ]
    (tmp_path / "many.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps({"body": "Satu-satunya berita."}), encoding="utf-8")
    lines = [json.dumps(records[0]), "{not json", "", json.dumps({"text": "Berita baris empat."}), "[1, 2]"]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    docs, warnings = read_corpus(tmp_path)
    by_id = {d.doc_id: d for d in docs}
    assert sorted(by_id) == ["feed.jsonl#1", "feed.jsonl#4", "many.json#1", "many.json#2", "one.json"]
    first = by_id["many.json#1"]
    assert (first.title, first.text, first.url, first.date, first.outlet) == (
        "Judul Satu", "Isi berita satu.", "https://a.id/1", "2024-01-02", "VIVA")
    assert by_id["many.json#2"].date == "2024-02-03"
    assert by_id["many.json#2"].date_text == "3 Februari 2024"
    assert by_id["feed.jsonl#4"].text == "Berita baris empat."
    messages = [str(w) for w in warnings]
    assert any("feed.jsonl" in m and "line 2" in m for m in messages)
    assert any("feed.jsonl" in m and "line 5" in m for m in messages)
    assert any("broken.json" in m and "not valid JSON" in m for m in messages)
    assert len(warnings) == 3


def test_recursive_sorted_and_posix_ids(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Berita z.", encoding="utf-8")
    (tmp_path / "a.md").write_text("# Judul Markdown Ini\n\nIsi [tautan](https://x.id) **tebal**.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Berita c.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Jangan dibaca.", encoding="utf-8")
    docs, warnings = read_corpus(str(tmp_path), progress=True)
    assert [d.doc_id for d in docs] == ["a.md", "b/z.txt", "c.txt"] and warnings == []
    assert docs[0].title == "Judul Markdown Ini" and docs[0].text == "Isi tautan tebal."


OTHER_PAGES = {
    "kompas": ("Baca berita tanpa iklan. Gabung Kompas.com+\nKompas.com - 02/01/2024, 09:05 WIB\nBudi Santoso,\n"
               "Ani Lestari\n\nTim Redaksi\n\nLihat Foto\nKOMPAS.com/BUDI\nKOMPAS.com - Harga beras naik lagi.\n\n"
               "Baca juga: Harga Cabai Turun\n\nPedagang mengeluh sepi pembeli.\n\n"
               "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com. Mari bergabung di "
               "Grup Telegram \"Kompas.com News Update\".\n\nArtikel ini telah tayang di Kompas.com dengan judul "
               "Harga Beras.\nBagikan artikel ini melalui\nOke\nKomentar\nClose Ads",
               "KOMPAS.com - Harga beras naik lagi.\n\nPedagang mengeluh sepi pembeli.", "Kompas.com", "2024-01-02"),
    "viva": ("Kamis, 1 Agustus 2024 - 07:00 WIB\n\nSemarang, VIVA – Banjir melanda kota.\n\nBaca Juga:\n\n"
             "Polisi Tangkap Pencuri Motor\n\nWarga mengungsi ke masjid.\n\nPhoto :\nVIVA/Dede\n\n"
             "Halaman Selanjutnya\nWarga mengungsi ke masjid terdekat bersama keluarga mereka.\n"
             "Halaman Selanjutnya\nWarga mengungsi ke masjid terdekat bersama keluarga mereka.\nFuente",
             "Semarang, VIVA – Banjir melanda kota.\n\nWarga mengungsi ke masjid.\n\n"
             "Warga mengungsi ke masjid terdekat bersama keluarga mereka.", "VIVA", "2024-08-01"),
    "antara": ("Denpasar (ANTARA) - Gubernur meresmikan jalan baru pada Senin (5/2/2024).\n\nBaca juga: Jalan tol "
               "dibuka\n\nPewarta: Rio\nEditor: Adi\nCOPYRIGHT © ANTARA 2024\nDilarang keras mengambil konten, "
               "melakukan crawling atau pengindeksan otomatis untuk AI di situs web ini tanpa izin tertulis.",
               "Denpasar (ANTARA) - Gubernur meresmikan jalan baru pada Senin (5/2/2024).", "ANTARA", "2024-02-05"),
    "inews": ("Jalan Baru Diresmikan\nJAKARTA, iNews.id - Menteri meresmikan jalan baru, Rabu (7/2/2024).\n"
              "Follow Berita iNews di Google News\nBagikan Artikel:\nHalaman : 1 2\nEditor: Anton",
              "JAKARTA, iNews.id - Menteri meresmikan jalan baru, Rabu (7/2/2024).", "iNews.id", "2024-02-07"),
}


@pytest.mark.parametrize("name", sorted(OTHER_PAGES))
def test_other_pages_from_the_same_outlets(name):
    raw, expected_body, outlet, date = OTHER_PAGES[name]
    body, meta = clean_text(raw)
    assert body == expected_body
    assert (meta["outlet"], meta["date"]) == (outlet, date)


def test_symlinks_out_of_the_corpus_are_not_followed(tmp_path):
    """A link to a file outside the corpus folder is skipped with a warning; one inside is read."""
    from qa.ingest import read_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "secret.txt").write_text("SECRET outside the corpus folder, never to be indexed.\n")
    (corpus / "berita.txt").write_text("Jakarta - Presiden meresmikan jembatan baru pada Senin.\n")
    (corpus / "keluar.txt").symlink_to(tmp_path / "secret.txt")
    (corpus / "dalam.txt").symlink_to(corpus / "berita.txt")
    docs, warnings = read_corpus(corpus)
    assert sorted(d.doc_id for d in docs) == ["berita.txt", "dalam.txt"]
    assert not any("SECRET" in d.text for d in docs)
    assert [w.path for w in warnings] == [str(corpus / "keluar.txt")] and "outside" in warnings[0].message
