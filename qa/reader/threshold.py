"""The "not found" threshold as a function of the index's size and the question's language.

The more chunks an index holds, the more look-alike passages reach the top 5, and the higher the
best wrong span of an unanswerable question scores. One threshold tuned on a few hundred
contexts is therefore too permissive at 30k chunks (docs/results.md, "Among distractors"). A
:class:`SizeRule` keeps the calibrated threshold up to the smallest index size it was fitted on
and raises it linearly in ``log10(chunks)`` above::

    threshold(n) = threshold + per_decade * log10(clamp(n, min_chunks, max_chunks) / min_chunks)

with no extrapolation beyond the sizes measured. Only the slope is fitted, per language, by
:func:`qa.training.fit_threshold.fit_size_rule` on open-corpus validation runs of several sizes (``bench/scale.py robustness
--pool``); the threshold at the smallest size stays the one :mod:`qa.training.calibrate` tuned. (A
two-parameter fit, threshold and slope, moved the small-size threshold by up to 3 logits between
halves of the questions and did not beat the fixed threshold out of sample; the slope alone did.)
The rules are stored in ``reader_config.json`` under ``threshold_by_size``::

    python -m qa.training.fit_threshold bench/out/scale/valid_pool [--write]

The gold questions of ``eval/gold.jsonl`` are never used here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class SizeRule:
    """``threshold`` up to ``min_chunks``, rising ``per_decade`` per tenfold index size up to
    ``max_chunks`` (the sizes it was fitted on), constant above."""

    threshold: float
    per_decade: float
    min_chunks: int
    max_chunks: int

    def at(self, n_chunks: int) -> float:
        """The threshold for an index of ``n_chunks`` chunks."""
        n = min(max(int(n_chunks), self.min_chunks, 1), self.max_chunks)
        return self.threshold + self.per_decade * math.log10(n / max(self.min_chunks, 1))

    @classmethod
    def from_config(cls, value: dict) -> "SizeRule":
        """Read a rule from its ``reader_config.json`` form (a clear error when malformed)."""
        try:
            return cls(threshold=float(value["threshold"]), per_decade=float(value["per_decade"]),
                       min_chunks=int(value["min_chunks"]), max_chunks=int(value["max_chunks"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"Malformed threshold_by_size rule {value!r} in reader_config.json ({exc}); "
                             "expected threshold, per_decade, min_chunks, max_chunks. Re-fit it with "
                             "`python -m qa.training.fit_threshold RUNS --write`.") from exc


def size_rule(config: dict, language: str) -> SizeRule | None:
    """The size rule of ``config`` (a ``reader_config.json``) for ``language``, if it has one."""
    rules = config.get("threshold_by_size") or {}
    value = rules.get(language)
    return SizeRule.from_config(value) if value else None
