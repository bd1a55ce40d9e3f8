"""Lexical retrieval: a BM25 index (bm25s, Lucene variant) over analyzed chunk texts.

Text analysis lives in :mod:`qa.analysis`. The engine was chosen by measurement; see
``bench/BM25.md`` (``python bench/bm25_analyzers.py``).

Incremental updates: there are none. BM25 statistics (IDF, average length) are global,
so when chunks are added or removed the caller rebuilds the whole index with
``BM25Index.build``. That is cheap at our chunk counts: about 5 s CPU for 10k chunks and
22 s for 100k in a fresh process (see ``bench/BM25.md``).
"""
from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from qa.analysis import (  # noqa: F401  (re-exported: lexical is the public entry point)
    ANALYZER_NAMES, DEFAULT_ANALYZER, ENGLISH_STOPWORDS, INDONESIAN_STOPWORDS, STOPWORDS,
    Analyzer, make_analyzer, tokenize,
)

__all__ = ["ANALYZER_NAMES", "DEFAULT_ANALYZER", "ENGLISH_STOPWORDS", "INDONESIAN_STOPWORDS",
           "STOPWORDS", "Analyzer", "BM25Index", "make_analyzer", "tokenize"]

REBUILD_HINT = "Rebuild the index with `qa index --rebuild`."

# --------------------------------------------------------------------------- BM25 index

FORMAT_NAME = "tanya-artikel-bm25"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BM25_METHOD = "lucene"
"""bm25s scoring variant: idf = ln(1 + (N - df + 0.5) / (df + 0.5)) (never negative, which
matters for small corpora where a term can occur in most chunks) and
tf part = tf / (tf + k1 * (1 - b + b * len / avglen))."""


