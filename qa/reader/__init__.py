"""Readers: pure functions of a question and passages that pick the answer span.

A reader never touches the index. It returns :class:`ReaderResult`: candidate spans with
document offsets (best first) and the decision whether the passages answer the question.
"""
from __future__ import annotations

from qa.reader.base import LazyModel, Reader, ReaderResult, Span, sentence_of

__all__ = ["LazyModel", "Reader", "ReaderResult", "Span", "make_reader", "reader_for", "sentence_of"]


def reader_for(settings) -> Reader:
    """The reader that :class:`qa.config.Settings` describe (``reader``, ``reader_precision``,
    ``question_translation``)."""
    return make_reader(settings.reader, settings.reader_precision,
                       question_translation=settings.question_translation == "on")


def make_reader(name: str, precision: str = "int8", question_translation: bool = True, **kwargs) -> Reader:
    """Reader by name: 'sentence', 'neural' (the shipped model) or a Hugging Face QA model.

    ``precision`` ("fp32" or "int8") and ``question_translation`` (read English questions through
    their Indonesian translation too) apply to the neural reader; the others run as loaded.
    """
    if name == "sentence":
        from qa.reader.sentence import SentenceReader

        return SentenceReader()
    if name == "neural":
        from qa.reader.neural import NeuralReader

        return NeuralReader(precision=precision, question_translation=question_translation, **kwargs)
    from qa.reader.transformers_reader import TransformersReader

    return TransformersReader(name, **kwargs)
