"""Evaluation metrics: answer normalisation, EM/F1, retrieval ranks and aggregation.

Everything here is a pure function of plain values (strings, lists, dict rows), so it can be
tested by hand and reused by ``bench/``.

Answer normalisation (:func:`normalize_answer`) follows the SQuAD script, extended for
Indonesian news text:

1. Unicode NFKC (no-break spaces U+00A0/U+202F become plain spaces, full-width characters
   become ASCII) and removal of invisible format characters (zero-width space, soft hyphen,
   BOM, ...).
2. Lower case.
3. Punctuation is removed. "Punctuation" is every Unicode punctuation character (category P*,
   which covers the curly quotes “ ” ‘ ’, guillemets and the ellipsis) plus the ASCII symbols of
   ``string.punctuation`` ($ + < = > ^ ` | ~). As in SQuAD it is deleted ("U.S." -> "us",
   "1.000" -> "1000", "Jokowi’s" -> "jokowis"), except for separators, which become a space:
   hyphens and dashes (category Pd), brackets (Ps/Pe) and ``/ \\ |``. Indonesian news text
   is full of hyphenated compounds, reduplications and ordinals ("ASEAN-Norwegia", "kota-kota",
   "ke-7") and of dates like "29/7/2023"; deleting the hyphen or slash would glue the parts into
   one token ("aseannorwegia") and a correct answer "Norwegia" would get no F1 credit.
4. Articles are dropped as whole words: English "a", "an", "the" and the Indonesian personal
   articles "si" and "sang" and indefinite classifiers "sebuah" and "seorang" (the Indonesian
   counterparts of "a"/"the"). The list is language-independent because English questions are
   answered with spans of Indonesian articles. Deliberately *not* dropped: the plural marker
   "para" and the relative "yang" (both change the meaning of a span), and the clitics/particles
   "-nya", "-lah", "-kah", "pun" (stripping suffixes would corrupt ordinary words such as
   "tanya", "sekolah", "meskipun").
5. Whitespace is collapsed; tokens are the whitespace-separated words.
"""
from __future__ import annotations

import math
import string
import unicodedata
from collections import Counter
from typing import Any, Callable, Iterable, Sequence

ARTICLES: frozenset[str] = frozenset({"a", "an", "the", "si", "sang", "sebuah", "seorang"})
RECALL_KS: tuple[int, ...] = (1, 3, 5, 10)
MRR_DEPTH = 10
DOC_RECALL_K = 5
_ASCII_SYMBOLS = frozenset(string.punctuation)
_SEPARATORS = frozenset("/\\|")


# ---------------------------------------------------------------------------- normalisation

