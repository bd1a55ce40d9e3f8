"""The on-disk index: FAISS vectors, SQLite metadata, BM25, and a manifest.

Layout under ``index_dir``::

    manifest.json          the current build (format version, model, chunking, fingerprint…)
    build-<stamp>/         one complete build: vectors.faiss, store.sqlite, bm25/

A build is written into a fresh ``build-*`` folder and becomes current only when
``manifest.json`` is atomically replaced, so an interrupted build (Ctrl-C, kill -9) leaves
the previous index usable. Re-indexing embeds only new or changed documents: vectors of
unchanged documents are copied from the previous build.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from qa.chunking import Chunk, chunk_document
from qa.config import HNSW_THRESHOLD
from qa.files import atomic_write_text
from qa.ingest import CLEANER_VERSION, Document
from qa.store import Store, write_store

log = logging.getLogger("qa.index")

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class IndexError_(RuntimeError):
    """Base class of index problems; the message always says how to fix it."""


class IndexNotFound(IndexError_):
    """No index has been built at this location yet."""


class IndexCorrupt(IndexError_):
    """Index files are missing or unreadable."""


class IndexWriteError(IndexError_):
    """A new build could not be written (full disk, permissions); the previous index is unchanged."""


def _write_failed(index_dir: Path, exc: BaseException) -> IndexWriteError:
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    try:
        free = f"{shutil.disk_usage(index_dir).free / 2**20:.1f} MB free there"
    except OSError:
        free = "free space unknown"
    return IndexWriteError(f"Writing the new index into '{index_dir}' failed ({first[:160]}; {free}). The previous "
                           "index is unchanged and still used. Free some disk space (or choose another --index "
                           "folder) and run qa index again.")


class IndexMismatch(IndexError_):
    """The index was built with another model or chunking than the one configured."""


def rebuild_hint(index_dir: Path) -> str:
    return f"Rebuild it with: qa index --index {index_dir} --rebuild"


@contextlib.contextmanager
def _part(path: Path, index_dir: Path):
    """Open one file of a build; any failure becomes one line of :class:`IndexCorrupt` naming it."""
    try:
        yield path
    except IndexError_:
        raise
    except Exception as exc:
        first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise IndexCorrupt(f"The index file '{path}' is damaged or missing ({first[:160]}). "
                           f"{rebuild_hint(index_dir)}") from exc


@dataclass
class Manifest:
    """What a build contains and how it was made."""

    format_version: int
    model_id: str
    dimension: int
    chunk_tokens: int
    chunk_overlap_sentences: int
    corpus_fingerprint: str
    built_at: str
    build_dir: str
    n_documents: int
    n_chunks: int
    faiss_kind: str
    lexical_analyzer: str
    build_seconds: float = 0.0
    cleaner_version: int = CLEANER_VERSION
    documents: dict[str, str] = field(default_factory=dict)  # doc_id -> content hash

    @classmethod
    def read(cls, index_dir: Path) -> "Manifest":
        path = index_dir / MANIFEST
        if not path.exists():
            raise IndexNotFound(f"No index found in '{index_dir}'. Build one with: qa index --index {index_dir}")
        try:
            data = json.loads(path.read_text())
            manifest = cls(**data)
        except (ValueError, TypeError) as exc:
            raise IndexCorrupt(f"The index manifest {path} is unreadable ({exc}). {rebuild_hint(index_dir)}") from exc
        if manifest.format_version != FORMAT_VERSION:
            raise IndexMismatch(
                f"The index in '{index_dir}' has format version {manifest.format_version}; this version of "
                f"the program reads version {FORMAT_VERSION}. {rebuild_hint(index_dir)}")
        return manifest

    def write(self, index_dir: Path) -> None:
        atomic_write_text(index_dir / MANIFEST, json.dumps(asdict(self), indent=2, ensure_ascii=False))


def corpus_fingerprint(documents: list[Document]) -> str:
    """A hash of every document id and content hash (order-independent)."""
    h = hashlib.sha256()
    for doc in sorted(documents, key=lambda d: d.doc_id):
        h.update(f"{doc.doc_id}\0{doc.content_hash}\n".encode())
    return h.hexdigest()[:16]


# ----------------------------------------------------------------------------- faiss
# HNSW search breadth. bench/latency.py at 100k chunks (one core): efSearch 128 → recall@10
# against exact 0.934 in 0.49 ms; 256 → 0.979 / 0.98 ms; 512 → 0.991 / 2.0 ms; 1024 → 0.998 / 3.6 ms.
HNSW_EF_SEARCH = 512


def make_faiss_index(vectors: np.ndarray, hnsw_threshold: int):
    """Exact inner-product search for small corpora, HNSW above ``hnsw_threshold`` vectors."""
    import faiss

    dim = vectors.shape[1]
    if len(vectors) > hnsw_threshold:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = HNSW_EF_SEARCH
        kind = "hnsw"
    else:
        index = faiss.IndexFlatIP(dim)
        kind = "flat"
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index, kind


class Index:
    """A loaded, read-only index build. Open with :meth:`Index.open`."""

    def __init__(self, index_dir: Path, manifest: Manifest):
        import faiss

        from qa.lexical import BM25Index

        self.index_dir = Path(index_dir)
        self.manifest = manifest
        build = self.index_dir / manifest.build_dir
        with _part(build / "vectors.faiss", self.index_dir) as path:
            self.faiss = faiss.read_index(str(path))
            if hasattr(self.faiss, "hnsw"):
                self.faiss.hnsw.efSearch = HNSW_EF_SEARCH
        with _part(build / "bm25", self.index_dir) as path:
            self.lexical = BM25Index.load(path)
        with _part(build / "store.sqlite", self.index_dir) as path:
            self.store = Store(path)
            n = self.store.count_chunks()
        if n != self.faiss.ntotal or n != manifest.n_chunks:
            raise IndexCorrupt(f"The index in '{index_dir}' is inconsistent ({n} chunks in the store, "
                               f"{self.faiss.ntotal} vectors). {rebuild_hint(self.index_dir)}")

    @classmethod
    def open(cls, index_dir: Path, model_id: str | None = None) -> "Index":
        """Open the current build; refuses one built with another embedding model."""
        manifest = Manifest.read(Path(index_dir))
        if model_id is not None and manifest.model_id != model_id:
            raise IndexMismatch(
                f"The index in '{index_dir}' was built with the embedding model '{manifest.model_id}', "
                f"but '{model_id}' is configured. Query it with the same model (QA_EMBEDDING_MODEL) or "
                f"{rebuild_hint(Path(index_dir)).lower()}")
        return cls(Path(index_dir), manifest)

    def __len__(self) -> int:
        return self.manifest.n_chunks

    def chunks(self, rows: list[int]) -> list[Chunk]:
        """Chunks by FAISS row id, in the order given."""
        return self.store.chunks(rows)

    def all_chunks(self) -> list[Chunk]:
        """Every chunk, in row order."""
        return self.store.all_chunks()

    def documents(self) -> list[dict]:
        """Metadata of every document (no text), sorted by id."""
        return self.store.documents()

    def document(self, doc_id: str) -> dict | None:
        """Metadata and cleaned text of one document, or None."""
        return self.store.document(doc_id)

    def rows_of_documents(self) -> dict[str, list[int]]:
        """Chunk rows of each document."""
        return self.store.rows_of_documents()

    @functools.cached_property
    def languages(self) -> np.ndarray | None:
        """Language code of each chunk row (its article's), or None for builds made before
        languages were recorded (those still work; ``qa index`` adds them, reusing the vectors)."""
        languages = self.stored_languages()
        if languages is None:
            log.warning("The index in '%s' has no passage languages (built by an older version); English "
                        "questions find Indonesian passages better after `qa index --index %s` (no re-embedding).",
                        self.index_dir, self.index_dir)
        return languages

    def stored_languages(self) -> np.ndarray | None:
        """The chunk languages of the build, or None when it has none."""
        return self.store.languages(self.manifest.n_chunks)

    def vectors(self, rows: list[int]) -> np.ndarray:
        """Stored embeddings of the given rows."""
        if not rows:
            return np.zeros((0, self.manifest.dimension), dtype=np.float32)
        return np.stack([self.faiss.reconstruct(int(r)) for r in rows]).astype(np.float32)

    def search_dense(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Rows and inner-product scores of the ``k`` nearest chunks."""
        if self.faiss.ntotal == 0:
            return []
        scores, rows = self.faiss.search(query_vector.reshape(1, -1).astype(np.float32), min(k, self.faiss.ntotal))
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]


