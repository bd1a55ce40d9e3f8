"""The ``QA`` facade: the one entry point the faces (CLI, chat, eval) use.

    from qa import QA
    qa = QA.load(corpus="seeds", index_dir="index")   # builds the index if missing
    qa.retrieve("Siapa walikota Shenzhen?", k=5)
    qa.ask("Who is the mayor of Shenzhen?")
"""
from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from pathlib import Path

from qa.answer import Answer, Citation
from qa.config import Settings
from qa.embedding import Embedder
from qa.index import Index, IndexNotFound, BuildReport, build_index
from qa.language import detect_language
from qa.reader import Reader, ReaderResult, reader_for
from qa.retrieval import Passage, Retriever
from qa.uploads import ADDED_PREFIX, ArticleCheck, UploadError, check_upload, remove_added, save_checked

log = logging.getLogger("qa")

NOT_FOUND = {
    "id": "Maaf, jawabannya tidak ditemukan di artikel.",
    "en": "Sorry, the articles don't answer that.",
}


class QuestionError(ValueError):
    """The question cannot be asked as given (the message says why and what to do)."""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_question(question: object, max_chars: int) -> str:
    """Validate and normalise a question; raises :class:`QuestionError` with a clear message."""
    if not isinstance(question, str):
        raise QuestionError(f"The question must be text, not {type(question).__name__}.")
    text = _CONTROL.sub(" ", question)
    text = " ".join(text.split())
    if not text:
        raise QuestionError("The question is empty. Type a question, e.g. 'Siapa Gubernur Astana?'.")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise QuestionError("The question has no words (only punctuation or symbols). Type a question.")
    if len(text) > max_chars:
        raise QuestionError(f"The question is too long ({len(text):,} characters; the limit is "
                            f"{max_chars:,}). Ask a shorter question.")
    return text


class QA:
    """Question answering over an indexed article collection.

    Use :meth:`QA.load`. Models load lazily; one instance can serve several threads.
    """

    def __init__(self, settings: Settings, index: Index, embedder: Embedder, reader: Reader):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.reader = reader
        self.retriever = self._retriever(index)
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ construction
    @classmethod
    def load(cls, corpus: str | Path | None = None, index_dir: str | Path | None = None,
             settings: Settings | None = None, build_if_missing: bool = True,
             progress: bool = True, reader: str | None = None) -> "QA":
        """Open the index (building it from ``corpus`` first if it is missing)."""
        settings = settings or Settings()
        updates = {}
        if corpus is not None:
            updates["corpus_dir"] = Path(corpus)
        if index_dir is not None:
            updates["index_dir"] = Path(index_dir)
        if reader is not None:
            updates["reader"] = reader
        settings = settings.model_copy(update=updates)
        embedder = Embedder.from_settings(settings, progress=progress)
        try:
            embedder.warm_up()
            embedder.warm_up_questions()  # the fast question encoders are exported once, here, not at the first question
            index = Index.open(settings.index_dir, model_id=embedder.model_id)
        except IndexNotFound:
            if not build_if_missing:
                raise
            build_corpus_index(settings, embedder, progress=progress)
            index = Index.open(settings.index_dir, model_id=embedder.model_id)
        return cls(settings, index, embedder, reader_for(settings))

    # ------------------------------------------------------------------ questions
    def _retriever(self, index: Index) -> Retriever:
        s = self.settings
        return Retriever(index, self.embedder, s.retrieval_mode, s.translated_dense, s.translated_bm25,
                         s.sentence_weight, s.sentence_depth)

    def retrieve(self, question: str, k: int | None = None, mode: str | None = None) -> list[Passage]:
        """The best passages for ``question`` (document id, chunk id, text, offsets, score, rank)."""
        text = clean_question(question, self.settings.max_question_chars)
        return self.retriever.retrieve(text, k or self.settings.top_k, mode)

    def ask(self, question: str, k: int | None = None, mode: str | None = None) -> Answer:
        """Answer ``question`` from the articles, with citations; ``found`` False = not in the articles."""
        t0 = time.perf_counter()
        text = clean_question(question, self.settings.max_question_chars)
        language = detect_language(text)
        retriever = self.retriever  # one index for the whole question, even while articles are added
        passages = retriever.retrieve(text, k or self.settings.top_k, mode, language=language)
        result = self.reader.read(text, passages, language, index_chunks=len(retriever.index))
        answer = compose_answer(self.reader, question, language, passages, result)
        answer.latency_ms = (time.perf_counter() - t0) * 1000
        return answer

    def read(self, question: str, context: str, language: str | None = None) -> Answer:
        """Answer from a given context instead of the index (reading-comprehension mode)."""
        answer, _ = read_context(self.reader, question, context, language, self.settings.max_question_chars)
        return answer

    # ------------------------------------------------------------------ corpus
    def documents(self) -> list[dict]:
        """Metadata of every indexed article (doc_id, title, outlet, date, …)."""
        return self.index.documents()

    def document(self, doc_id: str) -> dict | None:
        """One article's metadata and cleaned text (offsets of citations refer to this text)."""
        return self.index.document(doc_id)

    def reindex(self, rebuild: bool = False, progress: bool = True) -> BuildReport:
        """Re-read the corpus (and the added articles) and update the index; only changed files are
        embedded. One writer at a time; questions see the old index until the new one is swapped in."""
        with self._lock:
            report = build_corpus_index(self.settings, self.embedder, rebuild=rebuild, progress=progress,
                                        keep_previous=True)
            index = Index.open(self.settings.index_dir, model_id=self.embedder.model_id)
            self.retriever = self._retriever(index)
            self.index = index
            return report

    # ------------------------------------------------------------------ added articles
    def check_articles(self, files: list[tuple[str, bytes]]) -> list[ArticleCheck]:
        """Read uploaded files (name, bytes) as the index would, without saving anything: the
        articles found (title, outlet, date) and the problems, for the user to confirm."""
        return [check_upload(name, data, self.settings.max_upload_mb) for name, data in files]

    def add_articles(self, checks: list[ArticleCheck], progress: bool = False) -> tuple[list[str], BuildReport]:
        """Save the readable files of ``checks`` among the added articles and index them; returns the
        new document ids and the build report. Raises :class:`UploadError` when none is readable."""
        if not any(c.ok for c in checks):
            raise UploadError("None of the files holds an article that can be read; nothing was added.")
        with self._lock:
            ids = save_checked(self.settings.added_folder, checks)
        return ids, self.reindex(progress=progress)

    def remove_article(self, doc_id: str, progress: bool = False) -> BuildReport:
        """Remove an article added with :meth:`add_articles` (its whole file) and update the index."""
        with self._lock:
            remove_added(self.settings.added_folder, doc_id)
        return self.reindex(progress=progress)

    def added_documents(self) -> list[dict]:
        """Metadata of the indexed articles that users added."""
        return [d for d in self.documents() if d["doc_id"].startswith(ADDED_PREFIX)]