def _strip_punctuation(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in ("Pd", "Ps", "Pe") or ch in _SEPARATORS:
        return " "
    if ch in _ASCII_SYMBOLS or category.startswith("P"):
        return ""
    return ch


def normalize_answer(text: str, articles: frozenset[str] = ARTICLES) -> str:
    """Normalise an answer for comparison (see the module docstring for the exact rules)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.lower()
    text = "".join(_strip_punctuation(ch) for ch in text)
    return " ".join(w for w in text.split() if w not in articles)


def answer_tokens(text: str) -> list[str]:
    """The normalised tokens of an answer."""
    return normalize_answer(text).split()


def normalize_space(text: str) -> str:
    """Whitespace normalisation used to find evidence sentences in passages.

    Invisible format characters are removed and every run of whitespace (including no-break
    spaces) becomes one space; nothing else changes.
    """
    text = "".join(ch for ch in (text or "") if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


# ---------------------------------------------------------------------------- answers

def exact_match(prediction: str, golds: Sequence[str]) -> float:
    """1.0 when the normalised prediction equals any normalised gold answer, else 0.0."""
    pred = normalize_answer(prediction)
    return float(any(pred == normalize_answer(g) for g in golds))


def _f1(pred_tokens: list[str], gold_tokens: list[str]) -> float:
    if not pred_tokens or not gold_tokens:
        return float(pred_tokens == gold_tokens)
    common = Counter(pred_tokens) & Counter(gold_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(pred_tokens)
    recall = same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def f1_score(prediction: str, golds: Sequence[str]) -> float:
    """Token F1 of the prediction against the best-matching gold answer (0.0 if no golds)."""
    pred = answer_tokens(prediction)
    return max((_f1(pred, answer_tokens(g)) for g in golds), default=0.0)


def score_answer(prediction: str, found: bool, golds: Sequence[str], answerable: bool) -> tuple[float, float]:
    """(EM, F1) of one system answer, SQuAD 2.0 style.

    An unanswerable question scores 1/1 only when the system says "not found" (``found`` is
    False), else 0/0. An answerable question the system declines scores 0/0.
    """
    if not answerable:
        return (0.0, 0.0) if found else (1.0, 1.0)
    if not found:
        return 0.0, 0.0
    return exact_match(prediction, golds), f1_score(prediction, golds)


# ---------------------------------------------------------------------------- retrieval

def evidence_rank(passage_texts: Sequence[str], evidence: str | None) -> int | None:
    """1-based rank of the first passage whose text contains ``evidence`` (whitespace-normalised).

    Returns None when no passage contains it, or when there is no evidence.
    """
    if not evidence or not evidence.strip():
        return None
    needle = normalize_space(evidence)
    for rank, text in enumerate(passage_texts, start=1):
        if needle in normalize_space(text):
            return rank
    return None


def document_rank(passage_docs: Sequence[str], doc: str | None) -> int | None:
    """1-based rank of the first passage from document ``doc`` (None when absent)."""
    if doc is None:
        return None
    return next((rank for rank, d in enumerate(passage_docs, start=1) if d == doc), None)


def retrieval_summary(rows: Iterable[dict]) -> dict[str, Any]:
    """Recall@k and MRR@10 of the evidence passage, and doc_recall@5, over rows with evidence.

    Each row needs ``evidence_rank`` (int or None), ``doc_rank`` (int or None) and
    ``has_evidence`` (bool; rows without gold evidence, e.g. unanswerable ones, are skipped).
    """
    rows = [r for r in rows if r.get("has_evidence")]
    n = len(rows)
    out: dict[str, Any] = {"n": n}
    ranks = [r.get("evidence_rank") for r in rows]
    for k in RECALL_KS:
        out[f"recall@{k}"] = _mean([float(r is not None and r <= k) for r in ranks])
    out[f"mrr@{MRR_DEPTH}"] = _mean([1.0 / r if r is not None and r <= MRR_DEPTH else 0.0 for r in ranks])
    doc_ranks = [r.get("doc_rank") for r in rows]
    out[f"doc_recall@{DOC_RECALL_K}"] = _mean([float(r is not None and r <= DOC_RECALL_K) for r in doc_ranks])
    return out


# ---------------------------------------------------------------------------- aggregation

def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation (numpy's default); None if empty."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def answer_summary(rows: Sequence[dict]) -> dict[str, Any]:
    """EM/F1 (all questions), answerable-only EM/F1, no-answer accuracy and answering P/R.

    Each row needs ``em``, ``f1``, ``found`` and ``answerable``. Answering is scored as a binary
    decision: ``answer_precision`` = answerable among the questions the system answered,
    ``answer_recall`` = answered among the answerable questions. Figures with an empty
    denominator are None.
    """
    has = [r for r in rows if r["answerable"]]
    no = [r for r in rows if not r["answerable"]]
    answered = [r for r in rows if r["found"]]
    return {
        "n": len(rows),
        "n_answerable": len(has),
        "n_unanswerable": len(no),
        "em": _mean([r["em"] for r in rows]),
        "f1": _mean([r["f1"] for r in rows]),
        "has_ans_em": _mean([r["em"] for r in has]),
        "has_ans_f1": _mean([r["f1"] for r in has]),
        "noans_acc": _mean([float(not r["found"]) for r in no]),
        "answer_precision": _mean([float(r["answerable"]) for r in answered]),
        "answer_recall": _mean([float(r["found"]) for r in has]),
    }


def group_by(rows: Sequence[dict], key: str | Callable[[dict], Any],
             summarize: Callable[[Sequence[dict]], dict] = answer_summary) -> dict[str, dict]:
    """``summarize`` of each group of rows, keyed by ``str(value)``, in sorted key order."""
    get = key if callable(key) else (lambda r: r.get(key))
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(str(get(r)), []).append(r)
    return {k: summarize(groups[k]) for k in sorted(groups, key=_natural)}


def _natural(key: str) -> tuple:
    return (0, int(key), "") if key.lstrip("-").isdigit() else (1, 0, key)


def language_accuracy(rows: Sequence[dict]) -> float | None:
    """Share of rows whose detected language (``pred_lang``) equals the gold ``lang``."""
    return _mean([float(r.get("pred_lang") == r["lang"]) for r in rows])


def latency_summary(latencies_ms: Sequence[float]) -> dict[str, float | None]:
    """p50, p95 and mean of latencies in milliseconds."""
    return {"p50": percentile(latencies_ms, 50), "p95": percentile(latencies_ms, 95),
            "mean": _mean(list(latencies_ms))}


def best_threshold(scores: Sequence[float], candidate_f1: Sequence[float],
                   answerable: Sequence[bool]) -> dict[str, float | None]:
    """The "not found" threshold that maximises overall F1 (as SQuAD 2.0's ``best_f1_thresh``).

    Policy: answer with the reader's top candidate when ``score >= t``, else say "not found".
    An answered answerable question earns its candidate's F1, a declined unanswerable one
    earns 1, everything else 0. Candidate thresholds are the observed scores (plus +inf:
    never answer); ties keep the lowest threshold.

    Returns:
        ``{"threshold", "f1"}`` (threshold None when there are no rows).
    """
    items = list(zip(scores, candidate_f1, answerable))
    if not items:
        return {"threshold": None, "f1": None}
    best_t, best = math.inf, sum(1.0 for _, _, a in items if not a)  # never answer
    for t in sorted({s for s, _, _ in items}, reverse=True):
        total = f1_at_threshold(scores, candidate_f1, answerable, t, inclusive=True) * len(items)
        if total >= best:
            best_t, best = t, total
    return {"threshold": None if math.isinf(best_t) else best_t, "f1": best / len(items)}


def f1_at_threshold(scores: Sequence[float], candidate_f1: Sequence[float], answerable: Sequence[bool],
                    threshold: float, inclusive: bool = False) -> float:
    """Mean F1 had the reader answered exactly when ``score > threshold`` (``>=`` if ``inclusive``):
    an answered answerable question earns its candidate's F1, a declined unanswerable one 1."""
    total = 0.0
    for s, f, a in zip(scores, candidate_f1, answerable):
        answered = s >= threshold if inclusive else s > threshold
        total += (f if a else 0.0) if answered else (0.0 if a else 1.0)
    return total / max(len(scores), 1)


def calibration_bins(scores: Sequence[float], correct: Sequence[bool], n_bins: int = 10) -> list[dict]:
    """Equal-count score bins with the share of correct answers in each.

    Returns:
        A list of ``{"lo", "hi", "n", "accuracy"}`` in ascending score order.
    """
    pairs = sorted(zip(scores, correct))
    if not pairs:
        return []
    n_bins = max(1, min(n_bins, len(pairs)))
    bins = []
    for b in range(n_bins):
        chunk = pairs[b * len(pairs) // n_bins:(b + 1) * len(pairs) // n_bins]
        if chunk:
            bins.append({"lo": chunk[0][0], "hi": chunk[-1][0], "n": len(chunk),
                         "accuracy": sum(c for _, c in chunk) / len(chunk)})
    return bins
