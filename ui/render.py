"""HTML for the chat page, built from escaped pieces only.

Nothing that comes from an article, a question or the index is ever emitted as markup:
every interpolated value goes through :func:`esc`. The chatbot renders these strings as
(sanitised) HTML with Markdown switched off, so the only tags on the page are the ones
written here. This module imports neither gradio nor torch.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import html
import re
from typing import Any, Iterable

LANGUAGES = ("id", "en")

TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "source": "Sumber",
        "english": "Dalam bahasa Inggris",
        "passages": "Bagian artikel yang ditemukan ({n})",
        "closest": "Bagian artikel yang paling dekat ({n})",
        "no_passages": "Tidak ada bagian artikel yang ditemukan.",
        "score": "skor",
        "rank": "peringkat",
        "cited": "dikutip",
        "reader": "Pembaca",
        "not_found": "Maaf, jawabannya tidak ditemukan di artikel.",
        "open_hint": "Artikel lengkapnya tampil di panel Artikel, dengan kalimat ini disorot.",
        "open_button": "Buka artikel sumber",
        "article_hint": "Kalimat yang dikutip disorot; jawabannya ditandai lebih tebal.",
        "published": "Terbit",
        "place": "Tempat",
        "link": "Tautan asli",
        "missing_doc": "Artikel ini tidak ada lagi di indeks.",
    },
    "en": {
        "source": "Source",
        "english": "In English",
        "passages": "Retrieved passages ({n})",
        "closest": "Closest passages ({n})",
        "no_passages": "No passages were found.",
        "score": "score",
        "rank": "rank",
        "cited": "cited",
        "reader": "Reader",
        "not_found": "Sorry, the articles don't answer that.",
        "open_hint": "The full article is shown in the Articles panel, with this sentence highlighted.",
        "open_button": "Open cited article",
        "article_hint": "The cited sentence is highlighted; the answer is marked more strongly.",
        "published": "Published",
        "place": "Place",
        "link": "Original link",
        "missing_doc": "This article is no longer in the index.",
    },
}

# Messages about the question itself are shown in both languages: the language of an empty
# or punctuation-only question cannot be told.
QUESTION_PROBLEMS: dict[str, tuple[str, str]] = {
    "empty": ("Pertanyaannya kosong. Tulis sebuah pertanyaan, misalnya: Siapa Duta Besar Indonesia untuk Kazakhstan?",
              "The question is empty. Type a question, e.g. Who is Zhenis Kassymbek?"),
    "no_words": ("Pertanyaannya hanya berisi tanda baca atau simbol. Tulis pertanyaan dengan kata-kata.",
                 "The question has only punctuation or symbols. Please ask with words."),
    "too_long": ("Pertanyaannya terlalu panjang ({n} karakter; batasnya {limit}). Persingkat pertanyaannya.",
                 "The question is too long ({n} characters; the limit is {limit}). Please shorten it."),
    "other": ("Pertanyaan ini tidak dapat diproses.", "This question cannot be processed."),
}
FAILURE = ("Maaf, terjadi kesalahan saat mencari jawaban. Silakan coba lagi.",
           "Sorry, something went wrong while looking for the answer. Please try again.")
ARTICLE_PLACEHOLDER = ("Pilih artikel di atas untuk membacanya, atau ajukan pertanyaan: artikel sumbernya "
                       "akan tampil di sini.",
                       "Choose an article above to read it, or ask a question: its source article "
                       "will show here.")

MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}

PASSAGE_PREVIEW_CHARS = 320
USER_ECHO_CHARS = 500


# ---------------------------------------------------------------------------- basics
def esc(value: object) -> str:
    """HTML-escape anything for text or attribute context (``None`` → "").

    Besides ``& < > " '`` it also encodes ``$ { } ` `` so no template engine on the page can
    read article text as a placeholder.
    """
    if value is None:
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("$", "&#36;").replace("{", "&#123;").replace("}", "&#125;").replace("`", "&#96;")


def esc_lines(value: object) -> str:
    """Like :func:`esc`, with line breaks kept as ``<br>``."""
    return esc(value).replace("\r\n", "\n").replace("\n", "<br>")


def lang_of(language: str | None) -> str:
    return language if language in TEXTS else "en"


def t(language: str | None, key: str, **kwargs: Any) -> str:
    """Interface text ``key`` in ``language`` ("id" or "en"; anything else → English)."""
    text = TEXTS[lang_of(language)][key]
    return text.format(**kwargs) if kwargs else text


def format_int(n: int, language: str | None) -> str:
    """``12345`` → ``12.345`` (Indonesian) / ``12,345`` (English)."""
    text = f"{n:,}"
    return text.replace(",", ".") if language == "id" else text


def bilingual(pair: tuple[str, str], **kwargs: Any) -> str:
    """Escaped ``Indonesian / English`` pair as two short paragraphs (integers formatted per language)."""
    def fill(text: str, language: str) -> str:
        args = {k: format_int(v, language) if isinstance(v, int) else v for k, v in kwargs.items()}
        return text.format(**args) if args else text

    ind, eng = fill(pair[0], "id"), fill(pair[1], "en")
    return (f'<p class="ta-id" lang="id">{esc(ind)}</p>'
            f'<p class="ta-en" lang="en">{esc(eng)}</p>')


def format_date(value: str | None, language: str | None) -> str:
    """``2023-07-30`` → ``30 Juli 2023`` / ``30 July 2023``; anything else unchanged (plain text)."""
    if not value:
        return ""
    try:
        d = _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{d.day} {MONTHS[lang_of(language)][d.month - 1]} {d.year}"


def format_score(score: float | None) -> str:
    if score is None:
        return "–"
    return f"{score:.4g}"


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters (+ "…")."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:-–") + "…"


_DATELINE = re.compile(r"^\s*([^\n]{0,70}?)\s+[-–—]\s+")


def first_line(text: str | None, outlet: str | None = None) -> str:
    """The first non-empty line of an article, without a leading ``PLACE, OUTLET -`` dateline."""
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        m = _DATELINE.match(line)
        if m and outlet and outlet.lower() in m.group(1).lower() and len(line) > m.end() + 10:
            line = line[m.end():]
        return line
    return ""


def document_label(meta: dict, text: str | None = None, limit: int = 90) -> str:
    """Plain-text name of an article: its title, else its first line, else its id."""
    title = (meta.get("title") or "").strip()
    if not title:
        title = first_line(text, meta.get("outlet"))
    return shorten(title or str(meta.get("doc_id", "")), limit)


def document_choice(meta: dict, label: str, language: str | None = "id") -> str:
    """One line for the article list: ``Outlet · date — title``."""
    parts = [meta.get("outlet") or "", format_date(meta.get("date") or meta.get("date_text"), language)]
    head = " · ".join(p for p in parts if p)
    return f"{head} — {label}" if head else label


# ---------------------------------------------------------------------------- highlighting
def _clamp(value: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, value))


def mark_span(text: str, start: int, end: int, cls: str = "ta-ans", tag: str = "mark",
              lines: bool = False) -> str:
    """Escaped ``text`` with ``[start, end)`` wrapped in ``<tag class=cls>``."""
    render = esc_lines if lines else esc
    start, end = _clamp(start, 0, len(text)), _clamp(end, 0, len(text))
    if end <= start:
        return render(text)
    return (f"{render(text[:start])}<{tag} class=\"{cls}\">{render(text[start:end])}</{tag}>"
            f"{render(text[end:])}")


def highlight_document(text: str, sentence_start: int, sentence_end: int, answer_start: int,
                       answer_end: int) -> str:
    """The article with the cited sentence (``span.ta-sent``) and the answer (``mark.ta-ans``).

    Offsets are character offsets into ``text``; the answer is clipped to the sentence. Line
    breaks become ``<br>``.
    """
    n = len(text)
    s0, s1 = _clamp(sentence_start, 0, n), _clamp(sentence_end, 0, n)
    if s1 <= s0:
        return mark_span(text, answer_start, answer_end, lines=True)
    a0, a1 = _clamp(answer_start, s0, s1), _clamp(answer_end, s0, s1)
    inner = mark_span(text[s0:s1], a0 - s0, a1 - s0, lines=True)
    return (f"{esc_lines(text[:s0])}<span class=\"ta-sent\" id=\"ta-cited\">{inner}</span>"
            f"{esc_lines(text[s1:])}")


def highlight_sentence(citation: Any, answer_text: str = "") -> str:
    """The citation's sentence (one line) with the answer span marked.

    Uses the citation's offsets (``answer_start - sentence_start``); if they do not match the
    sentence, falls back to the first occurrence of the answer text.
    """
    sentence = citation.sentence or ""
    a0 = citation.answer_start - citation.sentence_start
    a1 = citation.answer_end - citation.sentence_start
    if not (0 <= a0 < a1 <= len(sentence)) or (answer_text and sentence[a0:a1] != answer_text):
        found = sentence.find(answer_text) if answer_text else -1
        if found >= 0:
            a0, a1 = found, found + len(answer_text)
    return mark_span(sentence.replace("\r", " ").replace("\n", " "), a0, a1)


# ---------------------------------------------------------------------------- chat messages
def user_message_html(question: str) -> str:
    """The user's question echoed into the chat, as text (never markup)."""
    text = str(question)
    if len(text) > USER_ECHO_CHARS:
        text = text[:USER_ECHO_CHARS] + f"… (+{len(question) - USER_ECHO_CHARS:,})"
    return esc_lines(text)


