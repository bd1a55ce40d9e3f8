"""Articles that users add themselves (from the chat or from Python): check, save, remove.

Added articles are files in one folder, ``Settings.added_dir`` (``<index_dir>/added`` unless set),
indexed together with the corpus folder under document ids ``added/<file name>``. A user's file is
never trusted: its name is reduced to a safe base name inside that folder (no path can escape it),
its extension must be one the ingest reads, its size is limited, and it is read by the same ingest
as the corpus (cleaned of boilerplate; odd files give a warning that names them). Nothing is saved
until the user has seen what was read: :func:`check_upload` reads a file without saving it.
"""
from __future__ import annotations

import hashlib
import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from qa.files import atomic_write_bytes
from qa.ingest import SUPPORTED_EXTENSIONS, Document, read_corpus

ADDED_PREFIX = "added/"


class UploadError(ValueError):
    """An added article cannot be taken (the message says what was wrong and what to do)."""


@dataclass
class ArticleCheck:
    """What reading one uploaded file gave: the articles in it and the problems, before saving."""

    name: str
    data: bytes = field(repr=False)
    documents: list[Document] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file holds at least one readable article."""
        return bool(self.documents)


def safe_name(name: str) -> str:
    """A file name that stays inside the added folder: the base name only, letters, digits, ``.-_``."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKC", base).strip().lstrip(".")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^\w-]+", "_", stem, flags=re.UNICODE).strip("_")[:80] or "article"
    ext = re.sub(r"[^A-Za-z0-9]", "", ext).lower()[:8]
    return f"{stem}.{ext}" if ext else stem


def check_upload(name: str, data: bytes, max_mb: float) -> ArticleCheck:
    """Read an uploaded file as the ingest would, without saving it.

    Raises:
        UploadError: the type is not supported or the file is over ``max_mb`` megabytes.
    """
    clean = safe_name(name)
    suffix = Path(clean).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        raise UploadError(f"{name}: files of type '{suffix or 'none'}' cannot be added. "
                          f"Use one of: {', '.join(SUPPORTED_EXTENSIONS)}.")
    if len(data) > max_mb * 1024 * 1024:
        raise UploadError(f"{name}: {len(data) / 2**20:.1f} MB is over the limit of {max_mb:g} MB per file.")
    with tempfile.TemporaryDirectory(prefix="qa-upload-") as tmp:
        path = Path(tmp) / clean
        path.write_bytes(data)
        documents, warnings = read_corpus(tmp, max_file_mb=max_mb)
    problems = [w.message for w in warnings]
    if not documents and not problems:
        problems = ["no article text found"]
    return ArticleCheck(name=clean, data=data, documents=documents, problems=problems)


def pasted_article(title: str, text: str) -> tuple[str, bytes]:
    """A pasted article as a file to add: ``(<title>.json, {"title", "text"})``.

    Raises:
        UploadError: the title or the text is empty.
    """
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise UploadError("A pasted article needs a title.")
    if not text:
        raise UploadError("The pasted article has no text.")
    return safe_name(title) + ".json", json.dumps({"title": title, "text": text}, ensure_ascii=False).encode()


def save_checked(folder: Path, checks: list[ArticleCheck]) -> list[str]:
    """Save the readable files of ``checks`` into ``folder`` (atomically, never over another file)
    and return the document ids they will have; a file whose bytes are already there is not saved
    twice."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    present = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in folder.iterdir() if p.is_file()}
    saved = []
    for check in checks:
        if not check.ok:
            continue
        digest = hashlib.sha256(check.data).hexdigest()
        name = present.get(digest) or _free_name(folder, check.name)
        if digest not in present:
            atomic_write_bytes(folder / name, check.data)
            present[digest] = name
        saved.extend(ADDED_PREFIX + d.doc_id.replace(check.name, name, 1) for d in check.documents)
    return saved


def added_path(folder: Path, doc_id: str) -> Path:
    """The file in ``folder`` that an ``added/…`` document id comes from.

    Raises:
        UploadError: the id is not an added article's, or names a path outside ``folder``.
    """
    if not str(doc_id).startswith(ADDED_PREFIX):
        raise UploadError(f"'{doc_id}' is not an article added from the chat; only those can be removed here "
                          "(remove corpus files from the corpus folder and run `qa index`).")
    rel = str(doc_id)[len(ADDED_PREFIX):].split("#", 1)[0]
    root = Path(folder).resolve()
    path = (root / rel).resolve()
    if path.parent != root or not rel:
        raise UploadError(f"'{doc_id}' does not name a file of the added articles.")
    return path


def remove_added(folder: Path, doc_id: str) -> Path:
    """Delete the file of an added article (every article of that file goes with it)."""
    path = added_path(folder, doc_id)
    if not path.is_file():
        raise UploadError(f"The added article '{doc_id}' is not there any more.")
    path.unlink()
    return path


def _free_name(folder: Path, name: str) -> str:
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, n = name, 2
    while (folder / candidate).exists():
        candidate, n = f"{stem}-{n}{suffix}", n + 1
    return candidate
