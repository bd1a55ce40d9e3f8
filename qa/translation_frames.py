"""Whole-question frames of the English → Indonesian question translator (:mod:`qa.translate`).

Some English questions are one fixed frame around a term, and Indonesian asks them with a frame of
its own, not word by word: "What does KKI stand for?" → "apa kepanjangan dari KKI?", "What does the
word basilica mean?" → "apa arti kata basilika?", "What is the currency of Singapore called?" →
"apa nama mata uang Singapura?", "What is homeostasis?" → "apa itu homeostasis?".
:func:`question_frame` finds the frame; the translator translates the parts it leaves.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from qa.translation_words import FUNCTION_WORDS

_STANDS_FOR = re.compile(r"^\s*what (?:does|do|did) (?:the )?(?:(?:acronym|abbreviation) )?(.+?) stand for\s*\?*\s*$",
                         re.IGNORECASE)
_MEANS = re.compile(r"^\s*what (?:does|do|did) (?:the )?(.+?) mean(?: (in .+?))?\s*\?*\s*$", re.IGNORECASE)
_CALLED = re.compile(r"^\s*what (?:is|are|was|were) (?:the )?(.+?) called\s*\?*\s*$", re.IGNORECASE)
_DEFINITION = re.compile(r"^\s*what (?:is|are) (?:the |a |an )?([^?]+?)\s*\?\s*$", re.IGNORECASE)
_NOT_A_TERM = re.compile(r"['’]s\b|\b(of|in|on|at|for|to|by|from|with|about|that|which|who|does|did|do|is|are|was|were)\b",
                         re.IGNORECASE)  # "What is Billy Boen's first job?" asks no definition
_LABELS = {"word": "kata", "term": "istilah", "phrase": "frasa", "name": "nama"}
_LABEL = re.compile(rf"({'|'.join(_LABELS)}) ", re.IGNORECASE)
MAX_TERM_WORDS = 4


class Frame(NamedTuple):
    """An Indonesian ``opening`` ("apa arti kata"), the English ``term`` it asks about, and an
    English ``tail`` after it ("in economics"; empty when none)."""

    opening: str
    term: str
    tail: str = ""


def question_frame(question: str) -> Frame | None:
    """The frame of ``question``, or None when it asks in no fixed frame."""
    found = _STANDS_FOR.match(question)
    if found:
        return Frame("apa kepanjangan dari", found.group(1))
    for pattern, opening in ((_MEANS, "apa arti"), (_CALLED, "apa nama")):
        found = pattern.match(question)
        if found and found.group(1).lower() not in FUNCTION_WORDS:  # "What did he mean?" is no frame
            term = found.group(1)
            label = _LABEL.match(term)  # "the word basilica" → "kata basilika"
            if label:
                opening = f"{opening} {_LABELS[label.group(1).lower()]}"
                term = term[label.end():]
            tail = found.group(2) if pattern is _MEANS and found.group(2) else ""
            return Frame(opening, term, tail)
    found = _DEFINITION.match(question)
    if found and len(found.group(1).split()) <= MAX_TERM_WORDS and not _NOT_A_TERM.search(found.group(1)):
        return Frame("apa itu", found.group(1))
    return None