def _meta_line(outlet: str | None, date: str | None, label: str | None, language: str) -> str:
    parts = []
    if outlet:
        parts.append(f'<strong class="ta-outlet">{esc(outlet)}</strong>')
    if date:
        parts.append(f'<span class="ta-date">{esc(format_date(date, language))}</span>')
    if label:
        parts.append(f'<span class="ta-doc">{esc(label)}</span>')
    return " · ".join(parts)


def passages_html(passages: Iterable[Any], language: str, *, opened: bool = False,
                  cited: tuple[str, int] | None = None, labels: dict[str, str] | None = None) -> str:
    """A ``<details>`` list of the retrieved passages with rank and score."""
    passages = list(passages)
    lang = lang_of(language)
    key = "closest" if opened else "passages"
    if not passages:
        return f'<p class="ta-muted">{esc(t(lang, "no_passages"))}</p>'
    items = []
    for p in passages:
        label = (labels or {}).get(p.doc_id) or p.title or p.doc_id
        badge = ""
        if cited and (p.doc_id, p.chunk_id) == cited:
            badge = f' <span class="ta-badge">{esc(t(lang, "cited"))}</span>'
        items.append(
            f'<li class="ta-passage" data-rank="{esc(p.rank)}">'
            f'<div class="ta-pmeta"><span class="ta-score">{esc(t(lang, "score"))} '
            f'{esc(format_score(p.score))}</span> · {_meta_line(p.outlet, p.date, label, lang)}{badge}</div>'
            f'<div class="ta-ptext">{esc(shorten(p.text, PASSAGE_PREVIEW_CHARS))}</div></li>')
    open_attr = " open" if opened else ""
    return (f'<details class="ta-passages"{open_attr}><summary>{esc(t(lang, key, n=len(passages)))}'
            f'</summary><ol>{"".join(items)}</ol></details>')


