"""qa.evaluation.compare: same answers between two `qa eval --json` runs, question by question."""
from __future__ import annotations

import json

from qa.evaluation.compare import differences, load_rows, main


def report(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(json.dumps({"rows": rows}), encoding="utf-8")
    return path


ROW = {"id": "q1", "predicted": "Bambang Susantono", "found": True, "retrieved": ["a#0", "b#1"], "score": 3.25}


def test_identical_runs_are_the_same(tmp_path, capsys):
    a = report(tmp_path, "a.json", [ROW, {**ROW, "id": "q2", "found": False}])
    b = report(tmp_path, "b.json", [{**ROW, "score": 3.25004}, {**ROW, "id": "q2", "found": False}])
    assert main([str(a), str(b)]) == 0
    assert "2 of 2 questions the same." in capsys.readouterr().out


def test_each_kind_of_change_is_reported():
    before = {"q1": ROW, "q2": ROW, "q3": ROW, "q4": ROW}
    after = {"q1": {**ROW, "predicted": "Bambang"}, "q2": {**ROW, "found": False},
             "q3": {**ROW, "score": 3.5}, "q5": ROW}
    lines = differences(before, after)
    assert lines == ["q1: predicted differ (predicted: 'Bambang Susantono' -> 'Bambang')",
                     "q2: found differ (found: True -> False)",
                     "q3: score differ (score: 3.25 -> 3.5)", "q4: only in before", "q5: only in after"]


def test_a_changed_answer_fails_the_check(tmp_path, capsys):
    a = report(tmp_path, "a.json", [ROW])
    b = report(tmp_path, "b.json", [{**ROW, "retrieved": ["b#1", "a#0"]}])
    assert main([str(a), str(b)]) == 1
    assert "q1: retrieved differ" in capsys.readouterr().out


def test_a_file_that_is_not_a_report_gets_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    assert main([str(bad), str(bad)]) == 2
    assert "is not a `qa eval --json` report" in capsys.readouterr().err
    try:
        load_rows(tmp_path / "missing.json")
    except ValueError as exc:
        assert "missing.json" in str(exc)
    else:
        raise AssertionError("a missing file must raise ValueError")