# ----------------------------------------------------------------------------- building
@dataclass
class BuildReport:
    """What a (re)build did."""

    manifest: Manifest
    embedded_documents: int
    reused_documents: int
    removed_documents: int
    seconds: float
    unchanged: bool = False
    warnings: list = field(default_factory=list)


def build_index(index_dir: Path, documents: list[Document], embedder, *, chunk_tokens: int = 200,
                overlap_sentences: int = 1, hnsw_threshold: int = HNSW_THRESHOLD, rebuild: bool = False,
                lexical_analyzer: str | None = None, progress: bool = True,
                keep_previous: bool = False) -> BuildReport:
    """Build or update the index for ``documents``; only new or changed documents are embedded.
    Older builds are deleted once the new one is current, except the one it replaces when
    ``keep_previous`` (a process that still reads it; it goes at the next build)."""
    from qa.lexical import DEFAULT_ANALYZER, BM25Index

    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    analyzer = lexical_analyzer or DEFAULT_ANALYZER
    embedder.warm_up()
    previous = None if rebuild else _open_compatible(index_dir, embedder.model_id, chunk_tokens,
                                                      overlap_sentences, analyzer)
    fingerprint = corpus_fingerprint(documents)
    if (previous is not None and previous.manifest.corpus_fingerprint == fingerprint
            and previous.stored_languages() is not None):  # older builds lack passage languages: write them
        return BuildReport(previous.manifest, 0, len(documents), 0, time.perf_counter() - t0, unchanged=True)

    old_hashes = previous.manifest.documents if previous else {}
    old_rows = previous.rows_of_documents() if previous else {}
    chunks: list[Chunk] = []
    vectors: list[np.ndarray] = []
    to_embed: list[int] = []  # positions in `chunks` that need embedding
    reused = 0
    for doc in _progress(documents, "Chunking", progress):
        if old_hashes.get(doc.doc_id) == doc.content_hash and doc.doc_id in old_rows:
            rows = old_rows[doc.doc_id]
            chunks.extend(previous.chunks(rows))
            vectors.append(previous.vectors(rows))
            reused += 1
            continue
        new = chunk_document(doc.doc_id, doc.text, embedder.count_tokens, max_tokens=chunk_tokens,
                             overlap_sentences=overlap_sentences,
                             count_many=getattr(embedder, "count_tokens_many", None))
        to_embed.extend(range(len(chunks), len(chunks) + len(new)))
        chunks.extend(new)
        vectors.append(np.zeros((len(new), embedder.dimension), dtype=np.float32))
    matrix = np.concatenate(vectors) if vectors else np.zeros((0, embedder.dimension), np.float32)
    titles = {d.doc_id: d.title for d in documents}
    if to_embed:
        texts = [embedding_text(chunks[i], titles.get(chunks[i].doc_id)) for i in to_embed]
        matrix[to_embed] = _embed_in_batches(embedder, texts, progress)

    build_name = f"build-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"  # unique even within a second
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-build-", dir=index_dir))
    try:
        import faiss

        index, kind = make_faiss_index(matrix, hnsw_threshold)
        faiss.write_index(index, str(tmp / "vectors.faiss"))
        write_store(tmp / "store.sqlite", documents, chunks)
        BM25Index.build([c.text for c in chunks], analyzer=analyzer).save(tmp / "bm25")
        os.replace(tmp, index_dir / build_name)
    except Exception as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _write_failed(index_dir, exc) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    manifest = Manifest(
        format_version=FORMAT_VERSION, model_id=embedder.model_id, dimension=int(matrix.shape[1]),
        chunk_tokens=chunk_tokens, chunk_overlap_sentences=overlap_sentences,
        corpus_fingerprint=fingerprint, built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        build_dir=build_name, n_documents=len(documents), n_chunks=len(chunks), faiss_kind=kind,
        lexical_analyzer=analyzer, build_seconds=round(time.perf_counter() - t0, 3),
        documents={d.doc_id: d.content_hash for d in documents},
    )
    previous = _current_build(index_dir) if keep_previous else None
    try:
        manifest.write(index_dir)  # the atomic switch to the new build
    except OSError as exc:
        shutil.rmtree(index_dir / build_name, ignore_errors=True)
        raise _write_failed(index_dir, exc) from exc
    _remove_stale_builds(index_dir, keep={build_name, previous} - {None})
    removed = len(set(old_hashes) - {d.doc_id for d in documents})
    return BuildReport(manifest, len(documents) - reused, reused, removed, time.perf_counter() - t0)


