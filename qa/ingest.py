"""Read a corpus folder into cleaned :class:`Document` objects.

Supported files: ``.txt``, ``.md``, ``.html``/``.htm``, ``.json`` (one object or a
list of objects) and ``.jsonl`` (one object per line). Anything odd (empty,
binary, undecodable, oversized, vanished or unreadable files, bad JSON lines)
becomes an :class:`IngestWarning` naming the file; reading never stops early.

Oversized files: the first ``max_file_mb`` megabytes are read and a warning says
the file was truncated (a truncated ``.json`` file then usually fails to parse
and is reported as such; raise ``max_file_mb`` / ``QA_MAX_FILE_MB`` for it).
``content_hash`` is the sha256 of the raw bytes that were read (shared by every
record of a ``.json``/``.jsonl`` file).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from qa.cleaning import (  # cleaning used to live here; these names stay importable from qa.ingest
    CLEANER_VERSION,
    canonical_outlet,
    clean_text,
    find_date,
    normalize_whitespace,
    parse_date,
)
from qa.language import detect_language

__all__ = [
    "Document", "IngestWarning", "read_corpus", "clean_text", "normalize_whitespace", "SUPPORTED_EXTENSIONS",
    # re-exported from qa.cleaning
    "CLEANER_VERSION", "canonical_outlet", "find_date", "parse_date",
]

logger = logging.getLogger("qa.ingest")

SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
_TEXT_FIELDS = ("text", "content", "body", "article")
_URL_FIELDS = ("url", "link", "source_url")
_DATE_FIELDS = ("date", "published", "published_at", "publish_date", "datetime", "pubDate")
_OUTLET_FIELDS = ("source", "outlet", "publisher", "site", "site_name")
_READ_ERRORS = (
    (FileNotFoundError, "file disappeared before it could be read; skipped (re-run ingest if it comes back)"),
    (PermissionError, "permission denied; skipped (check the file's permissions)"),
    (IsADirectoryError, "is a directory, not a file; skipped"),
)


@dataclass
class Document:
    """One cleaned article. ``text`` is the body that chunks and citations point into."""

    doc_id: str
    text: str
    title: str | None
    outlet: str | None
    date: str | None
    date_text: str | None
    place: str | None
    url: str | None
    path: str
    content_hash: str
    language: str = "id"  # "id" or "en", detected from the opening of the text


# Characters of an article's opening that decide its language: enough words for the
# function-word evidence of qa.language to be decisive, cheap at a million chunks.
LANGUAGE_SAMPLE_CHARS = 1500


@dataclass
class IngestWarning:
    """A problem with one input file; the rest of the corpus is still read."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class _Reader:
    """Collects documents and warnings while reading one corpus."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.docs: list[Document] = []
        self.warnings: list[IngestWarning] = []

    def warn(self, path: Path | str, message: str) -> None:
        """Record a warning for ``path`` and log it."""
        warning = IngestWarning(path=str(path), message=message)
        self.warnings.append(warning)
        logger.warning("%s", warning)

    def read_file(self, path: Path) -> None:
        """Read one file, turning every expected failure into a warning."""
        try:
            with open(path, "rb") as fh:
                data = fh.read(self.max_bytes + 1)
        except OSError as exc:
            reason = next((msg for kind, msg in _READ_ERRORS if isinstance(exc, kind)), None)
            self.warn(path, reason or f"could not be read ({exc.strerror or exc}); skipped")
            return
        truncated = len(data) > self.max_bytes
        if truncated:
            data = data[: self.max_bytes]
            mb = self.max_bytes / (1024 * 1024)
            self.warn(path, f"larger than max_file_mb ({mb:g} MB); only the first {mb:g} MB were read "
                      "(raise --max-file-mb / QA_MAX_FILE_MB to read all of it)")
        if not data.strip():
            self.warn(path, "empty file; skipped")
            return
        text = self._decode(path, data, truncated)
        if text is None:
            return
        digest = hashlib.sha256(data).hexdigest()
        ext = path.suffix.lower()
        if ext == ".jsonl":
            self._read_jsonl(path, text, digest)
        elif ext == ".json":
            self._read_json(path, text, digest)
        elif ext in (".html", ".htm"):
            html = _html_to_text(text)
            self._add(path, self._doc_id(path), html.pop("text"), digest, html)
        else:
            self._add(path, self._doc_id(path), _strip_markdown(text) if ext == ".md" else text, digest, {})

    def _decode(self, path: Path, data: bytes, truncated: bool) -> str | None:
        """Decode bytes (utf-8-sig, then cp1252, then latin-1); None for binary files."""
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
        elif b"\x00" in data[:8192]:
            self.warn(path, "looks like a binary file (contains NUL bytes); skipped")
            return None
        else:
            text, encoding = None, "utf-8"
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                if truncated and exc.start >= len(data) - 3:  # the cut fell inside a character
                    text = data[: exc.start].decode("utf-8-sig", errors="replace")
            if text is None:
                try:
                    text, encoding = data.decode("cp1252"), "cp1252"
                except UnicodeDecodeError:
                    text, encoding = data.decode("latin-1"), "latin-1"
        sample = text[:4096]
        controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
        if sample and controls / len(sample) > 0.15:
            self.warn(path, "looks like a binary file (mostly non-text bytes); skipped")
            return None
        if encoding in ("cp1252", "latin-1"):
            self.warn(path, f"not valid UTF-8; decoded as {encoding} (check accented characters, "
                      "or re-save the file as UTF-8)")
        return text

    def _doc_id(self, path: Path, record: int | None = None) -> str:
        rel = path.relative_to(self.root).as_posix()
        return rel if record is None else f"{rel}#{record}"

    def _read_jsonl(self, path: Path, text: str, digest: str) -> None:
        lines = text.splitlines()
        several = sum(1 for line in lines if line.strip()) > 1
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                self.warn(path, f"line {number}: not valid JSON ({exc.msg}); line skipped, other lines kept")
                continue
            self._add_record(path, record, number if several else None, digest, f"line {number}")

    def _read_json(self, path: Path, text: str, digest: str) -> None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self.warn(path, f"not valid JSON (line {exc.lineno}: {exc.msg}); skipped")
            return
        records = data if isinstance(data, list) else [data]
        if not records:
            self.warn(path, "JSON list is empty; nothing to read")
        for number, record in enumerate(records, start=1):
            self._add_record(path, record, number if len(records) > 1 else None, digest, f"record {number}")

    def _add_record(self, path: Path, record: object, number: int | None, digest: str, where: str) -> None:
        if not isinstance(record, dict):
            self.warn(path, f"{where}: expected a JSON object, got {type(record).__name__}; skipped")
            return
        body = next((record[k] for k in _TEXT_FIELDS if isinstance(record.get(k), str)), None)
        if body is None:
            self.warn(path, f"{where}: no 'text' (or 'content'/'body') field; skipped")
            return
        fields = {
            "title": _first_str(record, ("title", "headline")),
            "url": _first_str(record, _URL_FIELDS),
            "date_text": _first_str(record, _DATE_FIELDS),
            "outlet": _first_str(record, _OUTLET_FIELDS),
        }
        self._add(path, self._doc_id(path, number), body, digest, fields, where)

    def _add(self, path: Path, doc_id: str, raw: str, digest: str, given: dict, where: str = "") -> None:
        """Clean ``raw`` and append a Document; metadata in ``given`` wins over extracted metadata."""
        body, meta = clean_text(raw)
        if not body:
            prefix = f"{where}: " if where else ""
            self.warn(path, f"{prefix}no article text left after removing boilerplate; skipped")
            return
        for key, value in given.items():
            if key == "fallback_title":
                meta["title"] = meta.get("title") or (normalize_whitespace(value) if value else None)
            elif value:
                meta[key] = normalize_whitespace(value) if key != "url" else value.strip()
        if given.get("date_text"):
            meta["date"] = parse_date(given["date_text"]) or meta.get("date")
        self.docs.append(Document(
            doc_id=doc_id, text=body, title=meta.get("title"), outlet=meta.get("outlet"),
            date=meta.get("date"), date_text=meta.get("date_text"), place=meta.get("place"),
            url=meta.get("url"), path=str(path), content_hash=digest,
            language=detect_language(body[:LANGUAGE_SAMPLE_CHARS]),
        ))


def _first_str(record: dict, keys: tuple[str, ...]) -> str | None:
    return next((record[k].strip() for k in keys if isinstance(record.get(k), str) and record[k].strip()), None)


def _list_files(root: Path, on_error, warn=None) -> list[Path]:
    """Return supported files under ``root``, sorted, skipping hidden files and folders, and symbolic
    links that lead out of ``root`` (``warn(path, message)`` is told of those)."""
    found: list[Path] = []
    inside = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or path.suffix.lower() not in SUPPORTED_EXTENSIONS:
                logger.debug("skipping %s (hidden or unsupported extension)", path)
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                if warn is not None:
                    warn(path, "symbolic link to a file outside the corpus folder; skipped")
                continue
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def read_corpus(
    corpus_dir: str | os.PathLike, max_file_mb: float = 50.0, progress: bool = False
) -> tuple[list[Document], list[IngestWarning]]:
    """Read every supported file under ``corpus_dir`` (recursively, sorted).

    Args:
        corpus_dir: Folder of articles.
        max_file_mb: Files larger than this are truncated to their first ``max_file_mb`` MB.
        progress: Show a tqdm progress bar.

    Returns:
        ``(documents, warnings)``; documents are in path order.

    Raises:
        FileNotFoundError: ``corpus_dir`` does not exist.
        NotADirectoryError: ``corpus_dir`` is a file.
    """
    root = Path(corpus_dir)
    if not root.exists():
        raise FileNotFoundError(
            f"Corpus folder not found: {root}. Create it, or point --corpus DIR "
            "(or the QA_CORPUS_DIR environment variable) at a folder of .txt/.md/.html/.json/.jsonl articles."
        )
    if not root.is_dir():
        raise NotADirectoryError(
            f"Corpus path is a file, not a folder: {root}. Pass its folder with --corpus DIR or QA_CORPUS_DIR."
        )
    reader = _Reader(root, max(1, int(max_file_mb * 1024 * 1024)))
    files = _list_files(root, lambda exc: reader.warn(exc.filename or root, f"cannot list folder ({exc.strerror})"),
                        reader.warn)
    iterator = files
    if progress:
        from tqdm import tqdm

        iterator = tqdm(files, desc="Reading articles", unit="file")
    for path in iterator:
        reader.read_file(path)
    return reader.docs, reader.warnings


# --------------------------------------------------------------------------- HTML / Markdown

_DROP_TAGS = {"script", "style", "nav", "footer", "aside", "noscript", "template", "svg", "iframe", "form", "button"}
_BLOCK_TAGS = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table", "section",
    "article", "header", "main", "blockquote", "pre", "figure", "figcaption", "hr", "dd", "dt", "dl", "address",
}


class _HTMLText(HTMLParser):
    """Extract visible text; block elements become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self._drop = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in _DROP_TAGS:
            self._drop += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and a.get("content"):
            self.meta[(a.get("property") or a.get("name") or "").lower()] = a["content"]
        elif tag == "link" and a.get("rel") == "canonical" and a.get("href"):
            self.meta.setdefault("og:url", a["href"])
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_TAGS and self._drop:
            self._drop -= 1
        elif tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._drop:
            return
        text = re.sub(r"\s+", " ", data)
        (self.title_parts if self._in_title else self.parts).append(text)


def _html_to_text(html: str) -> dict:
    """Return ``{"text": ..., "title": ..., "outlet": ..., "date_text": ..., "url": ...}`` for an HTML page."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    m = parser.meta
    text = "".join(parser.parts)
    title = m.get("og:title") or "".join(parser.title_parts).strip() or None
    return {
        "text": text,
        "fallback_title": title,
        "outlet": m.get("og:site_name"),
        "date_text": m.get("article:published_time") or m.get("date") or m.get("pubdate"),
        "url": m.get("og:url"),
    }


_MD_RULES = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> their text
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.M), ""),  # heading markers
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
]


def _strip_markdown(text: str) -> str:
    """Remove the Markdown syntax that would otherwise leak into sentences."""
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text
