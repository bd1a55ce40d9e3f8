"""Fast unit tests of the chat page's HTML (ui/render.py): escaping, highlights, messages."""
from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from qa.answer import Answer, Citation  # noqa: E402
from qa.retrieval import Passage  # noqa: E402
from ui import render  # noqa: E402

XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
# Tags render.py may emit; anything else in the output came from content and is a bug.
ALLOWED_TAGS = {"div", "p", "strong", "span", "blockquote", "mark", "details", "summary", "ol", "li",
                "br", "h3", "a"}
VOID = {"br", "img", "input", "hr", "meta", "link"}


# ---------------------------------------------------------------------------- a tiny DOM
class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None" = None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        out = []
        for child in self.children:
            if isinstance(child, str):
                out.append(child)
            elif child.tag == "br":
                out.append("\n")
            else:
                out.append(child.text())
        return "".join(out)

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, tag: str | None = None, cls: str | None = None, id: str | None = None) -> list["Node"]:
        return [n for n in self.walk() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and (id is None or n.attrs.get("id") == id)]

    def find(self, *args, **kwargs) -> "Node":
        found = self.find_all(*args, **kwargs)
        assert found, f"no element {args} {kwargs}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"unbalanced </{tag}>"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    b = _Builder()
    b.feed(html)
    b.close()
    assert b.current is b.root, "unclosed elements"
    return b.root


def assert_safe(html: str) -> Node:
    """Only render.py's own tags, no event-handler attributes, no javascript: links."""
    root = parse(html)
    for node in root.walk():
        assert node.tag in ALLOWED_TAGS, f"unexpected <{node.tag}> in output"
        for name, value in node.attrs.items():
            assert not name.lower().startswith("on"), f"event handler attribute {name}"
            assert "javascript:" not in (value or "").lower()
    assert "<script" not in html.lower() and "<img" not in html.lower()
    return root


# ---------------------------------------------------------------------------- fixtures
TEXT = ("JAKARTA, KOMPAS.com - Rapat digelar di Gedung <b>Merdeka</b>.\n\n"
        "Walikota Shenzhen, Qin Weizhong, hadir pada Sabtu (29/7/2023).\n"
        "Kalimat terakhir.")
SENTENCE = "Walikota Shenzhen, Qin Weizhong, hadir pada Sabtu (29/7/2023)."
S0 = TEXT.index(SENTENCE)
A0 = TEXT.index("Qin Weizhong")


def citation(**kw) -> Citation:
    fields = dict(doc_id="doc-1", chunk_id=0, outlet="Kompas.com", date="2023-07-30", title=None,
                  sentence=SENTENCE, sentence_start=S0, sentence_end=S0 + len(SENTENCE),
                  answer_start=A0, answer_end=A0 + len("Qin Weizhong"))
    fields.update(kw)
    return Citation(**fields)


def passage(rank=1, text=TEXT, **kw) -> Passage:
    fields = dict(doc_id="doc-1", chunk_id=0, text=text, start=0, end=len(text), score=0.0328, rank=rank,
                  outlet="Kompas.com", date="2023-07-30", title=None)
    fields.update(kw)
    return Passage(**fields)


def answer(language="id", found=True, **kw) -> Answer:
    fields = dict(question="Siapa Walikota Shenzhen?", text="Qin Weizhong", score=7.5, language=language,
                  found=found, citations=[citation()] if found else [], passages=[passage(), passage(2)],
                  reader="neural", latency_ms=12.0)
    fields.update(kw)
    return Answer(**fields)


# ---------------------------------------------------------------------------- escaping
def test_esc_escapes_markup_and_template_characters():
    out = render.esc(f'{XSS} "q" \'a\' & ${{x}} `y`')
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert "$" not in out and "{" not in out and "}" not in out and "`" not in out
    assert parse(out).text() == f'{XSS} "q" \'a\' & ${{x}} `y`'
    assert render.esc(None) == ""


def test_user_question_is_text_not_markup():
    html = render.user_message_html(f"{XSS} {IMG}\n**bold**")
    root = assert_safe(html)
    assert root.text() == f"{XSS} {IMG}\n**bold**"


def test_answer_question_sentence_passage_and_metadata_are_escaped():
    evil_sentence = f"Rapat {XSS} dihadiri {IMG} Qin Weizhong."
    a0 = evil_sentence.index("Qin")
    c = citation(sentence=evil_sentence, sentence_start=100, sentence_end=100 + len(evil_sentence),
                 answer_start=100 + a0, answer_end=100 + a0 + len("Qin Weizhong"),
                 outlet=f"Outlet{XSS}", title=f"Judul {IMG}")
    a = answer(question=XSS, text=f"Qin {XSS}", citations=[c], english=f"<b>{XSS}</b>", language="en",
               reader=f"r{XSS}",
               passages=[passage(text=f"Isi {XSS} {IMG}", outlet=IMG, title=XSS, doc_id=f"d{XSS}")])
    html = render.answer_html(a, labels={f"d{XSS}": f"label {XSS}"})
    root = assert_safe(html)
    text = root.text()
    assert f"Qin {XSS}" in text  # the answer, as text
    assert evil_sentence in text  # the sentence, as text
    assert f"Isi {XSS} {IMG}" in text  # the passage, as text
    assert f"Outlet{XSS}" in text and f"<b>{XSS}</b>" in text and f"label {XSS}" in text