def read_context(reader: Reader, question: str, context: str, language: str | None = None,
                 max_question_chars: int = 2000) -> tuple[Answer, ReaderResult]:
    """Answer ``question`` from ``context`` with ``reader`` alone (no index).

    Returns the :class:`Answer` (offsets relative to ``context``) and the raw
    :class:`ReaderResult` with every candidate span.
    """
    from qa.sentences import split_sentences

    t0 = time.perf_counter()
    text = clean_question(question, max_question_chars)
    language = language or detect_language(text)
    passage = Passage(doc_id="<context>", chunk_id=0, text=context, start=0, end=len(context),
                      score=1.0, rank=1, sentences=split_sentences(context))
    result = reader.read(text, [passage], language)
    answer = compose_answer(reader, question, language, [passage], result)
    answer.latency_ms = (time.perf_counter() - t0) * 1000
    return answer, result


def compose_answer(reader: Reader, question: str, language: str, passages: list[Passage],
                   result: ReaderResult) -> Answer:
    """Turn a reader's result into an :class:`Answer` with a citation (or a "not found")."""
    name = getattr(reader, "name", type(reader).__name__)
    if not result.found or not result.spans:
        return Answer(question=question, text="", score=result.score, language=language, found=False,
                      passages=passages, reader=name, message=NOT_FOUND.get(language, NOT_FOUND["en"]))
    best = result.spans[0]
    english = None
    if language == "en":
        from qa.render import english_rendering

        english = english_rendering(best.text)
    return Answer(question=question, text=best.text, score=result.score, language=language, found=True,
                  citations=[citation_of(best)], passages=passages, english=english, reader=name)


def citation_of(span) -> Citation:
    """The citation of a reader span (document offsets of the sentence and the answer)."""
    p = span.passage
    sentence = p.text[span.sentence_start - p.start:span.sentence_end - p.start]
    return Citation(doc_id=p.doc_id, chunk_id=p.chunk_id, outlet=p.outlet, date=p.date, title=p.title,
                    sentence=sentence, sentence_start=span.sentence_start, sentence_end=span.sentence_end,
                    answer_start=span.start, answer_end=span.end)


def build_corpus_index(settings: Settings, embedder: Embedder, rebuild: bool = False,
                       progress: bool = True, keep_previous: bool = False) -> BuildReport:
    """Read ``settings.corpus_dir`` and the added articles (``settings.added_folder``, as ``added/…``)
    and build or update the index in ``settings.index_dir``. ``keep_previous`` keeps the build it
    replaces, for questions still reading it in this process."""
    from dataclasses import replace

    from qa.ingest import read_corpus

    documents, warnings = read_corpus(settings.corpus_dir, max_file_mb=settings.max_file_mb, progress=progress)
    if settings.added_folder.is_dir():
        added, more = read_corpus(settings.added_folder, max_file_mb=settings.max_upload_mb)
        documents += [replace(d, doc_id=ADDED_PREFIX + d.doc_id) for d in added]
        warnings += more
    for w in warnings:
        log.warning("%s: %s", w.path, w.message)
    if not documents:
        raise FileNotFoundError(
            f"No readable articles in '{settings.corpus_dir}' (.txt, .md, .html, .json, .jsonl). "
            "Point --corpus / QA_CORPUS_DIR at a folder of articles.")
    report = build_index(settings.index_dir, documents, embedder, chunk_tokens=settings.chunk_tokens,
                         overlap_sentences=settings.chunk_overlap_sentences,
                         hnsw_threshold=settings.hnsw_threshold, rebuild=rebuild, progress=progress,
                         keep_previous=keep_previous)
    report.warnings = warnings
    return report
