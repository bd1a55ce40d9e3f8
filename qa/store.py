"""The SQLite metadata of an index build: documents (with their cleaned text), chunks, chunk languages.

One file per build (``store.sqlite``), written once by :func:`write_store` and then only read.
Row ``i`` of the ``chunks`` table is vector ``i`` of the FAISS index and row ``i`` of BM25.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np

from qa.chunking import Chunk
from qa.ingest import Document

_SCHEMA = """
CREATE TABLE documents (doc_id TEXT PRIMARY KEY, path TEXT, title TEXT, outlet TEXT, date TEXT,
    date_text TEXT, place TEXT, url TEXT, content_hash TEXT, text TEXT NOT NULL);
CREATE TABLE chunks (row INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, chunk_id INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, sentences TEXT NOT NULL);
CREATE INDEX chunks_doc ON chunks(doc_id, chunk_id);
CREATE TABLE chunk_languages (row INTEGER PRIMARY KEY, language TEXT NOT NULL);
"""

DOC_FIELDS = ("doc_id", "path", "title", "outlet", "date", "date_text", "place", "url", "content_hash", "text")


def write_store(path: Path, documents: list[Document], chunks: list[Chunk]) -> None:
    """Write documents and chunks into a new SQLite file (row = FAISS id)."""
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        con.executemany(f"INSERT INTO documents VALUES ({','.join('?' * len(DOC_FIELDS))})",
                        [tuple(getattr(d, f) for f in DOC_FIELDS) for d in documents])
        con.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?,?)",
                        [(i, c.doc_id, c.chunk_id, c.start, c.end, c.text, json.dumps(c.sentences))
                         for i, c in enumerate(chunks)])
        language = {d.doc_id: d.language for d in documents}
        con.executemany("INSERT INTO chunk_languages VALUES (?,?)",
                        [(i, language.get(c.doc_id, "id")) for i, c in enumerate(chunks)])
        con.commit()
    finally:
        con.close()


def _row_to_chunk(row) -> Chunk:
    _, doc_id, chunk_id, start, end, text, sentences = row
    return Chunk(doc_id=doc_id, chunk_id=chunk_id, text=text, start=start, end=end,
                 sentences=[tuple(s) for s in json.loads(sentences)])


class Store:
    """Read access to one build's ``store.sqlite`` (a connection per call: safe across threads).

    Raises:
        FileNotFoundError: the file does not exist.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(self.path)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)

    def _query(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        con = self._connect()
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def count_chunks(self) -> int:
        """Number of chunk rows."""
        return int(self._query("SELECT COUNT(*) FROM chunks")[0][0])

    def chunks(self, rows: list[int]) -> list[Chunk]:
        """Chunks by row, in the order given."""
        if not rows:
            return []
        found = {r[0]: _row_to_chunk(r) for r in self._query(
            f"SELECT * FROM chunks WHERE row IN ({','.join('?' * len(rows))})", rows)}
        return [found[r] for r in rows]

    def all_chunks(self) -> list[Chunk]:
        """Every chunk, in row order."""
        return [_row_to_chunk(r) for r in self._query("SELECT * FROM chunks ORDER BY row")]

    def documents(self) -> list[dict]:
        """Metadata of every document (no text), sorted by id."""
        cols = [f for f in DOC_FIELDS if f != "text"]
        return [dict(zip(cols, r)) for r in self._query(f"SELECT {','.join(cols)} FROM documents ORDER BY doc_id")]

    def document(self, doc_id: str) -> dict | None:
        """Metadata and cleaned text of one document, or None."""
        rows = self._query(f"SELECT {','.join(DOC_FIELDS)} FROM documents WHERE doc_id = ?", (doc_id,))
        return dict(zip(DOC_FIELDS, rows[0])) if rows else None

    def rows_of_documents(self) -> dict[str, list[int]]:
        """Chunk rows of each document, in row order."""
        out: dict[str, list[int]] = {}
        for row, doc_id in self._query("SELECT row, doc_id FROM chunks ORDER BY row"):
            out.setdefault(doc_id, []).append(row)
        return out

    def languages(self, n_chunks: int) -> np.ndarray | None:
        """The ``chunk_languages`` table as an array, or None when the build has none (older
        builds) or it does not cover ``n_chunks`` rows."""
        try:
            rows = self._query("SELECT language FROM chunk_languages ORDER BY row")
        except sqlite3.OperationalError:
            return None
        return np.array([r[0] for r in rows]) if len(rows) == n_chunks else None
