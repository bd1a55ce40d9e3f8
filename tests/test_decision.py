"""The "not found" decision's features (qa.reader.decision), on hand-made spans."""
from __future__ import annotations

import pytest

from qa.reader.base import Span
from qa.reader.decision import FEATURES, decision_features, decision_score
from qa.retrieval import Passage

TEXT = "Wali Kota Shenzhen Qin Weizhong menandatangani kesepakatan dengan Bambang Susantono pada Kamis."


def span(needle: str, score: float, readings: tuple[float, ...], rank: int = 1) -> Span:
    start = TEXT.index(needle)
    passage = Passage(doc_id="d", chunk_id=0, text=TEXT, start=0, end=len(TEXT), rank=rank,
                      sentences=[(0, len(TEXT))])
    return Span(passage, start, start + len(needle), needle, score, 0, len(TEXT), readings)


def test_a_question_read_once_has_no_agreement_evidence():
    features = decision_features([span("Qin Weizhong", 5.0, (5.0,)), span("Bambang Susantono", 2.0, (2.0,))],
                                 typed=True)
    assert features["spread"] == 0.0 and features["disagree"] == 0.0
    assert set(features) == set(FEATURES)


def test_readings_that_favour_the_same_span_agree():
    best = span("Qin Weizhong", 5.0, (4.0, 5.7))
    other = span("Bambang Susantono", 3.0, (3.5, 2.7))
    features = decision_features([best, other], typed=True)
    assert features["disagree"] == 0.0
    assert features["spread"] == pytest.approx(1.7)


def test_readings_that_favour_different_spans_disagree():
    best = span("Qin Weizhong", 5.0, (2.0, 7.0))  # the translation's favourite, not the English reading's
    other = span("Bambang Susantono", 4.5, (6.0, 3.5))
    features = decision_features([best, other], typed=True)
    assert features["disagree"] == 1.0
    assert features["spread"] == pytest.approx(5.0)


def test_an_overlapping_favourite_is_agreement():
    best = span("Qin Weizhong", 5.0, (4.0, 6.0))
    longer = span("Shenzhen Qin Weizhong", 4.8, (4.5, 5.0))
    assert decision_features([best, longer], typed=True)["disagree"] == 0.0


def test_the_spread_is_capped_and_a_missing_reading_counts_as_far_apart():
    assert decision_features([span("Qin", 1.0, (-30.0, 12.0))], typed=False)["spread"] == 10.0
    assert decision_features([span("Qin", 1.0, (float("-inf"), 12.0))], typed=False)["spread"] == 10.0


def test_the_decision_adds_weighted_features_to_the_margin():
    features = decision_features([span("Qin Weizhong", 5.0, (2.0, 7.0)), span("Bambang", 4.5, (6.0, 3.5))],
                                 typed=True)
    assert decision_score(5.0, features, None) == 5.0
    assert decision_score(5.0, features, {"disagree": -2.0, "spread": -0.5}) == pytest.approx(5.0 - 2.0 - 2.5)