def embedding_text(chunk: Chunk, title: str | None) -> str:
    """The text embedded for a chunk: the article title (when known) gives it context."""
    return f"{title}. {chunk.text}" if title else chunk.text


def _embed_in_batches(embedder, texts: list[str], progress: bool) -> np.ndarray:
    batch = max(1, embedder.batch_size) * (4 if getattr(embedder, "device", "cpu") == "cpu" else 64)  # a GPU wants big calls
    parts = []
    for a in _progress(range(0, len(texts), batch), f"Embedding {len(texts)} chunks", progress,
                       total=(len(texts) + batch - 1) // batch):
        parts.append(embedder.encode_document(texts[a:a + batch]))
    return np.concatenate(parts)


def _open_compatible(index_dir: Path, model_id: str, chunk_tokens: int, overlap: int,
                     analyzer: str) -> Index | None:
    """The previous build if its vectors can be reused; None otherwise."""
    try:
        previous = Index.open(index_dir)
    except IndexNotFound:
        return None
    except IndexError_ as exc:
        log.warning("Ignoring the previous index: %s", exc)
        return None
    m = previous.manifest
    if (m.model_id, m.chunk_tokens, m.chunk_overlap_sentences, m.cleaner_version) != (
            model_id, chunk_tokens, overlap, CLEANER_VERSION):
        log.info("Model, chunking or text cleaning changed: rebuilding every document.")
        return None
    return previous


def _current_build(index_dir: Path) -> str | None:
    try:
        return Manifest.read(index_dir).build_dir
    except IndexError_:
        return None


def _remove_stale_builds(index_dir: Path, keep: set[str]) -> None:
    for path in index_dir.iterdir():
        if path.is_dir() and path.name not in keep and (path.name.startswith("build-") or path.name.startswith(".tmp-build-")):
            shutil.rmtree(path, ignore_errors=True)


def _progress(iterable, desc: str, enabled: bool, total: int | None = None):
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, disable=not enabled, total=total, unit="batch" if total else "doc")
