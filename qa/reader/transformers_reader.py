"""A reader around any Hugging Face extractive QA model (``AutoModelForQuestionAnswering``).

Inputs and outputs are those of :class:`qa.reader.neural.NeuralReader` (same windowing and
span decoding): only the model and tokenizer differ. A fast tokenizer is required, because
answers are mapped back to characters through the token offsets.
"""
from __future__ import annotations

import logging
from pathlib import Path

import torch

from qa.informal import reader_question
from qa.language import passage_languages
from qa.reader.base import LazyModel, ReaderResult
from qa.reader.spans import read_passages
from qa.retrieval import Passage

log = logging.getLogger("qa.reader.transformers")


class ReaderLoadError(RuntimeError):
    """The Hugging Face QA model could not be loaded."""


class _QAWrapper(torch.nn.Module):
    """Adapts ``AutoModelForQuestionAnswering`` to the ``(ids, mask) -> (start, end)`` interface."""

    def __init__(self, model: torch.nn.Module, uses_token_types: bool):
        super().__init__()
        self.model = model
        self.uses_token_types = uses_token_types

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids=None):
        kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if self.uses_token_types and token_type_ids is not None:
            kwargs["token_type_ids"] = token_type_ids
        out = self.model(**kwargs)
        return out.start_logits, out.end_logits


class TransformersReader(LazyModel):
    """Extractive QA with a Hugging Face model given by hub name or local path.

    Args:
        model_name_or_path: e.g. ``"deepset/xlm-roberta-base-squad2"`` or a local folder.
        max_length: window length in tokens (question + passage).
        stride: overlap between windows of a long passage, in tokens.
        max_answer_tokens: longest answer span in tokens.
        threshold: no-answer threshold on the span-vs-null margin (logits).
        device: torch device (default CPU).
    """

    def __init__(self, model_name_or_path: str | Path, max_length: int = 384, stride: int = 128,
                 max_answer_tokens: int = 30, threshold: float = 0.0, device: str = "cpu", **_ignored):
        self.model_name_or_path = str(model_name_or_path)
        self.name = self.model_name_or_path
        self.max_length = max_length
        self.stride = stride
        self.max_answer_tokens = max_answer_tokens
        self.threshold = threshold
        self.device = device
        super().__init__()
        self._model: _QAWrapper | None = None
        self._tokenizer = None

    def _load_model(self) -> None:
        """Load model and tokenizer: local files first, then normal loading (hub or cache)."""
        tokenizer, model = self._load()
        if not getattr(tokenizer, "is_fast", False):
            raise ReaderLoadError(f"The tokenizer of '{self.model_name_or_path}' is not a fast tokenizer; "
                                  "character offsets are needed to cite answers.")
        model.eval().to(self.device)
        model_max = getattr(model.config, "max_position_embeddings", None)
        if model_max and self.max_length > model_max:
            self.max_length = int(model_max)
        self.stride = min(self.stride, self.max_length // 2)
        self._tokenizer = tokenizer
        uses_types = "token_type_ids" in getattr(tokenizer, "model_input_names", [])
        self._model = _QAWrapper(model, uses_types)

    def _load(self):
        from transformers import AutoModelForQuestionAnswering, AutoTokenizer

        errors = []
        for local_only in (True, False):
            try:
                tokenizer = AutoTokenizer.from_pretrained(self.model_name_or_path, local_files_only=local_only)
                model = AutoModelForQuestionAnswering.from_pretrained(self.model_name_or_path,
                                                                      local_files_only=local_only)
                return tokenizer, model
            except Exception as exc:  # noqa: BLE001 - any load failure leads to the next attempt
                errors.append(f"{'local files' if local_only else 'download'}: {type(exc).__name__}: {exc}")
        raise ReaderLoadError(
            f"Could not load the extractive QA model '{self.model_name_or_path}' "
            "(a Hugging Face model name or a folder with config.json, weights and a fast tokenizer).\n  "
            + "\n  ".join(errors))

    def read(self, question: str, passages: list[Passage], language: str,
             index_chunks: int | None = None) -> ReaderResult:
        """Best spans over ``passages`` (document offsets) and the answer / no-answer decision
        (one threshold whatever ``index_chunks``: the model's own is not calibrated by size)."""
        self.warm_up()
        languages = passage_languages(p.text for p in passages) if language == "en" else None
        question = reader_question(question, [p.text for p in passages], language, languages)
        return read_passages(self._model, self._tokenizer, question, passages, max_length=self.max_length,
                             stride=self.stride, max_answer_tokens=self.max_answer_tokens,
                             threshold=self.threshold)