class BM25Index:
    """BM25 over a list of texts (chunks); results are row indices into that list.

    Build with ``BM25Index.build`` or ``BM25Index.load``; the engine is ``bm25s``
    (scores precomputed into a sparse term x document matrix, Lucene variant).
    To add or remove texts, rebuild: there is no incremental update.
    """

    def __init__(self, model, analyzer: Analyzer, n_docs: int, k1: float, b: float) -> None:
        """Wrap a fitted ``bm25s.BM25`` (or ``None`` when no text has any term)."""
        self._model = model
        self.analyzer = analyzer
        self.n_docs = n_docs
        self.k1 = k1
        self.b = b
        self._vocab: dict[str, int] = model.vocab_dict if model is not None else {}

    def __len__(self) -> int:
        return self.n_docs

    def __repr__(self) -> str:
        return (
            f"BM25Index(n_docs={self.n_docs}, analyzer={self.analyzer.name!r}, "
            f"k1={self.k1}, b={self.b})"
        )

    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        analyzer: str = DEFAULT_ANALYZER,
        k1: float = 1.5,
        b: float = 0.75,
        show_progress: bool = False,
    ) -> BM25Index:
        """Index ``texts`` (row ``i`` of the results is ``texts[i]``).

        Args:
            texts: The chunks to index; may be empty.
            analyzer: Analyzer name, see ``ANALYZER_NAMES``.
            k1: BM25 term-frequency saturation (> 0).
            b: BM25 length normalization (0..1).
            show_progress: Show progress bars.

        Raises:
            ValueError: Unknown analyzer or out-of-range parameters.
        """
        if isinstance(texts, str):
            raise TypeError("texts must be a list of strings, not one string; wrap it in a list.")
        if not k1 > 0 or not 0 <= b <= 1:
            raise ValueError(
                f"Invalid BM25 parameters k1={k1}, b={b}: need k1 > 0 and 0 <= b <= 1."
            )
        an = make_analyzer(analyzer)
        corpus_tokens = an.analyze_many(texts, show_progress=show_progress)
        model = None
        if any(corpus_tokens):
            bm25s = _bm25s()
            model = bm25s.BM25(k1=k1, b=b, method=BM25_METHOD)
            model.index(corpus_tokens, create_empty_token=False, show_progress=show_progress)
        return cls(model, an, len(corpus_tokens), float(k1), float(b))

    def _term_ids(self, query: str) -> list[int]:
        vocab = self._vocab
        return [vocab[t] for t in self.analyzer(query) if t in vocab]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for ``query`` (float32 array of length ``len(self)``)."""
        ids = self._term_ids(query) if self._model is not None else []
        if not ids:
            return np.zeros(self.n_docs, dtype=np.float32)
        return self._model.get_scores_from_ids(ids)

    def search(self, query: str, k: int = 10) -> list[tuple[int, float]]:
        """Top ``k`` rows for ``query`` as ``(row, score)``, best first, scores > 0 only.

        ``k`` may exceed the corpus size; a query with no indexable term gives ``[]``.
        Ties are broken by row order.
        """
        if k <= 0:
            return []
        scores = self.scores(query)
        hits = np.flatnonzero(scores > 0)
        if hits.size > k:
            part = np.argpartition(-scores[hits], k - 1)[:k]
            kth = scores[hits[part]].min()
            hits = hits[scores[hits] >= kth]  # keep every tie with the k-th score
        order = np.lexsort((hits, -scores[hits]))[:k]
        return [(int(hits[i]), float(scores[hits[i]])) for i in order]

    def search_many(self, queries: Iterable[str], k: int = 10) -> list[list[tuple[int, float]]]:
        """``search`` for each query."""
        return [self.search(q, k) for q in queries]

    # ------------------------------------------------------------------ persistence

    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write the index to ``directory`` atomically (temp dir beside it, then rename).

        ``directory`` belongs to the index (e.g. ``index/bm25``): an earlier index there is
        replaced as a whole. A non-empty directory that is not a BM25 index is refused.

        Returns:
            The directory path.

        Raises:
            ValueError: ``directory`` holds files but no BM25 index manifest.
        """
        target = Path(directory)
        if target.is_dir() and any(target.iterdir()) and not (target / MANIFEST).is_file():
            raise ValueError(
                f"Refusing to replace {target}: it is not empty and holds no BM25 index "
                f"({MANIFEST} missing). Save the index to its own directory, e.g. index/bm25."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp = target.parent / f".{target.name}.tmp-{tag}"
        old = target.parent / f".{target.name}.old-{tag}"
        try:
            tmp.mkdir()
            if self._model is not None:
                self._model.save(str(tmp), show_progress=False)
            manifest = {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "engine": "bm25s",
                "method": BM25_METHOD,
                "analyzer": self.analyzer.name,
                "k1": self.k1,
                "b": self.b,
                "n_docs": self.n_docs,
                "empty": self._model is None,
            }
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            if target.exists():
                os.replace(target, old)  # a non-empty directory cannot be renamed over
            os.replace(tmp, target)
        except BaseException:
            if old.exists() and not target.exists():
                os.replace(old, target)  # put the previous index back
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)
        return target

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> BM25Index:
        """Load an index written by ``save``.

        Raises:
            FileNotFoundError: ``directory`` or its manifest does not exist.
            ValueError: The index is corrupt or from an incompatible format version.
        """
        path = Path(directory)
        if not (path / MANIFEST).is_file():
            raise FileNotFoundError(f"No BM25 index at {path} (missing {MANIFEST}). {REBUILD_HINT}")
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise ValueError(f"{MANIFEST} is not a JSON object")
            fmt, version = manifest.get("format"), manifest.get("format_version")
            if fmt != FORMAT_NAME or version != FORMAT_VERSION:
                raise ValueError(
                    f"unsupported format {fmt!r} version {version!r} "
                    f"(this code reads {FORMAT_NAME!r} version {FORMAT_VERSION})"
                )
            analyzer = make_analyzer(manifest["analyzer"])
            n_docs, k1, b = int(manifest["n_docs"]), float(manifest["k1"]), float(manifest["b"])
            model = None
            if not manifest.get("empty", False):
                bm25s = _bm25s()

                model = bm25s.BM25.load(str(path), mmap=False, show_progress=False)
                n_terms = len(model.scores["indptr"]) - 1
                if model.scores["num_docs"] != n_docs or n_terms != len(model.vocab_dict):
                    raise ValueError("index arrays do not match the manifest")
        except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"BM25 index at {path} is corrupt or incompatible: {exc}. {REBUILD_HINT}"
            ) from exc
        return cls(model, analyzer, n_docs, k1, b)


def _bm25s():
    """The bm25s module, with its logger quietened: bm25s sets its own logger to DEBUG, so its
    "Building index from tokens" reached every log handler (``make run``, ``qa eval``)."""
    import logging

    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s
