"""Evaluation metrics and gold-file reading, against hand-computed cases."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from qa.evaluation import metrics as M
from qa.evaluation.gold import GoldFormatError, read_gold

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------------- normalisation

@pytest.mark.parametrize("text, expected", [
    ("The Mayor", "mayor"),
    ("Sabtu (29/7/2023)", "sabtu 29 7 2023"),            # brackets and slashes separate
    ("U.S. Rp1.000,50", "us rp100050"),                  # other punctuation deleted, as in SQuAD
    ("ASEAN-Norwegia", "asean norwegia"),                # hyphenated compound: two tokens
    ("kota-kota ke-7", "kota kota ke 7"),                # reduplication, ordinal
    ("Negeri(Kemendagri)", "negeri kemendagri"),
    ("“Kota Hutan” yang ‘cerdas’", "kota hutan yang cerdas"),  # curly quotes
    ("Jokowi’s visit", "jokowis visit"),                 # curly apostrophe like the straight one
    ("Qin\u00a0Weizhong", "qin weizhong"),               # no-break space
    ("Rp\u202f1.000", "rp 1000"),                        # narrow no-break space, thousands dot
    ("Bam\u200bbang", "bambang"),                        # zero-width space
    ("sang Presiden", "presiden"),                       # Indonesian personal article
    ("si Kancil", "kancil"),
    ("seorang warga dan sebuah kota", "warga dan kota"),  # Indonesian indefinite classifiers
    ("para menteri", "para menteri"),                    # plural marker kept
    ("bukunya", "bukunya"),                              # clitics kept
    ("2020–2021 …", "2020 2021"),                         # en dash, ellipsis
    ("", ""),
])
def test_normalize_answer(text, expected):
    assert M.normalize_answer(text) == expected


def test_exact_match_takes_the_best_gold_answer():
    golds = ["Walikota Shenzhen, Qin Weizhong", "Qin Weizhong"]
    assert M.exact_match("qin weizhong.", golds) == 1.0
    assert M.exact_match("Qin", golds) == 0.0
    assert M.exact_match("anything", []) == 0.0


def test_f1_hand_computed():
    # pred: presiden joko widodo (3); gold: presiden joko widodo jokowi dengan presiden china xi jinping (9)
    # common 3 -> P = 1, R = 1/3, F1 = 0.5
    gold = ["Presiden Joko Widodo (Jokowi) dengan Presiden China Xi Jinping"]
    assert M.f1_score("Presiden Joko Widodo", gold) == pytest.approx(0.5)
    # pred: 40 tahun terakhir; gold 1: dalam 40 tahun terakhir (P 1, R 3/4 -> 6/7), gold 2: 40 tahun (P 2/3, R 1 -> 0.8)
    assert M.f1_score("40 tahun terakhir", ["dalam 40 tahun terakhir", "40 tahun"]) == pytest.approx(6 / 7)
    assert M.f1_score("The “Shenzhen”", ["Shenzhen"]) == 1.0
    assert M.f1_score("kota", ["desa"]) == 0.0
    # repeated tokens count only as often as they occur in both
    assert M.f1_score("presiden presiden", ["presiden"]) == pytest.approx(2 * 0.5 * 1 / 1.5)


def test_f1_credits_parts_of_hyphenated_compounds():
    # pred: peluang asean norwegia business (4); gold: norwegia (1) -> P 1/4, R 1, F1 0.4
    assert M.f1_score("Peluang ASEAN-Norwegia Business", ["Norwegia"]) == pytest.approx(0.4)


def test_f1_of_answers_that_normalise_to_nothing():
    assert M.f1_score("the", ["a"]) == 1.0
    assert M.f1_score("the", ["Shenzhen"]) == 0.0


def test_score_answer_unanswerable_and_declined():
    assert M.score_answer("", False, [], answerable=False) == (1.0, 1.0)
    assert M.score_answer("Jakarta", True, [], answerable=False) == (0.0, 0.0)
    assert M.score_answer("", False, ["Jakarta"], answerable=True) == (0.0, 0.0)
    em, f1 = M.score_answer("Kota Jakarta", True, ["Jakarta"], answerable=True)
    assert (em, f1) == (0.0, pytest.approx(2 / 3))


# ------------------------------------------------------------------------- retrieval

def test_evidence_rank_after_whitespace_normalisation():
    evidence = "Bambang Susantono bertemu\u00a0Walikota Shenzhen, Qin Weizhong di Shenzhen."
    passages = ["Tidak ada di sini.",
                "Awal. Bambang Susantono bertemu Walikota\nShenzhen,  Qin Weizhong di Shenzhen. Akhir.",
                "Bambang Susantono bertemu Walikota Shenzhen, Qin Weizhong di Shenzhen."]
    assert M.evidence_rank(passages, evidence) == 2          # the first chunk that holds it
    assert M.evidence_rank(passages[:1], evidence) is None
    assert M.evidence_rank(passages, None) is None
    assert M.document_rank(["a.txt", "b.txt", "b.txt"], "b.txt") == 2
    assert M.document_rank(["a.txt"], None) is None


def test_retrieval_summary_hand_computed():
    rows = [{"has_evidence": True, "evidence_rank": 1, "doc_rank": 1},
            {"has_evidence": True, "evidence_rank": 3, "doc_rank": 1},
            {"has_evidence": True, "evidence_rank": None, "doc_rank": 6},
            {"has_evidence": True, "evidence_rank": 7, "doc_rank": 2},
            {"has_evidence": False, "evidence_rank": None, "doc_rank": None}]   # unanswerable: skipped
    s = M.retrieval_summary(rows)
    assert s["n"] == 4
    assert (s["recall@1"], s["recall@3"], s["recall@5"], s["recall@10"]) == (0.25, 0.5, 0.5, 0.75)
    assert s["mrr@10"] == pytest.approx((1 + 1 / 3 + 0 + 1 / 7) / 4)
    assert s["doc_recall@5"] == 0.75


# ------------------------------------------------------------------------- aggregation

def _row(lang, answerable, found, em, f1, **kw):
    return {"lang": lang, "answerable": answerable, "found": found, "em": em, "f1": f1, **kw}


def test_answer_summary_and_groups():
    rows = [_row("id", True, True, 1.0, 1.0, type="person"),
            _row("id", True, False, 0.0, 0.0, type="person"),
            _row("en", False, False, 1.0, 1.0, type="date"),    # correctly declined
            _row("en", False, True, 0.0, 0.0, type="date"),     # answered an unanswerable one
            _row("en", True, True, 0.0, 0.5, type="date")]
    s = M.answer_summary(rows)
    assert s["n"] == 5 and s["n_answerable"] == 3 and s["n_unanswerable"] == 2
    assert s["em"] == pytest.approx(2 / 5)
    assert s["f1"] == pytest.approx(2.5 / 5)
    assert s["has_ans_f1"] == pytest.approx(1.5 / 3)
    assert s["noans_acc"] == 0.5
    assert s["answer_precision"] == pytest.approx(2 / 3)   # 3 answered, 2 of them answerable
    assert s["answer_recall"] == pytest.approx(2 / 3)      # 3 answerable, 2 answered
    groups = M.group_by(rows, "lang")
    assert list(groups) == ["en", "id"]
    assert groups["id"]["noans_acc"] is None               # no unanswerable questions there
    assert groups["en"]["n"] == 3
    assert list(M.group_by([{**r, "hops": h} for r, h in zip(rows, [10, 2, 1, 2, 1])], "hops")) == ["1", "2", "10"]


def test_language_accuracy_and_percentiles():
    assert M.language_accuracy([{"lang": "id", "pred_lang": "id"}, {"lang": "en", "pred_lang": "id"}]) == 0.5
    assert M.percentile([4, 1, 3, 2], 50) == 2.5
    assert M.percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)
    assert M.percentile([], 50) is None
    lat = M.latency_summary([10.0, 20.0, 30.0])
    assert lat == {"p50": 20.0, "p95": pytest.approx(29.0), "mean": 20.0}


def test_best_threshold_hand_computed():
    # answerable with candidate F1 1.0 at score 0.9, answerable F1 0.2 at 0.5, unanswerable at 0.3 and 0.6
    scores = [0.9, 0.5, 0.3, 0.6]
    f1 = [1.0, 0.2, 0.0, 0.0]
    answerable = [True, True, False, False]
    # t=0.9: 1 + 0 + 1 + 1 = 3 ; t=0.6: 1 + 0 + 1 + 0 = 2 ; t=0.5: 1.2 + 1 = 2.2 ; never: 2
    best = M.best_threshold(scores, f1, answerable)
    assert best["threshold"] == 0.9 and best["f1"] == pytest.approx(3 / 4)
    never = M.best_threshold([0.5], [0.0], [False])
    assert never["threshold"] is None and never["f1"] == 1.0
    assert M.best_threshold([], [], [])["threshold"] is None


def test_calibration_bins():
    bins = M.calibration_bins([0.1, 0.9, 0.5, 0.2], [False, True, True, False], n_bins=2)
    assert bins == [{"lo": 0.1, "hi": 0.2, "n": 2, "accuracy": 0.0}, {"lo": 0.5, "hi": 0.9, "n": 2, "accuracy": 1.0}]
    assert M.calibration_bins([], []) == []


# ------------------------------------------------------------------------- gold files

OPEN = {"id": "q1", "lang": "id", "question": "Siapa Walikota Shenzhen?", "answers": ["Qin Weizhong"],
        "doc": "000.txt", "evidence": "Walikota Shenzhen, Qin Weizhong.", "answerable": True, "type": "person",
        "hops": 1}
OPEN_NO = {"id": "q2", "lang": "en", "question": "How many people live in IKN?", "answers": [], "doc": None,
           "evidence": None, "answerable": False, "type": "number", "hops": 1}
READING = {"id": "r1", "lang": "id", "question": "Apa kepanjangan GPS?",
           "context": "GPS (Global Positioning System) adalah sistem navigasi.",
           "answers": ["Global Positioning System"], "answerable": True, "source": "test"}


def _write(path: Path, records) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                            for r in records), encoding="utf-8")
    return path


def test_read_open_corpus_gold(tmp_path):
    gold = read_gold(_write(tmp_path / "g.jsonl", [OPEN, "", OPEN_NO]))
    assert gold.kind == "open" and len(gold) == 2
    q1, q2 = gold.questions
    assert (q1.doc, q1.type, q1.hops, q1.line_no) == ("000.txt", "person", 1, 1)
    assert q2.answerable is False and q2.doc is None and q2.line_no == 3
    assert len(read_gold(tmp_path / "g.jsonl", limit=1)) == 1


def test_read_the_shipped_gold_files():
    gold = read_gold(ROOT / "eval" / "gold.jsonl")
    assert gold.kind == "open" and len(gold) == 98
    rc = Path("/work/shared/qa-train/facqa_valid.jsonl")
    if rc.exists():
        gold = read_gold(rc, limit=5)
        assert gold.kind == "reading" and len(gold) == 5 and gold.questions[0].context


def test_read_reading_comprehension_gold(tmp_path):
    unans = {**READING, "id": "r2", "answers": [], "answerable": False}
    gold = read_gold(_write(tmp_path / "rc.jsonl", [READING, unans]))
    assert gold.kind == "reading"
    assert gold.questions[0].source == "test" and gold.questions[0].context.startswith("GPS")
    assert gold.questions[1].answerable is False


@pytest.mark.parametrize("bad, fragment", [
    ('{"id": "q3", "lang": "id"', "not valid JSON"),
    ('["a list"]', "expected a JSON object"),
    (json.dumps({**OPEN, "id": "q3", "lang": "fr"}), "'lang'"),
    (json.dumps({k: v for k, v in OPEN.items() if k != "question"} | {"id": "q3"}), "missing field 'question'"),
    (json.dumps({**OPEN, "id": "q3", "answers": []}), "no answers"),
    (json.dumps({**OPEN, "id": "q3", "answerable": "yes"}), "'answerable'"),
    (json.dumps({**OPEN, "id": "q3", "hops": 0}), "'hops'"),
    (json.dumps({**OPEN, "id": "q3", "evidence": ""}), "'evidence'"),
    (json.dumps(OPEN), "duplicate id 'q1' (first used on line 1)"),
    (json.dumps(READING), "put each kind in its own file"),
    (json.dumps({"id": "q3", "lang": "id", "question": "x", "answers": [], "answerable": False}),
     "cannot tell the gold kind"),
])
def test_malformed_line_names_line_and_problem(tmp_path, bad, fragment):
    path = _write(tmp_path / "g.jsonl", [OPEN, OPEN_NO, bad])
    with pytest.raises(GoldFormatError) as info:
        read_gold(path)
    assert info.value.line_no == 3
    assert "line 3" in str(info.value) and fragment in str(info.value)


def test_empty_and_missing_gold(tmp_path):
    with pytest.raises(GoldFormatError, match="no questions"):
        read_gold(_write(tmp_path / "empty.jsonl", ["", "  "]))
    with pytest.raises(FileNotFoundError, match="--gold"):
        read_gold(tmp_path / "missing.jsonl")


def test_no_nan_in_summaries():
    s = M.answer_summary([])
    assert all(v is None or (isinstance(v, (int, float)) and not math.isnan(v)) for v in s.values())


def test_f1_at_threshold_scores_answers_and_declines():
    from qa.evaluation.metrics import f1_at_threshold

    scores, f1s, answerable = [2.0, 0.5, 3.0, -1.0], [0.5, 1.0, 0.0, 0.0], [True, True, False, False]
    # at 1: answers rows 0 (F1 0.5) and 2 (unanswerable: 0); declines 1 (0) and 3 (1)
    assert f1_at_threshold(scores, f1s, answerable, 1.0) == pytest.approx((0.5 + 0 + 0 + 1) / 4)
    assert f1_at_threshold(scores, f1s, answerable, 2.0) == pytest.approx((0 + 0 + 0 + 1) / 4)
    assert f1_at_threshold(scores, f1s, answerable, 2.0, inclusive=True) == pytest.approx((0.5 + 0 + 0 + 1) / 4)