def answer_html(answer: Any, labels: dict[str, str] | None = None) -> str:
    """The bot's reply for an :class:`qa.answer.Answer`, in the question's language."""
    lang = lang_of(answer.language)
    foot = (f'<div class="ta-foot">{esc(t(lang, "reader"))}: {esc(answer.reader or "?")} · '
            f'{esc(t(lang, "score"))} {esc(format_score(answer.score))}'
            + (f" · {answer.latency_ms:.0f} ms" if getattr(answer, "latency_ms", 0) else "") + "</div>")
    if not answer.found or not answer.citations:
        message = answer.message or t(lang, "not_found")
        return (f'<div class="ta-reply ta-notfound-reply" lang="{lang}">'
                f'<p class="ta-notfound">{esc(message)}</p>'
                f'{passages_html(answer.passages, lang, opened=True, labels=labels)}{foot}</div>')
    c = answer.citations[0]
    parts = [f'<div class="ta-reply" lang="{lang}">',
             f'<p class="ta-answer-line"><strong class="ta-answer">{esc(answer.text)}</strong></p>']
    if lang == "en" and answer.english:
        parts.append(f'<p class="ta-english" lang="en">{esc(t(lang, "english"))}: '
                     f'<strong>{esc(answer.english)}</strong></p>')
    label = (labels or {}).get(c.doc_id) or c.title or c.doc_id
    parts.append(
        f'<div class="ta-source"><div class="ta-source-head"><span class="ta-label">'
        f'{esc(t(lang, "source"))}</span> {_meta_line(c.outlet, c.date, label, lang)}</div>'
        f'<blockquote class="ta-quote">{highlight_sentence(c, answer.text)}</blockquote>'
        f'<div class="ta-hint">{esc(t(lang, "open_hint"))}</div></div>')
    parts.append(passages_html(answer.passages, lang, cited=(c.doc_id, c.chunk_id), labels=labels))
    parts.append(foot)
    parts.append("</div>")
    return "".join(parts)


