"""The Gradio page: a chat over the indexed articles, an article panel, settings and a JSON API.

``build_demo(qa)`` builds the page around one shared :class:`qa.QA` (models load once; Gradio
runs up to ``CONCURRENCY`` questions at a time on it). ``launch(demo, ...)`` serves it with the
page's CSS and theme.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import gradio as gr

from qa.config import RETRIEVAL_MODES
from qa.pipeline import QA, QuestionError, UploadError
from qa.uploads import ADDED_PREFIX, pasted_article
from ui import render, uploads

log = logging.getLogger("ui")

CONCURRENCY = 2  # questions answered at once; fits a 2-core machine (the model is shared)
# Sessions whose server-side state is kept (least recently used beyond it are dropped). Gradio's own
# default, 10,000, let every API call (a new session each) keep ~85 KB: RSS grew 85 MB per 1,000
# questions (bench/load.py memory). A dropped session only loses which reply cites which article.
SESSION_CAPACITY = 256
MAX_LIST_RADIO = 40  # up to this many articles the side list is a radio list, else a dropdown
MAX_LABEL_LOOKUPS = 2000  # articles without a title get their first line as label (one read each)
OPEN_LABEL = f"{render.TEXTS['id']['open_button']} / {render.TEXTS['en']['open_button']}"

EXAMPLES_ID = [  # written for the seed articles (not taken from eval/gold.jsonl)
    "Siapa Duta Besar Indonesia untuk Kazakhstan?",
    "Di kota mana ASEAN Smart City Network bersidang pada Juli 2024?",
    "Berapa tahun hubungan bilateral Indonesia dan Kazakhstan?",
    "Kota mana yang menjalin kerja sama Sister City dengan Ibu Kota Nusantara?",
]
EXAMPLES_EN = [
    "When was the World Smart City Expo 2024 held?",
    "Who is Zhenis Kassymbek?",
    "Where did Qin Weizhong meet Bambang Susantono?",
    "Which university is Professor Junseok Hwang from?",
]

CSS = """
.ta-header h1 { margin: 0 0 .2rem 0; font-size: 1.6rem; }
.ta-header p { margin: 0; color: var(--body-text-color-subdued); }
.ta-reply p { margin: .25rem 0; }
.ta-answer { font-size: 1.08em; }
.ta-english { color: var(--body-text-color-subdued); }
.ta-source { margin: .5rem 0; padding: .45rem .7rem; border-left: 3px solid var(--color-accent);
  background: var(--background-fill-secondary); border-radius: 6px; }
.ta-label { text-transform: uppercase; font-size: .75em; letter-spacing: .05em; font-weight: 700;
  color: var(--color-accent); margin-right: .3rem; }
.ta-quote { margin: .35rem 0 .2rem 0; padding: 0; border: none; font-style: normal; }
mark.ta-ans { background: #fde68a; color: #111827; padding: 0 .15em; border-radius: 3px;
  font-weight: 600; }
