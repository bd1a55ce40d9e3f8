"""Reciprocal-rank fusion (qa.retrieval.fuse_rankings), checked against the formula by hand."""
from __future__ import annotations

import pytest

from qa.retrieval import RRF_K, fuse_rankings


def test_scores_follow_the_formula():
    fused = dict(fuse_rankings([[7, 8, 9], [9, 7]], [1.0, 0.5], k0=10))
    assert fused[7] == pytest.approx(1 / 11 + 0.5 / 12)
    assert fused[8] == pytest.approx(1 / 12)
    assert fused[9] == pytest.approx(1 / 13 + 0.5 / 11)


def test_zero_weight_ranking_is_ignored_and_ties_break_by_row():
    fused = fuse_rankings([[3, 1], [2, 5, 1]], [1.0, 0.0], k0=RRF_K)
    assert [row for row, _ in fused] == [3, 1]
    tied = fuse_rankings([[4], [2]], [1.0, 1.0], k0=RRF_K)
    assert [row for row, _ in tied] == [2, 4]


def test_default_constant_lets_a_first_place_beat_two_middling_ranks():
    # Row 1 is first for BM25 but outside the dense list; rows 10..14 sit at ranks 6-10 of both.
    dense = [20, 21, 22, 23, 24, 10, 11, 12, 13, 14]
    lexical = [1, 30, 31, 32, 33, 10, 11, 12, 13, 14]
    top5 = [row for row, _ in fuse_rankings([dense, lexical], [1.0, 1.0])[:5]]
    assert 1 in top5
    flat = [row for row, _ in fuse_rankings([dense, lexical], [1.0, 1.0], k0=60)[:5]]
    assert 1 not in flat  # what the old constant did
