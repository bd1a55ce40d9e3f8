"""Articles users add (qa.uploads and the QA facade): safe names, checks before saving, removal,
incremental indexing with the index swapped while questions are answered."""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from qa.uploads import (ADDED_PREFIX, UploadError, added_path, check_upload, pasted_article, remove_added,
                        safe_name, save_checked)

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = """Jakarta, Kompas.com - Wali Kota Bandarlampung Eva Dwiana meresmikan Taman Gajah Biru pada
Senin (4/3/2024). Taman seluas dua hektare itu dibangun dengan dana Rp 12 miliar.

Eva Dwiana mengatakan taman itu terbuka untuk umum setiap hari mulai pukul 06.00 WIB.
"""


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("/abs/path/berita.TXT", "berita.txt"),
    (".hidden.md", "hidden.md"),
    ("..", "article"),
    ("Berita hari ini (1).html", "Berita_hari_ini_1.html"),
    ("<script>.txt", "script.txt"),
])
def test_safe_name_never_leaves_the_folder(name, expected):
    assert safe_name(name) == expected
    assert "/" not in safe_name(name) and "\\" not in safe_name(name)


def test_check_reads_without_saving_and_reports_problems(tmp_path):
    check = check_upload("taman.txt", ARTICLE.encode(), max_mb=1)
    assert check.ok and check.documents[0].outlet and "Eva Dwiana" in check.documents[0].text
    assert not check.problems
    empty = check_upload("kosong.txt", b"", max_mb=1)
    assert not empty.ok and empty.problems
    binary = check_upload("gambar.txt", bytes(range(256)) * 20, max_mb=1)
    assert not binary.ok and binary.problems
    with pytest.raises(UploadError, match="cannot be added.*\\.txt"):
        check_upload("program.exe", b"MZ", max_mb=1)
    with pytest.raises(UploadError, match="over the limit of 1 MB"):
        check_upload("besar.txt", b"a" * (1024 * 1024 + 1), max_mb=1)


def test_html_upload_keeps_text_and_drops_scripts():
    html = b"<html><head><title>Taman Gajah Biru</title><script>alert(1)</script></head><body>" \
           b"<iframe src='https://evil.example'></iframe><p>" + ARTICLE.encode() + b"</p></body></html>"
    doc = check_upload("taman.html", html, max_mb=1).documents[0]
    assert "alert" not in doc.text and "iframe" not in doc.text and "Eva Dwiana" in doc.text


def test_pasted_article_needs_title_and_text():
    name, data = pasted_article("Taman Gajah Biru", ARTICLE)
    assert name == "Taman_Gajah_Biru.json" and json.loads(data)["title"] == "Taman Gajah Biru"
    with pytest.raises(UploadError, match="title"):
        pasted_article("  ", ARTICLE)
    with pytest.raises(UploadError, match="no text"):
        pasted_article("Judul", " ")


def test_save_never_overwrites_and_skips_duplicate_content(tmp_path):
    first = check_upload("taman.txt", ARTICLE.encode(), 1)
    other = check_upload("taman.txt", (ARTICLE + "\nTambahan kalimat baru di akhir.").encode(), 1)
    same = check_upload("salinan.txt", ARTICLE.encode(), 1)
    ids = save_checked(tmp_path, [first, other, same, check_upload("kosong.txt", b"", 1)])
    assert ids == ["added/taman.txt", "added/taman-2.txt", "added/taman.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taman-2.txt", "taman.txt"]


def test_removal_only_of_added_files_inside_the_folder(tmp_path):
    (tmp_path / "added").mkdir()
    (tmp_path / "added" / "a.txt").write_text(ARTICLE)
    (tmp_path / "secret.txt").write_text("keep me")
    for bad in ["seeds/000.txt", "added/../secret.txt", "added/", "added/sub/../../secret.txt"]:
        with pytest.raises(UploadError):
            added_path(tmp_path / "added", bad)
    with pytest.raises(UploadError, match="not there any more"):
        remove_added(tmp_path / "added", "added/b.txt")
    remove_added(tmp_path / "added", "added/a.txt#2")
    assert not (tmp_path / "added" / "a.txt").exists() and (tmp_path / "secret.txt").exists()


@pytest.fixture()
def own_qa(tmp_path, seed_index):
    """A QA (sentence reader) over a private copy of the seed index, so adding articles touches nothing else."""
    from qa.pipeline import QA

    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    return QA.load(corpus=ROOT / "seeds", index_dir=index_dir, reader="sentence", progress=False)


def test_added_article_is_indexed_answered_and_removed(own_qa):
    before = len(own_qa.documents())
    checks = own_qa.check_articles([("taman.txt", ARTICLE.encode()), ("kosong.txt", b"")])
    assert [c.ok for c in checks] == [True, False]
    ids, report = own_qa.add_articles(checks)
    assert ids == ["added/taman.txt"] and report.embedded_documents == 1 and report.reused_documents == before
    assert [d["doc_id"] for d in own_qa.added_documents()] == ids
    passages = own_qa.retrieve("Siapa yang meresmikan Taman Gajah Biru?", k=1)
    assert passages[0].doc_id == "added/taman.txt"
    with pytest.raises(UploadError, match="not an article added"):
        own_qa.remove_article(own_qa.documents()[0]["doc_id"])
    report = own_qa.remove_article("added/taman.txt")
    assert report.removed_documents == 1 and len(own_qa.documents()) == before
    assert own_qa.retrieve("Siapa yang meresmikan Taman Gajah Biru?", k=1)[0].doc_id != "added/taman.txt"
    with pytest.raises(UploadError, match="nothing was added"):
        own_qa.add_articles(own_qa.check_articles([("kosong.txt", b"")]))


def test_questions_during_indexing_see_a_whole_index(own_qa):
    """Questions asked while articles are added always get an answer from one consistent index."""
    errors, answers = [], []
    stop = threading.Event()

    def asker():
        while not stop.is_set():
            try:
                answers.append(own_qa.ask("Siapa Duta Besar Indonesia untuk Kazakhstan?").found)
            except Exception as exc:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(repr(exc))

    thread = threading.Thread(target=asker)
    thread.start()
    try:
        for i in range(3):
            text = ARTICLE.replace("Taman Gajah Biru", f"Taman Nomor {i}")
            own_qa.add_articles(own_qa.check_articles([(f"taman{i}.txt", text.encode())]))
        own_qa.remove_article("added/taman0.txt")
    finally:
        stop.set()
        thread.join()
    assert not errors and answers and all(answers)
    assert ADDED_PREFIX + "taman0.txt" not in {d["doc_id"] for d in own_qa.documents()}
    builds = [p for p in own_qa.settings.index_dir.iterdir() if p.name.startswith("build-")]
    assert len(builds) <= 2  # the current build and the one it replaced, no pile-up
