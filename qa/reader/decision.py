"""The "not found" decision: more evidence than the best span's margin.

The reader answers when its decision score exceeds the threshold of :mod:`qa.reader.threshold`.
The score starts from the best span's margin (logits over "no answer") and adds, in the same
units, what else tells a found answer from a look-alike:

* ``gap``: how far the best span leads the next candidate with other text (capped at 10): a
  clear winner is more often right than one of several near-equal spans;
* ``rank``: the retrieval rank of the best span's passage, less one (a span from the first
  passage is more often the answer);
* ``words``: ``log(1 + words)`` of the span (long clause answers score lower margins);
* ``typed``: 1 when the question asks for a number, date or name and the span is one
  (:mod:`qa.reader.answer_type`), the kind of question the reader answers best;
* ``spread``: for a question read twice (an English question and its Indonesian translation),
  how far apart the best span's two reading scores are (capped at 10; 0 when read once);
* ``disagree``: 1 when, among the result's spans, a reading's own favourite does not overlap the
  best span (0 when read once): the two readings point at different answers.

The weights come from a cost-weighted logistic regression on open-corpus validation pools (an
answerable question pulls toward answering with the weight of its best span's F1, an
unanswerable one toward declining with weight 1: exactly what SQuAD-2.0 F1 rewards), rescaled so
the margin keeps weight 1; then the threshold of each language is re-tuned on its pool::

    python -m qa.training.fit_decision fit bench/out/decision/*.json [--write]

Rows come from ``python -m qa.training.fit_decision collect`` (the calibration pools of
:mod:`qa.training.calibrate`: Indonesian questions, and the hand-translated English ones, each among
all the pool's contexts). ``eval/gold.jsonl`` is never used here.
"""
from __future__ import annotations

import math

FEATURES = ("gap", "rank", "words", "typed", "spread", "disagree")
GAP_CAP = 10.0
SPREAD_CAP = 10.0


def decision_features(spans, typed: bool) -> dict[str, float]:
    """The features of a reader result's spans (best first) for a question that is ``typed``."""
    if not spans:
        return {name: 0.0 for name in FEATURES}
    best = spans[0]
    other = next((s.score for s in spans[1:] if s.text.strip().lower() != best.text.strip().lower()), None)
    gap = GAP_CAP if other is None else min(GAP_CAP, best.score - other)
    spread, disagree = _reading_agreement(spans)
    return {"gap": float(gap), "rank": float(max(best.passage.rank - 1, 0)),
            "words": math.log1p(len(best.text.split())), "typed": float(typed),
            "spread": spread, "disagree": disagree}


def _reading_agreement(spans) -> tuple[float, float]:
    """``spread`` and ``disagree`` of the best span (see the module text)."""
    best = spans[0]
    scores = [x for x in best.readings if x != float("-inf")]
    if len(best.readings) < 2:
        return 0.0, 0.0
    spread = min(SPREAD_CAP, max(scores) - min(scores)) if len(scores) > 1 else SPREAD_CAP
    disagree = 0.0
    for reading in range(len(best.readings)):
        favourite = max(spans, key=lambda s: s.readings[reading] if len(s.readings) > reading else float("-inf"))
        same_place = favourite.passage.doc_id == best.passage.doc_id
        if not (same_place and favourite.start < best.end and best.start < favourite.end):
            disagree = 1.0
    return float(spread), disagree


def decision_score(margin: float, features: dict[str, float], weights: dict[str, float] | None) -> float:
    """``margin`` plus the weighted features (the margin alone without weights)."""
    if not weights:
        return margin
    return margin + sum(float(weights.get(name, 0.0)) * features.get(name, 0.0) for name in FEATURES)