.ta-sent { background: #dbeafe; color: #111827; border-radius: 3px; }
.ta-hint, .ta-foot, .ta-muted { font-size: .8em; color: var(--body-text-color-subdued); }
.ta-foot { margin-top: .35rem; }
.ta-notfound { font-weight: 600; }
.ta-passages summary { cursor: pointer; font-size: .9em; font-weight: 600; margin-top: .3rem; }
.ta-passages ol { margin: .3rem 0 0 1.2rem; padding: 0; }
.ta-passage { margin-bottom: .4rem; font-size: .88em; }
.ta-pmeta { color: var(--body-text-color-subdued); }
.ta-score { font-family: var(--font-mono); }
.ta-badge { background: var(--color-accent); color: white; border-radius: 4px; padding: 0 .3em;
  font-size: .8em; }
.ta-problem p { margin: .2rem 0; }
.ta-problem .ta-en, .ta-article .ta-en { color: var(--body-text-color-subdued); }
.ta-article-title { margin: .2rem 0 .3rem 0; font-size: 1.05rem; }
.ta-article-meta { font-size: .85em; color: var(--body-text-color-subdued); margin-bottom: .3rem; }
.ta-docid { font-family: var(--font-mono); font-size: .9em; }
.ta-article-body { position: relative; max-height: 30rem; overflow-y: auto; line-height: 1.5;
  padding-right: .4rem; font-size: .92em; }
#ta-docs { max-height: 16rem; overflow-y: auto; }
#ta-ask, #ta-clear { white-space: nowrap; }
.ta-upload table { border-collapse: collapse; font-size: .85em; margin: .3rem 0; }
.ta-upload th, .ta-upload td { border-bottom: 1px solid var(--border-color-primary); padding: .15rem .4rem;
  text-align: left; }
.ta-problems { font-size: .85em; margin: .2rem 0 0 1.2rem; }
"""

# Scroll the article panel to the highlighted sentence whenever it changes.
SCROLL_JS = """
const scrollToCited = () => {
  const body = element.querySelector('.ta-article-body');
  if (!body) return;
  const cited = element.querySelector('#ta-cited');
  body.scrollTop = cited ? Math.max(0, cited.offsetTop - body.clientHeight / 3) : 0;
};
watch('value', scrollToCited);
scrollToCited();
"""


def theme() -> gr.themes.Base:
    """A plain theme with system fonts (nothing is fetched from the internet)."""
    return gr.themes.Soft(primary_hue="teal", font=["ui-sans-serif", "system-ui", "sans-serif"],
                          font_mono=["ui-monospace", "SFMono-Regular", "monospace"])


def _labels(qa: QA, docs: list[dict]) -> dict[str, str]:
    labels = {}
    for i, d in enumerate(docs):
        text = None
        if not d.get("title") and i < MAX_LABEL_LOOKUPS:
            full = qa.document(d["doc_id"])
            text = full.get("text") if full else None
        labels[d["doc_id"]] = render.document_label(d, text)
    return labels


def _citation_state(answer: Any) -> dict | None:
    if not answer.found or not answer.citations:
        return None
    c = answer.citations[0]
    return {"doc_id": c.doc_id, "sentence_start": c.sentence_start, "sentence_end": c.sentence_end,
            "answer_start": c.answer_start, "answer_end": c.answer_end, "language": answer.language}


def _api_error(message: str) -> gr.Error:
    """A client error of the API (no traceback in the server log)."""
    return gr.Error(message, print_exception=False)


class _Cite:
    """Attribute access over a citation state dict (what ``render.article_html`` expects)."""

    def __init__(self, state: dict):
        self.__dict__.update(state)


def build_demo(qa: QA, title: str = "Tanya Artikel") -> gr.Blocks:
    """The chat page for ``qa``. Launch it with :func:`launch` (adds CSS/theme) or ``demo.launch()``."""
    settings = qa.settings
    docs = qa.documents()
    labels = _labels(qa, docs)
    reader_name = getattr(qa.reader, "name", type(qa.reader).__name__)
    max_k = max(20, settings.top_k)

    def article(doc_id: str | None, cite: dict | None = None, language: str | None = None) -> str:
        if not doc_id:
            return render.article_html(None)
        doc = qa.document(doc_id)
        return render.article_html(doc, language or (cite or {}).get("language") or "id",
                                   _Cite(cite) if cite else None, label=labels.get(doc_id))

    # ------------------------------------------------------------------ handlers
    def respond(message: str, history: list, k: float, mode: str, cites: dict):
        history = list(history or [])
        cites = dict(cites or {})
        message = message if isinstance(message, str) else ""
        if message.strip():
            history.append({"role": "user", "content": render.user_message_html(message)})
        # Show the question at once and clear the box; then answer.
        yield "", history, cites, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        cite = None
        try:
            k = min(max(int(k), 1), 100) if k else settings.top_k
            answer = qa.ask(message, k=k, mode=mode or settings.retrieval_mode)
        except QuestionError as exc:
            reply = render.question_error_html(message, settings.max_question_chars, str(exc))
        except Exception:  # never a traceback in the chat; the log has it
            log.exception("answering %r failed", message[:200])
            reply = render.failure_html()
        else:
            reply = render.answer_html(answer, labels)
            cite = _citation_state(answer)
        history.append({"role": "assistant", "content": reply})
        if cite is None:
            yield "", history, cites, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        cites[str(len(history) - 1)] = cite
        yield ("", history, cites, cite, article(cite["doc_id"], cite), gr.update(value=cite["doc_id"]),
               gr.update(value=render.t(cite["language"], "open_button"), interactive=True))

    def open_cited(cite: dict | None):
        if not cite:
            return gr.skip(), gr.skip()
        return article(cite["doc_id"], cite), gr.update(value=cite["doc_id"])

    def open_from_message(cites: dict, evt: gr.SelectData):
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        cite = (cites or {}).get(str(index))
        if not cite:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return (cite, article(cite["doc_id"], cite), gr.update(value=cite["doc_id"]),
                gr.update(value=render.t(cite["language"], "open_button"), interactive=True))

    def open_document(doc_id: str | None, cite: dict | None):
        language = (cite or {}).get("language")
        if cite and cite.get("doc_id") == doc_id:  # back to the cited article: keep the highlight
            return article(doc_id, cite)
        return article(doc_id, language=language)

    def clear():
        return ([], {}, None, render.article_html(None), gr.update(value=None),
                gr.update(value=OPEN_LABEL, interactive=False))

    def ask(question: str, k: int = settings.top_k, mode: str = settings.retrieval_mode) -> dict:
        """Answer a question (Indonesian or English) from the articles.

        Returns the answer span, whether it was found, the reader's score, the question's
        language, the English rendering of dates/numbers (English questions), the citations
        (document offsets of the sentence and the answer) and the retrieved passages.
        """
        if mode not in RETRIEVAL_MODES:
            raise _api_error(f"Unknown mode '{render.esc(str(mode)[:40])}'. Use one of: {', '.join(RETRIEVAL_MODES)}.")
        try:
            k = int(k)
        except (TypeError, ValueError):
            raise _api_error(f"k must be a whole number, not '{render.esc(str(k)[:40])}'.") from None
        if not 1 <= k <= 100:
            raise _api_error(f"k must be between 1 and 100 (got {k}).")
        try:
            answer = qa.ask(question, k=k, mode=mode)
        except QuestionError as exc:
            raise _api_error(str(exc)) from None
        return render.answer_json(answer)

    def heading(n: int) -> str:
        return f'<h3 style="margin:.2rem 0">Artikel / Articles ({n})</h3>'

    def refresh_lists():
        now = qa.documents()
        labels.clear()
        labels.update(_labels(qa, now))
        choices = [(render.document_choice(d, labels[d["doc_id"]]), d["doc_id"]) for d in now]
        added = [(labels[d["doc_id"]], d["doc_id"]) for d in now if d["doc_id"].startswith(ADDED_PREFIX)]
        return gr.update(choices=choices), heading(len(now)), gr.update(choices=added, value=None)

    def check_files(files: list | None, title: str, text: str):
        items, errors = [], []
        for f in files or []:
            path = Path(f if isinstance(f, str) else getattr(f, "name", ""))
            try:
                items.append((path.name, path.read_bytes()))
            except OSError as exc:
                errors.append(f"{path.name}: cannot be read ({exc.strerror or exc}).")
        if (title or "").strip() or (text or "").strip():
            try:
                items.append(pasted_article(title, text))
            except UploadError as exc:
                errors.append(str(exc))
        checks = []
        for item in items:
            try:
                checks.extend(qa.check_articles([item]))
            except UploadError as exc:
                errors.append(str(exc))
        if not items and not errors:
            errors.append("Pilih berkas atau tempel artikel dulu. · Choose files or paste an article first.")
        ok = [c for c in checks if c.ok]
        return uploads.check_html(checks, errors), ok, gr.update(interactive=bool(ok))

    def add_checked(checks: list | None, progress=gr.Progress(track_tqdm=True)):
        def failed(message: str):  # nothing changed: only the status line and the disabled button
            return (uploads.problem_html(message), None, gr.update(interactive=False), *([gr.skip()] * 6))

        if not checks:
            return failed("Periksa berkasnya dulu. · Check the files first.")
        try:
            ids, report = qa.add_articles(checks, progress=True)
        except UploadError as exc:
            return failed(str(exc))
        except Exception:  # never a traceback in the page; the log has it
            log.exception("adding articles failed")
            return failed("Adding the articles failed; the index was not changed. The server log has the details.")
        return (uploads.added_html(ids, report), None, gr.update(interactive=False), *refresh_lists(),
                None, "", "")

    def remove_added(doc_id: str | None, progress=gr.Progress(track_tqdm=True)):
        if not doc_id:
            return uploads.problem_html("Pilih artikel yang akan dihapus. · Choose the article to remove."), \
                gr.skip(), gr.skip(), gr.skip()
        try:
            report = qa.remove_article(doc_id, progress=True)
        except UploadError as exc:
            return uploads.problem_html(str(exc)), gr.skip(), gr.skip(), gr.skip()
        except Exception:
            log.exception("removing %r failed", doc_id)
            return (uploads.problem_html("Removing the article failed; the index was not changed."),
                    gr.skip(), gr.skip(), gr.skip())
        return (uploads.removed_html(doc_id, report), *refresh_lists())

    # ------------------------------------------------------------------ layout
    with gr.Blocks(title=title, fill_width=True) as demo:
        gr.HTML(
            f'<div class="ta-header"><h1>{render.esc(title)}</h1>'
            "<p>Tanyakan isi artikel berita dalam Bahasa Indonesia atau English — jawabannya "
            "diambil langsung dari artikel, lengkap dengan sumbernya. · Ask about the news "
            "articles in Indonesian or English; answers are quoted from the articles, with "
            "their source.</p></div>", js_on_load=None)
        cites = gr.State({})  # chat message index -> citation of that reply
        last = gr.State(None)  # citation of the latest answer
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                chatbot = gr.Chatbot(
                    label="Percakapan / Conversation", show_label=False, elem_id="ta-chat", height=620,
                    render_markdown=False, sanitize_html=True, allow_tags=False, latex_delimiters=[],
                    feedback_options=None, buttons=["copy_all"], layout="bubble",
                    placeholder="<p><b>Tanya Artikel</b></p><p>Ajukan pertanyaan tentang artikel di "
                                "samping. · Ask a question about the articles on the right.</p>")
                with gr.Row():
                    box = gr.Textbox(placeholder="Tulis pertanyaan… / Type a question…", show_label=False,
                                     scale=8, max_lines=4, autofocus=True, elem_id="ta-question",
                                     max_length=settings.max_question_chars + 1000)
                    ask_btn = gr.Button("Tanya / Ask", variant="primary", scale=0, min_width=150,
                                        elem_id="ta-ask")
                    clear_btn = gr.Button("Hapus / Clear", scale=0, min_width=150, elem_id="ta-clear")
                gr.Examples(EXAMPLES_ID, inputs=box, label="Contoh pertanyaan (Bahasa Indonesia)")
                gr.Examples(EXAMPLES_EN, inputs=box, label="Example questions (English)")
                with gr.Accordion("Pengaturan / Settings", open=False, elem_id="ta-settings"):
                    k = gr.Slider(1, max_k, value=settings.top_k, step=1, elem_id="ta-k",
                                  label="Jumlah bagian artikel (k) / Number of passages (k)")
                    mode = gr.Radio(list(RETRIEVAL_MODES), value=settings.retrieval_mode, elem_id="ta-mode",
                                    label="Mode pencarian / Retrieval mode",
                                    info="hybrid = dense + BM25 (bawaan / default)")
                    gr.HTML(f'<p class="ta-muted">Pembaca / Reader: <b>{render.esc(reader_name)}</b></p>',
                            js_on_load=None)
            with gr.Column(scale=2, min_width=320):
                docs_heading = gr.HTML(heading(len(docs)), js_on_load=None, elem_id="ta-docs-heading")
                choices = [(render.document_choice(d, labels[d["doc_id"]]), d["doc_id"]) for d in docs]
                if len(docs) <= MAX_LIST_RADIO:
                    picker = gr.Radio(choices, value=None, show_label=False, elem_id="ta-docs")
                else:
                    picker = gr.Dropdown(choices, value=None, filterable=True, elem_id="ta-docs",
                                         label="Pilih artikel / Choose an article")
                open_btn = gr.Button(OPEN_LABEL,
                                     interactive=False, size="sm", elem_id="ta-open")
                viewer = gr.HTML(render.article_html(None), elem_id="ta-article", js_on_load=SCROLL_JS,
                                 padding=True, container=True)
                with gr.Accordion("Tambah artikel / Add articles", open=False, elem_id="ta-add"):
                    upload = gr.File(file_count="multiple", file_types=list(uploads.EXTENSIONS), type="filepath",
                                     label=uploads.files_label(settings.max_upload_mb), elem_id="ta-upload")
                    paste_title = gr.Textbox(label="Judul artikel yang ditempel / Title of a pasted article",
                                             max_lines=1, elem_id="ta-paste-title")
                    paste_text = gr.Textbox(label="Teks artikel / Article text", lines=4, max_lines=12,
                                            elem_id="ta-paste-text")
                    with gr.Row():
                        check_btn = gr.Button("Periksa / Check", size="sm", elem_id="ta-check")
                        add_btn = gr.Button("Tambahkan / Add", size="sm", variant="primary", interactive=False,
                                            elem_id="ta-add-confirm")
                    upload_status = gr.HTML("", elem_id="ta-upload-status", js_on_load=None)
                    checked = gr.State(None)
                    added_docs = [(labels[d["doc_id"]], d["doc_id"]) for d in docs
                                  if d["doc_id"].startswith(ADDED_PREFIX)]
                    with gr.Row():
                        remove_pick = gr.Dropdown(added_docs, value=None, elem_id="ta-remove-pick", scale=3,
                                                  label="Artikel yang Anda tambahkan / Articles you added")
                        remove_btn = gr.Button("Hapus artikel / Remove", size="sm", scale=1, elem_id="ta-remove")

        # ------------------------------------------------------------------ events
        gr.on([box.submit, ask_btn.click], respond, inputs=[box, chatbot, k, mode, cites],
              outputs=[box, chatbot, cites, last, viewer, picker, open_btn], api_visibility="private",
              show_progress_on=[chatbot], concurrency_id="answer")
        open_btn.click(open_cited, inputs=[last], outputs=[viewer, picker], api_visibility="private")
        chatbot.select(open_from_message, inputs=[cites], outputs=[last, viewer, picker, open_btn],
                       api_visibility="private")
        picker.input(open_document, inputs=[picker, last], outputs=[viewer], api_visibility="private")
        clear_btn.click(clear, outputs=[chatbot, cites, last, viewer, picker, open_btn],
                        api_visibility="private")
        chatbot.clear(clear, outputs=[chatbot, cites, last, viewer, picker, open_btn],
                      api_visibility="private")  # the chat's own trash button
        gr.api(ask, api_name="ask", concurrency_id="answer")  # chat + API share CONCURRENCY slots
        check_btn.click(check_files, inputs=[upload, paste_title, paste_text], outputs=[upload_status, checked, add_btn],
                        api_visibility="private", concurrency_id="check")
        add_btn.click(add_checked, inputs=[checked],
                      outputs=[upload_status, checked, add_btn, picker, docs_heading, remove_pick, upload,
                               paste_title, paste_text],
                      api_visibility="private", concurrency_id="write", concurrency_limit=1)
        remove_btn.click(remove_added, inputs=[remove_pick], outputs=[upload_status, picker, docs_heading, remove_pick],
                         api_visibility="private", concurrency_id="write", concurrency_limit=1)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=settings.queue_size)  # beyond it: "busy, try again"
    return demo


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int | None = 7860,
           auth: tuple[str, str] | None = None, **kwargs: Any):
    """Serve ``demo`` with the page's CSS and theme (``kwargs`` go to ``Blocks.launch``)."""
    kwargs.setdefault("ssr_mode", False)
    kwargs.setdefault("show_error", False)
    kwargs.setdefault("state_session_capacity", SESSION_CAPACITY)
    return demo.launch(server_name=host, server_port=port, auth=auth, css=CSS, theme=theme(),
                       auth_message="Tanya Artikel: masuk dengan nama pengguna dan kata sandi. "
                                    "Log in with your user name and password." if auth else None,
                       **kwargs)
