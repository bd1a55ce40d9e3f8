"""A fast CPU path for embedding questions: the embedding model exported once to ONNX Runtime.

A question is a dozen tokens, so PyTorch's per-operation overhead, not arithmetic, decides its
cost: about 25 ms on the 2-core CPU against 10 ms in ONNX Runtime, which fuses attention, GELU and
layer norm (``bench/query_latency.py``). The exported graph computes the same fp32 embedding
(mean pooling over the attention mask, L2 normalisation); it is checked against PyTorch on probe
questions after export, and any failure (export, load, or a cosine below
:data:`MIN_PROBE_COSINE`) falls back to PyTorch with one warning. The graph starts after the word
embeddings: their rows are looked up from the PyTorch model's own table (shared memory), so the
250k × 384 table (384 MB) is held once, however many question encoders there are (the base model's
and the question adapter's, :mod:`qa.query_adapter`), and each exported file is about 90 MB.

The exported file is cached under ``<cache_dir>/onnx/<key>/query.onnx``, where the key names the
model folder, its weights' size and modification time, the torch version and the question
adapter merged into the model (:mod:`qa.query_adapter`); it is written atomically.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import numpy as np

log = logging.getLogger("qa.query_encoder")

MIN_PROBE_COSINE = 0.9999
PROBES = ("Siapa walikota Shenzhen?", "Who is the mayor of Shenzhen?",
          "Berapa jumlah peserta yang diundang dalam kegiatan ASEAN-Jepang 2023?")
QUERY_ENGINES: tuple[str, ...] = ("onnx", "torch")


class OnnxQueryEncoder:
    """Embeds pre-tokenised texts with an ONNX Runtime session of a BERT-style encoder.

    Build with :meth:`load_or_export`.
    """

    def __init__(self, session, path: Path, exported: bool, word_embeddings: np.ndarray):
        self.session = session
        self.path = path
        self.exported = exported  # True when this process exported the file (False: read from cache)
        self.word_embeddings = word_embeddings  # [vocab, dim], shared with the PyTorch model

    @classmethod
    def load_or_export(cls, bert, model_dir: str, cache_dir: Path, threads: int,
                       adapter_sha256: str = "") -> "OnnxQueryEncoder":
        """The cached ONNX file of ``bert`` (exported first when missing), opened in a session
        (``adapter_sha256``: the question adapter merged into ``bert``, part of the cache key)."""
        import onnxruntime as ort

        path = Path(cache_dir) / "onnx" / _cache_key(bert, model_dir, adapter_sha256) / "query.onnx"
        exported = False
        if not path.exists():
            _export(bert, path)
            exported = True
            _forget_stale_exports(path, model_dir, "adapted" if adapter_sha256 else "base")
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # ONNX Runtime's threads spin for a while after each run by default: they then take the cores
        # that FAISS's search and the reader need next (a query at 20k chunks: encode 10.6 ms + search
        # 3.0 ms alone, 29.3 ms one after the other while spinning, 19.0 ms without; bench/e2e.py).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        return cls(session, path, exported, bert.embeddings.word_embeddings.weight.detach().numpy())

    def encode_ids(self, token_ids: list[list[int]], pad_id: int) -> np.ndarray:
        """Normalised embeddings ``[n, dim]`` of texts given as token ids (one padded batch)."""
        width = max(len(ids) for ids in token_ids)
        ids = np.full((len(token_ids), width), pad_id, dtype=np.int64)
        mask = np.zeros((len(token_ids), width), dtype=np.int64)
        for i, row in enumerate(token_ids):
            ids[i, :len(row)] = row
            mask[i, :len(row)] = 1
        embeds = self.word_embeddings[ids]
        return self.session.run(None, {"inputs_embeds": embeds, "attention_mask": mask})[0].astype(np.float32)


def _cache_key(bert, model_dir: str, adapter_sha256: str = "") -> str:
    import torch

    folder = Path(model_dir)
    stamp = ""
    for name in ("model.safetensors", "pytorch_model.bin"):
        weights = folder / name
        if weights.exists():
            st = weights.stat()
            stamp = f"{st.st_size}:{st.st_mtime_ns}"
            break
    if not stamp:  # a hub name or an unusual layout: key on the parameters themselves
        stamp = str(sum(float(p.detach().double().sum()) for p in bert.parameters()))
    text = f"{folder.resolve() if folder.exists() else model_dir}|{stamp}|{torch.__version__}|inputs_embeds"
    if adapter_sha256:
        text += f"|adapter:{adapter_sha256}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _forget_stale_exports(path: Path, model_dir: str, role: str) -> None:
    """Record what ``path`` was exported from, and delete earlier exports of the same model folder and
    role (base model or adapted) and those of older versions, which recorded nothing (90–470 MB each)."""
    import json
    import shutil

    from qa.files import atomic_write_text

    source = {"model_dir": str(model_dir), "role": role}
    atomic_write_text(path.parent / "source.json", json.dumps(source) + "\n")
    for folder in path.parent.parent.iterdir():
        if folder == path.parent or not (folder / "query.onnx").exists():
            continue
        try:
            other = json.loads((folder / "source.json").read_text())
        except (OSError, ValueError):
            other = None  # written by an older version: its key scheme is gone
        if other is None or other == source:
            shutil.rmtree(folder, ignore_errors=True)


def _export(bert, path: Path) -> None:
    """Export ``bert`` (from its word embeddings on) + mean pooling + normalisation to ``path``
    (atomically)."""
    import warnings

    import torch

    from qa.pooling import mean_pool

    class _Pooled(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, inputs_embeds, attention_mask):
            hidden = self.encoder(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            return mean_pool(hidden, attention_mask)

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".query-", suffix=".onnx", dir=path.parent)
    os.close(fd)
    example = (torch.zeros((1, 8, bert.config.hidden_size)), torch.ones((1, 8), dtype=torch.long))
    axes = {"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "embedding": {0: "batch"}}
    try:
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(_Pooled(bert).eval(), example, tmp, input_names=["inputs_embeds", "attention_mask"],
                              output_names=["embedding"], dynamic_axes=axes, opset_version=17, dynamo=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def probe_cosine(encoder: OnnxQueryEncoder, torch_vectors: np.ndarray, token_ids: list[list[int]], pad_id: int) -> float:
    """The lowest cosine between ONNX and PyTorch embeddings of the same probe texts."""
    onnx_vectors = np.concatenate([encoder.encode_ids([ids], pad_id) for ids in token_ids])
    return float((onnx_vectors * torch_vectors).sum(axis=1).min())
