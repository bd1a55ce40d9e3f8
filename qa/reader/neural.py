"""The neural reader (default): extractive span QA with the shipped fine-tuned mE5-small.

Scores (logit units, no per-passage softmax): a span scores ``start_logit + end_logit`` minus
the ``<s>`` no-answer logits of its own window (its margin over "no answer" there), minus
``rank_penalty`` for each retrieval rank below the first. ``ReaderResult.score`` is the best
span's score; ``found`` is ``score > threshold``. ``threshold`` and ``rank_penalty`` live in
``reader_config.json`` and are tuned on validation data in the open-corpus setting
(:mod:`qa.training.calibrate`), never on ``eval/gold.jsonl``.
"""
from __future__ import annotations

from pathlib import Path

import torch

from qa.informal import reader_question
from qa.language import passage_languages
from qa.reader.base import LazyModel, ReaderResult
from qa.reader.spans import read_passages
from qa.retrieval import Passage


class NeuralReader(LazyModel):
    """Extractive reader with the shipped span model (loaded lazily, thread-safe).

    Args:
        weights_dir: folder with ``model.safetensors`` and ``reader_config.json``
            (default: the shipped ``qa/reader/weights``).
        cache_dir: where the offline base model is built (default: ``Settings().cache_dir``).
        max_answer_tokens: longest answer span in tokens.
        threshold: override of the tuned no-answer threshold (margin in logits).
        num_threads: torch CPU threads to use (``None`` leaves torch's setting).
        precision: ``"int8"`` (default: dynamic int8 quantisation of most linear layers, CPU;
            faster with the same validation F1, see ``bench/reader.py``) or ``"fp32"``.
        question_translation: read an English question a second time through its Indonesian
            translation (:mod:`qa.translate`) and fuse the two readings' span scores.

    Raises:
        ValueError: ``precision`` is not one of :data:`qa.reader.model.PRECISIONS`.
    """

    name = "neural"

    def __init__(self, weights_dir: Path | str | None = None, cache_dir: Path | str | None = None,
                 max_answer_tokens: int = 30, threshold: float | None = None, num_threads: int | None = None,
                 precision: str = "int8", question_translation: bool = True):
        from qa.reader.model import PRECISIONS

        if precision not in PRECISIONS:
            raise ValueError(f"Unknown reader precision {precision!r}. Supported: {list(PRECISIONS)}")
        self.precision = precision
        self.weights_dir = Path(weights_dir) if weights_dir else None
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.max_answer_tokens = max_answer_tokens
        self._threshold = threshold
        self.num_threads = num_threads
        self.question_translation = question_translation
        self._translator = None
        super().__init__()
        self._model = None
        self._tokenizer = None
        self.config: dict = {}

    @classmethod
    def from_model(cls, model, tokenizer, config: dict) -> "NeuralReader":
        """A reader around an already loaded model (used by training evaluation)."""
        reader = cls(max_answer_tokens=config.get("max_answer_tokens", 30), question_translation=False)
        reader._model, reader._tokenizer, reader.config = model, tokenizer, dict(config)
        reader._loaded = True
        return reader

    @property
    def threshold(self) -> float:
        """The no-answer threshold on the span-vs-null margin (Indonesian questions)."""
        return self.threshold_for("id")

    def threshold_for(self, language: str, index_chunks: int | None = None) -> float:
        """The no-answer threshold for questions in ``language`` over an index of ``index_chunks``
        chunks: the size rule of ``threshold_by_size`` (:mod:`qa.reader.threshold`) when the
        configuration has one for the language; else ``threshold_en`` for English questions when
        calibrated, else ``threshold``. A given context (``index_chunks`` None) uses the latter."""
        if self._threshold is not None:
            return self._threshold
        if index_chunks is not None:
            from qa.reader.threshold import size_rule

            rule = size_rule(self.config, language)
            if rule is not None:
                return rule.at(index_chunks)
        if language == "en" and "threshold_en" in self.config:
            return float(self.config["threshold_en"])
        return float(self.config.get("threshold", 0.0))

    def _load_model(self) -> None:
        from qa.reader.model import load_reader

        if self.num_threads:
            torch.set_num_threads(self.num_threads)
        self._model, self._tokenizer, self.config = load_reader(self.weights_dir, self.cache_dir)
        if self.question_translation:
            self._question_translator()
        if self.precision == "int8":
            from qa.reader.model import quantize_int8

            self._model = quantize_int8(self._model)

    def read(self, question: str, passages: list[Passage], language: str,
             index_chunks: int | None = None) -> ReaderResult:
        """Best spans over ``passages`` (document offsets) and the answer / no-answer decision,
        at the threshold for ``language`` and an index of ``index_chunks`` chunks."""
        self.warm_up()
        languages = passage_languages(p.text for p in passages) if language == "en" else None
        question = reader_question(question, [p.text for p in passages], language, languages)
        return read_passages(self._model, self._tokenizer, question, passages,
                             max_length=int(self.config.get("max_length", 256)),
                             stride=int(self.config.get("stride", 128)),
                             max_answer_tokens=self.max_answer_tokens, threshold=self.threshold_for(language, index_chunks),
                             max_question_tokens=int(self.config.get("max_question_tokens", 64)),
                             rank_penalty=float(self.config.get("rank_penalty", 0.0)),
                             overlap_weight=float(self.config.get("overlap_weight", 0.0)),
                             answer_types=bool(self.config.get("answer_types", False)),
                             early_stop_margin=self.config.get("early_stop_margin"),
                             early_stop_passages=int(self.config.get("early_stop_passages", 2)),
                             second_reading=self.second_reading(question, passages, language),
                             reread=[lang == "id" for lang in languages] if languages else None,
                             completion=tuple(self.config.get("span_completion") or ()),
                             decision_weights=self.config.get("decision_weights"),
                             polar=bool(self.config.get("polar_questions", False)),
                             focus=self.config.get("focused_reading"))

    def second_reading(self, question: str, passages: list[Passage], language: str) -> str | None:
        """The Indonesian reading of an English question (None for other questions or when off)."""
        if language != "en" or not self.question_translation:
            return None
        return self._question_translator().translate(question, context=" ".join(p.text for p in passages))

    def _question_translator(self):
        """The English→Indonesian question translator, loaded once."""
        if self._translator is None:
            from qa.translate import QuestionTranslator

            self._translator = QuestionTranslator.load()
        return self._translator