def question_problem(question: object, max_chars: int) -> tuple[str, dict[str, int]]:
    """Why a question was rejected: ("empty" | "no_words" | "too_long" | "other", format args)."""
    import unicodedata

    if not isinstance(question, str):
        return "other", {}
    text = " ".join("".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in question).split())
    if not text:
        return "empty", {}
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        return "no_words", {}
    if len(text) > max_chars:
        return "too_long", {"n": len(text), "limit": max_chars}
    return "other", {}


def question_error_html(question: object, max_chars: int, detail: str = "") -> str:
    """A friendly, bilingual reply for a rejected question (no traceback)."""
    kind, args = question_problem(question, max_chars)
    body = bilingual(QUESTION_PROBLEMS[kind], **args)
    if kind == "other" and detail:
        body += f'<p class="ta-muted">{esc(detail)}</p>'
    return f'<div class="ta-reply ta-problem">{body}</div>'


def failure_html() -> str:
    """Reply when answering failed unexpectedly (details go to the server log only)."""
    return f'<div class="ta-reply ta-problem">{bilingual(FAILURE)}</div>'


# ---------------------------------------------------------------------------- article viewer
def _safe_url(url: str | None) -> str | None:
    if url and re.match(r"^https?://[^\s\"'<>]+$", url.strip(), re.I):
        return url.strip()
    return None


def article_html(doc: dict | None, language: str | None = None, citation: Any = None,
                 label: str | None = None) -> str:
    """One article for the side panel, the cited sentence highlighted when ``citation`` is given.

    ``doc`` is ``QA.document(doc_id)`` (metadata and cleaned ``text``); ``citation`` anything
    with ``sentence_start/sentence_end/answer_start/answer_end`` (document offsets).
    """
    if doc is None:
        if language:
            return f'<div class="ta-article ta-muted">{esc(t(language, "missing_doc"))}</div>'
        return f'<div class="ta-article ta-muted">{bilingual(ARTICLE_PLACEHOLDER)}</div>'
    lang = lang_of(language or "id")
    text = doc.get("text") or ""
    title = label or document_label(doc, text, limit=200)
    meta = []
    if doc.get("outlet"):
        meta.append(f'<strong class="ta-outlet">{esc(doc["outlet"])}</strong>')
    date = doc.get("date_text") or format_date(doc.get("date"), lang)
    if date:
        meta.append(f'<span class="ta-date">{esc(t(lang, "published"))}: {esc(date)}</span>')
    if doc.get("place"):
        meta.append(f'<span>{esc(t(lang, "place"))}: {esc(doc["place"])}</span>')
    url = _safe_url(doc.get("url"))
    if url:
        meta.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">'
                    f'{esc(t(lang, "link"))}</a>')
    meta.append(f'<span class="ta-docid">{esc(doc.get("doc_id"))}</span>')
    if citation is not None:
        body = highlight_document(text, citation.sentence_start, citation.sentence_end,
                                  citation.answer_start, citation.answer_end)
        hint = f'<p class="ta-hint">{esc(t(lang, "article_hint"))}</p>'
    else:
        body, hint = esc_lines(text), ""
    return (f'<div class="ta-article" lang="id"><h3 class="ta-article-title">{esc(title)}</h3>'
            f'<div class="ta-article-meta">{" · ".join(meta)}</div>{hint}'
            f'<div class="ta-article-body">{body}</div></div>')


# ---------------------------------------------------------------------------- API
def answer_json(answer: Any) -> dict[str, Any]:
    """The structured answer returned by the ``/ask`` API endpoint (JSON-ready)."""
    return {
        "question": answer.question,
        "answer": answer.text,
        "found": bool(answer.found),
        "score": float(answer.score),
        "language": answer.language,
        "english": answer.english,
        "message": answer.message,
        "reader": answer.reader,
        "latency_ms": round(float(getattr(answer, "latency_ms", 0.0)), 1),
        "citations": [dataclasses.asdict(c) for c in answer.citations],
        "passages": [
            {"doc_id": p.doc_id, "chunk_id": p.chunk_id, "rank": p.rank, "score": float(p.score),
             "start": p.start, "end": p.end, "outlet": p.outlet, "date": p.date, "title": p.title,
             "text": p.text}
            for p in answer.passages
        ],
    }
