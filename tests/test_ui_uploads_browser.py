"""Adding articles from the chat, end to end in Debian's Chromium: upload two articles (one with
hostile HTML), confirm, ask about them in both languages, remove one, ask again → "not found".

The app here has its own copy of the seed index, so the other browser tests keep theirs.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.test_ui_browser import ask, browser, open_chat  # noqa: E402,F401  (browser: the fixture)
from ui import testing as T  # noqa: E402

pytestmark = pytest.mark.browser

INDONESIAN = """Bandarlampung, Lampung Post - Wali Kota Bandarlampung Eva Dwiana meresmikan Taman Gajah Biru
pada Senin (4/3/2024). Taman seluas dua hektare itu dibangun dengan dana Rp 12 miliar dari APBD kota.

Eva Dwiana mengatakan taman itu terbuka untuk umum setiap hari mulai pukul 06.00 WIB. Warga dapat
berolahraga dan berekreasi bersama keluarga di taman tersebut.
"""
ENGLISH = """<html><head><title>Solar farm opens <img src=x onerror="alert('title')"></title>
<script>alert('script')</script></head><body><nav>Home | News | Sports</nav>
<iframe src="https://evil.example/"></iframe>
<p>SURABAYA, Jakarta Globe - The Riverside Solar Farm in Surabaya was opened by Governor Khofifah Indar
Parawansa on Sunday. The farm cost 45 million dollars and can power 20,000 homes.</p>
<p>Khofifah said the province plans three more solar farms by 2027. <b onmouseover="alert('b')">Officials</b>
expect the farm to cut the city's emissions.</p></body></html>
"""
ID_QUESTION = "Siapa yang meresmikan Taman Gajah Biru?"
EN_QUESTION = "How many homes can the Riverside Solar Farm power?"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from qa import QA

    source = tmp_path_factory.mktemp("upload-seed")
    shared = T.shared_app(tmp_path_factory.mktemp("ui-index"))  # the shared index, built once per run
    shutil.copytree(shared.qa.settings.index_dir, source / "index", ignore=shutil.ignore_patterns("added"))
    qa = QA.load(corpus=T.SEEDS, index_dir=source / "index", reader=T.READER, progress=False)
    running = T.start_app(source / "index", qa=qa)
    yield running
    running.close()


@pytest.fixture(scope="module")
def page(app, browser):  # noqa: F811  (browser is the fixture imported above)
    page = open_chat(browser, app.url, height=1100, timeout_ms=90_000)
    yield page
    page.close()


def wait_text(page, selector: str, text: str) -> None:
    """Wait until the element ``selector`` shows ``text``."""
    page.wait_for_function("([sel, text]) => (document.querySelector(sel)?.innerText || '').includes(text)",
                           arg=[selector, text])


def status(page) -> str:
    return page.locator("#ta-upload-status").inner_text()


def test_add_ask_remove_in_the_browser(page, app, tmp_path):
    files = [tmp_path / "taman.txt", tmp_path / "solar.html"]
    files[0].write_text(INDONESIAN, encoding="utf-8")
    files[1].write_text(ENGLISH, encoding="utf-8")
    before = len(app.qa.documents())

    page.locator("#ta-add").get_by_text("Tambah artikel / Add articles").click()
    page.locator("#ta-upload input[type=file]").set_input_files([str(f) for f in files])
    wait_text(page, "#ta-upload", "solar")  # both files uploaded
    page.locator("#ta-check").click()
    page.wait_for_function("() => document.querySelector('#ta-upload-status table')")
    preview = status(page)
    assert "taman.txt" in preview and "solar.html" in preview and "Lampung Post" in preview
    page.locator("#ta-add-confirm").click()
    wait_text(page, "#ta-upload-status", "Ditambahkan / Added")
    assert f"({before + 2})" in page.locator("#ta-docs-heading").inner_text()
    assert "added/taman.txt" in status(page) and "added/solar.html" in status(page)

    reply = ask(page, ID_QUESTION)
    assert "Eva Dwiana" in reply.locator(".ta-answer").inner_text()
    reply = ask(page, EN_QUESTION)
    assert "20,000" in reply.locator(".ta-answer").inner_text()
    page.locator("#ta-docs").get_by_text("Solar farm opens").first.click()  # the hostile title, as text
    page.locator("#ta-article").get_by_text("Riverside Solar Farm").first.wait_for()
    assert page.dialogs == []  # no script from the article ran
    assert page.locator("img[src='x'], iframe[src*='evil'], b[onmouseover]").count() == 0

    page.locator("#ta-remove-pick input").click()
    page.get_by_role("option", name="Taman").first.click()
    page.locator("#ta-remove").click()
    wait_text(page, "#ta-upload-status", "Dihapus / Removed")
    assert f"({before + 1})" in page.locator("#ta-docs-heading").inner_text()
    reply = ask(page, ID_QUESTION)
    assert T.NOT_FOUND_ID in reply.inner_text()
    assert {d["doc_id"] for d in app.qa.added_documents()} == {"added/solar.html"}


def test_bad_files_are_named_and_nothing_is_lost(page, app, tmp_path):
    bad = [tmp_path / "kosong.txt", tmp_path / "program.exe"]
    bad[0].write_bytes(b"")
    bad[1].write_bytes(b"MZ\x00\x01")
    before = {d["doc_id"] for d in app.qa.documents()}
    page.locator("#ta-upload input[type=file]").set_input_files([str(f) for f in bad])
    wait_text(page, "#ta-upload", "kosong")
    page.locator("#ta-check").click()
    wait_text(page, "#ta-upload-status", "kosong.txt")
    text = status(page)
    assert "No article can be added" in text and "kosong.txt" in text
    assert page.locator("#ta-add-confirm").is_disabled()
    assert {d["doc_id"] for d in app.qa.documents()} == before
