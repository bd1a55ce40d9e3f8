"""The size- and language-aware "not found" threshold (qa.reader.threshold) and its use by the reader."""
import json
import math

import pytest

from qa.reader.neural import NeuralReader
from qa.reader.threshold import SizeRule, size_rule
from qa.training.fit_threshold import fit_size_rule, main, read_runs


def test_rule_rises_per_decade_from_the_smallest_size_and_clamps():
    rule = SizeRule(threshold=1.0, per_decade=2.0, min_chunks=300, max_chunks=30_000)
    assert rule.at(300) == pytest.approx(1.0)
    assert rule.at(3000) == pytest.approx(3.0)
    assert rule.at(30_000) == pytest.approx(5.0)
    assert rule.at(1000) == pytest.approx(1.0 + 2.0 * math.log10(1000 / 300))
    assert rule.at(20) == rule.at(0) == pytest.approx(1.0)  # below the fitted range: the calibrated threshold
    assert rule.at(1_000_000) == pytest.approx(5.0)         # above it: no extrapolation


def _rows(unanswerable_score: float, answerable_score: float, n: int = 10) -> list[dict]:
    rows = [{"lang": "en", "answerable": True, "score": answerable_score, "candidate": "x", "candidate_f1": 1.0}
            for _ in range(n)]
    rows += [{"lang": "en", "answerable": False, "score": unanswerable_score, "candidate": "y", "candidate_f1": 0.0}
             for _ in range(n)]
    return rows


def test_fit_follows_unanswerable_scores_that_rise_with_index_size():
    # Wrong spans of unanswerable questions score 0 / 2 / 4 at 100 / 1k / 10k chunks, right ones 1 / 3 / 5:
    # no single threshold separates them at every size.
    runs = [(100, _rows(0.0, 1.0)), (1000, _rows(2.0, 3.0)), (10_000, _rows(4.0, 5.0))]
    rule, f1 = fit_size_rule(runs, threshold=0.5)
    assert f1 == pytest.approx(1.0)
    assert rule.threshold == 0.5 and 1.5 <= rule.per_decade < 2.5
    for n, rows in runs:  # every run separated: unanswerable at or below the threshold, answerable above it
        unanswerable = max(r["score"] for r in rows if not r["answerable"])
        assert unanswerable <= rule.at(n) < unanswerable + 1.0
    flat, f1_flat = fit_size_rule([(100, _rows(0.0, 5.0)), (10_000, _rows(0.0, 5.0))], threshold=1.0)
    assert flat.per_decade == 0.0 and f1_flat == pytest.approx(1.0)  # nothing to gain: no slope


def test_a_row_without_candidate_never_answers():
    rows = [{"lang": "id", "answerable": False, "score": 9.0, "candidate": "", "candidate_f1": 0.0}]
    rule, f1 = fit_size_rule([(500, rows)], threshold=0.0)
    assert f1 == pytest.approx(1.0)


def test_neural_reader_uses_the_rule_only_with_an_index_size():
    reader = NeuralReader()
    reader.config = {"threshold": -1.5, "threshold_by_size": {
        "id": {"threshold": 0.5, "per_decade": 1.0, "min_chunks": 100, "max_chunks": 100_000}}}
    assert reader.threshold_for("id", 10_000) == pytest.approx(2.5)
    assert reader.threshold_for("id", 20) == pytest.approx(0.5)
    assert reader.threshold_for("id") == -1.5          # a given context: no index
    assert reader.threshold_for("en", 10_000) == -1.5  # no rule for English: the plain threshold
    assert NeuralReader(threshold=7.0).threshold_for("id", 10_000) == 7.0  # an explicit override wins


def test_malformed_rule_names_the_fix():
    with pytest.raises(ValueError, match="threshold_by_size.*python -m qa.training.fit_threshold"):
        size_rule({"threshold_by_size": {"en": {"threshold": 1.0}}}, "en")


def test_fit_command_reads_runs_and_writes_the_config(tmp_path, capsys):
    runs = tmp_path / "runs"
    for size, chunks, score in ((0, 300, -3.0), (10_000, 30_000, 4.0)):
        folder = runs / f"size-{size}"
        folder.mkdir(parents=True)
        (folder / "eval.json").write_text(json.dumps({"config": {"index_chunks": chunks},
                                                      "rows": _rows(score, 5.0)}))
    assert [n for n, _ in read_runs(runs)] == [300, 30_000]
    weights = tmp_path / "weights"
    weights.mkdir()
    (weights / "reader_config.json").write_text(json.dumps({"threshold": -1.69}))
    assert main([str(runs), "--weights", str(weights), "--write"]) == 0
    config = json.loads((weights / "reader_config.json").read_text())
    rule = size_rule(config, "en")
    assert config["threshold"] == -1.69 and rule.min_chunks == 300 and rule.max_chunks == 30_000
    assert rule.at(300) == -1.69 and 4.0 <= rule.at(30_000) < 5.0  # 2.9 to 3.3 logits per decade
    assert '"f1_fixed": 0.5' in capsys.readouterr().out  # -1.69 answers every question at 30k


def test_fit_command_without_runs_says_what_to_run(tmp_path):
    with pytest.raises(SystemExit, match="robustness --pool"):
        read_runs(tmp_path)


def test_a_malformed_rule_fails_when_the_weights_are_read(tmp_path):
    from qa.reader.model import WeightsError, read_config

    (tmp_path / "reader_config.json").write_text(json.dumps({"threshold_by_size": {"en": {"per_decade": "x"}}}))
    with pytest.raises(WeightsError, match="reader_config.json.*Malformed threshold_by_size rule"):
        read_config(tmp_path)
    (tmp_path / "reader_config.json").write_text(json.dumps({"threshold_by_size": {"en": {
        "threshold": 0.0, "per_decade": 1.0, "min_chunks": 10, "max_chunks": 1000}}}))
    assert size_rule(read_config(tmp_path), "en").at(100) == pytest.approx(1.0)