def test_article_text_is_escaped_and_only_http_links_are_kept():
    doc = {"doc_id": "d1", "title": XSS, "outlet": IMG, "date": "2023-07-30", "date_text": None,
           "place": XSS, "url": "javascript:alert(1)", "text": f"Baris {XSS}\n{IMG} selesai."}
    root = assert_safe(render.article_html(doc, "id"))
    assert not root.find_all("a")
    assert f"Baris {XSS}\n{IMG} selesai." in root.find(cls="ta-article-body").text()
    doc["url"] = 'https://example.com/a?b=1&c="x"'
    root = assert_safe(render.article_html(doc, "en"))
    assert not root.find_all("a")  # a quote in the URL: not linked
    doc["url"] = "https://example.com/a?b=1&c=2"
    link = assert_safe(render.article_html(doc, "en")).find("a")
    assert link.attrs["href"] == "https://example.com/a?b=1&c=2"


# ---------------------------------------------------------------------------- highlights
def test_chat_highlight_marks_the_answer_inside_the_sentence():
    root = assert_safe(render.answer_html(answer()))
    quote = root.find("blockquote", cls="ta-quote")
    assert quote.text() == SENTENCE
    marks = quote.find_all("mark", cls="ta-ans")
    assert [m.text() for m in marks] == ["Qin Weizhong"]
    # the text before the mark is exactly the sentence up to the answer offset
    assert quote.children[0] == SENTENCE[:A0 - S0]


def test_chat_highlight_falls_back_to_the_answer_text_when_offsets_disagree():
    c = citation(answer_start=0, answer_end=3)  # outside the sentence
    html = render.highlight_sentence(c, "Qin Weizhong")
    assert parse(html).find("mark").text() == "Qin Weizhong"


def test_article_highlight_uses_document_offsets():
    c = citation()
    html = render.highlight_document(TEXT, c.sentence_start, c.sentence_end, c.answer_start, c.answer_end)
    root = parse(html)
    assert root.text() == TEXT  # nothing lost or added; line breaks kept as <br>
    sent = root.find("span", cls="ta-sent", id="ta-cited")
    assert sent.text() == TEXT[c.sentence_start:c.sentence_end] == SENTENCE
    assert sent.find("mark", cls="ta-ans").text() == TEXT[c.answer_start:c.answer_end] == "Qin Weizhong"
    assert "<b>" not in html and "&lt;b&gt;Merdeka&lt;/b&gt;" in html


def test_article_highlight_clips_the_answer_to_the_sentence_and_survives_bad_offsets():
    root = parse(render.highlight_document(TEXT, S0, S0 + len(SENTENCE), S0 - 5, S0 + 8))
    assert root.find("mark").text() == SENTENCE[:8]
    root = parse(render.highlight_document(TEXT, 10_000, 20_000, -5, 3))
    assert root.text() == TEXT


def test_article_panel_shows_the_cited_sentence():
    doc = {"doc_id": "doc-1", "title": None, "outlet": "Kompas.com", "date": "2023-07-30",
           "date_text": "30/07/2023, 13:48 WIB", "place": "JAKARTA", "url": None, "text": TEXT}
    root = assert_safe(render.article_html(doc, "en", citation()))
    assert root.find(id="ta-cited").text() == SENTENCE
    assert "Kompas.com" in root.find(cls="ta-article-meta").text()
    assert root.find("h3").text() == "Rapat digelar di Gedung <b>Merdeka</b>."  # dateline removed
    assert "highlighted" in root.text()
    assert "Pilih artikel" in render.article_html(None)  # placeholder, both languages
    assert "Choose an article" in render.article_html(None)


# ---------------------------------------------------------------------------- messages
@pytest.mark.parametrize("language, message, source", [
    ("id", "Maaf, jawabannya tidak ditemukan di artikel.", "Sumber"),
    ("en", "Sorry, the articles don't answer that.", "Source"),
])
def test_not_found_message_in_the_question_language_with_closest_passages(language, message, source):
    root = assert_safe(render.answer_html(answer(language=language, found=False, text="", message="")))
    assert root.find("p", cls="ta-notfound").text() == message
    details = root.find("details", cls="ta-passages")
    assert "open" in details.attrs  # the closest passages are shown anyway
    assert len(details.find_all("li")) == 2
    assert source not in root.text()
    # the core's message wins when it has one
    root = parse(render.answer_html(answer(language=language, found=False, text="", message="X y z")))
    assert root.find("p", cls="ta-notfound").text() == "X y z"


