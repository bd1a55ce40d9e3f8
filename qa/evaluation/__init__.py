"""Evaluation of Tanya Artikel: gold files, metrics, runs over configurations, reports.

``qa eval --gold FILE`` is the command-line face (:mod:`qa.evaluation.cli`); the pieces are
importable on their own:

* :mod:`qa.evaluation.gold` – reading and validating gold files of both kinds.
* :mod:`qa.evaluation.metrics` – normalisation, EM/F1, retrieval ranks, aggregation (pure).
* :mod:`qa.evaluation.runner` – ``--config`` parsing and running configurations.
* :mod:`qa.evaluation.report` – Markdown report, plots and JSON, written atomically.
"""
from __future__ import annotations

from qa.evaluation.gold import GoldFormatError, GoldQuestion, GoldSet, read_gold
from qa.evaluation.metrics import exact_match, f1_score, normalize_answer, score_answer

__all__ = ["GoldFormatError", "GoldQuestion", "GoldSet", "read_gold", "exact_match", "f1_score",
           "normalize_answer", "score_answer"]