def test_interface_texts_follow_the_question_language():
    id_text = parse(render.answer_html(answer("id"))).text()
    en_text = parse(render.answer_html(answer("en", english="Saturday, 29 July 2023"))).text()
    assert "Sumber" in id_text and "Bagian artikel yang ditemukan (2)" in id_text and "Pembaca" in id_text
    assert "Source" in en_text and "Retrieved passages (2)" in en_text and "Reader" in en_text
    assert "30 Juli 2023" in id_text and "30 July 2023" in en_text


def test_english_rendering_only_for_english_answers():
    en = parse(render.answer_html(answer("en", english="Saturday, 29 July 2023")))
    assert en.find("p", cls="ta-english").find("strong").text() == "Saturday, 29 July 2023"
    assert not parse(render.answer_html(answer("id", english="x"))).find_all(cls="ta-english")
    assert not parse(render.answer_html(answer("en", english=None))).find_all(cls="ta-english")


def test_answer_in_bold_source_and_passages_with_scores():
    root = parse(render.answer_html(answer(), labels={"doc-1": "Rapat digelar"}))
    assert root.find("strong", cls="ta-answer").text() == "Qin Weizhong"
    head = root.find(cls="ta-source-head").text()
    assert "Kompas.com" in head and "30 Juli 2023" in head and "Rapat digelar" in head
    items = root.find("details", cls="ta-passages").find_all("li")
    assert [li.attrs["data-rank"] for li in items] == ["1", "2"]
    assert "skor 0.0328" in items[0].text()
    assert root.find_all(cls="ta-badge")  # the cited passage is marked


@pytest.mark.parametrize("question, expected_id, expected_en", [
    ("", "kosong", "empty"),
    ("   \n ", "kosong", "empty"),
    ("?!? ...", "tanda baca", "punctuation"),
    ("siapa " * 500, "terlalu panjang (2.999 karakter; batasnya 2.000)",
     "too long (2,999 characters; the limit is 2,000)"),
])
def test_bad_questions_get_a_friendly_bilingual_message(question, expected_id, expected_en):
    root = assert_safe(render.question_error_html(question, 2000, "core message"))
    assert expected_id in root.find("p", cls="ta-id").text()
    assert expected_en in root.find("p", cls="ta-en").text()
    assert "Traceback" not in root.text()


def test_other_question_errors_show_the_core_message_escaped():
    root = assert_safe(render.question_error_html("fine question", 2000, XSS))
    assert XSS in root.text()
    assert_safe(render.failure_html())


def test_document_labels():
    meta = {"doc_id": "x.txt", "title": None, "outlet": "VIVA", "date": "2024-07-31"}
    assert render.document_label(meta, "\n\nLuang Prabang, VIVA – Pelaksana Harian memaparkan hal.") == \
        "Pelaksana Harian memaparkan hal."
    assert render.document_label({**meta, "title": "Judul"}, "isi") == "Judul"
    assert render.document_label(meta, None) == "x.txt"
    assert render.document_label(meta, "kata " * 100).endswith("…")
    assert render.document_choice(meta, "Judul", "id") == "VIVA · 31 Juli 2024 — Judul"


# ---------------------------------------------------------------------------- API payload
def test_answer_json_has_the_documented_fields_and_consistent_offsets():
    data = render.answer_json(answer("en", english="Saturday"))
    for key in ("answer", "score", "found", "language", "citations", "english", "passages", "reader"):
        assert key in data
    c = data["citations"][0]
    assert TEXT[c["sentence_start"]:c["sentence_end"]] == c["sentence"]
    assert TEXT[c["answer_start"]:c["answer_end"]] == data["answer"]
    assert {"doc_id", "score", "rank"} <= set(data["passages"][0])
    import json

    json.dumps(data)  # JSON-ready


def test_upload_check_and_results_escape_what_users_bring():
    """File names, titles and outlets of added articles are users' text: escaped, never markup."""
    from types import SimpleNamespace

    from ui import uploads

    doc = SimpleNamespace(title='<img src=x onerror="alert(1)">', outlet="<b>Outlet</b>", date="2024-03-04",
                          date_text=None, text="isi artikel")
    good = SimpleNamespace(name="<script>a.txt", documents=[doc], problems=[])
    bad = SimpleNamespace(name="kosong.txt", documents=[], problems=["<i>empty</i> file"])
    html = uploads.check_html([good, bad], ["x.exe: files of type '.exe' cannot be added"])
    assert "<img" not in html and "<script>" not in html and "<b>Outlet" not in html and "<i>empty" not in html
    assert "&lt;img" in html and "kosong.txt" in html and "x.exe" in html and "4 Maret 2024" in html
    report = SimpleNamespace(manifest=SimpleNamespace(n_documents=7, n_chunks=30), seconds=1.5)
    assert "&lt;script&gt;" in uploads.added_html(["added/<script>.txt"], report)
    assert "<script>" not in uploads.removed_html("added/<script>.txt", report)
    assert "Nothing was changed" in uploads.problem_html("<b>no</b>") and "<b>no</b>" not in uploads.problem_html("<b>no</b>")
    assert "5 MB" in uploads.files_label(5)
